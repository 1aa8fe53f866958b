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

// Line mapping works by marking: before rendering, each line of a template gets a marker at the
// end of its own output, naming the file and line, of one kind in top-level text and another in
// define and block bodies. After rendering, one pass over each rendered file reads the markers,
// strips them, and records for every rendered line the template line that produced it (see
// strip.go). The engine and every template function run unchanged on the marked text, so the
// render is Helm's own.
//
// Where markers go follows text/template's lexing, trim markers included:
//   - never inside an action;
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
//     "x/templates/cm.yaml" . | sha256sum`, `eq (include "x.enabled" .) "true"`, `| trunc 63`)
//     is then what a plain render gives. Markers reach the output only as written, or through
//     trim, indent and nindent from an include written out (see writesHelper), never through
//     another function.

const (
	tickFunc     = "_ekslintTick"
	tplGuardFunc = "_ekslintTpl"
	stripFunc    = "_ekslintStrip"
	helperFunc   = "_ekslintHelper"
	// helperTrimFunc is helperFunc for an include that trim follows (see writesHelper).
	helperTrimFunc = "_ekslintHelperTrim"
	// helperBeginFunc and helperEndFunc mark what a template action writes (see
	// appendTemplateMarks).
	helperBeginFunc = "_ekslintHelperBegin"
	helperEndFunc   = "_ekslintHelperEnd"
	outFunc         = "_ekslintOut"
	filesFunc       = "_ekslintFiles"
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
	// first is the first line with a top-level marker: where lines land that no marker names.
	first int
	// defines are the template's define and block bodies, in order.
	defines []defineSpan
}

// defineSpan is a define or block: its name, the lines from its action to its end, and whether
// its body is empty for text/template (an empty definition does not replace another).
type defineSpan struct {
	name        string
	line, last  int
	empty       bool
	nameDynamic bool // the name is not a string literal
}

// Markers are markerPrefix + what the marker says + "@": file id and line in base 36 joined by
// "." for a line of top-level text, by ":" for a line of a define body; around what an include
// of a helper writes (see helperFunc), "<" and the file id, first and last line of the helper's
// define joined by ".", then ">".
const (
	topMark    = '.'
	helperMark = ':'
	beginMark  = '<'
	endMark    = '>'
)

// markerPrefix starts every marker: "#@" and the run's token.
func markerPrefix(token string) string { return "#@" + token }

func appendMarker(b []byte, token string, file int, sep byte, line int) []byte {
	b = append(b, "#@"...)
	b = append(b, token...)
	b = strconv.AppendInt(b, int64(file), 36)
	b = append(b, sep)
	b = strconv.AppendInt(b, int64(line), 36)
	return append(b, '@')
}

// appendSpan appends the file id and the first and last line of a define, in base 36.
func appendSpan(b []byte, file, first, last int) []byte {
	b = strconv.AppendInt(b, int64(file), 36)
	b = append(b, '.')
	b = strconv.AppendInt(b, int64(first), 36)
	b = append(b, '.')
	return strconv.AppendInt(b, int64(last), 36)
}

// rewriteOptions say what rewrite adds besides the guards.
type rewriteOptions struct {
	mark        bool // add line markers to top-level text
	markHelpers bool // add line markers to define and block bodies
	file        int  // the file id markers carry
	token       string
	values      bool // collect .Values paths per line
	files       bool // put chargedFiles in place of .Files first (a chart's template, not tpl text)
}

// filesAction puts chargedFiles (files.go) in place of Helm's .Files in the context of a chart's
// templates, before anything else runs: every use of it, spelled `.Files`, `index . "Files"` or
// `get $ "Files"`, is then charged. It writes nothing.
const filesAction = "{{" + filesFunc + " .}}"

