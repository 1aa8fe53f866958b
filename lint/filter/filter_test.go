package filter_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/discover"
	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/filter"
	"github.com/ekslint/ekslint/lint/load"
)

// Test rules: a per-object check on pods and node groups, and a set rule that reports after
// every object is gone, so that annotations must travel with its Places.
var (
	testHostNetwork = &lint.Rule{ID: "test-host-network", Level: lint.Warning, DefaultOn: true, Inputs: lint.WorkloadInput, Check: func(p *lint.Pass) {
		if n := p.Object.PodSpec().Get("hostNetwork"); n.IsTrue() {
			p.Report(n, "hostNetwork: true")
		}
	}}
	testSSH = &lint.Rule{ID: "test-ssh", Level: lint.Error, DefaultOn: true, Inputs: lint.EksctlInput, Check: func(p *lint.Pass) {
		for _, ng := range p.Object.NodeGroups() {
			if n := ng.Get("ssh", "allow"); n.IsTrue() {
				p.Report(n, "ssh.allow: true")
			}
		}
	}}
	testNamed = &lint.Rule{ID: "test-named", Level: lint.Note, DefaultOn: true, Inputs: lint.WorkloadInput | lint.EksctlInput, Set: lint.Gather(
		func(p *lint.Pass) (lint.Place, bool) {
			k := p.Object.Kind()
			return p.Object.Place(), k == "Deployment" || k == "ClusterConfig"
		},
		func(places []lint.Place, s *lint.SetPass) {
			for _, at := range places {
				s.Report(at, "named")
			}
		})}
	testOff = &lint.Rule{ID: "test-off", Level: lint.Error, Check: func(p *lint.Pass) {}}

	testRules  = []*lint.Rule{testHostNetwork, testSSH, testNamed, filter.UnusedIgnore}
	knownRules = append(slices.Clone(testRules), testOff)
)

// lintDir lints dir with rules and filters the result with opts (Rules and Known filled in).
func lintDir(t *testing.T, dir string, rules []*lint.Rule, opts filter.Options) *engine.Result {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	inputs, problems := discover.Discover([]string{dir}, discover.Options{Root: dir, WorkDir: wd})
	res := engine.Run(context.Background(), inputs, engine.Options{Rules: rules})
	res.Problems = append(problems, res.Problems...)
	opts.Rules, opts.Known = rules, knownRules
	filter.Filter(res, opts)
	return res
}

// describe writes a finding as tests compare it: place, rule, and how it is suppressed.
func describe(f engine.Finding) string {
	s := fmt.Sprintf("%s:%d %s", filepath.Base(f.Pos.File), f.Pos.Line, f.Rule.ID)
	if f.Suppression != nil {
		s += fmt.Sprintf(" [%s %q]", f.Suppression.Kind, f.Suppression.Justification)
	}
	if f.Baseline != engine.NotCompared {
		s += " " + f.Baseline.String()
	}
	return s
}

func describeAll(fs []engine.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, describe(f))
	}
	return out
}

func TestSuppressions(t *testing.T) {
	res := lintDir(t, "testdata/suppress", testRules, filter.Options{})
	for _, p := range res.Problems {
		t.Errorf("problem: %s", p)
	}
	want := []string{
		`cluster.yaml:4 test-named [annotation ""]`,
		`cluster.yaml:11 test-ssh [comment "bastion only"]`,
		`cluster.yaml:15 test-ssh [comment ""]`,
		`cluster.yaml:18 test-ssh`,
		`pods.yaml:6 test-host-network [comment "node agent"]`,
		`pods.yaml:15 test-host-network [comment ""]`,
		// The set rule's finding lands on the Deployment after it is gone, and still honours
		// its annotation.
		`pods.yaml:21 test-named [annotation "vendored chart"]`,
		`pods.yaml:28 test-host-network [annotation "vendored chart"]`,
		// An annotation on the pod template covers the whole workload.
		`pods.yaml:34 test-named [annotation ""]`,
		`pods.yaml:41 test-host-network`,
		`pods.yaml:49 unused-ignore`,
		`pods.yaml:51 unused-ignore`,
		`pods.yaml:52 unused-ignore`,
		`pods.yaml:54 unused-ignore`,
		`pods.yaml:56 unused-ignore`,
		`pods.yaml:64 unused-ignore`,
		// A comment after a value covers only its own line.
		`pods.yaml:65 test-host-network`,
		`pods.yaml:73 unused-ignore`,
	}
	if got := describeAll(res.Findings); !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	c := res.Count()
	if c.Suppressed != 8 || c.Errors != 1 || c.Warnings != 2 || c.Notes != 7 {
		t.Errorf("counts %+v, want 8 suppressed, 1 error, 2 warnings, 7 notes", c)
	}
	if code := res.ExitCode(lint.Error); code != engine.ExitFindings {
		t.Errorf("exit code %d, want %d (ng-3's ssh finding is not suppressed)", code, engine.ExitFindings)
	}
}

