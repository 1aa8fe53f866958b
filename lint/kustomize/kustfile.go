package kustomize

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/load"
)

// kustFile is what the loader needs from one kustomization file: the entries it checks and
// follows before kustomize runs, and the settings a finding may land on (patches, generators and
// transformers). It is read once per run and shared by every overlay that includes the file.
type kustFile struct {
	file *file
	dir  string
	text *lint.Text
	root *yaml.Node

	refs    []Ref
	helm    []*yaml.Node // keys of the Helm fields, which are refused
	patches []*patchSpec

	namespace, namePrefix, nameSuffix keyVal
	labels                            []labelSet
	commonAnnotations                 keyVal
	images, replicas                  []*yaml.Node // list items
	generators                        []generatorEntry
	deprecated                        []*yaml.Node // keys of fields kustomize deprecates
	// replacements counts, for each object a build of the kustomization holds, the lookups its
	// replacements make (replacementWork), those of files and ReplacementTransformer configs
	// added as they are read; replacementsAt is where the first was written.
	replacements   float64
	replacementsAt lint.Pos
	vars           *yaml.Node // the vars list
}

// deprecatedFields are the kustomization fields kustomize warns about (types.Kustomization
// CheckDeprecatedFields), with what replaces each. kustomize prints its warnings to stderr with
// no file or line; ekslint reports them as notes on the field instead.
var deprecatedFields = map[string]string{
	"bases":                 "resources",
	"commonLabels":          "labels",
	"imageTags":             "images",
	"patchesJson6902":       "patches",
	"patchesStrategicMerge": "patches",
	"vars":                  "replacements",
}

type keyVal struct{ key, val *yaml.Node }

// str is the setting's value, "" when it is not set.
func (kv keyVal) str() string {
	if kv.val == nil {
		return ""
	}
	return kv.val.Value
}

// labelSet is one `labels` entry, or commonLabels (which also reach selectors).
type labelSet struct {
	pairs                *yaml.Node // mapping
	selectors, templates bool
}

// generatorEntry is one configMapGenerator or secretGenerator entry.
type generatorEntry struct {
	kind string // "ConfigMap" or "Secret"
	name string
	item *yaml.Node
}

// patchSpec is one patch a kustomization applies: a file, or YAML written inline.
type patchSpec struct {
	item   *yaml.Node // its entry in the kustomization
	path   string     // the file, relative to the kustomization; "" when inline
	inline *embedded  // inline patch text
	target *yaml.Node // the target selector mapping, when given
}

// newKustFile reads the parsed kustomization document root of f; inline patches are parsed with
// the run's limits.
func newKustFile(f *file, dir string, text *lint.Text, root *yaml.Node, lim load.Limits) *kustFile {
	k := &kustFile{file: f, dir: dir, text: text, root: root, refs: Refs(root)}
	if root == nil || root.Kind != yaml.MappingNode {
		return k
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i], root.Content[i+1]
		if _, ok := deprecatedFields[key.Value]; ok {
			k.deprecated = append(k.deprecated, key)
		}
		switch key.Value {
		case "helmCharts", "helmChartInflationGenerator", "helmGlobals":
			k.helm = append(k.helm, key)
		case "namespace":
			k.namespace = keyVal{key, val}
		case "namePrefix":
			k.namePrefix = keyVal{key, val}
		case "nameSuffix":
			k.nameSuffix = keyVal{key, val}
		case "commonLabels":
			k.labels = append(k.labels, labelSet{pairs: val, selectors: true, templates: true})
		case "labels":
			for _, it := range items(val) {
				k.labels = append(k.labels, labelSet{
					pairs:     mapGet(it, "pairs"),
					selectors: isTrue(mapGet(it, "includeSelectors")),
					templates: isTrue(mapGet(it, "includeTemplates")) || isTrue(mapGet(it, "includeSelectors")),
				})
			}
		case "commonAnnotations":
			k.commonAnnotations = keyVal{key, val}
		case "images", "imageTags":
			k.images = append(k.images, items(val)...)
		case "replicas":
			k.replicas = append(k.replicas, items(val)...)
		case "vars":
			k.vars = val
		case "replacements":
			for _, it := range items(val) {
				k.addReplacements(at(text, key, key), it)
			}
		case "configMapGenerator", "secretGenerator":
			kind := "ConfigMap"
			if key.Value == "secretGenerator" {
				kind = "Secret"
			}
			for _, it := range items(val) {
				k.generators = append(k.generators, generatorEntry{kind: kind, name: mapGet(it, "name").Value, item: it})
			}
		case "patches", "patchesJson6902":
			for _, it := range items(val) {
				_, target := mapEntry(it, "target")
				p := &patchSpec{item: it, target: target}
				if n := mapGet(it, "path"); n.Value != "" {
					p.path = n.Value
				} else if n := mapGet(it, "patch"); n.Kind == yaml.ScalarNode && n.Value != "" {
					p.inline = newEmbedded(text, mapKey(it, "patch"), n, lim)
				} else {
					continue
				}
				k.patches = append(k.patches, p)
			}
		case "patchesStrategicMerge":
			for _, it := range items(val) {
				p := &patchSpec{item: it}
				if IsInlineYAML(it.Value) {
					p.inline = newEmbedded(text, nil, it, lim)
				} else {
					p.path = it.Value
				}
				k.patches = append(k.patches, p)
			}
		}
	}
	return k
}

