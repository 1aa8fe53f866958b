package lint

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"
)

// A Rule is one check, written as a plain value: what it is called, how serious it is, what it
// reads, why it exists and how to fix what it finds, and the function that looks. A rule checks
// either one object at a time (Check) or many objects together (Set), never both; a rule with
// neither is reported by the filter step (unused-ignore).
type Rule struct {
	// ID is the rule's id from RULES.md; it is the contract (SARIF ruleId, config, suppressions).
	ID string
	// Level is the default level; config may override it.
	Level Level
	// DefaultOn says whether the rule runs without being enabled.
	DefaultOn bool
	// Title says in a few words what the rule finds.
	Title string
	// Inputs are the objects the rule reads: the engine hands it those and no others.
	Inputs Inputs
	// Tags classify the rule; SARIF's security-severity is given to rules tagged TagSecurity.
	Tags []Tag
	// Rationale says why it matters.
	Rationale string
	// Sources are the public pages the rule implements: the EKS Best Practices Guide section, the
	// EKS User Guide page, the Kubernetes documentation. Docs and SARIF help link them.
	Sources []Source
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
	// Set looks at many objects together; build it with Gather.
	Set SetCheck
}

// A Source is a public page a rule implements.
type Source struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

// Example is the before and after a rule's docs show.
type Example struct {
	// Bad is a small input (YAML) the rule reports on.
	Bad string
	// Good is Bad, fixed.
	Good string
}

// Inputs is a set of the kinds of object rules read, as RULES.md's "input" column names them.
type Inputs uint8

const (
	// WorkloadInput is every Kubernetes object that runs pods: a Pod, or any kind with a pod
	// template at a known place (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, ...).
	WorkloadInput Inputs = 1 << iota
	// ServiceInput is Services and Ingresses.
	ServiceInput
	// RBACInput is Roles, ClusterRoles, their bindings, ServiceAccounts and ConfigMaps (aws-auth).
	RBACInput
	// NamespaceInput is every Kubernetes object: rules that match objects with each other.
	NamespaceInput
	// EksctlInput is eksctl ClusterConfig files.
	EksctlInput
	// CloudFormationInput is CloudFormation resources.
	CloudFormationInput
)

var inputNames = []string{"workload", "service", "rbac", "namespace-wide", "eksctl", "cloudformation"}

// String names the inputs as RULES.md does: "eksctl, cloudformation".
func (in Inputs) String() string { return strings.Join(in.Names(), ", ") }

// Names lists the inputs as RULES.md names them.
func (in Inputs) Names() []string {
	names := []string{}
	for i, name := range inputNames {
		if in&(1<<i) != 0 {
			names = append(names, name)
		}
	}
	return names
}

var rbacKinds = setOf("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ServiceAccount", "ConfigMap")

// InputsOf are the inputs o belongs to.
func InputsOf(o *Object) Inputs {
	switch o.Format {
	case Eksctl:
		return EksctlInput
	case CloudFormation:
		return CloudFormationInput
	}
	in := NamespaceInput
	switch kind := o.Kind(); {
	case o.IsWorkload():
		in |= WorkloadInput
	case kind == "Service" || kind == "Ingress":
		in |= ServiceInput
	case rbacKinds[kind]:
		in |= RBACInput
	}
	return in
}

// A Tag classifies a rule.
type Tag string

const (
	TagSecurity        Tag = "security"
	TagReliability     Tag = "reliability"
	TagCost            Tag = "cost"
	TagMaintainability Tag = "maintainability"
	TagEKS             Tag = "eks"
	TagKubernetes      Tag = "kubernetes"
)

// Tags are every tag, for validation and docs.
var Tags = []Tag{TagSecurity, TagReliability, TagCost, TagMaintainability, TagEKS, TagKubernetes}

