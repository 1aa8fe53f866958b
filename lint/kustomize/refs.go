package kustomize

import (
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ekslint/ekslint/lint/fsroot"
)

// A Ref is a path or URL a kustomization file names: a resource, base, component,
// patch, generator source or plugin config. Discovery follows the local ones to learn what an
// overlay includes; the Kustomize loader checks every one before anything is built.
type Ref struct {
	// Field is where the entry is written: "resources", "patches[2].path", "configMapGenerator[0].files".
	Field string
	// Value is the path or URL as written (for a generator file, without its `key=`).
	Value string
	// Kind says what the entry may name.
	Kind RefKind
	// Inline is set for entries that hold YAML rather than name a file: an inline strategic merge
	// patch in patchesStrategicMerge, an inline plugin config in transformers.
	Inline bool
	// Node is the scalar holding the entry, for its position.
	Node *yaml.Node
}

// RefKind says what a kustomization entry may name.
type RefKind int

const (
	// RefResource is a file of objects, or a kustomization folder (resources, and bases, which
	// kustomize reads as resources listed after the others).
	RefResource RefKind = iota
	// RefKustomization is a kustomization folder (components).
	RefKustomization
	// RefYAML is a file kustomize reads as YAML (patches, crds, configurations, openapi, replacements).
	RefYAML
	// RefData is a file kustomize reads as data (configMapGenerator and secretGenerator files and envs).
	RefData
	// RefPlugin is a plugin config: a file of configs, a kustomization folder producing them, or
	// inline YAML (generators, transformers, validators).
	RefPlugin
)

// Refs lists every path or URL a kustomization file names, in file order but for bases, which
// come after the resources as kustomize reads them. root is the file's parsed document; fields of
// the wrong shape are skipped (kustomize reports them).
func Refs(root *yaml.Node) []Ref {
	var refs []Ref
	add := func(field string, kind RefKind, n *yaml.Node) *Ref {
		if n == nil || n.Kind != yaml.ScalarNode || n.Value == "" {
			return nil
		}
		r := Ref{Field: field, Value: n.Value, Kind: kind, Node: n}
		if kind == RefYAML || kind == RefPlugin {
			r.Inline = IsInlineYAML(n.Value)
		}
		refs = append(refs, r)
		return &refs[len(refs)-1]
	}
	list := func(field string, kind RefKind, seq *yaml.Node) {
		for _, it := range items(seq) {
			add(field, kind, it)
		}
	}
	var bases *yaml.Node
	for i := 0; root != nil && root.Kind == yaml.MappingNode && i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i].Value, root.Content[i+1]
		switch key {
		case "resources":
			list(key, RefResource, val)
			list("bases", RefResource, bases)
			bases = nil
		case "bases":
			bases = val
		case "components":
			list(key, RefKustomization, val)
		case "crds", "configurations":
			list(key, RefYAML, val)
		case "patchesStrategicMerge":
			list(key, RefYAML, val)
		case "generators", "transformers", "validators":
			list(key, RefPlugin, val)
		case "openapi":
			add(key+".path", RefYAML, mapGet(val, "path"))
		case "patches", "patchesJson6902", "replacements":
			for j, it := range items(val) {
				add(key+"["+strconv.Itoa(j)+"].path", RefYAML, mapGet(it, "path"))
			}
		case "configMapGenerator", "secretGenerator":
			for j, it := range items(val) {
				at := key + "[" + strconv.Itoa(j) + "]"
				for _, f := range items(mapGet(it, "files")) {
					// `key=path` names the file after the key.
					if _, p, ok := strings.Cut(f.Value, "="); ok {
						if r := add(at+".files", RefData, f); r != nil {
							r.Value = p
						}
					} else {
						add(at+".files", RefData, f)
					}
				}
				list(at+".envs", RefData, mapGet(it, "envs"))
				add(at+".env", RefData, mapGet(it, "env"))
			}
		}
	}
	list("bases", RefResource, bases)
	return refs
}

// IsInlineYAML tells YAML written in a kustomization field (an inline patch or plugin config)
// from a file name, as kustomize does for patchesStrategicMerge, generators and transformers.
func IsInlineYAML(s string) bool { return strings.Contains(s, "\n") || strings.Contains(s, ": ") }

// FileNames are the file names that make a folder a Kustomize overlay, in the order kustomize
// looks for them.
var FileNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// FileIn returns the kustomization file in dir, or "" when dir is not a Kustomize overlay, base
// or component (or is not inside root).
func FileIn(root *fsroot.Root, dir string) string {
	for _, n := range FileNames {
		if p := filepath.Join(dir, n); root.IsFile(p) {
			return p
		}
	}
	return ""
}
