package lint

import (
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// A Document is one YAML document as parsed from a file, a chart's rendered output or a
// Kustomize build, with what it takes to place its nodes in the file a person edits.
type Document struct {
	// Text is what the document was parsed from. It may be nil when a loader builds documents
	// without text (positions then come from the nodes and Locator alone).
	Text *Text
	// Root is the document's content node.
	Root *yaml.Node
	// Locator maps positions in Text to the file a person edits; nil means Text is that file.
	Locator Locator
	// Namespace is where objects that name none end up: Helm's release namespace, Kustomize's
	// namespace; "" means Kubernetes' default namespace.
	Namespace string
	// Variant names what produced the document when one input is built several ways (a Helm
	// value set, a Kustomize overlay); findings merged across variants list them.
	Variant string
}

// A Locator maps a range in a document's parsed text to the file and range a person edits, and
// may add related locations (the values.yaml key that set a rendered field). n is the field the
// range belongs to, for locators that place by path rather than by line.
type Locator interface {
	Locate(n Node, r Pos) (Pos, []Location)
}

// Format says which language an object is written in.
type Format int

const (
	Kubernetes Format = iota
	Eksctl
	CloudFormation
)

// An Object is a Kubernetes object, an eksctl ClusterConfig or a CloudFormation resource: the unit
// rules check.
type Object struct {
	// ID is allocated apart from the object: findings keep it after the object and its YAML
	// tree are gone.
	ID     *ObjectID
	Format Format
	doc    *Document
	root   *yaml.Node
	key    *yaml.Node // a CloudFormation resource's logical id; nil for other objects
	tmpl   *Template  // the CloudFormation template holding the resource
	// ref is what the object's Places keep of it; ID points into it.
	ref *ObjectRef
	// maps memoises StringMap per mapping: set rules keep label maps, and one shared map per
	// object instead of one per rule is the difference between 20 and 110 MB on 100k workloads.
	mu   sync.Mutex
	maps []stringMap // few per object: a slice costs less than a map of them
	// pod is read once, on first use.
	podOnce sync.Once
	pod     pod
	// paths is the checker's trie of field paths (nil for objects made outside the engine).
	paths *pathTrie
	// merged are the entries of the object's mappings with merge keys (`<<`), merged once;
	// mergedEntries counts those merges added, to bound them.
	mergeMu       sync.Mutex
	merged        map[*yaml.Node][]*yaml.Node
	mergedEntries int
}

// newObject makes an object of root, a mapping in doc; paths is the checker's trie of field paths
// (nil outside the engine).
func newObject(doc *Document, root *yaml.Node, paths *pathTrie) *Object {
	ref := &ObjectRef{}
	if doc != nil {
		ref.Variant = doc.Variant
	}
	return &Object{ID: &ref.ObjectID, ref: ref, doc: doc, root: root, paths: paths}
}

// Root is the object's top-level mapping (for a CloudFormation resource, placed at its logical id).
func (o *Object) Root() Node { return Node{key: o.key, val: o.root, obj: o} }

// Get is Root().Get(keys...).
func (o *Object) Get(keys ...string) Node { return o.Root().Get(keys...) }

// Kind is the object's kind ("Deployment", "ClusterConfig", "AWS::EKS::Cluster").
func (o *Object) Kind() string { return o.ID.Kind }

// Name is metadata.name (for CloudFormation, the resource's logical id).
func (o *Object) Name() string { return o.ID.Name }

// Ref is what findings keep of the object once it is gone.
func (o *Object) Ref() *ObjectRef { return o.ref }

// Document is the document the object was read from.
func (o *Object) Document() *Document { return o.doc }

// Namespace is the namespace the object lives in once applied: metadata.namespace, else the
// input's default (Helm release namespace), else "default". Cluster-scoped kinds have none.
func (o *Object) Namespace() string {
	if o.Format != Kubernetes || clusterScoped[o.ID.Kind] {
		return ""
	}
	if o.ID.Namespace != "" {
		return o.ID.Namespace
	}
	if o.doc.Namespace != "" {
		return o.doc.Namespace
	}
	return "default"
}

// Place is where findings about the object as a whole land: its metadata.name (for
// CloudFormation, its logical id), else its first line.
func (o *Object) Place() Place {
	if n := o.Get("metadata", "name"); n.Exists() {
		return n.Place()
	}
	return o.Root().Place()
}

var clusterScoped = setOf("Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding",
	"CustomResourceDefinition", "StorageClass", "PriorityClass", "IngressClass", "RuntimeClass",
	"CSIDriver", "CSINode", "VolumeAttachment", "APIService", "MutatingWebhookConfiguration",
	"ValidatingWebhookConfiguration", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
	"PodSecurityPolicy", "ComponentStatus", "CertificateSigningRequest", "FlowSchema",
	"PriorityLevelConfiguration")

// workloadSpecs is where each workload kind keeps its pod template.
var workloadSpecs = map[string][]string{
	"Pod":                   nil,
	"Deployment":            {"spec", "template"},
	"StatefulSet":           {"spec", "template"},
	"DaemonSet":             {"spec", "template"},
	"ReplicaSet":            {"spec", "template"},
	"ReplicationController": {"spec", "template"},
	"Job":                   {"spec", "template"},
	"CronJob":               {"spec", "jobTemplate", "spec", "template"},
}

// IsWorkload reports whether the object runs pods: Pod, Deployment, StatefulSet, DaemonSet,
// ReplicaSet, ReplicationController, Job or CronJob.
func (o *Object) IsWorkload() bool {
	_, ok := workloadSpecs[o.ID.Kind]
	return ok && o.Format == Kubernetes
}

// PodTemplate is the pod template of a workload (for a Pod, the Pod itself): the mapping holding
// the pod's metadata and spec. It is missing for anything else.
func (o *Object) PodTemplate() Node {
	o.podOnce.Do(o.readPod)
	return o.pod.template
}

// PodSpec is the workload's pod spec (spec.template.spec, or spec for a Pod).
func (o *Object) PodSpec() Node {
	o.podOnce.Do(o.readPod)
	return o.pod.spec
}

// pod is what the workload rules ask for over and over (dozens of rules read the containers of
// every workload), found once per object.
type pod struct {
	template, spec             Node
	containers, initContainers []Node
}

func (o *Object) readPod() {
	if !o.IsWorkload() {
		o.pod.template = Node{missing: true, obj: o}
	} else {
		o.pod.template = o.Get(workloadSpecs[o.ID.Kind]...)
	}
	o.pod.spec = o.pod.template.Get("spec")
	o.pod.containers = o.pod.spec.Get("containers").Items()
	o.pod.initContainers = o.pod.spec.Get("initContainers").Items()
}

// PodLabels are the labels of the workload's pods.
func (o *Object) PodLabels() map[string]string {
	return o.PodTemplate().Get("metadata", "labels").StringMap()
}

// Containers are the workload's app containers (not init or ephemeral containers). The slice is
// shared: do not change it.
func (o *Object) Containers() []Node {
	o.podOnce.Do(o.readPod)
	return o.pod.containers
}

// InitContainers are the workload's init containers. The slice is shared: do not change it.
func (o *Object) InitContainers() []Node {
	o.podOnce.Do(o.readPod)
	return o.pod.initContainers
}

// NodeGroup is an eksctl node group, managed or not.
type NodeGroup struct {
	Node
	Managed bool
}

// NodeGroups are an eksctl ClusterConfig's nodeGroups followed by its managedNodeGroups.
func (o *Object) NodeGroups() []NodeGroup {
	var out []NodeGroup
	for _, n := range o.Get("nodeGroups").Items() {
		out = append(out, NodeGroup{Node: n})
	}
	for _, n := range o.Get("managedNodeGroups").Items() {
		out = append(out, NodeGroup{Node: n, Managed: true})
	}
	return out
}

// StringMap returns a mapping of scalars as a Go map (labels, annotations, selectors). The map
// is shared by every caller asking for the same field: do not change it.
func (n Node) StringMap() map[string]string {
	if !n.IsMap() {
		return nil
	}
	o := n.obj
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, sm := range o.maps {
		if sm.node == n.val {
			return sm.m
		}
	}
	entries := n.Entries()
	m := make(map[string]string, len(entries))
	for _, e := range entries {
		if e.IsScalar() || !e.Exists() {
			m[e.Key()] = e.Str()
		}
	}
	o.maps = append(o.maps, stringMap{n.val, m})
	return m
}

type stringMap struct {
	node *yaml.Node
	m    map[string]string
}

// Labels are the object's metadata.labels.
func (o *Object) Labels() map[string]string { return o.Get("metadata", "labels").StringMap() }

// Annotation returns metadata.annotations[key].
func (o *Object) Annotation(key string) Node { return o.Get("metadata", "annotations", key) }

// place computes where a finding about n lands: the range in the parsed text, then through the
// document's locator.
func (o *Object) place(n Node) Place {
	var t *Text
	if o.doc != nil {
		t = o.doc.Text
	}
	if n.missing && n.key == nil && n.val == o.root && n.emb == nil {
		// A field missing from the whole object: land on its name, the line a person looks for.
		if name := o.Get("metadata", "name"); name.Exists() {
			n = Node{key: name.key, val: name.val, at: n.at, obj: o}
		}
	}
	r, locNode := n.parsedRange(t), n
	if n.emb != nil {
		locNode = n.emb.outer
	}
	if t != nil {
		r.File = t.Name
	}
	p := Place{Pos: r, Object: o.ref, Path: n.Path()}
	if o.doc != nil && o.doc.Locator != nil {
		p.Pos, p.Related = o.doc.Locator.Locate(locNode, r)
	}
	return p
}

// parsedRange is the range of a field in the text its document was parsed from: a present
// field's key (or a list item's first character) through the end of its value.
func (n Node) parsedRange(t *Text) Pos {
	if n.emb != nil {
		return n.emb.outerRange(n, t)
	}
	if n.key == nil && n.val == nil {
		root := n.obj.root
		return fitRange(Pos{Line: root.Line, Column: root.Column}, t)
	}
	return FieldRange(t, n.key, n.val)
}

// FieldRange is the range a finding about a field covers in t: from its key (or, without one,
// the value's first character) through the end of its value. Loaders whose locators find the
// field again in the file a person edits (Kustomize bases and patches) use it to place findings
// exactly as in a raw file.
func FieldRange(t *Text, key, val *yaml.Node) Pos {
	start := val
	if key != nil {
		start = key
	}
	r := Pos{Line: start.Line, Column: start.Column}
	r.EndLine, r.EndColumn = endOf(val, t)
	return fitRange(r, t)
}

// fitRange makes a range fit the text it is in, t (nil when unknown), and end after it starts,
// as SARIF wants. YAML places a value left empty at the end of a file (`- ` with nothing after, or
// not even the space) past the end of its line: it lands on the line's last character. On an
// empty line, the only place there is, the range is empty (a SARIF insertion point).
func fitRange(r Pos, t *Text) Pos {
	if t != nil && r.Line >= 1 && r.Line <= t.Lines() {
		n := utf8.RuneCount(t.Line(r.Line)) // the line's characters: columns 1 to n+1
		r.Column = min(r.Column, n+1)
		if r.EndLine > t.Lines() {
			r.EndLine, r.EndColumn = t.Lines(), utf8.RuneCount(t.Line(t.Lines()))+1
		} else if r.EndLine >= 1 {
			r.EndColumn = min(r.EndColumn, utf8.RuneCount(t.Line(r.EndLine))+1)
		}
		empty := r.EndLine < r.Line || r.EndLine == r.Line && r.EndColumn <= r.Column
		switch {
		case empty && n == 0:
			r.EndLine, r.EndColumn = r.Line, r.Column
			return r
		case empty && r.Column > n:
			r.Column = n
		}
	}
	if r.EndLine < r.Line || (r.EndLine == r.Line && r.EndColumn <= r.Column) {
		r.EndLine, r.EndColumn = r.Line, r.Column+1
	}
	return r
}

func setOf(items ...string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, s := range items {
		m[s] = true
	}
	return m
}
