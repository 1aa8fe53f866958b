package linter_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/ekslint/ekslint/lint/linttest"
)

// TestProblemOfABaseOnce: a broken base built by three overlays is one problem, at the base's
// line, named as the first overlay builds it; problems come out sorted by position, whichever
// loader finished first.
func TestProblemOfABaseOnce(t *testing.T) {
	files := map[string]string{
		"base/kustomization.yaml": "resources: [deploy.yaml]\n",
		"base/deploy.yaml":        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: \"x\"\n  template:\n    spec:\n      containers: [{name: c, image: 1}]\n",
		"b.yaml":                  "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: 1}]}\n",
		"a.yaml":                  "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: 1}]}\n",
	}
	for _, o := range []string{"o1", "o2", "o3"} {
		files[o+"/kustomization.yaml"] = "resources: [../base]\nnamePrefix: " + o + "-\n"
	}
	want := []string{
		`a.yaml:4:31: error: Pod p: spec.containers[0].image must be a string, not the number 1; not linted`,
		`b.yaml:4:22: error: Pod p: spec.containers[0].name must be a string, not the number 1; not linted`,
		`base/deploy.yaml:6:3: error: Deployment o1-d: spec.replicas must be an integer, not the string "x"; not linted`,
		`base/deploy.yaml:9:30: error: Deployment o1-d: spec.template.spec.containers[0].image must be a string, not the number 1; not linted`,
	}
	for range 10 {
		res := linttest.LintFiles(t, files, linttest.Only())
		var got []string
		for _, p := range res.Problems {
			got = append(got, fmt.Sprintf("%s: %s: %s", p.Pos, p.Level, p.Message))
		}
		if !slices.Equal(got, want) {
			t.Fatalf("problems:\n%q\nwant:\n%q", got, want)
		}
		if n := res.Count().InputErrors; n != len(want) {
			t.Fatalf("%d input errors, want %d", n, len(want))
		}
	}
}

// TestProblemsSortedWithDiscovery: a path that cannot be linted is sorted among the problems of
// the files that were, not listed before them.
func TestProblemsSortedWithDiscovery(t *testing.T) {
	dir := linttest.WriteFiles(t, map[string]string{"a.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: 1}]}\n"})
	req := linttest.Only()
	req.Paths, req.Root, req.WorkDir = []string{"zz.yaml", "a.yaml"}, dir, dir
	var got []string
	for _, p := range linttest.Lint(t, req).Problems {
		got = append(got, p.Pos.String())
	}
	if want := []string{"a.yaml:4:22", "zz.yaml"}; !slices.Equal(got, want) {
		t.Errorf("problems at %q, want %q", got, want)
	}
}
