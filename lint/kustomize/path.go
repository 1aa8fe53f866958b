package kustomize

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ekslint/ekslint/lint"
)

// step is one step of a field path: a mapping key, or a list item. A list item that is a mapping
// also carries its identity (`name: app`), because a strategic merge patch matches list items by
// their merge key, not by position: containers[1] of the build may be containers[0] of the base.
type step struct {
	key   string
	item  bool
	index int
	idKey string
	idVal string
}

// identityKeys are the fields that identify an item of a Kubernetes list, tried in order: the
// merge keys strategic merge patches use for containers, volumes, env, ports, mounts and aliases.
var identityKeys = []string{"name", "containerPort", "port", "mountPath", "devicePath", "ip", "topologyKey"}

// anchor follows the path of n through its object as built, and returns the steps that exist
// there (with list items' identities), the deepest existing field, and whether the whole path
// exists. A finding about a missing field is placed at its deepest existing ancestor.
func anchor(n lint.Node) (steps []step, last lint.Node, exists bool) {
	var all []step
	for _, s := range n.Steps() {
		all = append(all, step{key: s.Key, item: s.Key == "", index: s.Index})
	}
	cur := n.Object().Root()
	for i, s := range all {
		var next lint.Node
		if s.item {
			items := cur.Items()
			if s.index >= len(items) {
				return all[:i], cur, false
			}
			next = items[s.index]
			for _, k := range identityKeys {
				if id := next.Get(k); id.IsScalar() {
					all[i].idKey, all[i].idVal = k, id.Str()
					break
				}
			}
			// A null item (`- ~`) is still one, written on its line: the finding about it lands there.
		} else if next = cur.Get(s.key); !next.Exists() {
			return all[:i], cur, false
		}
		cur = next
	}
	return all, cur, true
}

// follow walks a YAML tree along steps, matching list items by identity when they have one and
// by position otherwise. It returns the deepest node reached, its key (nil for a list item or
// the root), and how many steps were taken.
func follow(root *yaml.Node, steps []step) (key, val *yaml.Node, depth int) {
	val = deref(root)
	for i, s := range steps {
		var k, v *yaml.Node
		if s.item {
			v = matchItem(val, s)
		} else {
			k, v = mapEntry(val, s.key)
		}
		if v == nil {
			return key, val, i
		}
		key, val = k, deref(v)
	}
	return key, val, len(steps)
}

func matchItem(seq *yaml.Node, s step) *yaml.Node {
	if seq == nil || seq.Kind != yaml.SequenceNode {
		return nil
	}
	if s.idKey != "" {
		for _, it := range seq.Content {
			if id := mapGet(deref(it), s.idKey); id.Kind == yaml.ScalarNode && id.Value == s.idVal {
				return it
			}
		}
		// Kustomize rewrites the names an object refers to (a RoleBinding's subjects, with the
		// namePrefix, nameSuffix or hash the ServiceAccount got): the item in its place whose
		// name the built one holds is the one written.
		if s.index < len(seq.Content) {
			it := seq.Content[s.index]
			if id := mapGet(deref(it), s.idKey); id.Kind == yaml.ScalarNode && id.Value != "" && strings.Contains(s.idVal, id.Value) {
				return it
			}
		}
		return nil
	}
	if s.index < len(seq.Content) {
		return seq.Content[s.index]
	}
	return nil
}

func deref(n *yaml.Node) *yaml.Node {
	if n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}

// sameValue reports whether a source node holds the value a field has in the build: the same
// scalar, or a list of the same scalars.
func sameValue(src *yaml.Node, built lint.Node) bool {
	src = deref(src)
	switch {
	case src == nil:
		return false
	case built.IsScalar():
		return src.Kind == yaml.ScalarNode && src.Value == built.Str()
	case built.IsList():
		its := built.Items()
		if src.Kind != yaml.SequenceNode || len(src.Content) != len(its) {
			return false
		}
		for i, it := range its {
			if s := deref(src.Content[i]); s.Kind != yaml.ScalarNode || s.Value != it.Str() {
				return false
			}
		}
		return true
	}
	return false
}

// isAtomic reports whether a field is set as a whole by whoever wrote it last: a scalar, or a
// list of scalars (a patch replaces such a list). Mappings and lists of objects are merged from
// every source, and a finding about them belongs where they are defined.
func isAtomic(n lint.Node) bool {
	if n.IsScalar() {
		return true
	}
	if !n.IsList() {
		return false
	}
	for _, it := range n.Items() {
		if !it.IsScalar() {
			return false
		}
	}
	return true
}
