package discover_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/discover"
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
	var got []string
	for _, in := range inputs {
		got = append(got, in.Kind.String()+" "+in.Path)
	}
	slices.Sort(got)
	return got, problems
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
		"file plain.yaml",
	}
	if !slices.Equal(got, want) || len(problems) > 0 {
		t.Errorf("got %q (problems %v), want %q", got, problems, want)
	}
}

// TestDiscoverFiles checks files named on the command line, as pre-commit passes them: each
// stands for its chart, or for the overlays that include it, directly or through bases and
// components; anything else is a file of its own.
func TestDiscoverFiles(t *testing.T) {
	root := tree(t, repo)
	for _, c := range []struct {
		paths []string
		want  []string
	}{
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
		{[]string{"overlays/prod/unused-patch.yaml"}, []string{"file overlays/prod/unused-patch.yaml"}},
		{[]string{"plain.yaml"}, []string{"file plain.yaml"}},
		{[]string{".hidden/x.yaml"}, []string{"file .hidden/x.yaml"}},
	} {
		got, problems := discoverFrom(t, root, c.paths...)
		if !slices.Equal(got, c.want) || len(problems) > 0 {
			t.Errorf("%q: got %q (problems %v), want %q", c.paths, got, problems, c.want)
		}
	}
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
