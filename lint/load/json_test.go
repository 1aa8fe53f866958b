package load_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/linter"
	"github.com/ekslint/ekslint/lint/linttest"
)

// jsonStream is four objects as kubectl reads them, one after the other without document markers:
// on a line of their own, pretty-printed, and two on one line, the second after a non-ASCII
// character. Three have the field atField reports.
const jsonStream = `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "labels": {"mark": "x"}}}
{
  "apiVersion": "v1",
  "kind": "ConfigMap",
  "metadata": {
    "name": "b",
    "labels": {"mark": "x"}
  }
}
  {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "café"}} {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"labels": {"mark": "x"}, "name": "d"}}
`

// posOf is the line:column (in characters) of each occurrence of s in src.
func posOf(src, s string) []string {
	var out []string
	for line, text := range strings.Split(src, "\n") {
		for off := 0; strings.Contains(text[off:], s); {
			i := off + strings.Index(text[off:], s)
			out = append(out, fmt.Sprintf("%d:%d", line+1, utf8.RuneCountInString(text[:i])+1))
			off = i + len(s)
		}
	}
	return out
}

// TestJSONStream: a stream of JSON objects is one document per object, from a file and from
// standard input, and every field is at its line and column in the file.
func TestJSONStream(t *testing.T) {
	want := posOf(jsonStream, `"mark"`)
	for name, res := range map[string]*linter.Result{
		"file":  linttest.LintFiles(t, map[string]string{"list.json": jsonStream}, linttest.Only(atField)),
		"stdin": linttest.LintString(t, jsonStream, linttest.Only(atField)),
	} {
		var got []string
		for _, f := range res.Findings {
			got = append(got, fmt.Sprintf("%d:%d", f.Pos.Line, f.Pos.Column))
		}
		if len(res.Problems) != 0 || res.Objects != 4 || strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s: problems %v, %d objects, findings at %v: want 4 objects, findings at %v", name, res.Problems, res.Objects, got, want)
		}
	}
}

// TestBrokenJSON: JSON that is not JSON is one error, at the byte that breaks it (the YAML
// parser fails only at the start of the next value); the objects before it are linted. Another
// tool's broken JSON is skipped, and flow YAML that starts like JSON is still read as YAML.
func TestBrokenJSON(t *testing.T) {
	const cm = `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}` + "\n"
	for _, c := range []struct {
		name, src string
		objects   int
		skipped   int
		want      string // the problem, as file:line[:column]: message; "" for none
	}{
		{"trailing comma", cm + "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"ConfigMap\",\n}\n" + cm, 1, 0,
			"x.json:5:1: invalid JSON: invalid character '}' looking for beginning of object key string"},
		{"missing comma", "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"ConfigMap\"\n  \"metadata\": {\"name\": \"a\"}\n}\n", 0, 0,
			"x.json:4:3: invalid JSON: invalid character '\"' after object key:value pair"},
		{"cut short", cm + cm + "{\"apiVersion\": \"v1\",\n  \"kind\": \"ConfigMap\",\n  \"metadata\": {\"name\": \"c\"}\n", 2, 0,
			"x.json:5: invalid JSON: the input ends inside the value that starts at line 3"},
		{"not a manifest", `{"name": "a", "kind": "x"}` + "\n" + `{"name": "b",, "kind": "y"}` + "\n", 0, 2, ""},
		{"keys spelt in escapes", `{"\u0061piVersion": "v1", "\u006bind": "ConfigMap", "metadata": {"name": "a"}}` + "\n", 1, 0, ""},
		{"no manifest key", `{"name": "a"}` + "\n" + `{"name": "b",, "tags": []}` + "\n", 0, 1, ""},
		{"flow YAML after JSON", cm + `{"apiVersion": v1, kind: ConfigMap, metadata: {name: b}}` + "\n", 2, 0, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			req := everyObject // the file named alone, as pre-commit names it
			req.Root = linttest.WriteFiles(t, map[string]string{"x.json": c.src})
			req.WorkDir, req.Paths = req.Root, []string{"x.json"}
			res := linttest.Lint(t, req)
			var got []string
			for _, p := range res.Problems {
				if p.Level == lint.Error {
					got = append(got, p.String())
				}
			}
			if strings.Join(got, "\n") != c.want || res.Objects != c.objects || len(res.Skipped) != c.skipped {
				t.Errorf("problems %q, %d objects, skipped %v; want %q, %d objects, %d skipped", got, res.Objects, res.Skipped, c.want, c.objects, c.skipped)
			}
		})
	}
}

// TestJSONValuesOnOneLine: values one after another on one line are parsed after the line's
// characters before each, so their cost grows with the square of the line: past a bound the rest
// of the line is refused, with the values before it linted.
func TestJSONValuesOnOneLine(t *testing.T) {
	var line strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&line, `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c%d"}}`, i)
	}
	res := linttest.LintFiles(t, map[string]string{"c.json": line.String() + "\n"}, everyObject)
	if res.Objects == 0 || res.Objects >= 3000 || len(res.Problems) != 1 || res.Problems[0].Pos.String() != "c.json:1" ||
		!strings.Contains(res.Problems[0].Message, "more JSON values, one after another, than ekslint reads on one line") {
		t.Errorf("%d objects, problems %v: want some linted, then the line refused", res.Objects, res.Problems)
	}
}

// TestSurrogateEscapes: a character beyond the Basic Multilingual Plane escaped as JSON escapes it
// (a surrogate pair, as Python's json.dumps writes it), which the YAML parser refuses, is read.
func TestSurrogateEscapes(t *testing.T) {
	res := linttest.LintFiles(t, map[string]string{
		"c.json": "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"ConfigMap\",\n  \"metadata\": {\"name\": \"c\", \"annotations\": {\"a\": \"hi \\ud83d\\ude00\"}}\n}\n",
	}, everyObject)
	if res.Objects != 1 || len(res.Problems) > 0 {
		t.Errorf("%d objects, problems %v: want the ConfigMap read", res.Objects, res.Problems)
	}
}

// TestEscapedSlashes: JSON's `\/`, which PHP's json_encode writes for every slash and the YAML
// parser refuses, reads as a slash; an escaped backslash before a slash stays a backslash.
func TestEscapedSlashes(t *testing.T) {
	res := linttest.LintFiles(t, map[string]string{
		"c.json": `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}, "data": {"cidr": "0.0.0.0\/0", "path": "C:\\/x"}}` + "\n",
	}, everyObject)
	if res.Objects != 1 || len(res.Problems) > 0 {
		t.Fatalf("%d objects, problems %v: want the ConfigMap read", res.Objects, res.Problems)
	}
}
