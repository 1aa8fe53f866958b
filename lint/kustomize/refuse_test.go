package kustomize_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/engine"
)

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
      - name: app
        image: nginx:1.27
`

// TestRemoteRefused checks that every entry kustomize would fetch is refused before the build,
// at its line, naming it; nothing else in the overlay is built.
func TestRemoteRefused(t *testing.T) {
	res := lintTree(t, map[string]string{
		"overlay/kustomization.yaml": `resources:
- github.com/kubernetes-sigs/kustomize/examples/multibases?ref=v3.3.1
- https://github.com/kubernetes/ingress-nginx//deploy/static/provider/aws?ref=controller-v1.10.0
- http://example.com/deploy.yaml
- git@github.com:org/repo.git//deploy
- ssh://git@example.com/org/repo
- git::https://example.com/org/repo
- gitlab.example.com/org/repo//deploy
- ../local?ref=main
bases:
- https://example.com/base
components:
- github.com/org/repo/components/x
crds:
- https://example.com/crd.yaml
configurations:
- https://example.com/config.yaml
openapi:
  path: https://example.com/schema.json
patchesStrategicMerge:
- https://example.com/patch.yaml
patches:
- path: https://example.com/patch.yaml
replacements:
- path: https://example.com/replacements.yaml
configMapGenerator:
- name: x
  files:
  - key=https://example.com/file.txt
transformers:
- file:///etc/kustomize
`,
	})
	for _, c := range []struct{ pos, entry string }{
		{"overlay/kustomization.yaml:2:3", "resources entry \"github.com/kubernetes-sigs/kustomize/examples/multibases?ref=v3.3.1\""},
		{"overlay/kustomization.yaml:3:3", "resources entry \"https://github.com/kubernetes/ingress-nginx//deploy/static/provider/aws?ref=controller-v1.10.0\""},
		{"overlay/kustomization.yaml:4:3", "http://example.com/deploy.yaml"},
		{"overlay/kustomization.yaml:5:3", "git@github.com:org/repo.git//deploy"},
		{"overlay/kustomization.yaml:6:3", "ssh://git@example.com/org/repo"},
		{"overlay/kustomization.yaml:7:3", "git::https://example.com/org/repo"},
		{"overlay/kustomization.yaml:8:3", "gitlab.example.com/org/repo//deploy"},
		{"overlay/kustomization.yaml:9:3", "../local?ref=main"},
		{"overlay/kustomization.yaml:11:3", "bases entry"},
		{"overlay/kustomization.yaml:13:3", "components entry"},
		{"overlay/kustomization.yaml:15:3", "crds entry"},
		{"overlay/kustomization.yaml:17:3", "configurations entry"},
		{"overlay/kustomization.yaml:19:9", "openapi.path entry"},
		{"overlay/kustomization.yaml:21:3", "patchesStrategicMerge entry"},
		{"overlay/kustomization.yaml:23:9", "patches[0].path entry"},
		{"overlay/kustomization.yaml:25:9", "replacements[0].path entry"},
		{"overlay/kustomization.yaml:29:5", "configMapGenerator[0].files entry \"https://example.com/file.txt\""},
		{"overlay/kustomization.yaml:31:3", "transformers entry \"file:///etc/kustomize\""},
	} {
		problemAt(t, res.Problems, c.pos, c.entry, "is remote: not fetched")
	}
	errors := 0
	for _, p := range res.Problems {
		if p.Level == lint.Error {
			errors++
		}
	}
	if errors != 18 || res.Objects != 0 {
		t.Errorf("%d errors and %d objects, want 18 refusals and nothing built", errors, res.Objects)
	}
}

// TestOutsideRootRefused checks that no entry reaches outside the lint root: not by `..`, not by
// an absolute path, not through a symlinked file or folder.
func TestOutsideRootRefused(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "repo")
	outside := filepath.Join(dir, "outside")
	for _, d := range []string{filepath.Join(root, "overlay"), filepath.Join(outside, "base")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(outside, "secret.yaml"), deployment)
	write(filepath.Join(outside, "base", "kustomization.yaml"), "resources:\n- ../secret.yaml\n")
	for link, target := range map[string]string{"secret-link.yaml": "../../outside/secret.yaml", "base-link": "../../outside/base"} {
		if err := os.Symlink(target, filepath.Join(root, "overlay", link)); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(root, "overlay", "kustomization.yaml"), `resources:
