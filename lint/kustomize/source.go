package kustomize

import (
	"bytes"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/api/resmap"
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
		case len(problems) > 0 || len(docs) == 0:
			// Nothing to tag in a file of comments or separators alone (a placeholder for
			// generated resources): kustomize reads it as it is, as no objects.
			f.taggedData = f.text.Data
			return
		}
		f.taggedData, f.taggedErr = encodedTags(docs, strconv.Itoa(f.id))
	})
	return f.taggedData, f.taggedErr
}

// encodedTags writes docs again with their objects tagged (taggedObject).
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
