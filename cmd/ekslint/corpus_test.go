package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint/linttest"
	"github.com/ekslint/ekslint/lint/report/reporttest"
)

// corpus is the real-world corpus beside the repository; users' clones do not have it.
const corpus = "../../../shared/corpus"

// corpusInputs are the corpus folders every rule runs over.
var corpusInputs = []string{"raw", "eksctl", "cloudformation", "kustomize", "helm"}

// corpusConfig gives the corpus charts that need values theirs (helm-values/).
const corpusConfig = `charts:
  - path: helm/aws-load-balancer-controller
    valueSets: [{name: corpus, values: [helm-values/aws-load-balancer-controller.yaml]}]
  - path: helm/external-dns
    valueSets: [{name: corpus, values: [helm-values/external-dns.yaml]}]
`

// TestCorpusSummary runs every rule over the real corpus and compares the number of findings per
// rule with testdata/corpus-summary.golden, so that a change in what a rule finds shows up in
// review as a diff (`go test ./cmd/ekslint -run TestCorpusSummary -update` rewrites it). It also
// requires no internal error, a position for every finding, and SARIF with every rule enabled
// that validates clean.
func TestCorpusSummary(t *testing.T) {
	if testing.Short() {
		t.Skip("runs over the shared corpus; go test without -short runs it")
	}
	if _, err := os.Stat(corpus); err != nil {
		t.Skip("../shared/corpus not present")
	}
	var paths []string
	for _, sub := range corpusInputs {
		paths = append(paths, filepath.Join(corpus, sub))
	}
	tmp := t.TempDir()
	sarif, config := filepath.Join(tmp, "corpus.sarif"), filepath.Join(tmp, "ekslint.yaml")
	writeFile(t, config, corpusConfig)
	common := []string{"--root", corpus, "--config", config, "--enable", "all", "--date", "2026-11-23"}
	args := append(append([]string{"lint", "--fail-on", "none", "--format", "json"}, common...), paths...)
	stdout, stderr, _ := ekslint(t, "", args...)
	var out struct {
		Findings []struct {
			Rule string
			File string
			Line int
		}
		Problems []struct {
			Level, Message, File string
		}
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("%v\nstderr: %s", err, stderr)
	}
	perRule := map[string]int{}
	for _, f := range out.Findings {
		perRule[f.Rule]++
		if f.Line == 0 {
			t.Errorf("%s: %s finding without a line", f.File, f.Rule)
		}
	}
	problems := map[string]int{}
	for _, p := range out.Problems {
		if strings.Contains(p.Message, "internal error") {
			t.Errorf("%s: %s", p.File, p.Message)
		}
		problems[p.Level]++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Findings per rule over ../shared/corpus/{%s} with --enable all --date 2026-11-23\n# (charts rendered with the values of corpusConfig).\n", strings.Join(corpusInputs, ","))
	rules := make([]string, 0, len(perRule))
	for r := range perRule {
		rules = append(rules, r)
	}
	slices.Sort(rules)
	for _, r := range rules {
		fmt.Fprintf(&b, "%-45s %5d\n", r, perRule[r])
	}
	fmt.Fprintf(&b, "%-45s %5d\n", "(findings)", len(out.Findings))
	for _, level := range []string{"error", "warning", "note"} {
		fmt.Fprintf(&b, "%-45s %5d\n", "(problems: "+level+")", problems[level])
	}
	golden := filepath.Join("testdata", "corpus-summary.golden")
	if *linttest.Update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("findings per rule changed (review, then -update):\n%s", got)
	}

	if _, _, code := ekslint(t, "", append(append([]string{"lint", "--format", "sarif", "--output", sarif}, common...), paths...)...); code == 0 {
		t.Error("the corpus has findings and input errors: want a failing exit code")
	}
	reporttest.ValidateSARIF(t, sarif)
}
