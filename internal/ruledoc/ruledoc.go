// Package ruledoc writes what ekslint says about its rules, from the rule values themselves:
// docs/rules.md, the text of `ekslint rules RULE-ID` and the JSON of `ekslint rules --format json`.
// Each rule's example output is what the pipeline prints for it, so the docs cannot drift from
// the code.
package ruledoc

//go:generate go run ../gen

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/filter"
	"github.com/ekslint/ekslint/lint/linter"
	"github.com/ekslint/ekslint/lint/report"
)

// Date is the date the examples' output is shown for: version rules compare against it, and docs
// must not change with the calendar.
var Date = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// ExampleName is how the examples name the file they lint.
const ExampleName = "example.yaml"

// A Section opens a group of rules in the reference (pod security explains baseline and
// restricted before its first rule).
type Section struct {
	// First is the id of the section's first rule.
	First, Title, Text string
}

// Reference writes docs/rules.md: an index, then one section per rule anchored by its id (SARIF
// help links point at docs/rules.md#<id>), then the version data the version rules read. checks
// are the catalogue's rules, own are ekslint's own (unused-ignore).
func Reference(checks, own []*lint.Rule, sections []Section) ([]byte, error) {
	all := append(append([]*lint.Rule{}, checks...), own...)
	var b bytes.Buffer
	b.WriteString("<!-- Generated from the rules by `go generate ./...`; do not edit. -->\n\n")
	b.WriteString("# ekslint rules\n\n")
	fmt.Fprintf(&b, "ekslint has %d rules; %d run by default. It also checks its own suppressions (%s). "+
		"`ekslint lint --enable <id>` turns on a rule that is off (`--enable all` every one), `--disable <id>` turns one off. "+
		"Levels are defaults; a finding at or above `--fail-on` (default `error`) fails the run. `ekslint rules` lists them "+
		"and `ekslint rules <id>` explains one.\n\n", len(checks), DefaultOn(checks), ids(own))
	fmt.Fprintf(&b, "Each rule's output below is what `ekslint lint` prints for the rule's example with only that rule "+
		"on and `--date %s` (version rules compare against the date).\n\n", Date.Format(time.DateOnly))
	b.WriteString("| Rule | Level | Default | Inputs | Finds |\n|---|---|---|---|---|\n")
	for _, r := range all {
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s | %s | %s |\n", r.ID, r.ID, r.Level, onOff(r), inputs(r), r.Title)
	}
	opening := map[string]Section{}
	for _, s := range sections {
		opening[s.First] = s
	}
	for _, r := range all {
		if s, ok := opening[r.ID]; ok {
			fmt.Fprintf(&b, "\n## %s\n\n%s\n", s.Title, s.Text)
		}
		fmt.Fprintf(&b, "\n## %s\n\n", r.ID)
		if err := writeRule(&b, r, checks); err != nil {
			return nil, err
		}
	}
	b.WriteString("\n## EKS version data\n\n")
	b.WriteString("The version rules (eks-version-*, eks-coredns-version-mismatch, eks-kube-proxy-version-mismatch, " +
		"eks-vpc-cni-too-old-for-network-policy) compare against EKS version data with an `as_of` date, not against " +
		"facts built into the code. `ekslint rules --data` shows the data in use; `ekslint lint --data FILE` uses a " +
		"newer file written in the same format. When the data is more than six months older than the date of a run, " +
		"the run says so in a note. The built-in data:\n\n")
	fmt.Fprintf(&b, "```yaml\n%s```\n", lint.BuiltinVersionsYAML())
	return b.Bytes(), nil
}

// Rule is what `ekslint rules RULE-ID` prints: the rule's section of docs/rules.md, for a
// terminal. checks are the catalogue's rules, for the examples of ekslint's own.
func Rule(r *lint.Rule, checks []*lint.Rule) (string, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\n\n", r.ID)
	if err := writeRule(&b, r, checks); err != nil {
		return "", err
	}
	return b.String(), nil
}

