package kustomize_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/discover"
	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/kustomize"
	"github.com/ekslint/ekslint/lint/load"
)

const corpus = "../../../shared/corpus"

// refusals are why an overlay of the corpus may not build offline: it names something remote, or
// a file its repository generates (ingress-nginx's manifest.yaml, a transformer config the
// example leaves out), or it includes one that does.
var refusals = regexp.MustCompile(`is remote: not fetched|no such file or directory|^not built: it includes`)

// TestCorpus builds every overlay of the shared corpus on its own: each builds, or is refused
// for a reason a person can act on; nothing crashes and kustomize never fails on its own.
func TestCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("runs over the shared corpus; go test without -short runs it")
	}
	abs, err := filepath.Abs(corpus)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(abs, "kustomize")); err != nil {
		t.Skip("no shared corpus")
	}
	inputs, problems := discover.Discover([]string{"kustomize"}, discover.Options{Root: abs, WorkDir: abs})
	if len(problems) > 0 {
		t.Errorf("discovery: %v", problems)
	}
	built := 0
	loader := map[load.InputKind]load.Loader{load.Overlay: kustomize.NewLoader()}
	for _, in := range inputs {
		if in.Kind != load.Overlay {
			continue
		}
		res := engine.Run(context.Background(), []load.Input{in}, engine.Options{Loaders: loader})
		refused := false
		for _, p := range res.Problems {
			if p.Level == lint.Note && strings.Contains(p.Message, "is deprecated") {
				continue // the overlay still builds
			}
			refused = true
			if !refusals.MatchString(p.Message) {
				t.Errorf("%s: %s", in.Path, p)
			}
		}
		if !refused {
			if res.Objects == 0 {
				t.Errorf("%s: built nothing", in.Path)
			}
			built++
		}
	}
	if built < 29 {
		t.Errorf("%d overlays built, want at least 29 (the corpus has 41 overlays; 12 name remote or generated files)", built)
	}
	t.Logf("%d of %d inputs built", built, len(inputs))
}
