package kustomize

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/api/resmap"

	"github.com/ekslint/ekslint/lint"
)

// Where a built object came from, ekslint learns itself: kustomize can record it
// (`buildMetadata: [originAnnotations]`), but then also records every transformer it runs on every
// object, re-encoding the whole record each time, which makes a build's time grow with the square
// of its patches (1,000 patches: 20 s instead of 0.4 s). Instead, the guarded filesystem serves each
// resource file with every object annotated with the file's number in the run; the annotation
// rides through the build like any other and is taken off before rules see the objects. Objects
// without it were made by a generator, found by name.

// sourceAnnotation carries, through a build, the number of the resource file an object was read
// from.
const sourceAnnotation = "build.ekslint.io/source-file"

// tagged returns the file as kustomize reads it when it is a resource file: each object carries
// sourceAnnotation. A file our parser refused is served as it is (kustomize reports what it
// reports; a checked overlay never gets there), and so is one without documents.
func (f *file) tagged(c *fileCache, name string) ([]byte, error) {
	f.taggedOnce.Do(func() {
		docs, problems := f.parse(c, name)
		switch {
		case f.readErr != nil:
			f.taggedErr = f.readErr
			return
		case slices.ContainsFunc(problems, func(p lint.Problem) bool { return p.Level == lint.Error }) || len(docs) == 0:
			// Nothing to tag in a file of comments or separators alone (a placeholder for
			// generated resources): kustomize reads it as it is, as no objects.
			f.taggedData = f.text.Data
			return
		}
		source := strconv.Itoa(f.id)
		if data, ok := splicedTags(f.text, docs, source); ok {
			f.taggedData = data
			return
		}
		f.taggedData, f.taggedErr = encodedTags(docs, source)
	})
	return f.taggedData, f.taggedErr
}

// leanTagged is tagged, with the schemas of the CustomResourceDefinitions in it left out: kyaml
// copies each mapping of a resource twice as kustomize reads it (DeAnchor), so the thousands of
// nested mappings of a CRD's schema cost more than all the rest of a build, 4 s per overlay that
// includes argo-workflows' 12 MB of CRDs. No rule reads a CRD's schema; an overlay whose own
// files name CRDs (a patch of one) is served them whole (build.namesCRDs).
func (f *file) leanTagged(c *fileCache, name string) ([]byte, error) {
	f.leanOnce.Do(func() {
		f.leanData, f.leanErr = f.tagged(c, name)
		docs, problems := f.parse(c, name)
		if f.leanErr != nil || slices.ContainsFunc(problems, func(p lint.Problem) bool { return p.Level == lint.Error }) {
			return
		}
		lean := make([]*yaml.Node, len(docs))
		changed := false
		for i, d := range docs {
			var cut bool
			lean[i], cut = withoutSchemas(d)
			changed = changed || cut
		}
		if changed {
			f.leanData, f.leanErr = encodedTags(lean, strconv.Itoa(f.id))
		}
	})
	return f.leanData, f.leanErr
}

// withoutSchemas returns a copy of doc with an empty openAPIV3Schema in place of each one it
// holds when it is a CustomResourceDefinition (spec.versions[].schema, or spec.validation of
// apiextensions.k8s.io/v1beta1), and whether it cut any. A CRD written with anchors is left as
// it is.
func withoutSchemas(doc *yaml.Node) (*yaml.Node, bool) {
	spec := rawValue(doc, "spec")
	if doc.Kind != yaml.MappingNode || doc.Anchor != "" || mapGet(doc, "kind").Value != "CustomResourceDefinition" ||
		!strings.HasPrefix(mapGet(doc, "apiVersion").Value, "apiextensions.k8s.io/") || !plainMapping(spec) {
		return doc, false
	}
	empty := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle}
	cut := false
	holder := func(m *yaml.Node) *yaml.Node { // m with an empty openAPIV3Schema, or nil
		if plainMapping(m) && rawValue(m, "openAPIV3Schema") != nil {
			cut = true
			return withEntry(m, "openAPIV3Schema", empty)
		}
		return nil
	}
	if v := holder(rawValue(spec, "validation")); v != nil {
		spec = withEntry(spec, "validation", v)
	}
	if versions := rawValue(spec, "versions"); versions != nil && versions.Kind == yaml.SequenceNode && versions.Anchor == "" {
		lean := *versions
		lean.Content = slices.Clone(versions.Content)
		for i, version := range versions.Content {
			if schema := holder(rawValue(version, "schema")); schema != nil && plainMapping(version) {
				lean.Content[i] = withEntry(version, "schema", schema)
			}
		}
		spec = withEntry(spec, "versions", &lean)
	}
	if !cut {
		return doc, false
	}
	return withEntry(doc, "spec", spec), true
}

