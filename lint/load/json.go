package load

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/ekslint/ekslint/lint"
)

// parsePiece parses the documents of one piece of a stream: a stream of JSON values one by one,
// anything else (YAML, and a single JSON value, which YAML reads as it is) whole.
func parsePiece(t *lint.Text, lim Limits) []parsedDocument {
	t = withoutJSONOnlyEscapes(t)
	if docs, ok := parseJSONStream(t, lim); ok {
		return docs
	}
	return parseDocuments(t, lim)
}

// jsonOnlyEscape is an escape of JSON's that the YAML parser refuses: a character beyond the
// Basic Multilingual Plane escaped as a UTF-16 surrogate pair (`\ud83d\ude00`), as Python's
// json.dumps writes every such character, and `\/`, as PHP's json_encode and others write every
// slash. An escaped backslash matches too, so that the slash after it is left alone.
var jsonOnlyEscape = regexp.MustCompile(`\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}|\\[\\/]`)

// withoutJSONOnlyEscapes returns t, JSON, with each escape YAML refuses written as YAML reads
// it: a surrogate pair as `\U0001f600` (JSON has no other way to escape such a character), `\/`
// as `/`. Each is shorter, so a node after one on its line is placed that many columns early;
// without it, the file could not be read at all.
func withoutJSONOnlyEscapes(t *lint.Text) *lint.Text {
	data := bytes.TrimPrefix(t.Data, utf8BOM)
	if !startsJSONObject(data) || !bytes.Contains(data, []byte(`\u`)) && !bytes.Contains(data, []byte(`\/`)) {
		return t
	}
	changed := false
	out := jsonOnlyEscape.ReplaceAllFunc(t.Data, func(m []byte) []byte {
		switch {
		case string(m) == `\/`:
			changed = true
			return []byte("/")
		case len(m) == 2:
			return m
		}
		changed = true
		hi, _ := strconv.ParseUint(string(m[2:6]), 16, 16)
		lo, _ := strconv.ParseUint(string(m[8:12]), 16, 16)
		return fmt.Appendf(nil, "\\U%08x", utf16.DecodeRune(rune(hi), rune(lo)))
	})
	if !changed {
		return t
	}
	return &lint.Text{Name: t.Name, Data: out, Offset: t.Offset}
}

