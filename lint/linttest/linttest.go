// Package linttest holds what ekslint's tests share: running the whole pipeline over fixture
// folders whose expectations are written inside the fixtures (the way
// golang.org/x/tools/go/analysis/analysistest reads `// want` comments), over files written for a
// test, or over a YAML string, and the -update flag of golden files.
//
// A finding must land on a line carrying `# want: rule-id`. Several findings on one line are
// listed in turn (`# want: rule-a rule-b`). By default the finding's column must be where the
// line's content starts (after indentation and any `- `); `rule-id@12` asks for column 12 instead.
// A quoted regular expression after an id must match the message: `# want: rule-id "replicas: 3"`.
// JSON cannot hold comments, so x.json's expectations go in x.json.want, one `line: want...` per
// line. Every finding without a want, and every want without a finding, fails the test; so does
// any input error.
package linttest

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/filter"
	"github.com/ekslint/ekslint/lint/fsroot"
	"github.com/ekslint/ekslint/lint/linter"
	"github.com/ekslint/ekslint/lint/load"
)

// want is one expected finding.
type want struct {
	file   string
	line   int
	rule   string
	column int // 0: where the line's content starts
	msg    *regexp.Regexp
	text   string // the line, for the default column
}

// Update is the -update flag of every test package that imports linttest: golden files and
// generated docs are rewritten from what the code produces instead of compared with it.
var Update = flag.Bool("update", false, "rewrite golden files and generated docs from what the code produces")

// Run lints dir as `ekslint lint dir --root dir` does, with req's rules and settings, and compares
// the findings with the wants written in dir's files. It returns the result for further checks.
func Run(t *testing.T, dir string, req linter.Request) *linter.Result {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	req.Paths, req.Root, req.WorkDir = []string{dir}, dir, wd
	res := Lint(t, req)
	for _, p := range res.Problems {
		if p.Level == lint.Error {
			t.Errorf("%s: input error: %s", p.Pos, p.Message)
		}
	}
	wants, err := readWants(dir, wd)
	if err != nil {
		t.Fatal(err)
	}
	compare(t, res.Findings, wants)
	return res
}

