package lint

import (
	"strconv"
	"strings"
)

// A field path is kept as a node in a trie of the paths seen so far, not as a string. Every rule
// navigates every object from its root, and the objects of a run share their shapes, so the same
// few hundred paths ("spec.template.spec.containers[0].resources") are walked millions of times:
// a step is a lookup of one short key in its parent's children, and a path's string is built once,
// when first asked for. One trie serves one checker goroutine; it stops growing at a bound, past
// which steps are made without being kept, so hostile input cannot make it large.
type pathNode struct {
	parent *pathNode
	step   PathStep
	str    string // the path as Path writes it, built on first use

	keys  map[string]*pathNode
	items []*pathNode
}

// pathTrie is one checker's trie; its root is the object root's path, "".
type pathTrie struct {
	root pathNode
	size int
}

const maxTriePaths = 1 << 16

func newPathTrie() *pathTrie { return &pathTrie{} }

// child returns the path of key k under p.
func (t *pathTrie) child(p *pathNode, k string) *pathNode {
	if c := p.keys[k]; c != nil {
		return c
	}
	c := &pathNode{parent: p, step: PathStep{Key: k}}
	if t != nil && t.size < maxTriePaths {
		if p.keys == nil {
			p.keys = map[string]*pathNode{}
		}
		p.keys[k] = c
		t.size++
	}
	return c
}

// item returns the path of the i-th list item under p.
func (t *pathTrie) item(p *pathNode, i int) *pathNode {
	if i < len(p.items) && p.items[i] != nil {
		return p.items[i]
	}
	c := &pathNode{parent: p, step: PathStep{Index: i}}
	if t != nil && t.size < maxTriePaths && i < 1024 {
		for len(p.items) <= i {
			p.items = append(p.items, nil)
		}
		p.items[i] = c
		t.size++
	}
	return c
}

// String is the path: keys joined by dots, ['odd.key'] for keys with dots or brackets, [3] for
// list items; "" for an object's root. It is written in one pass and kept on the node, not on
// its ancestors: keeping every ancestor's string too would cost the square of the depth, and
// hostile input nests thousands deep.
func (p *pathNode) String() string {
	if p == nil || p.parent == nil {
		return ""
	}
	if p.str == "" {
		var steps []*pathNode
		for q := p; q.parent != nil; q = q.parent {
			steps = append(steps, q)
		}
		var b strings.Builder
		for i := len(steps) - 1; i >= 0; i-- {
			writeStep(&b, steps[i].step)
		}
		p.str = b.String()
	}
	return p.str
}

// writeStep writes one step of a path after those already in b.
func writeStep(b *strings.Builder, s PathStep) {
	switch {
	case s.Key == "":
		b.WriteByte('[')
		b.WriteString(strconv.Itoa(s.Index))
		b.WriteByte(']')
	case strings.ContainsAny(s.Key, ".[]'"):
		b.WriteString("['")
		b.WriteString(strings.ReplaceAll(s.Key, "'", "\\'"))
		b.WriteString("']")
	default:
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.Key)
	}
}

// root returns the trie's root path, or a fresh one without a trie.
func (t *pathTrie) rootPath() *pathNode {
	if t == nil {
		return &pathNode{}
	}
	return &t.root
}

// trie is the trie of n's object; the zero Node and objects made outside the engine have none.
func (n Node) trie() *pathTrie {
	if n.obj == nil {
		return nil
	}
	return n.obj.paths
}

// pathOf is n's path node, the object root's when n has none yet.
func (n Node) pathOf() *pathNode {
	if n.at == nil {
		return n.trie().rootPath()
	}
	return n.at
}

// A PathStep is one step of a field path: a mapping key, or (when Key is "") the Index-th item
// of a list.
type PathStep struct {
	Key   string
	Index int
}

// String writes the step as a Values path segment: the key, or the index in decimal.
func (s PathStep) String() string {
	if s.Key == "" {
		return strconv.Itoa(s.Index)
	}
	return s.Key
}

// Steps are the steps of the field's path from the object root, for loaders that find the field
// again in the file a person edits.
func (n Node) Steps() []PathStep {
	var steps []PathStep
	for p := n.at; p != nil && p.parent != nil; p = p.parent {
		steps = append(steps, p.step)
	}
	for i, j := 0, len(steps)-1; i < j; i, j = i+1, j-1 {
		steps[i], steps[j] = steps[j], steps[i]
	}
	return steps
}
