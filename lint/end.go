package lint

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// endOf returns the line and column just after the last character of v in t. YAML nodes carry
// only their start, so the end is found by reading the text from there; without text it is
// estimated from the value.
//
// The search works in byte offsets and turns the end into a column once: converting a column at
// every level of a deep flow collection written on one line (`{"Fn::If": [c, {"Fn::If": ...`)
// rescanned the line each time, and 4,000 levels took seconds per finding.
func endOf(v *yaml.Node, t *Text) (line, col int) {
	if v == nil {
		return 0, 0
	}
	if t == nil || t.Line(v.Line) == nil {
		return estimatedEnd(v)
	}
	end := textEnd(v, t)
	return end.line, t.Column(end.line, end.off)
}

// A textPos is a place in a text: a line and a byte offset in it.
type textPos struct{ line, off int }

// at is the place of line and column col (from 1, in characters).
func at(t *Text, line, col int) textPos { return textPos{line, t.ByteOffset(line, col)} }

func textEnd(v *yaml.Node, t *Text) textPos {
	switch v.Kind {
	case yaml.ScalarNode:
		return scalarEnd(v, t)
	case yaml.AliasNode:
		start := at(t, v.Line, v.Column)
		return textPos{v.Line, min(start.off+1+len(v.Value), len(t.Line(v.Line)))}
	case yaml.MappingNode, yaml.SequenceNode:
		return collectionEnd(v, t)
	case yaml.DocumentNode:
		if len(v.Content) > 0 {
			return textEnd(v.Content[0], t)
		}
	}
	return at(t, v.Line, v.Column)
}

func collectionEnd(v *yaml.Node, t *Text) textPos {
	if len(v.Content) == 0 {
		return closeBracket(t, skipProperties(t, v.Line, v.Column))
	}
	last := v.Content[len(v.Content)-1]
	if v.Kind == yaml.MappingNode && isEmptyValue(last) {
		// `key:` with nothing after it: the mapping ends with the key.
		last = v.Content[len(v.Content)-2]
	}
	end := textEnd(last, t)
	if v.Style&yaml.FlowStyle != 0 {
		return closeBracket(t, end)
	}
	return end
}

// isEmptyValue reports whether v is the null of a key written with nothing after it.
func isEmptyValue(v *yaml.Node) bool { return v.Kind == yaml.ScalarNode && v.Value == "" && isNull(v) }

// closeBracket finds the `]` or `}` that closes a flow collection, searching from p over
// whitespace, commas and line breaks, and returns the place after it; p itself when something
// else comes first.
func closeBracket(t *Text, p textPos) textPos {
	for l := p.line; l <= t.Lines() && l < p.line+1000; l++ {
		b := t.Line(l)
		off := 0
		if l == p.line {
			off = p.off
		}
		for i := off; i < len(b); i++ {
			switch b[i] {
			case ']', '}':
				return textPos{l, i + 1}
			case ' ', '\t', ',':
			case '#':
				i = len(b)
			default:
				return p
			}
		}
	}
	return p
}

func scalarEnd(v *yaml.Node, t *Text) textPos {
	start := skipProperties(t, v.Line, v.Column)
	switch {
	case v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return blockScalarEnd(t, v.Line)
	case v.Style&yaml.DoubleQuotedStyle != 0:
		return quotedEnd(t, start, '"')
	case v.Style&yaml.SingleQuotedStyle != 0:
		return quotedEnd(t, start, '\'')
	}
	b := t.Line(v.Line)
	if !strings.Contains(v.Value, "\n") && bytes.HasPrefix(b[start.off:], []byte(v.Value)) {
		return textPos{v.Line, start.off + len(v.Value)}
	}
	// A plain scalar written differently from its value (`~`, `0x1F`) or folded over lines:
	// end at the end of the token on its first line.
	end := len(b)
	if i := bytes.Index(b[start.off:], []byte(" #")); i >= 0 {
		end = start.off + i
	}
	return textPos{v.Line, start.off + len(bytes.TrimRight(b[start.off:end], " \t"))}
}

// estimatedEnd is the end of v when there is no text to read it from.
func estimatedEnd(v *yaml.Node) (int, int) {
	switch v.Kind {
	case yaml.ScalarNode:
		if v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			lines := strings.Split(strings.TrimRight(v.Value, "\n"), "\n")
			return v.Line + len(lines), 1 + utf8.RuneCountInString(lines[len(lines)-1])
		}
		n := utf8.RuneCountInString(v.Value)
		if v.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
			n += 2
		}
		return v.Line, v.Column + n
	case yaml.AliasNode:
		return v.Line, v.Column + 1 + utf8.RuneCountInString(v.Value)
	case yaml.MappingNode, yaml.SequenceNode:
		if len(v.Content) == 0 {
			return v.Line, v.Column + 2
		}
		last := v.Content[len(v.Content)-1]
		if v.Kind == yaml.MappingNode && isEmptyValue(last) {
			last = v.Content[len(v.Content)-2]
		}
		return estimatedEnd(last)
	case yaml.DocumentNode:
		if len(v.Content) > 0 {
			return estimatedEnd(v.Content[0])
		}
	}
	return v.Line, v.Column
}

// skipProperties moves past an anchor (`&a`) or tag (`!Ref`) written before the value at line
// and column col: YAML places the node at its first property.
func skipProperties(t *Text, line, col int) textPos {
	b := t.Line(line)
	off := t.ByteOffset(line, col)
	for off < len(b) && (b[off] == '&' || b[off] == '!') {
		for off < len(b) && b[off] != ' ' && b[off] != '\t' {
			off++
		}
		for off < len(b) && (b[off] == ' ' || b[off] == '\t') {
			off++
		}
	}
	return textPos{line, off}
}

// quotedEnd finds the closing quote of a string whose opening quote is at p, and returns the
// place after it.
func quotedEnd(t *Text, p textPos, q byte) textPos {
	for l := p.line; l <= t.Lines(); l++ {
		b := t.Line(l)
		i := 0
		if l == p.line {
			i = p.off + 1
		}
		for ; i < len(b); i++ {
			switch {
			case q == '"' && b[i] == '\\':
				i++
			case b[i] == q && q == '\'' && i+1 < len(b) && b[i+1] == '\'':
				i++
			case b[i] == q:
				return textPos{l, i + 1}
			}
		}
	}
	return textPos{p.line, min(p.off+1, len(t.Line(p.line)))}
}

// blockScalarEnd finds the last content line of a `|` or `>` scalar whose indicator is on line:
// content lines are the following lines indented deeper than the first content line's parent,
// and trailing blank lines do not count.
func blockScalarEnd(t *Text, line int) textPos {
	indent := -1
	last := line
	for l := line + 1; l <= t.Lines(); l++ {
		b := t.Line(l)
		trimmed := bytes.TrimLeft(b, " ")
		if len(bytes.TrimSpace(trimmed)) == 0 {
			continue
		}
		ind := len(b) - len(trimmed)
		if indent < 0 {
			if ind <= indentOf(t.Line(line)) {
				break
			}
			indent = ind
		}
		if ind < indent {
			break
		}
		last = l
	}
	return textPos{last, len(bytes.TrimRight(t.Line(last), " \t"))}
}

// indentOf is the number of spaces a line starts with.
func indentOf(b []byte) int { return len(b) - len(bytes.TrimLeft(b, " ")) }

// ByteOffset converts a column (from 1, in characters) to a byte offset in line b.
func ByteOffset(b []byte, col int) int {
	off := 0
	for c := 1; c < col && off < len(b); c++ {
		_, size := utf8.DecodeRune(b[off:])
		off += size
	}
	return off
}
