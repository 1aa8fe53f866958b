package lint

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A KustomizationRef is a path or URL a kustomization file names: a resource, base, component,
// patch, generator source or plugin config. Discovery follows the local ones to learn what an
// overlay includes; the Kustomize loader checks every one before anything is built.
type KustomizationRef struct {
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
	// RefResource is a file of objects, or a kustomization folder (resources).
	RefResource RefKind = iota
	// RefKustomization is a kustomization folder (bases, components).
	RefKustomization
	// RefYAML is a file kustomize reads as YAML (patches, crds, configurations, openapi, replacements).
	RefYAML
	// RefData is a file kustomize reads as data (configMapGenerator and secretGenerator files and envs).
	RefData
	// RefPlugin is a plugin config: a file of configs, a kustomization folder producing them, or
	// inline YAML (generators, transformers, validators).
	RefPlugin
)

// KustomizationRefs lists every path or URL a kustomization file names, in file order. root is
// the file's parsed document; fields of the wrong shape are skipped (kustomize reports them).
func KustomizationRefs(root *yaml.Node) []KustomizationRef {
	var refs []KustomizationRef
	add := func(field string, kind RefKind, n *yaml.Node) *KustomizationRef {
		if n == nil || n.Kind != yaml.ScalarNode || n.Value == "" {
			return nil
		}
		r := KustomizationRef{Field: field, Value: n.Value, Kind: kind, Node: n}
		if kind == RefYAML || kind == RefPlugin {
			r.Inline = IsInlineYAML(n.Value)
		}
		refs = append(refs, r)
		return &refs[len(refs)-1]
	}
	list := func(field string, kind RefKind, seq *yaml.Node) {
		for _, it := range seqItems(seq) {
			add(field, kind, it)
		}
	}
	for i := 0; root != nil && root.Kind == yaml.MappingNode && i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i].Value, root.Content[i+1]
		switch key {
		case "resources":
			list(key, RefResource, val)
		case "bases", "components":
			list(key, RefKustomization, val)
		case "crds", "configurations":
			list(key, RefYAML, val)
		case "patchesStrategicMerge":
			list(key, RefYAML, val)
		case "generators", "transformers", "validators":
			list(key, RefPlugin, val)
		case "openapi":
			add(key+".path", RefYAML, mapValue(val, "path"))
		case "patches", "patchesJson6902", "replacements":
			for j, it := range seqItems(val) {
				add(key+"["+strconv.Itoa(j)+"].path", RefYAML, mapValue(it, "path"))
			}
		case "configMapGenerator", "secretGenerator":
			for j, it := range seqItems(val) {
				at := key + "[" + strconv.Itoa(j) + "]"
				for _, f := range seqItems(mapValue(it, "files")) {
					// `key=path` names the file after the key.
					if _, p, ok := strings.Cut(f.Value, "="); ok {
						if r := add(at+".files", RefData, f); r != nil {
							r.Value = p
						}
					} else {
						add(at+".files", RefData, f)
					}
				}
				list(at+".envs", RefData, mapValue(it, "envs"))
				add(at+".env", RefData, mapValue(it, "env"))
			}
		}
	}
	return refs
}

// IsInlineYAML tells YAML written in a kustomization field (an inline patch or plugin config)
// from a file name, as kustomize does for patchesStrategicMerge, generators and transformers.
func IsInlineYAML(s string) bool { return strings.Contains(s, "\n") || strings.Contains(s, ": ") }

