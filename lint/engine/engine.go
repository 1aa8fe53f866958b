// Package engine runs rules over the documents loaders produce: objects are checked in parallel
// as documents arrive, set rules see what they collected once loading ends, and the findings come
// back sorted, one per rule and place.
package engine

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/load"
)

// Options configure a run.
type Options struct {
	// Rules are the rules to run, with their levels as configured.
	Rules []*lint.Rule
	// FixedLevels are the rules whose level config set: that level replaces the level of every
	// finding of the rule, including those a check reports at a level of its own.
	FixedLevels map[string]bool
	// Loaders load charts and overlays; files and stdin are loaded by the engine itself.
	Loaders map[load.InputKind]load.Loader
	Limits  load.Limits
	Env     *lint.Env
	// Workers is how many inputs are loaded and checked at once; 0 means one per CPU.
	Workers int
	// Stdin is read for the input "-".
	Stdin io.Reader
	// Deployment names what an input's documents are applied with; variant is the document's
	// (a Helm value set, a Kustomize overlay). Set rules check each deployment on its own, with
	// the raw manifests (named "") visible to every deployment, since teams apply them beside
	// charts and overlays. nil is DeploymentOf.
	Deployment func(in load.Input, variant string) string
	// Held, when set, is told the size of each file a chart or overlay holds whole, once however
	// many read it (the collector waits for builds that hold much: linter.Pacer).
	Held func(n int64)
}

// DeploymentOf is what is applied together by default: the raw files and stdin of a run, each
// Helm chart with one value set, each Kustomize overlay.
func DeploymentOf(in load.Input, variant string) string {
	if in.Kind == load.File || in.Kind == load.Stdin {
		return ""
	}
	return in.Kind.String() + " " + in.Path + "\x00" + variant
}

// Result is everything a run found.
type Result struct {
	// Findings are sorted by file, line, column and rule; one per rule and place.
	Findings []Finding
	// Problems are inputs that could not be read or linted, and notes on what was skipped; sorted
	// by position and message, one per problem and place (SortProblems).
	Problems []lint.Problem
	// Skipped are the documents left out as not manifests (values files, other tools' configs),
	// sorted by position.
	Skipped []lint.Skip
	// Sources holds the texts findings point into.
	Sources *Sources
	// Ignores are the ekslint.io/ignore annotations of the objects checked, for the filter to
	// tell which suppress nothing.
	Ignores []*lint.Ignore
	// Objects is how many objects were checked; InputObjects how many came from each input, by
	// its index in the run's inputs.
	Objects      int
	InputObjects []int
}

