package kustomize

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ekslint/ekslint/lint"
)

// locator places the fields of one built object in the files a person edits. It knows the
// object's source (the object in its base file, or the generator entry that made it) and, in the
// order kustomize applied them last to first, every patch and transformer setting that may have
// written to it. Fields are found again by path in those files, parsed once per run; positions
// in kustomize's own nodes are not used, because they do not survive: JSON 6902 patches
// re-encode the whole object, and nodes a strategic merge patch adds carry the patch file's lines
// with nothing to say which file that is.
type locator struct {
	origin    *tree     // the object in its base file; nil for generated objects
	generated *lint.Pos // the generator entry of a generated object
	writers   []writer  // last applied first
	fallback  lint.Pos  // the overlay's kustomization file, when nothing else is known
}

// tree is a YAML tree in a file a person edits, with what places its nodes there.
type tree struct {
	root  *yaml.Node
	place func(key, val *yaml.Node) lint.Pos
}

// reach follows steps in t: how many were found, and where the deepest found is.
func (t *tree) reach(steps []step) (int, lint.Pos) {
	key, val, d := follow(t.root, steps)
	return d, t.place(key, val)
}

// A writer is something that may have written a field of the object: a patch, or a transformer
// setting of a kustomization (namespace, labels, annotations, images, replicas).
type writer interface {
	// sets reports where the writer set the field at steps to the value it has in the build.
	sets(steps []step, built lint.Node) (lint.Pos, bool)
	// reach reports how many leading steps the writer wrote, and where the deepest is.
	reach(steps []step) (int, lint.Pos)
}

// Locate implements lint.Locator: scalars (and lists of scalars) land where they were last
// written, checked by value; mappings and lists of objects land where they are defined, the base
// object when it has them, else the first patch that adds them; a missing field lands on its
// deepest existing ancestor, chosen the same way.
func (l *locator) Locate(n lint.Node, _ lint.Pos) (lint.Pos, []lint.Location) {
	if l.generated != nil {
		return *l.generated, nil
	}
	if l.origin == nil {
		return l.fallback, nil
	}
	steps, built, exists := anchor(n)
	if len(steps) == 0 || isIdentity(steps) {
		// The object as a whole, or its identity: its name in the base, never the namePrefix
		// or a patch that merely names it.
		d, pos := l.origin.reach([]step{{key: "metadata"}, {key: "name"}})
		if d < 2 {
			_, pos = l.origin.reach(nil)
		}
		return pos, nil
	}
	if exists && isAtomic(built) {
		for _, w := range l.writers {
			if pos, ok := w.sets(steps, built); ok {
				return pos, l.related()
			}
		}
	}
	best, pos := l.origin.reach(steps)
	if best == len(steps) {
		return pos, nil
	}
	fromOrigin := true
	for i := len(l.writers) - 1; i >= 0; i-- {
		d, p := l.writers[i].reach(steps)
		if d == len(steps) {
			return p, l.related()
		}
		if d > best {
			best, pos, fromOrigin = d, p, false
		}
	}
	if fromOrigin {
		return pos, nil
	}
	return pos, l.related()
}

// related points from a finding in a patch or kustomization back at the object it is about.
func (l *locator) related() []lint.Location {
	d, pos := l.origin.reach([]step{{key: "metadata"}, {key: "name"}})
	if d < 2 {
		return nil
	}
	return []lint.Location{{Pos: pos, Message: "the object, in its base"}}
}

func isIdentity(steps []step) bool {
	switch {
	case len(steps) == 1:
		return steps[0].key == "apiVersion" || steps[0].key == "kind"
	case len(steps) == 2:
		return steps[0].key == "metadata" && steps[1].key == "name"
	}
	return false
}

// smPatch is one document of a strategic merge patch (or of a patch file applied to targets).
type smPatch struct{ tree }

func (p *smPatch) sets(steps []step, built lint.Node) (lint.Pos, bool) {
	key, val, d := follow(p.root, steps)
	if d == len(steps) && sameValue(val, built) {
		return p.place(key, val), true
	}
	return lint.Pos{}, false
}

