package kustomize_test

import (
	"fmt"
	"strings"
	"testing"
)

// TestLimits gives kustomize overlays whose builds would take minutes or never end: each is
// refused before the build, at the line that goes over a limit, under a watchdog that fails the
// test on a hang.
func TestLimits(t *testing.T) {
	const refused = "not built (to lint it anyway, lint `kustomize build` output with `ekslint lint -`)"
	t.Run("patches", func(t *testing.T) {
		res := loadOverlays(t, manyPatches(t, 10000), "overlay")
		problemAt(t, res.Problems, "overlay/kustomization.yaml:3:1", "this overlay applies 10000 patches", "more than the 1000 ekslint allows", refused)
	})

	deep := strings.Repeat("a.", 100000) + "b"
	const objects = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
	var many strings.Builder
	for i := range 2001 {
		fmt.Fprintf(&many, "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c%d\n", i)
	}
	var deployments strings.Builder
	for i := range 1000 {
		fmt.Fprintf(&deployments, "---\n%s", strings.Replace(deployment, "name: web", fmt.Sprintf("name: web%d", i), 1))
	}
	files := map[string]string{
		"fieldpath/kustomization.yaml":      "resources:\n- objects.yaml\nreplacements:\n- source:\n    kind: ConfigMap\n    name: c\n    fieldPath: metadata.name\n  targets:\n  - select:\n      kind: ConfigMap\n    fieldPaths:\n    - data." + deep + "\n    options:\n      create: true\n",
		"fieldpath/objects.yaml":            objects,
		"fieldspec/kustomization.yaml":      "resources:\n- objects.yaml\ncommonLabels:\n  team: a\nconfigurations:\n- labels.yaml\n",
		"fieldspec/objects.yaml":            objects,
		"fieldspec/labels.yaml":             "commonLabels:\n- path: spec/" + strings.Repeat("a/", 200) + "b\n  create: true\n",
		"objects/kustomization.yaml":        "resources:\n- objects.yaml\n",
		"objects/objects.yaml":              many.String(),
		"targeted/kustomization.yaml":       "resources:\n- deployments.yaml\npatches:\n" + strings.Repeat("- target:\n    kind: Deployment\n  patch: |-\n    - op: add\n      path: /spec/minReadySeconds\n      value: 1\n", 6),
		"targeted/deployments.yaml":         deployments.String(),
		"copies/kustomization.yaml":         "resources:\n- objects.yaml\npatches:\n- target: {kind: ConfigMap}\n  path: double.json\n",
		"copies/objects.yaml":               objects,
		"copies/double.json":                "[{\"op\": \"add\", \"path\": \"/data\", \"value\": {\"a\": \"x\"}}" + strings.Repeat(",\n{\"op\": \"copy\", \"from\": \"/data\", \"path\": \"/data/a\"}", 45) + "]\n",
		"generated/kustomization.yaml":      "configMapGenerator:\n- name: c\n  files:\n" + strings.Repeat("  - big.txt\n", 100),
		"generated/big.txt":                 strings.Repeat("x", 1<<20),
		"renamed/kustomization.yaml":        "resources:\n- deployments.yaml\nnamePrefix: " + strings.Repeat("a", 70_000) + "-\n",
		"renamed/deployments.yaml":          deployments.String(),
		"lattice/bottom/kustomization.yaml": "resources:\n- objects.yaml\n",
		"lattice/bottom/objects.yaml":       objects,
	}
	// Each level includes the next twice, under two prefixes: 2^30 builds of the bottom.
	const levels = 30
	for i := range levels {
		next := fmt.Sprintf("../../l%d", i+1)
		if i+1 == levels {
			next = "../../bottom"
		}
		for _, side := range []string{"a", "b"} {
			files[fmt.Sprintf("lattice/l%d/%s/kustomization.yaml", i, side)] = fmt.Sprintf("namePrefix: %s-\nresources:\n- %s/a\n- %s/b\n", side, next, next)
		}
	}
	files[fmt.Sprintf("lattice/l%d/a/kustomization.yaml", levels-1)] = "namePrefix: a-\nresources:\n- ../../bottom\n"
	files[fmt.Sprintf("lattice/l%d/b/kustomization.yaml", levels-1)] = "namePrefix: b-\nresources:\n- ../../bottom\n"
	files["lattice/top/kustomization.yaml"] = "resources:\n- ../l0/a\n- ../l0/b\n"
	// 5,000 images entries, each tried on 1,000 Deployments.
	var images strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&images, "- name: img%d\n  newTag: v1\n", i)
	}
	files["imaged/kustomization.yaml"] = "resources:\n- deployments.yaml\nimages:\n" + images.String()
	files["imaged/deployments.yaml"] = deployments.String()
	// 400 replacements of one field path, each looking at 1,000 Deployments twice: inline, in a
	// replacements file, in a ReplacementTransformer; and 2,001 vars looked for in them.
	replacement := "- source: {kind: Deployment, name: web0, fieldPath: metadata.name}\n  targets:\n  - select: {kind: Deployment}\n    fieldPaths: [metadata.annotations.a]\n"
	replacements := strings.Repeat(replacement, 400)
	files["replaced/kustomization.yaml"] = "resources:\n- deployments.yaml\nreplacements:\n" + replacements
	files["replaced/deployments.yaml"] = deployments.String()
	files["replaced-file/kustomization.yaml"] = "resources:\n- deployments.yaml\nreplacements:\n- path: r.yaml\n"
	files["replaced-file/r.yaml"] = replacements
	files["replaced-file/deployments.yaml"] = deployments.String()
	files["transformed/kustomization.yaml"] = "resources:\n- deployments.yaml\ntransformers:\n- r.yaml\n"
	files["transformed/r.yaml"] = "apiVersion: builtin\nkind: ReplacementTransformer\nmetadata: {name: r}\nreplacements:\n" + replacements
	files["transformed/deployments.yaml"] = deployments.String()
	files["varied/kustomization.yaml"] = "resources:\n- deployments.yaml\nvars:\n" +
		strings.Repeat("- name: V\n  objref: {kind: Deployment, name: web0, apiVersion: apps/v1}\n", 2001)
	files["varied/deployments.yaml"] = deployments.String()
	// A 100 KB label over 1,000 Deployments, into metadata and pod templates; a 1 MB value a var
	// copies into 100 places.
	files["labelled/kustomization.yaml"] = "resources:\n- deployments.yaml\nlabels:\n- pairs:\n    team: " + strings.Repeat("a", 100<<10) + "\n  includeTemplates: true\n"
	files["labelled/deployments.yaml"] = deployments.String()
	files["varied-big/kustomization.yaml"] = "resources:\n- objects.yaml\n- pod.yaml\nvars:\n- name: BIG\n  objref: {kind: ConfigMap, name: big, apiVersion: v1}\n  fieldref: {fieldpath: data.v}\n"
	files["varied-big/objects.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  v: " + strings.Repeat("x", 1<<20) + "\n"
	files["varied-big/pod.yaml"] = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: a:1\n    args: [" + strings.TrimSuffix(strings.Repeat(`"$(BIG)", `, 100), ", ") + "]\n"
	// crds files whose definitions refer to themselves, or each twice to the next (2^24 visits).
	k8sType := `"kind": {}, "apiVersion": {}, "metadata": {}`
	files["crd-cycle/kustomization.yaml"] = "resources:\n- objects.yaml\ncrds:\n- crd.json\n"
	files["crd-cycle/objects.yaml"] = objects
	files["crd-cycle/crd.json"] = `{"A": {"Schema": {"properties": {` + k8sType + `, "x": {"$ref": "A"}}}}}`
	var dag strings.Builder
	dag.WriteString(`{"T0": {"Schema": {"properties": {` + k8sType + `, "a": {"$ref": "T1"}, "b": {"$ref": "T1"}}}}`)
	for i := 1; i < 24; i++ {
		fmt.Fprintf(&dag, `, "T%d": {"Schema": {"properties": {"a": {"$ref": "T%d"}, "b": {"$ref": "T%d"}}}}`, i, i+1, i+1)
	}
	dag.WriteString("}")
	files["crd-paths/kustomization.yaml"] = "resources:\n- objects.yaml\ncrds:\n- crd.json\n"
	files["crd-paths/objects.yaml"] = objects
	files["crd-paths/crd.json"] = dag.String()
	root := t.TempDir()
	writeFiles(t, root, files)
	res := loadOverlays(t, root, "fieldpath", "fieldspec", "objects", "targeted", "lattice/top", "copies", "generated", "crd-cycle", "crd-paths", "renamed", "imaged",
		"replaced", "replaced-file", "transformed", "varied", "labelled", "varied-big")
	replaced := "this overlay's replacements would look at its objects 800000 times"
	problemAt(t, res.Problems, "replaced/kustomization.yaml:3:1", replaced, "more than the 400000 ekslint allows", refused)
	problemAt(t, res.Problems, "replaced-file/kustomization.yaml:4:9", replaced, refused)
	problemAt(t, res.Problems, "transformed/r.yaml:2:1", replaced, refused)
	problemAt(t, res.Problems, "varied/kustomization.yaml:3:1", "this overlay's vars would be looked for in its objects 2001000 times", "more than the 2000000 ekslint allows", refused)
	problemAt(t, res.Problems, "imaged/kustomization.yaml:4:3", "this overlay's images entries would be tried on its objects 5000000 times", refused)
	problemAt(t, res.Problems, "renamed/kustomization.yaml:3:1", "this overlay's namePrefix, nameSuffix, namespace, labels and annotations would copy 66.8 MiB into its objects", refused)
	problemAt(t, res.Problems, "labelled/kustomization.yaml:5:5", "this overlay's namePrefix, nameSuffix, namespace, labels and annotations would copy 195.3 MiB into its objects", refused)
	problemAt(t, res.Problems, "varied-big/kustomization.yaml:4:1", "this overlay's vars could copy 100 MiB into its objects", refused)
	problemAt(t, res.Problems, "crd-cycle/kustomization.yaml:4:3", `crds entry "crd.json": its definitions refer to each other in a cycle (A → A)`, refused)
	problemAt(t, res.Problems, "crd-paths/kustomization.yaml:4:3", `crds entry "crd.json": its definitions' $refs make kustomize visit`, "more than the 100000 ekslint allows", refused)
	problemAt(t, res.Problems, "fieldpath/kustomization.yaml:12:7", "a fieldPaths entry has 100002 segments, more than the 100 ekslint allows", refused)
	problemAt(t, res.Problems, "fieldspec/labels.yaml:2:3", "a field spec's path has 202 segments, more than the 100 ekslint allows", refused)
	problemAt(t, res.Problems, "objects/kustomization.yaml:1:1", "kustomize would compare this overlay's objects 4004001 times", "more than the 4000000 ekslint allows", refused)
	problemAt(t, res.Problems, "targeted/kustomization.yaml:3:1", "this overlay's patches may apply 6000 times", "more than the 5000 ekslint allows", refused)
	problemAt(t, res.Problems, "lattice/top/kustomization.yaml:1:1", "this overlay has kustomize build", "more than the 1000 ekslint allows", refused)
	problemAt(t, res.Problems, "copies/kustomization.yaml:4:3", "this overlay's JSON patches copy 45 times, and each copy may double the object", refused)
	problemAt(t, res.Problems, "generated/kustomization.yaml:2:3", "this overlay's generators would read 100 MiB into ConfigMaps and Secrets", refused)
	if res.Objects != 0 {
		t.Errorf("%d objects built", res.Objects)
	}
}

// TestLeanCRDs: overlays are served their CRDs without schemas, which no rule reads and which
// cost kustomize most of a build (see leanTagged); one whose own files name CRDs (a patch of a
// schema) is served them whole, and its patch applies.
func TestLeanCRDs(t *testing.T) {
	const crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n" +
		"  group: example.com\n  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n  versions:\n    - name: v1\n" +
		"      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          description: a widget\n          type: object\n"
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"base/kustomization.yaml":    "resources:\n- crd.yaml\n- cm.yaml\n",
		"base/crd.yaml":              crd,
		"base/cm.yaml":               "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n",
		"plain/kustomization.yaml":   "resources:\n- ../base\n",
		"patched/kustomization.yaml": "resources:\n- ../base\npatches:\n- target: {kind: CustomResourceDefinition}\n  patch: |-\n    - op: test\n      path: /spec/versions/0/schema/openAPIV3Schema/description\n      value: a widget\n",
	})
	res := loadOverlays(t, root, "plain", "patched")
	if len(res.Problems) > 0 || res.Objects != 4 {
		t.Errorf("problems %v, %d objects; want none and 4", res.Problems, res.Objects)
	}
}
