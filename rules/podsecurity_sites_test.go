package rules

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
	sigsjson "sigs.k8s.io/json"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/load"
)

// TestPodSecurityCompliantPod checks the pod the locator starts from: it passes every version of
// every check, whatever containers the pod has.
func TestPodSecurityCompliantPod(t *testing.T) {
	pod := podOf(t, `
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers: [{name: i}]
  containers: [{name: a}, {name: b}]
  ephemeralContainers: [{name: e}]
`)
	var pr podProbe
	pod.build(&pr, func(int) bool { return false }, allFill)
	for _, c := range psChecks() {
		for vi, v := range c.versions {
			if r := v.CheckPod(&pr.meta, &pr.spec); !r.Allowed {
				t.Errorf("check %q version %d refuses the compliant pod: %s: %s", c.id, vi, r.ForbiddenReason, r.ForbiddenDetail)
			}
		}
	}
}

// TestPodSecuritySites holds the sites to a full decode on a pod that sets every field the
// checks read, at values the standards allow and refuse.
func TestPodSecuritySites(t *testing.T) {
	src := `apiVersion: v1
kind: Pod
metadata:
  name: every-field
  annotations:
    seccomp.security.alpha.kubernetes.io/pod: unconfined
    container.seccomp.security.alpha.kubernetes.io/app: runtime/default
    container.apparmor.security.beta.kubernetes.io/app: unconfined
    container.apparmor.security.beta.kubernetes.io/sidecar: localhost/custom
    unrelated: "yes"
spec:
  hostNetwork: true
  hostPID: yes
  hostIPC: false
  hostUsers: false
  securityContext:
    runAsNonRoot: false
    runAsUser: 0
    seccompProfile: {type: Localhost, localhostProfile: profiles/audit.json}
    appArmorProfile: {type: Unconfined}
    seLinuxOptions: {type: container_engine_t, user: system_u, role: object_r, level: "s0:c1"}
    windowsOptions: {hostProcess: false}
    sysctls:
      - {name: net.ipv4.tcp_rmem, value: "4096 87380 6291456"}
      - {name: kernel.msgmax, value: "65536"}
      - {name: net.ipv4.tcp_notsent_lowat, value: "16384"}
  volumes:
    - {name: host, hostPath: {path: /etc}}
    - {name: both, emptyDir: {}, nfs: {server: s, path: /}}
    - {name: bare}
    - {name: img, image: {reference: "busybox:1"}}
    - {name: conf, configMap: {name: c}}
    - {name: git, gitRepo: {repository: r}}
  initContainers:
    - name: init
      securityContext:
        privileged: false
        allowPrivilegeEscalation: true
        runAsNonRoot: true
        runAsUser: 1000
        capabilities: {add: [CHOWN, NET_RAW], drop: [NET_RAW]}
        procMount: Unmasked
      ports: [{containerPort: 80}, {containerPort: 81, hostPort: 8081}]
  containers:
    - name: app
      securityContext:
        privileged: true
        seccompProfile: {type: Unconfined}
        appArmorProfile: {type: Localhost, localhostProfile: k8s-apparmor}
        seLinuxOptions: {type: spc_t}
        windowsOptions: {hostProcess: true}
        capabilities: {add: [NET_BIND_SERVICE], drop: [ALL]}
        allowPrivilegeEscalation: false
      livenessProbe: {httpGet: {host: 169.254.169.254, port: 80}}
      readinessProbe: {tcpSocket: {host: "", port: 80}}
      startupProbe: {tcpSocket: {host: node.local, port: 80}}
      lifecycle:
        postStart: {httpGet: {host: example.com, port: 80}}
        preStop: {tcpSocket: {host: example.org, port: 80}}
    - name: sidecar
      securityContext: {procMount: Default, capabilities: {add: [ALL]}}
  ephemeralContainers:
    - name: debug
      securityContext: {privileged: true, runAsUser: 0, capabilities: {add: [SYS_PTRACE]}}
`
	for _, os := range []string{"", "\n  os: {name: windows}"} {
		for _, users := range []string{"hostUsers: false", "hostUsers: true"} {
			variant := strings.Replace(strings.Replace(src, "hostUsers: false", users, 1), "hostIPC: false", "hostIPC: false"+os, 1)
			meta, spec, err := fullDecode("", []byte(variant))
			if err != nil {
				t.Fatal(err)
			}
			diffs, n := comparePipeline(podOf(t, variant), meta, spec)
			for _, d := range diffs {
				t.Errorf("%s%s: %s", users, os, d)
			}
			if n == 0 {
				t.Error("nothing compared")
			}
		}
	}
}

