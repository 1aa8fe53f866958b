package lint

import (
	"bytes"
	"fmt"
	"iter"
	"reflect"

	"go.yaml.in/yaml/v3"
)

// DefaultMaxAliasNodes is how many nodes YAML aliases may add to one document when expanded,
// unless a run says otherwise: YAML's "billion laughs" is 446 bytes that expand to 387 million
// strings.
const DefaultMaxAliasNodes = 1_000_000

// scalarBytesPerNode is how many bytes of a scalar count as one node of what aliases add: the
// default budget lets them add 64 MB of text at most.
const scalarBytesPerNode = 64

// A TreeProblem is what CheckTree finds in a document: a key written twice in a mapping, or
// aliases that expand past the budget or repeat themselves.
type TreeProblem struct {
	Line, Column int
	// Level is Error for a document the Kubernetes API would refuse too, which is not linted: a
	// key with two different values (which counts is ambiguous), an alias bomb or cycle. It is
	// Warning for a key written twice with the same value, which is harmless: the document is
	// linted.
	Level Level
	Msg   string
	// FirstLine and FirstColumn are, for a duplicate key, where the key is first written: Msg
	// names that line, and a loader that places lines in another file (a Helm template) names
	// the place it maps it to with MessageAt. 0 for other problems.
	FirstLine, FirstColumn int
	dupKey                 string
}

// MessageAt is the message naming first (`line 9`, `templates/_helpers.tpl:3`) as where a
// duplicate key is first written; for other problems, Msg.
func (p *TreeProblem) MessageAt(first string) string {
	switch {
	case p.FirstLine == 0:
		return p.Msg
	case p.Level == Warning:
		return fmt.Sprintf("duplicate key %q (first at %s) with the same value; YAML allows each key once: remove one", p.dupKey, first)
	}
	return fmt.Sprintf("duplicate key %q (first at %s): which of the two values counts is ambiguous; not linted", p.dupKey, first)
}

// CheckTree walks a parsed document once, without expanding aliases, and refuses what the
// Kubernetes API refuses too: a key written twice in a mapping with different values (the object
// is ambiguous), aliases that expand to more than maxAlias extra nodes (an alias bomb), and an
// alias inside the node it names (`a: &a {b: *a}`, a document without end). It returns that one
// Error, or a Warning for each key written twice with the same value. After it, every walk over
// the document is bounded, and so is the work of resolving its merge keys (`<<`), which only
// follows its aliases. Every document a rule sees has passed it.
func CheckTree(root *yaml.Node, maxAlias int) []TreeProblem {
	c := treeChecker{max: maxAlias, sizes: map[*yaml.Node]int{}, open: map[*yaml.Node]bool{}}
	c.walk(root)
	if c.fatal != nil {
		return []TreeProblem{*c.fatal}
	}
	return c.duplicateProblems()
}

// MayAlias reports whether YAML text may hold an alias of one of its anchors: an alias (`*name`)
// and an anchor (`&name`) of the same name, each where a node may start (after beforeNode, or at
// the start of the text). A name is what the YAML parsers read as one: letters, digits, `_` and
// `-`. Text without such a pair need not be parsed to count what aliases add: an alias of no
// anchor does not parse, and the `&&` of a comment or the `*v1.Pod` of a description
// (kube-prometheus-stack's values.yaml, parsed for them on every run) name none.
func MayAlias(data []byte) bool {
	anchors := map[string]bool{}
	for name := range nodeProperties(data, '&') {
		anchors[name] = true
	}
	if len(anchors) == 0 {
		return false
	}
	for name := range nodeProperties(data, '*') {
		if anchors[name] {
			return true
		}
	}
	return false
}

// nodeProperties yields the names after mark (& or *) where a node starts.
func nodeProperties(data []byte, mark byte) iter.Seq[string] {
	return func(yield func(string) bool) {
		for i := 0; ; i++ {
			j := bytes.IndexByte(data[i:], mark)
			if j < 0 {
				return
			}
			i += j
			if i > 0 && bytes.IndexByte(beforeNode, data[i-1]) < 0 {
				continue
			}
			end := i + 1
			for end < len(data) && isNameChar(data[end]) {
				end++
			}
			if end > i+1 && !yield(string(data[i+1:end])) {
				return
			}
		}
	}
}

// beforeNode are the bytes after which a node, and so an anchor or alias, may start: a space or
// line break, a flow collection's bracket or comma, and the `:` and `?` a flow mapping's value and
// key may follow without a space (`{"k":*a}`, `{?*a}`, which the parsers read as aliases). The
// last bytes of NEL and the Unicode line and paragraph separators, which the parsers read as line
// breaks, are there too (they end other characters as well: a few more texts are parsed).
var beforeNode = []byte(" \t\r\n[{,:?\x85\xa8\xa9")

// isNameChar reports whether c may be part of an anchor's name, as the YAML parsers read one.
func isNameChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_' || c == '-'
}

// AliasNodes is how many nodes the aliases of a document add when expanded, counted as CheckTree
// counts them, capped above max; above max too for an alias inside the node it names.
func AliasNodes(root *yaml.Node, max int) int {
	c := treeChecker{max: max, sizes: map[*yaml.Node]int{}, open: map[*yaml.Node]bool{}}
	c.walk(root)
	if c.fatal != nil {
		return max + 1
	}
	return c.extra
}

type treeChecker struct {
	max   int
	extra int // nodes the aliases seen so far add when expanded, saturating above max
	sizes map[*yaml.Node]int
	// open are the anchored nodes the walk is inside: an alias may only name a node whose walk
	// has ended, which rules out cycles (an anchor is always seen before its aliases).
	open map[*yaml.Node]bool
	// fatal is a bomb or a cycle, which ends the walk; duplicate keys do not.
	fatal *TreeProblem
	// duplicates are the keys written again in their mapping, in the order the walk meets them.
	duplicates []duplicate
}

