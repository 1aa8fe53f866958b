package rules_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/linttest"
	"github.com/ekslint/ekslint/lint/report"
	"github.com/ekslint/ekslint/rules"
)

const docsPath = "../docs/rules.md"

// TestDocs keeps docs/rules.md in step with the rules: it is generated from their values and their
// examples' real output. `go test ./rules -run TestDocs -update` rewrites it.
func TestDocs(t *testing.T) {
	got := rulesDoc(t)
	if *linttest.Update {
		if err := os.MkdirAll("../docs", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(docsPath, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(docsPath)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("docs/rules.md is out of date with the rules: run go test ./rules -run TestDocs -update")
	}
}

// rulesDoc writes the rule reference: an index, then one section per rule, anchored by its id
// (SARIF help links point at docs/rules.md#<id>), then the version data the version rules read.
func rulesDoc(t *testing.T) []byte {
	all := rules.All()
	on := 0
	for _, r := range all {
		if r.DefaultOn {
			on++
		}
	}
	var b bytes.Buffer
	b.WriteString("<!-- Generated from the rules by `go test ./rules -run TestDocs -update`; do not edit. -->\n\n")
	b.WriteString("# ekslint rules\n\n")
	fmt.Fprintf(&b, "ekslint has %d rules; %d run by default. `ekslint lint --enable <id>` turns on one that is off "+
		"(`--enable all` every one), `--disable <id>` turns one off. Levels are defaults; a finding at or above "+
		"`--fail-on` (default `error`) fails the run. `ekslint rules` lists them.\n\n", len(all), on)
	fmt.Fprintf(&b, "Each rule's output below is what `ekslint lint` prints for the rule's example with only that rule "+
		"on and `--date %s` (version rules compare against the date).\n\n", fixtureDate.Format(time.DateOnly))
	fmt.Fprintf(&b, "The Inputs column says what a rule reads. `workload` is every object that runs pods from a pod template: "+
		"%s. Rules that depend on how pods are rolled out, scaled or restarted treat each kind like the built-in kind "+
		"named in parentheses. `service` is Services "+
		"and Ingresses, `rbac` is RBAC objects, ServiceAccounts and the aws-auth ConfigMap, `namespace-wide` is every "+
		"Kubernetes object of a deployment, read together.\n\n", strings.Join(lint.WorkloadKinds(), ", "))
	b.WriteString("| Rule | Level | Default | Inputs | Finds |\n|---|---|---|---|---|\n")
	for _, r := range all {
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s | %s | %s |\n", r.ID, r.ID, r.Level, onOff(r), r.Inputs, r.Title)
	}
	for _, r := range all {
		writeRule(t, &b, r)
	}
	b.WriteString("\n## EKS version data\n\n")
	b.WriteString("The version rules (eks-version-*, eks-coredns-version-mismatch, eks-kube-proxy-version-mismatch, " +
		"eks-vpc-cni-too-old-for-network-policy) compare against EKS version data with an `as_of` date, not against " +
		"facts built into the code. `ekslint rules --data` shows the data in use; `ekslint lint --data FILE` uses a " +
		"newer file written in the same format. When the data is more than six months older than the date of a run, " +
		"the run says so in a note. The built-in data:\n\n")
	fmt.Fprintf(&b, "```yaml\n%s```\n", lint.BuiltinVersionsYAML())
	return b.Bytes()
}

func writeRule(t *testing.T, b *bytes.Buffer, r *lint.Rule) {
	fmt.Fprintf(b, "\n## %s\n\n**%s**\n\n", r.ID, r.Title)
	fmt.Fprintf(b, "Level: `%s` · Default: %s · Inputs: %s · Tags: %s\n\n", r.Level, onOff(r), r.Inputs, joinTags(r.Tags))
	fmt.Fprintf(b, "**Why.** %s\n\n**Fix.** %s\n", r.Rationale, r.Fix)
	if r.Example.Bad != "" {
		fmt.Fprintf(b, "\nBefore (`example.yaml`):\n\n```yaml\n%s```\n", r.Example.Bad)
		fmt.Fprintf(b, "\n```text\n%s```\n", exampleOutput(t, r))
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
}

// exampleOutput is the text report of the rule alone on its Bad example, as `example.yaml`.
func exampleOutput(t *testing.T, r *lint.Rule) string {
	req := only(r)
	req.StdinName = "example.yaml"
	res := linttest.LintString(t, r.Example.Bad, req)
	var out bytes.Buffer
	if err := report.Text(&out, &report.Run{Result: res.Result, Rules: res.Rules}, report.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func onOff(r *lint.Rule) string {
	if r.DefaultOn {
		return "on"
	}
	return "off"
}

func joinTags(tags []lint.Tag) string {
	var s []string
	for _, t := range tags {
		s = append(s, string(t))
	}
	return strings.Join(s, ", ")
}