// Run loads every input and checks every object with the rules that read it. Inputs are loaded in
// parallel; documents are checked by a second pool as they are parsed, so one huge file keeps both
// loading and checking busy. A panic in a loader or a rule becomes a Problem, never a crash.
func Run(ctx context.Context, inputs []load.Input, opts Options) *Result {
	if opts.Limits == (load.Limits{}) {
		opts.Limits = load.DefaultLimits()
	}
	if opts.Env == nil {
		opts.Env = &lint.Env{}
	}
	if opts.Deployment == nil {
		opts.Deployment = DeploymentOf
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	// A rule with neither Check nor Set is reported by the filter, not the engine (unused-ignore).
	opts.Rules = slices.DeleteFunc(slices.Clone(opts.Rules), func(r *lint.Rule) bool { return r.Check == nil && r.Set == nil })
	e := &engine{opts: opts, inputs: inputs, res: &Result{Sources: &Sources{}, InputObjects: make([]int, len(inputs))}, docs: make(chan seqDoc, 4*workers),
		deployments: map[string]int{"": rawDeployment}, fileInputs: map[string][]int{}, inputVariants: make([]map[string]bool, len(inputs))}
	e.ruleSource = make([]int, len(opts.Rules))
	for ri, r := range opts.Rules {
		e.ruleSource[ri] = -1
		if r.Set == nil {
			continue
		}
		e.sets = append(e.sets, ri)
		i := slices.IndexFunc(e.sources, func(s lint.SetCheck) bool { return s.Source() == r.Set.Source() })
		if i < 0 {
			i = len(e.sources)
			e.sources = append(e.sources, r.Set)
			e.sourceInputs = append(e.sourceInputs, 0)
		}
		e.sourceInputs[i] |= r.Inputs
		e.ruleSource[ri] = i
	}
	e.buckets = make([][]lint.Bucket, len(e.sources))

	var checkers sync.WaitGroup
	for range workers {
		checkers.Go(e.checkDocuments)
	}
	inParallel(workers, len(inputs), func(i int) { e.load(ctx, i, inputs[i]) })
	close(e.docs)
	checkers.Wait()

	e.records.collectIfLarge()
	e.runSets(workers)
	e.records.collectIfLarge()
	e.res.Findings = e.records.findings()
	e.res.Findings = Dedupe(e.res.Findings)
	e.markSharedFiles()
	e.res.Problems = SortProblems(e.res.Problems)
	slices.SortStableFunc(e.res.Skipped, lint.Skip.Compare)
	return e.res
}

type engine struct {
	opts   Options
	inputs []load.Input
	docs   chan seqDoc
	// sets are the indexes in opts.Rules of the set rules.
	sets []int
	// sources are the distinct collect steps of the set rules, with the inputs their rules read
	// together; ruleSource[i] is opts.Rules[i]'s source (-1 for a per-object rule).
	sources      []lint.SetCheck
	sourceInputs []lint.Inputs
	ruleSource   []int

	mu      sync.Mutex
	res     *Result
	records records         // the findings, until the run ends
	buckets [][]lint.Bucket // per collect step, one per checker
	// deployments numbers the deployments by name, the raw manifests' ("") as rawDeployment;
	// rawRefs are the raw objects set rules collected from, and rawFindings the findings the raw
	// manifests' own check made about them, which other deployments' checks do not make again
	// (written under rawMu while the raw manifests' steps are checked side by side, read after).
	deployments map[string]int
	rawRefs     map[*lint.ObjectRef]bool
	rawFindings map[rawFinding]bool
	rawMu       sync.Mutex
	// unlinted are the objects of unlinted documents, about which set rules report nothing.
	unlinted map[*lint.ObjectRef]bool
	// fileInputs are the inputs that read each file, and inputVariants the variants (value sets,
	// overlays) of each input that produced documents, by its index.
	fileInputs    map[string][]int
	inputVariants []map[string]bool
}

// markSharedFiles marks the findings whose file several variants build: the value sets of a chart
// that has more than one, the overlays that include a base. A template only one value set renders
// objects from is still shared: the others read it and render nothing.
func (e *engine) markSharedFiles() {
	shared := map[string]bool{}
	for file, inputs := range e.fileInputs {
		variants := map[string]bool{}
		for _, in := range inputs {
			for v := range e.inputVariants[in] {
				variants[v] = true
			}
		}
		shared[file] = len(variants) > 1
	}
	for i := range e.res.Findings {
		e.res.Findings[i].sharedFile = shared[e.res.Findings[i].Pos.File]
	}
}

// rawFinding is a set rule's finding about a raw object, by rule and position.
type rawFinding struct {
	rule *lint.Rule
	pos  lint.Pos
}

// rawDeployment is the number of the raw manifests' deployment.
const rawDeployment = 0

// seqDoc is a document with its place in a parallel run: input index, then document index in
// the input, and the deployment it belongs to.
type seqDoc struct {
	input, index, deployment int
	doc                      *lint.Document
}

// sink takes what one input's loader produces.
type sink struct {
	e     *engine
	in    load.Input
	input int
	docs  int
}

func (s *sink) Limits() load.Limits { return s.e.opts.Limits }

func (s *sink) Document(d *lint.Document) {
	name := s.e.opts.Deployment(s.in, d.Variant)
	s.e.mu.Lock()
	dep, ok := s.e.deployments[name]
	if !ok {
		dep = len(s.e.deployments)
		s.e.deployments[name] = dep
	}
	if d.Variant != "" {
		if s.e.inputVariants[s.input] == nil {
			s.e.inputVariants[s.input] = map[string]bool{}
		}
		s.e.inputVariants[s.input][d.Variant] = true
	}
	s.e.mu.Unlock()
	s.e.docs <- seqDoc{s.input, s.docs, dep, d}
	s.docs++
}

func (s *sink) Problem(p lint.Problem) {
	s.e.mu.Lock()
	s.e.res.Problems = append(s.e.res.Problems, p)
	s.e.mu.Unlock()
}

// Skip records what the loader left out on purpose (load.SkipSink).
func (s *sink) Skip(sk lint.Skip) {
	s.e.mu.Lock()
	s.e.res.Skipped = append(s.e.res.Skipped, sk)
	s.e.mu.Unlock()
}

func (s *sink) Source(t *lint.Text) {
	s.e.mu.Lock()
	if ins := s.e.fileInputs[t.Name]; len(ins) == 0 || ins[len(ins)-1] != s.input {
		s.e.fileInputs[t.Name] = append(ins, s.input)
	}
	s.e.mu.Unlock()
	if s.e.res.Sources.Add(t) && (s.in.Kind == load.Chart || s.in.Kind == load.Overlay) && s.e.opts.Held != nil {
		s.e.opts.Held(int64(len(t.Data)))
	}
}

func (s *sink) SourceFile(name, abs string, comments map[int]*lint.Ignore) {
	s.e.res.Sources.AddFile(name, abs, s.in.Root, comments)
}

func (e *engine) load(ctx context.Context, i int, in load.Input) {
	s := &sink{e: e, in: in, input: i}
	defer func() {
		if r := recover(); r != nil {
			s.Problem(internalError(lint.Pos{File: in.Path}, fmt.Sprintf("loading %s", in.Path), r))
		}
	}()
	switch in.Kind {
	case load.File, load.Stdin:
		load.Raw(in, e.opts.Stdin, s)
	default:
		l := e.opts.Loaders[in.Kind]
		if l == nil {
			s.Problem(lint.Problem{Pos: lint.Pos{File: in.Path}, Level: lint.Error, Message: fmt.Sprintf("%s input is not supported in this build", in.Kind)})
			return
		}
		l.Load(ctx, in, s)
	}
}

func internalError(at lint.Pos, what string, r any) lint.Problem {
	return lint.Problem{Pos: at, Level: lint.Error, Message: fmt.Sprintf(
		"internal error %s: %v; please report this with the input at https://github.com/ekslint/ekslint/issues\n%s", what, r, debug.Stack())}
}

// checker is one goroutine checking documents: what it keeps between objects.
type checker struct {
	e       *engine
	out     *recordWriter
	buckets []lint.Bucket
	// collected marks, per object, the collect steps that already ran: shared steps run once.
	collected []bool
	// rule is the rule running, for the Pass's Emit.
	rule *lint.Rule
	// rawRefs are the raw objects this checker collected set items from, and unlinted those of
	// unlinted documents (lint.Document.Unlinted).
	rawRefs, unlinted []*lint.ObjectRef
	strs              interned
}

func (c *checker) emit(d lint.Diagnostic) {
	c.out.add(c.e.finding(c.rule, c.strs.diagnostic(d)))
}

// interned keeps one copy of each message and path: generated manifests repeat the same message
// and path thousands of times, and one string per distinct text keeps 400,000 findings from
// holding 400,000 copies.
type interned map[string]string

func (m interned) intern(s string) string {
	if v, ok := m[s]; ok {
		return v
	}
	m[s] = s
	return s
}

// diagnostic is d with its message and path interned.
func (m interned) diagnostic(d lint.Diagnostic) lint.Diagnostic {
	d.Message, d.Path = m.intern(d.Message), m.intern(d.Path)
	return d
}

// finding makes a rule's diagnostic a finding: the level config fixed, else the level the check
// gave, else the rule's own.
func (e *engine) finding(r *lint.Rule, d lint.Diagnostic) Finding {
	level := d.Level
	if level == lint.None || e.opts.FixedLevels[r.ID] {
		level = r.Level
	}
	f := Finding{Rule: r, Level: level, Message: d.Message, Place: d.Place}
	if d.Object != nil && d.Object.Variant != "" {
		f.Variants = []string{d.Object.Variant}
	}
	return f
}

func (e *engine) checkDocuments() {
	var problems []lint.Problem
	var skipped []lint.Skip
	var ignores []*lint.Ignore
	inputObjects := map[int]int{}
	c := &checker{e: e, out: &recordWriter{rs: &e.records}, buckets: make([]lint.Bucket, len(e.sources)),
		collected: make([]bool, len(e.sources)), strs: interned{}}
	for i, src := range e.sources {
		c.buckets[i] = src.NewBucket()
	}
	objects := 0
	// One Pass, re-aimed at each rule and object: millions of rule runs, none keeps its Pass.
	pass := &lint.Pass{Env: e.opts.Env, Emit: c.emit}
	emit, discard := pass.Emit, func(lint.Diagnostic) {}
	reader := lint.NewObjectReader()
	for sd := range e.docs {
		objs, ps, skip := reader.Objects(sd.doc)
		unlinted := sd.doc.Unlinted
		if !unlinted {
			problems = append(problems, ps...)
			if skip != "" {
				skipped = append(skipped, lint.Skip{Pos: e.docPos(sd), Reason: skip})
			}
			inputObjects[sd.input] += len(objs)
		}
		for oi, o := range objs {
			at := lint.ItemOrder{Deployment: sd.deployment, Input: sd.input, Doc: sd.index, Object: oi}
			if unlinted {
				// Its problem is reported: nothing is said about it. Its items come after every
				// linted object's, so that a rule placing a finding about a namespace on its
				// first workload places it on one it may report.
				c.unlinted = append(c.unlinted, o.Ref())
				pass.Emit = discard
				at.Input += len(e.inputs)
			} else {
				objects++
				ignores = append(ignores, o.Ref().Ignores...)
				pass.Emit = emit
			}
			in := lint.InputsOf(o)
			clear(c.collected)
			for ri, r := range e.opts.Rules {
				var b lint.Bucket
				if src := e.ruleSource[ri]; src >= 0 {
					if c.collected[src] || e.sourceInputs[src]&in == 0 {
						continue
					}
					c.collected[src], b = true, c.buckets[src]
				} else if r.Inputs&in == 0 || unlinted {
					continue
				}
				pass.Object, pass.Shared, c.rule = o, sd.deployment == rawDeployment, r
				if err := runRule(r, pass, b, at); err != nil {
					problems = append(problems, *err)
				}
			}
			if sd.deployment == rawDeployment && slices.Contains(c.collected, true) {
				c.rawRefs = append(c.rawRefs, o.Ref())
			}
		}
	}
	c.out.flush()
	e.mu.Lock()
	defer e.mu.Unlock()
	e.res.Problems = append(e.res.Problems, problems...)
	e.res.Skipped = append(e.res.Skipped, skipped...)
	e.res.Objects += objects
	for i, n := range inputObjects {
		e.res.InputObjects[i] += n
	}
	e.res.Ignores = append(e.res.Ignores, ignores...)
	if e.rawRefs == nil {
		e.rawRefs = map[*lint.ObjectRef]bool{}
	}
	for _, ref := range c.rawRefs {
		e.rawRefs[ref] = true
	}
	if len(c.unlinted) > 0 && e.unlinted == nil {
		e.unlinted = map[*lint.ObjectRef]bool{}
	}
	for _, ref := range c.unlinted {
		e.unlinted[ref] = true
	}
	for i, b := range c.buckets {
		e.buckets[i] = append(e.buckets[i], b)
	}
}

// docPos is where a document starts: in its file for a raw file, else the chart or overlay that
// built it.
func (e *engine) docPos(sd seqDoc) lint.Pos {
	if d := sd.doc; d.Locator == nil && d.Text != nil {
		return lint.Pos{File: d.Text.Name, Line: d.Root.Line, Column: d.Root.Column}
	}
	return lint.Pos{File: e.inputs[sd.input].Path}
}

// runRule runs one rule on one object, keeping a set rule's item in b, and turns a panic into a
// Problem.
func runRule(r *lint.Rule, p *lint.Pass, b lint.Bucket, at lint.ItemOrder) (problem *lint.Problem) {
	defer func() {
		if x := recover(); x != nil {
			pr := internalError(p.Object.Place().Pos, "in rule "+r.ID, x)
			problem = &pr
		}
	}()
	if r.Check != nil {
		r.Check(p)
	} else {
		b.Collect(p, at)
	}
	return nil
}

// runSets runs the set rules over each deployment, the raw manifests alone first, then each chart
// value set and overlay build with the raw manifests beside it. So a NetworkPolicy that only the
// dev overlay creates hides nothing in prod, and a finding about a raw manifest is made once
// (runSet). Each collection is merged once per deployment, for all the rules reading it, and
// dropped after the last.
func (e *engine) runSets(workers int) {
	deps := make([]int, 0, len(e.deployments))
	for _, d := range e.deployments {
		deps = append(deps, d)
	}
	slices.Sort(deps)
	rules := make([][]*lint.Rule, len(e.sources))
	for _, ri := range e.sets {
		src := e.ruleSource[ri]
		rules[src] = append(rules[src], e.opts.Rules[ri])
	}
	n := len(deps) - 1
	check := func(src, d int) {
		items := e.sources[src].Merge(e.buckets[src], d, rawDeployment)
		if n == 0 {
			// The only deployment has all it needs in items: the buckets are garbage while
			// the rules check (on 100,000 raw workloads, tens of megabytes each).
			e.buckets[src] = nil
		}
		for _, r := range rules[src] {
			e.runSet(r, items, d)
		}
	}
	// The raw manifests go first, alone: what they give is not said again beside each deployment
	// (runSet). A run of them alone (a huge raw file) merges one collect step at a time; beside
	// other deployments, their steps are checked side by side. The deployments are then checked
	// side by side, every step of every deployment in one pool, each with the items it merged.
	inParallel(min(workers, max(n, 1)), len(e.sources), func(src int) { check(src, deps[0]) })
	inParallel(workers, len(e.sources)*n, func(i int) { check(i/n, deps[1+i%n]) })
	clear(e.buckets)
}

// inParallel calls do(0) to do(n-1) on up to workers goroutines, in that order as each is free, and
// returns when all have returned.
func inParallel(workers, n int, do func(int)) {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Go(func() {
			for i := range next {
				do(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// runSet runs one set rule over one deployment's items.
func (e *engine) runSet(r *lint.Rule, items any, deployment int) {
	out := &recordWriter{rs: &e.records}
	strs := interned{}
	// The raw manifests are checked first. A finding about a raw object that they give alone is
	// theirs, made once; one that only shows beside a deployment (a raw default deny that leaves
	// the chart's egress open) is made too, and Dedupe merges its twins from other deployments
	// into one. Without other deployments there is nothing to tell apart, and a run of 100,000
	// raw workloads need not remember each of their findings twice.
	remember := deployment == rawDeployment && len(e.deployments) > 1
	dropped := func(at lint.Place) bool {
		return e.unlinted[at.Object] || deployment != rawDeployment && e.rawRefs[at.Object] && e.rawFindings[rawFinding{r, at.Pos}]
	}
	s := &lint.SetPass{Env: e.opts.Env, Dropped: dropped, Emit: func(d lint.Diagnostic) {
		if dropped(d.Place) {
			return
		}
		if remember {
			e.rawMu.Lock()
			if e.rawFindings == nil {
				e.rawFindings = map[rawFinding]bool{}
			}
			e.rawFindings[rawFinding{r, d.Pos}] = true
			e.rawMu.Unlock()
		}
		out.add(e.finding(r, strs.diagnostic(d)))
	}}
	defer out.flush()
	defer func() {
		if x := recover(); x != nil {
			e.mu.Lock()
			e.res.Problems = append(e.res.Problems, internalError(lint.Pos{}, "in rule "+r.ID, x))
			e.mu.Unlock()
		}
	}()
	r.Set.Check(items, s)
}

// Dedupe sorts findings and keeps one per rule and place: a Helm `range` or several overlays can
// produce the same finding at the same template or base line, and a person fixes it once; of one
// build's findings there, the one of the highest level. The variants that produced it are kept on
// the finding; those that produced it only at another level (an overlay whose namespace allows
// privileged pods, where the finding is a note) keep a finding of their own, so that no variant is
// said to have an error it has not. When the same build (one value set, one
// overlay, or the raw manifests) produced it for several objects, as a Kustomize patch with a
// label selector or a Helm range does, the finding stays about the first object (its object in
// JSON and SARIF, and its fingerprint) and its message names the others. When other variants said
// it otherwise (an overlay that puts the object in another namespace, or names it with its own
// prefix), the message says which variant it is written for.
func Dedupe(fs []Finding) []Finding {
	// Checkers append findings in whatever order they finish: the message, the variants and the
	// object break ties, so the finding kept (its message and object name the object as one
	// overlay built it) is the same in every run.
	slices.SortStableFunc(fs, func(a, b Finding) int {
		// Ties are rare: compare the costly keys only then (cmp.Or evaluates every argument).
		if c := cmp.Or(a.Pos.Compare(b.Pos), cmp.Compare(a.Rule.ID, b.Rule.ID), cmp.Compare(b.Level, a.Level), cmp.Compare(a.Message, b.Message)); c != 0 {
			return c
		}
		return cmp.Or(slices.Compare(a.Variants, b.Variants), cmp.Compare(a.Object.String(), b.Object.String()), cmp.Compare(a.Path, b.Path),
			// One file built by two inputs (a chart linted alone and as another's dependency)
			// gives a finding each, related to the values each read.
			slices.CompareFunc(a.Related, b.Related, func(x, y lint.Location) int {
				return cmp.Or(x.Pos.Compare(y.Pos), cmp.Compare(x.Message, y.Message))
			}))
	})
	out := fs[:0]
	var others []*lint.ObjectRef // the other objects of the last finding kept
	// counted holds others by objectKey: a Helm range can put 100,000 objects on one line.
	counted := map[objectKey]bool{}
	saidOtherwise := false // by another variant, of the last finding kept
	nameOthers := func() {
		if len(out) == 0 {
			return
		}
		last := &out[len(out)-1]
		if saidOtherwise {
			last.Message += " (in " + last.Object.Variant + ")"
			saidOtherwise = false
		}
		if len(others) > 0 {
			last.Message += " " + alsoFor(last.Object.Identity(), others)
			others = others[:0]
			clear(counted)
		}
	}
	for _, f := range fs {
		if n := len(out); n > 0 && out[n-1].Rule == f.Rule && out[n-1].Pos == f.Pos &&
			(out[n-1].Level == f.Level || !slices.ContainsFunc(f.Variants, func(v string) bool { return !slices.Contains(out[n-1].Variants, v) })) {
			last := &out[n-1]
			for _, v := range f.Variants {
				if !slices.Contains(last.Variants, v) {
					last.Variants = append(last.Variants, v)
				}
			}
			slices.Sort(last.Variants)
			if f.Object != nil && last.Object != nil && f.Object.Variant != last.Object.Variant && f.Message != last.Message {
				saidOtherwise = true
			}
			if f.Object != nil && last.Object != nil && f.Object.Variant == last.Object.Variant &&
				!sameObject(f.Object, last.Object) && !counted[keyOf(f.Object)] {
				others = append(others, f.Object)
				counted[keyOf(f.Object)] = true
			}
			continue
		}
		nameOthers()
		out = append(out, f)
	}
	nameOthers()
	return out
}

// SortProblems sorts problems by position, then message, and keeps one of those that are the same
// problem: at one position, at one level, with one message but for the name of their subject.
// Loaders append problems in whatever order they finish, and each overlay or value set that builds
// a broken base file gives its problem again, naming the object as it builds it; a person fixes it
// once. The problem kept names the object as the first build in that order does.
func SortProblems(ps []lint.Problem) []lint.Problem {
	slices.SortFunc(ps, func(a, b lint.Problem) int {
		return cmp.Or(a.Pos.Compare(b.Pos), cmp.Compare(a.Message, b.Message), cmp.Compare(a.Level, b.Level))
	})
	type problemKey struct {
		pos     lint.Pos
		level   lint.Level
		message string
	}
	seen := map[problemKey]bool{}
	out := ps[:0]
	for _, p := range ps {
		k := problemKey{p.Pos, p.Level, strings.TrimPrefix(p.Message, p.Subject)}
		if !seen[k] {
			seen[k] = true
			out = append(out, p)
		}
	}
	return out
}

// sameObject reports whether two findings' objects are one: the same identity, and for objects
// the API server names (generateName), the same object, since each of those is created anew.
func sameObject(a, b *lint.ObjectRef) bool {
	return a.ObjectID == b.ObjectID && (!a.Generated() || a == b)
}

// objectKey tells objects apart as sameObject does: by identity, and a generated one by itself.
type objectKey struct {
	id        lint.ObjectID
	generated *lint.ObjectRef
}

func keyOf(r *lint.ObjectRef) objectKey {
	if r.Generated() {
		return objectKey{r.ObjectID, r}
	}
	return objectKey{id: r.ObjectID}
}

// maxNamedOthers is how many other objects a merged finding's message names before it counts the rest.
const maxNamedOthers = 4

// alsoFor says which other objects a finding holds for, naming them as `Kind "name"` (with the
// namespace when it is not the kept object's): `(the same holds for Deployment "b", Deployment "c"
// and 3 more objects: this line applies to them too)`.
func alsoFor(kept *lint.ObjectID, others []*lint.ObjectRef) string {
	names := make([]string, 0, min(len(others), maxNamedOthers)+1)
	for _, o := range others[:min(len(others), maxNamedOthers)] {
		name := o.Name
		if o.Namespace != kept.Namespace && o.Namespace != "" && name != "" {
			name = o.Namespace + "/" + name
		}
		names = append(names, o.Kind+" "+lint.QuoteName(name))
	}
	if rest := len(others) - len(names); rest > 0 {
		names = append(names, fmt.Sprintf("%d more objects", rest))
	}
	list := names[0]
	if len(names) > 1 {
		list = strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
	}
	return "(the same holds for " + list + ": this line applies to them too)"
}
