package rules

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/discover"
	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/helm"
	"github.com/ekslint/ekslint/lint/kustomize"
	"github.com/ekslint/ekslint/lint/load"
)

// checkRules maps every check of k8s.io/pod-security-admission to the rules that report it;
// checks no rule but k8s-pss-admission-rejected reports (RULES.md has no row for them) map to
// none. A library that adds a check fails TestPodSecurityChecks until it is placed here.
var checkRules = map[policy.CheckID][]string{
	"privileged":                 {"k8s-privileged-container"},
	"windowsHostProcess":         {"k8s-privileged-container"},
	"hostNamespaces":             {"k8s-host-pid-ipc", "k8s-host-network"},
	"capabilities_baseline":      {"k8s-dangerous-capabilities"},
	"hostPathVolumes":            {"k8s-host-path-volume"},
	"hostPorts":                  {"k8s-host-port"},
	"seccompProfile_baseline":    {"k8s-unconfined-profile"},
	"appArmorProfile":            {"k8s-unconfined-profile"},
	"procMount":                  {"k8s-unconfined-profile"},
	"seLinuxOptions":             {"k8s-unconfined-profile"},
	"sysctls":                    {"k8s-unsafe-sysctls"},
	"hostProbesAndHostLifecycle": nil,
	"allowPrivilegeEscalation":   {"k8s-privilege-escalation-allowed"},
	"runAsNonRoot":               {"k8s-run-as-root"},
	"runAsUser":                  {"k8s-run-as-root"},
	"seccompProfile_restricted":  {"k8s-seccomp-profile-missing"},
	"capabilities_restricted":    {"k8s-capabilities-not-dropped"},
	"restrictedVolumes":          {"k8s-restricted-volume-type"},
	"procMount_restricted":       nil,
}

// TestPodSecurityChecks holds ekslint to the library it uses: every check is known to the
// locator and placed in a rule.
func TestPodSecurityChecks(t *testing.T) {
	for _, c := range psChecks() {
		if _, ok := checkRules[c.id]; !ok {
			t.Errorf("k8s-pod-security-admission has check %q that no rule reports: add it to checkRules and to a rule", c.id)
		}
		if _, ok := checkReads[c.id]; !ok {
			t.Errorf("check %q: add the fields it reads to checkReads", c.id)
		}
		if len(c.versions) > 8 {
			t.Errorf("check %q has %d versions; breaches keep them in 8 bits", c.id, len(c.versions))
		}
	}
	for id := range checkRules {
		if checkIndex(id) < 0 {
			t.Errorf("checkRules names %q, which the library does not have", id)
		}
	}
	for id := range checkReads {
		if checkIndex(id) < 0 {
			t.Errorf("checkReads names %q, which the library does not have", id)
		}
	}
}

// TestPodSecurityPresets checks the profile presets against RULES.md: baseline is rules 75-81
// with k8s-host-network, restricted adds 82-86.
func TestPodSecurityPresets(t *testing.T) {
	data, err := os.ReadFile("../../shared/RULES.md")
	if err != nil {
		t.Skip("../shared/RULES.md not present")
	}
	byNumber := map[int]string{}
	for _, m := range regexp.MustCompile("(?m)^\\| (\\d+) \\| `([a-z0-9-]+)` \\|").FindAllStringSubmatch(string(data), -1) {
		n, _ := strconv.Atoi(m[1])
		byNumber[n] = m[2]
	}
	rows := func(from, to int) []string {
		var out []string
		for n := from; n <= to; n++ {
			out = append(out, byNumber[n])
		}
		return out
	}
	baseline := slices.Concat([]string{"k8s-host-network"}, rows(75, 81))
	want := map[string][]string{
		"pod-security-baseline":   baseline,
		"pod-security-restricted": slices.Concat(baseline, rows(82, 86)),
	}
	got := Presets()
	if !maps.EqualFunc(got, want, slices.Equal) {
		t.Errorf("Presets() = %v, want %v", got, want)
	}
	order := map[string]int{}
	for i, r := range All() {
		order[r.ID] = i
	}
	for name, ids := range got {
		for i, id := range ids {
			if _, ok := order[id]; !ok {
				t.Errorf("preset %s names %s, which is not a rule", name, id)
			} else if i > 0 && order[ids[i-1]] > order[id] {
				t.Errorf("preset %s is not in catalogue order at %s", name, id)
			}
		}
	}
}

