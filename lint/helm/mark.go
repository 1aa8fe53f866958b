package helm

import (
	"bytes"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Line mapping works by marking: before rendering, each line of a template's top-level text gets a
// marker at the end of its own output, naming the file and line. After rendering, one pass over
// each rendered file reads the markers, strips them, and records for every rendered line the
// template line that produced it (see strip.go). The engine and every template function run
// unchanged on the marked text, so the render is Helm's own.
//
// Where markers go follows text/template's lexing, trim markers included:
//   - only in top-level text: never inside an action, never in a define or block body, whose
//     output is compared, truncated and hashed by helpers (`eq (include "x" .) "true"`);
//   - after the last non-space character the line writes, so whitespace trimmed by a following
//     {{- is trimmed as before;
//   - after the line's last output action when it ends the line; when that action trims what
//     follows it (-}}), the marker is itself an action, {{"marker" -}}, that trims in its place;
//   - lines with only control actions ({{- end }}, {{- if .x }}), comments or declarations get
//     none: their line has no output of its own.
//
// The same rewrite bounds hostile templates: every define, block and range body starts with a
// call of tickFunc (no output), which counts work and checks the deadline and stack depth, and
// the template argument of every tpl call passes through tplGuardFunc, which does the same and
// rewrites the nested template likewise. Both are plain functions, so the output is unchanged.

const (
	tickFunc     = "_ekslintTick"
	tplGuardFunc = "_ekslintTpl"
)

// edit inserts text at offset off of the original source.
type edit struct {
	off  int
	text string
}

// marking is what rewriting one template produced.
type marking struct {
	data  []byte
	edits []edit
	// values lists, for template lines with actions that read .Values, the value paths they read
	// (`replicaCount`, `image.tag`); the locator uses them for related locations.
	values map[int][]string
	// first is the first line with a marker: where lines land that no marker names.
	first int
}

// markerPrefix starts every marker: "#@" and the run's token. A marker is
// markerPrefix + file id + "." + line + "@", both numbers in base 36.
func markerPrefix(token string) string { return "#@" + token }

func appendMarker(b []byte, token string, file, line int) []byte {
	b = append(b, "#@"...)
	b = append(b, token...)
	b = strconv.AppendInt(b, int64(file), 36)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(line), 36)
	return append(b, '@')
}

// rewriteOptions say what rewrite adds besides the guards.
type rewriteOptions struct {
	mark   bool // add line markers to top-level text
	file   int  // the file id markers carry
	token  string
	values bool // collect .Values paths per line
}

