package lint

import (
	"fmt"

	"go.yaml.in/yaml/v3"
)

// embedding places nodes parsed from YAML kept inside a string field.
type embedding struct {
	outer  Node  // the string field
	inner  *Text // the string's own text, for end positions
	exact  bool  // a literal block scalar: inner line i is outer line outer.Line+i
	indent int   // spaces before the block scalar's content
}

// Embedded parses a string field as YAML or JSON (aws-auth mapRoles, an add-on's
// configurationValues) and returns its root. Findings at its nodes land on the exact line inside
// the string when it is a literal block scalar (`|`), and on the field itself otherwise. The
// embedded document gets the same alias and duplicate-key checks as a file, but for a key written
// twice with the same value, a warning in a file, which passes here: it changes nothing rules read.
func (n Node) Embedded() (Node, error) {
	if !n.IsScalar() {
		return Node{}, fmt.Errorf("%s is not a string", n.Path())
	}
	var doc yaml.Node
	data := []byte(n.val.Value)
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return Node{}, fmt.Errorf("%s: %s", n.Path(), YAMLMessage(err, data))
	}
	if len(doc.Content) == 0 {
		return Node{at: n.at, missing: true, obj: n.obj, key: n.key, val: n.val}, nil
	}
	root := doc.Content[0]
	for _, p := range CheckTree(root, DefaultMaxAliasNodes) {
		if p.Level == Error {
			return Node{}, fmt.Errorf("%s: line %d: %s", n.Path(), p.Line, p.Msg)
		}
	}
	e := &embedding{outer: n, inner: NewText("", data)}
	if t := n.obj.doc.Text; t != nil && n.val.Style&yaml.LiteralStyle != 0 && n.emb == nil {
		for l := n.val.Line + 1; l <= t.Lines(); l++ {
			if b := t.Line(l); len(trimSpace(b)) > 0 {
				e.exact, e.indent = true, indentOf(b)
				break
			}
		}
	}
	return Node{val: root, at: n.at, obj: n.obj, emb: e}, nil
}

// outerRange is the range of inner node n in the outer document's parsed text.
func (e *embedding) outerRange(n Node, t *Text) Pos {
	if !e.exact {
		outer := e.outer
		return outer.parsedRange(t)
	}
	start := n.val
	if n.key != nil {
		start = n.key
	}
	r := Pos{Line: e.outer.val.Line + start.Line, Column: e.indent + start.Column}
	endLine, endCol := endOf(n.val, e.inner)
	r.EndLine, r.EndColumn = e.outer.val.Line+endLine, e.indent+endCol
	return fitRange(r, t)
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '\t') {
		b = b[:len(b)-1]
	}
	return b
}
