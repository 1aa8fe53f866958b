package kustomize_test

import (
	"context"
	"path/filepath"
	"testing"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/ekslint/ekslint/lint/discover"
	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/kustomize"
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
