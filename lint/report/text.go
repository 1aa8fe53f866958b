// Package report writes a run's findings and input problems as text, JSON, SARIF or GitHub
// annotations. Every format reads the same engine.Result.
package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/engine"
)

// Run is what a report describes.
type Run struct {
	Result *engine.Result
	// Rules are the rules that ran.
	Rules []*lint.Rule
	// Version is ekslint's version.
	Version string
	// WorkDir is the absolute directory the findings' paths are relative to (the working directory
	// of the run); "" leaves them as they are.
	WorkDir string
	// SourceRoot is the absolute directory SARIF URIs and GitHub annotations name files relative
	// to: the repository root (GITHUB_WORKSPACE in GitHub Actions); "" means WorkDir.
	SourceRoot string
}

// TextOptions control the text format. Source and Color are independent: a CI log wants the
// source lines without colour codes, a pipe neither.
type TextOptions struct {
	// Source shows the source line and a caret under each finding, like a compiler.
	Source bool
	// Color adds ANSI colours; only for terminals.
	Color bool
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiGray   = "\x1b[90m"
)

// Text writes one line per finding and input problem, `file:line:col: level rule-id: message`,
// in file and line order, then a one-line summary. Suppressed and baselined findings are left
// out of the listing and counted in the summary.
func Text(w io.Writer, run *Run, opts TextOptions) error {
	bw := bufio.NewWriter(w)
	paint := func(code, s string) string {
		if !opts.Color {
			return s
		}
		return code + s + ansiReset
	}
	levelColor := map[lint.Level]string{lint.Error: ansiRed, lint.Warning: ansiYellow, lint.Note: ansiCyan}
	res := run.Result
	// Findings and problems interleave in position order, as a compiler prints them.
	problems := res.Problems
	flushProblems := func(before *lint.Pos) {
		for len(problems) > 0 && (before == nil || problems[0].Pos.Compare(*before) < 0) {
			p := problems[0]
			problems = problems[1:]
			where := p.Pos.String()
			if where == "" {
				where = "ekslint" // a problem of the run itself (stale version data), not of a file
			}
			fmt.Fprintf(bw, "%s: %s %s\n", paint(ansiBold, leading(where)), paint(levelColor[p.Level], p.Level.String()+":"), printable(firstLine(p.Message)))
			if opts.Source {
				writeSource(bw, res.Sources, p.Pos, paint)
			}
		}
	}
	for i := range res.Findings {
		f := &res.Findings[i]
		if !f.Counted() {
			continue
		}
		flushProblems(&f.Pos)
		msg := f.Message
		if vs := f.NamedVariants(); vs != nil {
			msg += " [" + strings.Join(vs, ", ") + "]"
		}
		fmt.Fprintf(bw, "%s: %s %s %s\n", paint(ansiBold, leading(f.Pos.String())), paint(levelColor[f.Level], f.Level.String()),
			paint(ansiGray, f.Rule.ID+":"), printable(msg))
		if opts.Source {
			writeSource(bw, res.Sources, f.Pos, paint)
		}
	}
	flushProblems(nil)
	fmt.Fprintln(bw, Summary(res))
	return bw.Flush()
}

// firstLine keeps a message to its first line: internal errors carry a stack trace for JSON and
// SARIF, which would drown a terminal.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// writeSource prints the line under a position with a caret and tildes under the key or value
// the position starts at, in display columns (tabs expanded, wide characters counted twice):
//
//	19 |       - name: web
//	   |         ^~~~
func writeSource(w io.Writer, srcs *engine.Sources, p lint.Pos, paint func(code, s string) string) {
	t := srcs.Get(p.File)
	if t == nil || p.Column == 0 {
		return
	}
	line, p := sourceWindow(t, p)
	if line == nil || !utf8.Valid(line) {
		return
	}
	runes := []rune(string(line))
	if p.Column > len(runes)+1 {
		return
	}
	first := p.Column - 1
	last := first + underlined(runes[first:], p)
	text, starts := displayColumns(string(runes))
	num := fmt.Sprint(p.Line)
	from, to := starts[first], starts[max(last, first+1)]
	marker := "^" + strings.Repeat("~", max(0, to-from-1))
	fmt.Fprintf(w, "%s %s %s\n", paint(ansiGray, num), paint(ansiGray, "|"), printable(text))
	fmt.Fprintf(w, "%s %s %s%s\n", strings.Repeat(" ", len(num)), paint(ansiGray, "|"), strings.Repeat(" ", from), paint(ansiGray, marker))
}

