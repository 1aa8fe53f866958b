package discover

import (
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/fsroot"
	"github.com/ekslint/ekslint/lint/kustomize"
	"github.com/ekslint/ekslint/lint/load"
)

// kustomizationInfo is what discovery needs from one kustomization file.
type kustomizationInfo struct {
	component bool     // kind: Component: built only as part of an overlay
	includes  []string // absolute paths of the local files and folders it names
}

// readKustomization reads the kustomization file in dir for discovery: which local paths it
// names. It never fetches; remote entries name no local path and are left to the loader, which
// refuses them. A file that cannot be read or parsed includes nothing here; the loader reports it.
func readKustomization(root *fsroot.Root, dir string) kustomizationInfo {
	var info kustomizationInfo
	file := kustomize.FileIn(root, dir)
	if file == "" {
		return info
	}
	data, err := root.ReadFile(file)
	if err != nil {
		return info
	}
	t := lint.NewText(file, data)
	if load.CheckText(t) != nil {
		return info
	}
	var doc *yaml.Node
	load.ParseYAML(t, load.DefaultLimits(), func(r *yaml.Node) {
		if doc == nil {
			doc = r
		}
	})
	if doc == nil || doc.Kind != yaml.MappingNode {
		return info
	}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		if doc.Content[i].Value == "kind" && doc.Content[i+1].Value == "Component" {
			info.component = true
		}
	}
	for _, r := range kustomize.Refs(doc) {
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
	root       *fsroot.Root
	kusts      map[string]kustomizationInfo // by folder
	includedBy map[string][]string          // a file or folder → the kustomization folders naming it
}

func (d *discovery) graph(root *fsroot.Root) *kustomizeGraph {
	if g := d.graphs[root]; g != nil {
		return g
	}
	g := &kustomizeGraph{root: root, kusts: map[string]kustomizationInfo{}, includedBy: map[string][]string{}}
	d.graphs[root] = g
	// The walk skips what discovery skips: hidden folders, symlinked folders (WalkDir does not
	// follow them) and charts.
	top := root.Dir()
	root.WalkDir(top, func(path string, e fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return nil
		case path != top && strings.HasPrefix(e.Name(), "."):
			if e.IsDir() {
				return filepath.SkipDir
			}
		case e.IsDir():
			if isChart(root, path) {
				return filepath.SkipDir
			}
		case slices.Contains(kustomize.FileNames, e.Name()) && e.Type().IsRegular():
			dir := filepath.Dir(path)
			if _, ok := g.kusts[dir]; !ok {
				g.add(dir, readKustomization(root, dir))
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
	return readKustomization(g.root, dir)
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
		} else if !ok && p == path && isOverlay(g.root, p) && !g.info(p).component {
			out = append(out, p)
		}
	}
	up(path)
	return out
}

// inOverlay reports whether dir is a kustomization folder or inside one, up to the lint root.
func (g *kustomizeGraph) inOverlay(dir string) bool {
	for d := dir; fsroot.Within(d, g.root.Dir()); d = filepath.Dir(d) {
		if _, ok := g.kusts[d]; ok {
			return true
		}
		if d == g.root.Dir() || filepath.Dir(d) == d {
			break
		}
	}
	return false
}