// rewrite adds guards (and, when asked, markers) to a template. It returns nil when src does not
// lex: text/template then reports the error with the original positions.
func rewrite(src []byte, o rewriteOptions) *marking {
	ps, err := scan(src)
	if err != nil {
		return nil
	}
	m := &marking{}
	var edits []edit
	line := 1
	defines := 0       // define and block bodies we are in
	var stack []block  // open blocks
	var cand candidate // the last output element of the current line
	flush := func() {
		if o.mark && cand.set && !cand.pending {
			var b []byte
			if cand.trimAfter {
				b = append(b, `{{"`...)
				b = appendMarker(b, o.token, o.file, cand.line)
				b = append(b, `" -}}`...)
			} else {
				b = appendMarker(b, o.token, o.file, cand.line)
			}
			edits = append(edits, edit{cand.off, string(b)})
			if m.first == 0 {
				m.first = cand.line
			}
		}
		cand = candidate{}
	}
	for _, p := range ps {
		top := defines == 0
		if p.kind == text {
			for i := p.start; i < p.end; i++ {
				switch c := src[i]; {
				case c == '\n':
					flush()
					line++
				case top && !isSpace(c):
					cand = candidate{set: true, off: i + 1, line: line, depth: len(stack)}
				}
			}
			continue
		}
		startLine := line
		line += bytes.Count(src[p.start:p.end], []byte{'\n'})
		edits = appendTplGuards(edits, src, p)
		dot := ""
		if n := len(stack); n > 0 {
			dot = stack[n-1].dot
		}
		if o.values && p.kind != comment {
			m.addValues(startLine, src[p.bodyStart:p.bodyEnd], dot)
		}
		switch p.kind {
		case output:
			if top {
				cand = candidate{set: true, off: p.end, line: startLine, trimAfter: p.rightTrim, depth: len(stack)}
			}
		case open:
			b := block{kind: open, dot: dot, outer: dot}
			if keyword(src[p.bodyStart:p.bodyEnd]) == "with" {
				b.dot = withValues(src[p.bodyStart:p.bodyEnd], dot)
			}
			stack = append(stack, b)
		case elseAct:
			if cand.set && cand.depth >= len(stack) {
				// The line's output so far is in the branch that just ended: a marker there is
				// not written when another branch runs. It goes after the block's end.
				cand.pending = true
			}
			if n := len(stack); n > 0 {
				// The else branch of a with runs with the outer dot; `else with` sets a new one.
				b := &stack[n-1]
				b.dot = b.outer
				if rest := bytes.TrimSpace(src[p.bodyStart:p.bodyEnd])[len("else"):]; keyword(rest) == "with" {
					b.dot = withValues(rest, b.outer)
				}
			}
		case loop, define:
			stack = append(stack, block{kind: p.kind})
			if p.kind == define {
				defines++
			}
			tick := "{{" + tickFunc + "}}"
			if p.rightTrim {
				tick = "{{" + tickFunc + " -}}"
			}
			edits = append(edits, edit{p.end, tick})
		case end:
			if n := len(stack); n > 0 {
				if stack[n-1].kind == define {
					defines--
				}
				stack = stack[:n-1]
			}
			if cand.set && cand.depth > len(stack) {
				// Output in a block that ends on the line: mark after the end, which is written
				// whichever way the block went.
				cand = candidate{set: true, off: p.end, line: cand.line, trimAfter: p.rightTrim, depth: len(stack)}
			}
		}
	}
	flush()
	slices.SortStableFunc(edits, func(a, b edit) int { return a.off - b.off })
	m.edits = edits
	m.data = apply(src, edits)
	return m
}

// candidate is where the marker of the current line goes: after text at off, or after an action
// ending at off (trimAfter when that action trims what follows it). depth is how many blocks are
// open there; pending means it waits for the end of its block.
type candidate struct {
	set       bool
	off       int
	line      int
	trimAfter bool
	depth     int
	pending   bool
}

func apply(src []byte, edits []edit) []byte {
	n := len(src)
	for _, e := range edits {
		n += len(e.text)
	}
	out := make([]byte, 0, n)
	prev := 0
	for _, e := range edits {
		out = append(out, src[prev:e.off]...)
		out = append(out, e.text...)
		prev = e.off
	}
	return append(out, src[prev:]...)
}

// originalOffset maps an offset in the rewritten text back to the source; an offset inside
// inserted text maps to its insertion point.
func originalOffset(edits []edit, off int) int {
	shift := 0
	for _, e := range edits {
		at := e.off + shift
		if off < at {
			break
		}
		if off < at+len(e.text) {
			return e.off
		}
		shift += len(e.text)
	}
	return off - shift
}

// appendTplGuards wraps the template argument of each tpl call in the action p:
// `tpl .Values.x .` becomes `tpl (_ekslintTpl .Values.x) .`.
func appendTplGuards(edits []edit, src []byte, p piece) []edit {
	if p.kind == comment || !bytes.Contains(src[p.bodyStart:p.bodyEnd], []byte("tpl")) {
		return edits
	}
	b := src[:p.bodyEnd]
	for i := p.bodyStart; i < len(b); {
		switch c := b[i]; {
		case c == '"' || c == '\'':
			end, ok := skipQuoted(b, i)
			if !ok {
				return edits
			}
			i = end
		case c == '`':
			x := bytes.IndexByte(b[i+1:], '`')
			if x < 0 {
				return edits
			}
			i += x + 2
		case isIdentStart(c):
			j := i
			for j < len(b) && isIdentChar(b[j]) {
				j++
			}
			isFunc := i == 0 || b[i-1] != '.' && b[i-1] != '$' && !isIdentChar(b[i-1])
			if isFunc && string(b[i:j]) == "tpl" {
				s := j
				for s < len(b) && isSpace(b[s]) {
					s++
				}
				if s > j && s < len(b) {
					if e := operandEnd(b, s); e > s {
						edits = append(edits, edit{s, "(" + tplGuardFunc + " "}, edit{e, ")"})
					}
				}
			}
			i = j
		default:
			i++
		}
	}
	return edits
}

