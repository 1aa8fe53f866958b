package lint

import (
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// CloudFormation templates are split into one object per resource: Kind is the resource type
// (AWS::EKS::Cluster), Name its logical id, and the object's root is the resource's mapping
// (Type, Properties, ...), placed at its logical id. Rules that follow references between
// resources (a node group's role, an add-on's cluster) use Template.

// Template is the CloudFormation template a resource object came from.
type Template struct {
	order  []*Object
	byID   map[string]*Object
	byType map[string][]*Object

	mu      sync.Mutex
	indexes map[any]any // see TemplateIndex
}

// Resource returns the resource with the given logical id, or nil.
func (t *Template) Resource(logicalID string) *Object {
	if t == nil {
		return nil
	}
	return t.byID[logicalID]
}

// Resources returns the template's resources of one type (every resource for ""), in order. The
// slice belongs to the template: do not change it.
func (t *Template) Resources(typ string) []*Object {
	switch {
	case t == nil:
		return nil
	case typ == "":
		return t.order
	}
	return t.byType[typ]
}

// TemplateIndex returns build(t), computed once per template and key. A rule that checks one
// resource but needs a fact about the whole template (which roles node groups run with, which
// ingress rules name a security group) builds it once instead of searching the template from
// every resource, which is quadratic in the template's size. key is compared with ==; use a value
// of an unexported type, as with context values. build may use other indexes.
func TemplateIndex[T any](t *Template, key any, build func(*Template) T) T {
	t.mu.Lock()
	v, ok := t.indexes[key]
	t.mu.Unlock()
	if ok {
		return v.(T)
	}
	built := build(t)
	t.mu.Lock()
	defer t.mu.Unlock()
	if v, ok := t.indexes[key]; ok {
		return v.(T) // built meanwhile by another goroutine checking the same template
	}
	if t.indexes == nil {
		t.indexes = map[any]any{}
	}
	t.indexes[key] = built
	return built
}

// Template is the CloudFormation template the object belongs to; nil for other objects.
func (o *Object) Template() *Template { return o.tmpl }

// Properties is a CloudFormation resource's Properties mapping.
func (o *Object) Properties() Node { return o.Get("Properties") }

// isCloudFormation recognises a template: a Resources mapping whose entries have AWS:: types, or
// an AWSTemplateFormatVersion.
func isCloudFormation(root *yaml.Node) bool {
	probe := newObject(nil, root, nil).Root()
	if probe.Get("AWSTemplateFormatVersion").Exists() {
		return true
	}
	for _, r := range probe.Get("Resources").Entries() {
		if strings.HasPrefix(r.Get("Type").Str(), "AWS::") {
			return true
		}
	}
	return false
}

// cloudFormationObjects makes one object per resource of a template.
func cloudFormationObjects(doc *Document, paths *pathTrie) ([]*Object, []Problem) {
	t := &Template{byID: map[string]*Object{}, byType: map[string][]*Object{}}
	probe := newObject(doc, doc.Root, paths).Root()
	resources := probe.Get("Resources")
	if resources.Exists() && !resources.IsMap() {
		return nil, []Problem{typeProblem(newObject(doc, doc.Root, paths), resources, "a mapping of resources")}
	}
	var problems []Problem
	var add func(entries []Node)
	add = func(entries []Node) {
		for _, r := range entries {
			o := newObject(doc, r.val, paths)
			o.Format, o.key, o.tmpl = CloudFormation, r.key, t
			if strings.HasPrefix(r.Key(), "Fn::ForEach::") {
				// A loop of the AWS::LanguageExtensions transform: [identifier, collection,
				// resources], the resources repeated for each item with the identifier in their
				// names and properties. Each is linted once, as written.
				if loop := r.Items(); len(loop) == 3 && loop[2].IsMap() {
					add(loop[2].Entries())
				} else {
					problems = append(problems, typeProblem(o, r, "a list of an identifier, a collection and a mapping of resources (Fn::ForEach)"))
				}
				continue
			}
			if !r.IsMap() {
				problems = append(problems, typeProblem(o, r, "a mapping (a resource)"))
				continue
			}
			o.ID.Kind, o.ID.Name = r.Get("Type").Str(), r.Key()
			t.order = append(t.order, o)
			t.byID[o.ID.Name] = o
			t.byType[o.ID.Kind] = append(t.byType[o.ID.Kind], o)
		}
	}
	add(resources.Entries())
	return t.order, problems
}

// IsIntrinsic reports whether a field is a CloudFormation intrinsic function or reference
// (`!Ref`, `!Sub`, `{"Fn::If": ...}`), whose value is only known at deploy time. Rules treat such
// values as unknown, never as violations.
func (n Node) IsIntrinsic() bool {
	if !n.Exists() {
		return false
	}
	if t := n.Tag(); t != "" {
		return true
	}
	if n.IsMap() && len(n.val.Content) == 2 {
		k := n.val.Content[0].Value
		return k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::")
	}
	return false
}

// RefTarget returns the logical id a field refers to with Ref or GetAtt (`!Ref Role`,
// `!GetAtt Role.Arn`, `{"Fn::GetAtt": ["Role", "Arn"]}`), or "".
func (n Node) RefTarget() string {
	if !n.Exists() {
		return ""
	}
	switch n.Tag() {
	case "!Ref":
		return n.Str()
	case "!GetAtt":
		if n.IsScalar() {
			id, _, _ := strings.Cut(n.Str(), ".")
			return id
		}
		return first(n.Strings())
	}
	if ref := n.Get("Ref"); ref.IsScalar() {
		return ref.Str()
	}
	if ga := n.Get("Fn::GetAtt"); ga.Exists() {
		if ga.IsScalar() {
			id, _, _ := strings.Cut(ga.Str(), ".")
			return id
		}
		return first(ga.Strings())
	}
	return ""
}

func first(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return s[0]
}
