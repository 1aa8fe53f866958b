package linter_test

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/ekslint/ekslint/lint/linter"
	"github.com/ekslint/ekslint/lint/linttest"
)

// TestCollector: files are held to their budget (three times the largest plus 100 MiB, less what
// the process holds outside the heap); a run that renders a chart or builds an overlay gets no
// limit, since what Helm and kustomize hold is not bounded by any file's size. Nothing is collected
// before the heap reaches what a run of small files may use, or the budget if less; a run with
// charts or overlays waits for 48 MiB at least.
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
		{[]string{"chart"}, linter.Collector{First: 48 * MiB, Limit: math.MaxInt64}},
		{[]string{"overlay"}, linter.Collector{First: 48 * MiB, Limit: math.MaxInt64}},
		{[]string{"small.yaml", "overlay"}, linter.Collector{First: 48 * MiB, Limit: math.MaxInt64}},
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

// TestPacer: collections wait for the heap to reach a mark, the plan's first collection plus
// sixteen times the bytes charts and overlays hold, up to 256 MiB, again after each collection
// while what is live is small beside the mark; once it is not, Go's own pacing runs, until the
// mark moves far enough again. A run held to a budget waits for its first collection only.
func TestPacer(t *testing.T) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("the user's GOGC or GOMEMLIMIT rules the collector")
	}
	const MiB = 1 << 20
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	state := func() (limit int64, percent int) {
		percent = debug.SetGCPercent(100)
		debug.SetGCPercent(percent)
		return debug.SetMemoryLimit(-1), percent
	}
	want := func(what string, limit int64, percent int) {
		t.Helper()
		// A collection's cleanup runs on its own goroutine, soon after.
		for range 200 {
			if l, p := state(); l == limit && p == percent {
				return
			}
			time.Sleep(10 * time.Millisecond)
		}
		l, p := state()
		t.Errorf("%s: limit %d MiB, GOGC %d; want %d MiB, %d", what, l/MiB, p, limit/MiB, percent)
	}
	linter.Collector{First: 8 * MiB, Limit: 64 * MiB}.Set()
	want("set with a budget", 8*MiB, -1)
	runtime.GC()
	want("collected with a budget", 64*MiB, 100)

	p := linter.Collector{First: 8 * MiB, Limit: math.MaxInt64}.Set()
	want("set", 8*MiB, -1)
	p.Held(1 * MiB)
	want("a chart of 1 MiB", 24*MiB, -1)
	runtime.GC()
	want("collected with little live", 24*MiB, -1)
	live := make([]byte, 32*MiB)
	runtime.GC()
	want("collected with 32 MiB live", math.MaxInt64, 100)
	p.Held(1 * MiB)
	want("another MiB, 32 MiB live", math.MaxInt64, 100)
	runtime.KeepAlive(live)
	live = nil
	runtime.GC()
	p.Held(10 * MiB)
	want("10 MiB more, little live", 200*MiB, -1)
	p.Held(100 * MiB)
	want("100 MiB more", 256*MiB, -1)
}
