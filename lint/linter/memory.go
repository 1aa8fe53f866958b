package linter

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"

	"github.com/ekslint/ekslint/lint/load"
)

// memoryBudget is the peak memory ekslint promises for a run of files and stdin: three times its
// largest input file plus 100 MiB. Stdin counts as the size limit it is read under. The files are
// looked at on every core: it is a system call or two for each, before anything is loaded (396
// raw files: 3.5 ms one after another).
func (p *Plan) memoryBudget() int64 {
	var largest atomic.Int64
	grow := func(n int64) {
		for n = min(n, p.req.Limits.MaxFileSize); ; {
			if old := largest.Load(); n <= old || largest.CompareAndSwap(old, n) {
				return
			}
		}
	}
	next := atomic.Int64{}
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(p.found.Inputs); i = int(next.Add(1) - 1) {
				switch in := p.found.Inputs[i]; in.Kind {
				case load.File:
					if st, err := in.Root.Stat(in.Abs); err == nil {
						grow(st.Size())
					}
				case load.Stdin:
					grow(p.req.Limits.MaxFileSize)
				}
			}
		})
	}
	wg.Wait()
	return 3*largest.Load() + 100<<20
}

// A Collector is how the garbage collector runs for a plan (runtime/debug.SetGCPercent and
// SetMemoryLimit).
type Collector struct {
	// First is the heap size collections wait for (the Pacer's mark, before charts and overlays
	// add to it). Go's collector first runs at 4 MB and then whenever the heap doubles: a run
	// that ends with 40 MB live marks what it holds five times over on the way, a tenth of a
	// chart's CPU time. Up to what a run of small files may use (the least limit), or its budget
	// when less (buildsFirst at least for a run with charts or overlays), nothing needs
	// collecting; a large run is left to collect its garbage from there, rather than to fill its
	// budget with it.
	First int64
	// Limit is the soft memory limit once what is live outgrows First, math.MaxInt64 for none.
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
// chart 2.7 times. So a run that renders a chart or builds an overlay gets no limit: its
// collections follow what its charts and overlays hold (Pacer).
func (p *Plan) Collector() Collector {
	headroom := p.memoryBudget() - outsideHeap
	c := Collector{First: min(headroom, minHeapLimit), Limit: math.MaxInt64}
	for _, in := range p.found.Inputs {
		if in.Kind == load.Chart || in.Kind == load.Overlay {
			c.First = max(c.First, buildsFirst)
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
	// buildsFirst is the least First of a run that renders a chart or builds an overlay, which has
	// no limit to keep under. What the budget of small files leaves (36 MiB) made the raw corpus,
	// four charts and eleven overlays among 380 small files, collect twice (77.9 ms, 74.6 without);
	// at 48 MiB the 17 charts still collect first while little is live (306 ms against 321, 187
	// MiB at the peak against 205). At 64 MiB their first collection came only once
	// kube-prometheus-stack's render had grown the heap to 194 MB: three times the marking, 333
	// ms and 244 MiB.
	buildsFirst = 48 << 20
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
	p := &Pacer{first: c.First, limit: c.Limit, at: c.First}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pause()
	return p
}

// A Pacer decides when the run collects. Go's collector runs each time the heap doubles what
// was live at the last collection; a run of small live heaps (a few MB between overlays and
// charts) then collects every few MB, and a chart render, whose allocations are live until it
// ends (Helm's render allocates about fifteen times the chart: kube-prometheus-stack, 7.3 MB,
// 110 MB), is marked again and again on its way. So collections wait for the heap to reach a
// mark, at: the plan's first collection, plus heldFactor times the bytes the charts and overlays
// read so far hold, up to maxHeldHeap. After a collection they wait for the mark again, as long
// as that is later than Go's own pacing would collect (what is live is less than half the mark);
// from then on the collector runs as Go's does by default, under the plan's limit. The heap
// never grows past the mark or twice what is live, whichever is more, as with Go's pacing after
// a first collection at the mark.
type Pacer struct {
	mu           sync.Mutex
	first, limit int64 // the plan's Collector
	held         int64 // the bytes of files charts and overlays hold
	at           int64 // the mark
	paused       bool  // collections wait for the mark
}

const (
	// heldFactor times what a chart or overlay holds is what its build may allocate before a
	// collection.
	heldFactor = 16
	// maxHeldHeap bounds how far charts and overlays put collections off.
	maxHeldHeap = 256 << 20
)

// Held says that a chart or overlay of the run holds a file of n bytes whole.
func (p *Pacer) Held(n int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.held += n
	p.at = min(p.first+heldFactor*p.held, max(p.first, maxHeldHeap))
	switch {
	case p.paused:
		debug.SetMemoryLimit(p.at)
	case worthWaiting(p.at):
		p.pause()
	}
}

// pause turns collections off until the heap reaches the mark; the collection there finds the
// sentinel unreachable, and its cleanup decides what comes next. p.mu is held.
func (p *Pacer) pause() {
	p.paused = true
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(p.at)
	runtime.AddCleanup(&sentinel{}, (*Pacer).collected, p)
}

// collected runs after a collection while paused: the next one waits for the mark again, or,
// when what is live leaves too little room below it, comes with Go's pacing. A run held to a
// budget (files alone, which its limit keeps within it) goes on with Go's pacing after its first
// collection: waiting again saves it little, and its peak, measured on a 50 MB file, came out a
// few MB higher.
func (p *Pacer) collected() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.limit == math.MaxInt64 && worthWaiting(p.at) {
		runtime.AddCleanup(&sentinel{}, (*Pacer).collected, p)
		return
	}
	p.paused = false
	debug.SetGCPercent(100)
	debug.SetMemoryLimit(p.limit)
}

// worthWaiting reports whether waiting for the heap to reach at collects later than Go's pacing
// would: when twice what is live, with the memory the runtime counts against a limit besides
// the heap (stacks, its own structures), stays below at.
func worthWaiting(at int64) bool {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"}, {Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"}, {Name: "/memory/classes/heap/free:bytes"}}
	metrics.Read(s)
	v := func(i int) int64 { return int64(s[i].Value.Uint64()) }
	live, counted := v(0), v(1)-v(2)
	besidesHeap := counted - v(3) - v(4) - v(5)
	return 2*live+besidesHeap < at
}

// sentinel is an object nothing refers to, whose cleanup runs after the first collection. It
// holds a pointer so that it is not one of the tiny objects the allocator packs together, whose
// cleanups wait for their neighbours.
type sentinel struct{ _ *int }