// jsonOp is one add or replace operation of a JSON 6902 patch.
type jsonOp struct {
	path  []string   // the JSON pointer's tokens
	key   *yaml.Node // `value`
	value *yaml.Node
	place func(key, val *yaml.Node) lint.Pos
}

// jsonPatch is a JSON 6902 patch: its add and replace operations, last first.
type jsonPatch struct{ ops []jsonOp }

func newJSONPatch(seq *yaml.Node, place func(key, val *yaml.Node) lint.Pos) *jsonPatch {
	p := &jsonPatch{}
	for _, it := range items(seq) {
		op := mapGet(it, "op").Value
		if op != "add" && op != "replace" {
			continue
		}
		ptr := mapGet(it, "path").Value
		if !strings.HasPrefix(ptr, "/") {
			continue
		}
		var tokens []string
		for _, t := range strings.Split(ptr[1:], "/") {
			tokens = append(tokens, strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~"))
		}
		key, val := mapEntry(it, "value")
		if val == nil {
			continue
		}
		p.ops = append([]jsonOp{{path: tokens, key: key, value: val, place: place}}, p.ops...)
	}
	return p
}

// match reports whether an operation's pointer leads to steps' first len(path) steps.
func (o *jsonOp) match(steps []step) bool {
	if len(o.path) > len(steps) {
		return false
	}
	for i, t := range o.path {
		s := steps[i]
		switch {
		case !s.item:
			if t != s.key {
				return false
			}
		case t == "-":
			// Appended: the item is the value itself when it carries the same identity.
			if i != len(o.path)-1 || s.idKey == "" || mapGet(deref(o.value), s.idKey).Value != s.idVal {
				return false
			}
		default:
			if t != strconv.Itoa(s.index) {
				return false
			}
		}
	}
	return true
}

func (o *jsonOp) follow(steps []step) (key, val *yaml.Node, depth int) {
	rest := steps[len(o.path):]
	key, val, d := follow(o.value, rest)
	if d == 0 {
		key = o.key
	}
	return key, val, len(o.path) + d
}

func (p *jsonPatch) sets(steps []step, built lint.Node) (lint.Pos, bool) {
	for _, o := range p.ops {
		if !o.match(steps) {
			continue
		}
		if key, val, d := o.follow(steps); d == len(steps) && sameValue(val, built) {
			return o.place(key, val), true
		}
	}
	return lint.Pos{}, false
}

func (p *jsonPatch) reach(steps []step) (int, lint.Pos) {
	best, pos := 0, lint.Pos{}
	for _, o := range p.ops {
		if !o.match(steps) {
			continue
		}
		if key, val, d := o.follow(steps); d > best {
			best, pos = d, o.place(key, val)
		}
	}
	return best, pos
}

// setting is a transformer setting in a kustomization file: it writes scalars only, so it never
// reaches a mapping a finding could land on.
type setting struct {
	k     *kustFile
	match func(steps []step, built lint.Node) (key, val *yaml.Node)
}

func (s *setting) sets(steps []step, built lint.Node) (lint.Pos, bool) {
	key, val := s.match(steps, built)
	if val == nil {
		return lint.Pos{}, false
	}
	return at(s.k.text, key, val), true
}

func (s *setting) reach([]step) (int, lint.Pos) { return 0, lint.Pos{} }

// settings returns the transformer settings of k that may write fields of an object, in the
// order kustomize applies them, last first.
func settings(k *kustFile) []writer {
	var ws []writer
	add := func(match func([]step, lint.Node) (key, val *yaml.Node)) {
		ws = append(ws, &setting{k: k, match: match})
	}
	if len(k.images) > 0 {
		add(func(steps []step, built lint.Node) (*yaml.Node, *yaml.Node) {
			return imageSetting(k.images, steps, built)
		})
	}
	if len(k.replicas) > 0 {
		add(func(steps []step, built lint.Node) (*yaml.Node, *yaml.Node) {
			if len(steps) != 2 || steps[0].key != "spec" || steps[1].key != "replicas" {
				return nil, nil
			}
			name := built.Object().Name()
			for _, it := range k.replicas {
				if count := mapGet(it, "count"); count.Value == built.Str() && strings.Contains(name, mapGet(it, "name").Value) {
					return mapKey(it, "count"), count
				}
			}
			return nil, nil
		})
	}
	if k.commonAnnotations.val != nil {
		add(func(steps []step, built lint.Node) (*yaml.Node, *yaml.Node) {
			if n := len(steps); n >= 3 && steps[n-2].key == "annotations" && steps[n-3].key == "metadata" {
				if key, val := mapEntry(k.commonAnnotations.val, steps[n-1].key); val != nil && val.Value == built.Str() {
					return key, val
				}
			}
			return nil, nil
		})
	}
	if len(k.labels) > 0 {
		add(func(steps []step, built lint.Node) (*yaml.Node, *yaml.Node) {
			return labelSetting(k.labels, steps, built)
		})
	}
	if k.namespace.val != nil {
		add(func(steps []step, built lint.Node) (*yaml.Node, *yaml.Node) {
			if len(steps) == 2 && steps[0].key == "metadata" && steps[1].key == "namespace" && k.namespace.val.Value == built.Str() {
				return k.namespace.key, k.namespace.val
			}
			return nil, nil
		})
	}
	return ws
}

// imageSetting finds the images entry that gave a container its image: the entry's name (or
// newName) is the image's repository, and its newTag or digest the image's.
func imageSetting(images []*yaml.Node, steps []step, built lint.Node) (*yaml.Node, *yaml.Node) {
	n := len(steps)
	if n < 3 || steps[n-1].key != "image" || !steps[n-2].item {
		return nil, nil
	}
	switch steps[n-3].key {
	case "containers", "initContainers", "ephemeralContainers":
	default:
		return nil, nil
	}
	repo, tag, digest := splitImage(built.Str())
	for i := len(images) - 1; i >= 0; i-- {
		it := images[i]
		name, newName, newTag, dig := mapGet(it, "name").Value, mapGet(it, "newName").Value, mapGet(it, "newTag").Value, mapGet(it, "digest").Value
		if newName == "" && newTag == "" && dig == "" {
			continue
		}
		if newName != "" && repo != newName || newName == "" && repo != name ||
			newTag != "" && tag != newTag || dig != "" && digest != dig {
			continue
		}
		for _, f := range []string{"newTag", "digest", "newName"} {
			if key, val := mapEntry(it, f); val != nil {
				return key, val
			}
		}
	}
	return nil, nil
}

// splitImage splits repo[:tag][@digest]; a colon in the registry host is not a tag.
func splitImage(image string) (repo, tag, digest string) {
	repo, digest, _ = strings.Cut(image, "@")
	if i := strings.LastIndexByte(repo, ':'); i > strings.LastIndexByte(repo, '/') {
		repo, tag = repo[:i], repo[i+1:]
	}
	return repo, tag, digest
}

// labelSetting finds the labels (or commonLabels) pair that set a label, in an object's
// metadata, its selectors or its pod template, as the entry's includeSelectors and
// includeTemplates allow.
func labelSetting(sets []labelSet, steps []step, built lint.Node) (*yaml.Node, *yaml.Node) {
	n := len(steps)
	if n < 3 {
		return nil, nil
	}
	parent := steps[n-2].key
	inMetadata := n == 3 && steps[0].key == "metadata" && parent == "labels"
	inSelector := parent == "matchLabels" || parent == "selector"
	inTemplate := parent == "labels" && !inMetadata
	if !inMetadata && !inSelector && !inTemplate {
		return nil, nil
	}
	for i := len(sets) - 1; i >= 0; i-- {
		s := sets[i]
		if inSelector && !s.selectors || inTemplate && !s.templates {
			continue
		}
		if key, val := mapEntry(s.pairs, steps[n-1].key); val != nil && val.Value == built.Str() {
			return key, val
		}
	}
	return nil, nil
}