// addReplacements adds the work of the replacement n (or list of them, as a replacements file
// may hold) to k's, written at pos; an entry naming a file adds nothing until the file is read.
func (k *kustFile) addReplacements(pos lint.Pos, n *yaml.Node) {
	if n.Kind == yaml.SequenceNode {
		for _, it := range n.Content {
			k.addReplacements(pos, it)
		}
		return
	}
	if w := replacementWork(n); w > 0 {
		if k.replacements == 0 {
			k.replacementsAt = pos
		}
		k.replacements = add(k.replacements, w)
	}
}

// replacementWork is what one replacement costs kustomize for each object it holds: it looks
// for its source among them, and each target tries every one of them and, on those it selects,
// each of its field paths (measured: a replacement's target of one field path over 1,000
// objects that selects one of them takes as long as one that selects all).
func replacementWork(n *yaml.Node) float64 {
	if n.Kind != yaml.MappingNode || mapGet(n, "path").Value != "" {
		return 0
	}
	w := 1.0
	for _, t := range items(mapGet(n, "targets")) {
		w += float64(max(1, len(items(mapGet(t, "fieldPaths")))))
	}
	return w
}

// embedded is YAML kept in a string of a kustomization file (an inline patch). When the string
// is a literal block scalar (`|`), its lines are the file's lines, and findings land on them
// exactly; otherwise they land on the string.
type embedded struct {
	outer    *lint.Text
	key      *yaml.Node // the key naming the string, or nil for a list item
	scalar   *yaml.Node
	inner    *lint.Text
	exact    bool
	indent   int
	docs     []*yaml.Node
	problems []lint.Problem
}

func newEmbedded(outer *lint.Text, key, scalar *yaml.Node, lim load.Limits) *embedded {
	e := &embedded{outer: outer, key: key, scalar: scalar, inner: lint.NewText(outer.Name, []byte(scalar.Value))}
	if scalar.Style&yaml.LiteralStyle != 0 {
		for l := scalar.Line + 1; l <= outer.Lines(); l++ {
			if b := outer.Line(l); len(strings.TrimSpace(string(b))) > 0 {
				e.exact, e.indent = true, len(b)-len(strings.TrimLeft(string(b), " "))
				break
			}
		}
	}
	// Problems, and the lines their messages name, are on the line inside the string when the
	// string's lines are the file's, else at the string.
	place := func(p lint.Pos) lint.Pos {
		if !e.exact || p.Line == 0 {
			return e.pos(nil, scalar)
		}
		p.File, p.Line = outer.Name, p.Line+scalar.Line
		if p.Column > 0 {
			p.Column += e.indent
		}
		return p
	}
	e.problems = load.ParseYAMLPlaced(e.inner, lim, place, func(root *yaml.Node, unlinted bool) {
		if !unlinted { // a broken inline patch keeps the overlay from being built
			e.docs = append(e.docs, root)
		}
	})
	return e
}

// pos places a node of the embedded YAML in the outer file.
func (e *embedded) pos(key, val *yaml.Node) lint.Pos {
	if !e.exact || val == e.scalar {
		return at(e.outer, e.key, e.scalar)
	}
	r := lint.FieldRange(e.inner, key, val)
	r.File = e.outer.Name
	r.Line += e.scalar.Line
	r.EndLine += e.scalar.Line
	r.Column += e.indent
	r.EndColumn += e.indent
	return r
}

func items(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

var nullNode = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}

// mapGet returns the value of key in mapping m, or an empty null node.
func mapGet(m *yaml.Node, key string) *yaml.Node {
	if _, v := mapEntry(m, key); v != nil {
		return v
	}
	return nullNode
}

// mapKey returns the key node of key in mapping m, or nil.
func mapKey(m *yaml.Node, key string) *yaml.Node {
	k, _ := mapEntry(m, key)
	return k
}

func mapEntry(m *yaml.Node, key string) (k, v *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			v := m.Content[i+1]
			if v.Kind == yaml.AliasNode && v.Alias != nil {
				v = v.Alias
			}
			return m.Content[i], v
		}
	}
	return nil, nil
}

func isTrue(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Value == "true" }
