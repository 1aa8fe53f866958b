package linter

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"

	"github.com/ekslint/ekslint/lint/load"
)

// memoryBudget is the peak memory ekslint promises for a run of files and stdin: three times its
// largest input file plus 100 MiB. Stdin counts as the size limit it is read under.
func (p *Plan) memoryBudget() int64 {
	var largest int64
	for _, in := range p.found.Inputs {
		switch in.Kind {
		case load.File:
			if st, err := in.Root.Stat(in.Abs); err == nil {
				largest = max(largest, min(st.Size(), p.req.Limits.MaxFileSize))
			}
		case load.Stdin:
			largest = max(largest, p.req.Limits.MaxFileSize)
		}
	}
	return 3*largest + 100<<20
}

// A Collector is how the garbage collector runs for a plan (runtime/debug.SetGCPercent and
// SetMemoryLimit).
type Collector struct {
	// First is the heap size at which the first collection runs. Go's collector first runs at 4
	// MB and then whenever the heap doubles: a run that ends with 40 MB live marks what it holds
	// five times over on the way, a tenth of a chart's CPU time. Up to what a run of small files
	// may use (the least limit), or its budget when less, nothing needs collecting; a large run
	// is left to collect its garbage from there, rather than to fill its budget with it.
	First int64
	// Limit is the soft memory limit from then on, math.MaxInt64 for none.
	Limit int64
}

// Collector returns how the collector should run for p.
//
// Files and stdin are read a piece at a time and what the rules keep of them grows with their
// size, so for them the budget, less what the process holds outside the Go heap, is a limit the
// heap stays under without the collector running all the time. A chart or overlay is not
// streamed: Helm holds its values and its rendered output whole, kustomize its resources, as
// `helm template` and `kustomize build` do, and that can be many times the size of any file (a
// 9 MB values.yaml is 300 MB of maps). A limit below what they hold makes the collector run
// without end: under a 64 MiB limit, the 17 charts of the corpus took 1.5 times as long and that
// chart 2.7 times. So a run that renders a chart or builds an overlay gets no limit, and the
// collector keeps its heap within twice what is live, as in `helm template`.
func (p *Plan) Collector() Collector {
	headroom := p.memoryBudget() - outsideHeap
	c := Collector{First: min(headroom, minHeapLimit), Limit: math.MaxInt64}
	for _, in := range p.found.Inputs {
		if in.Kind == load.Chart || in.Kind == load.Overlay {
			return c
		}
	}
	c.Limit = max(headroom, minHeapLimit)
	return c
}

const (
	// outsideHeap is what the process holds outside the Go heap: the pages of the binary it
	// touches (45 MiB before any input is read) and thread stacks.
	outsideHeap = 64 << 20
	// minHeapLimit is the least limit a run gets, what a run of small files uses at most.
	minHeapLimit = 64 << 20
)

// Set sets the process's collector as c says. A GOMEMLIMIT the user set wins over all of it; a
// GOGC the user set keeps its pacing, under c's limit.
func (c Collector) Set() {
	switch {
	case os.Getenv("GOMEMLIMIT") != "":
		return
	case os.Getenv("GOGC") != "":
		debug.SetMemoryLimit(c.Limit)
		return
	}
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(c.First)
	// The first collection finds the sentinel unreachable; from then on the collector runs as Go's
	// does by default (GOGC=100), under the limit.
	runtime.AddCleanup(&sentinel{}, func(limit int64) {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(limit)
	}, c.Limit)
}

// sentinel is an object nothing refers to, whose cleanup runs after the first collection. It
// holds a pointer so that it is not one of the tiny objects the allocator packs together, whose
// cleanups wait for their neighbours.
type sentinel struct{ _ *int }
