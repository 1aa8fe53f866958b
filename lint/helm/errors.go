package helm

import (
	"bytes"
	"fmt"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/ekslint/ekslint/lint"
)

var (
	// errorLocation is a "file:line" or "file:line:col" in a text/template or Helm error.
	errorLocation = regexp.MustCompile(`([^\s:()<>"]+):(\d+)(?::(\d+))?`)
	nestedInclude = regexp.MustCompile(`nested reference name: (.*?): unable to execute template`)
	execError     = regexp.MustCompile(`^(?:execution|parse) error at \([^)]*\): (?s)(.*)$`)
	// noTemplate is text/template's error for an include or template of a name no define has;
	// "gotpl" is the name Helm's engine gives its template set.
	noTemplate = regexp.MustCompile(`no template "((?:[^"\\]|\\.)*)" associated with template "gotpl"`)
)

// renderError turns an error of Helm's engine into one clear problem: at the innermost template
// line the error names (in the file a person edits, columns corrected for the markers), else at
// the chart (Chart.yaml's first line), with the innermost message instead of text/template's
// chain of "error calling include" wrappers.
func (r *rendering) renderError(err error) error {
	msg := err.Error()
	pos := lint.Pos{File: r.ci.in.Path}
	if f := r.ci.src.chartYAML; f != nil {
		pos = lint.Pos{File: f.text.Name, Line: 1}
	}
	for _, m := range errorLocation.FindAllStringSubmatch(msg, -1) {
		t := r.templates[m[1]]
		if t == nil {
			continue
		}
		line, _ := strconv.Atoi(m[2])
		col := -1
		if m[3] != "" {
			col, _ = strconv.Atoi(m[3])
		}
		pos = sourcePos(t.file, line, col)
	}
	// A `fail` message may run over several lines (a licence notice); output formats show one.
	out := lineBreaks.ReplaceAllString(strings.TrimSpace(renderMessage(msg)), " ")
	defaultsFailed := len(r.user.vals) == 0 && strings.HasPrefix(out, "rendering failed: ") && !noTemplate.MatchString(msg)
	if valueDemanded.MatchString(msg) || defaultsFailed {
		out += r.valuesHint()
	}
	return &errChart{pos, out}
}

// lineBreaks are the line breaks of a message, with the spaces around them.
var lineBreaks = regexp.MustCompile(`\s*\n\s*`)

// valueDemanded finds a render that failed because a template asked for a value: `required`, or
// `fail` (which charts call when a value is missing or wrong); Helm words only their errors so.
// Any other error of executing a chart's templates with its defaults alone (a function given the
// empty value a default leaves, as Temporal's `hasKey` of `datastores.default`) gets the hint too.
var valueDemanded = regexp.MustCompile(`^execution error at \(`)

// valuesHint says how to give a chart the values its templates or schema demand: a chart that
// cannot render with its defaults alone often keeps values for chart-testing in ci/, one of which
// is named, unless it is given already.
func (r *rendering) valuesHint() string {
	hint := " (lint the chart with the values it needs: --set, --values, or value sets in .ekslint.yaml"
	ci := path.Join(r.ci.src.display, "ci") + "/" // the chart's own, not a subchart's
	for _, f := range r.ci.files {
		if strings.HasPrefix(f.text.Name, ci) && path.Ext(f.name) == ".yaml" && !r.user.gives(f.text.Name) {
			hint += "; its ci/ folder holds values files for chart-testing, e.g. --values " + f.text.Name
			break
		}
	}
	return hint + ")"
}

// sourcePos maps a line and 0-based byte column in the rendered (rewritten) template back to the
// template as written; col < 0 means none is known.
func sourcePos(f *file, line, col int) lint.Pos {
	at := lint.Pos{File: f.text.Name, Line: line}
	if line < 1 || line > f.text.Lines() {
		at.Line = 0
		return at
	}
	if col < 0 {
		at.Column = firstContent(f.text.Line(line))
		return at
	}
	data := f.text.Data
	var edits []edit
	if f.mark != nil {
		data, edits = f.mark.data, f.mark.edits
	}
	start := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(data[start:], '\n')
		if i < 0 {
			return at
		}
		start += i + 1
	}
	off := originalOffset(edits, min(start+col, len(data)))
	at.Line, at.Column = f.text.LineAt(off), f.text.ColumnAt(off)
	return at
}

// guardMessage finds the message of a limit in an error chain.
var guardMessage = regexp.MustCompile(errLimit.Error() + `: [^\n]*`)

// renderMessage picks the message a person needs out of an engine error.
func renderMessage(msg string) string {
	if m := guardMessage.FindString(msg); m != "" {
		return m
	}
	if m := nestedInclude.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("include %q calls itself more than 1000 times in a row (Helm's limit); the recursion never ends", m[1])
	}
	if m := noTemplate.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf(`rendering failed: no define named "%s" in the chart or its dependencies`, m[1])
	}
	if strings.Contains(msg, "exceeded maximum template depth") {
		return "template calls nest more than 100000 deep; a define calls itself without end"
	}
	if m := execError.FindStringSubmatch(msg); m != nil {
		if strings.HasPrefix(msg, "parse") {
			return "template does not parse: " + m[1]
		}
		return "rendering failed: " + strings.TrimSpace(m[1])
	}
	// text/template's chain ("template: a.yaml:3:4: executing ... error calling include:
	// template: _helpers.tpl:...: ... : <message>") or Helm's multi-line form of it: the
	// innermost message comes last.
	lines := strings.Split(strings.TrimSpace(msg), "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	if i := strings.LastIndex(last, ">: "); i >= 0 {
		last = last[i+3:]
	}
	if i := strings.LastIndex(last, "error calling "); i >= 0 {
		if j := strings.Index(last[i:], ": "); j >= 0 {
			last = last[i+j+2:]
		}
	}
	return "rendering failed: " + last
}
