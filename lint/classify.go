package lint

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// An ObjectReader turns documents into the objects rules check. The objects one reader makes
// share their field paths (spec.template.spec.containers[0].image is built once, not once per
// object), so each checker goroutine has its own reader.
type ObjectReader struct{ paths *pathTrie }

// NewObjectReader makes an ObjectReader.
func NewObjectReader() *ObjectReader { return &ObjectReader{paths: newPathTrie()} }

// Objects splits a document into the objects rules check. A Kubernetes object (apiVersion and
// kind) is one object, a `kind: List` is its items, an eksctl ClusterConfig is one object, a
// CloudFormation template is its resources. A document that is none of these (a values file, a
// GitHub workflow, an Ansible playbook, a JSON array) is not a manifest: it gives no objects and
// no problems, only skipped, the reason it was left out. Documents that look like objects but are
// malformed give a Problem. An object whose fields the rules rely on have the wrong type is left
// out with an error (the API server rejects it too); lesser problems come back as warnings and the
// object is kept. A workload without a spec (isSpecless) and an object that records a state
// (isRecordedState) are partial objects: left out, and skipped says so. Each object
// knows its ekslint.io/ignore annotations.
func (r *ObjectReader) Objects(doc *Document) (objs []*Object, problems []Problem, skipped string) {
	objs, problems, skipped = objectsOf(doc, r.paths)
	kept := objs[:0]
	var partial []*Object
	for _, o := range objs {
		if isRecordedState(o) || isSpecless(o) {
			partial = append(partial, o)
			continue
		}
		vs := validate(o)
		problems = append(problems, vs...)
		if slices.ContainsFunc(vs, func(p Problem) bool { return p.Level == Error }) {
			continue
		}
		o.ref.Ignores = readIgnores(o)
		kept = append(kept, o)
	}
	if len(partial) > 0 {
		skipped = partialReason(partial)
	}
	return kept, problems, skipped
}

// isRecordedState reports whether o is a state written down rather than an object to apply: a
// Kubernetes object with a status that says something and no spec. A test's assertion is one
// (kuttl's and Chainsaw's assert files hold the state the cluster must reach: a Deployment with
// its readyReplicas, a Pod in phase Running, a Namespace that is Active), and so is a status kept
// for reference. Applying one does nothing sound: the API server ignores status on create and
// update, every kind that has a status keeps its desired state in spec (a Deployment without one
// is rejected), and strict field validation rejects a status on a kind that has none (a
// ConfigMap). Objects as kubectl prints them, and manifests with an empty status (`status: {}`,
// as `kubectl create --dry-run -o yaml` writes), have a spec or no status, and are linted.
func isRecordedState(o *Object) bool {
	if o.Format != Kubernetes || o.Get("spec").Exists() {
		return false
	}
	status := o.Get("status")
	return status.Exists() && (!status.IsMap() || status.Len() > 0)
}

// partialReason says why a document of partial objects was skipped, naming the first.
func partialReason(partial []*Object) string {
	who := partial[0].ID.Describe() + " has"
	if n := len(partial) - 1; n > 0 {
		who = fmt.Sprintf("%s and %d more have", partial[0].ID.Describe(), n)
	}
	if isRecordedState(partial[0]) {
		return fmt.Sprintf("%s: %s a status and no spec: the state a test asserts (kuttl, Chainsaw) or one "+
			"written down, not an object to apply", NotAManifest, who)
	}
	return fmt.Sprintf("%s: %s no spec, so no pods: a partial object (a test's assertion or input, an "+
		"existence check), not an object to apply", NotAManifest, who)
}

// isSpecless reports whether o is a workload with no spec at all: a partial object (a test's input,
// a Chainsaw or kuttl existence check, a patch). The API server rejects it, its pods have nothing
// rules can read, and counting it among a namespace's workloads would say false things of the
// namespace, so it is skipped, as test repositories hold hundreds of them.
func isSpecless(o *Object) bool { return o.IsWorkload() && !o.Get("spec").Exists() }

