package engine

import (
	"runtime"
	"sync"

	"github.com/ekslint/ekslint/lint"
)

// records keeps the findings of a run until it ends, compactly: a 50 MB input can produce half a
// million findings, and a Finding is 176 bytes where a record is 96. They are kept in fixed-size
// blocks, so no doubling slice holds slack, and each block is freed as soon as it is expanded.
type records struct {
	mu     sync.Mutex
	blocks [][]record
}

// record is a Finding before filtering: no suppression or baseline state yet, its variants those
// of its object, its positions in 32 bits.
type record struct {
	rule                             *lint.Rule
	message                          string
	path                             string
	object                           *lint.ObjectRef
	related                          *[]lint.Location // rare: a pointer keeps the common case small
	file                             string
	line, column, endLine, endColumn int32
	level                            lint.Level
}

// recordBlock is how many records a block holds.
const recordBlock = 4096

// writer gathers one goroutine's findings and hands full blocks to rs.
type recordWriter struct {
	rs    *records
	block []record
}

func (w *recordWriter) add(f Finding) {
	if len(w.block) == recordBlock {
		w.flush()
	}
	if w.block == nil {
		w.block = make([]record, 0, recordBlock)
	}
	r := record{rule: f.Rule, message: f.Message, path: f.Path, object: f.Object, file: f.Pos.File,
		line: int32(f.Pos.Line), column: int32(f.Pos.Column), endLine: int32(f.Pos.EndLine), endColumn: int32(f.Pos.EndColumn),
		level: f.Level}
	if len(f.Related) > 0 {
		rel := f.Related
		r.related = &rel
	}
	w.block = append(w.block, r)
}

func (w *recordWriter) flush() {
	if len(w.block) == 0 {
		return
	}
	w.rs.mu.Lock()
	w.rs.blocks = append(w.rs.blocks, w.block)
	w.rs.mu.Unlock()
	w.block = nil
}

// largeRun is the number of findings above which a run collects its garbage between phases
// (about 10 MB of records).
const largeRun = 100_000

// collectIfLarge returns the garbage of the phase just ended to the heap when the run is large,
// before the next phase allocates: the cross-object rules merge what they collected, then the
// records are expanded into findings, the run's largest allocation. Without it that garbage and
// the new allocations count together at the run's peak. A few milliseconds of a run that takes
// seconds.
func (rs *records) collectIfLarge() {
	n := 0
	for _, b := range rs.blocks {
		n += len(b)
	}
	if n > largeRun {
		runtime.GC()
	}
}

// findings expands every record into a Finding, freeing each block once it is expanded.
func (rs *records) findings() []Finding {
	n := 0
	for _, b := range rs.blocks {
		n += len(b)
	}
	out := make([]Finding, 0, n)
	for i, b := range rs.blocks {
		for _, r := range b {
			f := Finding{Rule: r.rule, Level: r.level, Message: r.message, Place: lint.Place{
				Pos:    lint.Pos{File: r.file, Line: int(r.line), Column: int(r.column), EndLine: int(r.endLine), EndColumn: int(r.endColumn)},
				Object: r.object, Path: r.path}}
			if r.related != nil {
				f.Related = *r.related
			}
			if r.object != nil && r.object.Variant != "" {
				f.Variants = []string{r.object.Variant}
			}
			out = append(out, f)
		}
		rs.blocks[i] = nil
	}
	rs.blocks = nil
	return out
}
