package kustomize

import (
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ekslint/ekslint/lint"
)

// locator prepares the placing of one built object's fields: where it came from, and which
// patches and transformer settings were applied to it.
func (b *build) locator(r resourceOut) *locator {
	root := b.kusts[b.dir]
	l := &locator{fallback: startOf(root.text.Name)}
	if r.source == "" {
		if pos, ok := b.generator(r); ok {
			l.generated = &pos
		}
		return l
	}
	abs := r.source
	docs, _ := b.cache.get(abs).parse(b.cache, b.display(abs))
	chain, names, obj := b.origin(abs, docs, r)
	if obj == nil {
		l.fallback = startOf(b.display(abs))
		return l
	}
	l.origin = &tree{root: obj, place: b.placer(abs)}
	for i, k := range chain {
		l.writers = append(l.writers, settings(k)...)
		l.writers = append(l.writers, b.patchWriters(k, r, names[i])...)
		next := ""
		if i+1 < len(chain) {
			next = chain[i+1].dir
		}
		for _, e := range slices.Backward(b.edges[k.dir]) {
			if e.component && e.dir != next {
				l.writers = append(l.writers, b.componentWriters(e.dir, r, names[i], map[string]bool{})...)
			}
		}
	}
	return l
}

// descend calls at with each path of kustomizations from the overlay down (the overlay first,
// then depth first in the order each includes the next), until at returns true. Kustomize builds
// a kustomization once for each path that includes it, so an object comes through a path, not
// just a folder. The overlay was built, so its kustomizations include each other without cycles.
func (b *build) descend(at func(path []*kustFile) bool) {
	var path []*kustFile
	var dfs func(dir string) bool
	dfs = func(dir string) bool {
		k := b.kusts[dir]
		path = append(path, k)
		defer func() { path = path[:len(path)-1] }()
		if at(path) {
			return true
		}
		for _, e := range b.edges[dir] {
			if dfs(e.dir) {
				return true
			}
		}
		return false
	}
	dfs(b.dir)
}

// origin finds the object in its base file and the kustomizations it came through, from the
// overlay down to the one naming the file. A file can be reached along several paths (a base
// included twice, with different prefixes); the path whose prefixes and suffixes turn the
// object's name in the file into its built name is the one it came through.
func (b *build) origin(abs string, docs []*yaml.Node, r resourceOut) (chain []*kustFile, names []string, obj *yaml.Node) {
	const maxPaths = 64
	seen := 0
	b.descend(func(path []*kustFile) bool {
		if !slices.Contains(b.resources[path[len(path)-1].dir], abs) {
			return false
		}
		seen++
		ns, exact := levelNames(path, r.name)
		if o := findObject(docs, r.kind, ns[len(ns)-1]); o != nil && (exact || chain == nil) {
			chain, names, obj = slices.Clone(path), ns, o
			if exact {
				return true
			}
		}
		return seen >= maxPaths
	})
	return chain, names, obj
}

// A generatorSite is where a ConfigMap or Secret generator is written: an entry of
// configMapGenerator or secretGenerator, or a builtin generator config a `generators` entry names.
type generatorSite struct {
	kind string // what it makes: ConfigMap or Secret
	name string
	pos  lint.Pos
}

// generator finds where a generated object's generator is written: along a path from the
// overlay down, the generator of the kustomization whose name for the object, before the
// prefixes and suffixes above, is the generator's name with kustomize's hash suffix (or without,
// when the hash is turned off).
func (b *build) generator(r resourceOut) (pos lint.Pos, found bool) {
	b.descend(func(path []*kustFile) bool {
		names, _ := levelNames(path, r.name)
		made := names[len(names)-1]
		for _, g := range b.generators[path[len(path)-1].dir] {
			if g.kind == r.kind && (made == g.name || len(made) == len(g.name)+1+hashLength && strings.HasPrefix(made, g.name+"-")) {
				pos, found = g.pos, true
				return true
			}
		}
		return false
	})
	return pos, found
}

// hashLength is the length of the suffix kustomize appends to generated names.
const hashLength = 10