// podOf reads the pod of the only workload in src.
func podOf(t *testing.T, src string) *psPod {
	t.Helper()
	var pod *psPod
	rule := &lint.Rule{ID: "read", Level: lint.Note, Inputs: lint.WorkloadInput, Check: func(p *lint.Pass) {
		if p.Object.IsWorkload() {
			pod = readPod(p.Object.PodTemplate())
		}
	}}
	engine.Run(context.Background(), []load.Input{{Kind: load.Stdin, Path: load.StdinName}},
		engine.Options{Rules: []*lint.Rule{rule}, Stdin: strings.NewReader(src)})
	if pod == nil {
		t.Fatal("no workload")
	}
	return pod
}

// comparePipeline evaluates the pod at both levels and every policy version, through the library
// on the full decode and through ekslint's sites and plans, and says where they differ. It also
// requires every failure to be located. n is how many check results it compared.
func comparePipeline(pod *psPod, meta *metav1.ObjectMeta, spec *corev1.PodSpec) (diffs []string, n int) {
	full, _ := policy.NewEvaluator(policy.DefaultChecks(), nil)
	var pr podProbe
	var versions []api.Version
	for minor := 0; minor <= 40; minor++ {
		versions = append(versions, api.MajorMinorVersion(1, minor))
	}
	versions = append(versions, api.LatestVersion())
	for _, level := range []api.Level{api.LevelBaseline, api.LevelRestricted} {
		for _, v := range versions {
			lv := api.LevelVersion{Level: level, Version: v}
			want := full.EvaluatePod(lv, meta, spec)
			pod.build(&pr, func(int) bool { return true }, noFill)
			var got []policy.CheckResult
			for _, fn := range psPlans().plan(lv) {
				got = append(got, psChecks()[fn.check].versions[fn.version].CheckPod(&pr.meta, &pr.spec))
			}
			n += len(want)
			if !slices.Equal(got, want) {
				diffs = append(diffs, fmt.Sprintf("%s: library on a full decode %v, ekslint %v", lv, want, got))
			}
		}
	}
	for _, b := range pod.evaluate(&pr).breaches {
		if b.field == fUnlocated {
			diffs = append(diffs, fmt.Sprintf("check %s not located: %s", psChecks()[b.check].id, b.reason))
		}
	}
	return diffs, n
}

// fullDecode decodes a workload as the API server does (YAML to JSON, then case-sensitive JSON
// into the corev1 types, then the defaults admission depends on) and returns its pod's
// metadata and spec. template is where the workload keeps its pod template (spec.template), ""
// for a Pod: where a kind keeps it is the API's contract, not what this compares.
func fullDecode(template string, src []byte) (*metav1.ObjectMeta, *corev1.PodSpec, error) {
	js, err := sigsyaml.YAMLToJSON(src)
	if err != nil {
		return nil, nil, err
	}
	if template == "" {
		var pod corev1.Pod
		err := sigsjson.UnmarshalCaseSensitivePreserveInts(js, &pod)
		defaultPod(&pod.Spec)
		return &pod.ObjectMeta, &pod.Spec, err
	}
	var obj any
	if err := json.Unmarshal(js, &obj); err != nil {
		return nil, nil, err
	}
	for _, k := range strings.Split(template, ".") {
		m, _ := obj.(map[string]any)
		obj = m[k]
	}
	js, err = json.Marshal(obj)
	if err != nil {
		return nil, nil, err
	}
	var tmpl corev1.PodTemplateSpec
	err = sigsjson.UnmarshalCaseSensitivePreserveInts(js, &tmpl)
	defaultPod(&tmpl.Spec)
	return &tmpl.ObjectMeta, &tmpl.Spec, err
}

