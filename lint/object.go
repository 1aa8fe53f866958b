package lint

import (
	"strings"
	"sync"

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
	// PodsLeftOut is set when the input the document comes from writes pod specs that its values
	// left out (a chart's Deployment behind a value that is empty by default): its Services may
	// select pods that no document shows.
	PodsLeftOut bool
	// Unlinted is set for a document with a problem already reported that keeps it from being
	// checked, a key written twice with different values: nothing is reported about its objects,
	// but cross-object rules count them as there, so that leaving one out says nothing false of
	// the others (a Service selecting its pods, a workload running as its ServiceAccount).
	Unlinted bool
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
	// labels memoises Node.Labels per mapping: set rules keep label sets, and one shared set per
	// object instead of one per rule is the difference between 20 and 110 MB on 100k workloads.
	mu     sync.Mutex
	labels []labelsAt // few per object: a slice costs less than a map of them
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
	if n := o.Get("metadata", "generateName"); n.Exists() {
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

// workloadKind is what lint knows of a kind that runs pods: where its pod template is and which
// built-in kind's controller its pods follow.
type workloadKind struct {
	kind string
	// group is the API group the kind must be in; "" accepts any, since a built-in kind's name is
	// its own (apps/v1 and extensions/v1beta1 Deployments alike, and OpenKruise's Advanced
	// StatefulSet and DaemonSet, apps.kruise.io, which keep their built-in counterparts' API).
	group string
	// template is the path of the pod template; nil for a Pod, which is its own.
	template []string
	// like is the built-in kind whose rollout, scaling and restart behaviour the pods follow.
	like string
	// workloadRef is the path of a reference to another workload whose pods the object runs
	// instead of a template of its own; nil for kinds that cannot.
	workloadRef []string
}

var specTemplate = []string{"spec", "template"}

// workloadKindList are the kinds that run pods. Besides the built-in kinds, they are the kinds of
// widely used controllers whose API declares spec.template a core/v1 PodTemplateSpec and which
// run pods from it as the built-in kind named in like does, so their pods get every workload rule.
// Kinds whose template is of another type (Knative's RevisionTemplateSpec, Argo Workflows'
// templates, Kubeflow's per-role replicaSpecs) are not workloads here; the namespace rules still
// count the pod labels of anything with containers at spec.template.spec.
var workloadKindList = []workloadKind{
	{kind: "Pod", like: "Pod"},
	{kind: "Deployment", template: specTemplate, like: "Deployment"},
	{kind: "StatefulSet", template: specTemplate, like: "StatefulSet"},
	{kind: "DaemonSet", template: specTemplate, like: "DaemonSet"},
	{kind: "ReplicaSet", template: specTemplate, like: "ReplicaSet"},
	{kind: "ReplicationController", template: specTemplate, like: "ReplicaSet"},
	{kind: "Job", template: specTemplate, like: "Job"},
	{kind: "CronJob", template: []string{"spec", "jobTemplate", "spec", "template"}, like: "CronJob"},
	{kind: "Rollout", group: "argoproj.io", template: specTemplate, like: "Deployment", workloadRef: []string{"spec", "workloadRef"}},
	{kind: "CloneSet", group: "apps.kruise.io", template: specTemplate, like: "Deployment"},
	{kind: "BroadcastJob", group: "apps.kruise.io", template: specTemplate, like: "Job"},
	{kind: "DeploymentConfig", group: "apps.openshift.io", template: specTemplate, like: "Deployment"},
}

var workloadKinds = func() map[string]workloadKind {
	m := make(map[string]workloadKind, len(workloadKindList))
	for _, k := range workloadKindList {
		m[k.kind] = k
	}
	return m
}()

// WorkloadKinds names the kinds that run pods, for the docs: the kind, then in parentheses the API
// group of another controller's kind and the built-in kind its pods follow when it is another:
// "Rollout (argoproj.io, like a Deployment)".
func WorkloadKinds() []string {
	var out []string
	for _, k := range workloadKindList {
		var about []string
		if k.group != "" {
			about = append(about, k.group)
		}
		if k.like != k.kind {
			about = append(about, "like a "+k.like)
		}
		name := k.kind
		if len(about) > 0 {
			name += " (" + strings.Join(about, ", ") + ")"
		}
		out = append(out, name)
	}
	return out
}

// workloadKind returns what lint knows of the object's kind when it runs pods.
func (o *Object) workloadKind() (workloadKind, bool) {
	if o.Format != Kubernetes {
		return workloadKind{}, false
	}
	k, ok := workloadKinds[o.ID.Kind]
	if !ok || k.group != "" && APIGroup(o.ID.APIVersion) != k.group {
		return workloadKind{}, false
	}
	return k, true
}

// APIGroup is the group of an apiVersion: "apps" for apps/v1, "" for the core group's v1.
func APIGroup(apiVersion string) string {
	group, _, found := strings.Cut(apiVersion, "/")
	if !found {
		return ""
	}
	return group
}

// builtinAPIGroups are the API groups the Kubernetes API server serves itself; objects of any other
// group are custom resources, served through a CRD or an aggregated API.
var builtinAPIGroups = setOf("", "apps", "batch", "autoscaling", "policy", "extensions",
	"admissionregistration.k8s.io", "apiextensions.k8s.io", "apiregistration.k8s.io", "authentication.k8s.io",
	"authorization.k8s.io", "certificates.k8s.io", "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io",
	"flowcontrol.apiserver.k8s.io", "internal.apiserver.k8s.io", "networking.k8s.io", "node.k8s.io",
	"rbac.authorization.k8s.io", "resource.k8s.io", "scheduling.k8s.io", "storage.k8s.io",
	"storagemigration.k8s.io")

// IsCustomResource reports whether a Kubernetes object is of an API group that Kubernetes itself
// does not serve (monitoring.coreos.com, gateway.networking.k8s.io): an operator's object, which may
// make pods and Services the input does not show.
func (o *Object) IsCustomResource() bool {
	return o.Format == Kubernetes && !builtinAPIGroups[APIGroup(o.ID.APIVersion)]
}

// IsWorkload reports whether the object runs pods: a Pod, or a kind with a pod template lint
// knows (WorkloadKinds).
func (o *Object) IsWorkload() bool {
	_, ok := o.workloadKind()
	return ok
}

// WorkloadKind is the built-in kind whose controller the object's pods follow: the kind itself for
// a built-in workload ("ReplicaSet" for a ReplicationController), "Deployment" for an Argo Rollout,
// an OpenKruise CloneSet or an OpenShift DeploymentConfig, "Job" for an OpenKruise BroadcastJob;
// "" for an object that runs no pods. Rules that depend on how pods are rolled out, scaled or
// restarted ask it rather than Kind.
func (o *Object) WorkloadKind() string {
	k, _ := o.workloadKind()
	return k.like
}

// RunsReferencedPods reports whether the workload runs the pods of another workload it references
// instead of a template of its own (an Argo Rollout with spec.workloadRef): that workload is
// judged, not this one.
func (o *Object) RunsReferencedPods() bool {
	k, _ := o.workloadKind()
	return k.workloadRef != nil && o.Get(k.workloadRef...).Exists()
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
	if k, ok := o.workloadKind(); !ok {
		o.pod.template = Node{missing: true, obj: o}
	} else {
		o.pod.template = o.Get(k.template...)
	}
	o.pod.spec = o.pod.template.Get("spec")
	o.pod.containers = o.pod.spec.Get("containers").Items()
	o.pod.initContainers = o.pod.spec.Get("initContainers").Items()
}

// PodLabels are the labels of the workload's pods.
func (o *Object) PodLabels() Labels {
	return o.PodTemplate().Get("metadata", "labels").Labels()
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

// Labels returns a mapping of scalars as Labels (labels, selectors), built once per mapping and
// shared by every caller asking for the same field.
func (n Node) Labels() Labels {
	if !n.IsMap() {
		return Labels{}
	}
	o := n.obj
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, sm := range o.labels {
		if sm.node == n.val {
			return sm.labels
		}
	}
	entries := n.Entries()
	pairs := make([]string, 0, 2*len(entries))
	for _, e := range entries {
		if e.IsScalar() || !e.Exists() {
			pairs = append(pairs, e.Key(), e.Str())
		}
	}
	l := labelsFrom(pairs)
	o.labels = append(o.labels, labelsAt{n.val, l})
	return l
}

type labelsAt struct {
	node   *yaml.Node
	labels Labels
}

// Labels are the object's metadata.labels.
func (o *Object) Labels() Labels { return o.Get("metadata", "labels").Labels() }

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
		n := t.LineWidth(r.Line) // the line's characters: columns 1 to n+1
		r.Column = min(r.Column, n+1)
		if r.EndLine > t.Lines() {
			r.EndLine, r.EndColumn = t.Lines(), t.LineWidth(t.Lines())+1
		} else if r.EndLine >= 1 {
			r.EndColumn = min(r.EndColumn, t.LineWidth(r.EndLine)+1)
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
