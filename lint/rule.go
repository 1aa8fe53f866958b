package lint

import (
	"cmp"
	"fmt"
	"slices"
	"sync/atomic"
	"time"
)

// A Rule is one check, written as a plain value: what it is called, how serious it is, why it
// exists and how to fix what it finds, and the function that looks. A rule checks either one
// object at a time (Check) or the whole run (Set), never both; a rule with neither is reported by
// the filter step (UnusedIgnore).
type Rule struct {
	// ID is the rule's id from RULES.md; it is the contract (SARIF ruleId, config, suppressions).
	ID string
	// Level is the default level; config may override it.
	Level Level
	// DefaultOn says whether the rule runs without being enabled.
	DefaultOn bool
	// Title says in a few words what the rule finds.
	Title string
	// Inputs names what the rule reads, as RULES.md does: "workload", "eksctl, cloudformation".
	Inputs string
	// Tags classify the rule: "security", "reliability" or "cost", plus "eks" or "kubernetes".
	Tags []string
	// Rationale says why it matters and which best practice it implements.
	Rationale string
	// Fix says how to fix a finding.
	Fix string
	// Example is a minimal input the rule reports on and the same input fixed; docs show both
	// with the exact output.
	Example Example
	// Equivalents are the same check in other tools ("kube-linter no-readiness-probe").
	Equivalents []string
	// Notes explain deliberate differences from those tools and from the catalogue (where
	// upstream behaviour wins), for the rule's docs.
	Notes string

	// Check looks at one object and reports what is wrong with it.
	Check func(p *Pass)
	// Set looks at the whole run; build it with Gather.
	Set SetCheck

	// levelConfigured is set on the copy Select makes when config gives the rule a level: that
	// level then replaces the level of every finding, including those reported with ReportLevel.
	levelConfigured bool
}

// levelOf is the level a finding the check reports at l gets.
func (r *Rule) levelOf(l Level) Level {
	if r.levelConfigured {
		return r.Level
	}
	return l
}

// Example is the before and after a rule's docs show.
type Example struct {
	// Bad is a small input (YAML) the rule reports on.
	Bad string
	// Good is Bad, fixed.
	Good string
}

// SecuritySeverity is the GitHub code scanning severity (0.0-10.0) of a security rule's findings,
// derived from its level; 0 for rules that are not about security.
func (r *Rule) SecuritySeverity() float64 {
	if !r.HasTag("security") {
		return 0
	}
	switch r.Level {
	case Error:
		return 8.0
	case Warning:
		return 5.0
	}
	return 2.0
}

// HasTag reports whether the rule carries tag.
func (r *Rule) HasTag(tag string) bool {
	for _, t := range r.Tags {
		if t == tag {
			return true
		}
	}
	return false
}

// Env is what every rule may read besides the object: the date version rules compare against
// and the version data.
type Env struct {
	// Today is the date version rules compare support windows against (`--date` pins it).
	Today time.Time
	// Versions is the EKS version data (support calendar, add-on versions); nil means the data
	// built into ekslint. `--data` replaces it with a newer file.
	Versions *Versions

	versionsRead atomic.Bool
}

// EKS returns the version data for a rule to read, and remembers that a rule read it: only then
// does the age of the data matter to a run (StaleVersionsNote).
func (e *Env) EKS() *Versions {
	e.versionsRead.Store(true)
	if e.Versions != nil {
		return e.Versions
	}
	return BuiltinVersions()
}

// Day is the date version rules compare against: Today, or the data's as_of date when Today is
// unset.
func (e *Env) Day() time.Time {
	if !e.Today.IsZero() {
		return e.Today
	}
	return e.EKS().AsOf
}

// StaleVersionsNote returns a note when a rule read version data more than six months older than
// Today, so a run says once that its support dates may be out of date; nil otherwise.
func (e *Env) StaleVersionsNote() *Problem {
	if !e.versionsRead.Load() {
		return nil
	}
	v, day := e.EKS(), e.Day()
	if !v.Stale(day) {
		return nil
	}
	var at Pos
	what := "ekslint's built-in EKS version data"
	if v.Source != BuiltinVersionsSource {
		at, what = Pos{File: v.Source}, "the EKS version data"
	}
	return &Problem{Pos: at, Level: Note, Message: fmt.Sprintf(
		"%s is as of %s, %d days before %s, so version rules may miss newer Kubernetes releases and support dates; "+
			"update ekslint or pass newer data with --data", what, v.AsOf.Format(time.DateOnly),
		int(day.Sub(v.AsOf).Hours()/24), day.Format(time.DateOnly))}
}

// A Pass is one rule looking at one object.
type Pass struct {
	Object *Object
	Env    *Env

	rule *Rule
	emit func(Finding)
}

// Report records a finding at n with the rule's level.
func (p *Pass) Report(n Node, format string, args ...any) {
	p.ReportAt(p.rule.Level, n.Place(), format, args...)
}

// ReportLevel records a finding at n with a level other than the rule's own (kube-proxy newer
// than the cluster is an error, older a warning).
func (p *Pass) ReportLevel(l Level, n Node, format string, args ...any) {
	p.ReportAt(l, n.Place(), format, args...)
}

