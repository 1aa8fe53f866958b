package kustomize_test

import (
	"strings"
	"testing"
)

// TestBuildFailures checks that what kustomize reports lands on the entry, patch or kustomization
// it is about, named as the rest of the report names files: no absolute paths, no quoting nested
// three deep, none of kustomize's wrappers.
func TestBuildFailures(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"base/kustomization.yaml": "resources:\n- deploy.yaml\n",
		"base/deploy.yaml":        deployment,
		// A component cycle, closed by b's entry.
		"cycle/kustomization.yaml":  "resources:\n- ../base\ncomponents:\n- ../comp-a\n",
		"comp-a/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncomponents:\n- ../comp-b\n",
		"comp-b/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncomponents:\n- ../comp-a\n",
		// A kustomization including the folder that holds it.
		"parent/kustomization.yaml":       "resources:\n- ../base\n",
		"parent/child/kustomization.yaml": "resources:\n- ..\n",
		// A patch in a base whose object is not there; an overlay of that base.
		"broken-base/kustomization.yaml": "resources:\n- ../base\npatches:\n- path: patch.yaml\n",
		"broken-base/patch.yaml":         "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nope\nspec:\n  replicas: 2\n",
		"on-broken/kustomization.yaml":   "resources:\n- ../broken-base\n",
		// The same under patchesStrategicMerge, which kustomize words otherwise.
		"smp/kustomization.yaml": "resources:\n- ../base\npatchesStrategicMerge:\n- patch.yaml\n",
		"smp/patch.yaml":         "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nope\nspec:\n  replicas: 2\n",
		// A JSON 6902 operation on a path the object lacks.
		"json/kustomization.yaml": "resources:\n- ../base\npatches:\n- target:\n    kind: Deployment\n  patch: |-\n    - op: replace\n      path: /spec/nope/x\n      value: 1\n",
		// The same object twice.
		"twice/kustomization.yaml": "resources:\n- ../base\n- again.yaml\n",
		"twice/again.yaml":         deployment,
		// A kustomization listed as a component, beside the same folder as a resource.
		"not-component/kustomization.yaml": "resources:\n- ../base\ncomponents:\n- ../base\n",
		// An object without a kind: kustomize prints it.
		"no-kind/kustomization.yaml": "resources:\n- object.yaml\n",
		"no-kind/object.yaml":        "metadata:\n  name: x\n",
		// Fields written as the wrong kind of value: patches as file names (kustomize v2's form),
		// resources as one string.
		"old-patches/kustomization.yaml":  "resources:\n- ../base\npatches:\n- patch.yaml\n",
		"old-patches/patch.yaml":          deployment,
		"one-resource/kustomization.yaml": "resources: ../base\n",
	})
	res := lintAt(t, root, "cycle", "parent/child", "on-broken", "json", "twice", "not-component", "no-kind", "smp", "old-patches", "one-resource")
	problemAt(t, res.Problems, "old-patches/kustomization.yaml:4:3", "invalid kustomization: an entry of patches is a string where kustomize expects a mapping; write `- path: patch.yaml`")
	problemAt(t, res.Problems, "one-resource/kustomization.yaml:1:1", "invalid kustomization: resources is a string where kustomize expects a list")
	problemAt(t, res.Problems, "comp-b/kustomization.yaml:4:3", `components entry "../comp-a" closes a cycle (comp-a → comp-b → comp-a)`)
	problemAt(t, res.Problems, "parent/child/kustomization.yaml:2:3", `resources entry ".." closes a cycle (parent/child → parent)`)
	problemAt(t, res.Problems, "broken-base/kustomization.yaml:4:3", `kustomize build failed: no resource matches strategic merge patch "Deployment.v1.apps/nope.[noNs]"`)
	problemAt(t, res.Problems, "on-broken/kustomization.yaml", "not built: it includes broken-base/kustomization.yaml, which has problems")
	problemAt(t, res.Problems, "smp/kustomization.yaml:4:3", "kustomize build failed: no matches for Id Deployment.v1.apps/nope.[noNs]")
	problemAt(t, res.Problems, "json/kustomization.yaml:8:7", "kustomize build failed: replace operation does not apply: doc is missing path: /spec/nope/x")
	problemAt(t, res.Problems, "twice/kustomization.yaml:3:3", "kustomize build failed: may not add resource with an already registered id: Deployment.v1.apps/web.[noNs]")
	problemAt(t, res.Problems, "not-component/kustomization.yaml:4:3", "kustomize build failed: expected kind 'Component' for path 'base' but got 'Kustomization'")
	problemAt(t, res.Problems, "no-kind/kustomization.yaml:2:3", "kustomize build failed: missing kind in object")
	for _, p := range res.Problems {
		if strings.Contains(p.Message, root) || strings.ContainsAny(p.Message, `\`) ||
			strings.Contains(p.Message, "accumulat") || strings.Contains(p.Message, "build.ekslint.io") {
			t.Errorf("%s: kustomize's wrapping, an absolute path or ekslint's own annotation is left in the message", p)
		}
	}
}