// A line of minified JSON may be megabytes long and hold thousands of findings: shown whole under
// each, it made gigabytes of output. A line longer than maxSourceBytes shows maxSourceWidth
// characters from sourceContext before the position, with "…" where it is cut.
const (
	maxSourceBytes = 640
	maxSourceWidth = 160
	sourceContext  = 40
)

// sourceWindow returns the part of p's line the source shows, and p with its columns in that part.
func sourceWindow(t *lint.Text, p lint.Pos) ([]byte, lint.Pos) {
	line := t.Line(p.Line)
	if len(line) <= maxSourceBytes {
		return line, p
	}
	from := max(1, p.Column-sourceContext)
	start, end := t.ByteOffset(p.Line, from), t.ByteOffset(p.Line, from+maxSourceWidth)
	var b []byte
	shift := from - 1
	if start > 0 {
		b = append(b, "…"...)
		shift--
	}
	b = append(b, line[start:end]...)
	if end < len(line) {
		b = append(b, "…"...)
	}
	p.Column -= shift
	if p.EndLine == p.Line {
		p.EndColumn -= shift
	}
	return b, p
}

// underlined is how many runes of rest (the line from the position's column) the caret line
// covers: the range when it ends on this line, else the token it starts with (a key up to its
// colon, a scalar up to a comment), never the comment after it.
func underlined(rest []rune, p lint.Pos) int {
	n := len(rest)
	if p.EndLine == p.Line && p.EndColumn > p.Column {
		n = min(n, p.EndColumn-p.Column)
	} else if i := keyEnd(rest); i > 0 {
		n = i
	}
	if i := commentStart(rest[:n]); i >= 0 {
		n = i
	}
	for n > 1 && (rest[n-1] == ' ' || rest[n-1] == '\t') {
		n--
	}
	return max(n, 1)
}

// keyEnd is where a mapping key written at the start of rest ends (its colon), or 0.
func keyEnd(rest []rune) int {
	for i, r := range rest {
		switch {
		case r == '#' && i > 0 && (rest[i-1] == ' ' || rest[i-1] == '\t'):
			return 0
		case r == ':' && (i+1 == len(rest) || rest[i+1] == ' ' || rest[i+1] == '\t'):
			return i
		}
	}
	return 0
}

// commentStart is where a YAML comment begins in s (a # after a space), or -1.
func commentStart(s []rune) int {
	for i := 1; i < len(s); i++ {
		if s[i] == '#' && (s[i-1] == ' ' || s[i-1] == '\t') {
			return i
		}
	}
	return -1
}

// Summary is the last line of the text report, e.g.
// "3 errors, 12 warnings, 0 notes in 42 objects; 1 input error; 2 suppressed".
func Summary(res *engine.Result) string {
	c := res.Count()
	s := fmt.Sprintf("%s, %s, %s in %s", plural(c.Errors, "error"), plural(c.Warnings, "warning"), plural(c.Notes, "note"),
		plural(res.Objects, "object"))
	for _, in := range []struct {
		n     int
		level lint.Level
	}{{c.InputErrors, lint.Error}, {c.InputWarnings, lint.Warning}, {c.InputNotes, lint.Note}} {
		if in.n > 0 {
			s += "; " + plural(in.n, "input "+in.level.String())
		}
	}
	if c.Suppressed > 0 {
		s += fmt.Sprintf("; %d suppressed", c.Suppressed)
	}
	if c.Baselined > 0 {
		s += fmt.Sprintf("; %d in baseline", c.Baselined)
	}
	if n := len(res.Skipped); n > 0 {
		s += fmt.Sprintf("; %d skipped (not manifests; --verbose lists them)", n)
	}
	return s
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
