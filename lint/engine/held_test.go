package engine

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/load"
)

// sharingLoader records one text for each overlay and one every overlay shares, as overlays
// record a base they include.
type sharingLoader struct{}

func (sharingLoader) Load(_ context.Context, in load.Input, s load.Sink) {
	s.Source(lint.NewText(in.Path+"/kustomization.yaml", make([]byte, 10)))
	s.Source(lint.NewText("base/deploy.yaml", make([]byte, 1000)))
}

// TestHeld: the collector is told the size of each file charts and overlays hold, once however
// many of them read it, and nothing of raw files.
func TestHeld(t *testing.T) {
	var held atomic.Int64
	inputs := []load.Input{{Kind: load.Overlay, Path: "a"}, {Kind: load.Overlay, Path: "b"}, {Kind: load.Stdin, Path: "-"}}
	Run(context.Background(), inputs, Options{
		Loaders: map[load.InputKind]load.Loader{load.Overlay: sharingLoader{}},
		Held:    func(n int64) { held.Add(n) },
	})
	if got := held.Load(); got != 1020 {
		t.Errorf("held %d bytes, want 1020: two kustomizations and the base they share, once", got)
	}
}
