package kustomize

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ekslint/ekslint/lint"
)

// scpUser is the `user@` that makes kustomize read `git@host:org/repo` as a git repository.
var scpUser = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9-]*@`)

// hostSubpath is a `host.tld/org/repo//subfolder` git URL without a scheme.
var hostSubpath = regexp.MustCompile(`^[^/]+\.[^/]+/.*//`)

// isRemote reports whether kustomize would fetch an entry instead of reading a local path:
// anything with a scheme (https://, http://, ssh://, file://, git::), github.com/org/repo,
// user@host:repo, a `?ref=` query or a `//` subfolder of a repository. Kustomize runs the git
// program for repositories and plain HTTP for files, with no way to turn either off, so these
// are refused before kustomize sees them.
func isRemote(s string) bool {
	l := strings.ToLower(strings.TrimSpace(s))
	return strings.Contains(l, "://") || strings.HasPrefix(l, "git::") ||
		strings.HasPrefix(l, "github.com/") || strings.HasPrefix(l, "github.com:") ||
		scpUser.MatchString(l) || strings.Contains(l, "?") || hostSubpath.MatchString(l)
}

// builtinKinds are the plugin configs kustomize runs from its own code (apiVersion: builtin).
// HelmChartInflationGenerator is left out: it runs the helm program.
var builtinKinds = map[string]bool{
	"AnnotationsTransformer": true, "ConfigMapGenerator": true, "IAMPolicyGenerator": true,
	"HashTransformer": true, "ImageTagTransformer": true, "LabelTransformer": true,
	"NamespaceTransformer": true, "PatchJson6902Transformer": true, "PatchStrategicMergeTransformer": true,
	"PatchTransformer": true, "PrefixTransformer": true, "SuffixTransformer": true,
	"PrefixSuffixTransformer": true, "ReplicaCountTransformer": true, "SecretGenerator": true,
	"ValueAddTransformer": true, "ReplacementTransformer": true, "SortOrderTransformer": true,
}

// functionAnnotations mark a config as a KRM function (container, exec or starlark).
var functionAnnotations = []string{"config.kubernetes.io/function", "config.k8s.io/function"}

// checkPluginConfigs checks the configs a generators, transformers or validators entry of k
// names: only kustomize's builtin generators and transformers run, and the files they read
// are checked like the kustomization's own entries. Generators are noted as run by served, the
// folder of the kustomization whose generators entry leads to them.
func (b *build) checkPluginConfigs(k *kustFile, r Ref, docs []*yaml.Node, place func(key, val *yaml.Node) lint.Pos, served string) {
	entry := r.Field + " entry"
	if !r.Inline {
		entry += " " + strconv.Quote(r.Value)
	}
	for _, doc := range docs {
		apiVersion, kind := mapGet(doc, "apiVersion"), mapGet(doc, "kind")
		at := place(mapKey(doc, "kind"), kind)
		if mapKey(doc, "kind") == nil {
			at = place(nil, doc)
		}
		annotations := mapGet(mapGet(doc, "metadata"), "annotations")
		if fn := firstKey(annotations, functionAnnotations); fn != nil {
			b.problem(place(fn, mapGet(annotations, fn.Value)), "%s: %s is a KRM function (%s): not run (ekslint never runs code from the repository)", entry, kind.Value, fn.Value)
			continue
		}
		switch {
		case apiVersion.Value != "builtin":
			b.problem(at, "%s: %s (apiVersion %s) is a kustomize plugin: not run (ekslint runs only kustomize's builtin generators and transformers, never plugins)", entry, kind.Value, apiVersion.Value)
			continue
		case kind.Value == "HelmChartInflationGenerator":
			b.problem(at, "%s: HelmChartInflationGenerator runs the helm program: not rendered (lint the chart folder itself)", entry)
			continue
		case !builtinKinds[kind.Value]:
			b.problem(at, "%s: %s is not one of kustomize's builtin generators or transformers: not run", entry, kind.Value)
			continue
		}
		b.checkFieldPaths(doc, false, place)
		if kind.Value == "ReplacementTransformer" {
			k.addReplacements(at, mapGet(doc, "replacements"))
		}
		if made, ok := strings.CutSuffix(kind.Value, "Generator"); ok && (made == "ConfigMap" || made == "Secret") {
			// kustomize names what it makes by `name`, else by the config's own name.
			key, name := mapKey(doc, "name"), mapGet(doc, "name")
			if name.Value == "" {
				key, name = mapKey(mapGet(doc, "metadata"), "name"), mapGet(mapGet(doc, "metadata"), "name")
			}
			b.generators[served] = append(b.generators[served], generatorSite{kind: made, name: name.Value, pos: place(key, name)})
		}
		// Files a builtin config names are read relative to the kustomization listing it.
		var paths []*yaml.Node
		paths = append(paths, mapGet(doc, "path"), mapGet(doc, "env"))
		for _, f := range []string{"paths", "files", "envs"} {
			paths = append(paths, items(mapGet(doc, f))...)
		}
		for _, rep := range items(mapGet(doc, "replacements")) {
			paths = append(paths, mapGet(rep, "path"))
		}
		for _, p := range paths {
			if p.Kind != yaml.ScalarNode || p.Value == "" || IsInlineYAML(p.Value) {
				continue
			}
			value := p.Value
			if _, after, ok := strings.Cut(value, "="); ok && !isRemote(value) {
				value = after // files: [key=path]
			}
			if abs, ok := b.local(k, place(nil, p), entry+": "+kind.Value, value); ok {
				if _, err := b.text(abs); err != nil {
					b.problem(place(nil, p), "%s", unreadable(fmt.Sprintf("%s: %s file %q", entry, kind.Value, value), err))
				}
			}
		}
	}
}

// firstKey returns the key node of the first of keys present in mapping m.
func firstKey(m *yaml.Node, keys []string) *yaml.Node {
	for _, k := range keys {
		if n := mapKey(m, k); n != nil {
			return n
		}
	}
	return nil
}
