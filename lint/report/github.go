package report

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/sethvargo/go-githubactions"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/engine"
)

// GitHub shows this many annotations of each type (error, warning, notice) per step; the rest
// are in the log only.
const gitHubAnnotationsShown = 10

// An annotation is a counted finding or an input problem (finding nil) as GitHub shows it. It
// points at them rather than copying them: a run can have half a million findings.
type annotation struct {
	finding *engine.Finding
	problem *lint.Problem
}

func (a annotation) level() lint.Level {
	if a.finding != nil {
		return a.finding.Level
	}
	return a.problem.Level
}

func (a annotation) pos() lint.Pos {
	if a.finding != nil {
		return a.finding.Pos
	}
	return a.problem.Pos
}

// rule is the finding's rule; nil for a problem.
func (a annotation) rule() *lint.Rule {
	if a.finding != nil {
		return a.finding.Rule
	}
	return nil
}

func (a annotation) message() string {
	if a.finding != nil {
		return messageWithVariants(a.finding)
	}
	return firstLine(a.problem.Message)
}

// annotations are the run's counted findings and its input problems, the most serious first
// (errors, warnings, notes), in position order within a level: GitHub shows only the first few
// of each type, and those should be the ones that fail the build.
func (run *Run) annotations() []annotation {
	var out []annotation
	for i := range run.Result.Findings {
		if f := &run.Result.Findings[i]; f.Counted() {
			out = append(out, annotation{finding: f})
		}
	}
	for i := range run.Result.Problems {
		out = append(out, annotation{problem: &run.Result.Problems[i]})
	}
	slices.SortStableFunc(out, func(a, b annotation) int {
		return cmp.Or(cmp.Compare(b.level(), a.level()), a.pos().Compare(b.pos()))
	})
	return out
}

// workflowCommand is the GitHub Actions command for a level: error, warning or notice.
func workflowCommand(l lint.Level) string {
	switch l {
	case lint.Error:
		return "error"
	case lint.Warning:
		return "warning"
	}
	return "notice"
}

// GitHubAnnotations writes each counted finding and input problem as a GitHub Actions workflow
// command (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`), the most
// serious first, then the text summary line. Files are named relative to the source root; a
// file outside it (or standard input) gets no file property and is named in the message
// instead, since GitHub could not open it. Properties and messages are escaped as workflow
// commands require (%, CR and LF; also : and , in properties), so nothing from the linted files
// can end the command or start one of its own, and control characters are shown escaped.
func GitHubAnnotations(w io.Writer, run *Run) error {
	bw := bufio.NewWriter(w)
	for _, a := range run.annotations() {
		props := githubactions.CommandProperties{}
		msg := printableLines(a.message())
		if a.rule() != nil {
			props["title"] = a.rule().ID
			msg += "\n" + a.rule().Title + ": " + RuleHelpURI(a.rule().ID)
		} else if a.level() == lint.Error {
			props["title"] = "ekslint: input not linted"
		}
		// A file whose name holds control characters is named in the message, escaped: GitHub
		// could not open it, and the log would show the characters raw.
		if path, inside := run.sourcePath(a.pos().File); inside && printable(path) == path {
			props["file"] = path
			setPosition(props, a.pos())
		} else if a.pos().File != "" {
			msg = printable(lint.Pos{File: path, Line: a.pos().Line, Column: a.pos().Column}.String()) + ": " + msg
		}
		cmd := githubactions.Command{Name: workflowCommand(a.level()), Message: msg, Properties: props}
		fmt.Fprintln(bw, cmd.String())
	}
	fmt.Fprintln(bw, Summary(run.Result))
	return bw.Flush()
}

// setPosition adds a position's lines and columns; GitHub takes columns only for a range on one
// line.
func setPosition(props githubactions.CommandProperties, p lint.Pos) {
	if p.Line == 0 {
		return
	}
	props["line"] = strconv.Itoa(p.Line)
	if p.EndLine > p.Line {
		props["endLine"] = strconv.Itoa(p.EndLine)
		return
	}
	if p.Column > 0 {
		props["col"] = strconv.Itoa(p.Column)
		if p.EndLine == p.Line && p.EndColumn > p.Column {
			props["endColumn"] = strconv.Itoa(p.EndColumn)
		}
	}
}

// Limits of the job summary. GitHub rejects a step's summary over 1 MiB; a summary is read by a
// person, so it shows the most serious findings and says how many it left out.
const (
	summaryFindings = 100
	summaryProblems = 50
	summaryRunes    = 300 // of one file name or message
	summaryBudget   = 256 << 10
)

