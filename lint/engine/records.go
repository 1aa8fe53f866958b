package engine

import (
	"runtime"
	"sync"

	"github.com/ekslint/ekslint/lint"
)

// records keeps the findings of a run until it ends, compactly: a 50 MB input can produce half a
// million findings, and a Finding is 176 bytes where a record is 48. They are kept in blocks of at
// most recordBlockSize, so only the last block of each writer holds slack and no slice of them
// all is copied as it grows, and each block is freed as soon as it is expanded.
type records struct {
	mu     sync.Mutex
	blocks []*recordBlock
}

// recordBlock is up to recordBlockSize records with the strings they share.
type recordBlock struct {
	records []record
	// names are the messages, files and field paths of the records, each once: a block's
	// findings are about a few files and fields, and many say the same thing.
	names   []string
	nameIDs map[string]uint32
	// related are the related locations of the records that have any (by index in records): few
	// findings have them.
	related map[int][]lint.Location
}

// record is a Finding before filtering: no suppression or baseline state yet, its variants those
// of its object, its positions in 32 bits, its message, file and path as indexes into its
// block's names.
type record struct {
	rule                             *lint.Rule
	object                           *lint.ObjectRef
	message, file, path              uint32
	line, column, endLine, endColumn int32
	level                            lint.Level
}

// recordBlockSize is how many records a block holds, and firstRecords the room a block starts
// with: a writer per set rule and deployment adds a few findings, most often none or one, and a
// block made full size for each was 5 MB of the raw corpus's 38 MB of allocations, kept to the end
// of the run for the records they held.
const recordBlockSize, firstRecords = 4096, 16

// writer gathers one goroutine's findings and hands full blocks to rs.
type recordWriter struct {
	rs    *records
	block *recordBlock
}

func (w *recordWriter) add(f Finding) {
	if w.block != nil && len(w.block.records) == recordBlockSize {
		w.flush()
	}
	b := w.block
	if b == nil {
		b = &recordBlock{records: make([]record, 0, firstRecords), nameIDs: map[string]uint32{}}
		w.block = b
	}
	if len(f.Related) > 0 {
		if b.related == nil {
			b.related = map[int][]lint.Location{}
		}
		b.related[len(b.records)] = f.Related
	}
	b.records = append(b.records, record{rule: f.Rule, object: f.Object, message: b.name(f.Message), file: b.name(f.Pos.File), path: b.name(f.Path),
		line: int32(f.Pos.Line), column: int32(f.Pos.Column), endLine: int32(f.Pos.EndLine), endColumn: int32(f.Pos.EndColumn),
		level: f.Level})
}

// name returns the index of s in the block's names, adding it the first time.
func (b *recordBlock) name(s string) uint32 {
	id, ok := b.nameIDs[s]
	if !ok {
		id = uint32(len(b.names))
		b.names = append(b.names, s)
		b.nameIDs[s] = id
	}
	return id
}

func (w *recordWriter) flush() {
	if w.block == nil || len(w.block.records) == 0 {
		return
	}
	w.block.nameIDs = nil
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
	if rs.count() > largeRun {
		runtime.GC()
	}
}

// count is how many records there are.
func (rs *records) count() int {
	n := 0
	for _, b := range rs.blocks {
		n += len(b.records)
	}
	return n
}

// findings expands every record into a Finding, freeing each block once it is expanded.
func (rs *records) findings() []Finding {
	out := make([]Finding, 0, rs.count())
	for i, b := range rs.blocks {
		for j, r := range b.records {
			f := Finding{Rule: r.rule, Level: r.level, Message: b.names[r.message], Place: lint.Place{
				Pos:    lint.Pos{File: b.names[r.file], Line: int(r.line), Column: int(r.column), EndLine: int(r.endLine), EndColumn: int(r.endColumn)},
				Object: r.object, Path: b.names[r.path], Related: b.related[j]}}
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