// plainMapping reports whether n is a mapping without an anchor.
func plainMapping(n *yaml.Node) bool { return n != nil && n.Kind == yaml.MappingNode && n.Anchor == "" }

// encodedTags writes docs again with their objects tagged (taggedObject). It serves any file, but
// encoding every resource file took a tenth of the time of a run over a corpus of overlays, so it
// serves only the files splicedTags cannot.
func encodedTags(docs []*yaml.Node, source string) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	for _, d := range docs {
		if err := enc.Encode(taggedObject(d, source)); err != nil {
			return nil, err
		}
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// splicedTags returns the text of docs (parsed from t) with sourceAnnotation added to each object
// as lines of their own, every other byte kept, or false when it cannot be sure that kustomize
// reads that as the objects of t, each with the annotation: then the caller encodes. A splice
// keeps every byte of the file, so kustomize reads its objects as written, which the encoding
// does not always do (yaml.v3 writes a null key as an empty string, and may change a folded
// scalar's line breaks).
//
// The lines go just before a line holding a key of the mapping they join after spaces alone,
// indented as that key: whatever came before ended with the line before, and the new entry ends
// where the key starts, as the previous value did. What falls back: a mapping to add to in flow
// style, anchored, an alias (the fallback leaves those objects untagged) or merging another;
// metadata or annotations that are null or not mappings; the annotation already there; a mapping
// with no key alone at a line's start (an item whose one key follows its dash); and a text
// kustomize splits into documents otherwise than the parser did (splitsAsParsed).
func splicedTags(t *lint.Text, docs []*yaml.Node, source string) ([]byte, bool) {
	if !splitsAsParsed(t, docs) {
		return nil, false
	}
	type insertion struct {
		at   int
		text []byte
	}
	var adds []insertion
	nest := []string{"metadata:", "annotations:", sourceAnnotation + `: "` + source + `"`}
	var tag func(obj *yaml.Node) bool
	tag = func(obj *yaml.Node) bool {
		meta := rawValue(obj, "metadata")
		annotations := rawValue(meta, "annotations")
		into, depth := obj, 0 // the mapping the lines join, and how much of nest they hold
		switch {
		case !spliceable(obj):
			return false
		case meta == nil:
		case !spliceable(meta):
			return false
		case annotations == nil:
			into, depth = meta, 1
		case !spliceable(annotations) || rawValue(annotations, sourceAnnotation) != nil:
			return false
		default:
			into, depth = annotations, 2
		}
		at, indent, ok := keyLine(t, into)
		if !ok {
			return false
		}
		var text []byte
		for i, s := range nest[depth:] {
			text = fmt.Appendf(text, "%*s%s\n", indent+2*i, "", s)
		}
		adds = append(adds, insertion{at, text})
		// A List's items are built as objects of their own (taggedObject).
		if items := rawValue(obj, "items"); strings.HasSuffix(mapGet(obj, "kind").Value, "List") && items != nil && items.Kind == yaml.SequenceNode {
			if items.Style&yaml.FlowStyle != 0 || items.Anchor != "" {
				return false
			}
			for _, it := range items.Content {
				if !tag(it) {
					return false
				}
			}
		}
		return true
	}
	for _, d := range docs {
		if !tag(d) {
			return nil, false
		}
	}
	slices.SortFunc(adds, func(a, b insertion) int { return a.at - b.at })
	size := len(t.Data)
	for _, a := range adds {
		size += len(a.text)
	}
	out := make([]byte, 0, size)
	prev := 0
	for _, a := range adds {
		out = append(append(out, t.Data[prev:a.at]...), a.text...)
		prev = a.at
	}
	return append(out, t.Data[prev:]...), true
}

// spliceable reports whether lines can be added to mapping n, changing n alone: n is in block
// style, has no anchor (aliases elsewhere would see the change, and the fallback leaves such
// objects untagged) and no merge key (an entry added beside it would hide what it merges under
// the same key, metadata or annotations).
func spliceable(n *yaml.Node) bool {
	return n.Kind == yaml.MappingNode && n.Style&yaml.FlowStyle == 0 && n.Anchor == "" && rawValue(n, "<<") == nil
}

// keyLine finds a line of t that holds a key of block mapping m after spaces alone, and returns
// the byte offset where that line starts and the key's indentation. The key must be there as
// parsed (plain, so as written), or the positions are not trusted: a text in UTF-16 never is. It
// must be at m's column, as every key of a block mapping is but one written after `?` on a line
// of its own, which is further in (m starts at its tag when it has one: then none is). A first
// line starting with `---` (a key `---x`) is not taken: kyaml splits at such a line only after a
// line feed (splitsAsParsed), so lines put before it would make it a separator.
func keyLine(t *lint.Text, m *yaml.Node) (at, indent int, ok bool) {
	for i := 0; i < len(m.Content); i += 2 {
		k := m.Content[i]
		line, indent := t.Line(k.Line), k.Column-1
		if k.Kind == yaml.ScalarNode && k.Value != "" && k.Column == m.Column && indent < len(line) &&
			len(bytes.TrimLeft(line[:indent], " ")) == 0 && bytes.HasPrefix(line[indent:], []byte(k.Value)) &&
			(k.Line > 1 || !bytes.HasPrefix(line, []byte("---"))) {
			return t.LineStart(k.Line), indent, true
		}
	}
	return 0, 0, false
}

// splitsAsParsed reports whether kustomize reads the documents of t as the parser did. Kustomize
// (kyaml's ByteReader) does not parse a stream: it splits the text at lines starting with `---`
// (refusing one with more than a comment after it), reads the first document of each part, and
// unwraps a List (an object with items or functionConfig) read alone only when the file is one
// part, as the encoded text of one document is. So a splice needs at most one document between
// separators, no separator beside a lone List, and no `...` or directive line (after which the
// parser reads documents kyaml does not). Lines must end in LF or CR LF, which kyaml turns into
// LF, not in a CR alone, which kyaml does not split at, nor in NEL, LINE SEPARATOR or PARAGRAPH
// SEPARATOR, after which the parser alone sees a line start and a marker there.
func splitsAsParsed(t *lint.Text, docs []*yaml.Node) bool {
	data := t.Data
	if t.YAMLLines() != nil || bytes.Count(data, []byte("\r")) != bytes.Count(data, []byte("\r\n")) {
		return false
	}
	aloneList := len(docs) == 1 && (rawValue(docs[0], "items") != nil || rawValue(docs[0], "functionConfig") != nil)
	next := 0 // the first document after the last separator
	separated := func(line int) bool {
		start := next
		for next < len(docs) && docs[next].Line < line {
			next++
		}
		return next-start <= 1
	}
	for n := 1; n <= t.Lines(); n++ {
		line := t.Line(n)
		switch {
		case bytes.HasPrefix(line, []byte("...")) || bytes.HasPrefix(line, []byte("%")):
			return false
		case n > 1 && bytes.HasPrefix(line, []byte("---")):
			rest := bytes.TrimSpace(line[3:])
			if len(rest) > 0 && (rest[0] != '#' || line[3] != ' ' && line[3] != '\t') || aloneList || !separated(n) {
				return false
			}
		}
	}
	return separated(t.Lines() + 1)
}

// taggedObject returns a copy of the object n carrying sourceAnnotation, and so do the items of a
// List, which kustomize builds as objects of their own. Nodes off the path to the annotation are
// shared with n, which the cache hands to every overlay and which stays as read. An object whose
// metadata or annotations are anchored or aliases (other nodes may share them) is left untagged:
// its findings land on the overlay's kustomization rather than on a changed object.
func taggedObject(n *yaml.Node, source string) *yaml.Node {
	if n.Kind != yaml.MappingNode || n.Anchor != "" {
		return n
	}
	meta := rawValue(n, "metadata")
	if isNullNode(meta) {
		meta = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	}
	annotations := rawValue(meta, "annotations")
	if isNullNode(annotations) {
		annotations = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	}
	if meta.Kind != yaml.MappingNode || meta.Anchor != "" || annotations.Kind != yaml.MappingNode || annotations.Anchor != "" {
		return n
	}
	annotations = withEntry(annotations, sourceAnnotation, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: source})
	out := withEntry(n, "metadata", withEntry(meta, "annotations", annotations))
	if items := rawValue(n, "items"); strings.HasSuffix(mapGet(n, "kind").Value, "List") && items != nil && items.Kind == yaml.SequenceNode && items.Anchor == "" {
		tagged := *items
		tagged.Content = make([]*yaml.Node, len(items.Content))
		for i, it := range items.Content {
			tagged.Content[i] = taggedObject(it, source)
		}
		out = withEntry(out, "items", &tagged)
	}
	return out
}