// TestPodSecurityWrongTypes feeds pod templates whose fields have the wrong types: nothing
// panics, and a field the API server would refuse is no finding.
func TestPodSecurityWrongTypes(t *testing.T) {
	src := `
apiVersion: v1
kind: Pod
metadata:
  name: p
  annotations:
    container.apparmor.security.beta.kubernetes.io/a: [unconfined]
    seccomp.security.alpha.kubernetes.io/pod: {type: unconfined}
spec:
  hostPID: "true"
  hostIPC: 1
  os: linux
  securityContext:
    runAsNonRoot: "yes please"
    runAsUser: root
    seccompProfile: Unconfined
    seLinuxOptions: [spc_t]
    sysctls: {name: kernel.msgmax}
  volumes:
    - hostPath
    - name: v
      hostPath: /var/run/docker.sock
  containers:
    - name: a
      securityContext: privileged
    - name: b
      ports: 8080
      securityContext:
        privileged: "true"
        capabilities: {add: SYS_ADMIN, drop: ALL}
        procMount: [Unmasked]
        seccompProfile: {type: [Unconfined]}
  ephemeralContainers:
    - [not, a, container]
    - name: [e]
      securityContext: {privileged: 1}
`
	pod := podOf(t, src)
	var fields []field
	for _, b := range pod.evaluate(&podProbe{}).breaches {
		fields = append(fields, b.field)
	}
	// Only what the restricted standard requires and nothing here sets correctly is left.
	want := []field{fAllowPrivilegeEscalation, fAllowPrivilegeEscalation, fPodRunAsNonRoot, fPodSeccomp, fCapDrop, fCapDrop}
	slices.Sort(fields)
	slices.Sort(want)
	if !slices.Equal(fields, want) {
		t.Errorf("breaches on fields %v, want %v", fields, want)
	}
	res := engine.Run(context.Background(), []load.Input{{Kind: load.Stdin, Path: load.StdinName}},
		engine.Options{Rules: podSecurity, Stdin: strings.NewReader(src)})
	for _, p := range res.Problems {
		if strings.Contains(p.Message, "internal error") {
			t.Error(p)
		}
	}
}

