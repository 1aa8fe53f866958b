package lint

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Node is a field of an object as rules see it: a value, the key that names it and its path from
// the object's root. Rules navigate with Get, Items and Entries, read scalars with Str, Int and
// Bool, and report at a Node; they never see YAML.
//
// A Node for a field that is absent (or null) is "missing": Exists is false, and it remembers the
// nearest enclosing field that is present, so reporting at it lands on the mapping that should
// hold the field, which is where a person adds it.
type Node struct {
	key     *yaml.Node // the key naming the value; nil for the root and list items
	val     *yaml.Node // alias-resolved value
	at      *pathNode  // the field's path; nil for an object's root
	missing bool       // the field asked for is absent: key and val are its nearest present ancestor
	obj     *Object
	emb     *embedding // set when the node lives inside YAML kept in a string
}

// Exists reports whether the field is present and not null.
func (n Node) Exists() bool { return !n.missing && n.val != nil && !isNull(n.val) }

// Path is the field path from the object root, e.g. spec.template.spec.containers[0].image.
func (n Node) Path() string { return n.at.String() }

// Object is the object the field belongs to.
func (n Node) Object() *Object { return n.obj }

// Key is the name of the field when it is a mapping entry.
func (n Node) Key() string {
	if n.missing || n.key == nil {
		return ""
	}
	return n.key.Value
}

// Get follows keys through nested mappings. Any step that is absent, null or not a mapping gives
// a missing Node.
func (n Node) Get(keys ...string) Node {
	for _, k := range keys {
		n = n.field(k)
	}
	return n
}

func (n Node) field(k string) Node {
	path := n.trie().child(n.pathOf(), k)
	if n.Exists() && n.val.Kind == yaml.MappingNode {
		if kn, vn := n.obj.lookup(n.val, k); kn != nil {
			return Node{key: kn, val: resolve(vn), at: path, obj: n.obj, emb: n.emb}
		}
	}
	n.at = path
	n.missing = true
	return n
}

// lookup finds key k in mapping m, then among the keys m's merge keys bring in. The written
// entries are scanned once whatever they hold: lookups are the rules' hot path.
func (o *Object) lookup(m *yaml.Node, k string) (key, val *yaml.Node) {
	merges := false
	for i := 0; i+1 < len(m.Content); i += 2 {
		kn := m.Content[i]
		if isMergeKey(kn) {
			merges = true
		} else if kn.Kind == yaml.ScalarNode && kn.Value == k {
			return kn, m.Content[i+1]
		}
	}
	if !merges {
		return nil, nil
	}
	entries := o.entries(m)
	for i := 0; i+1 < len(entries); i += 2 {
		if kn := entries[i]; kn.Kind == yaml.ScalarNode && kn.Value == k {
			return kn, entries[i+1]
		}
	}
	return nil, nil
}

// entries are the keys and values of mapping m as YAML 1.1 merges them: m's own entries, then
// those each `<<` brings in that are not there yet, earlier sources first; the `<<` entries
// themselves are left out. A mapping is merged once per object, so a lookup is one pass over one
// slice: a chain of mappings each merging two aliases of the one before has 2^n paths through
// it, and following them on every lookup made 2,000 small documents take over a minute. The
// entries merged for one object stop growing at maxMergeEntries; CheckTree has already bounded
// them by the alias budget for every parsed document.
func (o *Object) entries(m *yaml.Node) []*yaml.Node {
	if !hasMergeKey(m) {
		return m.Content
	}
	o.mergeMu.Lock()
	defer o.mergeMu.Unlock()
	return o.merge(m)
}

// maxMergeEntries bounds the entries merge keys add to one object's mappings, in total.
const maxMergeEntries = DefaultMaxAliasNodes

// merge returns the merged entries of m, which has merge keys; o.mergeMu is held.
func (o *Object) merge(m *yaml.Node) []*yaml.Node {
	if es, ok := o.merged[m]; ok {
		return es
	}
	if o.merged == nil {
		o.merged = map[*yaml.Node][]*yaml.Node{}
	}
	// m's own entries stand for it while its sources are merged: a source that merges m back
	// (possible only in a tree CheckTree has not seen) ends there.
	var es []*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		if !isMergeKey(m.Content[i]) {
			es = append(es, m.Content[i], m.Content[i+1])
		}
	}
	o.merged[m] = es
	seen := make(map[string]bool, len(es)/2)
	for i := 0; i < len(es); i += 2 {
		seen[es[i].Value] = true
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if !isMergeKey(m.Content[i]) {
			continue
		}
		for _, src := range mergeSources(m.Content[i+1]) {
			from := src.Content
			if hasMergeKey(src) {
				from = o.merge(src)
			}
			for j := 0; j+1 < len(from) && o.mergedEntries < maxMergeEntries; j += 2 {
				if k := from[j]; !isMergeKey(k) && !seen[k.Value] {
					seen[k.Value] = true
					es = append(es, k, from[j+1])
					o.mergedEntries++
				}
			}
		}
	}
	o.merged[m] = es
	return es
}

func hasMergeKey(m *yaml.Node) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if isMergeKey(m.Content[i]) {
			return true
		}
	}
	return false
}

func isMergeKey(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Value == "<<" && (k.Tag == "!!merge" || k.Tag == "")
}

