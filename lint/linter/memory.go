package linter

import "github.com/ekslint/ekslint/lint/load"

// MemoryBudget is the peak memory ekslint promises for the run: three times its largest input
// file plus 100 MiB. Rendered charts and overlays are small next to that; stdin counts as the
// size limit it is read under.
func (p *Plan) MemoryBudget() int64 {
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