// SecuritySeverity is the GitHub code scanning severity (0.0-10.0) of a security rule's findings,
// derived from its level; 0 for rules that are not about security.
func (r *Rule) SecuritySeverity() float64 {
	if !slices.Contains(r.Tags, TagSecurity) {
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

// A Diagnostic is what a check reports: a message about a place. The engine makes it a finding,
// with the rule's level unless the check gave another (or config overrides both).
type Diagnostic struct {
	Place
	// Level is the finding's level; None means the rule's own.
	Level   Level
	Message string
}

// A Pass is one rule looking at one object.
type Pass struct {
	Object *Object
	// Shared says the object is one of the run's raw manifests, which set rules see beside the
	// objects of every deployment (chart, overlay). A set rule that asks what an object's own
	// deployment holds (are its workloads in this input at all?) tells them apart with it.
	Shared bool
	Env    *Env
	// Emit receives what the check reports. The engine sets it, as analysis drivers set
	// analysis.Pass.Report.
	Emit func(Diagnostic)
}

// Report records a finding at n with the rule's level.
func (p *Pass) Report(n Node, format string, args ...any) {
	p.Emit(Diagnostic{Place: n.Place(), Message: sprintf(format, args...)})
}

// ReportLevel records a finding at n with a level other than the rule's own (kube-proxy newer
// than the cluster is an error, older a warning).
func (p *Pass) ReportLevel(l Level, n Node, format string, args ...any) {
	p.ReportAt(l, n.Place(), format, args...)
}

// ReportAt records a finding at a place computed earlier.
func (p *Pass) ReportAt(l Level, at Place, format string, args ...any) {
	p.Emit(Diagnostic{Place: at, Level: l, Message: sprintf(format, args...)})
}

// SetCheck is a check over many objects: a namespace, selectors, references. It runs in two
// steps so that objects need not stay in memory (a run may hold millions of nodes, but a check
// needs a few strings and Places from each object): a collect step sees each object as it is
// loaded and keeps what the check needs, then the check sees what was kept from every object of
// one deployment.
//
// Rules make a SetCheck with Gather or Collector.Gather; the methods are the engine's.
type SetCheck interface {
	// Source identifies the collect step: set rules with the same Source share one collection.
	Source() any
	// NewBucket returns a place for one checker goroutine to keep what the collect step returns.
	NewBucket() Bucket
	// Merge joins into one collection, in item order, the items in buckets of deployment d and
	// those of deployment shared (the raw manifests, seen beside every deployment) that d's check
	// reads: all of them, unless the collect step says its items' namespaces (Collector.ByNamespace).
	Merge(buckets []Bucket, d, shared int) any
	// Check runs the rule over a collection Merge returned.
	Check(items any, s *SetPass)
}

// A Bucket keeps one checker's items of one collect step, in the order they were collected.
type Bucket interface {
	Collect(p *Pass, at ItemOrder)
}

// ItemOrder places an item in a run: the deployment its object belongs to, then input order
// (input, document in the input, object in the document).
type ItemOrder struct{ Deployment, Input, Doc, Object int }

// Gather makes a SetCheck. collect sees each object as it is loaded, may report on it like a
// per-object check, and returns what check will need from it (ok false keeps nothing). check then
// sees every kept item of a deployment, in input order, and reports at Places kept from the objects.
func Gather[T any](collect func(p *Pass) (item T, ok bool), check func(items []T, s *SetPass)) SetCheck {
	return &gathered[T]{c: collect, k: check}
}

// A Collector is a collect step several set rules share: it runs once per object, and each rule
// gathering from it checks the same items (the namespace-wide NetworkPolicy rules all read the
// same workload, namespace and policy facts). It reads the Pass's object and whether it is
// Shared, and must not report: the Pass is that of whichever sharing rule ran it.
type Collector[T any] struct {
	collect   func(p *Pass) (T, bool)
	namespace func(T) (string, bool)
	elsewhere func(own []T) func(T) bool
}

// Collect makes a Collector.
func Collect[T any](collect func(p *Pass) (item T, ok bool)) *Collector[T] {
	return &Collector[T]{collect: collect}
}

// ByNamespace says that every rule gathering from c judges each namespace by its own items:
// what a check says of the items of a namespace depends only on the items of that namespace,
// and on those namespace reports as read everywhere (a cluster-wide policy, kube-system's labels,
// which checks of every namespace read). namespace returns an item's namespace and whether it is
// read everywhere. A chart's or overlay's deployment is then checked beside the raw manifests'
// items of its own namespaces only, and of those read everywhere: what the check would say of the
// raw manifests' other namespaces is what they said alone, made again for every deployment (on
// a repository of many overlays and raw manifests, most of a run's set checks).
func (c *Collector[T]) ByNamespace(namespace func(item T) (ns string, everywhere bool)) *Collector[T] {
	c.namespace = namespace
	return c
}

// AlsoElsewhere adds to ByNamespace the raw manifests' items of other namespaces that a check
// reads for what it says of a deployment's own items: given those, reads returns which (the pod
// templates a Service of the deployment may select, which its finding names when none is in the
// Service's namespace). It may return more than the check reads, never less.
func (c *Collector[T]) AlsoElsewhere(reads func(own []T) func(T) bool) *Collector[T] {
	c.elsewhere = reads
	return c
}

// Gather makes a SetCheck that checks what c collects.
func (c *Collector[T]) Gather(check func(items []T, s *SetPass)) SetCheck {
	return &gathered[T]{c.collect, check, c, c.namespace, c.elsewhere}
}

type gathered[T any] struct {
	c         func(*Pass) (T, bool)
	k         func([]T, *SetPass)
	shared    any                        // the Collector, when several rules share the collect step
	namespace func(T) (string, bool)     // Collector.ByNamespace; nil when not said
	elsewhere func(own []T) func(T) bool // Collector.AlsoElsewhere; nil when not said
}

func (g *gathered[T]) Source() any {
	if g.shared != nil {
		return g.shared
	}
	return g
}

// gatheredBucket keeps items as T values, not boxed in interfaces: on 100k workloads and a
// handful of set rules that is tens of megabytes. They are kept in chunks that never move, each
// up to twice as large as the one before: one slice would copy every item each time it grew (a
// hundred megabytes of copying on 100k workloads) and could leave a quarter of itself unused.
type gatheredBucket[T any] struct {
	c      func(*Pass) (T, bool)
	chunks [][]gatheredItem[T]
}

// gatheredItem is an item with its place in the run.
type gatheredItem[T any] struct {
	at   itemOrder
	item T
}

// itemOrder is an ItemOrder as buckets keep it, one per item, in half the bytes: no run has 2^31
// inputs, documents in an input or objects in a document.
type itemOrder struct{ deployment, input, doc, object int32 }

func compactOrder(at ItemOrder) itemOrder {
	return itemOrder{int32(at.Deployment), int32(at.Input), int32(at.Doc), int32(at.Object)}
}

func (o itemOrder) ItemOrder() ItemOrder {
	return ItemOrder{int(o.deployment), int(o.input), int(o.doc), int(o.object)}
}

func (o itemOrder) compare(b itemOrder) int {
	return cmp.Or(cmp.Compare(o.input, b.input), cmp.Compare(o.doc, b.doc), cmp.Compare(o.object, b.object))
}

// firstChunk and lastChunk bound how many items a bucket's chunks hold: a run with one workload
// allocates little, and a run with 100k no chunk of megabytes.
const firstChunk, lastChunk = 8, 1024

func (g *gathered[T]) NewBucket() Bucket { return &gatheredBucket[T]{c: g.c} }

func (b *gatheredBucket[T]) Collect(p *Pass, at ItemOrder) {
	it, ok := b.c(p)
	if !ok {
		return
	}
	n := len(b.chunks)
	if n == 0 || len(b.chunks[n-1]) == cap(b.chunks[n-1]) {
		size := firstChunk
		if n > 0 {
			size = min(2*cap(b.chunks[n-1]), lastChunk)
		}
		b.chunks = append(b.chunks, make([]gatheredItem[T], 0, size))
		n++
	}
	b.chunks[n-1] = append(b.chunks[n-1], gatheredItem[T]{compactOrder(at), it})
}

func (g *gathered[T]) Merge(buckets []Bucket, d, shared int) any {
	var own, others []*gatheredItem[T]
	for _, b := range buckets {
		for _, chunk := range b.(*gatheredBucket[T]).chunks {
			for i := range chunk {
				switch int(chunk[i].at.deployment) {
				case d:
					own = append(own, &chunk[i])
				case shared:
					others = append(others, &chunk[i])
				}
			}
		}
	}
	if d != shared && g.namespace != nil {
		others = g.readBeside(own, others)
	}
	refs := append(own, others...)
	slices.SortFunc(refs, func(a, b *gatheredItem[T]) int { return a.at.compare(b.at) })
	items := make([]T, len(refs))
	for i, r := range refs {
		items[i] = r.item
	}
	return items
}

// readBeside returns the items of shared that a check of own reads (Collector.ByNamespace): those
// of the namespaces own's items are in and of the namespaces of items read everywhere, and those
// AlsoElsewhere names; all of them when an item of own is read everywhere, since then it may
// change what is said of any.
func (g *gathered[T]) readBeside(own, shared []*gatheredItem[T]) []*gatheredItem[T] {
	read := map[string]bool{}
	for _, it := range own {
		ns, everywhere := g.namespace(it.item)
		if everywhere {
			return shared
		}
		read[ns] = true
	}
	for _, it := range shared {
		if ns, everywhere := g.namespace(it.item); everywhere {
			read[ns] = true
		}
	}
	also := func(T) bool { return false }
	if g.elsewhere != nil {
		items := make([]T, len(own))
		for i, it := range own {
			items[i] = it.item
		}
		also = g.elsewhere(items)
	}
	return slices.DeleteFunc(shared, func(it *gatheredItem[T]) bool {
		ns, _ := g.namespace(it.item)
		return !read[ns] && !also(it.item)
	})
}

func (g *gathered[T]) Check(items any, s *SetPass) { g.k(items.([]T), s) }

// A SetPass is one set rule looking at everything its collect step kept from one deployment.
type SetPass struct {
	Env *Env
	// Emit receives what the check reports, and Dropped says of a place that Emit drops what is
	// reported there (nil: nothing); the engine sets them. Report asks Dropped first and formats no
	// message for a finding dropped: beside each deployment, a set rule says again what it said of
	// the raw manifests alone.
	Emit    func(Diagnostic)
	Dropped func(Place) bool
}

// Report records a finding at a place kept from an object.
func (s *SetPass) Report(at Place, format string, args ...any) {
	if s.Dropped == nil || !s.Dropped(at) {
		s.Emit(Diagnostic{Place: at, Message: sprintf(format, args...)})
	}
}

// ReportLevel records a finding with a level other than the rule's own.
func (s *SetPass) ReportLevel(l Level, at Place, format string, args ...any) {
	if s.Dropped == nil || !s.Dropped(at) {
		s.Emit(Diagnostic{Place: at, Level: l, Message: sprintf(format, args...)})
	}
}

func sprintf(format string, args ...any) string {
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}
