package kustomize

import (
	"bytes"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/kyaml/resid"

	"github.com/ekslint/ekslint/lint"
)

// An overlay whose kustomization only lists resource files builds to their objects as written:
// kustomize has nothing to transform. Such overlays are common (ingress-nginx's static manifests
// give each of nine providers a kustomization naming its one deploy.yaml), and kustomize's build
// of them was two thirds of the CPU of a run over those files: it parses each file again, copies
// every mapping twice (DeAnchor) and walks every name reference, to change nothing. Their objects
// are taken from the parse the loader has already made, when nothing in the kustomization or the
// files is something kustomize would change or refuse; every other overlay is built by kustomize.
// TestAsWrittenIsKustomize holds the two to the same objects.

// asWritten returns the objects of the overlay when it builds to its resource files' objects as
// written, in the order kustomize gives them; ok is false when kustomize must build it.
func (b *build) asWritten() (docs []*lint.Document, ok bool) {
	root := b.kusts[b.dir]
	if len(b.kusts) != 1 || !b.onlyResources(root) {
		return nil, false
	}
	files := b.resources[b.dir]
	if len(files) != len(items(mapGet(root.root, "resources"))) {
		return nil, false
	}
	type object struct {
		node  *yaml.Node
		place func(key, val *yaml.Node) lint.Pos
	}
	var objs []object
	// Kustomize refuses two objects of one id, and a reference (a subject) that could name two
	// objects; objects of one kind and name in two namespaces are sent to kustomize.
	ids := map[[2]string]bool{}
	for _, abs := range files {
		f := b.cache.get(abs)
		parsed, _ := f.parse(b.cache, b.display(abs))
		if !splitAsParsed(f.text.Data) {
			return nil, false
		}
		place := b.placer(abs)
		for _, obj := range parsed {
			id := [2]string{mapGet(obj, "kind").Value, mapGet(mapGet(obj, "metadata"), "name").Value}
			if !keptAsWritten(obj) || ids[id] {
				return nil, false
			}
			ids[id] = true
			objs = append(objs, object{obj, place})
		}
	}
	for _, o := range objs {
		if !referencesKept(o.node) {
			return nil, false
		}
		docs = append(docs, &lint.Document{Root: o.node, Variant: b.in.Path,
			Locator: &locator{origin: &tree{root: o.node, place: o.place}, fallback: startOf(root.text.Name)}})
	}
	return docs, true
}

// onlyResources reports whether kustomization k sets nothing but the resource files it names
// (with kustomize's apiVersion and kind for a kustomization, or none). Kustomize refuses one
// without a list of resources, even an empty one, as empty.
func (b *build) onlyResources(k *kustFile) bool {
	if docs, _ := k.file.parse(b.cache, k.text.Name); len(docs) != 1 || !plainMapping(k.root) || mapGet(k.root, "resources").Kind != yaml.SequenceNode {
		return false
	}
	kustomizations := 0 // kustomize refuses a folder with two
	for _, name := range FileNames {
		if b.cache.root.IsFile(filepath.Join(k.dir, name)) {
			kustomizations++
		}
	}
	if kustomizations != 1 {
		return false
	}
	for i := 0; i+1 < len(k.root.Content); i += 2 {
		key, val := k.root.Content[i], k.root.Content[i+1]
		switch key.Value {
		case "apiVersion":
			if !isString(val, "kustomize.config.k8s.io/v1beta1") {
				return false
			}
		case "kind":
			if !isString(val, "Kustomization") {
				return false
			}
		case "resources":
			for _, it := range items(val) {
				if !isString(it, "") || it.Value == "" {
					return false
				}
			}
		default:
			return false
		}
	}
	return true
}

