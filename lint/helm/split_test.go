package helm

import (
	"context"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
	releaseutil "helm.sh/helm/v4/pkg/release/v1/util"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/load"
	"github.com/ekslint/ekslint/rules"
)

// TestManifests splits rendered text as Helm does, each document numbered as the file is.
func TestManifests(t *testing.T) {
	text := lint.NewText("x.yaml", []byte("\n\na: 1\n---# comment\nb: 2\n--- \n\n---x: é\ny: 3\n"))
	m := &fileMap{text: text}
	type doc struct {
		data         string
		offset, line int
		shift        int
	}
	var got []doc
	for _, d := range manifests(m) {
		got = append(got, doc{string(d.text.Data), d.text.Offset, d.text.Offset + 1, d.shift})
	}
	want := []doc{{"a: 1\n", 2, 3, 0}, {"# comment\nb: 2\n", 3, 4, 3}, {"x: é\ny: 3\n", 7, 8, 3}}
	if !slices.Equal(got, want) {
		t.Fatalf("documents %+v, want %+v", got, want)
	}
	// A node on a document's first line is placed in the file's columns.
	last := manifests(m)[2]
	var root *yaml.Node
	load.ParseYAML(last.text, load.DefaultLimits(), func(n *yaml.Node) { root = n })
	key := root.Content[0]
	r := lint.FieldRange(last.text, key, root.Content[1])
	if r.Line != 8 || r.Column != 1 || r.EndColumn != 5 {
		t.Fatalf("x: parsed at %+v", r)
	}
	if r.Column+last.shift != 4 || r.EndColumn+last.shift != 8 {
		t.Errorf("x: at column %d to %d of the file, want 4 to 8", r.Column+last.shift, r.EndColumn+last.shift)
	}
}

// TestDocumentSplitChart lints testdata/document-split, whose rendered rbac.yaml holds
// `---# comment` and `---apiVersion: ...`: every object is linted, findings on their lines.
func TestDocumentSplitChart(t *testing.T) {
	dir, err := filepath.Abs("testdata/document-split")
	if err != nil {
		t.Fatal(err)
	}
	l, err := New(Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	in := load.Input{Kind: load.Chart, Path: ".", Abs: dir, Root: rootOf(t, dir)}
	res := engine.Run(context.Background(), []load.Input{in}, engine.Options{Rules: rules.All(), Loaders: map[load.InputKind]load.Loader{load.Chart: l}})
	for _, p := range res.Problems {
		t.Errorf("problem: %s", p)
	}
	if res.Objects != 3 {
		t.Errorf("%d objects, want 3", res.Objects)
	}
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.Rule.ID+" "+f.Pos.String())
	}
	want := "k8s-rbac-wildcard templates/rbac.yaml:14:17"
	if !slices.Contains(got, want) {
		t.Errorf("findings %v, want %s among them", got, want)
	}
}

// TestSplitManifestsAsHelm holds splitManifests to Helm's own function on rendered files made of
// the pieces that matter to it: separators with and without what follows on their line, dashes
// that are not separators, white space of every kind (Unicode's too) before, between and after
// documents, carriage returns and bytes that are not UTF-8.
func TestSplitManifestsAsHelm(t *testing.T) {
	pieces := []string{"---", "--", "-", "----", " ", "\t", "\n", "\r", "\r\n", "\u00a0", "\u0085", "\v", "a: 1", "# c", "x", "\xff", "--- # c", "---apiVersion: v1"}
	rng := rand.New(rand.NewPCG(1, 2))
	cases := []string{"", "---", "\n---\n", "  ---\na: 1", "a: 1\n---\n---\nb: 2\n", "---\n---"}
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		cases = append(cases, b.String())
	}
	for _, c := range cases {
		helm := releaseutil.SplitManifests(c)
		keys := slices.Collect(maps.Keys(helm))
		sort.Sort(releaseutil.BySplitManifestsOrder(keys))
		var want, got []string
		for _, k := range keys {
			want = append(want, helm[k])
		}
		for _, d := range splitManifests([]byte(c)) {
			got = append(got, c[d[0]:d[1]])
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%q: split into %q, Helm splits it into %q", c, got, want)
		}
	}
}
