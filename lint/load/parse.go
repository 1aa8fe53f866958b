// Package load reads inputs into documents: the raw YAML and JSON loader, the YAML parser every
// loader uses (with the limits that keep hostile input bounded), and what loaders share with the
// engine that runs them (Input, Loader, Sink).
package load

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
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

// CheckText refuses what is not YAML text before the parser sees it: binary files, bytes that
// are not UTF-8 and control characters YAML does not allow. The message names the line and column
// of the first offending byte, anywhere in the text: the parser would refuse it too, without a
// line.
func CheckText(t *lint.Text) *lint.Problem {
	data := t.Data
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE, 0, 0}) || bytes.HasPrefix(data, []byte{0, 0, 0xFE, 0xFF}) {
		return &lint.Problem{Pos: lint.Pos{File: t.Name, Line: 1}, Level: lint.Error, Message: binaryFile + " (NUL bytes): UTF-32 text, which YAML parsers and kubectl do not read; save it as UTF-8; not linted"}
	}
	if hasUTF16BOM(data) {
		return nil // the YAML parser decodes UTF-16 itself
	}
	if len(data) >= 4 && (data[0] == 0 && data[1] != 0 && data[2] == 0 && data[3] != 0 || data[0] != 0 && data[1] == 0 && data[2] != 0 && data[3] == 0) {
		return &lint.Problem{Pos: lint.Pos{File: t.Name, Line: 1}, Level: lint.Error, Message: binaryFile + " (NUL bytes): UTF-16 text without a byte order mark, which YAML parsers cannot read; save it as UTF-8 (or with a byte order mark); not linted"}
	}
	at := func(off int, msg string) *lint.Problem {
		return &lint.Problem{Pos: lint.Pos{File: t.Name, Line: t.LineAt(off), Column: t.ColumnAt(off)}, Level: lint.Error, Message: msg}
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		// The line is enough: the column of a byte in a binary file tells nobody anything.
		return &lint.Problem{Pos: lint.Pos{File: t.Name, Line: t.LineAt(i)}, Level: lint.Error, Message: binaryFile + " (NUL byte), not YAML or JSON; not linted"}
	}
	if !utf8.Valid(data) {
		off := firstInvalidUTF8(data)
		return at(off, fmt.Sprintf("not valid UTF-8 (byte 0x%02X); YAML files must be UTF-8; not linted", data[off]))
	}
	if off, r := firstControl(data); off >= 0 {
		return at(off, fmt.Sprintf("control character U+%04X, which YAML does not allow; remove it (write it escaped in a double-quoted string); not linted", r))
	}
	return nil
}

// binaryFile begins the message for a file with a NUL byte.
const binaryFile = "binary file"

// firstControl finds the first character of valid UTF-8 text that YAML does not allow: C0 and
// C1 control characters other than tab, line feed, carriage return and NEL, DEL, and U+FFFE and
// U+FFFF, as the parser's reader checks them. It returns -1 when there is none.
func firstControl(data []byte) (int, rune) {
	for off := 0; off < len(data); {
		c := data[off]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7F {
				return off, rune(c)
			}
			off++
			continue
		}
		r, size := utf8.DecodeRune(data[off:])
		if r >= 0x80 && r <= 0x9F && r != 0x85 || r == 0xFFFE || r == 0xFFFF {
			return off, r
		}
		off += size
	}
	return -1, 0
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
// skipped, and the rest of the stream goes on. A key written twice with the same value is a
// warning, and its document is yielded: the problems returned are errors but those. A syntax
// error is reported once, and parsing goes on at the next document marker after it (see
// resumeAfter). Only one document is held at a time, so a 50 MB stream costs one document's
// nodes, not the stream's.
func ParseYAML(t *lint.Text, lim Limits, yield func(root *yaml.Node)) []lint.Problem {
	return ParseYAMLPlaced(t, lim, nil, func(root *yaml.Node, unlinted bool) {
		if !unlinted {
			yield(root)
		}
	})
}

