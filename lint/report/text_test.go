package report

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/engine"
)

// TestSourceExcerpt checks the caret line: under the key or value a finding is about, not the
// comment after it; in display columns, with tabs expanded and wide characters counted twice.
func TestSourceExcerpt(t *testing.T) {
	src := "spec:\n" +
		"  hostNetwork: true   # node agent\n" +
		"  template:\n" +
		"\tname: web\n" +
		"  名前: \"ウェブ\" # comment\n" +
		"  image: \"x\x1b[31mred\"\n"
	for _, c := range []struct {
		name string
		pos  lint.Pos
		want string
	}{
		{"range on one line, comment after", lint.Pos{Line: 2, Column: 3, EndLine: 2, EndColumn: 20},
			"2 |   hostNetwork: true   # node agent\n  |   ^~~~~~~~~~~~~~~~~\n"},
		{"range over lines: the key", lint.Pos{Line: 3, Column: 3, EndLine: 5, EndColumn: 1},
			"3 |   template:\n  |   ^~~~~~~~\n"},
		{"tab before the column", lint.Pos{Line: 4, Column: 2, EndLine: 4, EndColumn: 6},
			"4 |         name: web\n  |         ^~~~\n"},
		{"wide characters", lint.Pos{Line: 5, Column: 7, EndLine: 5, EndColumn: 12},
			"5 |   名前: \"ウェブ\" # comment\n  |         ^~~~~~~~\n"},
		{"escape sequences are shown, not obeyed", lint.Pos{Line: 6, Column: 3, EndLine: 6, EndColumn: 8},
			"6 |   image: \"x\\x1b[31mred\"\n  |   ^~~~~\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			srcs := &engine.Sources{}
			srcs.Add(lint.NewText("a.yaml", []byte(src)))
			c.pos.File = "a.yaml"
			var b strings.Builder
			writeSource(&b, srcs, c.pos, func(_, s string) string { return s })
			if b.String() != c.want {
				t.Errorf("got\n%s\nwant\n%s", b.String(), c.want)
			}
		})
	}
}

// TestSourceExcerptOfALongLine: a line of minified JSON is shown as a window of it around the
// column, cut with "…", the caret under the field.
func TestSourceExcerptOfALongLine(t *testing.T) {
	long := `{"items": [` + strings.Repeat(`{"a": 1}, `, 100) + `{"é": "x", "privileged": true}, ` + strings.Repeat(`{"b": 2}, `, 100) + "]}"
	column := utf8.RuneCountInString(long[:strings.Index(long, `"privileged"`)]) + 1
	srcs := &engine.Sources{}
	srcs.Add(lint.NewText("a.json", []byte(long+"\n")))
	var b strings.Builder
	writeSource(&b, srcs, lint.Pos{File: "a.json", Line: 1, Column: column, EndLine: 1, EndColumn: column + 12}, func(_, s string) string { return s })
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "1 | …") || !strings.HasSuffix(lines[0], "…") || utf8.RuneCountInString(lines[0]) > 4+1+maxSourceWidth+1 {
		t.Fatalf("got\n%s", b.String())
	}
	caret := strings.Index(lines[1], "^")
	shown := []rune(lines[0])
	if caret < 0 || string(shown[caret:caret+12]) != `"privileged"` || !strings.HasSuffix(lines[1], "^"+strings.Repeat("~", 11)) {
		t.Errorf("the caret is not under the field:\n%s", b.String())
	}
}

// TestTextEscapes: a file name or message from the repository cannot write terminal sequences
// or forge lines.
func TestTextEscapes(t *testing.T) {
	r := &lint.Rule{ID: "test-rule", Level: lint.Error}
	res := &engine.Result{Sources: &engine.Sources{}, Findings: []engine.Finding{{Rule: r, Level: lint.Error,
		Message: "container \"\x1b]0;pwned\x07\" is bad\nforged.yaml:1:1: error x: y",
		Place:   lint.Place{Pos: lint.Pos{File: "dir\x1b[2J/a\u202e.yaml", Line: 1, Column: 1}}}}}
	var b strings.Builder
	if err := Text(&b, &Run{Result: res}, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	if strings.ContainsAny(got, "\x1b\x07\u202e") || strings.Count(got, "\n") != 2 {
		t.Errorf("unescaped output: %q", got)
	}
	if !strings.Contains(got, `dir\x1b[2J/a\u202e.yaml:1:1: error test-rule: container "\x1b]0;pwned\x07" is bad\x0aforged.yaml`) {
		t.Errorf("got %q", got)
	}
}

// TestTextNoWorkflowCommands: a line of text output never starts with `::`, which GitHub Actions
// reads as a workflow command, whatever a file is named.
func TestTextNoWorkflowCommands(t *testing.T) {
	r := &lint.Rule{ID: "test-rule", Level: lint.Error}
	res := &engine.Result{Sources: &engine.Sources{}, Findings: []engine.Finding{{Rule: r, Level: lint.Error, Message: "m",
		Place: lint.Place{Pos: lint.Pos{File: "::stop-commands::x.yaml", Line: 1, Column: 1}}}},
		Problems: []lint.Problem{{Pos: lint.Pos{File: "::error::y.yaml", Line: 2}, Level: lint.Error, Message: "p"}}}
	var b strings.Builder
	if err := Text(&b, &Run{Result: res}, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(b.String()) {
		if strings.HasPrefix(line, "::") {
			t.Errorf("a line starts with a workflow command: %q", line)
		}
	}
	if !strings.Contains(b.String(), "./::stop-commands::x.yaml:1:1: error test-rule: m") {
		t.Errorf("got %q", b.String())
	}
}

// TestAnnotationEscapes: a file name with control characters is named in the message, escaped,
// and gets no file property that would carry them into the log.
func TestAnnotationEscapes(t *testing.T) {
	r := &lint.Rule{ID: "test-rule", Level: lint.Error}
	res := &engine.Result{Sources: &engine.Sources{}, Findings: []engine.Finding{{Rule: r, Level: lint.Error,
		Message: "bad \x1b[8m", Place: lint.Place{Pos: lint.Pos{File: "a\x1b[8m.yaml", Line: 3, Column: 1}}}}}
	var b strings.Builder
	if err := GitHubAnnotations(&b, &Run{Result: res, WorkDir: "/repo"}); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	if strings.Contains(got, "\x1b") || strings.Contains(got, "file=") || !strings.Contains(got, `::a\x1b[8m.yaml:3:1: bad \x1b[8m`) {
		t.Errorf("got %q", got)
	}
}
