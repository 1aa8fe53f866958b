package helm

import (
	"bytes"
	"errors"
)

// The scanner splits a template into text and actions the way text/template's lexer does, which
// is all line mapping needs: where each action starts and ends, whether it trims the whitespace
// around it ({{- and -}}), and what kind of action it is. It is several times faster than
// text/template/parse and agrees with it on every valid template (a test compares the two).

// kind says what a piece of template source is.
type kind uint8

const (
	text    kind = iota
	comment      // {{/* ... */}}
	open         // if, with: opens a block ended by {{end}}
	loop         // range
	define       // define, block: a body that is not output where it is written
	elseAct      // else, else if, else with
	end          // end
	silent       // declarations, assignments, break, continue: no output
	output       // everything else writes something: {{ .Values.x }}, {{ include ... }}, {{ template ... }}
)

// piece is a run of text or one action: [start, end) in the source, an action from "{{" to just
// after "}}". body is the action's content between the delimiters and trim markers.
type piece struct {
	start, end          int
	bodyStart, bodyEnd  int
	kind                kind
	leftTrim, rightTrim bool
}

var (
	leftDelim  = []byte("{{")
	rightDelim = []byte("}}")
)

// errScan means the template does not lex; text/template reports why when the chart is parsed.
var errScan = errors.New("template does not lex")

// scan splits src into pieces.
func scan(src []byte) ([]piece, error) {
	var ps []piece
	pos := 0
	for pos < len(src) {
		i := bytes.Index(src[pos:], leftDelim)
		if i < 0 {
			ps = append(ps, piece{start: pos, end: len(src)})
			break
		}
		if i > 0 {
			ps = append(ps, piece{start: pos, end: pos + i})
		}
		a, err := scanAction(src, pos+i)
		if err != nil {
			return nil, err
		}
		ps = append(ps, a)
		pos = a.end
	}
	return ps, nil
}

// isSpace is text/template's notion of space, which is also what trim markers remove.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

// atRightDelim reports whether src[q:] starts with "}}" or " -}}" (any space before the minus).
func atRightDelim(src []byte, q int) (delim, trim bool) {
	if q+3 < len(src) && isSpace(src[q]) && src[q+1] == '-' && src[q+2] == '}' && src[q+3] == '}' {
		return true, true
	}
	return bytes.HasPrefix(src[q:], rightDelim), false
}

// scanAction reads the action starting at src[at:], which begins with "{{".
func scanAction(src []byte, at int) (piece, error) {
	p := piece{start: at}
	q := at + len(leftDelim)
	if q+1 < len(src) && src[q] == '-' && isSpace(src[q+1]) {
		p.leftTrim = true
		q += 2
	}
	if bytes.HasPrefix(src[q:], []byte("/*")) {
		x := bytes.Index(src[q+2:], []byte("*/"))
		if x < 0 {
			return p, errScan
		}
		q += 2 + x + 2
		delim, trim := atRightDelim(src, q)
		if !delim {
			return p, errScan
		}
		p.kind, p.bodyStart, p.bodyEnd, p.rightTrim = comment, q, q, trim
		p.end = q + len(rightDelim)
		if trim {
			p.end += 2
		}
		return p, nil
	}
	p.bodyStart = q
	for {
		if q >= len(src) {
			return p, errScan
		}
		if delim, trim := atRightDelim(src, q); delim {
			p.bodyEnd, p.rightTrim = q, trim
			p.end = q + len(rightDelim)
			if trim {
				p.end += 2
			}
			break
		}
		switch src[q] {
		case '"', '\'', '`':
			end, ok := skipLiteral(src, q)
			if !ok {
				return p, errScan
			}
			q = end
		default:
			// Most of an action is names and dots: on to the next byte that can start a
			// quote or the right delimiter.
			q++
			for q < len(src) && !actionStop[src[q]] {
				q++
			}
		}
	}
	p.kind = classify(src[p.bodyStart:p.bodyEnd])
	return p, nil
}

// actionStop are the bytes at which scanAction looks again: quotes and the starts of "}}" and
// " -}}".
var actionStop = [256]bool{'"': true, '\'': true, '`': true, '}': true, ' ': true, '\t': true, '\r': true, '\n': true}

// skipLiteral returns the offset just after the string or character literal at src[q]: a raw
// string (which may span lines) or what skipQuoted reads; false when it does not end.
func skipLiteral(src []byte, q int) (int, bool) {
	if src[q] != '`' {
		return skipQuoted(src, q)
	}
	end := bytes.IndexByte(src[q+1:], '`')
	return q + end + 2, end >= 0
}

// skipQuoted returns the offset just after the quoted string or character constant at src[q].
// Like text/template, it refuses a newline inside one.
func skipQuoted(src []byte, q int) (int, bool) {
	quote := src[q]
	for i := q + 1; i < len(src); i++ {
		switch src[i] {
		case '\\':
			if i+1 < len(src) && src[i+1] != '\n' {
				i++
				continue
			}
			return 0, false
		case '\n':
			return 0, false
		case quote:
			return i + 1, true
		}
	}
	return 0, false
}

// classify says what kind of action body is.
func classify(body []byte) kind {
	b := bytes.TrimLeft(body, " \t\r\n")
	if len(b) == 0 {
		return output // `{{ }}` is a parse error; text/template says so
	}
	if b[0] == '$' {
		i := 1
		for i < len(b) && isIdentChar(b[i]) {
			i++
		}
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i < len(b) && (b[i] == ',' || bytes.HasPrefix(b[i:], []byte(":=")) ||
			b[i] == '=' && !bytes.HasPrefix(b[i:], []byte("=="))) {
			return silent
		}
		return output
	}
	if !isIdentStart(b[0]) {
		return output
	}
	i := 1
	for i < len(b) && isIdentChar(b[i]) {
		i++
	}
	switch string(b[:i]) {
	case "if", "with":
		return open
	case "range":
		return loop
	case "define", "block":
		return define
	case "else":
		return elseAct
	case "end":
		return end
	case "break", "continue":
		return silent
	}
	return output
}

func isIdentStart(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c >= 0x80
}

func isIdentChar(c byte) bool { return isIdentStart(c) || '0' <= c && c <= '9' }