- ../../outside/secret.yaml
- `+filepath.Join(outside, "secret.yaml")+`
- secret-link.yaml
- base-link
- base-link/missing/../kustomization.yaml
configMapGenerator:
- name: leak
  files:
  - secret-link.yaml
`)
	res := lintAt(t, root)
	for _, line := range []string{"2:3", "3:3", "4:3", "5:3", "6:3", "10:5"} {
		problemAt(t, res.Problems, "overlay/kustomization.yaml:"+line, "outside the lint root", "not read")
	}
	if res.Objects != 0 {
		t.Errorf("%d objects built from outside the lint root", res.Objects)
	}
}

// TestCorpusOutsideRoot runs the hostile overlays of the shared corpus.
func TestCorpusOutsideRoot(t *testing.T) {
	if testing.Short() {
		t.Skip("runs over the shared corpus; go test without -short runs it")
	}
	bad := filepath.Join("..", "..", "..", "shared", "corpus", "bad")
	if _, err := os.Stat(bad); err != nil {
		t.Skip("no shared corpus")
	}
	abs, _ := filepath.Abs(bad)
	res := lintAt(t, abs, "kustomize-etc-passwd", "kustomize-etc-passwd-deep", "kustomize-remote-base")
	problemAt(t, res.Problems, "kustomize-etc-passwd/kustomization.yaml:4:3", `resources entry "../../../etc/passwd"`, "outside the lint root")
	problemAt(t, res.Problems, "kustomize-etc-passwd-deep/kustomization.yaml:4:3", `resources entry "../../../../../../../../../../etc/passwd"`, "outside the lint root")
	problemAt(t, res.Problems, "kustomize-etc-passwd-deep/kustomization.yaml:8:5", `configMapGenerator[0].files entry "../../../../../../../../../../etc/hostname"`, "outside the lint root")
	problemAt(t, res.Problems, "kustomize-remote-base/kustomization.yaml:4:3", "github.com/kubernetes-sigs/kustomize/examples/multibases?ref=v3.3.1", "not fetched")
	problemAt(t, res.Problems, "kustomize-remote-base/kustomization.yaml:5:3", "https://github.com/kubernetes/ingress-nginx//deploy/static/provider/aws?ref=controller-v1.10.0", "not fetched")
	if len(res.Problems) != 5 {
		t.Errorf("%d problems, want the 5 refusals: %v", len(res.Problems), res.Problems)
	}
}

// marker returns a path a plugin would create, and a shell script that creates it.
func marker(t *testing.T) (path, script string) {
	path = filepath.Join(t.TempDir(), "ran")
	return path, "#!/bin/sh\ntouch " + path + "\ncat\n"
}

func assertNotRun(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); err == nil {
		t.Fatalf("%s exists: code from the repository ran", path)
	}
}

// TestPluginsNeverRun checks that exec plugins and KRM functions named by an overlay are refused
// and never run: the script they would run creates a marker file.
func TestPluginsNeverRun(t *testing.T) {
	mark, script := marker(t)
	home := t.TempDir()
	t.Setenv("KUSTOMIZE_PLUGIN_HOME", home)
	t.Setenv("XDG_CONFIG_HOME", home)
	exe := filepath.Join(home, "someteam.example.com", "v1", "marker", "Marker")
	if err := os.MkdirAll(filepath.Dir(exe), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(exe, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	res := lintTree(t, map[string]string{
		"overlay/kustomization.yaml":     "resources:\n- deploy.yaml\ntransformers:\n- exec.yaml\n- fn.yaml\n- |-\n  apiVersion: someteam.example.com/v1\n  kind: Marker\n  metadata:\n    name: inline\ngenerators:\n- gen\n",
		"overlay/deploy.yaml":            deployment,
		"overlay/exec.yaml":              "apiVersion: someteam.example.com/v1\nkind: Marker\nmetadata:\n  name: m\n",
		"overlay/fn.yaml":                "apiVersion: example.com/v1\nkind: Fn\nmetadata:\n  name: f\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: ./fn.sh\n",
		"overlay/fn.sh":                  script,
		"overlay/gen/kustomization.yaml": "resources:\n- starlark.yaml\n",
		"overlay/gen/starlark.yaml":      "apiVersion: example.com/v1\nkind: Star\nmetadata:\n  name: s\n  annotations:\n    config.k8s.io/function: |\n      starlark:\n        path: ./x.star\n",
	})
	problemAt(t, res.Problems, "overlay/exec.yaml:2:1", `transformers entry "exec.yaml"`, "Marker (apiVersion someteam.example.com/v1) is a kustomize plugin: not run")
	problemAt(t, res.Problems, "overlay/fn.yaml:6:5", `transformers entry "fn.yaml"`, "KRM function", "not run")
	problemAt(t, res.Problems, "overlay/kustomization.yaml:8:3", "transformers entry", "is a kustomize plugin: not run")
	problemAt(t, res.Problems, "overlay/gen/starlark.yaml:6:5", `resources entry "starlark.yaml"`, "KRM function", "not run")
	assertNotRun(t, mark)
}

// TestHelmRefused checks that kustomize's Helm support, which runs the helm program, is refused.
func TestHelmRefused(t *testing.T) {
	mark, script := marker(t)
	bin := t.TempDir()
	if err := os.WriteFile(filepath.Join(bin, "helm"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	res := lintTree(t, map[string]string{
		"overlay/kustomization.yaml": "helmCharts:\n- name: x\n  repo: https://charts.example.com\nhelmChartInflationGenerator:\n- chartName: y\ngenerators:\n- helm.yaml\n",
		"overlay/helm.yaml":          "apiVersion: builtin\nkind: HelmChartInflationGenerator\nmetadata:\n  name: z\nname: z\n",
	})
	problemAt(t, res.Problems, "overlay/kustomization.yaml:1:1", "helmCharts", "helm program", "not rendered")
	problemAt(t, res.Problems, "overlay/kustomization.yaml:4:1", "helmChartInflationGenerator", "not rendered")
	problemAt(t, res.Problems, "overlay/helm.yaml:2:1", `generators entry "helm.yaml"`, "HelmChartInflationGenerator", "not rendered")
	assertNotRun(t, mark)
}

// TestHostileYAML checks that files kustomize would parse get ekslint's own checks first, at
// their lines: kustomize never sees an alias bomb or duplicate keys.
func TestHostileYAML(t *testing.T) {
	bomb := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\na: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
	res := lintTree(t, map[string]string{
		"base/kustomization.yaml":    "resources:\n- deploy.yaml\n- bomb.yaml\n",
		"base/deploy.yaml":           strings.Replace(deployment, "  name: web\n", "  name: web\n  name: again\n", 1),
		"base/bomb.yaml":             bomb,
		"overlay/kustomization.yaml": "resources:\n- ../base\npatches:\n- path: patch.yaml\n- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: web\n      name: again\n",
		"overlay/patch.yaml":         "\x00\x01binary",
	})
	problemAt(t, res.Problems, "base/deploy.yaml:5:3", `duplicate key "name"`)
	problemAt(t, res.Problems, "base/bomb.yaml:10:29", "alias bomb")
	problemAt(t, res.Problems, "overlay/patch.yaml:1", "binary file")
	problemAt(t, res.Problems, "overlay/kustomization.yaml:10:7", `duplicate key "name" (first at line 9)`)
	if res.Objects != 0 {
		t.Errorf("%d objects built from refused files", res.Objects)
	}
}

// TestDuplicateKeySameValue: a key written twice with the same value, in a resource file or in a
// patch kept in the kustomization, is a warning at its line, once, and the overlay is built.
func TestDuplicateKeySameValue(t *testing.T) {
	res := lintTree(t, map[string]string{
		"base/kustomization.yaml":    "resources:\n- deploy.yaml\n",
		"base/deploy.yaml":           strings.Replace(deployment, "  name: web\n", "  name: web\n  name: web\n", 1),
		"overlay/kustomization.yaml": "resources:\n- ../base\npatches:\n- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: web\n      name: web\n",
	}, "overlay")
	problemAt(t, res.Problems, "base/deploy.yaml:5:3", `duplicate key "name" (first at line 4) with the same value`)
	problemAt(t, res.Problems, "overlay/kustomization.yaml:9:7", `duplicate key "name" (first at line 8) with the same value`)
	if len(res.Problems) != 2 || res.Objects != 1 || res.ExitCode(lint.Error) == engine.ExitInput {
		t.Errorf("%d objects, exit %d, problems %v: want the overlay built and two warnings", res.Objects, res.ExitCode(lint.Error), res.Problems)
	}
}

// TestOpenAPISchema checks overlays with their own OpenAPI schema, which kustomize keeps in a
// global: a broken schema (kustomize panics on it) is a problem of that overlay, and the other
// overlays of the run still build with the built-in schema.
func TestOpenAPISchema(t *testing.T) {
	res := lintTree(t, map[string]string{
		"broken/kustomization.yaml": "openapi:\n  path: schema.json\nresources:\n- deploy.yaml\npatches:\n- path: patch.yaml\n",
		"broken/schema.json":        "{\"definitions\": 42}",
		"broken/deploy.yaml":        deployment,
		"broken/patch.yaml":         "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n",
		"plain/kustomization.yaml":  "resources:\n- deploy.yaml\npatches:\n- path: patch.yaml\n",
		"plain/deploy.yaml":         deployment,
		"plain/patch.yaml":          "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n",
	})
	problemAt(t, res.Problems, "broken/kustomization.yaml:1:1", "kustomize build failed")
	if len(res.Problems) != 1 || res.Objects != 1 {
		t.Errorf("problems %v, %d objects; want the broken overlay's problem and the plain overlay built", res.Problems, res.Objects)
	}
}

// TestEmptyResourceFile: a resource file of comments or separators alone (a placeholder for
// generated resources, as Flux's gotk-components.yaml is before bootstrap) builds as no objects,
// as kustomize builds it, and the rest of the overlay is linted.
func TestEmptyResourceFile(t *testing.T) {
	for _, empty := range []string{"", "# generated by flux bootstrap\n", "---\n", "---\n# x\n---\n"} {
		res := lintTree(t, map[string]string{
			"overlay/kustomization.yaml": "resources: [empty.yaml, deploy.yaml]\n",
			"overlay/empty.yaml":         empty,
			"overlay/deploy.yaml":        deployment,
		})
		if len(res.Problems) > 0 || res.Objects != 1 {
			t.Errorf("%q: %d objects, problems %v", empty, res.Objects, res.Problems)
		}
	}
}

// TestBasesFile: kustomize reads bases as resources listed after the others, so a file among
// them is built, with the note that bases is deprecated.
func TestBasesFile(t *testing.T) {
	res := lintTree(t, map[string]string{
		"base/kustomization.yaml":    "resources:\n- deploy.yaml\n",
		"base/deploy.yaml":           deployment,
		"overlay/kustomization.yaml": "bases:\n- ../base\n- ns.yaml\n",
		"overlay/ns.yaml":            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n",
	}, "overlay")
	problemAt(t, res.Problems, "overlay/kustomization.yaml:1:1", "bases is deprecated: use resources")
	if len(res.Problems) != 1 || res.Objects != 2 {
		t.Errorf("problems %v, %d objects; want the note and both objects", res.Problems, res.Objects)
	}
}

// TestNullItem: a finding about a null list item (`- ~`, a container left empty) lands on the item,
// as it does when the file is linted on its own, not on the list.
func TestNullItem(t *testing.T) {
	for _, kustomization := range []string{"resources:\n- a.yaml\n", "namespace: shop\nresources:\n- a.yaml\n"} {
		res := lintTree(t, map[string]string{
			"overlay/kustomization.yaml": kustomization,
			"overlay/a.yaml":             "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n      - ~\n",
		}, "overlay")
		var at []string
		for _, f := range res.Findings {
			if f.Rule.ID == "test-container" {
				at = append(at, f.Pos.String())
			}
		}
		if want := []string{"overlay/a.yaml:9:9", "overlay/a.yaml:11:9"}; !slices.Equal(at, want) {
			t.Errorf("%q: containers at %q, want %q", kustomization, at, want)
		}
	}
}