// rawValue returns the value of key in mapping m as written (an alias stays an alias), or nil.
func rawValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; m != nil && m.Kind == yaml.MappingNode && i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func isNullNode(n *yaml.Node) bool {
	return n == nil || n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// withEntry returns a copy of mapping m with key set to val, added at the end when m lacks it.
func withEntry(m *yaml.Node, key string, val *yaml.Node) *yaml.Node {
	c := *m
	c.Content = slices.Clone(m.Content)
	for i := 0; i+1 < len(c.Content); i += 2 {
		if c.Content[i].Value == key {
			c.Content[i+1] = val
			return &c
		}
	}
	c.Content = append(c.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, val)
	return &c
}

// withoutKey returns mapping m without key, and whether it had it.
func withoutKey(m *yaml.Node, key string) (*yaml.Node, bool) {
	for i := 0; m != nil && m.Kind == yaml.MappingNode && i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			c := *m
			c.Content = slices.Delete(slices.Clone(m.Content), i, i+2)
			return &c, true
		}
	}
	return m, false
}

// resourceOut is one object of a build, with the file it was read from ("" for a generated one).
type resourceOut struct {
	node                   *yaml.Node
	apiVersion, kind, name string
	source                 string
}

// collect takes the objects out of a build and takes sourceAnnotation off them: rules see the
// objects as `kustomize build` prints them.
func collect(m resmap.ResMap, c *fileCache) ([]resourceOut, error) {
	var out []resourceOut
	for _, r := range m.Resources() {
		o := resourceOut{apiVersion: r.GetApiVersion(), kind: r.GetKind(), name: r.GetName()}
		annotations := r.GetAnnotations()
		if id, ok := annotations[sourceAnnotation]; ok {
			o.source = c.path(id)
			delete(annotations, sourceAnnotation)
			if err := r.SetAnnotations(annotations); err != nil {
				return nil, err
			}
		}
		o.node = r.YNode()
		out = append(out, o)
	}
	return out, nil
}