// splitAsParsed reports whether kustomize splits the text of a resource file into the documents
// yaml.v3 parses from it. Kustomize cuts the text at every line that starts with `---` (refusing
// one with more than a comment after it) and decodes the first document of each piece; yaml.v3
// also starts documents after `...`, at lines that other line breaks end (a lone carriage return,
// NEL, the Unicode line and paragraph separators), and reads UTF-16, and a `---` line must be
// followed by a blank for it to start one. A file with any of those, or a directive, is left to
// kustomize.
func splitAsParsed(data []byte) bool {
	if bytes.IndexByte(data, 0) >= 0 || bytes.Contains(data, []byte("\u0085")) || bytes.Contains(data, []byte("\u2028")) || bytes.Contains(data, []byte("\u2029")) {
		return false
	}
	for line := range bytes.Lines(data) {
		line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
		switch {
		case bytes.IndexByte(line, '\r') >= 0, bytes.HasPrefix(line, []byte("%")):
			return false
		case lint.IsDocumentEnd(line):
			return false
		case bytes.HasPrefix(line, []byte("---")):
			if rest := bytes.TrimSpace(line[3:]); !lint.IsDocumentStart(line) || len(rest) > 0 && rest[0] != '#' {
				return false
			}
		}
	}
	return true
}

// keptAsWritten reports whether kustomize reads the document obj as one object and builds it
// unchanged: a mapping with a kind (not a List, whose items it builds one by one) and a name,
// written without anchors, aliases, merge keys or explicit tags, all of which kustomize resolves.
func keptAsWritten(obj *yaml.Node) bool {
	meta := mapGet(obj, "metadata")
	kind := mapGet(obj, "kind")
	if obj.Kind != yaml.MappingNode || !isString(mapGet(obj, "apiVersion"), "") || !isString(kind, "") || kind.Value == "" ||
		strings.HasSuffix(kind.Value, "List") || meta.Kind != yaml.MappingNode ||
		!isString(mapGet(meta, "name"), "") || mapGet(meta, "name").Value == "" {
		return false
	}
	if ns := rawValue(meta, "namespace"); ns != nil && !isString(ns, "") {
		return false
	}
	// Kustomize checks that an object's apiVersion is what its group and version make again
	// (`/v1` is not), as it follows the object's name references.
	av := mapGet(obj, "apiVersion").Value
	if g, v := resid.ParseGroupVersion(av); (resid.Gvk{Group: g, Version: v}).ApiVersion() != av || strings.Contains(av, kustomizeDomain) {
		return false
	}
	// Kustomize annotates every object as it reads it and takes its annotations off again: it
	// writes them anew as strings, and leaves out an empty set. Its own annotations tell it to
	// drop an object (local-config), rename it or what refers to it, or hash its name.
	if a := rawValue(meta, "annotations"); a != nil {
		if a.Kind != yaml.MappingNode || len(a.Content) == 0 {
			return false
		}
		for i, kv := range a.Content {
			if !isString(kv, "") || i%2 == 0 && (kv.Value == "" || // an empty key makes it panic
				strings.Contains(kv.Value, "config.kubernetes.io") || strings.Contains(kv.Value, kustomizeDomain)) {
				return false
			}
		}
	}
	if kind.Value == "RoleBinding" && !subjectsKept(rawValue(obj, "subjects")) {
		return false
	}
	var plain func(n *yaml.Node) bool
	plain = func(n *yaml.Node) bool {
		if n.Anchor != "" || n.Kind == yaml.AliasNode || n.Style&yaml.TaggedStyle != 0 {
			return false
		}
		for i, c := range n.Content {
			if n.Kind == yaml.MappingNode && i%2 == 0 && c.Value == "<<" || !plain(c) {
				return false
			}
		}
		return true
	}
	return plain(obj)
}

// kustomizeDomain is the domain of kustomize's own apiVersions and annotations.
const kustomizeDomain = "kustomize.config.k8s.io"

// subjectsKept reports whether kustomize reads the subjects of a RoleBinding without failing as it
// looks for the namespaces of the ServiceAccounts they name: each a mapping, with a string kind
// where it has a namespace, and a string namespace for a ServiceAccount.
func subjectsKept(subjects *yaml.Node) bool {
	if subjects == nil || subjects.Kind != yaml.SequenceNode {
		return true // kustomize does not look
	}
	for _, s := range subjects.Content {
		if s.Kind != yaml.MappingNode {
			return false
		}
		kind, ns := rawValue(s, "kind"), rawValue(s, "namespace")
		if ns != nil && kind != nil && (!isString(kind, "") || kind.Value == "ServiceAccount" && !isString(ns, "")) {
			return false
		}
	}
	return true
}

// isString reports whether n is a string scalar, and the value want when want is not "".
func isString(n *yaml.Node, want string) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!str" && (want == "" || n.Value == want)
}