// defaultPod sets what the API server's defaulting sets before admission sees a pod: a volume
// without a source is an emptyDir (SetDefaults_Volume), and on a hostNetwork pod each port of an
// init or app container without a hostPort gets its containerPort as one (SetDefaults_Pod; since
// Kubernetes 1.28 pods only, not the templates of workloads, but every pod a workload makes is
// a pod).
func defaultPod(spec *corev1.PodSpec) {
	for i := range spec.Volumes {
		if v := &spec.Volumes[i]; reflect.ValueOf(v.VolumeSource).IsZero() {
			v.EmptyDir = &corev1.EmptyDirVolumeSource{}
		}
	}
	if !spec.HostNetwork {
		return
	}
	for _, list := range [][]corev1.Container{spec.InitContainers, spec.Containers} {
		for i := range list {
			for j := range list[i].Ports {
				if port := &list[i].Ports[j]; port.HostPort == 0 {
					port.HostPort = port.ContainerPort
				}
			}
		}
	}
}

// BenchmarkPodSecurityRead compares the two ways to give the library a workload's pod, from the
// tree the engine has already parsed: reading it into sites (what the rules do, with the cache
// key), and a JSON round trip into corev1 (walk the tree, marshal, unmarshal as the API server
// does).
func BenchmarkPodSecurityRead(b *testing.B) {
	var tmpl lint.Node
	rule := &lint.Rule{ID: "read", Level: lint.Note, Inputs: lint.WorkloadInput, Check: func(p *lint.Pass) { tmpl = p.Object.PodTemplate() }}
	engine.Run(context.Background(), []load.Input{{Kind: load.Stdin, Path: load.StdinName}},
		engine.Options{Rules: []*lint.Rule{rule}, Stdin: strings.NewReader(benchDeployment)})
	b.Run("sites", func(b *testing.B) {
		for b.Loop() {
			readPod(tmpl).appendKey(nil)
		}
	})
	b.Run("json", func(b *testing.B) {
		for b.Loop() {
			js, err := json.Marshal(plain(tmpl))
			if err != nil {
				b.Fatal(err)
			}
			var pod corev1.PodTemplateSpec
			if err := sigsjson.UnmarshalCaseSensitivePreserveInts(js, &pod); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// plain is a field as the JSON it stands for.
func plain(n lint.Node) any {
	switch {
	case n.IsMap():
		m := map[string]any{}
		for _, e := range n.Entries() {
			m[e.Key()] = plain(e)
		}
		return m
	case n.IsList():
		var l []any
		for _, it := range n.Items() {
			l = append(l, plain(it))
		}
		return l
	}
	if v, ok := n.Bool(); ok {
		return v
	}
	if v, ok := n.Int(); ok {
		return v
	}
	return n.Str()
}

// benchDeployment is the Deployment of lint's BenchmarkLint.
const benchDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-1
  namespace: team-1
spec:
  replicas: 3
  selector:
    matchLabels: {app: app-1}
  template:
    metadata:
      labels: {app: app-1, team: team-1}
    spec:
      serviceAccountName: app-1
      containers:
      - name: app
        image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/app-1:1.1.0
        ports:
        - {name: http, containerPort: 8080}
        env:
        - {name: LOG_LEVEL, value: info}
        readinessProbe:
          httpGet: {path: /ready, port: http}
        livenessProbe:
          httpGet: {path: /healthz, port: http}
        resources:
          requests: {cpu: 250m, memory: 256Mi}
          limits: {memory: 512Mi}
        securityContext:
          runAsNonRoot: true
          readOnlyRootFilesystem: true
          allowPrivilegeEscalation: false
          capabilities: {drop: [ALL]}
      - name: proxy
        image: envoy:v1.31.1
        args: ["--config-path", "/etc/envoy/envoy.yaml"]
        resources:
          requests: {cpu: 50m, memory: 64Mi}
`
