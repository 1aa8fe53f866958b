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
func endOf(v *yaml.Node, t *Text) (line, col int) {
	if v == nil {
		return 0, 0
	}
	switch v.Kind {
	case yaml.ScalarNode:
		return scalarEnd(v, t)
	case yaml.AliasNode:
		return v.Line, v.Column + 1 + utf8.RuneCountInString(v.Value)
	case yaml.MappingNode, yaml.SequenceNode:
		return collectionEnd(v, t)
	case yaml.DocumentNode:
		if len(v.Content) > 0 {
			return endOf(v.Content[0], t)
		}
	}
	return v.Line, v.Column
}

func collectionEnd(v *yaml.Node, t *Text) (int, int) {
	flow := v.Style&yaml.FlowStyle != 0
	if len(v.Content) == 0 {
		if t == nil {
			return v.Line, v.Column + 2
		}
		return closeBracket(t, v.Line, skipProperties(t, v.Line, v.Column))
	}
	last := v.Content[len(v.Content)-1]
	line, col := endOf(last, t)
	if v.Kind == yaml.MappingNode && last.Kind == yaml.ScalarNode && last.Value == "" && isNull(last) {
		// `key:` with nothing after it: the mapping ends with the key.
		line, col = endOf(v.Content[len(v.Content)-2], t)
	}
	if flow && t != nil {
		return closeBracket(t, line, col)
	}
	return line, col
}

// closeBracket finds the `]` or `}` that closes a flow collection, searching from (line, col)
// over whitespace, commas and line breaks, and returns the column after it.
func closeBracket(t *Text, line, col int) (int, int) {
	for l := line; l <= t.Lines() && l < line+1000; l++ {
		b := t.Line(l)
		off := 0
		if l == line {
			off = ByteOffset(b, col)
		}
		for i := off; i < len(b); i++ {
			switch b[i] {
			case ']', '}':
				return l, utf8.RuneCount(b[:i]) + 2
			case ' ', '\t', ',':
			case '#':
				i = len(b)
			default:
				return line, col
			}
		}
	}
	return line, col
}

func scalarEnd(v *yaml.Node, t *Text) (int, int) {
	if t == nil || t.Line(v.Line) == nil {
		return estimatedScalarEnd(v)
	}
	col := skipProperties(t, v.Line, v.Column)
	switch {
	case v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return blockScalarEnd(t, v.Line)
	case v.Style&yaml.DoubleQuotedStyle != 0:
		return quotedEnd(t, v.Line, col, '"')
	case v.Style&yaml.SingleQuotedStyle != 0:
		return quotedEnd(t, v.Line, col, '\'')
	}
	b := t.Line(v.Line)
	off := ByteOffset(b, col)
	if !strings.Contains(v.Value, "\n") && bytes.HasPrefix(b[off:], []byte(v.Value)) {
		return v.Line, col + utf8.RuneCountInString(v.Value)
	}
	// A plain scalar written differently from its value (`~`, `0x1F`) or folded over lines:
	// end at the end of the token on its first line.
	end := len(b)
	if i := bytes.Index(b[off:], []byte(" #")); i >= 0 {
		end = off + i
	}
	rest := bytes.TrimRight(b[off:end], " \t")
	return v.Line, col + utf8.RuneCount(rest)
}

func estimatedScalarEnd(v *yaml.Node) (int, int) {
	if v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		lines := strings.Split(strings.TrimRight(v.Value, "\n"), "\n")
		return v.Line + len(lines), 1 + utf8.RuneCountInString(lines[len(lines)-1])
	}
	n := utf8.RuneCountInString(v.Value)
	if v.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		n += 2
	}
	return v.Line, v.Column + n
}

// skipProperties moves past an anchor (`&a`) or tag (`!Ref`) written before a value: YAML
// places the node at its first property.
func skipProperties(t *Text, line, col int) int {
	b := t.Line(line)
	off := ByteOffset(b, col)
	for off < len(b) && (b[off] == '&' || b[off] == '!') {
		for off < len(b) && b[off] != ' ' && b[off] != '\t' {
			off++
		}
		for off < len(b) && (b[off] == ' ' || b[off] == '\t') {
			off++
		}
	}
	return utf8.RuneCount(b[:off]) + 1
}

// quotedEnd finds the closing quote of a string starting at (line, col).
func quotedEnd(t *Text, line, col int, q byte) (int, int) {
	for l := line; l <= t.Lines(); l++ {
		b := t.Line(l)
		i := 0
		if l == line {
			i = ByteOffset(b, col) + 1
		}
		for ; i < len(b); i++ {
			switch {
			case q == '"' && b[i] == '\\':
				i++
			case b[i] == q && q == '\'' && i+1 < len(b) && b[i+1] == '\'':
				i++
			case b[i] == q:
				return l, utf8.RuneCount(b[:i]) + 2
			}
		}
	}
	return line, col + 1
}

// blockScalarEnd finds the last content line of a `|` or `>` scalar whose indicator is on line:
// content lines are the following lines indented deeper than the first content line's parent,
// and trailing blank lines do not count.
func blockScalarEnd(t *Text, line int) (int, int) {
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
	if last == line {
		b := t.Line(line)
		return line, utf8.RuneCount(bytes.TrimRight(b, " \t")) + 1
	}
	return last, utf8.RuneCount(bytes.TrimRight(t.Line(last), " \t")) + 1
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
