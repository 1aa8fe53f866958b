package lint

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"
)

// Options configure a run.
type Options struct {
	// Rules are the rules to run, with their levels as configured.
	Rules []*Rule
	// Loaders load charts and overlays; files and stdin are loaded by the engine itself.
	Loaders map[InputKind]Loader
	Limits  Limits
	Env     *Env
	// Workers is how many inputs are loaded and checked at once; 0 means one per CPU.
	Workers int
	// Stdin is read for the input "-".
	Stdin io.Reader
}

// Result is everything a run found.
type Result struct {
	// Findings are sorted by file, line, column and rule; one per rule and place.
	Findings []Finding
	// Problems are inputs that could not be read or linted, and notes on what was skipped.
	Problems []Problem
	// Sources holds the texts findings point into.
	Sources *Sources
	// Ignores are the ekslint.io/ignore annotations of the objects checked, for the filter to
	// tell which suppress nothing.
	Ignores []*Ignore
	// Objects is how many objects were checked.
	Objects int
}

// Run loads every input and checks every object with every rule. Inputs are loaded in parallel;
// documents are checked by a second pool as they are parsed, so one huge file keeps both loading
// and checking busy. A panic in a loader or a rule becomes a Problem, never a crash.
func Run(ctx context.Context, inputs []Input, opts Options) *Result {
	if opts.Limits == (Limits{}) {
		opts.Limits = DefaultLimits()
	}
	if opts.Env == nil {
		opts.Env = &Env{}
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	// A rule with neither Check nor Set is reported by the filter, not the engine (unused-ignore).
	opts.Rules = slices.DeleteFunc(slices.Clone(opts.Rules), func(r *Rule) bool { return r.Check == nil && r.Set == nil })
	e := &engine{opts: opts, res: &Result{Sources: &Sources{}}, docs: make(chan seqDoc, 4*workers)}
	e.ruleSource = make([]int, len(opts.Rules))
	for ri, r := range opts.Rules {
		e.ruleSource[ri] = -1
		if r.Set == nil {
			continue
		}
		e.sets = append(e.sets, r)
		i := slices.IndexFunc(e.sources, func(s SetCheck) bool { return s.source() == r.Set.source() })
		if i < 0 {
			i = len(e.sources)
			e.sources = append(e.sources, r.Set)
		}
		e.sourceOf = append(e.sourceOf, i)
		e.ruleSource[ri] = i
	}
	e.buckets = make([][]bucket, len(e.sources))

	var checkers sync.WaitGroup
	for range workers {
		checkers.Go(e.checkDocuments)
	}
	jobs := make(chan int)
	var loaders sync.WaitGroup
	for range min(workers, max(len(inputs), 1)) {
		loaders.Go(func() {
			for i := range jobs {
				e.load(ctx, i, inputs[i])
			}
		})
	}
	for i := range inputs {
		jobs <- i
	}
	close(jobs)
	loaders.Wait()
	close(e.docs)
	checkers.Wait()

	e.records.collectIfLarge()
	e.runSets()
	e.records.collectIfLarge()
	e.res.Findings = e.records.findings()
	e.res.Findings = dedupe(e.res.Findings)
	slices.SortStableFunc(e.res.Problems, func(a, b Problem) int { return comparePos(a.Pos, b.Pos) })
	return e.res
}

type engine struct {
	opts Options
	docs chan seqDoc
	sets []*Rule
	// sources are the distinct collect steps of the set rules; sourceOf[i] is sets[i]'s, and
	// ruleSource[i] is opts.Rules[i]'s (-1 for a per-object rule).
	sources    []SetCheck
	sourceOf   []int
	ruleSource []int

	mu      sync.Mutex
	res     *Result
	records records    // the findings, until the run ends
	buckets [][]bucket // per collect step, one per checker
}

// seqDoc is a document with its place in a parallel run: input index, then document index in
// the input.
type seqDoc struct {
	input, index int
	doc          *Document
}

// A Loader turns one chart or overlay into documents.
type Loader interface {
	Load(ctx context.Context, in Input, s *Sink)
}

// A Sink takes what a loader produces.
type Sink struct {
	e     *engine
	input int
	docs  int
}

// Limits are the run's limits, for loaders that parse text themselves.
func (s *Sink) Limits() Limits { return s.e.opts.Limits }

// Document hands a document over for checking; documents are checked in parallel with loading.
func (s *Sink) Document(d *Document) {
	s.e.docs <- seqDoc{s.input, s.docs, d}
	s.docs++
}

// Problem records an input that could not be read or linted, or a note.
func (s *Sink) Problem(p Problem) {
	s.e.mu.Lock()
	s.e.res.Problems = append(s.e.res.Problems, p)
	s.e.mu.Unlock()
}

// Source records a text findings may point into.
func (s *Sink) Source(t *Text) { s.e.res.Sources.Add(t) }

// SourceFile records a file read from abs that findings may point into, with its ignore comments
// (by line) but without its bytes: raw inputs can be large, and their lines are read again only
// when a report shows them.
func (s *Sink) SourceFile(name, abs string, comments map[int]*Ignore) {
	s.e.res.Sources.AddFile(name, abs, comments)
}

func (e *engine) load(ctx context.Context, i int, in Input) {
	s := &Sink{e: e, input: i}
	defer func() {
		if r := recover(); r != nil {
			s.Problem(internalError(Pos{File: in.Path}, fmt.Sprintf("loading %s", in.Path), r))
		}
	}()
	switch in.Kind {
	case File, Stdin:
		loadRaw(in, e.opts.Stdin, s)
	default:
		l := e.opts.Loaders[in.Kind]
		if l == nil {
			s.Problem(Problem{Pos: Pos{File: in.Path}, Level: Error, Message: fmt.Sprintf("%s input is not supported in this build", in.Kind)})
			return
		}
		l.Load(ctx, in, s)
	}
}

func internalError(at Pos, what string, r any) Problem {
	return Problem{Pos: at, Level: Error, Message: fmt.Sprintf(
		"internal error %s: %v; please report this with the input at https://github.com/ekslint/ekslint/issues\n%s", what, r, debug.Stack())}
}

func (e *engine) checkDocuments() {
	var problems []Problem
	var ignores []*Ignore
	buckets := make([]bucket, len(e.sources))
	for i, src := range e.sources {
		buckets[i] = src.newBucket()
	}
	collected := make([]bool, len(e.sources)) // per object: shared steps run once
	objects := 0
	// Generated manifests repeat the same message and path thousands of times; sharing one
	// string per distinct text keeps 400,000 findings from holding 400,000 copies.
	strs := map[string]string{}
	intern := func(s string) string {
		if v, ok := strs[s]; ok {
			return v
		}
		strs[s] = s
		return s
	}
	out := &recordWriter{rs: &e.records}
	emit := func(f Finding) {
		f.Message, f.Path = intern(f.Message), intern(f.Path)
		out.add(f)
	}
	// One Pass, re-aimed at each rule and object: millions of rule runs, none keeps its Pass.
	pass := &Pass{Env: e.opts.Env, emit: emit}
	paths := newPathTrie()
	for sd := range e.docs {
		objs, ps := objectsOf(sd.doc, paths)
		problems = append(problems, ps...)
		for oi, o := range objs {
			vs := validate(o)
			problems = append(problems, vs...)
			if slices.ContainsFunc(vs, func(p Problem) bool { return p.Level == Error }) {
				continue
			}
			objects++
			o.ref.Ignores = readIgnores(o)
			ignores = append(ignores, o.ref.Ignores...)
			at := itemOrder{sd.input, sd.index, oi}
			clear(collected)
			for ri, r := range e.opts.Rules {
				var b bucket
				if src := e.ruleSource[ri]; src >= 0 {
					if collected[src] {
						continue
					}
					collected[src], b = true, buckets[src]
				}
				pass.Object, pass.rule = o, r
				if err := runRule(r, pass, b, at); err != nil {
					problems = append(problems, *err)
				}
			}
		}
	}
	out.flush()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.res.Problems = append(e.res.Problems, problems...)
	e.res.Objects += objects
	e.res.Ignores = append(e.res.Ignores, ignores...)
	for i, b := range buckets {
		e.buckets[i] = append(e.buckets[i], b)
	}
}

// runRule runs one rule on one object, keeping a set rule's item in b, and turns a panic into a
// Problem.
func runRule(r *Rule, p *Pass, b bucket, at itemOrder) (problem *Problem) {
	defer func() {
		if x := recover(); x != nil {
			pr := internalError(p.Object.Place().Pos, "in rule "+r.ID, x)
			problem = &pr
		}
	}()
	if r.Check != nil {
		r.Check(p)
	} else {
		b.collect(p, at)
	}
	return nil
}

func (e *engine) runSets() {
	// Each collection is merged once, for all the rules reading it, and dropped after the last.
	merged := make([]any, len(e.sources))
	for i, r := range e.sets {
		src := e.sourceOf[i]
		if merged[src] == nil {
			merged[src] = e.sources[src].merge(e.buckets[src])
			e.buckets[src] = nil
		}
		out := &recordWriter{rs: &e.records}
		s := &SetPass{Env: e.opts.Env, rule: r, emit: out.add}
		func() {
			defer func() {
				if x := recover(); x != nil {
					e.res.Problems = append(e.res.Problems, internalError(Pos{}, "in rule "+r.ID, x))
				}
			}()
			r.Set.check(merged[src], s)
		}()
		out.flush()
		if !slices.Contains(e.sourceOf[i+1:], src) {
			merged[src] = nil // the last rule reading this collection has run
		}
	}
}

func comparePos(a, b Pos) int {
	return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
}

// dedupe sorts findings and keeps one per rule and place: a Helm `range` or several overlays can
// produce the same finding at the same template or base line, and a person fixes it once. The
// variants that produced it are kept on the finding.
func dedupe(fs []Finding) []Finding {
	// Checkers append findings in whatever order they finish: the message, the variants and the
	// object break ties, so the finding kept (its message and object name the object as one
	// overlay built it) is the same in every run.
	slices.SortStableFunc(fs, func(a, b Finding) int {
		// Ties are rare: compare the costly keys only then (cmp.Or evaluates every argument).
		if c := cmp.Or(comparePos(a.Pos, b.Pos), cmp.Compare(a.Rule.ID, b.Rule.ID), cmp.Compare(a.Message, b.Message)); c != 0 {
			return c
		}
		return cmp.Or(slices.Compare(a.Variants, b.Variants), cmp.Compare(a.Object.String(), b.Object.String()), cmp.Compare(a.Path, b.Path))
	})
	out := fs[:0]
	for _, f := range fs {
		if n := len(out); n > 0 && out[n-1].Rule == f.Rule && out[n-1].Pos == f.Pos {
			last := &out[n-1]
			for _, v := range f.Variants {
				if !slices.Contains(last.Variants, v) {
					last.Variants = append(last.Variants, v)
				}
			}
			slices.Sort(last.Variants)
			continue
		}
		out = append(out, f)
	}
	return out
}