// rewrite adds guards (and, when asked, markers) to a template. It returns nil when src does not
// lex: text/template then reports the error with the original positions.
func rewrite(src []byte, o rewriteOptions) *marking {
	ps, err := scan(src)
	if err != nil {
		return nil
	}
	var vars map[string]bool
	if o.markHelpers {
		vars = helperVariables(src, ps)
	}
	m := &marking{}
	var edits []edit
	line := 1
	defines := 0      // define and block bodies we are in
	var stack []block // open blocks
	// cands are the last output elements of the current line: at the top level, and in a define
	// or block body (a line can hold both, around a define on one line).
	var cands [2]candidate
	flush := func(ctx int) {
		c := &cands[ctx]
		if c.set && !c.pending && (ctx == inDefine && o.markHelpers || ctx == atTop && o.mark) {
			sep := byte(topMark)
			if ctx == inDefine {
				sep = helperMark
			}
			var b []byte
			if c.trimAfter {
				b = append(b, `{{"`...)
				b = appendMarker(b, o.token, o.file, sep, c.line)
				b = append(b, `" -}}`...)
			} else {
				b = appendMarker(b, o.token, o.file, sep, c.line)
			}
			edits = append(edits, edit{c.off, string(b)})
			if m.first == 0 && ctx == atTop {
				m.first = c.line
			}
		}
		*c = candidate{}
	}
	topText := 0        // bytes of top-level text, which the top-level tick counts
	topContent := false // whether text/template counts the top-level tree as not empty
	for _, p := range ps {
		ctx := atTop
		if defines > 0 {
			ctx = inDefine
		}
		cand := &cands[ctx]
		if p.kind != end && p.kind != comment && (p.kind != text || len(bytes.TrimSpace(src[p.start:p.end])) > 0) {
			switch {
			case ctx == inDefine:
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
					flush(atTop)
					flush(inDefine)
					line++
					continue
				}
				r, size := rune(c), 1
				if c >= utf8.RuneSelf {
					r, size = utf8.DecodeRune(src[i:p.end])
				}
				if !unicode.IsSpace(r) {
					*cand = candidate{set: true, off: i + size, line: line, depth: len(stack)}
				}
				i += size - 1
			}
			continue
		}
		startLine := line
		line += bytes.Count(src[p.start:p.end], []byte{'\n'})
		edits = appendCallGuards(edits, src, p, o.markHelpers, vars)
		dot := ""
		if n := len(stack); n > 0 {
			dot = stack[n-1].dot
		}
		if o.values && p.kind != comment {
			m.addValues(startLine, src[p.bodyStart:p.bodyEnd], dot)
		}
		switch p.kind {
		case output:
			if body := src[p.bodyStart:p.bodyEnd]; keyword(body) == "template" {
				edits = appendTemplateMarks(edits, src, p, o.markHelpers)
			} else {
				pipe := " | "
				if bytes.HasSuffix(bytes.TrimRightFunc(body, unicode.IsSpace), []byte("|")) {
					pipe = " " // {{ x | }}: Go's parser lets a pipeline end in a pipe
				}
				edits = append(edits, edit{p.bodyEnd, pipe + outFunc})
			}
			*cand = candidate{set: true, off: p.end, line: startLine, trimAfter: p.rightTrim, depth: len(stack)}
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
			b := block{kind: p.kind, tick: len(edits), rightTrim: p.rightTrim, line: startLine}
			if p.kind == define {
				defines++
				b.name, b.nameDynamic = defineName(src[p.bodyStart:p.bodyEnd])
			}
			stack = append(stack, b)
			edits = append(edits, edit{p.end, tickAction(0, p.rightTrim)})
		case end:
			n := len(stack)
			if n == 0 {
				continue
			}
			b := stack[n-1]
			stack = stack[:n-1]
			switch {
			case b.kind == define && !b.content:
				edits[b.tick].text = ""
			case b.kind == loop || b.kind == define:
				edits[b.tick].text = tickAction(b.text, b.rightTrim)
			}
			if b.kind == define {
				// The body's last output keeps its marker in the body.
				defines--
				m.defines = append(m.defines, defineSpan{name: b.name, nameDynamic: b.nameDynamic, line: b.line, last: line, empty: !b.content})
				flush(inDefine)
			} else if cand.set && cand.depth > len(stack) {
				// Output in a block that ends on the line: mark after the end, which is written
				// whichever way the block went.
				*cand = candidate{set: true, off: p.end, line: cand.line, trimAfter: p.rightTrim, depth: len(stack)}
			}
		}
	}
	flush(atTop)
	flush(inDefine)
	if topContent {
		if o.files {
			edits = append(edits, edit{0, filesAction})
		}
		edits = append(edits, edit{0, tickAction(topText, false)})
	}
	edits = slices.DeleteFunc(edits, func(e edit) bool { return e.text == "" })
	slices.SortStableFunc(edits, func(a, b edit) int { return a.off - b.off })
	m.edits = edits
	m.data = apply(src, edits)
	return m
}

// The two places a line's output can be: top-level text, or a define or block body.
const (
	atTop = iota
	inDefine
)

