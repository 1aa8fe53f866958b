package linter_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/linttest"
	"github.com/ekslint/ekslint/rules"
)

// overlays is a base with dev and prod overlays; only dev adds a NetworkPolicy, and a tests/
// overlay adds another. prod must still be told it has none.
var overlays = map[string]string{
	"base/kustomization.yaml": "resources: [deploy.yaml]\n",
	"base/deploy.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers: [{name: api, image: "api:1.0"}]
`,
	"overlays/dev/kustomization.yaml":   "resources: [../../base, netpol.yaml]\n",
	"overlays/dev/netpol.yaml":          netpol,
	"overlays/prod/kustomization.yaml":  "resources: [../../base]\nnamePrefix: prod-\n",
	"overlays/tests/kustomization.yaml": "resources: [../../base, netpol.yaml]\n",
	"overlays/tests/netpol.yaml":        netpol,
}

const netpol = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`

// networkPolicyFindings lints paths in a tree of files and lists the NetworkPolicy findings.
func networkPolicyFindings(t *testing.T, files map[string]string, paths ...string) []string {
	t.Helper()
	dir := linttest.WriteFiles(t, files)
	req := linttest.Only(rules.NamespaceWithoutNetworkPolicy)
	req.Paths, req.Root, req.WorkDir = paths, dir, dir
	res := linttest.Lint(t, req)
	for _, p := range res.Problems {
		t.Errorf("problem: %s", p)
	}
	var out []string
	for _, f := range res.Findings {
		out = append(out, fmt.Sprintf("%s %v: %s", f.Pos, f.Variants, f.Message))
	}
	return out
}

// TestDeploymentsAreCheckedApart: the NetworkPolicy of dev and tests does not cover prod, in a run
// of the whole repository, of the prod overlay alone, and of the files pre-commit passes when the
// base changes; all three say the same.
func TestDeploymentsAreCheckedApart(t *testing.T) {
	want := []string{`base/deploy.yaml:4:3 [overlays/prod]: namespace "shop" has no NetworkPolicy, so the pods of Deployment "prod-api" accept traffic from any pod and reach anything; add a default-deny policy and allow what each workload needs`}
	for _, paths := range [][]string{{"."}, {"overlays/prod"}, {"base/deploy.yaml", "overlays/prod/kustomization.yaml"}} {
		if got := networkPolicyFindings(t, overlays, paths...); !slices.Equal(got, want) {
			t.Errorf("lint %s:\n%s\nwant:\n%s", strings.Join(paths, " "), strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// TestRawManifestsAreSeenByEveryDeployment: a raw NetworkPolicy applied beside the overlays covers
// them all.
func TestRawManifestsAreSeenByEveryDeployment(t *testing.T) {
	files := maps(overlays, map[string]string{"cluster/netpol.yaml": netpol})
	if got := networkPolicyFindings(t, files, "."); len(got) != 0 {
		t.Errorf("findings %v, want none: the raw policy covers every overlay", got)
	}
}

// TestRawBesideAnOverlay: a raw workload in the overlay's namespace neither hides the overlay's
// own finding nor is named in it, whatever the order of the paths: each is reported by the
// deployment it belongs to, on its own object.
func TestRawBesideAnOverlay(t *testing.T) {
	files := maps(overlays, map[string]string{"jobs/job.yaml": `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  namespace: shop
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: m, image: "m:1.0"}]
`})
	want := []string{
		`base/deploy.yaml:4:3 [overlays/prod]: namespace "shop" has no NetworkPolicy, so the pods of Deployment "prod-api" accept traffic from any pod and reach anything; add a default-deny policy and allow what each workload needs`,
		`jobs/job.yaml:4:3 []: namespace "shop" has no NetworkPolicy, so the pods of Job "migrate" accept traffic from any pod and reach anything; add a default-deny policy and allow what each workload needs`,
	}
	for _, paths := range [][]string{{"."}, {"jobs", "overlays/prod"}, {"overlays/prod", "jobs"}} {
		if got := networkPolicyFindings(t, files, paths...); !slices.Equal(got, want) {
			t.Errorf("lint %s:\n%s\nwant:\n%s", strings.Join(paths, " "), strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// TestConfiguredDeployment: charts and overlays the config lists as one deployment are checked
// together.
func TestConfiguredDeployment(t *testing.T) {
	files := maps(overlays, map[string]string{
		".ekslint.yaml":                         "deployments:\n  - name: prod\n    paths: [overlays/prod, policies]\n",
		"policies/kustomization.yaml":           "resources: [netpol.yaml]\n",
		"policies/netpol.yaml":                  netpol,
		"overlays/dev/kustomization.yaml":       "resources: [../../base]\n",
		"overlays/tests/kustomization.yaml":     "resources: [../../base]\n",
		"overlays/dev/netpol.yaml":              "",
		"overlays/unrelated/kustomization.yaml": "resources: []\n",
	})
	got := networkPolicyFindings(t, files, ".")
	for _, f := range got {
		if strings.Contains(f, "prod-api") {
			t.Errorf("prod is deployed with policies/, which has a NetworkPolicy: %s", f)
		}
	}
	if len(got) != 1 || !strings.Contains(got[0], "[overlays/dev overlays/tests]") {
		t.Errorf("findings %v, want one for dev and tests", got)
	}
}

func maps(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// TestRawPolicyServingAnotherChart: a raw NetworkPolicy that selects the pods of one chart is not
// said to select nothing because another chart in its namespace has none it selects.
func TestRawPolicyServingAnotherChart(t *testing.T) {
	chart := func(name string) map[string]string {
		return map[string]string{
			name + "/Chart.yaml": "apiVersion: v2\nname: " + name + "\nversion: 0.1.0\n",
			name + "/templates/deploy.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ` + name + `
  namespace: shop
spec:
  selector: {matchLabels: {app: ` + name + `}}
  template:
    metadata: {labels: {app: ` + name + `}}
    spec:
      containers: [{name: c, image: "c:1.0"}]
`,
		}
	}
	files := maps(maps(chart("web"), chart("worker")), map[string]string{"policies/allow-web.yaml": `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-web
  namespace: shop
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{}]
`})
	dir := linttest.WriteFiles(t, files)
	req := linttest.Only(rules.NetworkPolicySelectsNothing)
	req.Paths, req.Root, req.WorkDir = []string{"."}, dir, dir
	res := linttest.Lint(t, req)
	for _, f := range res.Findings {
		t.Errorf("finding %s: %s", f.Pos, f.Message)
	}
}

// TestNamedVariants: a finding on a base several overlays build, or on a template of a chart with
// several value sets, names the variants that produced it, however few, so that a reader of the
// file can tell where to look; a file one variant builds names none.
func TestNamedVariants(t *testing.T) {
	files := maps(overlays, map[string]string{
		".ekslint.yaml":              "charts:\n- path: chart\n  valueSets:\n  - name: default\n  - name: extra\n    set: {extra: true}\n",
		"chart/Chart.yaml":           "apiVersion: v2\nname: chart\nversion: 0.1.0\n",
		"chart/templates/cm.yaml":    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, namespace: extra}\n",
		"chart/templates/extra.yaml": "{{- if .Values.extra }}\n" + strings.ReplaceAll(overlays["base/deploy.yaml"], "shop", "extra") + "{{- end }}\n",
	})
	dir := linttest.WriteFiles(t, files)
	for _, c := range []struct {
		paths []string
		want  string
	}{
		{[]string{"."}, "[overlays/prod] [extra]"},
		{[]string{"overlays/prod"}, "[]"},
	} {
		req := linttest.Only(rules.NamespaceWithoutNetworkPolicy)
		req.Paths, req.Root, req.WorkDir = c.paths, dir, dir
		res := linttest.Lint(t, req)
		var named []string
		for _, f := range res.Findings {
			named = append(named, fmt.Sprint(f.NamedVariants()))
		}
		if got := strings.Join(named, " "); got != c.want {
			t.Errorf("%v: named variants %s, want %s", c.paths, got, c.want)
		}
	}
}

// TestBasesOfAFailedOverlay: a base only a broken overlay includes is built on its own, so that its
// findings are not lost with the overlay, and so on down when that base is broken too; a base a
// built overlay includes is linted through it alone.
func TestBasesOfAFailedOverlay(t *testing.T) {
	broken := "resources: [../../base]\npatches:\n- path: generated-patch.yaml\n"
	for _, c := range []struct {
		name           string
		files          map[string]string
		want, problems []string
	}{
		{"only the broken overlay", map[string]string{"overlays/dev/kustomization.yaml": broken},
			[]string{"base/deploy.yaml:4:3 [base]"}, []string{"overlays/dev/kustomization.yaml"}},
		{"beside a built sibling", map[string]string{"overlays/dev/kustomization.yaml": broken, "overlays/prod/kustomization.yaml": "resources: [../../base]\n"},
			[]string{"base/deploy.yaml:4:3 [overlays/prod]"}, []string{"overlays/dev/kustomization.yaml"}},
		{"over a broken base", map[string]string{"overlays/dev/kustomization.yaml": "resources: [../../mid]\n", "mid/kustomization.yaml": strings.ReplaceAll(broken, "../../", "../")},
			[]string{"base/deploy.yaml:4:3 [base]"}, []string{"mid/kustomization.yaml", "overlays/dev/kustomization.yaml"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.files["base/kustomization.yaml"], c.files["base/deploy.yaml"] = overlays["base/kustomization.yaml"], overlays["base/deploy.yaml"]
			dir := linttest.WriteFiles(t, c.files)
			req := linttest.Only(rules.NamespaceWithoutNetworkPolicy)
			req.Paths, req.Root, req.WorkDir = []string{"."}, dir, dir
			res := linttest.Lint(t, req)
			var got, problems []string
			for _, f := range res.Findings {
				got = append(got, fmt.Sprintf("%s %v", f.Pos, f.Variants))
			}
			for _, p := range res.Problems {
				problems = append(problems, p.Pos.File)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("findings %q, want %q", got, c.want)
			}
			if !slices.Equal(problems, c.problems) {
				t.Errorf("problems %v, want %q", res.Problems, c.problems)
			}
		})
	}
}

// TestRawReadEverywhere: an overlay is checked beside the raw manifests of its own namespaces and
// beside those that the checks of every namespace read, wherever they are: kube-system's labels,
// which say whether a policy's peer is CoreDNS, and another engine's cluster-wide policy.
func TestRawReadEverywhere(t *testing.T) {
	dnsPolicy := `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: dns
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector: {matchLabels: {team: platform}}
          podSelector: {matchLabels: {k8s-app: kube-dns}}
      ports: [{protocol: UDP, port: 53}]
`
	kubeSystem := "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kube-system\n  labels: {team: platform}\n"
	files := maps(overlays, map[string]string{
		"overlays/prod/kustomization.yaml": "resources: [../../base, dns.yaml]\n",
		"overlays/prod/dns.yaml":           dnsPolicy,
		"cluster/kube-system.yaml":         kubeSystem,
		"other/job.yaml":                   "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, namespace: batch}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: j, image: \"j:1.0\"}]\n",
	})
	lint := func(files map[string]string, rule *lint.Rule) []string {
		dir := linttest.WriteFiles(t, files)
		req := linttest.Only(rule)
		req.Paths, req.Root, req.WorkDir = []string{"overlays/prod", "cluster", "other"}, dir, dir
		var out []string
		for _, f := range linttest.Lint(t, req).Findings {
			out = append(out, fmt.Sprintf("%s: %s", f.Pos, f.Message))
		}
		return out
	}
	if got := lint(files, rules.DefaultDenyBlocksDNS); len(got) != 0 {
		t.Errorf("kube-system's raw Namespace labels it team: platform, so prod's policy allows DNS; findings %v", got)
	}
	delete(files, "cluster/kube-system.yaml")
	if got := lint(files, rules.DefaultDenyBlocksDNS); len(got) != 1 {
		t.Errorf("without kube-system's labels prod's policy reaches no CoreDNS: findings %v, want one", got)
	}
	files["overlays/prod/kustomization.yaml"] = "resources: [../../base]\n"
	if got := lint(files, rules.NamespaceWithoutNetworkPolicy); len(got) != 2 {
		t.Errorf("prod's namespace shop and the raw job's batch have no NetworkPolicy: findings %v, want two", got)
	}
	files["cluster/global.yaml"] = "apiVersion: crd.projectcalico.org/v1\nkind: GlobalNetworkPolicy\nmetadata: {name: deny}\nspec: {selector: all()}\n"
	if got := lint(files, rules.NamespaceWithoutNetworkPolicy); len(got) != 0 {
		t.Errorf("a raw cluster-wide policy leaves every namespace to Calico: findings %v, want none", got)
	}
}

// TestRawPodsNamedElsewhere: a Service of an overlay that selects no pod template of its namespace
// is told of one of the raw manifests, in another namespace, that it would select, although the
// overlay is checked beside the raw manifests of its own namespaces only; also when its selector
// holds only a label that controllers add (a StatefulSet's pod name).
func TestRawPodsNamedElsewhere(t *testing.T) {
	workload := func(kind, ns, name, labels string) string {
		return "apiVersion: apps/v1\nkind: " + kind + "\nmetadata: {name: " + name + ", namespace: " + ns + "}\nspec:\n" +
			"  selector: {matchLabels: {" + labels + "}}\n  template:\n    metadata: {labels: {" + labels + "}}\n" +
			"    spec: {containers: [{name: c, image: \"c:1.0\"}]}\n"
	}
	service := func(name, selector string) string {
		return "apiVersion: v1\nkind: Service\nmetadata: {name: " + name + ", namespace: shop}\nspec:\n  selector: {" + selector + "}\n  ports: [{port: 80}]\n"
	}
	for service, want := range map[string]string{
		service("web", "app: web"):                                `Deployment "web" in namespace frontend has these labels`,
		service("db", "statefulset.kubernetes.io/pod-name: db-0"): `StatefulSet "db" in namespace data has these labels`,
	} {
		dir := linttest.WriteFiles(t, map[string]string{
			"overlay/kustomization.yaml": "resources: [api.yaml, service.yaml]\n",
			"overlay/api.yaml":           workload("Deployment", "shop", "api", "app: api"),
			"overlay/service.yaml":       service,
			"raw/web.yaml":               workload("Deployment", "frontend", "web", "app: web"),
			"raw/db.yaml":                workload("StatefulSet", "data", "db", "app: db"),
		})
		req := linttest.Only(rules.ServiceSelectsNoPods)
		req.Paths, req.Root, req.WorkDir = []string{"overlay", "raw"}, dir, dir
		var got []string
		for _, f := range linttest.Lint(t, req).Findings {
			got = append(got, f.Message)
		}
		if len(got) != 1 || !strings.Contains(got[0], want) {
			t.Errorf("findings %q, want one saying %s", got, want)
		}
	}
}

// TestRawBudgetNamedElsewhere: a replicated Deployment of an overlay without a
// PodDisruptionBudget in its namespace is told of the raw manifests' budget in another namespace
// that would select it, although the overlay is checked beside the raw manifests of its own
// namespaces only.
func TestRawBudgetNamedElsewhere(t *testing.T) {
	dir := linttest.WriteFiles(t, map[string]string{
		"overlay/kustomization.yaml": "resources: [api.yaml]\n",
		"overlay/api.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec:\n  replicas: 3\n" +
			"  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n" +
			"    spec: {containers: [{name: c, image: \"c:1.0\"}]}\n",
		"raw/pdb.yaml": "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: api, namespace: staging}\n" +
			"spec:\n  maxUnavailable: 1\n  selector: {matchLabels: {app: api}}\n",
	})
	req := linttest.Only(rules.PDBMissing)
	req.Paths, req.Root, req.WorkDir = []string{"overlay", "raw"}, dir, dir
	var got []string
	for _, f := range linttest.Lint(t, req).Findings {
		got = append(got, f.Message)
	}
	if want := `PodDisruptionBudget "api" in namespace staging matches`; len(got) != 1 || !strings.Contains(got[0], want) {
		t.Errorf("findings %q, want one saying %s", got, want)
	}
}
