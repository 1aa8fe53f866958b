package discover

import (
	"path/filepath"
	"regexp"
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
	// foreign is set for a file named as a kustomization whose apiVersion is another API's: Flux's
	// Kustomization objects (kustomize.toolkit.fluxcd.io) are kept so named. Kustomize refuses
	// it; it is a manifest, and its folder no overlay.
	foreign bool
}

// maxKustomizationFile bounds a kustomization read to learn what it includes: a real one is a
// few KiB. One over it includes nothing here; the loader reports it, if its overlay is linted.
const maxKustomizationFile = 1 << 20

// readKustomization reads the kustomization file in dir for discovery: which local paths it
// names. It never fetches; remote entries name no local path and are left to the loader, which
// refuses them. A file that cannot be read or parsed includes nothing here; the loader reports it.
func readKustomization(root *fsroot.Root, dir string) kustomizationInfo {
	var info kustomizationInfo
	file := kustomize.FileIn(root, dir)
	if file == "" {
		return info
	}
	data, err := root.ReadFileLimit(file, maxKustomizationFile)
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
		switch key, val := doc.Content[i].Value, doc.Content[i+1]; {
		case key == "kind" && val.Value == "Component":
			info.component = true
		case key == "apiVersion" && val.Kind == yaml.ScalarNode && val.Value != "" && !strings.HasPrefix(val.Value, kustomizeGroup+"/"):
			return kustomizationInfo{foreign: true}
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

// kustomizeGroup is the API group of kustomization files; kustomize refuses any other apiVersion.
const kustomizeGroup = "kustomize.config.k8s.io"

// add records what the kustomization in dir includes.
func (r *repo) add(dir string, info kustomizationInfo) {
	r.kusts[dir] = info
	for _, p := range info.includes {
		if !slices.Contains(r.includedBy[p], dir) {
			r.includedBy[p] = append(r.includedBy[p], dir)
		}
		r.namedDirs[filepath.Dir(p)] = true
	}
}

// kustomizationsBusiness reports whether the YAML file abs, which no kustomization includes, is a
// kustomization's business (an unused patch, a plugin config) rather than a manifest of its own:
// it is in a kustomization's folder, or in a folder below one that holds files a kustomization
// names (an unused patch beside the used ones). A folder below that no kustomization reaches into
// holds manifests of its own: kube-state-metrics' root kustomization names examples/standard, and
// examples/daemonsetsharding beside it is linted. An eksctl config or a CloudFormation template is
// nobody's patch.
func (r *repo) kustomizationsBusiness(abs string) bool {
	dir := filepath.Dir(abs)
	if !r.isOverlayDir(dir) && !(r.namedDirs[dir] && r.inOverlay(dir)) {
		return false
	}
	return !eksctlOrCloudFormation.Match(r.head(abs, sniffedBytes))
}

// sniffedBytes is how much of a file kustomizationsBusiness reads to tell what it is: the head,
// where eksctl's apiVersion and CloudFormation's format version are written (a template without
// one has its Resources after its Parameters), not whole files a walk would otherwise skip.
const sniffedBytes = 16 << 10

// eksctlOrCloudFormation finds, at the start of a line, what eksctl configs and CloudFormation
// templates have and Kubernetes objects never do.
var eksctlOrCloudFormation = regexp.MustCompile(`(?m)^(?:apiVersion:\s*["']?eksctl\.io/|AWSTemplateFormatVersion:|Resources:\s*$)`)

// info is what the kustomization in dir says, read now when no walk did (a folder named inside a
// hidden folder).
func (r *repo) info(dir string) kustomizationInfo {
	if info, ok := r.kusts[dir]; ok {
		return info
	}
	return readKustomization(r.root, dir)
}

// overlaysOf returns the overlays that include path (a file, or a kustomization folder when
// folder is set), directly or through bases and components: the kustomizations above it that
// nothing includes. A kustomization nothing includes is its own overlay, unless it is a component.
// A file is never one, so only a folder is looked into: three stats of names inside each of
// hundreds of files were most of discovery's time.
func (r *repo) overlaysOf(path string, folder bool) []string {
	var out []string
	seen := map[string]bool{}
	var up func(p string)
	up = func(p string) {
		if seen[p] {
			return
		}
		seen[p] = true
		if parents := r.includedBy[p]; len(parents) > 0 {
			for _, k := range parents {
				up(k)
			}
			return
		}
		if info, ok := r.kusts[p]; ok && !info.component {
			out = append(out, p)
		} else if !ok && p == path && folder && r.isOverlayDir(p) && !r.info(p).component {
			out = append(out, p)
		}
	}
	up(path)
	return out
}

// soleBases returns the kustomization folders dir includes directly that no overlay but top
// includes (load.Input.Bases; dir is top or one of its bases), components aside: a component
// cannot be built alone.
func (r *repo) soleBases(dir, top string) []string {
	var out []string
	for _, p := range r.info(dir).includes {
		if p == dir || !r.isOverlayDir(p) || r.info(p).component {
			continue
		}
		if overlays := r.overlaysOf(p, true); len(overlays) == 1 && overlays[0] == top {
			out = append(out, p)
		}
	}
	return out
}
