package load_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ekslint/ekslint/lint/linttest"
)

// marked is a ConfigMap named name whose metadata.labels.mark (where atField reports) is on its
// fifth line, column 12.
func marked(name string) string {
	return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n  labels: {mark: x}\n"
}

// brokenSecret has a syntax error on its fourth line: `@` cannot start a plain value.
const brokenSecret = "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {code: @code}\n"

// TestSyntaxErrorKeepsLaterDocuments: a syntax error is reported once, at its line, and the
// documents after the next document marker are linted at the lines the file has.
func TestSyntaxErrorKeepsLaterDocuments(t *testing.T) {
	for _, c := range []struct {
		name, src string
		problems  []string // line: message start
		findings  []string // line:column
	}{
		{"a broken document between two good ones",
			marked("a") + "---\n" + brokenSecret + "---\n" + marked("b"),
			[]string{"10: invalid YAML: found character that cannot start any token"}, []string{"5:12", "16:12"}},
		{"errors in consecutive documents",
			brokenSecret + "---\n" + brokenSecret + "---\n" + "kind: Pod\napiVersion: v1\nmetadata: {name: a, labels: {mark: x\n---\n" + marked("b"),
			[]string{"4: invalid YAML: found character", "9: invalid YAML: found character", "13: invalid YAML: did not find expected ',' or '}'"}, []string{"19:12"}},
		{"an error in the last document",
			marked("a") + "---\n" + brokenSecret,
			[]string{"10: invalid YAML: found character"}, []string{"5:12"}},
		{"CR LF",
			strings.ReplaceAll(brokenSecret+"---\n"+marked("b"), "\n", "\r\n"),
			[]string{"4: invalid YAML: found character"}, []string{"10:12"}},
		{"a line separator before the error and after it",
			"apiVersion: v1\nkind: Secret\nmetadata: {name: \"s\u2028t\"}\ndata: {code: @code}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"b\u2028c\"\n  labels: {mark: x}\n",
			[]string{"4: invalid YAML: found character"}, []string{"10:12"}},
		{"resumed at a document end marker and a directive",
			brokenSecret + "...\n%YAML 1.1\n---\n" + marked("b"),
			[]string{"4: invalid YAML: found character"}, []string{"12:12"}},
		// In an indented block scalar, `---` is text: the error is after it, and the parser resumes
		// at the marker after the error, not at the indented one.
		{"an indented --- in a block scalar is not a marker",
			"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  doc: |\n    ---\n    labels: {mark: x}\n  bad: {code: @code}\n---\n" + marked("b"),
			[]string{"8: invalid YAML: found character"}, []string{"14:12"}},
		// kubectl drops a byte order mark that begins a document's first line, after its marker:
		// the stream lints as it would without them.
		{"byte order marks after markers",
			"\ufeff" + marked("a") + "---\n\ufeff" + brokenSecret + "--- # next\n\ufeff" + marked("b"),
			[]string{"10: invalid YAML: found character"}, []string{"5:12", "16:12"}},
		// The parser names the line where the string cut short by the marker starts.
		{"an unterminated string ended by a marker",
			"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \"a}\n---\n" + marked("b"),
			[]string{"3: invalid YAML: found unexpected document indicator"}, []string{"9:12"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := linttest.LintFiles(t, map[string]string{"x.yaml": c.src}, linttest.Only(atField))
			var problems, findings []string
			for _, p := range res.Problems {
				problems = append(problems, fmt.Sprintf("%s:%d:%d: %s", p.Pos.File, p.Pos.Line, p.Pos.Column, p.Message))
			}
			for _, f := range res.Findings {
				findings = append(findings, fmt.Sprintf("%d:%d", f.Pos.Line, f.Pos.Column))
			}
			if len(problems) != len(c.problems) {
				t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(problems, "\n"), strings.Join(c.problems, "\n"))
			}
			for i, want := range c.problems {
				if !strings.HasPrefix(problems[i], "x.yaml:"+strings.Replace(want, ":", ":0:", 1)) {
					t.Errorf("problem %d: %s, want x.yaml:%s", i, problems[i], want)
				}
			}
			if strings.Join(findings, " ") != strings.Join(c.findings, " ") {
				t.Errorf("findings at %v, want %v", findings, c.findings)
			}
		})
	}
}

// TestYAML12Directive: a document declaring YAML 1.2, which yaml.v3 refuses (it reads only 1.1
// directives) as kubectl, Helm and kustomize do, is linted as it reads, with a warning at the
// directive; in a file that is not a manifest, the directive is skipped with the rest.
func TestYAML12Directive(t *testing.T) {
	src := "%YAML 1.2\n---\n" + marked("a") + "...\n%YAML  1.2 # again\n%TAG !e! tag:example.com,2000:\n---\n" + marked("b")
	res := linttest.LintFiles(t, map[string]string{"x.yaml": src, "openapi.yaml": "%YAML 1.2\n---\nopenapi: 3.1.0\ninfo: {title: t}\n"}, linttest.Only(atField))
	var problems, findings []string
	for _, p := range res.Problems {
		problems = append(problems, fmt.Sprintf("%s %s", p.Pos, p.Level))
	}
	for _, f := range res.Findings {
		findings = append(findings, fmt.Sprintf("%d:%d", f.Pos.Line, f.Pos.Column))
	}
	if strings.Join(problems, " ") != "x.yaml:1:1 warning x.yaml:9:1 warning" || strings.Join(findings, " ") != "7:12 16:12" {
		t.Errorf("problems %v, findings at %v: want warnings at both directives and findings at [7:12 16:12]", problems, findings)
	}
	if len(res.Skipped) != 1 || res.Skipped[0].Pos.File != "openapi.yaml" {
		t.Errorf("skipped %v, want openapi.yaml once", res.Skipped)
	}
}

// TestManyBrokenDocuments: a stream of broken documents costs one scan, not one per document,
// and every error is reported once.
func TestManyBrokenDocuments(t *testing.T) {
	const n = 100_000
	src := strings.Repeat("kind: Pod\napiVersion: v1\nx: %\n---\n", n)
	var problems int
	linttest.Within(t, 20*time.Second, "linting 100,000 broken documents", func() {
		res := linttest.LintFiles(t, map[string]string{"x.yaml": src}, linttest.Only(atField))
		problems = len(res.Problems)
		for i, p := range res.Problems {
			if p.Pos.Line != 3+4*i {
				t.Fatalf("problem %d at line %d, want %d", i, p.Pos.Line, 3+4*i)
			}
		}
	})
	if problems != n {
		t.Errorf("%d problems, want %d", problems, n)
	}
}