// operandEnd returns the end of the operand starting at b[s] (a field chain, variable, literal or
// parenthesised pipeline), or s when there is none.
func operandEnd(b []byte, s int) int {
	i := s
	switch b[i] {
	case '|', ')', ',', '=':
		return s
	case '"', '\'':
		end, ok := skipQuoted(b, i)
		if !ok {
			return s
		}
		return end
	case '`':
		x := bytes.IndexByte(b[i+1:], '`')
		if x < 0 {
			return s
		}
		return i + x + 2
	case '(':
		depth := 0
	parens:
		for i < len(b) {
			switch b[i] {
			case '"', '\'':
				end, ok := skipQuoted(b, i)
				if !ok {
					return s
				}
				i = end
				continue
			case '`':
				x := bytes.IndexByte(b[i+1:], '`')
				if x < 0 {
					return s
				}
				i += x + 2
				continue
			case '(':
				depth++
			case ')':
				depth--
				if depth == 0 {
					i++
					break parens
				}
			}
			i++
		}
		if depth != 0 {
			return s
		}
	}
	for i < len(b) && !isSpace(b[i]) && b[i] != ')' && b[i] != '(' && b[i] != '|' && b[i] != ',' {
		i++
	}
	return i
}

// block is an open if, with, range, define or block, with the value path its body's dot stands
// for when it is a value (`{{ with .Values.resources }}`), else "".
type block struct {
	kind       kind
	dot, outer string
}

// keyword is the first word of an action body.
func keyword(body []byte) string {
	b := bytes.TrimLeft(body, " \t\r\n")
	i := 0
	for i < len(b) && isIdentChar(b[i]) {
		i++
	}
	return string(b[:i])
}

// withPipeline is a with whose pipeline is one value: `with .Values.resources`, `with .limits`.
var withPipeline = regexp.MustCompile(`^\s*with\s+(\$?)\.((?:Values)?(?:\.?[A-Za-z_][A-Za-z0-9_]*)*)\s*$`)

// withValues is the value path the dot stands for inside `with <pipeline>`, given the dot outside.
func withValues(body []byte, dot string) string {
	m := withPipeline.FindSubmatch(body)
	if m == nil {
		return ""
	}
	p := string(m[2])
	if rest, ok := strings.CutPrefix(p, "Values."); ok && (len(m[1]) > 0 || dot == "") {
		return rest
	}
	if dot == "" || len(m[1]) > 0 || p == "" {
		return ""
	}
	return dot + "." + p
}

// addValues records the value paths an action on line reads: .Values paths, and inside a
// `with .Values.x` the dot and its fields.
func (m *marking) addValues(line int, body []byte, dot string) {
	for i := 0; i < len(body); i++ {
		switch c := body[i]; {
		case c == '"' || c == '\'':
			end, ok := skipQuoted(body, i)
			if !ok {
				return
			}
			i = end - 1
		case c == '`':
			x := bytes.IndexByte(body[i+1:], '`')
			if x < 0 {
				return
			}
			i += x + 1
		case c == '.' && (i == 0 || strings.IndexByte(" \t\r\n(|,$", body[i-1]) >= 0):
			j := i
			for j < len(body) && body[j] == '.' && (j+1 >= len(body) || isIdentStart(body[j+1]) || j == i) {
				j++
				for j < len(body) && isIdentChar(body[j]) {
					j++
				}
			}
			chain := string(body[i+1 : j])
			switch rest, ok := strings.CutPrefix(chain, "Values."); {
			case ok && rest != "":
				m.addValue(line, rest)
			case dot != "" && chain == "":
				m.addValue(line, dot)
			case dot != "" && chain != "Values" && !ok:
				m.addValue(line, dot+"."+chain)
			}
			i = j - 1
		}
	}
}

func (m *marking) addValue(line int, path string) {
	if m.values == nil {
		m.values = map[int][]string{}
	}
	if !slices.Contains(m.values[line], path) {
		m.values[line] = append(m.values[line], path)
	}
}
