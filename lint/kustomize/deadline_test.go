package kustomize_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/kustomize"
)

// TestBuildDeadline runs a build past its deadline (a nanosecond: every build runs over, however
// fast the machine): it is reported at the overlay's first line, nothing of it is checked, and
// the run goes on with its other inputs.
func TestBuildDeadline(t *testing.T) {
	root := t.TempDir()
	writeFiles(t, root, map[string]string{
		"overlay/kustomization.yaml": "resources:\n- deploy.yaml\n",
		"overlay/deploy.yaml":        deployment,
		"plain.yaml":                 deployment,
	})
	inputs := []lint.Input{
		{Kind: lint.Overlay, Path: "overlay", Abs: filepath.Join(root, "overlay"), Root: root},
		{Kind: lint.File, Path: "plain.yaml", Abs: filepath.Join(root, "plain.yaml"), Root: root},
	}
	opts := lint.Options{Rules: testRules, Loaders: map[lint.InputKind]lint.Loader{lint.Overlay: kustomize.NewLoaderTimeout(time.Nanosecond)}}
	var res *lint.Result
	watchdog(t, "a build past its deadline", func() { res = lint.Run(context.Background(), inputs, opts) })
	problemAt(t, res, "overlay/kustomization.yaml:1:1", "building the overlay took longer than 1ns; not linted", "ekslint lint -")
	if len(res.Problems) != 1 || res.Objects != 1 {
		t.Errorf("problems %v, %d objects; want the deadline's problem and plain.yaml checked", res.Problems, res.Objects)
	}
}