func seqItems(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// mapValue returns the value of key in mapping m, or nil.
func mapValue(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// KustomizationFile returns the kustomization file in dir, or "" when dir is not a Kustomize
// overlay, base or component.
func KustomizationFile(dir string) string {
	for _, n := range KustomizationNames {
		if p := filepath.Join(dir, n); exists(p) {
			return p
		}
	}
	return ""
}

// kustomizationInfo is what discovery needs from one kustomization file.
type kustomizationInfo struct {
	component bool     // kind: Component: built only as part of an overlay
	includes  []string // absolute paths of the local files and folders it names
}

// readKustomization reads the kustomization file in dir for discovery: which local paths it
// names. It never fetches; remote entries name no local path and are left to the loader, which
// refuses them. A file that cannot be read or parsed includes nothing here; the loader reports it.
func readKustomization(dir string) kustomizationInfo {
	var info kustomizationInfo
	file := KustomizationFile(dir)
	st, err := os.Stat(file)
	if err != nil || st.Size() > defaultMaxFileSize {
		return info
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return info
	}
	t := NewText(file, data)
	if CheckText(t) != nil {
		return info
	}
	var root *yaml.Node
	ParseYAML(t, DefaultLimits(), func(r *yaml.Node) {
		if root == nil {
			root = r
		}
	})
	if root == nil {
		return info
	}
	info.component = mapValue(root, "kind") != nil && mapValue(root, "kind").Value == "Component"
	for _, r := range KustomizationRefs(root) {
		if r.Inline || strings.Contains(r.Value, "://") {
			continue
		}
		p := r.Value
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		info.includes = append(info.includes, filepath.Clean(p))
	}
	return info
}

// kustomizeGraph is what the kustomizations in a lint root include, read once per root: it lets
// discovery lint a base or a patch through the overlays that use it.
type kustomizeGraph struct {
	root       string
	kusts      map[string]kustomizationInfo // by folder
	includedBy map[string][]string          // a file or folder → the kustomization folders naming it
}

func (d *discovery) graph(root string) *kustomizeGraph {
	if g := d.graphs[root]; g != nil {
		return g
	}
	g := &kustomizeGraph{root: root, kusts: map[string]kustomizationInfo{}, includedBy: map[string][]string{}}
	d.graphs[root] = g
	// The walk skips what discovery skips: hidden folders, symlinked folders (WalkDir does not
	// follow them) and charts.
	filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return nil
		case path != root && strings.HasPrefix(e.Name(), "."):
			if e.IsDir() {
				return filepath.SkipDir
			}
		case e.IsDir():
			if isChart(path) {
				return filepath.SkipDir
			}
		case slices.Contains(KustomizationNames, e.Name()) && e.Type().IsRegular():
			dir := filepath.Dir(path)
			if _, ok := g.kusts[dir]; !ok {
				g.add(dir, readKustomization(dir))
			}
		}
		return nil
	})
	return g
}

func (g *kustomizeGraph) add(dir string, info kustomizationInfo) {
	g.kusts[dir] = info
	for _, p := range info.includes {
		if !slices.Contains(g.includedBy[p], dir) {
			g.includedBy[p] = append(g.includedBy[p], dir)
		}
	}
}

// info is what the kustomization in dir says, read now when the walk did not reach it (a folder
// named on the command line inside a hidden folder).
func (g *kustomizeGraph) info(dir string) kustomizationInfo {
	if info, ok := g.kusts[dir]; ok {
		return info
	}
	return readKustomization(dir)
}

// overlaysOf returns the overlays that include path (a file, or a kustomization folder),
// directly or through bases and components: the kustomizations above it that nothing includes.
// A kustomization nothing includes is its own overlay, unless it is a component.
func (g *kustomizeGraph) overlaysOf(path string) []string {
	var out []string
	seen := map[string]bool{}
	var up func(p string)
	up = func(p string) {
		if seen[p] {
			return
		}
		seen[p] = true
		if parents := g.includedBy[p]; len(parents) > 0 {
			for _, k := range parents {
				up(k)
			}
			return
		}
		if info, ok := g.kusts[p]; ok && !info.component {
			out = append(out, p)
		} else if !ok && p == path && isOverlay(p) && !g.info(p).component {
			out = append(out, p)
		}
	}
	up(path)
	return out
}

// inOverlay reports whether dir is a kustomization folder or inside one, up to the lint root.
func (g *kustomizeGraph) inOverlay(dir string) bool {
	for d := dir; Within(d, g.root); d = filepath.Dir(d) {
		if _, ok := g.kusts[d]; ok {
			return true
		}
		if d == g.root || filepath.Dir(d) == d {
			break
		}
	}
	return false
}
