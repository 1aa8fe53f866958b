package kustomize_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/kustomize"
	"github.com/ekslint/ekslint/lint/linttest"
	"github.com/ekslint/ekslint/lint/load"
)

// TestBuildDeadline runs a build past its deadline (a nanosecond: every build runs over, however
// fast the machine): it is reported at the overlay's first line, nothing of it is checked, and
// the run goes on with its other inputs. (The overlay sets a namespace: one that only lists its
// files is taken as written, without a build.)
func TestBuildDeadline(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"overlay/kustomization.yaml": "namespace: shop\nresources:\n- deploy.yaml\n",
		"overlay/deploy.yaml":        deployment,
		"plain.yaml":                 deployment,
	})
	inputs := []load.Input{
		{Kind: load.Overlay, Path: "overlay", Abs: filepath.Join(root, "overlay"), Root: linttest.Root(t, root)},
		{Kind: load.File, Path: "plain.yaml", Abs: filepath.Join(root, "plain.yaml"), Root: linttest.Root(t, root)},
	}
	opts := engine.Options{Rules: testRules, Loaders: map[load.InputKind]load.Loader{load.Overlay: kustomize.NewLoaderTimeout(time.Nanosecond)}}
	var res *engine.Result
	watchdog(t, "a build past its deadline", func() { res = engine.Run(context.Background(), inputs, opts) })
	problemAt(t, res.Problems, "overlay/kustomization.yaml:1:1", "building the overlay took longer than 1ns; not linted", "ekslint lint -")
	if len(res.Problems) != 1 || res.Objects != 1 {
		t.Errorf("problems %v, %d objects; want the deadline's problem and plain.yaml checked", res.Problems, res.Objects)
	}
}