// ParseYAMLPlaced is ParseYAML for text that is not the file a person edits (a rendered Helm
// template): place maps each position a problem names in t, its own and any its message quotes,
// to that file. It also yields, unlinted, the documents whose problem is a key written twice with
// different values (lint.Document.Unlinted).
func ParseYAMLPlaced(t *lint.Text, lim Limits, place func(lint.Pos) lint.Pos, yield func(root *yaml.Node, unlinted bool)) []lint.Problem {
	var problems []lint.Problem
	parseStream(t, lim, place, func(d parsedDocument) {
		problems = append(problems, d.warnings...)
		if d.problem != nil {
			problems = append(problems, *d.problem)
		}
		if d.problem == nil || d.unlinted {
			yield(d.root, d.unlinted)
		}
	})
	return problems
}

// A parsedDocument is one document of a stream: its root, or the problem that keeps it from being
// linted. A document the tree check refuses has both; a syntax error has no root.
type parsedDocument struct {
	root    *yaml.Node
	problem *lint.Problem
	// warnings are what the tree check found that does not keep the document from being linted:
	// keys written twice with the same value.
	warnings []lint.Problem
	// source is the text a syntax error broke, when the parser knows it better than the document
	// markers around the error's line do (a value of a JSON stream).
	source []byte
	// unlinted is set when the problem is a key written twice with different values: the
	// document is not checked, but its objects are there for cross-object rules
	// (lint.Document.Unlinted).
	unlinted bool
}

// parseStream is ParseYAML handing over every document with its problem, for the raw loader,
// which tells a broken manifest from another tool's broken file.
//
// The parser cannot resynchronise after a syntax error, so a new one starts at the next document
// marker after it: YAML forbids a marker line inside any scalar or collection, so the documents
// from there parse exactly as they do in the stream, and keep their lines.
func parseStream(t *lint.Text, lim Limits, place func(lint.Pos) lint.Pos, each func(parsedDocument)) {
	if place == nil {
		place = func(p lint.Pos) lint.Pos { return p }
	}
	part := streamPart{lines: t.YAMLLines(), offset: t.Offset}
	for {
		errLine, ok := parsePart(t, lim, place, part, each)
		if !ok {
			return
		}
		part, ok = part.resumeAfter(t, errLine)
		if !ok {
			return
		}
	}
}

// A streamPart is where in a text the parser starts: at byte from, after before of the lines the
// parser counts (which are the text's own when lines is nil).
type streamPart struct {
	from, before int
	lines        *lint.YAMLLineMap
	offset       int // t.Offset
}

// pos maps a position the parser gives in the part to the file's.
func (p streamPart) pos(line, col int) (int, int) {
	line, col = p.lines.Pos(line+p.before, col)
	return line + p.offset, col
}