// TestPodSecurityAgreement runs every workload of the corpus (raw manifests, overlays, charts
// rendered with their values) through the library twice, on a full decode of its YAML and on
// ekslint's sites, at both levels and every policy version, and requires the same results, check
// by check, reason and detail; then through ekslint's rules, which must fire exactly for the
// controls the library refuses at the newest version. A library upgrade that changes a control
// fails here rather than drifting.
func TestPodSecurityAgreement(t *testing.T) {
	if testing.Short() {
		t.Skip("lints the whole corpus")
	}
	corpus, err := filepath.Abs("../../shared/corpus")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(corpus); err != nil {
		t.Skip("../shared/corpus not present")
	}
	charts, err := helm.New(helm.Options{WorkDir: corpus, ValueSets: func(in load.Input) []helm.ValueSet {
		if name := filepath.Base(in.Abs); name == "aws-load-balancer-controller" || name == "external-dns" {
			return []helm.ValueSet{{Name: "corpus", Files: []string{filepath.Join(corpus, "helm-values", name+".yaml")}}}
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, sub := range []string{"raw", "kustomize", "helm"} {
		dirs = append(dirs, filepath.Join(corpus, sub))
	}
	inputs, _ := discover.Discover(dirs, discover.Options{Root: corpus, WorkDir: corpus})

	type workload struct {
		name, template string
		yaml           []byte
	}
	var mu sync.Mutex
	var workloads []workload
	var pipelineDisagreements []string
	pods, undecodable, compared := 0, 0, 0
	capture := &lint.Rule{ID: "capture", Level: lint.Note, Inputs: lint.WorkloadInput, Check: func(p *lint.Pass) {
		o := p.Object
		if o.Format != lint.Kubernetes || !o.IsWorkload() || !o.PodSpec().IsMap() {
			return
		}
		src, err := objectYAML(o)
		if err != nil {
			t.Errorf("%s: %v", o.Place().Pos, err)
			return
		}
		name := fmt.Sprintf("%s %s/%s (%s)", o.Kind(), o.Namespace(), o.Name(), o.Place().Pos)
		template := o.PodTemplate().Path()
		meta, spec, err := fullDecode(template, src)
		mu.Lock()
		defer mu.Unlock()
		pods++
		if err != nil {
			undecodable++
			t.Logf("%s: not decodable, skipped (the API server would refuse it): %v", name, err)
			return
		}
		pod := readPod(o.PodTemplate())
		diffs, n := comparePipeline(pod, meta, spec)
		compared += n
		for _, d := range diffs {
			pipelineDisagreements = append(pipelineDisagreements, name+": "+d)
		}
		workloads = append(workloads, workload{name, template, src})
	}}
	res := engine.Run(context.Background(), inputs, engine.Options{Rules: []*lint.Rule{capture},
		Loaders: map[load.InputKind]load.Loader{load.Chart: charts, load.Overlay: kustomize.NewLoader()}})
	for _, p := range res.Problems {
		if strings.Contains(p.Message, "internal error") {
			t.Error(p)
		}
	}
	for _, d := range pipelineDisagreements {
		t.Error(d)
	}

	// The rules, one workload at a time so that findings of different objects at one place are
	// not merged.
	rules := append([]*lint.Rule{HostNetwork}, podSecurity[:12]...)
	ruleDisagreements, fired := 0, map[string]int{}
	newest := newestVersion(&lint.Env{})
	alone := map[policy.CheckID]policy.Evaluator{}
	for _, c := range policy.DefaultChecks() {
		alone[c.ID], _ = policy.NewEvaluator([]policy.Check{c}, nil)
	}
	for _, w := range workloads {
		want := map[string]bool{}
		meta, spec, _ := fullDecode(w.template, w.yaml)
		for _, c := range policy.DefaultChecks() {
			// A baseline check is judged at baseline, a restricted one at restricted: each rule is
			// one control at its own level.
			r := policy.AggregateCheckResults(alone[c.ID].EvaluatePod(api.LevelVersion{Level: c.Level, Version: newest}, meta, spec))
			if r.Allowed {
				continue
			}
			for _, id := range checkRules[c.ID] {
				switch {
				case id == "k8s-host-network" && !spec.HostNetwork, id == "k8s-host-pid-ipc" && !spec.HostPID && !spec.HostIPC,
					id == "k8s-host-port" && !hostPortsBeyondHostNetwork(spec):
				default:
					want[id] = true
				}
			}
		}
		got := map[string]bool{}
		out := engine.Run(context.Background(), []load.Input{{Kind: load.Stdin, Path: load.StdinName}},
			engine.Options{Rules: rules, Stdin: bytes.NewReader(w.yaml)})
		for _, f := range out.Findings {
			got[f.Rule.ID] = true
			fired[f.Rule.ID]++
		}
		for _, r := range rules {
			if got[r.ID] != want[r.ID] {
				ruleDisagreements++
				t.Errorf("%s: %s fired %v, the library on a full decode says %v", w.name, r.ID, got[r.ID], want[r.ID])
			}
		}
	}
	t.Logf("%d workloads (%d not decodable), %d check results compared, %d rule verdicts compared: %d and %d disagreements; workloads per rule: %v",
		pods, undecodable, compared, len(workloads)*len(rules), len(pipelineDisagreements), ruleDisagreements, fired)
	if len(workloads) < 100 {
		t.Errorf("only %d workloads in the corpus: is it complete?", len(workloads))
	}
}

// hostPortsBeyondHostNetwork reports whether a decoded pod has a host port that hostNetwork does
// not give it anyway: any, unless the pod is hostNetwork, where the API server makes each init and
// app container port's hostPort its containerPort.
func hostPortsBeyondHostNetwork(spec *corev1.PodSpec) bool {
	for _, list := range [][]corev1.Container{spec.InitContainers, spec.Containers} {
		for _, c := range list {
			for _, port := range c.Ports {
				if port.HostPort != 0 && (!spec.HostNetwork || port.HostPort != port.ContainerPort) {
					return true
				}
			}
		}
	}
	for _, c := range spec.EphemeralContainers {
		for _, port := range c.Ports {
			if port.HostPort != 0 {
				return true
			}
		}
	}
	return false
}

// TestHostNetworkPortsVerdict holds k8s-host-port's silence on the ports of a hostNetwork pod to
// the library: at every level and policy version, a hostNetwork pod is refused with those host
// ports exactly when it is refused without them, so leaving them to hostNetwork changes no
// verdict k8s-pss-admission-rejected predicts.
func TestHostNetworkPortsVerdict(t *testing.T) {
	eval, err := policy.NewEvaluator(policy.DefaultChecks(), nil)
	if err != nil {
		t.Fatal(err)
	}
	pod := func(hostPort int32) *corev1.PodSpec {
		return &corev1.PodSpec{HostNetwork: true, Containers: []corev1.Container{
			{Name: "c", Ports: []corev1.ContainerPort{{ContainerPort: 9558, HostPort: hostPort}}}}}
	}
	for _, level := range []api.Level{api.LevelPrivileged, api.LevelBaseline, api.LevelRestricted} {
		for minor := 0; minor <= 40; minor++ {
			lv := api.LevelVersion{Level: level, Version: api.MajorMinorVersion(1, minor)}
			with := policy.AggregateCheckResults(eval.EvaluatePod(lv, &metav1.ObjectMeta{}, pod(9558)))
			without := policy.AggregateCheckResults(eval.EvaluatePod(lv, &metav1.ObjectMeta{}, pod(0)))
			if with.Allowed != without.Allowed {
				t.Errorf("%s: a hostNetwork pod is allowed %v with its host ports, %v without", lv, with.Allowed, without.Allowed)
			}
		}
	}
}

// objectYAML finds the object's YAML in its document (itself, or an item of a List).
func objectYAML(o *lint.Object) ([]byte, error) {
	root := o.Document().Root
	candidates := []*yaml.Node{root}
	if items := child(root, "items"); items != nil && strings.HasSuffix(scalar(child(root, "kind")), "List") {
		candidates = items.Content
	}
	for _, c := range candidates {
		if scalar(child(c, "kind")) == o.Kind() && scalar(child(child(c, "metadata"), "name")) == o.Name() {
			return yaml.Marshal(c)
		}
	}
	return nil, fmt.Errorf("%s %s not found in its document", o.Kind(), o.Name())
}

func child(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func scalar(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	return n.Value
}

// TestPodSecurityLevels checks what the fixtures cannot: the level of each finding, and the
// namespace label rule 89 gives as a related location.
func TestPodSecurityLevels(t *testing.T) {
	src := `apiVersion: v1
kind: Namespace
metadata:
  name: staging
  labels:
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/warn: restricted
---
apiVersion: v1
kind: Namespace
metadata:
  name: node-agents
  labels:
    pod-security.kubernetes.io/enforce: privileged
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  namespace: node-agents
spec:
  template:
    spec:
      volumes:
        - name: docker
          hostPath: {path: /var/run/docker.sock}
      containers:
        - name: agent
          image: agent:1.0.0
          securityContext: {privileged: true}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: staging
spec:
  template:
    spec:
      volumes:
        - name: logs
          hostPath: {path: /var/log}
        - name: sock
          hostPath: {path: /run/containerd/containerd.sock}
      containers:
        - name: web
          image: nginx:1.27.3
`
	res := engine.Run(context.Background(), []load.Input{{Kind: load.Stdin, Path: load.StdinName}},
		engine.Options{Rules: podSecurity, Stdin: strings.NewReader(src)})
	got := map[string]lint.Level{}
	for _, f := range res.Findings {
		got[fmt.Sprintf("%s@%d", f.Rule.ID, f.Pos.Line)] = f.Level
		if f.Rule.ID == PSSAdmissionRejected.ID {
			label := 6 // enforce
			if f.Level == lint.Warning {
				label = 7 // warn
			}
			if len(f.Related) == 0 || f.Related[len(f.Related)-1].Pos.Line != label {
				t.Errorf("%s: related locations %v, want the label on line %d", f.Pos, f.Related, label)
			}
		}
	}
	for key, want := range map[string]lint.Level{
		"k8s-host-path-volume@25":       lint.Note,    // a privileged namespace lowers the socket's error
		"k8s-privileged-container@30":   lint.Note,    // and the privileged container's
		"k8s-host-path-volume@41":       lint.Warning, // /var/log
		"k8s-host-path-volume@43":       lint.Error,   // containerd's socket
		"k8s-pss-admission-rejected@41": lint.Error,   // enforce: baseline refuses hostPath
		"k8s-pss-admission-rejected@46": lint.Warning, // warn: restricted flags the rest
		"k8s-run-as-root@46":            lint.Note,
	} {
		if got[key] != want {
			t.Errorf("%s: level %v, want %v", key, got[key], want)
		}
	}
}
