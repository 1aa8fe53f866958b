// Package load reads inputs into documents: the raw YAML and JSON loader, the YAML parser every
// loader uses (with the limits that keep hostile input bounded), and what loaders share with the
// engine that runs them (Input, Loader, Sink).
package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/ekslint/ekslint/lint"
)

// Limits bound what one input may cost, so hostile input cannot exhaust memory or time.
type Limits struct {
	// MaxFileSize is the largest file read, in bytes.
	MaxFileSize int64
	// MaxAliasNodes is how many nodes aliases may add to one document when expanded: YAML's
	// "billion laughs" is 446 bytes that expand to 387 million strings.
	MaxAliasNodes int
}

// DefaultMaxFileSize is the largest file a run reads unless it says otherwise.
const DefaultMaxFileSize = 64 << 20

// DefaultLimits are the limits of a run that sets none.
func DefaultLimits() Limits {
	return Limits{MaxFileSize: DefaultMaxFileSize, MaxAliasNodes: lint.DefaultMaxAliasNodes}
}

// CheckText refuses what is not YAML text before the parser sees it: binary files and bytes that
// are not UTF-8. The message names the line of the first offending byte.
func CheckText(t *lint.Text) *lint.Problem {
	data := t.Data
	if hasUTF16BOM(data) {
		return nil // the YAML parser decodes UTF-16 itself
	}
	head := data[:min(len(data), 8000)]
	if i := bytes.IndexByte(head, 0); i >= 0 {
		return &lint.Problem{Pos: lint.Pos{File: t.Name, Line: t.LineAt(i)}, Level: lint.Error,
			Message: "binary file (NUL byte), not YAML or JSON; not linted"}
	}
	if !utf8.Valid(data) {
		off := firstInvalidUTF8(data)
		return &lint.Problem{Pos: lint.Pos{File: t.Name, Line: t.LineAt(off), Column: t.ColumnAt(off)}, Level: lint.Error,
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
func ParseYAML(t *lint.Text, lim Limits, yield func(root *yaml.Node)) []lint.Problem {
	var problems []lint.Problem
	dec := yaml.NewDecoder(bytes.NewReader(t.Data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return problems
		}
		if err != nil {
			line, msg := lint.YAMLErrorPos(err)
			if line > 0 {
				line += t.Offset
			}
			return append(problems, lint.Problem{Pos: lint.Pos{File: t.Name, Line: line}, Level: lint.Error, Message: msg})
		}
		if len(doc.Content) == 0 || isEmptyDocument(doc.Content[0]) {
			continue
		}
		root := doc.Content[0]
		if t.Offset != 0 {
			shiftLines(root, t.Offset)
		}
		if p := lint.CheckTree(root, lim.MaxAliasNodes); p != nil {
			problems = append(problems, lint.Problem{Pos: lint.Pos{File: t.Name, Line: p.Line, Column: p.Column}, Level: lint.Error, Message: p.Msg})
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
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" && n.Value == ""
}
