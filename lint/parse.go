package lint

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Limits bound what one input may cost, so hostile input cannot exhaust memory or time.
type Limits struct {
	// MaxFileSize is the largest file read, in bytes.
	MaxFileSize int64
	// MaxAliasNodes is how many nodes aliases may add to one document when expanded: YAML's
	// "billion laughs" is 446 bytes that expand to 387 million strings.
	MaxAliasNodes int
}

const (
	defaultMaxFileSize   = 64 << 20
	defaultMaxAliasNodes = 1_000_000
)

// DefaultLimits are the limits of a run that sets none.
func DefaultLimits() Limits {
	return Limits{MaxFileSize: defaultMaxFileSize, MaxAliasNodes: defaultMaxAliasNodes}
}

// CheckText refuses what is not YAML text before the parser sees it: binary files and bytes that
// are not UTF-8. The message names the line of the first offending byte.
func CheckText(t *Text) *Problem {
	data := t.Data
	if hasUTF16BOM(data) {
		return nil // the YAML parser decodes UTF-16 itself
	}
	head := data[:min(len(data), 8000)]
	if i := bytes.IndexByte(head, 0); i >= 0 {
		return &Problem{Pos: Pos{File: t.Name, Line: t.LineAt(i)}, Level: Error,
			Message: "binary file (NUL byte), not YAML or JSON; not linted"}
	}
	if !utf8.Valid(data) {
		off := firstInvalidUTF8(data)
		return &Problem{Pos: Pos{File: t.Name, Line: t.LineAt(off), Column: t.ColumnAt(off)}, Level: Error,
			Message: fmt.Sprintf("not valid UTF-8 (byte 0x%02X); YAML files must be UTF-8; not linted", data[off])}
	}
	return nil
}

func hasUTF16BOM(b []byte) bool {
	return bytes.HasPrefix(b, []byte{0xFE, 0xFF}) || bytes.HasPrefix(b, []byte{0xFF, 0xFE})
}

func firstInvalidUTF8(b []byte) int {
	for off := 0; off < len(b); {
		r, size := utf8.DecodeRune(b[off:])
		if r == utf8.RuneError && size <= 1 {
			return off
		}
		off += size
	}
	return len(b)
}

// ParseYAML decodes the documents of t one at a time and calls yield with the root of each
// non-empty one, in order; documents with only comments or nothing are skipped. Each root has
// passed the alias budget and the duplicate-key check; a document that fails them is reported and
// skipped, and the rest of the stream goes on. A syntax error ends the stream: the parser cannot
// resynchronise. Only one document is held at a time, so a 50 MB stream costs one document's
// nodes, not the stream's.
func ParseYAML(t *Text, lim Limits, yield func(root *yaml.Node)) []Problem {
	var problems []Problem
	dec := yaml.NewDecoder(bytes.NewReader(t.Data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return problems
		}
		if err != nil {
			line, msg := yamlErrorPos(err)
			if line > 0 {
				line += t.Offset
			}
			return append(problems, Problem{Pos: Pos{File: t.Name, Line: line}, Level: Error, Message: msg})
		}
		if len(doc.Content) == 0 || isEmptyDocument(doc.Content[0]) {
			continue
		}
		root := doc.Content[0]
		if t.Offset != 0 {
			shiftLines(root, t.Offset)
		}
		if p := checkTree(root, lim.MaxAliasNodes); p != nil {
			problems = append(problems, Problem{Pos: Pos{File: t.Name, Line: p.line, Column: p.col}, Level: Error, Message: p.msg})
			continue
		}
		yield(root)
	}
}

// shiftLines renumbers the lines of a document parsed from part of a file as the file numbers
// them. Aliases are not followed: every node is visited once.
func shiftLines(n *yaml.Node, by int) {
	n.Line += by
	for _, c := range n.Content {
		shiftLines(c, by)
	}
}

func isEmptyDocument(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && isNull(n) && n.Value == ""
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlErrorPos splits a parser error into its line and a message without the "yaml:" prefix.
func yamlErrorPos(err error) (int, string) {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return line, "invalid YAML: " + m[2]
	}
	return 0, "invalid YAML: " + yamlMessage(err)
}

func yamlMessage(err error) string {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		return "line " + m[1] + ": " + m[2]
	}
	if len(msg) > 6 && msg[:6] == "yaml: " {
		return msg[6:]
	}
	return msg
}

type treeProblem struct {
	line, col int
	msg       string
}

// checkTree walks a document once, without expanding aliases, and refuses two things the
// Kubernetes API refuses too: duplicate keys in a mapping (the object is ambiguous) and aliases
// that expand to more than maxAlias extra nodes (an alias bomb). After it, every walk over the
// document is bounded.
func checkTree(root *yaml.Node, maxAlias int) *treeProblem {
	c := treeChecker{max: maxAlias, sizes: map[*yaml.Node]int{}}
	c.walk(root)
	return c.problem
}

type treeChecker struct {
	max     int
	extra   int // nodes the aliases seen so far add when expanded, saturating above max
	sizes   map[*yaml.Node]int
	problem *treeProblem
	bomb    bool // an alias bomb ends the walk; duplicate keys do not, an earlier one may follow
}

func (c *treeChecker) walk(n *yaml.Node) {
	if c.bomb {
		return
	}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias != nil {
			c.extra = min(c.extra+c.expandedSize(n.Alias)-1, c.max+1)
		}
		if c.extra > c.max {
			c.bomb = true
			c.problem = &treeProblem{n.Line, n.Column, fmt.Sprintf(
				"alias *%s takes the document past %d nodes when expanded (an alias bomb); document not linted (--max-alias-nodes)",
				n.Value, c.max)}
		}
		return
	case yaml.MappingNode:
		c.checkKeys(n)
	}
	for _, ch := range n.Content {
		c.walk(ch)
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
		if first != nil && (c.problem == nil || k.Line < c.problem.line) {
			c.problem = &treeProblem{k.Line, k.Column,
				fmt.Sprintf("duplicate key %q (first at line %d); the Kubernetes API rejects this document; not linted", k.Value, first.Line)}
		}
	}
}
