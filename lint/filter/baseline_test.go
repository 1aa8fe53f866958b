package filter_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/discover"
	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/filter"
)

// lintFrom lints root as seen from wd (display paths are relative to wd) and filters it.
func lintFrom(t *testing.T, root, wd string, baseline *filter.Baseline) *engine.Result {
	t.Helper()
	inputs, problems := discover.Discover([]string{root}, discover.Options{Root: root, WorkDir: wd})
	res := engine.Run(context.Background(), inputs, engine.Options{Rules: testRules})
	res.Problems = append(problems, res.Problems...)
	filter.Filter(res, filter.Options{Rules: testRules, Known: knownRules, Root: root, WorkDir: wd, Baseline: baseline})
	return res
}

func pod(name string, hostNetwork bool, extra string) string {
	return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n" + extra + "spec:\n  hostNetwork: " +
		map[bool]string{true: "true", false: "false"}[hostNetwork] + "\n  containers: [{name: a, image: a}]\n"
}

func TestBaselineRoundTrip(t *testing.T) {
	root := t.TempDir()
	file := filepath.Join(root, "app", "pods.yaml")
	write(t, file, strings.Join([]string{
		pod("a", true, ""),
		pod("b", true, ""),
		pod("quiet", true, "  annotations: {ekslint.io/ignore: test-host-network}\n"),
	}, "---\n"))
	elsewhere := t.TempDir()
	res := lintFrom(t, root, elsewhere, nil)
	base := filter.NewBaseline(res, root, elsewhere)
	var buf bytes.Buffer
	if err := base.Write(&buf); err != nil {
		t.Fatal(err)
	}
	// The file is reviewable: rule, root-relative file, object, path and message, no lines.
	var raw struct {
		Version  int              `json:"version"`
		Findings []map[string]any `json:"findings"`
	}
	if err := json.Unmarshal(buf.Bytes(), &raw); err != nil {
		t.Fatal(err)
	}
	if raw.Version != 1 || len(raw.Findings) != 2 {
		t.Fatalf("baseline %s: want version 1 and the two findings not suppressed", buf.String())
	}
	first := raw.Findings[0]
	if first["rule"] != "test-host-network" || first["file"] != "app/pods.yaml" || first["path"] != "spec.hostNetwork" ||
		first["message"] != "hostNetwork: true" || first["object"].(map[string]any)["name"] != "a" || first["fingerprint"] == "" {
		t.Errorf("first entry %v", first)
	}
	if strings.Contains(buf.String(), `"line"`) {
		t.Errorf("baseline records line numbers:\n%s", buf.String())
	}

	read, p := filter.ParseBaseline(lint.NewText(".ekslint-baseline.json", buf.Bytes()))
	if p != nil {
		t.Fatal(p)
	}
	// Lines shift above the findings, a new one appears, and the run is seen from another folder.
	write(t, file, "# a comment\n# and another\n"+strings.Join([]string{
		pod("a", true, "  labels: {app: a}\n"),
		pod("b", true, ""),
		pod("c", true, ""),
		pod("quiet", true, "  annotations: {ekslint.io/ignore: test-host-network}\n"),
	}, "---\n"))
	res = lintFrom(t, root, root, read)
	want := []string{
		"pods.yaml:9 test-host-network unchanged",
		"pods.yaml:17 test-host-network unchanged",
		"pods.yaml:25 test-host-network new",
		`pods.yaml:34 test-host-network [annotation ""] new`,
	}
	if got := describeAll(res.Findings); !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	c := res.Count()
	if c.Baselined != 2 || c.Warnings != 1 || c.Suppressed != 1 {
		t.Errorf("counts %+v, want 2 baselined, 1 warning, 1 suppressed", c)
	}
	if got := res.ExitCode(lint.Warning); got != engine.ExitFindings {
		t.Errorf("exit %d with a new warning, want 1", got)
	}
	if len(res.Problems) != 0 {
		t.Errorf("problems %v", res.Problems)
	}

	// Fixing a baselined finding leaves a note that the baseline can shrink; nothing else counts.
	write(t, file, pod("a", false, "")+"---\n"+pod("b", true, ""))
	res = lintFrom(t, root, root, read)
	if c := res.Count(); c.Baselined != 1 || c.Warnings != 0 || res.ExitCode(lint.Note) != engine.ExitClean {
		t.Errorf("counts %+v, exit %d; want 1 baselined and exit 0", c, res.ExitCode(lint.Note))
	}
	if len(res.Problems) != 1 || res.Problems[0].Level != lint.Note || res.Problems[0].Pos.File != ".ekslint-baseline.json" ||
		!strings.HasPrefix(res.Problems[0].Message, "1 of its findings are fixed") {
		t.Errorf("problems %v, want a note on the baseline that one finding is fixed", res.Problems)
	}
}

// Two findings with one fingerprint (same rule, file, object and path) need two entries.
func TestBaselineCountsDuplicates(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "p.yaml"), pod("a", true, "")+"---\n"+pod("a", true, ""))
	res := lintFrom(t, root, root, nil)
	base := filter.NewBaseline(res, root, root)
	base.Findings = base.Findings[:1]
	res = lintFrom(t, root, root, base)
	if got := describeAll(res.Findings); !slices.Equal(got, []string{"p.yaml:6 test-host-network unchanged", "p.yaml:14 test-host-network new"}) {
		t.Errorf("findings %v", got)
	}
}

func TestParseBaselineErrors(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"syntax", "{\n  \"version\": 1,\n  \"findings\": [\n    {\"rule\": }\n  ]\n}\n", "b.json:4:14: not an ekslint baseline: invalid character '}'"},
		{"type", "{\"version\": \"1\"}", "b.json:1:"},
		{"type in a finding", "{\"version\": 1,\n  \"findings\": [\n    {\"fingerprint\": \"a\"},\n    {\"fingerprint\": 5}\n  ]\n}\n", "b.json:4:21: not an ekslint baseline: findings.fingerprint is number"},
		{"version", "{\"version\": 2, \"findings\": []}", "b.json: not an ekslint baseline: version 2; this ekslint reads version 1"},
		{"fingerprint", "{\"version\": 1, \"findings\": [{\"rule\": \"x\"}]}", "b.json: not an ekslint baseline: findings[0] has no fingerprint"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, p := filter.ParseBaseline(lint.NewText("b.json", []byte(c.src)))
			if p == nil || p.Level != lint.Error || !strings.HasPrefix(p.String(), c.want) {
				t.Errorf("problem %v, want it to start with %q", p, c.want)
			}
		})
	}
}
