package kustomize

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/api/krusty"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/fsroot"
	"github.com/ekslint/ekslint/lint/load"
)

// asWrittenCases are overlays of one folder: the kustomization, its files, and whether the overlay
// is taken as written. TestAsWrittenIsKustomize runs them, and FuzzAsWritten starts from their
// files.
var asWrittenCases = []struct {
	name, kustomization string
	files               map[string]string
	asWritten           bool
}{
	{"one file", "resources:\n- a.yaml\n", map[string]string{"a.yaml": deployAndService}, true},
	{"files in their order", "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - b.yaml\n  - a.yaml\n",
		map[string]string{"a.yaml": deployAndService, "b.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: x}\ndata: {k: \"1\", n: 1, b: true, e: ''}\n"}, true},
	{"no resources", "resources: []\n", nil, true},
	{"a file of comments", "resources:\n- a.yaml\n", map[string]string{"a.yaml": "# generated later\n---\n"}, true},
	{"one name for two kinds", "resources:\n- a.yaml\n", map[string]string{"a.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n"}, true},
	{"empty maps and nulls", "resources:\n- a.yaml\n", map[string]string{"a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: {}\ndata:\nbinaryData: ~\nimmutable: null\n"}, true},
	{"no annotations, written", "resources:\n- a.yaml\n", map[string]string{"a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations: {}\n"}, false},
	{"a CRD", "resources:\n- crd.yaml\n", map[string]string{"crd.yaml": crd}, true},

	{"no list of resources", "kind: Kustomization\n", nil, false},
	{"a null list of resources", "resources:\n", nil, false},
	{"a name prefix", "namePrefix: p-\nresources:\n- a.yaml\n", map[string]string{"a.yaml": deployAndService}, false},
	{"a base", "resources:\n- base\n", map[string]string{"base/kustomization.yaml": "resources:\n- a.yaml\n", "base/a.yaml": deployAndService}, false},
	{"a component kind", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- a.yaml\n", map[string]string{"a.yaml": deployAndService}, false},
	{"resources not a list", "resources: a.yaml\n", map[string]string{"a.yaml": deployAndService}, false},
	{"a local config", "resources:\n- a.yaml\n", map[string]string{"a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    config.kubernetes.io/local-config: \"true\"\n"}, false},
	{"a List", "resources:\n- a.yaml\n", map[string]string{"a.yaml": "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n"}, false},
	{"an alias", "resources:\n- a.yaml\n", map[string]string{"a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: &l {x: y}\n  annotations: *l\n"}, false},
	{"a merge key", "resources:\n- a.yaml\n", map[string]string{"a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  <<: {x: y}\n"}, false},
	{"an explicit tag", "resources:\n- a.yaml\n", map[string]string{"a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: !!str 1\n"}, false},
	{"one id twice", "resources:\n- a.yaml\n- b.yaml\n", map[string]string{"a.yaml": deployAndService, "b.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n"}, false},
	{"a file twice", "resources:\n- a.yaml\n- a.yaml\n", map[string]string{"a.yaml": deployAndService}, false},
	{"no name", "resources:\n- a.yaml\n", map[string]string{"a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  generateName: a-\n"}, false},
	{"a scalar where references are", "resources:\n- a.yaml\n", map[string]string{"a.yaml": "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: a\nrules: 0\n"}, false},
	{"a subject without a name", "resources:\n- a.yaml\n", map[string]string{"a.yaml": "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: a\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: a}\nsubjects:\n- kind: ServiceAccount\n  namespace: x\n"}, false},
	{"a subject two accounts may be", "resources:\n- a.yaml\n", map[string]string{"a.yaml": "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: a\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: a}\nsubjects:\n- kind: ServiceAccount\n  name: sa\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n  namespace: x\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa\n  namespace: y\n"}, false},
	{"references", "resources:\n- a.yaml\n", map[string]string{"a.yaml": "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: a\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: a}\nsubjects:\n- kind: ServiceAccount\n  name: sa\n  namespace: x\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: a\nrules:\n- apiGroups: ['']\n  resources: [secrets]\n  resourceNames: [s, ~]\n  verbs: [get]\n"}, true},
	{"an annotation not a string", "resources:\n- a.yaml\n", map[string]string{"a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    replicas: 1\n"}, false},
	{"annotations", "resources:\n- a.yaml\n", map[string]string{"a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    note: |\n      two\n      lines\n    \"n\": '1'\n"}, true},
	{"CRLF and a comment after a separator", "resources:\n- a.yaml\n", map[string]string{"a.yaml": strings.ReplaceAll(strings.ReplaceAll(deployAndService, "---\n", "--- # the service\n"), "\n", "\r\n")}, true},
	{"two kustomization files", "resources:\n- a.yaml\n", map[string]string{"a.yaml": deployAndService, "kustomization.yml": "resources:\n- b.yaml\n"}, false},
	{"a local config, escaped", "resources:\n- a.json\n", map[string]string{"a.json": `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "annotations": {"config\u002ekubernetes.io/local-config": "true"}}}`}, false},
	{"a separator kustomize refuses", "resources:\n- a.yaml\n", map[string]string{"a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n--- {apiVersion: v1, kind: ConfigMap, metadata: {name: b}}\n"}, false},
	{"dashes in a quoted scalar", "resources:\n- a.yaml\n", map[string]string{"a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: \"a\n---y\"\n"}, false},
	{"lone carriage returns", "resources:\n- a.yaml\n", map[string]string{"a.yaml": "apiVersion: v1\rkind: ConfigMap\rmetadata:\r  name: a\r---\rapiVersion: v1\rkind: ConfigMap\rmetadata:\r  name: b\r"}, false},
	{"a null subject", "resources:\n- a.yaml\n", map[string]string{"a.yaml": "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: a\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: a}\nsubjects:\n- ~\n"}, false},
	{"a subject's kind not a string", "resources:\n- a.yaml\n", map[string]string{"a.yaml": "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: a\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: a}\nsubjects:\n- {kind: 1, name: x, namespace: y}\n"}, false},
	{"a number for a name", "resources:\n- a.yaml\n", map[string]string{"a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 1\n"}, false},
}

const deployAndService = `# the app
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web, "tier": 'front'}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web # the pods
    spec:
      containers:
        - name: web
          image: nginx:1.27
          args: ["--port", "8080"]
          env:
            - name: NOTE
              value: |
                two
                lines
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`

// TestAsWrittenIsKustomize checks that an overlay taken as written gets the objects kustomize
// builds from it, in kustomize's order, and that what kustomize would change or refuse sends the
// overlay to kustomize; then the same for every overlay of the corpus that is taken as written.
func TestAsWrittenIsKustomize(t *testing.T) {
	for _, c := range asWrittenCases {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			write(t, root, "kustomization.yaml", c.kustomization)
			for name, content := range c.files {
				write(t, root, name, content)
			}
			if got := compareWithKustomize(t, root, root); got != c.asWritten {
				t.Errorf("taken as written: %v, want %v", got, c.asWritten)
			}
		})
	}
	const corpus = "../../../shared/corpus"
	if _, err := os.Stat(corpus); err != nil {
		t.Log("no corpus beside the repository: only the cases above were compared")
		return
	}
	root, err := filepath.Abs(corpus)
	if err != nil {
		t.Fatal(err)
	}
	taken, built := 0, 0
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() == "kustomization.yaml" {
			if compareWithKustomize(t, root, filepath.Dir(path)) {
				taken++
			} else {
				built++
			}
		}
		return nil
	})
	t.Logf("corpus: %d overlays taken as written, the same as kustomize's builds; %d built by kustomize", taken, built)
}

