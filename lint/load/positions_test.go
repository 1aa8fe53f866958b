package load_test

import (
	"encoding/binary"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/linter"
	"github.com/ekslint/ekslint/lint/linttest"
)

// atField is a rule reporting at metadata.labels.mark of every object that has it, so a test can
// ask where a field lands.
var atField = &lint.Rule{ID: "at-field", Level: lint.Warning, Inputs: lint.NamespaceInput, Check: func(p *lint.Pass) {
	if n := p.Object.Get("metadata", "labels", "mark"); n.Exists() {
		p.Report(n, "here")
	}
}}

// TestPositionsAsEditorsShowThem: every position is the line and column an editor shows, whatever
// the line endings and whatever characters only the YAML parser takes for line breaks.
func TestPositionsAsEditorsShowThem(t *testing.T) {
	const tail = "  labels:\n    mark: x\n"
	for _, c := range []struct {
		name, src string
		line, col int
	}{
		{"LF", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n" + tail, 6, 5},
		{"line separator in a quoted value", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"a\u2028b\"\n" + tail, 6, 5},
		{"paragraph separator in a single-quoted value", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 'a\u2029b'\n" + tail, 6, 5},
		{"NEL in a double-quoted value", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    note: \"one\u0085two\"\n" + tail, 8, 5},
		{"several on one line", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 'a\u2028b\u2028c\u2029d'\n" + tail, 6, 5},
		{"a key after a line separator", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {other: \"\u2028\", mark: x}\n  name: a\n", 4, 24},
		{"CR alone", strings.ReplaceAll("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"+tail, "\n", "\r"), 6, 5},
		{"CR LF", strings.ReplaceAll("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"+tail, "\n", "\r\n"), 6, 5},
		{"mixed CR and LF", "apiVersion: v1\rkind: ConfigMap\nmetadata:\r\n  name: a\r" + tail, 6, 5},
		{"UTF-16 little-endian", utf16Text(binary.LittleEndian, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"café\"\n"+tail), 6, 5},
		{"UTF-16 big-endian", utf16Text(binary.BigEndian, "apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: a\r\n"+strings.ReplaceAll(tail, "\n", "\r\n")), 6, 5},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := linttest.LintFiles(t, map[string]string{"x.yaml": c.src}, linttest.Only(atField))
			if len(res.Problems) > 0 || len(res.Findings) != 1 {
				t.Fatalf("problems %v, findings %v", res.Problems, res.Findings)
			}
			if p := res.Findings[0].Pos; p.Line != c.line || p.Column != c.col {
				t.Errorf("finding at %d:%d, want %d:%d", p.Line, p.Column, c.line, c.col)
			}
		})
	}
}

// TestProblemPositions: input errors name the line (and column) an editor shows too.
func TestProblemPositions(t *testing.T) {
	var big strings.Builder
	big.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n")
	for big.Len() < 10000 {
		big.WriteString("  key: value\n")
	}
	bigLines := strings.Count(big.String(), "\n")
	for _, c := range []struct {
		name, src string
		at        string // line:column
		want      string
	}{
		{"NUL after the first 8 KB", big.String() + "  nul: \"a\x00b\"\n", strconv.Itoa(bigLines + 1), "binary file (NUL byte)"},
		{"a control character", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"esc\x1b[0m\"\n", "4:13", "control character U+001B"},
		{"C1 control character", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"a\u0090\"\n", "4:11", "control character U+0090"},
		{"invalid UTF-8 with CR line ends", "apiVersion: v1\rkind: ConfigMap\rmetadata:\r  name: x\rdata:\r  k: \"caf\xe9\"\r", "6:10", "not valid UTF-8"},
		{"a scanner error on the first line, where yaml.v3 names none", "@x: 1\napiVersion: v1\nkind: ConfigMap\n", "1", "invalid YAML: found character that cannot start any token"},
		{"syntax error after a line separator", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"a\u2028b\"\n\tbad: tab\n", "5", "invalid YAML"},
		{"syntax error after a paragraph separator in a plain value", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\u2029b\n", "4", "invalid YAML"},
		{"syntax error after NEL in a comment", "apiVersion: v1\nkind: ConfigMap # one\u0085two\nmetadata:\n  name: a\n", "2", "invalid YAML"},
		// A syntax error is on the line the parser could not go on at, however far above the
		// mapping or list it is in starts; where the input ends inside an open collection or
		// string, on the line that opens it.
		{"unclosed flow mapping at the end", "kind: Pod\napiVersion: v1\nmetadata:\n  name: a\n  labels: {a: 1\n", "5", "invalid YAML: did not find expected ',' or '}'"},
		{"unclosed flow sequence", "kind: Pod\napiVersion: v1\nmetadata:\n  name: a\n  x: [1, 2\n  y: 3\n", "6", "invalid YAML: did not find expected ',' or ']'"},
		{"unclosed flow sequence before a document marker", "kind: Pod\napiVersion: v1\nmetadata:\n  name: a\n  x: [1, 2\n---\n", "5", "invalid YAML: did not find expected ',' or ']'"},
		{"flow mapping missing a comma", "kind: Pod\napiVersion: v1\nmetadata:\n  name: a\n  labels: {a: 1, b: 2 c: 3}\n", "5", "invalid YAML: did not find expected ',' or '}'"},
		{"flow sequence missing a comma, lines below its bracket", "kind: Pod\napiVersion: v1\nmetadata:\n  name: a\n  args: [\n    \"a\",\n    \"b\"\n    \"c\",\n  ]\n", "8", "invalid YAML: did not find expected ',' or ']'"},
		{"block mapping missing a key", "kind: Pod\napiVersion: v1\nmetadata:\n  name: a\n - b\n", "5", "invalid YAML: did not find expected key"},
		{"a flow mapping where a key is, lines below its mapping's first key", "apiVersion: v1\nkind: Service\nmetadata:\n  name: bind\nspec:\n  type: ClusterIP\n  # comment\n  ports:\n  - port: 53\n  clusterIP: {prefix}.16\n", "10", "invalid YAML: did not find expected key"},
		{"a key indented more than its mapping", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: \"1\"\n  b: \"2\"\n   c: 4\n", "8", "invalid YAML: did not find expected key"},
		{"a key indented less than its list item", "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    image: b\n  - name: c\n   image: d\n", "8", "invalid YAML: did not find expected key"},
		{"a line starting with ':'", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: \"1\"\n  : 2\n", "7", "invalid YAML: did not find expected key"},
		{"a ':' inside a plain value", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b: c\n", "6", "invalid YAML: mapping values are not allowed in this context"},
		{"a key without its ':'", "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n  foo\n  bar: 1\n", "6", "invalid YAML: could not find expected ':'"},
		{"a tab indenting a key after a plain value", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: 1\n\tb: 2\n", "7", "invalid YAML: found a tab character that violates indentation"},
		{"a line of a block scalar indented less than the first", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  b: |\n    x\n   y\n  c: 1\n", "8", "invalid YAML: did not find expected key"},
		{"an unclosed quote", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: \"1\n  b: 2\n", "6", "invalid YAML: found unexpected end of stream"},
		{"an unknown escape on the second line of a quoted string", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: \"one\n    two \\q\"\n", "7", "invalid YAML: found unknown escape character"},
		{"a syntax error lines below a line separator", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"a\u2028b\"\n  x: 1\n  y: {a}.1\n", "6", "invalid YAML: did not find expected key"},
		{"syntax error with CR line ends", "apiVersion: v1\rkind: ConfigMap\rmetadata:\r\tname: x\r", "4", "invalid YAML"},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := linttest.LintFiles(t, map[string]string{"x.yaml": c.src}, everyObject)
			if len(res.Problems) != 1 {
				t.Fatalf("problems %v, want one", res.Problems)
			}
			p := res.Problems[0]
			if got := strings.TrimPrefix(p.Pos.String(), "x.yaml:"); got != c.at || !strings.Contains(p.Message, c.want) {
				t.Errorf("got %s %q, want %s with %q", got, p.Message, c.at, c.want)
			}
		})
	}
}

// TestIgnoreComments: ignore comments are read whatever the line ends and the encoding, and the
// source line under a finding is the line of the file, as a report shows it.
func TestIgnoreComments(t *testing.T) {
	src := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    # ekslint:ignore at-field -- fine here\n    mark: x\n"
	for name, src := range map[string]string{
		"LF":        src,
		"CR alone":  strings.ReplaceAll(src, "\n", "\r"),
		"UTF-16 LE": utf16Text(binary.LittleEndian, src),
		"UTF-16 BE": utf16Text(binary.BigEndian, strings.ReplaceAll(src, "\n", "\r\n")),
	} {
		for _, stdin := range []bool{false, true} {
			var res *linter.Result
			if stdin {
				res = linttest.LintString(t, src, linttest.Only(atField))
			} else {
				res = linttest.LintFiles(t, map[string]string{"x.yaml": src}, linttest.Only(atField))
			}
			if len(res.Problems) > 0 || len(res.Findings) != 1 || res.Findings[0].Suppression == nil || res.Findings[0].Pos.Line != 7 {
				t.Errorf("%s (stdin %v): problems %v, findings %v: want one suppressed finding at line 7", name, stdin, res.Problems, res.Findings)
				continue
			}
			if line := string(res.Sources.Line(res.Findings[0].Pos.File, 7)); line != "    mark: x" {
				t.Errorf("%s (stdin %v): source line 7 is %q", name, stdin, line)
			}
		}
	}
}

// utf16Text encodes s as UTF-16 with a byte order mark, as Windows PowerShell writes files.
func utf16Text(order binary.ByteOrder, s string) string {
	units := utf16.Encode([]rune("\ufeff" + s))
	b := make([]byte, 2*len(units))
	for i, u := range units {
		order.PutUint16(b[2*i:], u)
	}
	return string(b)
}
