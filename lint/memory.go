package lint

import (
	"os"
	"runtime/debug"
)

// MemoryBudget is the peak memory ekslint promises for a run: three times its largest input
// file plus 100 MiB. Rendered charts and overlays are small next to that; stdin counts as the
// size limit it is read under.
func MemoryBudget(inputs []Input, lim Limits) int64 {
	var largest int64
	for _, in := range inputs {
		switch in.Kind {
		case File:
			if st, err := os.Stat(in.Abs); err == nil {
				largest = max(largest, min(st.Size(), lim.MaxFileSize))
			}
		case Stdin:
			largest = max(largest, lim.MaxFileSize)
		}
	}
	return 3*largest + 100<<20
}

// runtimeOverhead is what the process holds outside the Go heap's limit (binary, thread stacks).
const runtimeOverhead = 64 << 20

// BoundMemory asks the garbage collector to keep the process within budget, unless the user set
// GOMEMLIMIT. The limit is soft: a run that needs more still gets it, at the cost of collecting
// more often; without it the collector lets the heap grow to twice what is live.
func BoundMemory(budget int64) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(max(budget-runtimeOverhead, 64<<20))
}