// TestNameReferencePaths checks that nameReferencePaths are the paths kustomize's own
// nameReference configuration follows, read from the source of the kustomize built in.
func TestNameReferencePaths(t *testing.T) {
	file, _ := runtime.FuncForPC(reflect.ValueOf(krusty.MakeKustomizer).Pointer()).FileLine(0)
	config := filepath.Join(filepath.Dir(filepath.Dir(file)), "internal", "konfig", "builtinpluginconsts", "namereference.go")
	data, err := os.ReadFile(config)
	if err != nil {
		t.Skipf("kustomize's source is not where the binary says (built with -trimpath?): %v", err)
	}
	var want []string
	for _, m := range regexp.MustCompile(`(?m)^\s*-?\s*path: (\S+)$`).FindAllSubmatch(data, -1) {
		want = append(want, string(m[1]))
	}
	slices.Sort(want)
	want = slices.Compact(want)
	got := strings.Fields(nameReferencePaths)
	if !slices.Equal(got, want) {
		t.Errorf("nameReferencePaths are not those of %s:\n%s", config, strings.Join(want, "\n"))
	}
}

// FuzzAsWritten checks, for any kustomization and the file a.yaml beside it, that an overlay
// taken as written gets the objects kustomize builds.
func FuzzAsWritten(f *testing.F) {
	const kustomization = "resources:\n- a.yaml\n"
	for _, c := range asWrittenCases {
		f.Add(c.kustomization, c.files["a.yaml"])
		for _, content := range c.files {
			f.Add(kustomization, content)
		}
	}
	for _, s := range corpusSeeds("../../../shared/corpus/kustomize", "../../../shared/corpus/raw") {
		f.Add(kustomization, s)
	}
	f.Fuzz(func(t *testing.T, kustomization, file string) {
		root := t.TempDir()
		write(t, root, "kustomization.yaml", kustomization)
		write(t, root, "a.yaml", file)
		compareWithKustomize(t, root, root)
	})
}