// levelNames returns the object's name as each kustomization of chain sees it, from the built
// name: each kustomization's patches name the object as the kustomizations below it left it,
// before its own namePrefix and nameSuffix. The last is the name in the base file. exact is
// false when a prefix or suffix does not match (the name was changed some other way).
func levelNames(chain []*kustFile, built string) (names []string, exact bool) {
	names = make([]string, len(chain))
	name, exact := built, true
	for i, k := range chain {
		p, s := k.namePrefix.str(), k.nameSuffix.str()
		if !strings.HasPrefix(name, p) || !strings.HasSuffix(name[len(p):], s) {
			exact = false
		}
		name = strings.TrimSuffix(strings.TrimPrefix(name, p), s)
		names[i] = name
	}
	return names, exact
}

// findObject finds the object kind/name among the documents of its base file (Lists included).
func findObject(docs []*yaml.Node, kind, name string) *yaml.Node {
	var byKind []*yaml.Node
	var visit func(n *yaml.Node)
	visit = func(n *yaml.Node) {
		if mapGet(n, "kind").Value == kind {
			byKind = append(byKind, n)
		}
		if strings.HasSuffix(mapGet(n, "kind").Value, "List") {
			for _, it := range items(mapGet(n, "items")) {
				visit(it)
			}
		}
	}
	for _, d := range docs {
		visit(d)
	}
	for _, n := range byKind {
		if mapGet(mapGet(n, "metadata"), "name").Value == name {
			return n
		}
	}
	if len(byKind) == 1 {
		return byKind[0]
	}
	return nil
}

// patchWriters returns k's patches that apply to the object, last first; name is the object's
// name as k sees it.
func (b *build) patchWriters(k *kustFile, r resourceOut, name string) []writer {
	var ws []writer
	for _, p := range slices.Backward(k.patches) {
		docs, place, ok := b.patchDocs(k, p)
		if !ok {
			continue
		}
		if len(docs) == 1 && docs[0].Kind == yaml.SequenceNode {
			if p.target != nil && targets(p.target, r, name) {
				ws = append(ws, newJSONPatch(docs[0], place))
			}
			continue
		}
		for _, d := range slices.Backward(docs) {
			if p.target != nil && targets(p.target, r, name) ||
				p.target == nil && mapGet(d, "kind").Value == r.kind && mapGet(mapGet(d, "metadata"), "name").Value == name {
				ws = append(ws, &smPatch{tree{root: d, place: place}})
			}
		}
	}
	return ws
}

// patchDocs returns the documents of patch p of kustomization k, and what places their nodes.
func (b *build) patchDocs(k *kustFile, p *patchSpec) ([]*yaml.Node, func(key, val *yaml.Node) lint.Pos, bool) {
	if p.inline != nil {
		return p.inline.docs, p.inline.pos, true
	}
	abs, err := b.cache.resolve(filepath.Join(k.dir, p.path))
	if err != nil {
		return nil, nil, false
	}
	if _, err := b.text(abs); err != nil {
		return nil, nil, false
	}
	docs, _ := b.cache.get(abs).parse(b.cache, b.display(abs))
	return docs, b.placer(abs), true
}

// componentWriters returns the settings and patches of a component and of the components it
// includes, last first.
func (b *build) componentWriters(dir string, r resourceOut, name string, seen map[string]bool) []writer {
	k := b.kusts[dir]
	if k == nil || seen[dir] {
		return nil
	}
	seen[dir] = true
	ws := append(settings(k), b.patchWriters(k, r, name)...)
	for _, e := range slices.Backward(b.edges[dir]) {
		if e.component {
			ws = append(ws, b.componentWriters(e.dir, r, name, seen)...)
		}
	}
	return ws
}

// targets reports whether a patch target selects the object. Kind, name, group and version are
// regular expressions matched in full, as kustomize matches them; label and annotation
// selectors are not evaluated (they would need the labels at the time the patch ran), so such a
// patch is taken to apply: a scalar it writes is still checked by value.
func targets(t *yaml.Node, r resourceOut, name string) bool {
	group, version := "", r.apiVersion
	if g, v, ok := strings.Cut(r.apiVersion, "/"); ok {
		group, version = g, v
	}
	for _, f := range [][2]string{{"kind", r.kind}, {"name", name}, {"group", group}, {"version", version}} {
		want := mapGet(t, f[0])
		if want.Kind != yaml.ScalarNode || want.Value == "" {
			continue
		}
		re, err := regexp.Compile("^(?:" + want.Value + ")$")
		if err != nil {
			if want.Value != f[1] {
				return false
			}
			continue
		}
		if !re.MatchString(f[1]) {
			return false
		}
	}
	return true
}