// NotAManifest is how the reason a document was skipped begins.
const NotAManifest = "not a Kubernetes manifest, eksctl config or CloudFormation template"

// objectsOf splits a document into objects, unvalidated, or says why it is not a manifest.
func objectsOf(doc *Document, paths *pathTrie) ([]*Object, []Problem, string) {
	root := doc.Root
	if root.Kind != yaml.MappingNode {
		return nil, nil, fmt.Sprintf("%s: the document is %s", NotAManifest, DescribeValue(root))
	}
	probe := newObject(doc, root, paths)
	apiVersion, kind := probe.Get("apiVersion"), probe.Get("kind")
	if !apiVersion.Exists() && !kind.Exists() {
		if isCloudFormation(root) {
			objs, problems := cloudFormationObjects(doc, paths)
			return objs, problems, ""
		}
		return nil, nil, NotAManifest + ": a mapping without apiVersion and kind"
	}
	if keys := objectKeysOf(probe.Root()); !keys.meantAsObject() {
		return nil, nil, NotAManifest + ": " + keys.describe()
	}
	if p := checkTypeMeta(probe); p != nil {
		return nil, []Problem{*p}, ""
	}
	if strings.HasSuffix(kind.Str(), "List") && probe.Get("items").IsList() {
		var objs []*Object
		var problems []Problem
		for _, it := range probe.Get("items").Items() {
			item := newObject(doc, it.val, paths)
			if !it.IsMap() {
				problems = append(problems, typeProblem(item, it, "a mapping (an object)"))
				continue
			}
			if p := checkTypeMeta(item); p != nil {
				problems = append(problems, *p)
				continue
			}
			objs = append(objs, identify(item))
		}
		return objs, problems, ""
	}
	return []*Object{identify(probe)}, nil, ""
}

// MeantAsManifest reports whether a document that cannot be linted (the tree check refused it)
// was meant as a manifest: a Kubernetes object (meantAsObject), or a CloudFormation template.
// Such a document is an input error; any other is another tool's file, and not ekslint's business.
func MeantAsManifest(root *yaml.Node) bool {
	if root.Kind != yaml.MappingNode {
		return false
	}
	// Only the keys as written: the tree check refused this document, perhaps for a merge key
	// that repeats the mapping holding it, which following merges would never leave.
	var keys objectKeys
	for i := 0; i+1 < len(root.Content); i += 2 {
		v := resolve(root.Content[i+1])
		if isNull(v) {
			continue
		}
		switch key := root.Content[i].Value; {
		case key == "apiVersion":
			keys.apiVersion = v
		case strings.EqualFold(key, "apiVersion"):
			keys.miscased = v
		case key == "kind":
			keys.kind = v
		case key == "metadata":
			keys.metadata = v
		case key == "spec":
			keys.spec = v
		}
	}
	return keys.meantAsObject() || isCloudFormation(root)
}

// objectKeys are the fields that tell a Kubernetes object from another tool's document that
// borrows its keys; nil when absent or null. miscased is an apiVersion written in other case
// (`apiversion`), as tools that read their keys in any case write it.
type objectKeys struct{ apiVersion, kind, metadata, spec, miscased *yaml.Node }

func objectKeysOf(root Node) objectKeys {
	val := func(n Node) *yaml.Node {
		if !n.Exists() {
			return nil
		}
		return n.val
	}
	keys := objectKeys{val(root.Get("apiVersion")), val(root.Get("kind")), val(root.Get("metadata")), val(root.Get("spec")), nil}
	if keys.apiVersion == nil {
		keys.miscased = val(miscasedAPIVersion(root))
	}
	return keys
}

// miscasedAPIVersion is the field of root whose key is apiVersion in other case.
func miscasedAPIVersion(root Node) Node {
	for _, e := range root.Entries() {
		if e.Key() != "apiVersion" && strings.EqualFold(e.Key(), "apiVersion") {
			return e
		}
	}
	return Node{}
}