// parsePart parses the documents of t from part on. After a syntax error, it returns the error's
// line in the file and true; it returns false at the end of the stream, or after an error whose
// line the parser does not give, from which there is no telling where to resume.
func parsePart(t *lint.Text, lim Limits, place func(lint.Pos) lint.Pos, part streamPart, each func(parsedDocument)) (int, bool) {
	data, dropped := withoutDocumentBOMs(t.Data[part.from:])
	in := &separatorCounter{r: bytes.NewReader(data)}
	dec := yaml.NewDecoder(in)
	for {
		var doc yaml.Node
		in.separators = 0
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return 0, false
		}
		if in.separators > maxDocumentSeparators {
			line := t.LineAt(part.from + inText(int(in.read)-1, dropped))
			each(parsedDocument{problem: &lint.Problem{Pos: place(lint.Pos{File: t.Name, Line: line}), Level: lint.Error, Message: fmt.Sprintf(
				"by this line the document holds more than %d items, entries and lines, more than ekslint reads in one document "+
					"(each takes about 200 bytes once read); not read", maxDocumentSeparators)}})
			return 0, false
		}
		if err != nil {
			line, msg := lint.YAMLErrorPos(err, data)
			if line > 0 {
				line, _ = part.pos(line, 0)
			}
			if msg == "invalid YAML: found incompatible YAML document" && yaml12Directive.Match(t.Line(line)) {
				// source is what the directive heads: the raw loader reports it only for a
				// manifest, as it does a syntax error.
				each(parsedDocument{source: t.Data[max(t.LineStart(line), 0):], problem: &lint.Problem{
					Pos: place(lint.Pos{File: t.Name, Line: line, Column: 1}), Level: lint.Warning, Message: yaml12Message}})
				return line, true
			}
			each(parsedDocument{problem: &lint.Problem{Pos: place(lint.Pos{File: t.Name, Line: line}), Level: lint.Error, Message: msg}})
			return line, line > 0
		}
		if len(doc.Content) == 0 || isEmptyDocument(doc.Content[0]) {
			continue
		}
		root := doc.Content[0]
		if part.lines != nil || part.offset != 0 || part.before != 0 {
			renumber(root, part)
		}
		d := parsedDocument{root: root, unlinted: true}
		for _, p := range lint.CheckTree(root, lim.MaxAliasNodes) {
			if p.Level == lint.Error && p.FirstLine == 0 {
				d.unlinted = false // an alias bomb or cycle: nothing may walk it
			}
			at := place(lint.Pos{File: t.Name, Line: p.Line, Column: p.Column})
			msg := p.Msg
			if p.FirstLine > 0 {
				first := place(lint.Pos{File: t.Name, Line: p.FirstLine, Column: p.FirstColumn})
				where := fmt.Sprintf("line %d", first.Line)
				if first.File != at.File {
					where = fmt.Sprintf("%s:%d", first.File, first.Line)
				}
				msg = p.MessageAt(where)
			}
			problem := lint.Problem{Pos: at, Level: p.Level, Message: msg}
			if p.Level == lint.Error {
				d.problem = &problem
			} else {
				d.warnings = append(d.warnings, problem)
			}
		}
		d.unlinted = d.unlinted && d.problem != nil
		each(d)
	}
}

// withoutDocumentBOMs returns data without the byte order marks that begin the line after a
// document marker (`---`, alone or before a comment), with the offsets in data of the marks it
// dropped. kubectl reads each document of a stream apart, from the line after its marker, and drops
// a mark there as at the start of a file: a stream concatenated from files saved with one has them.
// The parser would read the mark into the document's first key ("\ufeffapiVersion"). A mark
// anywhere else stays, and is refused as kubectl refuses it. The marks count as no column, as the
// one at the start of a file does.
func withoutDocumentBOMs(data []byte) ([]byte, []int) {
	if len(data) < 2 || bytes.Index(data[1:], utf8BOM) < 0 {
		return data, nil
	}
	var out []byte
	var dropped []int
	afterMarker := false
	for off := 0; off < len(data); {
		end := len(data)
		if i := bytes.IndexByte(data[off:], '\n'); i >= 0 {
			end = off + i + 1
		}
		line := data[off:end]
		if afterMarker && bytes.HasPrefix(line, utf8BOM) {
			if out == nil {
				out = append(make([]byte, 0, len(data)), data[:off]...)
			}
			dropped = append(dropped, off)
			line = line[len(utf8BOM):]
		}
		if out != nil {
			out = append(out, line...)
		}
		afterMarker = lint.IsDocumentStart(line) && isBlankOrComment(line[len("---"):])
		off = end
	}
	if out == nil {
		return data, nil
	}
	return out, dropped
}

// inText returns the offset in a text of offset off in what withoutDocumentBOMs made of it,
// given the offsets of the marks it dropped.
func inText(off int, dropped []int) int {
	for _, d := range dropped {
		if d > off {
			break
		}
		off += len(utf8BOM)
	}
	return off
}

