package report

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/engine"
)

// InformationURI is ekslint's home page; rule help links point into its docs.
const InformationURI = "https://github.com/ekslint/ekslint"

// RuleHelpURI is the rule's section in docs/rules.md.
func RuleHelpURI(id string) string { return InformationURI + "/blob/main/docs/rules.md#" + id }

// GitHub code scanning rejects a whole upload past these (its "hard limits"), so the report stays
// under them and says what it left out.
const (
	maxSARIFResults   = 25000
	maxSARIFLocations = 1000
)

// srcRoot is the uriBaseId of every artifact inside the source root.
const srcRoot = "%SRCROOT%"

// SARIF writes the run as SARIF 2.1.0 for GitHub code scanning: every rule that ran with its
// documentation, one result per finding with a full region and a line-independent fingerprint,
// and input problems as tool execution notifications. Artifact URIs are relative to %SRCROOT%,
// the run's source root; a file outside it gets an absolute file URI, standard input none.
func SARIF(w io.Writer, run *Run) error {
	rep, err := sarif.New(sarif.Version210, true)
	if err != nil {
		return err
	}
	sr := sarif.NewRunWithInformationURI("ekslint", InformationURI)
	sr.Tool.Driver.WithVersion(sarifVersion(run.Version))
	sr.WithColumnKind("unicodeCodePoints")
	if root := run.sourceRoot(); filepath.IsAbs(root) {
		sr.WithOriginalUriBaseIds(map[string]*sarif.ArtifactLocation{
			srcRoot: sarif.NewArtifactLocation().WithUri(strings.TrimSuffix(fileURI(root), "/") + "/"),
		})
	}
	index := map[string]int{}
	for i, r := range run.Rules {
		index[r.ID] = i
		sr.Tool.Driver.AddRule(sarifRule(r))
	}
	kept, dropped := keepForSARIF(run.Result.Findings, maxSARIFResults)
	inv := sr.AddInvocation(run.Result.Count().InputErrors == 0)
	for _, p := range run.Result.Problems {
		n := sarif.NewNotification().WithLevel(p.Level.String()).WithTextMessage(p.Message)
		if p.Pos.File != "" {
			n.AddLocation(sarif.NewLocation().WithPhysicalLocation(run.physical(p.Pos)))
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	if dropped > 0 {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarif.NewNotification().
			WithLevel(lint.Warning.String()).
			WithTextMessage(fmt.Sprintf("%d findings of the lowest levels are left out: GitHub code scanning rejects more than %d results in a run; "+
				"fix, disable or baseline the noisiest rules to see them", dropped, maxSARIFResults)))
	}
	rep.AddRun(sr)
	return writeSARIF(w, rep, len(kept), func(i int) *sarif.Result { return run.sarifResult(kept[i], index) })
}

// writeSARIF writes rep as go-sarif's PrettyWrite does, byte for byte, with its run's results
// (result(0) to result(n-1)) made and written one at a time: PrettyWrite marshals the whole
// report, then indents a copy of it, and with 25,000 results the report and its two copies were
// the run's peak of memory, over the budget on a 50 MB input.
func writeSARIF(w io.Writer, rep *sarif.Report, n int, result func(int) *sarif.Result) error {
	head, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	const noResults = `"results": []`
	at := bytes.Index(head, []byte(noResults))
	if at < 0 {
		return errors.New("SARIF report without its results array")
	}
	// Results are indented one level below the "results" key, and the closing bracket at its level.
	indent := string(head[bytes.LastIndexByte(head[:at], '\n')+1 : at])
	bw := bufio.NewWriter(w)
	bw.Write(head[:at+len(noResults)-1])
	for i := range n {
		if err := writeElement(bw, indent, i, result(i)); err != nil {
			return err
		}
	}
	closeArray(bw, indent, n)
	bw.Write(head[at+len(noResults):])
	bw.WriteByte('\n')
	return bw.Flush()
}

// sarifVersion makes a version start with a number, as SARIF viewers compare versions
// numerically: v1.2.3 becomes 1.2.3, an unstamped development build 0.0.0-dev.
func sarifVersion(v string) string {
	v = strings.TrimPrefix(v, "v")
	if v == "" || v[0] < '0' || v[0] > '9' {
		return "0.0.0-" + cmp.Or(v, "dev")
	}
	return v
}

// keepForSARIF keeps at most limit findings, the most serious first (counted findings before
// suppressed or baselined ones), in their original order. It counts the findings of each rank
// rather than sorting them: a run of half a million findings would sort half a million pointers
// at its peak of memory.
func keepForSARIF(fs []engine.Finding, limit int) (kept []*engine.Finding, dropped int) {
	if len(fs) <= limit {
		kept = make([]*engine.Finding, len(fs))
		for i := range fs {
			kept[i] = &fs[i]
		}
		return kept, 0
	}
	var count [int(lint.Error) + 1]int
	for i := range fs {
		count[reportRank(&fs[i])]++
	}
	// cut is the rank kept only in part: every finding above it is kept, and its first left.
	cut, left := len(count)-1, limit
	for ; count[cut] < left; cut-- {
		left -= count[cut]
	}
	kept = make([]*engine.Finding, 0, limit)
	for i := range fs {
		switch r := reportRank(&fs[i]); {
		case r > cut:
			kept = append(kept, &fs[i])
		case r == cut && left > 0:
			kept = append(kept, &fs[i])
			left--
		}
	}
	return kept, len(fs) - limit
}

// reportRank orders findings for reports that must choose: counted findings by level, then
// those a person already accepted (suppressed or in the baseline).
func reportRank(f *engine.Finding) int {
	if !f.Counted() {
		return 0
	}
	return int(f.Level)
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

// HelpMarkdown is a rule's help as SARIF help.markdown: code scanning shows it on each alert.
func HelpMarkdown(r *lint.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** (`%s`, %s)\n\n%s\n\n**Fix:** %s\n", r.Title, r.ID, r.Level, r.Rationale, r.Fix)
	if len(r.Sources) > 0 {
		fmt.Fprintf(&b, "\n**Sources:** %s\n", SourceLinks(r))
	}
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

// SourceLinks are the rule's public sources as Markdown links.
func SourceLinks(r *lint.Rule) string {
	links := make([]string, len(r.Sources))
	for i, src := range r.Sources {
		links[i] = fmt.Sprintf("[%s](%s)", src.Title, src.URL)
	}
	return strings.Join(links, "; ")
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

func (run *Run) sarifResult(f *engine.Finding, index map[string]int) *sarif.Result {
	res := sarif.NewRuleResult(f.Rule.ID).
		WithLevel(f.Level.String()).
		WithMessage(sarif.NewTextMessage(messageWithVariants(f))).
		WithLocations([]*sarif.Location{sarif.NewLocation().WithPhysicalLocation(run.physical(f.Pos))}).
		WithPartialFingerPrints(map[string]any{"ekslint/v1": f.Fingerprint()})
	if i, ok := index[f.Rule.ID]; ok {
		res.WithRuleIndex(i)
	}
	for i, r := range f.Related[:min(len(f.Related), maxSARIFLocations)] {
		loc := sarif.NewLocation().WithId(i + 1).WithPhysicalLocation(run.physical(r.Pos))
		if r.Message != "" {
			loc.WithMessage(sarif.NewTextMessage(r.Message))
		}
		res.AddRelatedLocation(loc)
	}
	if s := f.Suppression; s != nil {
		sup := sarif.NewSuppression("inSource")
		if s.Justification != "" {
			sup.WithJustifcation(s.Justification)
		}
		res.AddSuppression(sup)
	}
	if f.Baseline != engine.NotCompared {
		res.WithBaselineState(f.Baseline.String())
	}
	return res
}

// messageWithVariants is the finding's message, naming the value sets or overlays that produced
// it (engine.Finding.NamedVariants).
func messageWithVariants(f *engine.Finding) string {
	vs := f.NamedVariants()
	if vs == nil {
		return f.Message
	}
	return f.Message + " (in " + strings.Join(vs, ", ") + ")"
}

func (run *Run) physical(p lint.Pos) *sarif.PhysicalLocation {
	loc := sarif.NewPhysicalLocation().WithArtifactLocation(run.artifactLocation(p.File))
	if p.Line > 0 {
		r := sarif.NewRegion().WithStartLine(p.Line)
		if p.Column > 0 {
			r.WithStartColumn(p.Column)
		}
		if p.EndLine > 0 {
			r.WithEndLine(p.EndLine)
			if p.EndColumn > 0 {
				r.WithEndColumn(p.EndColumn)
			}
		}
		loc.WithRegion(r)
	}
	return loc
}

// artifactLocation names a file as a URI: relative to %SRCROOT% inside the source root, an
// absolute file URI outside it (resolving it against the root would name another file), and
// standard input as the relative reference "<stdin>" with no base, which names no file.
func (run *Run) artifactLocation(file string) *sarif.ArtifactLocation {
	path, inside := run.sourcePath(file)
	loc := sarif.NewArtifactLocation()
	switch {
	case inside:
		return loc.WithUri(relativeURI(path)).WithUriBaseId(srcRoot)
	case filepath.IsAbs(filepath.FromSlash(path)):
		return loc.WithUri(fileURI(path))
	}
	return loc.WithUri(relativeURI(path))
}

// relativeURI percent-encodes a slash-separated relative path as a URI reference: spaces, %, #, ?,
// non-ASCII, and colons, which would read as a scheme in the first segment.
func relativeURI(path string) string {
	return strings.ReplaceAll((&url.URL{Path: path}).EscapedPath(), ":", "%3A")
}

// fileURI is the file: URI of an absolute path.
func fileURI(abs string) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive: file:///C:/...
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}
