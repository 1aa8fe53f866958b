package linter

import (
	"math"

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

// MemoryLimit is the soft limit for the garbage collector (runtime/debug.SetMemoryLimit) that
// keeps the run within its memory budget, or math.MaxInt64 for none.
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
func (p *Plan) MemoryLimit() int64 {
	for _, in := range p.found.Inputs {
		if in.Kind == load.Chart || in.Kind == load.Overlay {
			return math.MaxInt64
		}
	}
	return max(p.memoryBudget()-outsideHeap, minHeapLimit)
}

const (
	// outsideHeap is what the process holds outside the Go heap: the pages of the binary it
	// touches (45 MiB before any input is read) and thread stacks.
	outsideHeap = 64 << 20
	// minHeapLimit is the least limit a run gets, what a run of small files uses at most.
	minHeapLimit = 64 << 20
)