// defineName reads the name of a define or block action: its string literal, or (dynamic) none.
func defineName(body []byte) (string, bool) {
	rest := bytes.TrimSpace(body)
	rest = bytes.TrimSpace(rest[len(keyword(rest)):])
	if len(rest) == 0 || rest[0] != '"' && rest[0] != '`' {
		return "", true
	}
	end := len(rest)
	if rest[0] == '"' {
		e, ok := skipQuoted(rest, 0)
		if !ok {
			return "", true
		}
		end = e
	} else if i := bytes.IndexByte(rest[1:], '`'); i >= 0 {
		end = i + 2
	}
	name, err := strconv.Unquote(string(rest[:end]))
	return name, err != nil
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
// `tpl (_ekslintTpl .Values.x) . | _ekslintStrip| nindent 4`. When helpers are marked, an include
// of a helper named by a string literal, whose text only goes to the output, indented or not,
// passes through helperFunc instead, given the name, which keeps the markers of the helper's lines
// and marks where its text starts and ends (see writesHelper).
func appendCallGuards(edits []edit, src []byte, p piece, helpers bool, vars map[string]bool) []edit {
	body := src[p.bodyStart:p.bodyEnd]
	if p.kind == comment || !bytes.Contains(body, []byte("tpl")) && !bytes.Contains(body, []byte("include")) {
		return edits
	}
	b := src[:p.bodyEnd]
	for i := p.bodyStart; i < len(b); {
		switch c := b[i]; {
		case c == '"' || c == '\'' || c == '`':
			end, ok := skipLiteral(b, i)
			if !ok {
				return edits
			}
			i = end
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
					guard := stripFunc
					if helper, ok := includedHelper(b[j:e]); ok && helpers && name == "include" {
						if writes, trimmed := writesHelper(src, p, i, e, vars); trimmed {
							guard = helperTrimFunc + " " + strconv.Quote(helper)
						} else if writes {
							guard = helperFunc + " " + strconv.Quote(helper)
						}
					}
					edits = append(edits, edit{e, " | " + guard})
				}
			}
			i = j
		default:
			i++
		}
	}
	return edits
}

// appendTemplateMarks marks, when helpers are marked, where the text of the template action p
// starts and ends, as helperFunc marks an include's: `{{- template "x" . }}` becomes
// `{{- _ekslintHelperBegin "x" }}{{ template "x" . }}{{ _ekslintHelperEnd }}`. The trim markers
// stay on the outer actions, so the text around trims as before; the action writes its helper's
// text, with the markers of its lines, straight to the output.
func appendTemplateMarks(edits []edit, src []byte, p piece, helpers bool) []edit {
	body := bytes.TrimLeft(src[p.bodyStart:p.bodyEnd], " \t\r\n")
	name, ok := includedHelper(body[len("template"):])
	if !helpers || !ok {
		return edits
	}
	return append(edits, edit{p.bodyStart, helperBeginFunc + " " + strconv.Quote(name) + " }}{{ "},
		edit{p.bodyEnd, " }}{{ " + helperEndFunc + " "})
}

// includedHelper is the name of the helper an include command's arguments name with a string
// literal, when they do.
func includedHelper(args []byte) (string, bool) {
	args = bytes.TrimLeft(args, " \t\r\n")
	if len(args) == 0 || args[0] != '"' && args[0] != '`' {
		return "", false
	}
	end := operandEnd(args, 0)
	name, err := strconv.Unquote(string(args[:end]))
	return name, err == nil
}

// writesHelper reports whether the include command src[start:end] of the action p writes what it
// returns to the output as it is, or trimmed by a trim right after it and indented by the indent
// or nindent that follow: the action writes its value, or declares one of vars with it (see
// helperVariables), the include starts its pipeline, and only those come after. The text keeps
// the markers of the helper's lines then, which no function but these sees; trimmed says the
// helper's text is trimmed, which helperTrimFunc does around the markers, leaving the trim that
// follows nothing to do.
func writesHelper(src []byte, p piece, start, end int, vars map[string]bool) (writes, trimmed bool) {
	before := bytes.TrimSpace(src[p.bodyStart:start])
	switch {
	case p.kind == output && len(before) == 0:
	case p.kind == silent && vars[declared(before)]:
	default:
		return false, false
	}
	b := src[:p.bodyEnd]
	for i := end; i < len(b); {
		if b[i] != '|' {
			return false, false // a ) closing nothing: text/template refuses the action
		}
		switch keyword(b[i+1:]) {
		case "indent", "nindent":
		case "trim":
			if i != end {
				return false, false
			}
			trimmed = true
		default:
			return false, false
		}
		if i = commandEnd(b, i+1); i < 0 {
			return false, false
		}
	}
	return true, trimmed
}

// declared is the variable `$name :=` declares, "" for anything else.
func declared(b []byte) string {
	name, ok := bytes.CutSuffix(b, []byte(":="))
	name = bytes.TrimSpace(name)
	if !ok || len(name) < 2 || name[0] != '$' || !isIdentStart(name[1]) || bytes.IndexFunc(name[1:], func(r rune) bool { return r >= 128 || !isIdentChar(byte(r)) }) >= 0 {
		return ""
	}
	return string(name)
}