// meantAsObject decides whether a document is a Kubernetes object, to be checked, and an input
// error when it is written wrong. Other tools borrow the keys: Grafana provisioning files have
// `apiVersion: 1`, a Helm repository index and Chart.yaml `apiVersion: v1` or `v2` with no kind,
// Drone pipelines `kind: pipeline` with no apiVersion; a run over a repository that holds them
// must not fail. So a document is an object when
//   - apiVersion and kind are both strings (kubeconfig's `kind: Config` and Kustomize's
//     `kind: Component` too: no rule reads their kinds, and checking them costs nothing), or
//   - apiVersion is written as Kubernetes writes it (`v1`, `group/v1beta1`) beside a metadata or
//     spec mapping, or kind is (`Deployment`) beside a metadata mapping: that is an object, with
//     its other half missing or of the wrong type, and checkTypeMeta says which. Other tools'
//     configs pair a kind with a spec and no metadata (kube-state-metrics'
//     CustomResourceStateMetrics).
//
// Anything else is another tool's document, skipped with the reason.
func (k objectKeys) meantAsObject() bool {
	if isStringValue(k.apiVersion) && isStringValue(k.kind) {
		return true
	}
	if k.apiVersion == nil && k.miscased != nil && !isBuiltInGroup(k.miscased) {
		// Another tool's config, read in any case: operator-sdk's scorecard config is
		// `apiversion: scorecard.operatorframework.io/v1alpha3`, `kind: Configuration`.
		return false
	}
	body := isMapping(k.metadata) || isMapping(k.spec)
	return body && isKubeAPIVersion(k.apiVersion) || isMapping(k.metadata) && isKubeKind(k.kind)
}

// describe says why a document that has apiVersion or kind is not an object.
func (k objectKeys) describe() string {
	var facts []string
	for _, f := range []struct {
		name string
		v    *yaml.Node
		ok   func(*yaml.Node) bool
		form string
	}{
		{"apiVersion", k.apiVersion, isKubeAPIVersion, "v1 or group/v1"},
		{"kind", k.kind, isKubeKind, "Deployment"},
	} {
		switch {
		case f.v == nil:
			facts = append(facts, "no "+f.name)
		case isStringValue(f.v) && !f.ok(f.v):
			facts = append(facts, fmt.Sprintf("%s is %s, not of the form %s", f.name, DescribeValue(f.v), f.form))
		default:
			facts = append(facts, fmt.Sprintf("%s is %s", f.name, DescribeValue(f.v)))
		}
	}
	if !isMapping(k.metadata) && !isMapping(k.spec) {
		facts = append(facts, "no metadata or spec")
	}
	return strings.Join(facts, ", ")
}

// kubeAPIVersionRE is an apiVersion as Kubernetes writes them: a version of the core group (v1)
// or a group, a DNS subdomain, and a version, a DNS label (apps/v1, eksctl.io/v1alpha5).
var kubeAPIVersionRE = regexp.MustCompile(`^(?:v[1-9][0-9]*(?:(?:alpha|beta)[1-9][0-9]*)?|[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*/[a-z](?:[-a-z0-9]*[a-z0-9])?)$`)

