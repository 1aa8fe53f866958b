package kustomize

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ekslint/ekslint/lint"
)

// buildFailure turns an error from a kustomize build into a problem a person can act on.
// Kustomize wraps an error once for every kustomization it passes through, with absolute paths,
// sometimes quoting the error inside (`accumulateDirectory: "… \"…\\\"…\\\"…\" …"`), and for an
// entry it could not load as a file it adds what went wrong loading it as a folder too. The
// wrappers say where the error happened: that becomes the problem's position (the entry the error
// is about, else the patch it names, else the first line of the kustomization), and the message
// keeps the innermost error, with the paths in it named as the rest of the report names files.
func (b *build) buildFailure(err error) lint.Problem {
	f := failure{dir: b.dir}
	f.unwrap(strings.TrimSpace(err.Error()))
	k := b.kusts[f.dir]
	if k == nil {
		k = b.kusts[b.dir]
	}
	if f.child == "" {
		if m := forPath.FindStringSubmatch(f.cause); m != nil {
			f.child = m[1]
		}
	}
	if p, ok := wrongType(k, f.cause); ok {
		return p
	}
	pos, ok := b.entryPos(k, f)
	if !ok {
		pos, ok = b.patchPos(k, f.cause)
	}
	if !ok {
		pos = startOf(k.text.Name)
	}
	cause := sourceTag.ReplaceAllString(b.displayPaths(f.cause), "")
	return lint.Problem{Pos: pos, Level: lint.Error, Message: "kustomize build failed: " + cause}
}

// unmarshalField is kustomize's error for a field of a kustomization written as the wrong kind of
// value, in the words of Go's JSON decoder.
var unmarshalField = regexp.MustCompile(`json: cannot unmarshal (\w+) into Go struct field Kustomization\.([\w.]+) of type ([\w.\[\]*]+)`)

// wrongType places kustomize's error for a field of kustomization k written as the wrong kind of
// value at the value (the first item of that kind, in a list), and says what kustomize expects in
// YAML's words rather than Go's.
func wrongType(k *kustFile, cause string) (lint.Problem, bool) {
	m := unmarshalField.FindStringSubmatch(cause)
	if m == nil {
		return lint.Problem{}, false
	}
	got, field, want := m[1], m[2], m[3]
	key, val := (*yaml.Node)(nil), k.root
	for _, name := range strings.Split(field, ".") {
		if key, val = mapEntry(val, name); val == nil {
			return lint.Problem{}, false
		}
	}
	pos, what := at(k.text, key, val), field
	if val.Kind == yaml.SequenceNode && !strings.HasPrefix(want, "[]") {
		for _, it := range val.Content {
			if jsonKind(it) == got {
				pos, what = at(k.text, nil, it), "an entry of "+field
				break
			}
		}
	}
	msg := fmt.Sprintf("invalid kustomization: %s is %s where kustomize expects %s", what, article(got), yamlKind(want))
	if field == "patches" && got == "string" {
		msg += "; write `- path: patch.yaml` (a list of file names is the old form, patchesStrategicMerge)"
	}
	return lint.Problem{Pos: pos, Level: lint.Error, Message: msg}, true
}

// jsonKind names the kind of value n is as Go's JSON decoder does.
func jsonKind(n *yaml.Node) string {
	switch n = deref(n); n.Kind {
	case yaml.MappingNode:
		return "object"
	case yaml.SequenceNode:
		return "array"
	}
	switch n.ShortTag() {
	case "!!int", "!!float":
		return "number"
	case "!!bool":
		return "bool"
	}
	return "string"
}

func article(jsonKind string) string {
	switch jsonKind {
	case "object":
		return "a mapping"
	case "array":
		return "a list"
	}
	return "a " + jsonKind
}

