package lint

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

// DefaultMaxAliasNodes is how many nodes YAML aliases may add to one document when expanded,
// unless a run says otherwise: YAML's "billion laughs" is 446 bytes that expand to 387 million
// strings.
const DefaultMaxAliasNodes = 1_000_000

// A TreeError is a document the Kubernetes API would refuse too: it has duplicate keys, or
// aliases that expand past the budget.
type TreeError struct {
	Line, Column int
	Msg          string
	// FirstLine and FirstColumn are, for a duplicate key, where the key is first written: Msg
	// names that line, and a loader that places lines in another file (a Helm template) names
	// the place it maps it to with MessageAt. 0 for other errors.
	FirstLine, FirstColumn int
	dupKey                 string
}

func (e *TreeError) Error() string { return e.Msg }

// MessageAt is the message naming first (`line 9`, `templates/_helpers.tpl:3`) as where a
// duplicate key is first written; for other errors, Msg.
func (e *TreeError) MessageAt(first string) string {
	if e.FirstLine == 0 {
		return e.Msg
	}
	return fmt.Sprintf("duplicate key %q (first at %s): which of the two values counts is ambiguous; not linted", e.dupKey, first)
}

// CheckTree walks a parsed document once, without expanding aliases, and refuses what the
// Kubernetes API refuses too: duplicate keys in a mapping (the object is ambiguous), aliases that
// expand to more than maxAlias extra nodes (an alias bomb), and an alias inside the node it names
// (`a: &a {b: *a}`, a document without end). After it, every walk over the document is bounded,
// and so is the work of resolving its merge keys (`<<`), which only follows its aliases. Every
// document a rule sees has passed it.
func CheckTree(root *yaml.Node, maxAlias int) *TreeError {
	c := treeChecker{max: maxAlias, sizes: map[*yaml.Node]int{}, open: map[*yaml.Node]bool{}}
	c.walk(root)
	return c.problem
}

type treeChecker struct {
	max   int
	extra int // nodes the aliases seen so far add when expanded, saturating above max
	sizes map[*yaml.Node]int
	// open are the anchored nodes the walk is inside: an alias may only name a node whose walk
	// has ended, which rules out cycles (an anchor is always seen before its aliases).
	open    map[*yaml.Node]bool
	problem *TreeError
	fatal   bool // a bomb or a cycle ends the walk; duplicate keys do not, an earlier one may follow
}

func (c *treeChecker) walk(n *yaml.Node) {
	if c.fatal {
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
		c.fatal = true
		c.problem = &TreeError{Line: n.Line, Column: n.Column, Msg: fmt.Sprintf(
			"alias *%s is inside the node &%s it repeats, so the document never ends; document not linted", n.Value, n.Value)}
		return
	}
	if n.Alias != nil {
		c.extra = min(c.extra+c.expandedSize(n.Alias)-1, c.max+1)
	}
	if c.extra > c.max {
		c.fatal = true
		c.problem = &TreeError{Line: n.Line, Column: n.Column, Msg: fmt.Sprintf(
			"alias *%s takes the document past %d nodes when expanded (an alias bomb); document not linted (--max-alias-nodes)",
			n.Value, c.max)}
	}
}

// expandedSize is the number of nodes n stands for with aliases expanded, capped above the
// budget. Sizes of anchored nodes (the only alias targets) are memoised, so the computation
// itself stays linear in the written document.
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
	s := 1
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
	var seen map[string]*yaml.Node
	if n > 16 {
		seen = make(map[string]*yaml.Node, n)
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if k.Kind != yaml.ScalarNode || isMergeKey(k) {
			continue
		}
		var first *yaml.Node
		if seen != nil {
			first = seen[k.Value]
			if first == nil {
				seen[k.Value] = k
			}
		} else {
			for j := 0; j < i; j += 2 {
				if p := m.Content[j]; p.Kind == yaml.ScalarNode && p.Value == k.Value && !isMergeKey(p) {
					first = p
					break
				}
			}
		}
		// Keep the earliest duplicate in the file, as a person reads it, not the first the walk
		// meets (outer mappings are checked before inner ones).
		if first != nil && (c.problem == nil || k.Line < c.problem.Line) {
			c.problem = &TreeError{Line: k.Line, Column: k.Column, FirstLine: first.Line, FirstColumn: first.Column, dupKey: k.Value}
			c.problem.Msg = c.problem.MessageAt(fmt.Sprintf("line %d", first.Line))
		}
	}
}