// parseJSONStream reads a piece that is several JSON values one after the other (`{...}\n{...}`,
// which kubectl reads as several objects): the YAML parser reads the first value and stops at the
// second, which no document marker starts. encoding/json finds where each value ends, and the
// YAML parser parses each from a Text of its own, numbered as the file is (its first line padded
// with a space for each character before it), so every node keeps the line and column it has in
// the file. ok is false when the piece is not such a stream: it does not start as a JSON object
// does, or it is one valid value.
//
// From a value that is not JSON on, the piece is read as YAML, which flow YAML with quoted keys
// passes as it did before. When the YAML parser refuses it too, the problem is JSON's, at the byte
// it names: in JSON, the YAML parser fails late (at the start of the next value, or the end).
func parseJSONStream(t *lint.Text, lim Limits) (docs []parsedDocument, ok bool) {
	start := 0
	if bytes.HasPrefix(t.Data, utf8BOM) {
		start = len(utf8BOM)
	}
	if !startsJSONObject(t.Data[start:]) {
		return nil, false
	}
	// The values are parsed once all are found: a piece of one value is parsed whole, as before.
	var values [][2]int // where each value starts and ends in t.Data
	parseValues := func() {
		line, padded := 0, 0
		for _, v := range values {
			// Each value is parsed after as many spaces as its line has characters before it:
			// values one after another on a line cost the square of the line's length.
			if l := t.LineAt(v[0]); l != line {
				line, padded = l, 0
			}
			if padded += v[0] - t.LineStart(line); padded > maxLinePadding {
				docs = append(docs, parsedDocument{problem: &lint.Problem{Pos: lint.Pos{File: t.Name, Line: line}, Level: lint.Error,
					Message: "this line holds more JSON values, one after another, than ekslint reads on one line; not read from here (write one value per line, as kubectl does)"}})
				return
			}
			docs = append(docs, parseDocuments(jsonValueText(t, v[0], v[1]), lim)...)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(t.Data[start:]))
	for {
		from := skipJSONSpace(t.Data, start+int(dec.InputOffset()))
		err := dec.Decode(&discard{})
		if errors.Is(err, io.EOF) {
			if len(values) < 2 {
				return nil, false
			}
			parseValues()
			return docs, true
		}
		if err != nil {
			parseValues()
			rest := t
			if len(values) > 0 {
				rest = jsonValueText(t, from, len(t.Data))
			}
			yamlDocs := parseDocuments(rest, lim)
			if slices.ContainsFunc(yamlDocs, func(d parsedDocument) bool { return d.root == nil }) {
				yamlDocs = []parsedDocument{{problem: jsonProblem(t, start, from, err), source: rest.Data}}
			}
			return append(docs, yamlDocs...), true
		}
		values = append(values, [2]int{from, start + int(dec.InputOffset())})
	}
}

// maxLinePadding bounds the characters the values of one line are parsed after, in all: 64 Mi,
// a fraction of a second of parsing (8,000 values on one 500 KB line had taken 14 s, 25,000 250 s).
const maxLinePadding = 64 << 20

var utf8BOM = []byte("\xef\xbb\xbf")

// startsJSONObject reports whether b starts as a JSON object does: `{`, then a key in double
// quotes or `}`. Flow YAML writes its keys bare, and is left to the YAML parser at once.
func startsJSONObject(b []byte) bool {
	i := skipJSONSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return false
	}
	i = skipJSONSpace(b, i+1)
	return i < len(b) && (b[i] == '"' || b[i] == '}')
}

func skipJSONSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// discard takes a JSON value without keeping it: the decoder has checked it, and only where it
// ends matters.
type discard struct{}

func (*discard) UnmarshalJSON([]byte) error { return nil }

// jsonValueText is the text of t from byte from to byte to, as a Text that numbers its lines as
// the file does, its first line starting with as many spaces as the line has characters before
// from (a byte order mark kept as it is: the parser skips it, as it does in the whole file).
func jsonValueText(t *lint.Text, from, to int) *lint.Text {
	lineStart := bytes.LastIndexAny(t.Data[:from], "\r\n") + 1
	var data []byte
	before := t.Data[lineStart:from]
	if lineStart == 0 && bytes.HasPrefix(before, utf8BOM) {
		data, before = append(data, utf8BOM...), before[len(utf8BOM):]
	}
	data = append(data, bytes.Repeat([]byte{' '}, utf8.RuneCount(before))...)
	data = append(data, t.Data[from:to]...)
	return &lint.Text{Name: t.Name, Data: data, Offset: t.LineAt(from) - 1}
}

// jsonProblem is the problem of a value of t, starting at byte from, that encoding/json (reading
// t from byte start) refused.
func jsonProblem(t *lint.Text, start, from int, err error) *lint.Problem {
	at := func(off int) lint.Pos { return lint.Pos{File: t.Name, Line: t.LineAt(off), Column: t.ColumnAt(off)} }
	var syntax *json.SyntaxError
	switch {
	case errors.As(err, &syntax):
		// Offset counts the bytes read, the one refused included.
		return &lint.Problem{Pos: at(start + int(syntax.Offset) - 1), Level: lint.Error, Message: "invalid JSON: " + syntax.Error()}
	case errors.Is(err, io.ErrUnexpectedEOF):
		end := len(bytes.TrimRight(t.Data, " \t\r\n"))
		return &lint.Problem{Pos: lint.Pos{File: t.Name, Line: t.LineAt(max(end-1, 0))}, Level: lint.Error,
			Message: fmt.Sprintf("invalid JSON: the input ends inside the value that starts at line %d", t.LineAt(from))}
	default:
		return &lint.Problem{Pos: at(from), Level: lint.Error, Message: "invalid JSON: " + err.Error()}
	}
}
