package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/ekslint/ekslint/lint/report/reporttest"
)

// A Deployment with an error (hostNetwork, line 13) and a warning on its container (line 15).
const badDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      hostNetwork: true
      containers:
        - name: web
          image: nginx:1.27
`

// workspace makes a GitHub workspace holding files (path → content) and points the runner's
// variables at it, as a container action sees them; it clears every INPUT_ variable, so a test
// sets only the inputs it is about. It returns the workspace and the runner's output and
// summary files.
func workspace(t *testing.T, files map[string]string) (ws, output, summary string) {
	t.Helper()
	dir := t.TempDir()
	ws = filepath.Join(dir, "workspace")
	for name, content := range files {
		path := filepath.Join(ws, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	output, summary = filepath.Join(dir, "output"), filepath.Join(dir, "summary")
	t.Setenv("GITHUB_WORKSPACE", ws)
	t.Setenv("GITHUB_OUTPUT", output)
	t.Setenv("GITHUB_STEP_SUMMARY", summary)
	for _, in := range actionInputs {
		t.Setenv(inputVar(in.name), "")
	}
	return ws, output, summary
}

// twoRules keeps the action tests to two rules, whatever other rules come to find in
// badDeployment.
var twoRules = []string{"--disable", "all", "--enable", "k8s-host-network,k8s-liveness-probe-missing"}

// inputVar is the variable the runner passes an input in: INPUT_FAIL-ON for fail-on.
func inputVar(name string) string { return "INPUT_" + strings.ToUpper(name) }

// readOutputs parses the runner's output file (name<<delimiter / value / delimiter).
func readOutputs(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	lines := strings.Split(string(data), "\n")
	for i := 0; i+2 < len(lines); i += 3 {
		name, delim, ok := strings.Cut(lines[i], "<<")
		if !ok || lines[i+2] != delim {
			t.Fatalf("output file is not name<<delimiter blocks:\n%s", data)
		}
		out[name] = lines[i+1]
	}
	return out
}

func TestAction(t *testing.T) {
	ws, output, summary := workspace(t, map[string]string{
		"deploy/app.yaml":      badDeployment,
		"my dir/web app.yaml":  badDeployment,
		"::error::forged.yaml": badDeployment, // a file name that reads like a workflow command
		"other/ignored.yaml":   badDeployment, // not in paths
	})
	t.Setenv(inputVar("paths"), "deploy\nmy dir\n\n::error::forged.yaml\n")

	stdout, stderr, code := ekslint(t, "", append([]string{"action"}, twoRules...)...)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (an error finding, fail-on error)\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, want := range []string{
		"::error col=7,endColumn=24,file=deploy/app.yaml,line=13,title=k8s-host-network::Deployment \"web\"",
		"::error col=7,endColumn=24,file=my dir/web app.yaml,line=13,title=k8s-host-network::",
		"::error col=7,endColumn=24,file=%3A%3Aerror%3A%3Aforged.yaml,line=13,title=k8s-host-network::",
		"::warning endLine=16,file=deploy/app.yaml,line=15,title=k8s-liveness-probe-missing::container \"web\"",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		if !strings.HasPrefix(line, "::error ") && !strings.HasPrefix(line, "::warning ") && !regexp.MustCompile(`^\d+ errors?, `).MatchString(line) {
			t.Errorf("stdout line is neither an annotation nor the summary: %q", line)
		}
	}
	if strings.Contains(stdout, "other/ignored.yaml") {
		t.Errorf("linted a file outside paths")
	}

	outputs := readOutputs(t, output)
	if want := map[string]string{"sarif-file": "ekslint.sarif", "findings": "6", "errors": "3", "warnings": "3", "notes": "0"}; !mapsEqual(outputs, want) {
		t.Errorf("outputs %v, want %v", outputs, want)
	}

	md, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| 3 | 3 | 0 | 0 | 0 | 0 | 3 |",
		"| [k8s-host-network](https://github.com/ekslint/ekslint/blob/main/docs/rules.md#k8s-host-network) | error | 3 |",
		`| error | deploy\/app\.yaml\:13\:7 | [k8s-host-network]`,
		`| error | \:\:error\:\:forged\.yaml\:13\:7 |`,
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("summary lacks %q:\n%s", want, md)
		}
	}

	sarifFile := filepath.Join(ws, "ekslint.sarif")
	var log struct {
		Runs []struct {
			OriginalURIBaseIDs map[string]struct{ URI string } `json:"originalUriBaseIds"`
			Results            []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI, URIBaseID string } `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	data, err := os.ReadFile(sarifFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	if got, want := log.Runs[0].OriginalURIBaseIDs["%SRCROOT%"].URI, "file://"+filepath.ToSlash(ws)+"/"; got != want {
		t.Errorf("%%SRCROOT%% is %s, want %s", got, want)
	}
	var uris []string
	for _, r := range log.Runs[0].Results {
		loc := r.Locations[0].PhysicalLocation.ArtifactLocation
		if loc.URIBaseID != "%SRCROOT%" {
			t.Errorf("%s: uriBaseId %q", loc.URI, loc.URIBaseID)
		}
		if !slices.Contains(uris, loc.URI) {
			uris = append(uris, loc.URI)
		}
	}
	slices.Sort(uris)
	if want := []string{"%3A%3Aerror%3A%3Aforged.yaml", "deploy/app.yaml", "my%20dir/web%20app.yaml"}; !slices.Equal(uris, want) {
		t.Errorf("SARIF URIs %v, want %v", uris, want)
	}
	reporttest.ValidateSARIF(t, sarifFile)
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// Outside a runner (or with a runner that sets no output or summary file) the Action still
// lints, writes SARIF and exits as the lint command does; go-githubactions would panic.
func TestActionWithoutRunnerFiles(t *testing.T) {
	ws, _, _ := workspace(t, map[string]string{"app.yaml": badDeployment})
	t.Setenv("GITHUB_OUTPUT", "")
	t.Setenv("GITHUB_STEP_SUMMARY", "")
	t.Setenv(inputVar("fail-on"), "none")
	t.Setenv(inputVar("sarif-file"), "reports/ekslint.sarif")
	if stdout, stderr, code := ekslint(t, "", "action"); code != 0 {
		t.Fatalf("exit %d, want 0 (fail-on none)\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if _, err := os.Stat(filepath.Join(ws, "reports", "ekslint.sarif")); err != nil {
		t.Errorf("no SARIF file: %v", err)
	}
}

// With annotations off the log gets the text report, which names the linted files as they are:
// it is printed with workflow commands stopped, so a file called ::error::x.yaml stays text.
func TestActionTextOutput(t *testing.T) {
	workspace(t, map[string]string{"::error::forged.yaml": badDeployment})
	t.Setenv(inputVar("annotations"), "false")
	t.Setenv(inputVar("summary"), "False")
	stdout, _, code := ekslint(t, "", append([]string{"action"}, twoRules...)...)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	m := regexp.MustCompile(`(?s)^::stop-commands::([0-9a-f]{32})\n(.*)::([0-9a-f]{32})::\n$`).FindStringSubmatch(stdout)
	if m == nil || m[1] != m[3] {
		t.Fatalf("text report is not inside ::stop-commands::<token> … ::<token>::\n%s", stdout)
	}
	if !strings.Contains(m[2], "::error::forged.yaml:13:7: error k8s-host-network:") {
		t.Errorf("text report lacks the finding:\n%s", m[2])
	}
}

func TestActionUsageErrors(t *testing.T) {
	for input, value := range map[string]string{
		"fail-on":     "fatal",
		"annotations": "yes",
		"summary":     "1",
	} {
		t.Run(input, func(t *testing.T) {
			_, output, _ := workspace(t, map[string]string{"app.yaml": badDeployment})
			t.Setenv(inputVar(input), value)
			stdout, stderr, code := ekslint(t, "", "action")
			if code != 2 {
				t.Fatalf("exit %d, want 2", code)
			}
			if !strings.HasPrefix(stdout, "::error title=ekslint::input "+input) || !strings.Contains(stderr, "input "+input) {
				t.Errorf("the error does not name input %s:\nstdout: %s\nstderr: %s", input, stdout, stderr)
			}
			if _, err := os.Stat(output); err == nil {
				t.Errorf("outputs set after a usage error")
			}
		})
	}
}

// The config and baseline inputs work as the --config and --baseline flags do, relative to the
// workspace; the config's failOn applies when the fail-on input is empty.
func TestActionConfigAndBaseline(t *testing.T) {
	dir, _, _ := workspace(t, map[string]string{
		"app.yaml":        badDeployment,
		"ci/ekslint.yaml": "rules:\n  k8s-host-network: {enabled: false}\nfailOn: warning\n",
	})
	t.Setenv(inputVar("config"), "ci/ekslint.yaml")
	stdout, _, code := ekslint(t, "", "action")
	if strings.Contains(stdout, "k8s-host-network") || code != 1 {
		t.Errorf("exit %d (want 1: warnings fail with the config's failOn), output:\n%s", code, stdout)
	}
	if _, _, code := ekslint(t, "", "baseline", "--root", dir, "--config", filepath.Join(dir, "ci/ekslint.yaml"), "--output", filepath.Join(dir, "ci/baseline.json"), dir); code != 0 {
		t.Fatalf("recording the baseline: exit %d", code)
	}
	t.Setenv(inputVar("baseline"), "ci/baseline.json")
	stdout, _, code = ekslint(t, "", "action")
	if code != 0 || strings.Contains(stdout, "::warning") {
		t.Errorf("with every finding in the baseline: exit %d, output:\n%s", code, stdout)
	}
}

// The values, set and kube-version inputs render charts as the flags of the same names do.
func TestActionHelmInputs(t *testing.T) {
	workspace(t, map[string]string{
		"chart/Chart.yaml":  "apiVersion: v2\nname: web\nversion: 0.1.0\nkubeVersion: \">=1.30.0-0\"\n",
		"chart/values.yaml": "replicaCount: 1\nhostNetwork: false\n",
		"chart/templates/deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: {{ .Values.replicaCount }}
  template:
    spec:
      hostNetwork: {{ .Values.hostNetwork }}
      containers:
        - name: web
          image: web@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31
`,
		"ci/prod.yaml": "hostNetwork: true\n",
	})
	t.Setenv(inputVar("values"), "ci/prod.yaml\n")
	t.Setenv(inputVar("set"), "replicaCount=3\n")
	t.Setenv(inputVar("kube-version"), "1.31")
	stdout, _, code := ekslint(t, "", "action", "--disable", "all", "--enable", "k8s-host-network,k8s-replicas-no-anti-affinity")
	if code != 1 || !strings.Contains(stdout, "file=chart/templates/deployment.yaml,line=9,title=k8s-host-network") ||
		!strings.Contains(stdout, "line=6,title=k8s-replicas-no-anti-affinity") {
		t.Errorf("exit %d, output:\n%s", code, stdout)
	}
	t.Setenv(inputVar("kube-version"), "1.29")
	if stdout, _, code := ekslint(t, "", "action"); code != 2 || !strings.Contains(stdout, "kubeVersion") {
		t.Errorf("a chart that does not support the input's Kubernetes version: exit %d, output:\n%s", code, stdout)
	}
}

// action.yml and docker/action.yml declare the inputs, defaults and outputs the command
// implements; action.yml passes every input on and maps every output back, and docker/action.yml
// runs the image's entrypoint with the action subcommand.
func TestActionMetadata(t *testing.T) {
	type step struct {
		ID  string
		Env map[string]string
		Run string
	}
	type metadata struct {
		Inputs map[string]struct {
			Description string
			Default     *string
		}
		Outputs map[string]struct{ Description, Value string }
		Runs    struct {
			Using, Image string
			Args         []string
			Steps        []step
		}
	}
	read := func(path string) metadata {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var meta metadata
		if err := yaml.Unmarshal(data, &meta); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(meta.Inputs) != len(actionInputs) {
			t.Errorf("%s has %d inputs, the command %d", path, len(meta.Inputs), len(actionInputs))
		}
		for _, in := range actionInputs {
			m, ok := meta.Inputs[in.name]
			switch {
			case !ok:
				t.Errorf("input %s is not in %s", in.name, path)
			case m.Default == nil || *m.Default != in.def:
				t.Errorf("input %s: %s's default is not %q", in.name, path, in.def)
			case m.Description == "":
				t.Errorf("input %s has no description in %s", in.name, path)
			}
		}
		var outputs []string
		for name, o := range meta.Outputs {
			outputs = append(outputs, name)
			if o.Description == "" {
				t.Errorf("output %s has no description in %s", name, path)
			}
		}
		slices.Sort(outputs)
		if want := slices.Sorted(slices.Values(actionOutputs)); !slices.Equal(outputs, want) {
			t.Errorf("%s outputs %v, the command sets %v", path, outputs, want)
		}
		return meta
	}

	meta := read("../../action.yml")
	if meta.Runs.Using != "composite" {
		t.Fatalf("action.yml runs using %q, want composite", meta.Runs.Using)
	}
	i := slices.IndexFunc(meta.Runs.Steps, func(s step) bool { return s.ID == "ekslint" })
	if i < 0 {
		t.Fatal("action.yml has no step with id ekslint")
	}
	run := meta.Runs.Steps[i]
	for _, in := range actionInputs {
		// IN_FAIL_ON: ${{ inputs.fail-on }}, passed on as "INPUT_FAIL-ON=$IN_FAIL_ON".
		v := "IN_" + strings.ToUpper(strings.ReplaceAll(in.name, "-", "_"))
		if got, want := run.Env[v], "${{ inputs."+in.name+" }}"; got != want {
			t.Errorf("action.yml step ekslint: env %s is %q, want %q", v, got, want)
		}
		if want := `"` + inputVar(in.name) + "=$" + v + `"`; !strings.Contains(run.Run, want) {
			t.Errorf("action.yml step ekslint does not pass %s", want)
		}
	}
	if !strings.HasSuffix(strings.TrimSpace(run.Run), `"$BIN" action`) {
		t.Errorf("action.yml step ekslint does not run ekslint action:\n%s", run.Run)
	}
	for name, o := range meta.Outputs {
		if want := "${{ steps.ekslint.outputs." + name + " }}"; o.Value != want {
			t.Errorf("action.yml output %s is %q, want %q", name, o.Value, want)
		}
	}

	meta = read("../../docker/action.yml")
	if meta.Runs.Using != "docker" || meta.Runs.Image != "../Dockerfile" || !slices.Equal(meta.Runs.Args, []string{"action"}) {
		t.Errorf("docker/action.yml runs: %+v, want docker, ../Dockerfile, [action]", meta.Runs)
	}
}

func TestLintFormatGitHub(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.yaml"), []byte(badDeployment), 0o644); err != nil {
		t.Fatal(err)
	}
	summary := filepath.Join(t.TempDir(), "summary")
	t.Setenv("GITHUB_WORKSPACE", dir)
	t.Setenv("GITHUB_STEP_SUMMARY", summary)
	stdout, stderr, code := ekslint(t, "", "lint", "--format", "github", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, stdout, stderr)
	}
	if want := "::error col=7,endColumn=24,file=app.yaml,line=13,title=k8s-host-network::"; !strings.Contains(stdout, want) {
		t.Errorf("stdout lacks %q:\n%s", want, stdout)
	}
	if md, err := os.ReadFile(summary); err != nil || !strings.Contains(string(md), "## ekslint") {
		t.Errorf("no job summary (%v):\n%s", err, md)
	}
}

// SARIF from the whole shared corpus of raw manifests and eksctl configs validates clean.
func TestSARIFOnCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("runs over the shared corpus; go test without -short runs it")
	}
	t.Setenv("GITHUB_WORKSPACE", "")
	for _, dir := range []string{"raw", "eksctl"} {
		t.Run(dir, func(t *testing.T) {
			corpus := filepath.Join("..", "..", "..", "shared", "corpus", dir)
			if _, err := os.Stat(corpus); err != nil {
				t.Skip("no ../shared/corpus beside the repository")
			}
			out := filepath.Join(t.TempDir(), dir+".sarif")
			if _, stderr, code := ekslint(t, "", "lint", "--format", "sarif", "--output", out, corpus); code == 2 && stderr != "" {
				t.Fatalf("lint failed: %s", stderr)
			}
			reporttest.ValidateSARIF(t, out)
		})
	}
}
