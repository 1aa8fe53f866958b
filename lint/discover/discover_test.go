package discover_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/discover"
	"github.com/ekslint/ekslint/lint/load"
)

// tree writes files (path → content; "-> target" makes a symlink) under a new folder.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		if target, ok := strings.CutPrefix(content, "-> "); ok {
			err = os.Symlink(target, p)
		} else {
			err = os.WriteFile(p, []byte(content), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// discoverFrom runs Discover from root and lists the inputs as "kind path".
func discoverFrom(t *testing.T, root string, paths ...string) ([]string, []lint.Problem) {
	t.Helper()
	inputs, problems := discover.Discover(paths, discover.Options{Root: root, WorkDir: root})
	return inputNames(inputs), problems
}

// inputNames describes inputs as `Kind path`, sorted.
func inputNames(inputs []load.Input) []string {
	var got []string
	for _, in := range inputs {
		got = append(got, in.Kind.String()+" "+in.Path)
	}
	slices.Sort(got)
	return got
}

// namedPaths are paths named on the command line and the inputs they stand for.
type namedPaths struct {
	paths []string
	want  []string
}

// checkNamed discovers each case's paths from root and compares the inputs with its want.
func checkNamed(t *testing.T, root string, cases []namedPaths) {
	t.Helper()
	for _, c := range cases {
		got, problems := discoverFrom(t, root, c.paths...)
		if !slices.Equal(got, c.want) || len(problems) > 0 {
			t.Errorf("%q: got %q (problems %v), want %q", c.paths, got, problems, c.want)
		}
	}
}

const deploy = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"

// repo is a repository with bases, overlays, components, a chart and plain manifests.
var repo = map[string]string{
	"plain.yaml":                           deploy,
	"base/kustomization.yaml":              "resources:\n- deploy.yaml\n",
	"base/deploy.yaml":                     deploy,
	"overlays/dev/kustomization.yaml":      "resources:\n- ../../base\n",
	"overlays/prod/kustomization.yaml":     "resources:\n- ../../base\ncomponents:\n- ../../components/ha\npatches:\n- path: patch.yaml\nconfigMapGenerator:\n- name: c\n  files:\n  - app=config/app.yaml\n",
	"overlays/prod/patch.yaml":             deploy,
	"overlays/prod/unused-patch.yaml":      deploy,
	"overlays/prod/config/app.yaml":        "a: 1\n",
	"components/ha/kustomization.yaml":     "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n- path: ha.yaml\n",
	"components/ha/ha.yaml":                deploy,
	"components/unused/kustomization.yaml": "kind: Component\n",
	"apps/kustomization.yaml":              "resources:\n- one\n- two\n",
	"apps/one/kustomization.yaml":          "resources:\n- deploy.yaml\n",
	"apps/one/deploy.yaml":                 deploy,
	"apps/two/kustomization.yaml":          "resources:\n- ../one/deploy.yaml\n",
	"charts/api/Chart.yaml":                "apiVersion: v2\nname: api\nversion: 1.0.0\n",
	"charts/api/values-prod.yaml":          "replicas: 2\n",
	"charts/api/templates/deploy.yaml":     deploy,
	".hidden/kustomization.yaml":           "resources:\n- ../plain.yaml\n",
	".hidden/x.yaml":                       deploy,
	"remote/kustomization.yaml":            "resources:\n- github.com/org/repo//base?ref=v1\n",
	// A Flux Kustomization object in a file named as kustomize's: a manifest, in no overlay.
	"flux/kustomization.yaml": "apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps}\nspec: {path: ./apps}\n",
	"flux/source.yaml":        "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: repo}\n",
}

// TestDiscoverOverlays checks the include graph: overlays are inputs; bases, components,
// kustomizations other kustomizations include, and the files they name are not.
func TestDiscoverOverlays(t *testing.T) {
	root := tree(t, repo)
	got, problems := discoverFrom(t, root, ".")
	want := []string{
		"Helm chart charts/api",
		"Kustomize overlay apps",
		"Kustomize overlay overlays/dev",
		"Kustomize overlay overlays/prod",
		"Kustomize overlay remote",
		"file flux/kustomization.yaml",
		"file flux/source.yaml",
		"file plain.yaml",
	}
	if !slices.Equal(got, want) || len(problems) > 0 {
		t.Errorf("got %q (problems %v), want %q", got, problems, want)
	}
}

// TestDiscoverFiles checks files named on the command line, as pre-commit passes them: each
// stands for its chart, or for the overlays that include it, directly or through bases and
// components; anything else is a file of its own. A chart's templates/ folder stands for the
// chart too.
func TestDiscoverFiles(t *testing.T) {
	root := tree(t, repo)
	checkNamed(t, root, []namedPaths{
		{[]string{"base/deploy.yaml"}, []string{"Kustomize overlay overlays/dev", "Kustomize overlay overlays/prod"}},
		{[]string{"base/kustomization.yaml"}, []string{"Kustomize overlay overlays/dev", "Kustomize overlay overlays/prod"}},
		{[]string{"base"}, []string{"Kustomize overlay overlays/dev", "Kustomize overlay overlays/prod"}},
		{[]string{"components/ha/ha.yaml"}, []string{"Kustomize overlay overlays/prod"}},
		{[]string{"overlays/prod/config/app.yaml"}, []string{"Kustomize overlay overlays/prod"}},
		{[]string{"overlays/prod/patch.yaml", "overlays/prod/kustomization.yaml"}, []string{"Kustomize overlay overlays/prod"}},
		{[]string{"apps/one/deploy.yaml"}, []string{"Kustomize overlay apps"}},
		{[]string{"base/deploy.yaml", "overlays/dev/kustomization.yaml", "plain.yaml"},
			[]string{"Kustomize overlay overlays/dev", "Kustomize overlay overlays/prod", "file plain.yaml"}},
		{[]string{"charts/api/templates/deploy.yaml", "charts/api/values-prod.yaml"}, []string{"Helm chart charts/api"}},
		{[]string{"charts/api/templates"}, []string{"Helm chart charts/api"}},
		{[]string{"overlays/prod/unused-patch.yaml"}, []string{"file overlays/prod/unused-patch.yaml"}},
		{[]string{"plain.yaml"}, []string{"file plain.yaml"}},
		{[]string{".hidden/x.yaml"}, []string{"file .hidden/x.yaml"}},
		{[]string{"flux"}, []string{"file flux/kustomization.yaml", "file flux/source.yaml"}},
		{[]string{"flux/source.yaml"}, []string{"file flux/source.yaml"}},
	})
}

// TestSkaffoldConfigsAbove: a path named inside a Skaffold project brings the Skaffold configs of
// the folders above it, once, so that the image rules know the images Skaffold builds whether the
// repository, an overlay or a file is linted.
func TestSkaffoldConfigsAbove(t *testing.T) {
	root := tree(t, map[string]string{
		"skaffold.yaml":                            "apiVersion: skaffold/v4beta11\nkind: Config\n",
		"app/skaffold.yml":                         "apiVersion: skaffold/v4beta11\nkind: Config\n",
		"app/k8s/base/kustomization.yaml":          "resources:\n- deploy.yaml\n",
		"app/k8s/base/deploy.yaml":                 deploy,
		"app/k8s/overlays/prod/kustomization.yaml": "resources:\n- ../../base\n",
		"other/plain.yaml":                         deploy,
	})
	checkNamed(t, root, []namedPaths{
		{[]string{"app/k8s/overlays/prod"}, []string{"Kustomize overlay app/k8s/overlays/prod", "file app/skaffold.yml", "file skaffold.yaml"}},
		{[]string{"app/k8s/base/deploy.yaml", "app/k8s/base/kustomization.yaml"}, []string{"Kustomize overlay app/k8s/overlays/prod", "file app/skaffold.yml", "file skaffold.yaml"}},
		{[]string{"other/plain.yaml"}, []string{"file other/plain.yaml", "file skaffold.yaml"}},
		{[]string{"."}, []string{"Kustomize overlay app/k8s/overlays/prod", "file app/skaffold.yml", "file other/plain.yaml", "file skaffold.yaml"}},
	})
}

// TestDiscoverComponentAlone checks that a component nothing includes is not an input, with a
// note when it was named.
func TestDiscoverComponentAlone(t *testing.T) {
	root := tree(t, repo)
	got, problems := discoverFrom(t, root, "components/unused")
	if len(got) > 0 || len(problems) != 1 || problems[0].Level != lint.Note || !strings.Contains(problems[0].Message, "component") {
		t.Errorf("got %q, problems %v; want no input and a note", got, problems)
	}
}

// TestDiscoverCycle checks that kustomizations that include each other are still linted (the
// loader reports the cycle) rather than silently dropped.
func TestDiscoverCycle(t *testing.T) {
	root := tree(t, map[string]string{
		"a/kustomization.yaml": "resources:\n- ../b\n",
		"b/kustomization.yaml": "resources:\n- ../a\n",
	})
	got, _ := discoverFrom(t, root, ".")
	if !slices.Equal(got, []string{"Kustomize overlay a", "Kustomize overlay b"}) {
		t.Errorf("got %q", got)
	}
}

// TestDiscoverSymlinkLoops checks that symlinked folders, loops included, are not followed and a
// looping symlinked manifest is a problem, not a hang.
func TestDiscoverSymlinkLoops(t *testing.T) {
	root := tree(t, map[string]string{
		"loop/ok.yaml":       deploy,
		"loop/self":          "-> .",
		"loop/parent":        "-> ..",
		"loop/a":             "-> b",
		"loop/b":             "-> a",
		"loop/me.yaml":       "-> me.yaml",
		"loop/Kustomization": "-> Kustomization",
	})
	got, problems := discoverFrom(t, root, ".")
	if !slices.Equal(got, []string{"file loop/ok.yaml"}) {
		t.Errorf("got %q", got)
	}
	if len(problems) != 1 || !strings.Contains(problems[0].String(), "loop/me.yaml: is a symlink loop") {
		t.Errorf("problems %v, want one for loop/me.yaml", problems)
	}
}

// TestSearchNeedsARepository: the overlays of a file named are looked for in a git work tree or
// the --root given, never in a folder that merely is the working directory (`cd / && ekslint lint
// /tmp/x.yaml` once walked the whole disk).
func TestSearchNeedsARepository(t *testing.T) {
	root := tree(t, map[string]string{
		"base/deploy.yaml":           deploy,
		"overlay/kustomization.yaml": "resources:\n- ../base/deploy.yaml\n",
	})
	for _, c := range []struct {
		name string
		opts discover.Options
		git  bool
		want string
	}{
		{"no repository", discover.Options{WorkDir: root}, false, "file base/deploy.yaml"},
		{"--root", discover.Options{WorkDir: root, Root: root}, false, "Kustomize overlay overlay"},
		{"git work tree", discover.Options{WorkDir: root}, true, "Kustomize overlay overlay"},
	} {
		if c.git {
			os.Mkdir(filepath.Join(root, ".git"), 0o755)
		}
		inputs, problems := discover.Discover([]string{"base/deploy.yaml"}, c.opts)
		if len(inputs) != 1 || inputs[0].Kind.String()+" "+inputs[0].Path != c.want || len(problems) > 0 {
			t.Errorf("%s: inputs %v, problems %v, want %s", c.name, inputs, problems, c.want)
		}
	}
}

// TestWalksLeaveOut: walks and the search leave out hidden folders, node_modules, vendor, what
// .gitignore files exclude (a deeper one re-including what a shallower one excludes) and YAML in
// a kustomization's folder that it does not include, and list what they leave out.
func TestWalksLeaveOut(t *testing.T) {
	root := tree(t, map[string]string{
		".gitignore":                        "generated/\n*.local.yaml\n",
		"app/deploy.yaml":                   deploy,
		"app/dev.local.yaml":                deploy,
		"app/.gitignore":                    "!keep.local.yaml\n",
		"app/keep.local.yaml":               deploy,
		"generated/kustomization.yaml":      "resources:\n- ../app/deploy.yaml\n",
		"node_modules/x/kustomization.yaml": "resources:\n- ../../app/deploy.yaml\n",
		"vendor/y/kustomization.yaml":       "resources:\n- ../../app/deploy.yaml\n",
		".config/kustomization.yaml":        "resources:\n- ../app/deploy.yaml\n",
		"tools/kustomization.yaml":          "resources:\n- ../app/keep.local.yaml\n",
		"tools/unused-patch.yaml":           deploy,
		"linked":                            "-> app",
	})
	res := discover.Run([]string{"."}, discover.Options{Root: root, WorkDir: root})
	got := inputNames(res.Inputs)
	if want := []string{"Kustomize overlay tools", "file app/deploy.yaml"}; !slices.Equal(got, want) || len(res.Problems) > 0 {
		t.Errorf("inputs %q (problems %v), want %q", got, res.Problems, want)
	}
	var skipped []string
	for _, s := range res.Skipped {
		skipped = append(skipped, s.String())
	}
	for _, want := range []string{".config: hidden", "app/dev.local.yaml: excluded by .gitignore", "generated: excluded by .gitignore",
		"linked: symlink to a folder", "node_modules: node_modules folder", "vendor: vendor folder",
		"tools/unused-patch.yaml: in a kustomization's folder, which does not include it"} {
		if !slices.ContainsFunc(skipped, func(s string) bool { return strings.HasPrefix(s, want) }) {
			t.Errorf("skipped does not list %q: %q", want, skipped)
		}
	}
	if slices.ContainsFunc(skipped, func(s string) bool { return strings.HasPrefix(s, "app/keep.local.yaml") }) {
		t.Errorf("app/keep.local.yaml is re-included by app/.gitignore, but skipped: %q", skipped)
	}
	// The search for the overlays of a file named leaves out the same.
	res = discover.Run([]string{"app/deploy.yaml"}, discover.Options{Root: root, WorkDir: root})
	if len(res.Inputs) != 1 || res.Inputs[0].Path != "app/deploy.yaml" {
		t.Errorf("inputs %v: the search used an overlay it should have left out", res.Inputs)
	}
}

// TestKustomizationsBusiness: YAML no kustomization includes is skipped as a kustomization's
// business in its folder and in folders below holding what it names (an unused patch beside used
// ones), and linted in folders below it that it never reaches into, as kube-state-metrics' root
// kustomization names examples/standard but not examples/sharding; an eksctl config or a
// CloudFormation template is linted anywhere.
func TestKustomizationsBusiness(t *testing.T) {
	root := tree(t, map[string]string{
		"kustomization.yaml":            "resources:\n- examples/standard/deploy.yaml\npatches:\n- path: patches/used.yaml\n",
		"config.yaml":                   "plugin: config\nkind: Deployment\n",
		"cluster.yaml":                  "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\n",
		"examples/standard/deploy.yaml": deploy,
		"examples/standard/extra.yaml":  deploy,
		"examples/sharding/deploy.yaml": deploy,
		"patches/used.yaml":             deploy,
		"patches/unused.yaml":           deploy,
		"infra/sg.yaml":                 "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n",
	})
	res := discover.Run([]string{"."}, discover.Options{Root: root, WorkDir: root})
	got := inputNames(res.Inputs)
	want := []string{"Kustomize overlay .", "file cluster.yaml", "file examples/sharding/deploy.yaml", "file infra/sg.yaml"}
	if !slices.Equal(got, want) || len(res.Problems) > 0 {
		t.Errorf("inputs %q (problems %v), want %q", got, res.Problems, want)
	}
	var skipped []string
	for _, s := range res.Skipped {
		if strings.Contains(s.String(), "which does not include it") {
			skipped = append(skipped, strings.SplitN(s.String(), ":", 2)[0])
		}
	}
	slices.Sort(skipped)
	if want := []string{"config.yaml", "examples/standard/extra.yaml", "patches/unused.yaml"}; !slices.Equal(skipped, want) {
		t.Errorf("skipped as the kustomization's business: %q, want %q", skipped, want)
	}
}

// TestUnreadableFolder: a folder that cannot be listed is a problem in a walk of a folder named,
// and nothing in a search. Run as root, which lists it anyway, the walk lints what it holds.
func TestUnreadableFolder(t *testing.T) {
	root := tree(t, map[string]string{
		".git/HEAD":                 "ref: refs/heads/main\n",
		"app/deploy.yaml":           deploy,
		"locked/deploy.yaml":        deploy,
		"locked/kustomization.yaml": "resources:\n- ../app/deploy.yaml\n",
	})
	locked := filepath.Join(root, "locked")
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(locked, 0o755)
	readable := os.Geteuid() == 0
	inputs, problems := discoverFrom(t, root, ".")
	switch {
	case readable && (len(problems) > 0 || !slices.Equal(inputs, []string{"Kustomize overlay locked"})):
		t.Errorf("as root: inputs %q, problems %v", inputs, problems)
	case !readable && (len(problems) != 1 || !strings.Contains(problems[0].String(), "locked: cannot read: permission denied")):
		t.Errorf("inputs %q, problems %v: want the folder that cannot be read named", inputs, problems)
	}
	res := discover.Run([]string{"app/deploy.yaml"}, discover.Options{WorkDir: root})
	if len(res.Problems) > 0 {
		t.Errorf("the search reports %v", res.Problems)
	}
}

// TestInputOrder: inputs come in the order of the paths named and, within a folder, in the order
// filepath.WalkDir meets them: set rules that report once per namespace land on the first object.
func TestInputOrder(t *testing.T) {
	root := tree(t, map[string]string{
		"b.yaml":           deploy,
		"a.yaml":           deploy,
		"a/z.yaml":         deploy,
		"a/m.yaml":         deploy,
		"a/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 1.0.0\n",
		"c/x.yaml":         deploy,
	})
	inputs, _ := discover.Discover([]string{"c/x.yaml", ".", "-"}, discover.Options{Root: root, WorkDir: root})
	var got []string
	for _, in := range inputs {
		got = append(got, in.Path)
	}
	if want := []string{"c/x.yaml", "a/m.yaml", "a/sub", "a/z.yaml", "a.yaml", "b.yaml", "<stdin>"}; !slices.Equal(got, want) {
		t.Errorf("inputs in the order %q, want %q", got, want)
	}
}

// chartRepo is a repository whose root is a chart, as helm/helm's test charts and many
// applications are, with what people keep in a chart's folder beside the parts Helm renders.
var chartRepo = map[string]string{
	"Chart.yaml":                         "apiVersion: v2\nname: app\nversion: 0.1.0\n",
	"values.yaml":                        "replicas: 2\n",
	"values-prod.yaml":                   "replicas: 3\n",
	"values.schema.json":                 "{\"type\": \"object\"}\n",
	"templates/deploy.yaml":              deploy,
	"templates/_helpers.tpl":             "{{- define \"app.name\" -}}app{{- end }}\n",
	"crds/crd.yaml":                      "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n",
	"charts/sub/Chart.yaml":              "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
	"charts/sub/deploy/pod.yaml":         deploy,
	"files/nginx.conf":                   "server {}\n",
	"deploy/pod.yaml":                    deploy,
	"envs/base/kustomization.yaml":       "resources:\n- deploy.yaml\n",
	"envs/base/deploy.yaml":              deploy,
	"envs/dev/kustomization.yaml":        "resources:\n- ../base\n",
	"signtest/alpine/Chart.yaml":         "apiVersion: v2\nname: alpine\nversion: 0.1.0\n",
	"signtest/alpine/values.yaml":        "image: alpine\n",
	"signtest/alpine/templates/pod.yaml": deploy,
}

// TestNestedInChartFolder: a chart is what Helm renders from its folder (templates/, crds/,
// charts/, Chart.yaml, values files); the manifests, overlays and charts kept elsewhere in the
// folder are inputs of their own, found by a walk and linted when named.
func TestNestedInChartFolder(t *testing.T) {
	root := tree(t, chartRepo)
	got, problems := discoverFrom(t, root, ".")
	want := []string{
		"Helm chart .",
		"Helm chart signtest/alpine",
		"Kustomize overlay envs/dev",
		"file deploy/pod.yaml",
	}
	if !slices.Equal(got, want) || len(problems) > 0 {
		t.Errorf("walk of the chart at the root: got %q (problems %v), want %q", got, problems, want)
	}
	checkNamed(t, root, []namedPaths{
		// The chart's parts, and files only its templates can read, stand for the chart.
		{[]string{"templates/deploy.yaml", "templates/_helpers.tpl", "values-prod.yaml", "values.schema.json", "Chart.yaml"}, []string{"Helm chart ."}},
		{[]string{"crds/crd.yaml", "files/nginx.conf", "charts/sub/deploy/pod.yaml"}, []string{"Helm chart ."}},
		// A manifest elsewhere is linted itself, and the chart too, which may read it with .Files.
		{[]string{"deploy/pod.yaml"}, []string{"Helm chart .", "file deploy/pod.yaml"}},
		{[]string{"deploy"}, []string{"file deploy/pod.yaml"}},
		{[]string{"envs/base/deploy.yaml"}, []string{"Helm chart .", "Kustomize overlay envs/dev"}},
		{[]string{"envs/dev/kustomization.yaml"}, []string{"Helm chart .", "Kustomize overlay envs/dev"}},
		// A chart nested outside charts/ is a chart of its own.
		{[]string{"signtest/alpine/templates/pod.yaml"}, []string{"Helm chart signtest/alpine"}},
		{[]string{"signtest"}, []string{"Helm chart signtest/alpine"}},
	})
}

// TestNestedManifestInChart is the report's case: app/deploy/pod.yaml beside app/Chart.yaml is
// linted whether the root, the chart or the file is named.
func TestNestedManifestInChart(t *testing.T) {
	root := tree(t, map[string]string{
		"app/Chart.yaml":      "apiVersion: v2\nname: app\nversion: 0.1.0\n",
		"app/deploy/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {hostNetwork: true, containers: [{name: c, image: \"a:1\"}]}\n",
	})
	for _, p := range []string{".", "app", "app/deploy/pod.yaml"} {
		got, problems := discoverFrom(t, root, p)
		if want := []string{"Helm chart app", "file app/deploy/pod.yaml"}; !slices.Equal(got, want) || len(problems) > 0 {
			t.Errorf("%s: got %q (problems %v), want %q", p, got, problems, want)
		}
	}
}

// TestTestAssertions: the assertions of Chainsaw and KUTTL tests (partial objects a test expects
// in the cluster) are skipped, walked or named; what the tests apply is linted.
func TestTestAssertions(t *testing.T) {
	root := tree(t, map[string]string{
		"tests/e2e/smoke/chainsaw-test.yaml": "apiVersion: chainsaw.kyverno.io/v1alpha1\nkind: Test\nmetadata: {name: smoke}\nspec:\n  steps:\n  - try:\n" +
			"    - apply: {file: install.yaml}\n    - assert:\n        file: check-ready.yaml\n    - error: {file: 'gone-*.yaml'}\n    - assert: {file: ./check-pods.yaml}\n",
		"tests/e2e/smoke/install.yaml":       deploy,
		"tests/e2e/smoke/check-pods.yaml":    deploy,
		"tests/e2e/smoke/check-ready.yaml":   deploy,
		"tests/e2e/smoke/gone-old.yaml":      deploy,
		"tests/kuttl/basic/00-install.yaml":  deploy,
		"tests/kuttl/basic/00-assert.yaml":   deploy,
		"tests/kuttl/basic/01-errors.yaml":   deploy,
		"tests/kuttl/basic/02-assert-2.yaml": deploy,
		"deploy/assert.yaml":                 deploy, // not named as an assertion, nor named by a test
	})
	got, problems := discoverFrom(t, root, ".")
	want := []string{"file deploy/assert.yaml", "file tests/e2e/smoke/chainsaw-test.yaml", "file tests/e2e/smoke/install.yaml", "file tests/kuttl/basic/00-install.yaml"}
	if !slices.Equal(got, want) || len(problems) > 0 {
		t.Errorf("inputs %q (problems %v), want %q", got, problems, want)
	}
	if got, _ := discoverFrom(t, root, "tests/e2e/smoke/check-ready.yaml", "tests/kuttl/basic/00-assert.yaml"); len(got) > 0 {
		t.Errorf("assertions named (as pre-commit names changed files) are inputs: %q", got)
	}
}

// TestHelmRepository: chart archives beside a Helm repository's index.yaml are releases already
// published, skipped when walked; an archive elsewhere is a chart, and so is one named.
func TestHelmRepository(t *testing.T) {
	archive := chartArchive(t)
	root := tree(t, map[string]string{
		"docs/index.yaml":       "apiVersion: v1\nentries:\n  app:\n  - name: app\n    version: 0.1.0\n",
		"docs/app-0.1.0.tgz":    archive,
		"vendor-charts/app.tgz": archive,
		"charts/app/Chart.yaml": "apiVersion: v2\nname: app\nversion: 0.1.0\n",
		"other/index.yaml":      "title: not a repository\n",
		"other/app-0.1.0.tgz":   archive,
		// minio/operator: the index at the top lists the releases in helm-releases/.
		"site/index.yaml":                  "apiVersion: v1\nentries:\n  app:\n  - name: app\n    urls:\n    - https://example.com/helm-releases/app-0.1.0.tgz\n",
		"site/helm-releases/app-0.1.0.tgz": archive,
		"site/helm-releases/app-0.2.0.tgz": archive,
	})
	got, _ := discoverFrom(t, root, ".")
	want := []string{"Helm chart charts/app", "Helm chart other/app-0.1.0.tgz", "Helm chart site/helm-releases/app-0.2.0.tgz", "Helm chart vendor-charts/app.tgz",
		"file docs/index.yaml", "file other/index.yaml", "file site/index.yaml"}
	if !slices.Equal(got, want) {
		t.Errorf("inputs %q, want %q", got, want)
	}
	if got, _ := discoverFrom(t, root, "docs/app-0.1.0.tgz"); !slices.Equal(got, []string{"Helm chart docs/app-0.1.0.tgz"}) {
		t.Errorf("a release named: inputs %q", got)
	}
}

// chartArchive is a chart packed as helm package packs it.
func chartArchive(t *testing.T) string {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	data := "apiVersion: v2\nname: app\nversion: 0.1.0\n"
	if err := tw.WriteHeader(&tar.Header{Name: "app/Chart.yaml", Mode: 0o644, Size: int64(len(data))}); err != nil {
		t.Fatal(err)
	}
	if _, err := tw.Write([]byte(data)); err != nil {
		t.Fatal(err)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestTrackedFilesAreNotIgnored: git never applies .gitignore to what it tracks, so a pattern
// for a build output (`kustomize`, the binary) does not hide a folder committed under that name
// (aks-store-demo), in each index version git writes; untracked files it matches stay ignored.
func TestTrackedFilesAreNotIgnored(t *testing.T) {
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("no git")
	}
	for _, version := range []string{"2", "3", "4"} {
		t.Run("index version "+version, func(t *testing.T) {
			root := tree(t, map[string]string{
				".gitignore":                           "kustomize\n*.local.yaml\n",
				"kustomize/base/kustomization.yaml":    "resources:\n- deploy.yaml\n",
				"kustomize/base/deploy.yaml":           deploy,
				"kustomize/scratch/kustomization.yaml": "resources:\n- ../base\n",
				"app/tracked.local.yaml":               deploy,
				"app/untracked.local.yaml":             deploy,
			})
			for _, args := range [][]string{{"init", "-q"}, {"add", ".gitignore"}, {"add", "-f", "kustomize/base", "app/tracked.local.yaml"},
				{"update-index", "--index-version", version}} {
				if out, err := exec.Command(git, append([]string{"-C", root}, args...)...).CombinedOutput(); err != nil {
					t.Fatalf("git %v: %v %s", args, err, out)
				}
			}
			got, problems := discoverFrom(t, root, ".")
			want := []string{"Kustomize overlay kustomize/base", "file app/tracked.local.yaml"}
			if !slices.Equal(got, want) || len(problems) > 0 {
				t.Errorf("inputs %q (problems %v), want %q", got, problems, want)
			}
		})
	}
}