// Lint runs the pipeline and fails the test on a request that cannot run.
func Lint(t testing.TB, req linter.Request) *linter.Result {
	t.Helper()
	res, err := linter.Lint(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// LintFiles writes files (slash-separated names) into a temporary folder and lints it as the
// lint root with req's rules and settings.
func LintFiles(t testing.TB, files map[string]string, req linter.Request) *linter.Result {
	t.Helper()
	dir := WriteFiles(t, files)
	req.Paths, req.Root, req.WorkDir = []string{dir}, dir, dir
	return Lint(t, req)
}

// LintString lints src as standard input with req's rules and settings.
func LintString(t testing.TB, src string, req linter.Request) *linter.Result {
	t.Helper()
	req.Paths, req.Stdin = []string{"-"}, strings.NewReader(src)
	return Lint(t, req)
}

// WriteFiles writes files (slash-separated names) into a new temporary folder and returns it.
func WriteFiles(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Within runs f and fails the test when it has not returned after limit: a hang is the bug the
// hostile-input tests look for, and a test that hangs says nothing about which input did it. It
// is a watchdog, not a timing assertion: limit is far above what the work takes, and far below
// what it took before the fix the test guards.
func Within(t testing.TB, limit time.Duration, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(limit):
		t.Fatalf("%s: still running after %v (a hang, or work that grows faster than the input)", what, limit)
	}
}

// CheckResult fails the test for what no input may cause: an internal error (a panic in a loader
// or a rule, which the engine turns into a problem), and a position in the file name that is not
// in src. A position is in a text when its line is one of the text's and its columns are from 1 to
// just after the line's last character (0 when unknown), and its end is not before its start.
func CheckResult(t testing.TB, name string, src []byte, res *linter.Result) {
	t.Helper()
	text := lint.NewText(name, src)
	check := func(what string, p lint.Pos) {
		if p.File == name {
			CheckPos(t, text, what, p)
		}
	}
	for _, f := range res.Findings {
		check("finding "+f.Rule.ID, f.Pos)
	}
	for _, p := range res.Problems {
		if strings.Contains(p.Message, "internal error") {
			t.Errorf("%s", p)
		}
		check("problem "+p.Message, p.Pos)
	}
	for _, s := range res.Skipped {
		check("skip "+s.Reason, s.Pos)
	}
}

// CheckPos fails the test when p is not a position in text (see CheckResult).
func CheckPos(t testing.TB, text *lint.Text, what string, p lint.Pos) {
	t.Helper()
	if err := posIn(text, p); err != "" {
		t.Errorf("%s at %s:%d:%d-%d:%d: %s", what, p.File, p.Line, p.Column, p.EndLine, p.EndColumn, err)
	}
}

// posIn says what is wrong with position p in text, or "".
func posIn(text *lint.Text, p lint.Pos) string {
	inLine := func(line, col int) string {
		switch {
		case line < 1 || line > text.Lines():
			return fmt.Sprintf("line %d is not in the file's %d lines", line, text.Lines())
		case col < 0 || col > utf8.RuneCount(text.Line(line))+1:
			return fmt.Sprintf("column %d is not in line %d of %d characters", col, line, utf8.RuneCount(text.Line(line)))
		}
		return ""
	}
	if p.Line == 0 {
		return ""
	}
	if err := inLine(p.Line, p.Column); err != "" {
		return err
	}
	if p.EndLine == 0 {
		return ""
	}
	if p.EndLine < p.Line || p.EndLine == p.Line && p.EndColumn < p.Column {
		return "ends before it starts"
	}
	return inLine(p.EndLine, p.EndColumn)
}

// Seeds reads the .yaml, .yml and .json files of at most max bytes under the folders (relative to
// the test's package), for a fuzz target's seed corpus. A folder that does not exist gives
// nothing: the shared corpus beside the repository is not in users' clones.
func Seeds(max int64, folders ...string) [][]byte {
	var seeds [][]byte
	for _, dir := range folders {
		filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
			if err != nil || !e.Type().IsRegular() {
				return nil
			}
			switch strings.ToLower(filepath.Ext(path)) {
			case ".yaml", ".yml", ".json":
			default:
				return nil
			}
			if info, err := e.Info(); err != nil || info.Size() > max {
				return nil
			}
			if data, err := os.ReadFile(path); err == nil {
				seeds = append(seeds, data)
			}
			return nil
		})
	}
	return seeds
}

