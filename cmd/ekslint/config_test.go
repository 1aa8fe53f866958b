package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/filter"
)

// repo makes a git work tree with files and makes it the working directory.
func repo(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files[".git/HEAD"] = "ref: refs/heads/main\n"
	for name, content := range files {
		writeFile(t, filepath.Join(dir, name), content)
	}
	t.Chdir(dir)
	return dir
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

const hostNetworkPod = `apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  hostNetwork: true
  containers:
    - name: agent
      image: agent@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31
`

// only runs these rules, so the tests do not depend on the rest of the catalogue.
var only = []string{"--disable", "all", "--enable", "k8s-host-network,k8s-liveness-probe-missing,unused-ignore"}

func TestConfigFile(t *testing.T) {
	repo(t, map[string]string{
		".ekslint.yaml": `rules:
  k8s-host-network: {level: warning}
  k8s-liveness-probe-missing: {enabled: false}
ignore: [vendor]
failOn: warning
`,
		"app/pod.yaml":    hostNetworkPod,
		"vendor/pod.yaml": hostNetworkPod,
	})
	out, _, code := ekslint(t, "", append([]string{"lint", "--color", "never"}, only...)...)
	// The flags turn on liveness, and win over the config; the level and the ignore come from it.
	want := "app/pod.yaml:6:3: warning k8s-host-network: "
	if code != engine.ExitFindings || !strings.HasPrefix(out, want) || !strings.Contains(out, "k8s-liveness-probe-missing") || strings.Contains(out, "vendor/") {
		t.Errorf("exit %d, output:\n%s\nwant exit 1, starting with %q, liveness on, nothing from vendor/", code, out, want)
	}
	out, _, code = ekslint(t, "", "lint", "--disable", "all", "--enable", "k8s-host-network", "--fail-on", "error")
	if code != engine.ExitClean {
		t.Errorf("--fail-on error over the config's failOn warning: exit %d, want 0\n%s", code, out)
	}
	// The config is found from a subfolder too: it lives in the lint root.
	t.Chdir("app")
	if out, _, code = ekslint(t, "", append([]string{"lint"}, only...)...); code != engine.ExitFindings || !strings.HasPrefix(out, "pod.yaml:6:3: warning") {
		t.Errorf("from app/: exit %d, output:\n%s", code, out)
	}
}

func TestConfigErrors(t *testing.T) {
	dir := repo(t, map[string]string{
		".ekslint.yaml": "rules:\n  k8s-host-network: {levle: note}\n",
		"pod.yaml":      hostNetworkPod,
	})
	for _, format := range []string{"text", "json"} {
		out, _, code := ekslint(t, "", "lint", "--format", format)
		if code != engine.ExitInput || !strings.Contains(out, "unknown key") || !strings.Contains(out, "did you mean level?") {
			t.Errorf("%s: exit %d, output:\n%s\nwant exit 2 and the problem", format, code, out)
		}
		if format == "text" && !strings.HasPrefix(out, ".ekslint.yaml:2:22: error: unknown key \"levle\" in rules.k8s-host-network") {
			t.Errorf("text output does not start with the problem at its line:\n%s", out)
		}
	}
	// --config names another file; problems in it are reported at its path.
	writeFile(t, filepath.Join(dir, "ci", "strict.yaml"), "failOn: strict\n")
	if out, _, code := ekslint(t, "", "lint", "--config", "ci/strict.yaml"); code != engine.ExitInput ||
		!strings.HasPrefix(out, "ci/strict.yaml:1:9: error: failOn: unknown level \"strict\"") {
		t.Errorf("--config: exit %d, output:\n%s", code, out)
	}
	if _, errOut, code := ekslint(t, "", "lint", "--config", "ci/missing.yaml"); code != engine.ExitInput || errOut != "" {
		t.Errorf("missing --config file: exit %d, stderr %q; want exit 2 reported like a finding", code, errOut)
	}
	if _, errOut, code := ekslint(t, "", "baseline"); code != engine.ExitInput || !strings.Contains(errOut, "did you mean level?") {
		t.Errorf("baseline with a broken config: exit %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, ".ekslint-baseline.json")); err == nil {
		t.Error("baseline written although the config is broken")
	}
}

func TestSuppressionsInSARIF(t *testing.T) {
	repo(t, map[string]string{
		"app/pod.yaml": strings.Replace(hostNetworkPod, "hostNetwork: true", "hostNetwork: true # ekslint:ignore k8s-host-network -- CNI agent", 1) +
			"---\n" + strings.Replace(hostNetworkPod, "name: agent\n", "name: annotated\n  annotations: {ekslint.io/ignore: k8s-host-network}\n", 1) +
			"---\n" + strings.Replace(hostNetworkPod, "hostNetwork: true", "hostNetwork: true # ekslint:ignore k8s-host-netwrk", 1),
	})
	out, _, code := ekslint(t, "", "lint", "--format", "sarif", "--disable", "all", "--enable", "k8s-host-network,unused-ignore")
	if code != engine.ExitFindings {
		t.Errorf("exit %d, want 1: the last pod's finding is not suppressed (typo)", code)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct{ ID string }
				}
			}
			Results []struct {
				RuleID       string
				Level        string
				Message      struct{ Text string }
				Suppressions []struct{ Kind, Justification string }
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	var driver []string
	for _, r := range log.Runs[0].Tool.Driver.Rules {
		driver = append(driver, r.ID)
	}
	var got []string
	for _, r := range log.Runs[0].Results {
		if !slices.Contains(driver, r.RuleID) {
			t.Errorf("result for %s, which is not among the driver's rules %v", r.RuleID, driver)
		}
		s := r.RuleID
		for _, sup := range r.Suppressions {
			s += " " + sup.Kind + ":" + sup.Justification
		}
		got = append(got, s)
	}
	want := []string{
		"k8s-host-network inSource:CNI agent",
		"k8s-host-network inSource:",
		"k8s-host-network",
		"unused-ignore", // the typo
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("results %v, want %v", got, want)
	}
}

func TestBaselineWorkflow(t *testing.T) {
	dir := repo(t, map[string]string{
		".ekslint.yaml": "baseline: .ekslint-baseline.json\n",
		"app/pod.yaml":  hostNetworkPod,
	})
	// Before the baseline is recorded, the config names a file that does not exist.
	if out, _, code := ekslint(t, "", "lint"); code != engine.ExitInput || !strings.Contains(out, ".ekslint-baseline.json: error: cannot read") {
		t.Errorf("missing baseline: exit %d, output:\n%s", code, out)
	}
	out, _, code := ekslint(t, "", append([]string{"baseline"}, only...)...)
	if code != engine.ExitClean || out != "ekslint: recorded 2 findings in .ekslint-baseline.json\n" {
		t.Fatalf("baseline: exit %d, output %q", code, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, ".ekslint-baseline.json"))
	if err != nil || !strings.Contains(string(data), `"file": "app/pod.yaml"`) {
		t.Fatalf("baseline file: %v\n%s", err, data)
	}
	if out, _, code = ekslint(t, "", append([]string{"lint"}, only...)...); code != engine.ExitClean || !strings.Contains(out, "2 in baseline") {
		t.Errorf("lint with the baseline: exit %d, output:\n%s", code, out)
	}
	// Lines move and a new finding appears: only the new one counts.
	writeFile(t, filepath.Join(dir, "app", "pod.yaml"), "# moved down\n"+hostNetworkPod+"---\n"+strings.Replace(hostNetworkPod, "agent\n", "agent2\n", 1))
	out, _, code = ekslint(t, "", append([]string{"lint", "--format", "json"}, only...)...)
	var rep struct {
		Findings []struct {
			Line     int
			Rule     string
			Baseline string
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Findings {
		got = append(got, f.Rule+" "+f.Baseline)
	}
	want := []string{"k8s-host-network unchanged", "k8s-liveness-probe-missing unchanged", "k8s-host-network new", "k8s-liveness-probe-missing new"}
	if code != engine.ExitFindings || !slices.Equal(got, want) {
		t.Errorf("exit %d, findings %v; want exit 1 and %v", code, got, want)
	}
	// --baseline on the command line wins over the config; it is relative to the working directory.
	t.Chdir("app")
	if out, _, code = ekslint(t, "", "lint", "--baseline", "missing.json"); code != engine.ExitInput || !strings.HasPrefix(out, "missing.json: error: cannot read") {
		t.Errorf("--baseline missing.json: exit %d, output:\n%s", code, out)
	}
}

// The unused-ignore rule's documented example does what it says.
func TestUnusedIgnoreExample(t *testing.T) {
	repo(t, map[string]string{})
	for _, c := range []struct {
		name, src string
		want      bool
	}{{"bad", filter.UnusedIgnore.Example.Bad, true}, {"good", filter.UnusedIgnore.Example.Good, false}} {
		out, _, _ := ekslint(t, c.src, "lint", "-", "--disable", "all", "--enable", "k8s-host-network,unused-ignore", "--fail-on", "note")
		if got := strings.Contains(out, "unused-ignore"); got != c.want {
			t.Errorf("%s example: unused-ignore reported: %v, want %v\n%s", c.name, got, c.want, out)
		}
	}
}

func TestRulesListsUnusedIgnore(t *testing.T) {
	if out, _, _ := ekslint(t, "", "rules"); !strings.Contains(out, "unused-ignore") {
		t.Errorf("ekslint rules does not list unused-ignore:\n%s", out)
	}
}

// The config's dataFile is used like --data, and --data wins over it.
func TestConfigDataFile(t *testing.T) {
	dir := repo(t, map[string]string{
		".ekslint.yaml":        "dataFile: ci/eks-versions.yaml\n",
		"ci/eks-versions.yaml": "as_of: not a date\n",
		"good.yaml":            string(lint.BuiltinVersionsYAML()),
		"app/pod.yaml":         hostNetworkPod,
	})
	if _, errOut, code := ekslint(t, "", "lint", "app"); code != engine.ExitInput || !strings.Contains(errOut, "dataFile in the config:") {
		t.Errorf("broken dataFile: exit %d, stderr %q", code, errOut)
	}
	if out, errOut, code := ekslint(t, "", "lint", "app", "--data", filepath.Join(dir, "good.yaml")); code != engine.ExitFindings {
		t.Errorf("--data over the config: exit %d, want 1\n%s%s", code, out, errOut)
	}
}

// TestSuppressionsEverywhere: `# ekslint:ignore` works the same in a manifest, an eksctl config, a
// Helm template (read from the template at the finding's mapped line) and a Kustomize base and
// patch; the annotation works on a rendered object. What is not covered is still reported.
func TestSuppressionsEverywhere(t *testing.T) {
	deployment := func(name, hostNetwork string) string {
		return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ` + name + `
spec:
  template:
    spec:
` + hostNetwork + `
      containers:
        - name: app
          image: app@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31
`
	}
	repo(t, map[string]string{
		"raw/pod.yaml": strings.Replace(hostNetworkPod, "hostNetwork: true", "hostNetwork: true # ekslint:ignore k8s-host-network -- CNI agent", 1),
		"eksctl/cluster.yaml": "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: prod\n  region: eu-west-1\n" +
			"managedNodeGroups:\n  - name: ng\n    # ekslint:ignore eks-nodegroup-ssh-enabled,eks-nodegroup-ssh-open-to-internet -- break-glass access\n" +
			"    ssh:\n      publicKeyName: ops\n",
		"chart/Chart.yaml":  "apiVersion: v2\nname: agent\nversion: 0.1.0\n",
		"chart/values.yaml": "hostNetwork: true\n",
		"chart/templates/deployment.yaml": deployment("{{ .Release.Name }}-agent",
			"      # ekslint:ignore k8s-host-network -- node agent\n      hostNetwork: {{ .Values.hostNetwork }}"),
		"chart/templates/annotated.yaml": strings.Replace(deployment("{{ .Release.Name }}-annotated", "      hostNetwork: true"),
			"  name: {{ .Release.Name }}-annotated\n", "  name: {{ .Release.Name }}-annotated\n  annotations:\n    ekslint.io/ignore: k8s-host-network\n", 1),
		"kustomize/base/kustomization.yaml": "resources: [deployment.yaml, other.yaml]\n",
		"kustomize/base/deployment.yaml":    deployment("in-base", "      hostNetwork: true # ekslint:ignore k8s-host-network"),
		"kustomize/base/other.yaml":         deployment("patched", "      dnsPolicy: ClusterFirst"),
		"kustomize/prod/kustomization.yaml": "resources: [../base]\npatches:\n  - path: patch.yaml\n",
		"kustomize/prod/patch.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: patched\nspec:\n  template:\n    spec:\n" +
			"      # ekslint:ignore k8s-host-network -- reviewed\n      hostNetwork: true\n",
		"left/pod.yaml": hostNetworkPod,
	})
	out, _, code := ekslint(t, "", "lint", "--format", "json", "--disable", "all",
		"--enable", "k8s-host-network,eks-nodegroup-ssh-enabled,eks-nodegroup-ssh-open-to-internet,unused-ignore")
	if code != engine.ExitFindings {
		t.Errorf("exit %d, want 1 for the pod in left/", code)
	}
	var rep struct {
		Findings []struct {
			Rule, File  string
			Line        int
			Suppression *struct{ Kind, Justification string }
		}
		Problems []struct{ Message string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	for _, p := range rep.Problems {
		t.Errorf("problem: %s", p.Message)
	}
	var got []string
	for _, f := range rep.Findings {
		s := fmt.Sprintf("%s:%d %s", f.File, f.Line, f.Rule)
		if f.Suppression != nil {
			s += " suppressed by " + f.Suppression.Kind + " (" + f.Suppression.Justification + ")"
		}
		got = append(got, s)
	}
	want := []string{
		"chart/templates/annotated.yaml:10 k8s-host-network suppressed by annotation ()",
		"chart/templates/deployment.yaml:9 k8s-host-network suppressed by comment (node agent)",
		"eksctl/cluster.yaml:9 eks-nodegroup-ssh-enabled suppressed by comment (break-glass access)",
		"eksctl/cluster.yaml:9 eks-nodegroup-ssh-open-to-internet suppressed by comment (break-glass access)",
		"kustomize/base/deployment.yaml:8 k8s-host-network suppressed by comment ()",
		"kustomize/prod/patch.yaml:9 k8s-host-network suppressed by comment (reviewed)",
		"left/pod.yaml:6 k8s-host-network",
		"raw/pod.yaml:6 k8s-host-network suppressed by comment (CNI agent)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