// maxDocumentSeparators bounds what one document may hold, counted as the commas, brackets and
// line breaks the parser reads for it: every value is one node of about 200 bytes once parsed, and
// a 50 MB ConfigMap holding a flow list of 25 million zeros took 4.5 GB. A real manifest is far
// below it: the API server stores no object over 1.5 MB (etcd's limit), CloudFormation takes no
// template over 1 MB, and a CRD of a megabyte holds some 40,000 lines.
const maxDocumentSeparators = 1_000_000

// separatorCounter counts what the parser reads: bytes, and the separators of the values of the
// document being parsed; past maxDocumentSeparators it reads no more, which ends the parse. (The
// parser reads ahead, so a document's count starts a little into it; the bound is far above any
// real one.)
type separatorCounter struct {
	r                *bytes.Reader
	read, separators int64
}

func (c *separatorCounter) Read(p []byte) (int, error) {
	if c.separators > maxDocumentSeparators {
		return 0, errTooManyValues
	}
	n, err := c.r.Read(p)
	c.read += int64(n)
	for _, sep := range []byte(",\n[{") {
		c.separators += int64(bytes.Count(p[:n], []byte{sep}))
	}
	return n, err
}

var errTooManyValues = errors.New("document too large")

// yaml12Directive is a `%YAML 1.2` directive line, which yaml.v3 refuses: it reads only documents
// that declare YAML 1.1. It already reads values as YAML 1.2 does, though (yes and on are strings,
// as Kubernetes reads them), and the directive changes nothing else, so parsing resumes at the
// document marker after it, as if it were not there. kubectl, Helm and kustomize refuse it as
// yaml.v3 does, though: a warning says so.
const yaml12Message = "%YAML 1.2: kubectl, Helm and kustomize read only documents that declare YAML 1.1 " +
	"(or nothing) and refuse this one; remove the directive (it is linted without it)"

var yaml12Directive = regexp.MustCompile(`^%YAML[ \t]+1\.2(?:[ \t]|$)`)

// resumeAfter returns the part of t that starts at the first document marker line (`---` or a
// directive) after line errLine of the file, or after a document end marker (`...`), or false when
// there is none. The lines scanned are those from p's start: each part begins after the last
// one's error, so a stream of broken documents is scanned once, and the part returned starts
// strictly later than p.
func (p streamPart) resumeAfter(t *lint.Text, errLine int) (streamPart, bool) {
	data := t.Data
	next := p
	line := t.LineAt(p.from)
	for off := p.from; off < len(data); line++ {
		end := len(data)
		if i := bytes.IndexAny(data[off:], "\r\n"); i >= 0 {
			end = off + i + 1
			if data[end-1] == '\r' && end < len(data) && data[end] == '\n' {
				end++
			}
		}
		text := data[off:end]
		if line > errLine && off > p.from && (lint.IsDocumentStart(text) || isDirective(text)) {
			next.from = off
			return next, true
		}
		next.before += parserLineBreaks(text, p.lines != nil)
		off = end
		if line > errLine && lint.IsDocumentEnd(text) {
			// The parser reads a stream that starts with `...` as an empty document missing its
			// start: what follows the marker is the next document.
			next.from = off
			return next, off < len(data)
		}
	}
	return p, false
}

// parserLineBreaks counts the line breaks the parser sees in one line of text: its end, and when
// the text has them (withUnicode), every NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR in it.
func parserLineBreaks(line []byte, withUnicode bool) int {
	n := 0
	if end := line[len(line)-1]; end == '\n' || end == '\r' {
		n++
	}
	if withUnicode {
		for _, sep := range []string{"\u0085", "\u2028", "\u2029"} {
			n += bytes.Count(line, []byte(sep))
		}
	}
	return n
}

// renumber gives the nodes of a document parsed from part of a text the positions the file has.
// Aliases are not followed: every node is visited once.
func renumber(n *yaml.Node, part streamPart) {
	n.Line, n.Column = part.pos(n.Line, n.Column)
	for _, c := range n.Content {
		renumber(c, part)
	}
}

func isEmptyDocument(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" && n.Value == ""
}
