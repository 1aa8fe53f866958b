package lint

import (
	"fmt"
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
// object is kept. Each object knows its ekslint.io/ignore annotations.
func (r *ObjectReader) Objects(doc *Document) (objs []*Object, problems []Problem, skipped string) {
	objs, problems, skipped = objectsOf(doc, r.paths)
	kept := objs[:0]
	for _, o := range objs {
		vs := validate(o)
		problems = append(problems, vs...)
		if slices.ContainsFunc(vs, func(p Problem) bool { return p.Level == Error }) {
			continue
		}
		o.ref.Ignores = readIgnores(o)
		kept = append(kept, o)
	}
	return kept, problems, skipped
}

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
// was meant as a manifest: a mapping with apiVersion or kind, or a CloudFormation template. Such a
// document is an input error; any other is another tool's file, and not ekslint's business.
func MeantAsManifest(root *yaml.Node) bool {
	if root.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if k := root.Content[i].Value; k == "apiVersion" || k == "kind" {
			return true
		}
	}
	return isCloudFormation(root)
}

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
		ps = append(ps, Problem{Pos: containers.Place().Pos, Level: Warning, Message: fmt.Sprintf(
			"%s: %s has no containers; a pod needs at least one (is the file cut short?)", o.ID.String(), spec.Path())})
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
	who := ""
	if o.ID.Kind != "" {
		who = o.ID.String() + ": "
	}
	return Problem{Pos: n.Place().Pos, Level: Error,
		Message: fmt.Sprintf("%s%s must be %s, not %s; not linted", who, n.Path(), want, DescribeValue(n.val))}
}

// readsAsString reports whether a field is a scalar Kubernetes reads as a string: anything but a
// number, a boolean or null. sigs.k8s.io/yaml reads a date (`name: 2024-01-01`) and a value with a
// tag of its own (`kind: !custom Pod`) as the text written, and so does ekslint.
func readsAsString(n Node) bool {
	if !n.IsScalar() {
		return false
	}
	switch n.val.ShortTag() {
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
