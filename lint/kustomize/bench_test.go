package kustomize_test

import (
	"context"
	"path/filepath"
	"testing"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/kustomize"
)

// corpusOverlays returns the overlays of the shared corpus that build offline.
func corpusOverlays(b *testing.B) []lint.Input {
	abs, _ := filepath.Abs(corpus)
	inputs, _ := lint.Discover([]string{filepath.Join(abs, "kustomize")}, lint.DiscoverOptions{Root: abs, WorkDir: abs})
	var out []lint.Input
	for _, in := range inputs {
		// The loader decides which overlays build: kustomize alone would fetch remote ones.
		res := lint.Run(context.Background(), []lint.Input{in}, lint.Options{Loaders: map[lint.InputKind]lint.Loader{lint.Overlay: kustomize.NewLoader()}})
		if in.Kind == lint.Overlay && len(res.Problems) == 0 {
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
		opts := lint.Options{Workers: 1, Loaders: map[lint.InputKind]lint.Loader{lint.Overlay: kustomize.NewLoader()}}
		res := lint.Run(context.Background(), inputs, opts)
		if len(res.Problems) > 0 {
			b.Fatal(res.Problems)
		}
	}
}
