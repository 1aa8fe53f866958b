package discover_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ekslint/ekslint/lint/discover"
)

// BenchmarkDiscoverCorpus discovers the whole shared corpus: the walk, plus reading every
// kustomization in the root for the include graph.
func BenchmarkDiscoverCorpus(b *testing.B) {
	root, _ := filepath.Abs("../../../shared/corpus")
	if _, err := os.Stat(root); err != nil {
		b.Skip("no shared corpus")
	}
	for b.Loop() {
		discover.Discover([]string{"."}, discover.Options{Root: root, WorkDir: root})
	}
}
