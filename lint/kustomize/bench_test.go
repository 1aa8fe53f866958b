package kustomize_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/ekslint/ekslint/lint/discover"
	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/kustomize"
	"github.com/ekslint/ekslint/lint/linttest"
	"github.com/ekslint/ekslint/lint/load"
)

// corpusOverlays returns the overlays of the shared corpus that build offline.
func corpusOverlays(b *testing.B) []load.Input {
	abs, _ := filepath.Abs(corpus)
	inputs, _ := discover.Discover([]string{filepath.Join(abs, "kustomize")}, discover.Options{Root: abs, WorkDir: abs})
	var out []load.Input
	for _, in := range inputs {
		// The loader decides which overlays build: kustomize alone would fetch remote ones.
		res := engine.Run(context.Background(), []load.Input{in}, engine.Options{Loaders: map[load.InputKind]load.Loader{load.Overlay: kustomize.NewLoader()}})
		if in.Kind == load.Overlay && len(res.Problems) == 0 {
			out = append(out, in)
		}
	}
	if len(out) == 0 {
		b.Skip("no shared corpus")
	}
	return out
}

// BenchmarkKrusty is the baseline: kustomize alone building the corpus overlays, one at a time
// (on the real disk, with kustomize's default options: plugins off, root-only loading).
func BenchmarkKrusty(b *testing.B) {
	inputs := corpusOverlays(b)
	for b.Loop() {
		for _, in := range inputs {
			if _, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), in.Abs); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkLoad is the loader over the same overlays, one at a time, without rules: the checks
// before the build, the guarded filesystem, origin annotations and the locators' setup.
func BenchmarkLoad(b *testing.B) {
	inputs := corpusOverlays(b)
	for b.Loop() {
		opts := engine.Options{Workers: 1, Loaders: map[load.InputKind]load.Loader{load.Overlay: kustomize.NewLoader()}}
		res := engine.Run(context.Background(), inputs, opts)
		if len(res.Problems) > 0 {
			b.Fatal(res.Problems)
		}
	}
}

// BenchmarkManyPatches builds an overlay whose kustomization applies 1,000 strategic merge
// patches, each in its own file, to one Deployment: kustomize alone, and the loader. The work per
// patch must not grow with the number of patches.
func BenchmarkManyPatches(b *testing.B) {
	root := manyPatches(b, 1000)
	b.Run("kustomize", func(b *testing.B) {
		for b.Loop() {
			if _, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), filepath.Join(root, "overlay")); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("loader", func(b *testing.B) {
		req := request()
		req.Paths, req.Root, req.WorkDir = []string{"overlay"}, root, root
		for b.Loop() {
			res := linttest.Lint(b, req)
			if len(res.Problems) > 0 || res.Objects != 1 {
				b.Fatalf("%d objects, problems %v", res.Objects, res.Problems)
			}
		}
	})
}

// manyPatches writes an overlay applying n patches, each in its own file and setting the same
// label, to the Deployment of its base, and returns the root holding base/ and overlay/.
func manyPatches(tb testing.TB, n int) string {
	root := tb.TempDir()
	files := map[string]string{
		"base/kustomization.yaml": "resources:\n- deploy.yaml\n",
		"base/deploy.yaml":        deployment,
	}
	var kust strings.Builder
	kust.WriteString("resources:\n- ../base\npatches:\n")
	for i := range n {
		name := fmt.Sprintf("patch-%d.yaml", i)
		fmt.Fprintf(&kust, "- path: %s\n", name)
		files["overlay/"+name] = fmt.Sprintf("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    patched-by: %q\n", name)
	}
	files["overlay/kustomization.yaml"] = kust.String()
	for name, content := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return root
}