// helperVariables are the variables a template declares once to hold a helper's text,
// `{{ $rules := include "x.rules" . }}`, and only writes out after that, as it is or indented
// (`{{ $rules }}`, `{{ $rules | nindent 4 }}`): their include keeps the markers of the helper's
// lines, as an include written out does (writesHelper), so what the text holds lands on the
// helper's lines. A variable read any other way (compared, parsed, passed to a function,
// assigned again) holds the text as Helm renders it.
func helperVariables(src []byte, ps []piece) map[string]bool {
	declarations := map[string]int{}
	other := map[string]bool{} // read or set otherwise
	for _, p := range ps {
		if p.kind == text || p.kind == comment {
			continue
		}
		body := src[p.bodyStart:p.bodyEnd]
		for _, use := range variableUses(body) {
			v, rest := string(body[use[0]:use[1]]), bytes.TrimSpace(body[use[1]:])
			switch {
			case p.kind == silent && use[0] == len(body)-len(bytes.TrimLeft(body, " \t\r\n")) &&
				bytes.HasPrefix(rest, []byte(":=")) && keyword(bytes.TrimSpace(rest[2:])) == "include":
				declarations[v]++
			case p.kind == output && len(bytes.TrimSpace(body[:use[0]])) == 0 && writtenAsIs(rest):
			default:
				other[v] = true
			}
		}
	}
	vars := map[string]bool{}
	for v, n := range declarations {
		if n == 1 && !other[v] {
			vars[v] = true
		}
	}
	return vars
}

// writtenAsIs reports whether what follows a variable in an output action writes it as it is or
// indented: nothing, or pipes to indent and nindent.
func writtenAsIs(rest []byte) bool {
	for i := 0; i < len(rest); {
		if rest[i] != '|' {
			return false
		}
		if k := keyword(bytes.TrimLeft(rest[i+1:], " \t\r\n")); k != "indent" && k != "nindent" {
			return false
		}
		if i = commandEnd(rest, i+1); i < 0 {
			return false
		}
	}
	return true
}

// variableUses returns where each variable with a name ($x, not $ alone or $.x) starts and ends
// in an action's body, outside string literals.
func variableUses(body []byte) [][2]int {
	var uses [][2]int
	for i := 0; i < len(body); {
		switch c := body[i]; {
		case c == '"' || c == '\'' || c == '`':
			end, ok := skipLiteral(body, i)
			if !ok {
				return uses
			}
			i = end
		case c == '$' && i+1 < len(body) && isIdentStart(body[i+1]):
			j := i + 1
			for j < len(body) && isIdentChar(body[j]) {
				j++
			}
			uses = append(uses, [2]int{i, j})
			i = j
		default:
			i++
		}
	}
	return uses
}

// commandEnd returns where the command that goes on at b[i] ends: at the next | or unmatched )
// outside strings and parentheses, or at the end of b; -1 when a string does not end.
func commandEnd(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		switch b[i] {
		case '"', '\'', '`':
			end, ok := skipLiteral(b, i)
			if !ok {
				return -1
			}
			i = end
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
	case '"', '\'', '`':
		end, ok := skipLiteral(b, i)
		if !ok {
			return s
		}
		return end
	case '(':
		depth := 0
	parens:
		for i < len(b) {
			switch b[i] {
			case '"', '\'', '`':
				end, ok := skipLiteral(b, i)
				if !ok {
					return s
				}
				i = end
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
	line       int // where the block's action starts
	// name is a define's or block's name; nameDynamic, when it is not a string literal.
	name        string
	nameDynamic bool
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
var withPipeline = regexp.MustCompile(`^\s*with\s+(\$[A-Za-z0-9_]*)?\.((?:Values)?(?:\.?[A-Za-z_][A-Za-z0-9_]*)*)\s*$`)

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
		case c == '"' || c == '\'' || c == '`':
			end, ok := skipLiteral(body, i)
			if !ok {
				return
			}
			i = end - 1
		case c == '.' && (i == 0 || strings.IndexByte(" \t\r\n(|,$", body[i-1]) >= 0 || isVariableEnd(body, i)):
			// After `$` or a variable (`$root.Values.x`, as helpers that range keep the root
			// context), only .Values is read: the dot is not what `with` made it.
			rooted := i > 0 && (body[i-1] == '$' || isVariableEnd(body, i))
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
			case rooted:
			case dot != "" && chain == "":
				m.addValue(line, dot)
			case dot != "" && chain != "Values" && !ok:
				m.addValue(line, dot+"."+chain)
			}
			i = j - 1
		}
	}
}

// isVariableEnd reports whether body[:i] ends with a variable's name, `$root`.
func isVariableEnd(body []byte, i int) bool {
	j := i
	for j > 0 && isIdentChar(body[j-1]) {
		j--
	}
	return j < i && j > 0 && body[j-1] == '$'
}

func (m *marking) addValue(line int, path string) {
	if m.values == nil {
		m.values = map[int][]string{}
	}
	if !slices.Contains(m.values[line], path) {
		m.values[line] = append(m.values[line], path)
	}
}