// ReportAt records a finding at a place computed earlier.
func (p *Pass) ReportAt(l Level, at Place, format string, args ...any) {
	p.emit(newFinding(p.rule, l, at, sprintf(format, args...)))
}

func newFinding(r *Rule, l Level, at Place, msg string) Finding {
	f := Finding{Rule: r, Level: r.levelOf(l), Message: msg, Place: at}
	if at.Object != nil && at.Object.Variant != "" {
		f.Variants = []string{at.Object.Variant}
	}
	return f
}

// SetCheck is a check over the whole run (a namespace, selectors, references). It runs in two
// steps so that objects need not stay in memory: a run may hold millions of nodes, but a check
// needs a few strings and Places from each object.
type SetCheck interface {
	// source identifies the collect step: set rules with the same source share one collection.
	source() any
	// newBucket returns a place for one checker goroutine to keep what collect returns.
	newBucket() bucket
	// merge joins the checkers' buckets into one slice ([]T) in input order, emptying them.
	merge(buckets []bucket) any
	// check runs over what merge returned.
	check(items any, s *SetPass)
}

// bucket keeps one checker's items of one collect step, in the order they were collected.
type bucket interface {
	collect(p *Pass, at itemOrder)
}

// itemOrder places an item in input order: input, document in the input, object in the document.
type itemOrder struct{ input, doc, obj int }

func (a itemOrder) compare(b itemOrder) int {
	return cmp.Or(cmp.Compare(a.input, b.input), cmp.Compare(a.doc, b.doc), cmp.Compare(a.obj, b.obj))
}

// Gather makes a SetCheck. collect sees each object as it is loaded, may report on it like a
// per-object check, and returns what check will need from it (ok false keeps nothing). check then
// sees every kept item, in input order, and reports at Places kept from the objects.
func Gather[T any](collect func(p *Pass) (item T, ok bool), check func(items []T, s *SetPass)) SetCheck {
	return &gathered[T]{c: collect, k: check}
}

// A Collector is a collect step several set rules share: it runs once per object, and each rule
// gathering from it checks the same items (the namespace-wide NetworkPolicy rules all read the
// same workload, namespace and policy facts). It sees the object alone: it cannot report.
type Collector[T any] struct {
	collect func(o *Object) (T, bool)
}

// Collect makes a Collector.
func Collect[T any](collect func(o *Object) (item T, ok bool)) *Collector[T] {
	return &Collector[T]{collect}
}

// Gather makes a SetCheck that checks what c collects.
func (c *Collector[T]) Gather(check func(items []T, s *SetPass)) SetCheck {
	return &gathered[T]{func(p *Pass) (T, bool) { return c.collect(p.Object) }, check, c}
}

type gathered[T any] struct {
	c      func(*Pass) (T, bool)
	k      func([]T, *SetPass)
	shared any // the Collector, when several rules share the collect step
}

func (g *gathered[T]) source() any {
	if g.shared != nil {
		return g.shared
	}
	return g
}

// gatheredBucket keeps items as a []T, not boxed in interfaces: on 100k workloads and a handful
// of set rules that is tens of megabytes.
type gatheredBucket[T any] struct {
	c     func(*Pass) (T, bool)
	items []T
	order []itemOrder
}

func (g *gathered[T]) newBucket() bucket { return &gatheredBucket[T]{c: g.c} }

func (b *gatheredBucket[T]) collect(p *Pass, at itemOrder) {
	if it, ok := b.c(p); ok {
		b.items = append(b.items, it)
		b.order = append(b.order, at)
	}
}

func (g *gathered[T]) merge(buckets []bucket) any {
	type ref struct {
		at     itemOrder
		bucket *gatheredBucket[T]
		i      int
	}
	var refs []ref
	for _, b := range buckets {
		gb := b.(*gatheredBucket[T])
		for i, at := range gb.order {
			refs = append(refs, ref{at, gb, i})
		}
	}
	slices.SortFunc(refs, func(a, b ref) int { return a.at.compare(b.at) })
	items := make([]T, len(refs))
	for i, r := range refs {
		items[i] = r.bucket.items[r.i]
	}
	for _, b := range buckets {
		gb := b.(*gatheredBucket[T])
		gb.items, gb.order = nil, nil
	}
	return items
}

func (g *gathered[T]) check(items any, s *SetPass) { g.k(items.([]T), s) }

// A SetPass is one set rule looking at everything its collect step kept.
type SetPass struct {
	Env *Env

	rule *Rule
	emit func(Finding)
}

// Report records a finding at a place kept from an object.
func (s *SetPass) Report(at Place, format string, args ...any) {
	s.ReportLevel(s.rule.Level, at, format, args...)
}

// ReportLevel records a finding with a level other than the rule's own.
func (s *SetPass) ReportLevel(l Level, at Place, format string, args ...any) {
	s.emit(newFinding(s.rule, l, at, sprintf(format, args...)))
}

func sprintf(format string, args ...any) string {
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}