// yamlKind says what a Go type of kustomize's is in YAML: a list, a mapping, a string.
func yamlKind(goType string) string {
	switch t := strings.TrimPrefix(goType, "*"); {
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map[") || strings.Contains(t, "."):
		return "a mapping"
	case t == "string":
		return "a string"
	case t == "bool":
		return "true or false"
	}
	return "a number"
}

// failure is what a kustomize error says once unwrapped.
type failure struct {
	dir        string // the folder of the kustomization the error is about
	components bool   // the error is about its components, not its resources
	entry      string // the entry of it the error is about, as written; "" when none
	child      string // or the folder an entry of it names
	cause      string // the innermost error
}

var (
	// Kustomize's wrappers, each at the start of what is left of the message.
	descendInto  = regexp.MustCompile(`^(?:recursed accumulation of path|couldn't make target for path) '([^']*)': `)
	mergingFrom  = regexp.MustCompile(`^recursed merging from path '([^']*)': `)
	fromEntry    = regexp.MustCompile(`^(?:accumulating|merging) resources from '([^']*)': `)
	quotedInside = regexp.MustCompile(`^(?:accumulateDirectory: |loader\.New )`)
	// An entry kustomize could not load as a file is tried as a folder; the error says both:
	// "accumulation err='<as a file>': <as a folder>". These start the part about the folder.
	asFolder = regexp.MustCompile(`': (?:recursed accumulation of path '|couldn't make target for path '|recursed merging from path '|must build at directory: |cycle detected: |expected kind |new root '|path ")`)
	// forPath names a kustomization folder in an innermost error ("expected kind 'Component' for
	// path '/abs/base' but got 'Kustomization'").
	forPath = regexp.MustCompile(`for path '([^']*)'`)
)

// unwrap takes kustomize's wrappers off msg, noting where they say the error happened.
func (f *failure) unwrap(msg string) {
	for {
		if rest, ok := strings.CutPrefix(msg, "accumulating resources: "); ok {
			msg, f.components = rest, false
			continue
		}
		if rest, ok := strings.CutPrefix(msg, "accumulating components: "); ok {
			msg, f.components = rest, true
			continue
		}
		if loc := quotedInside.FindStringIndex(msg); loc != nil {
			rest := msg[loc[1]:]
			if q, err := strconv.QuotedPrefix(rest); err == nil {
				inner, _ := strconv.Unquote(q)
				msg = inner + rest[len(q):]
				continue
			}
		}
		if rest, ok := strings.CutPrefix(msg, "accumulation err='"); ok {
			if loc := asFolder.FindStringIndex(rest); loc != nil {
				asFile, folder := rest[:loc[0]], rest[loc[0]+len("': "):]
				if strings.HasPrefix(folder, "must build at directory: ") {
					msg = asFile // the entry is a file: what went wrong loading it is the error
				} else {
					if m := fromEntry.FindStringSubmatch(asFile); m != nil {
						f.entry, f.child = m[1], ""
					}
					msg = folder
				}
				continue
			}
		}
		if m := descendInto.FindStringSubmatch(msg); m != nil {
			f.dir, f.entry, f.child = m[1], "", ""
			msg = msg[len(m[0]):]
			continue
		}
		if m := mergingFrom.FindStringSubmatch(msg); m != nil {
			f.entry, f.child = "", m[1]
			msg = msg[len(m[0]):]
			continue
		}
		if m := fromEntry.FindStringSubmatch(msg); m != nil {
			f.entry, f.child = m[1], ""
			msg = msg[len(m[0]):]
			continue
		}
		f.cause = msg
		return
	}
}

// entryPos places a failure at the resources or components entry of kustomization k it names: as
// written, or by the folder it leads to.
func (b *build) entryPos(k *kustFile, f failure) (lint.Pos, bool) {
	for _, r := range k.refs {
		included := r.Field == "resources" || r.Field == "bases"
		if f.components {
			included = r.Field == "components"
		}
		if r.Inline || !included {
			continue
		}
		if r.Value == f.entry && f.entry != "" {
			return at(k.text, nil, r.Node), true
		}
		if f.child == "" {
			continue
		}
		if real, err := b.cache.root.Resolve(filepath.Join(k.dir, r.Value)); err == nil && real == filepath.Clean(f.child) {
			return at(k.text, nil, r.Node), true
		}
	}
	return lint.Pos{}, false
}

var (
	// A strategic merge patch whose object is not in the build: its id is Kind.version.group/name.namespace.
	smpNoTarget = regexp.MustCompile(`strategic merge patch "([^"./]+)\.[^"/]*/([^"]*)\.[^".]*"`)
	// The same from patchesStrategicMerge, in other words: `failed to find unique target for patch
	// Deployment.v1.apps/velero.[noNs]`.
	smpNoUniqueTarget = regexp.MustCompile(`unique target for patch ([^./\s]+)\.[^/\s]*/(\S+?)\.(?:\[noNs\]|[a-z0-9-]+)(?:[\s;]|$)`)
	// A JSON 6902 operation whose path is not in the object.
	jsonNoPath = regexp.MustCompile(`operation does not apply: doc is missing path: "?(/[^"\s]*?)"?: `)
)

// patchPos places a failure at the patch of kustomization k it names: a strategic merge patch by
// the object it patches, a JSON 6902 operation by its path.
func (b *build) patchPos(k *kustFile, cause string) (lint.Pos, bool) {
	smp, json := smpNoTarget.FindStringSubmatch(cause), jsonNoPath.FindStringSubmatch(cause)
	if smp == nil {
		smp = smpNoUniqueTarget.FindStringSubmatch(cause)
	}
	if smp == nil && json == nil {
		return lint.Pos{}, false
	}
	for _, p := range k.patches {
		docs, place, ok := b.patchDocs(k, p)
		if !ok {
			continue
		}
		for _, d := range docs {
			switch {
			case smp != nil && mapGet(d, "kind").Value == smp[1] && mapGet(mapGet(d, "metadata"), "name").Value == smp[2]:
				return at(k.text, nil, p.item), true
			case json != nil && d.Kind == yaml.SequenceNode:
				if i := slices.IndexFunc(d.Content, func(op *yaml.Node) bool { return mapGet(op, "path").Value == json[1] }); i >= 0 {
					return place(mapKey(d.Content[i], "path"), mapGet(d.Content[i], "path")), true
				}
			}
		}
	}
	return lint.Pos{}, false
}

// sourceTag is sourceAnnotation in an object kustomize prints in an error: the user never wrote it.
var sourceTag = regexp.MustCompile(` ?` + regexp.QuoteMeta(sourceAnnotation) + `[:=] ?"?[0-9]+"?`)

// absPath is an absolute path in a message: after a space, a quote or a bracket.
var absPath = regexp.MustCompile(`(^|[\s'"(\[=])(/[^\s'"():\[\]]*)`)

// displayPaths names the files and folders of the lint root in msg as the report names them
// (relative to the working directory), not by their absolute paths.
func (b *build) displayPaths(msg string) string {
	return absPath.ReplaceAllStringFunc(msg, func(m string) string {
		sub := absPath.FindStringSubmatch(m)
		if !b.cache.root.Contains(sub[2]) {
			return m
		}
		return sub[1] + b.display(sub[2])
	})
}