// A duplicate is a key written again in its mapping, after first.
type duplicate struct {
	first, firstValue, key, value *yaml.Node
}

func (c *treeChecker) walk(n *yaml.Node) {
	if c.fatal != nil {
		return
	}
	switch n.Kind {
	case yaml.AliasNode:
		c.alias(n)
		return
	case yaml.MappingNode:
		c.checkKeys(n)
	}
	if n.Anchor != "" {
		c.open[n] = true
		defer delete(c.open, n)
	}
	for _, ch := range n.Content {
		c.walk(ch)
	}
}

func (c *treeChecker) alias(n *yaml.Node) {
	if n.Alias != nil && c.open[n.Alias] {
		c.fatal = &TreeProblem{Line: n.Line, Column: n.Column, Level: Error, Msg: fmt.Sprintf(
			"alias *%s is inside the node &%s it repeats, so the document never ends; document not linted", n.Value, n.Value)}
		return
	}
	if n.Alias != nil {
		c.extra = min(c.extra+c.expandedSize(n.Alias)-1, c.max+1)
	}
	if c.extra > c.max {
		c.fatal = &TreeProblem{Line: n.Line, Column: n.Column, Level: Error, Msg: fmt.Sprintf(
			"alias *%s takes the document past %d nodes when expanded (an alias bomb); document not linted (--max-alias-nodes)",
			n.Value, c.max)}
	}
}

// expandedSize is the number of nodes n stands for with aliases expanded, capped above the
// budget, each scalarBytesPerNode bytes of a scalar counting as a node more: parsers that expand
// aliases copy the scalar each time (Helm's values, Chart.yaml and kustomize's files go through
// JSON), and a 1 MB string aliased a thousand times took 5 GB. Sizes of anchored nodes (the only
// alias targets) are memoised, so the computation itself stays linear in the written document.
func (c *treeChecker) expandedSize(n *yaml.Node) int {
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return 1
		}
		return c.expandedSize(n.Alias)
	}
	if s, ok := c.sizes[n]; ok {
		return s
	}
	s := 1 + len(n.Value)/scalarBytesPerNode
	for _, ch := range n.Content {
		s = min(s+c.expandedSize(ch), c.max+2)
	}
	if n.Anchor != "" {
		c.sizes[n] = s
	}
	return s
}

func (c *treeChecker) checkKeys(m *yaml.Node) {
	n := len(m.Content) / 2
	if n < 2 {
		return
	}
	// Most mappings have a handful of keys: comparing each with those before it costs less than
	// a map per mapping, of which a document has hundreds.
	var seen map[string]int // the index of each key's first entry
	if n > 16 {
		seen = make(map[string]int, n)
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if k.Kind != yaml.ScalarNode || isMergeKey(k) {
			continue
		}
		first := -1
		if seen != nil {
			if j, ok := seen[k.Value]; ok {
				first = j
			} else {
				seen[k.Value] = i
			}
		} else {
			for j := 0; j < i; j += 2 {
				if p := m.Content[j]; p.Kind == yaml.ScalarNode && p.Value == k.Value && !isMergeKey(p) {
					first = j
					break
				}
			}
		}
		if first >= 0 {
			c.duplicates = append(c.duplicates, duplicate{m.Content[first], m.Content[first+1], k, m.Content[i+1]})
		}
	}
}

// duplicateProblems are the problems of the keys written twice: the one whose values differ that
// is earliest in the file, as a person reads it (the walk meets outer mappings before inner ones),
// which makes the document ambiguous; else a warning for each. The values are compared once the walk
// has bounded the document: with no bomb and no cycle, decoding them is bounded too.
func (c *treeChecker) duplicateProblems() []TreeProblem {
	if len(c.duplicates) == 0 {
		return nil
	}
	var problems []TreeProblem
	var ambiguous *TreeProblem
	values := map[*yaml.Node]decodedValue{}
	for _, d := range c.duplicates {
		p := TreeProblem{Line: d.key.Line, Column: d.key.Column, Level: Warning, FirstLine: d.first.Line, FirstColumn: d.first.Column, dupKey: d.key.Value}
		if !sameValue(d.firstValue, d.value, values) {
			p.Level = Error
		}
		p.Msg = p.MessageAt(fmt.Sprintf("line %d", p.FirstLine))
		switch {
		case p.Level == Warning:
			problems = append(problems, p)
		case ambiguous == nil || p.Line < ambiguous.Line:
			ambiguous = &p
		}
	}
	if ambiguous != nil {
		return []TreeProblem{*ambiguous}
	}
	return problems
}

// A decodedValue is a node decoded as a value of any type, or ok false when it could not be.
type decodedValue struct {
	v  any
	ok bool
}

// sameValue reports whether nodes a and b are the same YAML value: scalars the same once resolved
// (1 and 0x1, a and "a", but not 1 and "1"), collections with the same entries (a mapping's in any
// order), whatever their style, aliases and merge keys. Decoded values are kept in values: a key
// written many times is decoded once.
func sameValue(a, b *yaml.Node, values map[*yaml.Node]decodedValue) bool {
	decode := func(n *yaml.Node) decodedValue {
		d, ok := values[n]
		if !ok {
			d.ok = n.Decode(&d.v) == nil
			values[n] = d
		}
		return d
	}
	da, db := decode(a), decode(b)
	return da.ok && db.ok && reflect.DeepEqual(da.v, db.v)
}