func TestUnusedIgnoreMessages(t *testing.T) {
	res := lintDir(t, "testdata/suppress", testRules, filter.Options{})
	got := map[string]string{}
	for _, f := range res.Findings {
		if f.Rule.ID == filter.UnusedIgnore.ID {
			got[fmt.Sprintf("%d:%d", f.Pos.Line, f.Pos.Column)] = f.Message
			if f.Level != lint.Note {
				t.Errorf("%s: level %s, want note", f.Pos, f.Level)
			}
		}
	}
	want := map[string]string{
		// test-off is a rule that did not run: it may well be used when it does.
		"49:5":  `ekslint.io/ignore for test-host-network suppresses no finding on this object; remove the id from the list`,
		"51:22": `# ekslint:ignore for test-host-network suppresses no finding on this line; remove it`,
		"52:3":  `# ekslint:ignore names "test-hostnetwork", which is not a rule (did you mean test-host-network?)`,
		"54:3":  `# ekslint:ignore names no rule; list the rule ids it is for (# ekslint:ignore rule-a,rule-b -- reason)`,
		"56:17": `# ekslint:ignore takes rule ids, not "all": list the rules, or ignore the file's path in .ekslint.yaml`,
		"64:22": `# ekslint:ignore for test-host-network suppresses no finding on this line; remove it`,
		"73:5":  `ekslint.io/ignore names no rule; list the rule ids it is for (ekslint.io/ignore: "rule-a,rule-b")`,
	}
	for at, msg := range want {
		if got[at] != msg {
			t.Errorf("unused-ignore at %s: %q\nwant %q", at, got[at], msg)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d unused-ignore findings, want %d: %v", len(got), len(want), got)
	}
}

// An unused-ignore that is off reports nothing, and a run without it still suppresses.
func TestUnusedIgnoreOff(t *testing.T) {
	rules := []*lint.Rule{testHostNetwork, testSSH, testNamed}
	res := lintDir(t, "testdata/suppress", rules, filter.Options{})
	for _, f := range res.Findings {
		if f.Rule.ID == filter.UnusedIgnore.ID {
			t.Errorf("%s: unused-ignore reported while off", f.Pos)
		}
	}
	if c := res.Count(); c.Suppressed != 8 {
		t.Errorf("%d suppressed, want 8", c.Suppressed)
	}
}

// Suppressions in a file that could not be linted in full are not reported as unused: some of
// its findings may be missing.
func TestUnusedIgnoreSkipsBrokenFiles(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "broken.yaml"), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a # ekslint:ignore test-host-network\nspec: [\n")
	res := lintDir(t, dir, testRules, filter.Options{})
	if len(res.Findings) != 0 || len(res.Problems) != 1 {
		t.Errorf("findings %v, problems %v; want one problem and nothing else", describeAll(res.Findings), res.Problems)
	}
}

func TestIgnorePath(t *testing.T) {
	dir := t.TempDir()
	pod := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  hostNetwork: true\n  containers: [{name: a, image: a}]\n"
	write(t, filepath.Join(dir, "app", "pod.yaml"), pod)
	write(t, filepath.Join(dir, "vendor", "pod.yaml"), pod+"  # ekslint:ignore test-host-network\n")
	write(t, filepath.Join(dir, "vendor", "broken.yaml"), "a: [\n")
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	res := lintDir(t, dir, testRules, filter.Options{Root: dir, WorkDir: wd, IgnorePath: func(rel string) bool {
		seen = append(seen, rel)
		return strings.HasPrefix(rel, "vendor/")
	}})
	if got := describeAll(res.Findings); !slices.Equal(got, []string{"pod.yaml:6 test-host-network"}) {
		t.Errorf("findings %v, want only app/pod.yaml's", got)
	}
	if res.Findings[0].Pos.File != filepath.ToSlash(mustRel(t, wd, filepath.Join(dir, "app", "pod.yaml"))) {
		t.Errorf("finding in %s, want app/pod.yaml", res.Findings[0].Pos.File)
	}
	if len(res.Problems) != 0 {
		t.Errorf("problems %v: the broken file is under an ignored path", res.Problems)
	}
	if !slices.Contains(seen, "app/pod.yaml") {
		t.Errorf("IgnorePath saw %v, want paths relative to the root", seen)
	}
}