// GitHubSummary writes the run as a GitHub job summary in markdown: totals by level, a table by
// rule linking to each rule's docs, the most serious findings and the inputs not linted with file
// and line, and how many were left out. annotated says whether the same run was written as
// annotations, so the summary can say how many of them GitHub did not show.
//
// File names and messages come from the linted repository, which may be a stranger's pull
// request: they are written as literal text (mdText), never as markdown or HTML.
func GitHubSummary(w io.Writer, run *Run, annotated bool) error {
	var b strings.Builder
	res := run.Result
	c := res.Count()
	b.WriteString("## ekslint\n\n")
	b.WriteString("| Errors | Warnings | Notes | Inputs not linted | Suppressed | In baseline | Objects checked |\n")
	b.WriteString("|---:|---:|---:|---:|---:|---:|---:|\n")
	fmt.Fprintf(&b, "| %d | %d | %d | %d | %d | %d | %d |\n\n", c.Errors, c.Warnings, c.Notes, c.InputErrors, c.Suppressed, c.Baselined, res.Objects)

	var findings, problems []annotation
	for _, a := range run.annotations() {
		if a.rule() != nil {
			findings = append(findings, a)
		} else {
			problems = append(problems, a)
		}
	}
	if annotated {
		writeHiddenAnnotations(&b, slices.Concat(findings, problems))
	}
	writeRuleTable(&b, findings)
	if len(findings) > 0 {
		b.WriteString("### Findings\n\n| Level | Location | Rule | Message |\n|---|---|---|---|\n")
		run.writeRows(&b, findings, summaryFindings, "findings", func(a annotation) string {
			return fmt.Sprintf("| %s | %s | [%s](%s) | %s |\n", a.level(), run.mdLocation(a.pos()), a.rule().ID, RuleHelpURI(a.rule().ID),
				mdText(a.message(), summaryRunes))
		})
	}
	if len(problems) > 0 {
		b.WriteString("### Inputs not linted and notes\n\n| Level | Location | Problem |\n|---|---|---|\n")
		run.writeRows(&b, problems, summaryProblems, "problems", func(a annotation) string {
			return fmt.Sprintf("| %s | %s | %s |\n", a.level(), run.mdLocation(a.pos()), mdText(a.message(), summaryRunes))
		})
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeHiddenAnnotations says how many annotations of each type GitHub left out of the step's
// annotations.
func writeHiddenAnnotations(b *strings.Builder, anns []annotation) {
	byType := map[lint.Level]int{}
	for _, a := range anns {
		byType[a.level()]++
	}
	var hidden []string
	for _, l := range []lint.Level{lint.Error, lint.Warning, lint.Note} {
		if n := byType[l] - gitHubAnnotationsShown; n > 0 {
			hidden = append(hidden, plural(n, workflowCommand(l)+" annotation"))
		}
	}
	if len(hidden) > 0 {
		fmt.Fprintf(b, "GitHub shows the first %d annotations of each type in a step, so %s are only in the log, "+
			"the tables below and the code scanning results.\n\n", gitHubAnnotationsShown, strings.Join(hidden, " and "))
	}
}

// writeRuleTable writes how many findings each rule has, the most serious rules first.
func writeRuleTable(b *strings.Builder, findings []annotation) {
	type ruleCount struct {
		rule  *lint.Rule
		level lint.Level
		n     int
	}
	var counts []*ruleCount
	byRule := map[*lint.Rule]*ruleCount{}
	for _, a := range findings {
		rc := byRule[a.rule()]
		if rc == nil {
			rc = &ruleCount{rule: a.rule()}
			byRule[a.rule()] = rc
			counts = append(counts, rc)
		}
		rc.level = max(rc.level, a.level())
		rc.n++
	}
	if len(counts) == 0 {
		return
	}
	slices.SortFunc(counts, func(x, y *ruleCount) int {
		return cmp.Or(cmp.Compare(y.level, x.level), cmp.Compare(y.n, x.n), cmp.Compare(x.rule.ID, y.rule.ID))
	})
	b.WriteString("### By rule\n\n| Rule | Level | Findings | What it finds |\n|---|---|---:|---|\n")
	for _, rc := range counts {
		fmt.Fprintf(b, "| [%s](%s) | %s | %d | %s |\n", rc.rule.ID, RuleHelpURI(rc.rule.ID), rc.level, rc.n,
			strings.ReplaceAll(rc.rule.Title, "|", `\|`))
	}
	b.WriteString("\n")
}

// writeRows writes a table's rows, at most limit of them and none past the summary's byte
// budget, then says how many it left out.
func (run *Run) writeRows(b *strings.Builder, anns []annotation, limit int, what string, row func(annotation) string) {
	shown := 0
	for _, a := range anns {
		r := row(a)
		if shown == limit || b.Len()+len(r) > summaryBudget {
			break
		}
		b.WriteString(r)
		shown++
	}
	b.WriteString("\n")
	if left := len(anns) - shown; left > 0 {
		fmt.Fprintf(b, "%d more %s are not shown here; the log and the code scanning results list every one.\n\n", left, what)
	}
}

// mdLocation is a position as the summary shows it: file:line:column relative to the source root.
func (run *Run) mdLocation(p lint.Pos) string {
	path, _ := run.sourcePath(p.File)
	return mdText(lint.Pos{File: path, Line: p.Line, Column: p.Column}.String(), summaryRunes)
}

// mdText makes text from the linted repository literal in GitHub-flavoured markdown, inside or
// outside a table cell: every ASCII punctuation character is backslash-escaped (no links, images,
// HTML, emphasis, autolinks or cell breaks can form), control characters and the bidirectional
// overrides that make text read differently than it is become spaces, and the text is cut to
// limit characters.
func mdText(s string, limit int) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == limit {
			b.WriteString("…")
			break
		}
		n++
		switch {
		case r == '\t' || unprintable(r):
			b.WriteByte(' ')
		case r < 0x80 && strings.ContainsRune("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