// mergeSources lists the mappings a `<<` value merges in: one mapping, or a list of them.
func mergeSources(v *yaml.Node) []*yaml.Node {
	v = resolve(v)
	switch v.Kind {
	case yaml.MappingNode:
		return []*yaml.Node{v}
	case yaml.SequenceNode:
		var out []*yaml.Node
		for _, it := range v.Content {
			if it = resolve(it); it.Kind == yaml.MappingNode {
				out = append(out, it)
			}
		}
		return out
	}
	return nil
}

// Items returns the items of a list, or nil when the field is not a list.
func (n Node) Items() []Node {
	if !n.Exists() || n.val.Kind != yaml.SequenceNode {
		return nil
	}
	out := make([]Node, len(n.val.Content))
	for i, it := range n.val.Content {
		out[i] = Node{val: resolve(it), at: n.trie().item(n.pathOf(), i), obj: n.obj, emb: n.emb}
	}
	return out
}

// Entries returns the fields of a mapping in source order (merged keys after written ones), or
// nil when the field is not a mapping.
func (n Node) Entries() []Node {
	if !n.Exists() || n.val.Kind != yaml.MappingNode {
		return nil
	}
	entries := n.obj.entries(n.val)
	out := make([]Node, 0, len(entries)/2)
	for i := 0; i+1 < len(entries); i += 2 {
		kn := entries[i]
		out = append(out, Node{key: kn, val: resolve(entries[i+1]), at: n.trie().child(n.pathOf(), kn.Value), obj: n.obj, emb: n.emb})
	}
	return out
}

// Len is the number of items of a list or fields of a mapping.
func (n Node) Len() int {
	switch {
	case !n.Exists():
		return 0
	case n.val.Kind == yaml.SequenceNode:
		return len(n.val.Content)
	case n.val.Kind == yaml.MappingNode:
		return len(n.Entries())
	}
	return 0
}

// IsMap, IsList and IsScalar report the field's shape; all are false for a missing field.
func (n Node) IsMap() bool    { return n.Exists() && n.val.Kind == yaml.MappingNode }
func (n Node) IsList() bool   { return n.Exists() && n.val.Kind == yaml.SequenceNode }
func (n Node) IsScalar() bool { return n.Exists() && n.val.Kind == yaml.ScalarNode }

// Str returns a scalar's text ("" for a missing field or a collection). Numbers and booleans come
// back as written: `replicas: 3` gives "3".
func (n Node) Str() string {
	if !n.IsScalar() {
		return ""
	}
	return n.val.Value
}

// IsString reports whether the field is a scalar that YAML reads as a string (`"3"`, `abc`), not a
// number, boolean or null.
func (n Node) IsString() bool { return n.IsScalar() && n.val.ShortTag() == "!!str" }

// Int returns an integer field. ok is false when the field is missing or is not a YAML integer
// (`replicas: "3"` is a string, and Kubernetes rejects it too).
func (n Node) Int() (v int64, ok bool) {
	if !n.IsScalar() || n.val.ShortTag() != "!!int" {
		return 0, false
	}
	s := strings.ReplaceAll(n.val.Value, "_", "")
	if strings.HasPrefix(s, "0o") || strings.HasPrefix(s, "-0o") || strings.HasPrefix(s, "+0o") {
		s = strings.Replace(s, "0o", "0", 1)
	}
	v, err := strconv.ParseInt(s, 0, 64)
	return v, err == nil
}

// Bool returns a boolean field. ok is false when the field is missing or not a boolean.
// Kubernetes and eksctl read YAML 1.1 (sigs.k8s.io/yaml), where an unquoted yes, no, on, off, y
// and n are booleans too, so `hostNetwork: yes` is true here as it is for kubectl.
func (n Node) Bool() (v, ok bool) {
	if !n.IsScalar() {
		return false, false
	}
	if t := n.val.ShortTag(); t != "!!bool" && (t != "!!str" || n.val.Style != 0) {
		return false, false
	}
	switch n.val.Value {
	case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y":
		return true, true
	case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N":
		return false, true
	}
	return false, false
}

// IsTrue reports whether the field is the boolean true.
func (n Node) IsTrue() bool { v, ok := n.Bool(); return ok && v }

// IsFalse reports whether the field is the boolean false (not merely absent).
func (n Node) IsFalse() bool { v, ok := n.Bool(); return ok && !v }

// Strings returns the scalar items of a list, skipping anything that is not a scalar.
func (n Node) Strings() []string {
	var out []string
	for _, it := range n.Items() {
		if it.IsScalar() {
			out = append(out, it.Str())
		}
	}
	return out
}

// Tag is the field's explicit YAML tag, such as CloudFormation's "!Ref" or "!GetAtt", or "" for
// the standard tags YAML infers.
func (n Node) Tag() string {
	if !n.Exists() || strings.HasPrefix(n.val.Tag, "!!") {
		return ""
	}
	return n.val.Tag
}

// Place is where a finding about this field lands: a present field's key (or, for a list item,
// the item's first line) through the end of its value; for a missing field, its nearest present
// ancestor.
func (n Node) Place() Place { return n.obj.place(n) }

func resolve(v *yaml.Node) *yaml.Node {
	// Aliases point at the anchored node itself, never at another alias, so one step resolves.
	if v != nil && v.Kind == yaml.AliasNode && v.Alias != nil {
		return v.Alias
	}
	return v
}

func isNull(v *yaml.Node) bool {
	return v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null"
}