// kubeKindRE is a kind as Kubernetes writes them: CamelCase, starting with a capital.
var kubeKindRE = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*$`)

func isKubeAPIVersion(v *yaml.Node) bool {
	return isStringValue(v) && kubeAPIVersionRE.MatchString(v.Value)
}

func isKubeKind(v *yaml.Node) bool { return isStringValue(v) && kubeKindRE.MatchString(v.Value) }

// isBuiltInGroup reports whether v is an apiVersion of Kubernetes' own APIs: the core group
// (v1), the unsuffixed groups (apps/v1, batch/v1) and those of k8s.io.
func isBuiltInGroup(v *yaml.Node) bool {
	group, _, grouped := strings.Cut(v.Value, "/")
	switch {
	case !isKubeAPIVersion(v):
		return false
	case !grouped:
		return true
	}
	return !strings.Contains(group, ".") || strings.HasSuffix(group, ".k8s.io")
}

func isMapping(v *yaml.Node) bool { return v != nil && v.Kind == yaml.MappingNode }

// checkTypeMeta requires apiVersion and kind to be present strings.
func checkTypeMeta(o *Object) *Problem {
	for _, f := range []string{"apiVersion", "kind"} {
		n := o.Get(f)
		if !n.Exists() {
			other := "kind"
			if f == "kind" {
				other = "apiVersion"
			}
			p := Problem{Pos: o.Get(other).Place().Pos, Level: Error,
				Message: fmt.Sprintf("has %s but no %s; not linted", other, f)}
			if m := miscasedAPIVersion(o.Root()); f == "apiVersion" && m.Exists() {
				p.Pos, p.Message = m.Place().Pos, fmt.Sprintf("writes apiVersion as %s: Kubernetes reads keys as written, in their case; not linted", m.Key())
			}
			return &p
		}
		if !readsAsString(n) {
			p := typeProblem(o, n, "a string")
			return &p
		}
	}
	return nil
}

func identify(o *Object) *Object {
	*o.ID = ObjectID{
		APIVersion: o.Get("apiVersion").Str(),
		Kind:       o.Get("kind").Str(),
		Namespace:  o.Get("metadata", "namespace").Str(),
		Name:       o.Get("metadata", "name").Str(),
	}
	if gen := o.Get("metadata", "generateName"); o.ID.Name == "" && gen.IsScalar() && gen.Str() != "" {
		// The API server names the object when it is created (Helm and Argo CD hook Jobs): it is
		// named as it will be, generateName and some characters, `Job "upgrade-*"`. No real name
		// holds a *, so it never matches a reference by name.
		o.ID.Name = gen.Str() + "*"
	}
	if strings.HasPrefix(o.ID.APIVersion, "eksctl.io/") {
		o.Format = Eksctl
	}
	return o
}

// validate checks the shape of the fields the engine and rules rely on. Kubernetes and eksctl
// reject these objects too, so a wrong type is an input error (the object is not linted), not
// something to guess around; lesser problems come back as warnings and the object is linted.
func validate(o *Object) []Problem {
	var ps []Problem
	want := func(n Node, ok bool, what string) {
		if n.Exists() && !ok && !isPlaceholderValue(n) {
			ps = append(ps, typeProblem(o, n, what))
		}
	}
	meta := o.Get("metadata")
	want(meta, meta.IsMap(), "a mapping")
	for _, f := range []string{"name", "namespace", "generateName"} {
		n := meta.Get(f)
		want(n, readsAsString(n), "a string")
	}
	for _, f := range []string{"labels", "annotations"} {
		n := meta.Get(f)
		want(n, n.IsMap(), "a mapping")
	}
	switch {
	case o.IsWorkload():
		ps = append(ps, validateWorkload(o)...)
	case o.Format == Eksctl:
		for _, f := range []string{"nodeGroups", "managedNodeGroups", "availabilityZones", "addons"} {
			n := o.Get(f)
			want(n, n.IsList(), "a list")
		}
		for _, ng := range o.NodeGroups() {
			if !ng.Exists() { // an empty item: eksctl refuses the config ("nodeGroups[1] is not set")
				ps = append(ps, typeProblem(o, ng.Node, "a mapping (a node group)"))
				continue
			}
			want(ng.Node, ng.IsMap(), "a mapping (a node group)")
		}
	}
	return ps
}

func validateWorkload(o *Object) []Problem {
	var ps []Problem
	want := func(n Node, ok bool, what string) bool {
		if n.Exists() && !ok {
			if !isPlaceholderValue(n) {
				ps = append(ps, typeProblem(o, n, what))
			}
			return false
		}
		return true
	}
	if o.WorkloadKind() != "Pod" {
		spec := o.Get("spec")
		if !want(spec, spec.IsMap(), "a mapping") {
			return ps
		}
		r := spec.Get("replicas")
		_, isInt := r.Int()
		want(r, isInt, "an integer")
	}
	tmpl := o.PodTemplate()
	if !tmpl.Exists() && o.RunsReferencedPods() {
		return ps
	}
	if !want(tmpl, tmpl.IsMap(), "a mapping") {
		return ps
	}
	spec := tmpl.Get("spec")
	if !want(spec, spec.IsMap(), "a mapping") {
		return ps
	}
	containers := spec.Get("containers")
	if !want(containers, containers.IsList(), "a list of containers") {
		return ps
	}
	if containers.Len() == 0 {
		// Valid YAML and still lintable, so a warning, not an input error: partial manifests are
		// common in test data, and a cut-short file is worth a word either way.
		ps = append(ps, Problem{Pos: containers.Place().Pos, Level: Warning, Subject: o.ID.Describe(), Message: fmt.Sprintf(
			"%s: %s has no containers; a pod needs at least one (is the file cut short?)", o.ID.Describe(), spec.Path())})
		return ps
	}
	for _, list := range []Node{containers, spec.Get("initContainers")} {
		if !want(list, list.IsList(), "a list of containers") {
			continue
		}
		for _, c := range list.Items() {
			if !want(c, c.IsMap(), "a mapping (a container)") {
				continue
			}
			for _, f := range []string{"name", "image"} {
				n := c.Get(f)
				want(n, readsAsString(n), "a string")
			}
		}
	}
	return ps
}

// isPlaceholderValue reports whether a field holds a placeholder of a templating step in place of
// its value (`replicas: ${REPLICAS}`): its type is only known once the step has run, so it is not
// a type error.
func isPlaceholderValue(n Node) bool { return n.IsString() && IsPlaceholder(n.Str()) }

// typeProblem reports a field holding the wrong kind of value.
func typeProblem(o *Object, n Node, want string) Problem {
	p := Problem{Pos: n.Place().Pos, Level: Error}
	who := ""
	if o.ID.Kind != "" {
		p.Subject = o.ID.Describe()
		who = p.Subject + ": "
	}
	p.Message = fmt.Sprintf("%s%s must be %s, not %s; not linted", who, n.Path(), want, DescribeValue(n.val))
	return p
}

// readsAsString reports whether a field is a scalar Kubernetes reads as a string: anything but a
// number, a boolean or null. sigs.k8s.io/yaml reads a date (`name: 2024-01-01`) and a value with a
// tag of its own (`kind: !custom Pod`) as the text written, and so does ekslint.
func readsAsString(n Node) bool { return n.Exists() && isStringValue(n.val) }

// isStringValue is readsAsString for a value, nil when absent.
func isStringValue(v *yaml.Node) bool {
	if v == nil || v.Kind != yaml.ScalarNode {
		return false
	}
	switch v.ShortTag() {
	case "!!int", "!!float", "!!bool", "!!null":
		return false
	}
	return true
}

// DescribeValue names a YAML value's type for a message: `the string "three"`, `a list`.
func DescribeValue(v *yaml.Node) string {
	switch v.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	val := v.Value
	if len(val) > 40 {
		cut := 37
		for cut > 0 && !utf8.RuneStart(val[cut]) {
			cut--
		}
		val = val[:cut] + "..."
	}
	switch tag := v.ShortTag(); tag {
	case "!!int", "!!float":
		return "the number " + val
	case "!!bool":
		return "the boolean " + val
	case "!!null":
		return "null"
	case "!!str":
		return fmt.Sprintf("the string %q", val)
	case "!!timestamp":
		return "the date " + val
	default:
		return fmt.Sprintf("the value %q tagged %s", val, tag)
	}
}