// writeRule writes a rule's documentation (after its heading).
func writeRule(b *bytes.Buffer, r *lint.Rule, checks []*lint.Rule) error {
	fmt.Fprintf(b, "**%s**\n\n", r.Title)
	fmt.Fprintf(b, "Level: `%s` · Default: %s · Inputs: %s · Tags: %s\n\n", r.Level, onOff(r), inputs(r), tags(r))
	fmt.Fprintf(b, "**Why.** %s\n\n**Fix.** %s\n", r.Rationale, r.Fix)
	if r.Example.Bad != "" {
		out, err := ExampleOutput(r, checks)
		if err != nil {
			return err
		}
		fmt.Fprintf(b, "\nBefore (`%s`):\n\n```yaml\n%s```\n", ExampleName, r.Example.Bad)
		fmt.Fprintf(b, "\n```text\n%s```\n", out)
	}
	if r.Example.Good != "" {
		fmt.Fprintf(b, "\nAfter:\n\n```yaml\n%s```\n", r.Example.Good)
	}
	if len(r.Equivalents) > 0 {
		fmt.Fprintf(b, "\n**Equivalents.** %s.\n", strings.Join(r.Equivalents, "; "))
	} else {
		b.WriteString("\n**Equivalents.** None in kube-linter, kube-score, Polaris, Checkov or Trivy.\n")
	}
	if r.Notes != "" {
		fmt.Fprintf(b, "\n**Notes.** %s\n", r.Notes)
	}
	return nil
}

// ExampleOutput is the text report of the rule alone on its Bad example, named ExampleName. all
// are the rules ekslint knows: ekslint's own rules (unused-ignore) judge what the others did, so
// for those every rule runs and the report keeps the own rule's findings.
func ExampleOutput(r *lint.Rule, all []*lint.Rule) (string, error) {
	req := linter.Request{Paths: []string{"-"}, Stdin: strings.NewReader(r.Example.Bad), StdinName: ExampleName,
		Rules: all, Enable: []string{filter.AllRules}, Today: Date}
	if r.Check != nil || r.Set != nil {
		req.Disable, req.Enable = []string{filter.AllRules}, []string{r.ID}
	}
	res, err := linter.Lint(context.Background(), req)
	if err != nil {
		return "", err
	}
	res.Findings = slices.DeleteFunc(res.Findings, func(f engine.Finding) bool { return f.Rule.ID != r.ID })
	var out bytes.Buffer
	if err := report.Text(&out, &report.Run{Result: res.Result, Rules: res.Rules}, report.TextOptions{}); err != nil {
		return "", err
	}
	return out.String(), nil
}

// jsonRule is a rule as `ekslint rules --format json` lists it, for tools.
type jsonRule struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Level       string   `json:"level"`
	DefaultOn   bool     `json:"defaultOn"`
	Inputs      []string `json:"inputs"`
	Tags        []string `json:"tags"`
	Rationale   string   `json:"rationale"`
	Fix         string   `json:"fix"`
	Equivalents []string `json:"equivalents"`
	Notes       string   `json:"notes,omitempty"`
	HelpURI     string   `json:"helpUri"`
}

// JSON lists rules with their metadata, as `ekslint rules --format json` prints them.
func JSON(rules []*lint.Rule) ([]byte, error) {
	out := make([]jsonRule, 0, len(rules))
	for _, r := range rules {
		j := jsonRule{ID: r.ID, Title: r.Title, Level: r.Level.String(), DefaultOn: r.DefaultOn,
			Inputs: r.Inputs.Names(), Tags: []string{}, Rationale: r.Rationale, Fix: r.Fix,
			Equivalents: append([]string{}, r.Equivalents...), Notes: r.Notes, HelpURI: report.RuleHelpURI(r.ID)}
		for _, t := range r.Tags {
			j.Tags = append(j.Tags, string(t))
		}
		out = append(out, j)
	}
	b, err := json.MarshalIndent(out, "", "  ")
	return append(b, '\n'), err
}

// DefaultOn counts the rules on by default.
func DefaultOn(rules []*lint.Rule) int {
	n := 0
	for _, r := range rules {
		if r.DefaultOn {
			n++
		}
	}
	return n
}

func onOff(r *lint.Rule) string {
	if r.DefaultOn {
		return "on"
	}
	return "off"
}

// inputs names what a rule reads; ekslint's own rules read no objects.
func inputs(r *lint.Rule) string {
	if r.Inputs == 0 {
		return "ekslint.io/ignore annotations, # ekslint:ignore comments"
	}
	return r.Inputs.String()
}

func tags(r *lint.Rule) string {
	var s []string
	for _, t := range r.Tags {
		s = append(s, string(t))
	}
	return strings.Join(s, ", ")
}

func ids(rules []*lint.Rule) string {
	var s []string
	for _, r := range rules {
		s = append(s, "`"+r.ID+"`")
	}
	return strings.Join(s, ", ")
}