// compareWithKustomize checks the overlay in dir under the lint root: when it is taken as
// written, kustomize must build the same objects from it, schemas and all. It reports whether it
// was taken as written.
func compareWithKustomize(t *testing.T, root, dir string) bool {
	t.Helper()
	lintRoot, err := fsroot.New(root, load.DefaultMaxFileSize)
	if err != nil {
		t.Fatal(err)
	}
	rel, _ := filepath.Rel(root, dir)
	in := load.Input{Kind: load.Overlay, Path: filepath.ToSlash(rel), Abs: dir, Root: lintRoot}
	s := &problemSink{}
	b, err := newBuild(newFileCache(lintRoot, s.Limits()), in, s)
	if err != nil {
		t.Fatal(err)
	}
	b.visit(b.dir, "")
	if len(b.problems) == 0 {
		b.checkLimits()
	}
	if len(b.problems) > 0 {
		return false
	}
	docs, ok := b.asWritten()
	if !ok {
		return false
	}
	// Kustomize reads the files as written, as `kustomize build` does: untagged, CRDs whole.
	fsys := b.fs(false)
	fsys.sources = nil
	fsys.ctx = context.Background()
	built, err := b.kustomize(fsys, false)
	if err != nil {
		t.Fatalf("%s: taken as written, but kustomize refuses it: %v", rel, err)
	}
	if len(built) != len(docs) {
		t.Fatalf("%s: taken as written as %d objects; kustomize builds %d", rel, len(docs), len(built))
	}
	for i, r := range built {
		// Kustomize writes annotations anew, at the end of metadata: objects are compared as
		// rules read them, values and their types, with keys in order of name.
		if want, got := encode(t, canonical(r.node)), encode(t, canonical(docs[i].Root)); got != want {
			t.Fatalf("%s: object %d taken as written:\n%s\nkustomize builds:\n%s", rel, i, got, want)
		}
	}
	return true
}

// canonical is a copy of n without styles or comments, the keys of each mapping in order of
// name.
func canonical(n *yaml.Node) *yaml.Node {
	c := yaml.Node{Kind: n.Kind, Tag: n.Tag, Value: n.Value, Anchor: n.Anchor, Alias: n.Alias}
	c.Content = make([]*yaml.Node, len(n.Content))
	for i, child := range n.Content {
		c.Content[i] = canonical(child)
	}
	if c.Kind == yaml.MappingNode {
		pairs := make([][2]*yaml.Node, 0, len(c.Content)/2)
		for i := 0; i+1 < len(c.Content); i += 2 {
			pairs = append(pairs, [2]*yaml.Node{c.Content[i], c.Content[i+1]})
		}
		slices.SortStableFunc(pairs, func(a, b [2]*yaml.Node) int { return strings.Compare(a[0].Value, b[0].Value) })
		for i, p := range pairs {
			c.Content[2*i], c.Content[2*i+1] = p[0], p[1]
		}
	}
	return &c
}

func write(t *testing.T, root, name, content string) {
	t.Helper()
	p := filepath.Join(root, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// problemSink keeps what a loader says, and nothing else.
type problemSink struct{ problems []lint.Problem }

func (s *problemSink) Limits() load.Limits                             { return load.DefaultLimits() }
func (s *problemSink) Document(*lint.Document)                         {}
func (s *problemSink) Problem(p lint.Problem)                          { s.problems = append(s.problems, p) }
func (s *problemSink) Source(*lint.Text)                               {}
func (s *problemSink) SourceFile(string, string, map[int]*lint.Ignore) {}
