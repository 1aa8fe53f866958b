package linter

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"sync"

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

// SetCollector sets the process's garbage collector for the run as Collector says, and has the
// run tell it what the charts and overlays it reads hold (Pacer.Held). The command calls it;
// a program that lints in a process doing other work leaves its collector alone.
func (p *Plan) SetCollector() {
	p.pacer = p.Collector().Set()
}

// Set sets the process's collector as c says and returns its pacer, or nil when the user's
// GOMEMLIMIT or GOGC rules: a GOMEMLIMIT the user set wins over all of it; a GOGC keeps its
// pacing, under c's limit.
func (c Collector) Set() *Pacer {
	switch {
	case os.Getenv("GOMEMLIMIT") != "":
		return nil
	case os.Getenv("GOGC") != "":
		debug.SetMemoryLimit(c.Limit)
		return nil
	}
	p := &Pacer{first: c.First, limit: c.Limit}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pause(c.First)
	return p
}

// A Pacer moves the run's next collection as charts and overlays are read. Helm's render
// allocates about fifteen times the chart it reads (kube-prometheus-stack: 7.3 MB read, 110 MB
// allocated), and what a render holds is live until it ends: collecting on the way marks the
// same chart, values and templates again and again, a quarter of the CPU time of that chart's
// run. So while a chart or overlay is read, the next collection waits until the heap reaches the
// plan's first collection plus heldFactor times the most any one of them holds, up to
// maxHeldHeap; from there the collector runs as Go's does by default, under the plan's limit.
type Pacer struct {
	mu           sync.Mutex
	first, limit int64 // the plan's Collector
	paused       bool  // collections wait for the heap to reach at
	at           int64
	held         int64 // the most bytes one chart or overlay holds
}

const (
	// heldFactor times what a chart or overlay holds is what its build may allocate before
	// the first collection.
	heldFactor = 16
	// maxHeldHeap bounds how far a chart or overlay puts collections off.
	maxHeldHeap = 256 << 20
)

// Held says that a chart or overlay of the run holds n bytes of files whole.
func (p *Pacer) Held(n int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if n <= p.held {
		return
	}
	p.held = n
	at := min(p.first+heldFactor*n, max(p.first, maxHeldHeap))
	switch {
	case p.paused && at > p.at:
		p.at = at
		debug.SetMemoryLimit(at)
	case !p.paused:
		p.pause(at)
	}
}

// pause turns collections off until the heap reaches at; the first collection then finds the
// sentinel unreachable, and from then on the collector runs as Go's does by default (GOGC=100),
// under the plan's limit. p.mu is held.
func (p *Pacer) pause(at int64) {
	p.paused, p.at = true, at
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(at)
	runtime.AddCleanup(&sentinel{}, (*Pacer).resume, p)
}

func (p *Pacer) resume() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.paused = false
	debug.SetGCPercent(100)
	debug.SetMemoryLimit(p.limit)
}

// sentinel is an object nothing refers to, whose cleanup runs after the first collection. It
// holds a pointer so that it is not one of the tiny objects the allocator packs together, whose
// cleanups wait for their neighbours.
type sentinel struct{ _ *int }
