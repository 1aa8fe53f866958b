package helm

import (
	"bytes"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
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
// The same rewrite bounds hostile templates: every define, block and range body, and every
// template's top-level text, starts with a call of tickFunc (no output), which counts work and
// the text the body writes and checks the deadline and stack depth; every value an action prints
// passes through outFunc, which counts it; and the template argument of every tpl call passes
// through tplGuardFunc, which does the same as a tick and rewrites the nested template likewise.
// They are plain functions that return what they are given, so the output is unchanged.
//
// Nothing the rewrite adds may change what Helm renders, markers stripped:
//   - a define or block body that is empty for text/template (only spaces and comments) gets no
//     tick: an empty definition does not replace another of the same name, nor clash with it
//     ("multiple definition of template"), and a tick would make it not empty;
//   - a line whose text is only Unicode spaces (which text/template's emptiness test counts as
//     space, though its trim markers do not) gets no marker, for the same reason;
//   - the result of every include and tpl call passes through stripFunc, which removes the
//     markers: the text of a marked template captured as a value (`include
//     "x/templates/cm.yaml" . | sha256sum`, `| len`, `| upper`) is then what a plain render
//     gives. Markers reach the output only as written, never through a function.

const (
	tickFunc     = "_ekslintTick"
	tplGuardFunc = "_ekslintTpl"
	stripFunc    = "_ekslintStrip"
	outFunc      = "_ekslintOut"
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
	topText := 0        // bytes of top-level text, which the top-level tick counts
	topContent := false // whether text/template counts the top-level tree as not empty
	for _, p := range ps {
		top := defines == 0
		if p.kind != end && p.kind != comment && (p.kind != text || len(bytes.TrimSpace(src[p.start:p.end])) > 0) {
			switch {
			case !top:
				innermostDefine(stack).content = true
			case p.kind != define || keyword(src[p.bodyStart:p.bodyEnd]) == "block":
				topContent = true
			}
		}
		if p.kind == text {
			if b := textOwner(stack); b != nil {
				b.text += p.end - p.start
			} else {
				topText += p.end - p.start
			}
			for i := p.start; i < p.end; i++ {
				c := src[i]
				if c == '\n' {
					flush()
					line++
					continue
				}
				r, size := rune(c), 1
				if c >= utf8.RuneSelf {
					r, size = utf8.DecodeRune(src[i:p.end])
				}
				if top && !unicode.IsSpace(r) {
					cand = candidate{set: true, off: i + size, line: line, depth: len(stack)}
				}
				i += size - 1
			}
			continue
		}
		startLine := line
		line += bytes.Count(src[p.start:p.end], []byte{'\n'})
		edits = appendCallGuards(edits, src, p)
		dot := ""
		if n := len(stack); n > 0 {
			dot = stack[n-1].dot
		}
		if o.values && p.kind != comment {
			m.addValues(startLine, src[p.bodyStart:p.bodyEnd], dot)
		}
		switch p.kind {
		case output:
			if keyword(src[p.bodyStart:p.bodyEnd]) != "template" {
				edits = append(edits, edit{p.bodyEnd, " | " + outFunc})
			}
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
				// The else branch of a range runs once, as part of the body around it.
				b := &stack[n-1]
				b.dot = b.outer
				b.inElse = b.kind == loop
				if rest := bytes.TrimSpace(src[p.bodyStart:p.bodyEnd])[len("else"):]; keyword(rest) == "with" {
					b.dot = withValues(rest, b.outer)
				}
			}
		case loop, define:
			stack = append(stack, block{kind: p.kind, tick: len(edits), rightTrim: p.rightTrim})
			edits = append(edits, edit{p.end, tickAction(0, p.rightTrim)})
			if p.kind == define {
				defines++
			}
		case end:
			if n := len(stack); n > 0 {
				switch b := stack[n-1]; {
				case b.kind == define && !b.content:
					edits[b.tick].text = ""
				case b.kind == loop || b.kind == define:
					edits[b.tick].text = tickAction(b.text, b.rightTrim)
				}
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
	if topContent {
		edits = append(edits, edit{0, tickAction(topText, false)})
	}
	edits = slices.DeleteFunc(edits, func(e edit) bool { return e.text == "" })
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

// appendCallGuards guards the include and tpl calls of the action p: the template argument of
// tpl passes through tplGuardFunc, and the result of both through stripFunc, at the end of the
// command that calls them: `tpl .Values.x . | nindent 4` becomes
// `tpl (_ekslintTpl .Values.x) . | _ekslintStrip| nindent 4`.
func appendCallGuards(edits []edit, src []byte, p piece) []edit {
	body := src[p.bodyStart:p.bodyEnd]
	if p.kind == comment || !bytes.Contains(body, []byte("tpl")) && !bytes.Contains(body, []byte("include")) {
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
			if name := string(b[i:j]); isFunc && (name == "tpl" || name == "include") {
				if name == "tpl" {
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
				if e := commandEnd(b, j); e >= 0 {
					edits = append(edits, edit{e, " | " + stripFunc})
				}
			}
			i = j
		default:
			i++
		}
	}
	return edits
}

// commandEnd returns where the command that goes on at b[i] ends: at the next | or unmatched )
// outside strings and parentheses, or at the end of b; -1 when a string does not end.
func commandEnd(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		switch b[i] {
		case '"', '\'':
			end, ok := skipQuoted(b, i)
			if !ok {
				return -1
			}
			i = end
			continue
		case '`':
			x := bytes.IndexByte(b[i+1:], '`')
			if x < 0 {
				return -1
			}
			i += x + 2
			continue
		case '(':
			depth++
		case ')':
			if depth == 0 {
				return i
			}
			depth--
		case '|':
			if depth == 0 {
				return i
			}
		}
		i++
	}
	return i
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
// for when it is a value (`{{ with .Values.resources }}`), else "". A range, define or block
// has a tick, at edits[tick]; a define or block has content once its body holds anything
// text/template does not count as empty.
type block struct {
	kind       kind
	dot, outer string
	// tick is the index of the tick in edits; rightTrim, whether the block's action trims the
	// spaces after it; text, the bytes of text the tick counts.
	tick      int
	rightTrim bool
	text      int
	content   bool
	inElse    bool // in the else branch of a range
}

// tickAction is the call of tickFunc that starts a body writing text bytes of text, trimming
// the spaces after it when the action it follows did.
func tickAction(text int, rightTrim bool) string {
	trim := ""
	if rightTrim {
		trim = " -"
	}
	return "{{" + tickFunc + " " + strconv.Itoa(text) + trim + "}}"
}

// textOwner is the block whose tick counts text written inside the innermost open block: the
// innermost range, define or block body, unless in the else branch of a range, which runs once
// as part of the body around it; nil at the top level.
func textOwner(stack []block) *block {
	for i := len(stack) - 1; i >= 0; i-- {
		if b := &stack[i]; (b.kind == loop || b.kind == define) && !b.inElse {
			return b
		}
	}
	return nil
}

// innermostDefine is the define or block body the innermost open block is in.
func innermostDefine(stack []block) *block {
	for i := len(stack) - 1; i >= 0; i-- {
		if stack[i].kind == define {
			return &stack[i]
		}
	}
	return &block{}
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