// Root is the lint root dir, as discovery makes it, for tests that build inputs themselves.
func Root(t testing.TB, dir string) *fsroot.Root {
	t.Helper()
	r, err := fsroot.New(dir, load.DefaultMaxFileSize)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// Only is a request that runs only rules (the filter's unused-ignore included, when named).
func Only(rules ...*lint.Rule) linter.Request {
	req := linter.Request{Rules: rules, Disable: []string{filter.AllRules}}
	for _, r := range rules {
		req.Enable = append(req.Enable, r.ID)
	}
	return req
}

// compare matches findings with wants one to one and reports the difference.
func compare(t *testing.T, findings []engine.Finding, wants []want) {
	t.Helper()
	used := make([]bool, len(wants))
	for _, f := range findings {
		matched := false
		for i, w := range wants {
			if used[i] || w.file != f.Pos.File || w.line != f.Pos.Line || w.rule != f.Rule.ID {
				continue
			}
			used[i], matched = true, true
			if col := w.expectedColumn(); col != f.Pos.Column {
				t.Errorf("%s: %s landed on column %d, want column %d", f.Pos, f.Rule.ID, f.Pos.Column, col)
			}
			if w.msg != nil && !w.msg.MatchString(f.Message) {
				t.Errorf("%s: %s message %q does not match %q", f.Pos, f.Rule.ID, f.Message, w.msg)
			}
			if f.Pos.EndLine < f.Pos.Line || f.Pos.EndLine == f.Pos.Line && f.Pos.EndColumn <= f.Pos.Column {
				t.Errorf("%s: %s has an empty or inverted range (end %d:%d)", f.Pos, f.Rule.ID, f.Pos.EndLine, f.Pos.EndColumn)
			}
			break
		}
		if !matched {
			t.Errorf("%s: unexpected finding %s: %s", f.Pos, f.Rule.ID, f.Message)
		}
	}
	for i, w := range wants {
		if !used[i] {
			t.Errorf("%s:%d: no %s finding here", w.file, w.line, w.rule)
		}
	}
}

func (w want) expectedColumn() int {
	if w.column > 0 {
		return w.column
	}
	i := 0
	for i < len(w.text) {
		switch {
		case w.text[i] == ' ':
			i++
		case w.text[i] == '-' && i+1 < len(w.text) && w.text[i+1] == ' ':
			i += 2
		default:
			return i + 1
		}
	}
	return i + 1
}

var wantRE = regexp.MustCompile(`#\s*want:\s*(.*)$`)

// readWants collects the expectations written in every file under dir.
func readWants(dir, wd string) ([]want, error) {
	var wants []want
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			return err
		}
		display := load.DisplayPath(abs, wd)
		if strings.HasSuffix(path, ".want") {
			ws, err := readWantFile(path, strings.TrimSuffix(display, ".want"))
			wants = append(wants, ws...)
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(data), "\n") {
			line = strings.TrimRight(line, "\r")
			if m := wantRE.FindStringSubmatch(line); m != nil {
				ws, err := parseWants(display, i+1, line, m[1])
				if err != nil {
					return err
				}
				wants = append(wants, ws...)
			}
		}
		return nil
	})
	return wants, err
}

// readWantFile reads x.json.want: lines of `line: want...`. The default column is the first
// non-space character of that line of the JSON file.
func readWantFile(path, target string) ([]want, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src, err := os.ReadFile(strings.TrimSuffix(path, ".want"))
	if err != nil {
		return nil, err
	}
	lines := strings.Split(string(src), "\n")
	var wants []want
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		num, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || strings.TrimSpace(num) == "" {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(num))
		if err != nil || n < 1 || n > len(lines) {
			return nil, fmt.Errorf("%s: bad line %q", path, sc.Text())
		}
		ws, err := parseWants(target, n, lines[n-1], rest)
		if err != nil {
			return nil, err
		}
		wants = append(wants, ws...)
	}
	return wants, sc.Err()
}

var tokenRE = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"|(\S+)`)

func parseWants(file string, line int, text, spec string) ([]want, error) {
	var wants []want
	for _, m := range tokenRE.FindAllStringSubmatch(spec, -1) {
		if m[2] == "" || strings.HasPrefix(m[0], `"`) {
			if len(wants) == 0 {
				return nil, fmt.Errorf("%s:%d: message pattern before any rule id", file, line)
			}
			re, err := regexp.Compile(m[1])
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %v", file, line, err)
			}
			wants[len(wants)-1].msg = re
			continue
		}
		id, col, hasCol := strings.Cut(strings.TrimSuffix(m[2], ","), "@")
		w := want{file: file, line: line, rule: id, text: text}
		if hasCol {
			c, err := strconv.Atoi(col)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: bad column in %q", file, line, m[2])
			}
			w.column = c
		}
		wants = append(wants, w)
	}
	if len(wants) == 0 {
		return nil, fmt.Errorf("%s:%d: `# want:` names no rule", file, line)
	}
	return wants, nil
}

// Rule returns the rule with the given id from rules, or fails the test.
func Rule(t *testing.T, rules []*lint.Rule, id string) *lint.Rule {
	t.Helper()
	i := slices.IndexFunc(rules, func(r *lint.Rule) bool { return r.ID == id })
	if i < 0 {
		t.Fatalf("no rule %q", id)
	}
	return rules[i]
}
