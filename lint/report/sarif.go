package report

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/ekslint/ekslint/lint"
)

// InformationURI is ekslint's home page; rule help links point into its docs.
const InformationURI = "https://github.com/ekslint/ekslint"

// RuleHelpURI is the rule's section in docs/rules.md.
func RuleHelpURI(id string) string { return InformationURI + "/blob/main/docs/rules.md#" + id }

// SARIF writes the run as SARIF 2.1.0 for GitHub code scanning: every rule that ran with its
// documentation, one result per finding with a full region and a line-independent fingerprint,
// and input problems as tool execution notifications. Artifact URIs are relative to %SRCROOT%,
// the working directory.
func SARIF(w io.Writer, run *Run) error {
	rep, err := sarif.New(sarif.Version210, true)
	if err != nil {
		return err
	}
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	sr := sarif.NewRunWithInformationURI("ekslint", InformationURI)
	sr.Tool.Driver.WithVersion(run.Version)
	sr.WithColumnKind("unicodeCodePoints")
	sr.WithOriginalUriBaseIds(map[string]*sarif.ArtifactLocation{
		"%SRCROOT%": sarif.NewArtifactLocation().WithUri((&url.URL{Scheme: "file", Path: filepath.ToSlash(wd) + "/"}).String()),
	})
	index := map[string]int{}
	for i, r := range run.Rules {
		index[r.ID] = i
		sr.Tool.Driver.AddRule(sarifRule(r))
	}
	for i := range run.Result.Findings {
		sr.AddResult(sarifResult(&run.Result.Findings[i], index))
	}
	inv := sr.AddInvocation(run.Result.Count().InputErrors == 0)
	for _, p := range run.Result.Problems {
		n := sarif.NewNotification().WithLevel(p.Level.String()).WithTextMessage(p.Message)
		if p.Pos.File != "" {
			n.AddLocation(sarif.NewLocation().WithPhysicalLocation(physical(p.Pos)))
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	rep.AddRun(sr)
	return rep.PrettyWrite(w)
}

func sarifRule(r *lint.Rule) *sarif.ReportingDescriptor {
	pb := sarif.NewPropertyBag()
	pb.Add("tags", r.Tags)
	if s := r.SecuritySeverity(); s > 0 {
		pb.AddString("security-severity", fmt.Sprintf("%.1f", s))
	}
	return sarif.NewRule(r.ID).
		WithName(ruleName(r.ID)).
		WithShortDescription(sarif.NewMultiformatMessageString(r.Title)).
		WithFullDescription(sarif.NewMultiformatMessageString(r.Rationale)).
		WithHelpURI(RuleHelpURI(r.ID)).
		WithHelp(sarif.NewMultiformatMessageString(r.Rationale + "\n\nFix: " + r.Fix).WithMarkdown(HelpMarkdown(r))).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(r.Level.String())).
		WithProperties(pb.Properties)
}

// HelpMarkdown is a rule's help as SARIF help.markdown and the Action's summary show it.
func HelpMarkdown(r *lint.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** (`%s`, %s)\n\n%s\n\n**Fix:** %s\n", r.Title, r.ID, r.Level, r.Rationale, r.Fix)
	if r.Example.Bad != "" {
		fmt.Fprintf(&b, "\nBefore:\n\n```yaml\n%s```\n", r.Example.Bad)
	}
	if r.Example.Good != "" {
		fmt.Fprintf(&b, "\nAfter:\n\n```yaml\n%s```\n", r.Example.Good)
	}
	if len(r.Equivalents) > 0 {
		fmt.Fprintf(&b, "\nEquivalent checks: %s.\n", strings.Join(r.Equivalents, "; "))
	}
	if r.Notes != "" {
		fmt.Fprintf(&b, "\n**Notes:** %s\n", r.Notes)
	}
	fmt.Fprintf(&b, "\n[Documentation](%s)\n", RuleHelpURI(r.ID))
	return b.String()
}

// ruleName turns a rule id into the PascalCase name SARIF viewers show: k8s-host-network →
// K8sHostNetwork.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.Split(id, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

func sarifResult(f *lint.Finding, index map[string]int) *sarif.Result {
	msg := f.Message
	if len(f.Variants) > 1 {
		msg += " (in " + strings.Join(f.Variants, ", ") + ")"
	}
	res := sarif.NewRuleResult(f.Rule.ID).
		WithLevel(f.Level.String()).
		WithMessage(sarif.NewTextMessage(msg)).
		WithLocations([]*sarif.Location{sarif.NewLocation().WithPhysicalLocation(physical(f.Pos))}).
		WithPartialFingerPrints(map[string]interface{}{"ekslint/v1": f.Fingerprint()})
	if i, ok := index[f.Rule.ID]; ok {
		res.WithRuleIndex(i)
	}
	for i, r := range f.Related {
		res.AddRelatedLocation(sarif.NewLocation().WithId(i + 1).WithPhysicalLocation(physical(r.Pos)).
			WithMessage(sarif.NewTextMessage(r.Message)))
	}
	if s := f.Suppression; s != nil {
		res.AddSuppression(sarif.NewSuppression("inSource").WithJustifcation(s.Justification))
	}
	if f.Baseline != "" {
		res.WithBaselineState(f.Baseline)
	}
	return res
}

func physical(p lint.Pos) *sarif.PhysicalLocation {
	loc := sarif.NewPhysicalLocation().WithArtifactLocation(
		sarif.NewArtifactLocation().WithUri(artifactURI(p.File)).WithUriBaseId("%SRCROOT%"))
	if p.Line > 0 {
		r := sarif.NewRegion().WithStartLine(p.Line)
		if p.Column > 0 {
			r.WithStartColumn(p.Column)
		}
		if p.EndLine > 0 {
			r.WithEndLine(p.EndLine).WithEndColumn(p.EndColumn)
		}
		loc.WithRegion(r)
	}
	return loc
}

// artifactURI turns a display path into a relative URI reference, percent-encoding what needs it.
func artifactURI(path string) string {
	return (&url.URL{Path: path}).EscapedPath()
}
