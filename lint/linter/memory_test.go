package linter_test

import (
	"math"
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint/linter"
	"github.com/ekslint/ekslint/lint/linttest"
)

// TestCollector: files are held to their budget (three times the largest plus 100 MiB, less what
// the process holds outside the heap); a run that renders a chart or builds an overlay gets no
// limit, since what Helm and kustomize hold is not bounded by any file's size. Either way nothing
// is collected before the heap reaches what a run of small files may use, or the budget if less.
func TestCollector(t *testing.T) {
	const MiB = 1 << 20
	small := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n"
	big := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  x: " + strings.Repeat("x", 40*MiB) + "\n"
	dir := linttest.WriteFiles(t, map[string]string{
		"big.yaml":                   big,
		"small.yaml":                 small,
		"chart/Chart.yaml":           "apiVersion: v2\nname: c\nversion: 1.0.0\n",
		"overlay/kustomization.yaml": "resources: [cm.yaml]\n",
		"overlay/cm.yaml":            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
	})
	for _, c := range []struct {
		paths []string
		want  linter.Collector
	}{
		{[]string{"small.yaml"}, linter.Collector{First: 3*int64(len(small)) + 36*MiB, Limit: 64 * MiB}},
		{[]string{"big.yaml", "small.yaml"}, linter.Collector{First: 64 * MiB, Limit: 3*int64(len(big)) + 36*MiB}},
		{[]string{"-"}, linter.Collector{First: 64 * MiB, Limit: 3*64*MiB + 36*MiB}}, // stdin may be as large as the size limit
		{[]string{"chart"}, linter.Collector{First: 36 * MiB, Limit: math.MaxInt64}},
		{[]string{"overlay"}, linter.Collector{First: 36 * MiB, Limit: math.MaxInt64}},
		{[]string{"big.yaml", "chart"}, linter.Collector{First: 64 * MiB, Limit: math.MaxInt64}},
	} {
		req := linttest.Only()
		req.Paths, req.Root, req.WorkDir, req.Stdin = c.paths, dir, dir, strings.NewReader("")
		plan, err := linter.NewPlan(req)
		if err != nil {
			t.Fatal(err)
		}
		if got := plan.Collector(); got != c.want {
			t.Errorf("%v: collector %+v, want %+v", c.paths, got, c.want)
		}
	}
}