func TestLevelOverride(t *testing.T) {
	// A check that chooses its own level for some findings, as kube-proxy's version rule does.
	twoLevels := &lint.Rule{ID: "test-two-levels", Level: lint.Warning, DefaultOn: true, Inputs: lint.NamespaceInput, Check: func(p *lint.Pass) {
		p.Report(p.Object.Get("metadata", "name"), "default level")
		p.ReportLevel(lint.Error, p.Object.Get("kind"), "chosen level")
	}}
	all := []*lint.Rule{twoLevels, testOff}
	levels := func(sel filter.Selection) []string {
		res := engine.Run(context.Background(), []load.Input{{Kind: load.Stdin, Path: load.StdinName}},
			engine.Options{Rules: sel.Rules, FixedLevels: sel.FixedLevels, Stdin: strings.NewReader("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n")})
		var out []string
		for _, f := range res.Findings {
			out = append(out, f.Rule.ID+":"+f.Level.String())
		}
		return out
	}
	on, off := true, false
	for _, c := range []struct {
		name            string
		config          map[string]filter.RuleConfig
		enable, disable []string
		want            []string
	}{
		{"defaults", nil, nil, nil, []string{"test-two-levels:error", "test-two-levels:warning"}},
		{"level replaces every finding's", map[string]filter.RuleConfig{"test-two-levels": {Level: lint.Note}}, nil, nil,
			[]string{"test-two-levels:note", "test-two-levels:note"}},
		{"config turns a rule off", map[string]filter.RuleConfig{"test-two-levels": {Enabled: &off}}, nil, nil, nil},
		{"flag wins over config", map[string]filter.RuleConfig{"test-two-levels": {Enabled: &off}}, []string{"test-two-levels"}, nil,
			[]string{"test-two-levels:error", "test-two-levels:warning"}},
		{"config all, then the rule", map[string]filter.RuleConfig{"all": {Enabled: &off}, "test-two-levels": {Enabled: &on}}, nil, nil,
			[]string{"test-two-levels:error", "test-two-levels:warning"}},
		{"disable flag wins", map[string]filter.RuleConfig{"test-two-levels": {Enabled: &on}}, nil, []string{"all"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			sel, err := filter.Select(all, nil, c.config, c.enable, c.disable)
			if err != nil {
				t.Fatal(err)
			}
			if got := levels(sel); !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
	if twoLevels.Level != lint.Warning {
		t.Errorf("Select changed the rule itself: level %s", twoLevels.Level)
	}
	if _, err := filter.Select(all, nil, map[string]filter.RuleConfig{"test-nope": {}}, nil, nil); err == nil {
		t.Error("Select accepted an unknown rule id from config")
	}
	if _, err := filter.Select(all, nil, nil, []string{"test-two-level"}, nil); err == nil || !strings.Contains(err.Error(), "did you mean test-two-levels?") {
		t.Errorf("a misspelt --enable: %v, want a suggestion", err)
	}
}

// TestPresets: a preset in --enable, --disable or config stands for its rules, and a rule's own
// entry wins over its preset's.
func TestPresets(t *testing.T) {
	a := &lint.Rule{ID: "test-a", Level: lint.Warning, DefaultOn: true}
	b := &lint.Rule{ID: "test-b", Level: lint.Note}
	c := &lint.Rule{ID: "test-c", Level: lint.Note}
	all := []*lint.Rule{a, b, c}
	presets := filter.Presets{"test-profile": {"test-b", "test-c"}}
	on, off := true, false
	for _, tc := range []struct {
		name            string
		config          map[string]filter.RuleConfig
		enable, disable []string
		want            []string
	}{
		{"defaults", nil, nil, nil, []string{"test-a"}},
		{"--enable a preset", nil, []string{"test-profile"}, nil, []string{"test-a", "test-b", "test-c"}},
		{"--disable a preset", nil, []string{"all"}, []string{"test-profile"}, []string{"test-a"}},
		{"config preset", map[string]filter.RuleConfig{"test-profile": {Enabled: &on}}, nil, nil, []string{"test-a", "test-b", "test-c"}},
		{"a rule's entry wins over its preset", map[string]filter.RuleConfig{"test-profile": {Enabled: &on}, "test-c": {Enabled: &off}}, nil, nil,
			[]string{"test-a", "test-b"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sel, err := filter.Select(all, presets, tc.config, tc.enable, tc.disable)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range sel.Rules {
				got = append(got, r.ID)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustRel(t *testing.T, base, path string) string {
	t.Helper()
	rel, err := filepath.Rel(base, path)
	if err != nil {
		t.Fatal(err)
	}
	return rel
}
