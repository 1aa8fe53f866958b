package linter_test

import (
	"math"
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint/linter"
	"github.com/ekslint/ekslint/lint/linttest"
)

// TestMemoryLimit: files are held to their budget (three times the largest plus 100 MiB, less
// what the process holds outside the heap); a run that renders a chart or builds an overlay gets
// no limit, since what Helm and kustomize hold is not bounded by any file's size.
func TestMemoryLimit(t *testing.T) {
	const MiB = 1 << 20
	big := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  x: " + strings.Repeat("x", 40*MiB) + "\n"
	dir := linttest.WriteFiles(t, map[string]string{
		"big.yaml":                   big,
		"small.yaml":                 "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n",
		"chart/Chart.yaml":           "apiVersion: v2\nname: c\nversion: 1.0.0\n",
		"overlay/kustomization.yaml": "resources: [cm.yaml]\n",
		"overlay/cm.yaml":            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
	})
	for _, c := range []struct {
		paths []string
		want  int64
	}{
		{[]string{"small.yaml"}, 64 * MiB},
		{[]string{"big.yaml", "small.yaml"}, 3*int64(len(big)) + 100*MiB - 64*MiB},
		{[]string{"-"}, 3*64*MiB + 100*MiB - 64*MiB}, // stdin may be as large as the size limit
		{[]string{"chart"}, math.MaxInt64},
		{[]string{"overlay"}, math.MaxInt64},
		{[]string{"big.yaml", "chart"}, math.MaxInt64},
	} {
		req := linttest.Only()
		req.Paths, req.Root, req.WorkDir, req.Stdin = c.paths, dir, dir, strings.NewReader("")
		plan, err := linter.NewPlan(req)
		if err != nil {
			t.Fatal(err)
		}
		if got := plan.MemoryLimit(); got != c.want {
			t.Errorf("%v: limit %d, want %d", c.paths, got, c.want)
		}
	}
}
