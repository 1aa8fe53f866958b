package lint

import (
	"bytes"
	"sort"
	"sync"
	"unicode/utf8"
)

// Text is the bytes of a file (or of rendered output) with a line index built on first use. The
// same Text serves parsing, end positions, the source line under a finding and ignore comments,
// so no file is read twice.
//
// Lines end where an editor ends them: at LF, CR LF, or a CR alone (old Mac files). Unicode's
// NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR do not end lines here, as they do not in editors
// or on GitHub; the YAML parser counts them, and ParseYAML maps its positions back (YAMLLines).
type Text struct {
	// Name is the display path: slash-separated, relative to the working directory when inside it.
	Name string
	Data []byte
	// Offset is how many lines of the file come before Data: raw files are read one document at
	// a time, and each document's Text still numbers lines as the file does.
	Offset int

	once  sync.Once
	lines []int32 // byte offset of the start of each line (files are far below 2 GiB)

	marksMu sync.Mutex
	marks   map[int][]int32 // of long lines, by line: the byte offset of every runeMark-th character
}

// NewText wraps data read from the file called name.
func NewText(name string, data []byte) *Text { return &Text{Name: name, Data: data} }

func (t *Text) index() {
	t.once.Do(func() { t.lines = lineStarts(t.Data) })
}

// lineStarts lists the byte offset of the start of each line of data.
func lineStarts(data []byte) []int32 {
	starts := make([]int32, 1, bytes.Count(data, []byte{'\n'})+1)
	if bytes.IndexByte(data, '\r') < 0 {
		for off := 0; ; {
			i := bytes.IndexByte(data[off:], '\n')
			if i < 0 {
				return starts
			}
			off += i + 1
			starts = append(starts, int32(off))
		}
	}
	for off := 0; off < len(data); {
		i := bytes.IndexAny(data[off:], "\r\n")
		if i < 0 {
			break
		}
		off += i + 1
		if data[off-1] == '\r' && off < len(data) && data[off] == '\n' {
			off++
		}
		starts = append(starts, int32(off))
	}
	return starts
}

// LineBreaks counts the line breaks in b as a Text counts them: LF, CR LF and a CR alone.
func LineBreaks(b []byte) int {
	n := bytes.Count(b, []byte{'\n'})
	if bytes.IndexByte(b, '\r') < 0 {
		return n
	}
	return len(lineStarts(b)) - 1
}

// Lines is the number of the text's last line.
func (t *Text) Lines() int {
	t.index()
	return t.Offset + len(t.lines)
}

// Line returns line n (from 1, as the file numbers it) without its line ending, or nil when the
// text has no such line.
func (t *Text) Line(n int) []byte {
	start := t.LineStart(n)
	if start < 0 {
		return nil
	}
	n -= t.Offset
	end := len(t.Data)
	if n < len(t.lines) {
		end = int(t.lines[n]) - 1 // the LF, or a CR alone
	}
	if end > start && t.Data[end-1] == '\r' {
		end-- // the CR of CR LF
	}
	return t.Data[start:end]
}

// LineStart returns the byte offset of Data at which line n (from 1, as the file numbers it)
// begins, after a byte order mark on the first, or -1 when the text has no such line.
func (t *Text) LineStart(n int) int {
	t.index()
	n -= t.Offset
	switch {
	case n < 1 || n > len(t.lines):
		return -1
	case n == 1 && t.Offset == 0:
		return len(utf8BOM(t.Data))
	}
	return int(t.lines[n-1])
}

// LineAt returns the line (from 1, as the file numbers it) holding byte offset off of Data.
func (t *Text) LineAt(off int) int {
	return t.Offset + t.localLine(off)
}

func (t *Text) localLine(off int) int {
	t.index()
	return sort.Search(len(t.lines), func(i int) bool { return int(t.lines[i]) > off })
}

// nextLineStart returns the byte offset of the line after the one holding byte offset off of
// Data, or len(Data) on the last line.
func (t *Text) nextLineStart(off int) int {
	if line := t.localLine(off); line < len(t.lines) {
		return int(t.lines[line])
	}
	return len(t.Data)
}

// ColumnAt returns the column (from 1, in characters) of byte offset off of Data.
func (t *Text) ColumnAt(off int) int {
	line := t.localLine(off)
	return utf8.RuneCount(t.Data[int(t.lines[line-1]):off]) + 1
}

func utf8BOM(b []byte) []byte {
	if bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		return b[:3]
	}
	return nil
}

// IsDocumentStart reports whether line (with its line end or without) is a YAML document start
// marker, `---` alone or before a space.
func IsDocumentStart(line []byte) bool { return isMarker(line, "---") }

// IsDocumentEnd reports whether line is a YAML document end marker, `...` alone or before a space.
func IsDocumentEnd(line []byte) bool { return isMarker(line, "...") }

func isMarker(line []byte, marker string) bool {
	return bytes.HasPrefix(line, []byte(marker)) && (len(line) == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r' || line[3] == '\n')
}

// A YAMLLineMap maps the positions the YAML parser gives to positions in the text. The parser
// ends a line at NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029) as well,
// as YAML 1.1 did; editors and GitHub do not, so after one of them, in a quoted string say, every
// line the parser reports would be wrong.
type YAMLLineMap struct {
	// line and col are, for each line the parser counts (from 1), the text line it starts on and
	// the column there.
	line, col []int32
}

// YAMLLines is the map of t's parser lines to its own, or nil when the two agree (t has none of
// the characters only the parser breaks lines at).
func (t *Text) YAMLLines() *YAMLLineMap {
	if !bytes.Contains(t.Data, []byte("\u0085")) && !bytes.Contains(t.Data, []byte("\u2028")) && !bytes.Contains(t.Data, []byte("\u2029")) {
		return nil
	}
	m := &YAMLLineMap{line: []int32{1}, col: []int32{1}}
	data := t.Data
	line, col := int32(1), int32(1)
	for off := len(utf8BOM(data)); off < len(data); {
		switch c := data[off]; {
		case c == '\n' || c == '\r':
			off++
			if c == '\r' && off < len(data) && data[off] == '\n' {
				off++
			}
			line, col = line+1, 1
			m.line, m.col = append(m.line, line), append(m.col, col)
		case c < utf8.RuneSelf:
			off, col = off+1, col+1
		default:
			r, size := utf8.DecodeRune(data[off:])
			off, col = off+size, col+1
			if r == '\u0085' || r == '\u2028' || r == '\u2029' {
				m.line, m.col = append(m.line, line), append(m.col, col)
			}
		}
	}
	return m
}

// Pos maps the parser's line and column (from 1; column 0 when unknown) to the text's. A nil map
// returns them unchanged.
func (m *YAMLLineMap) Pos(line, col int) (int, int) {
	if m == nil || line < 1 || line > len(m.line) {
		return line, col
	}
	if col > 0 {
		col += int(m.col[line-1]) - 1
	}
	return int(m.line[line-1]), col
}

// A long line (minified JSON, `jq -c` output, a List of thousands of objects) may hold thousands
// of findings, each placed by counting characters up to a column: counting from the line's start
// each time grew with the square of the line (an 839 KB line of Pods took 67 s). Lines longer than
// longLine get marks every runeMark characters, made once, and counts start at the mark before.
const (
	longLine = 4096
	runeMark = 256
)

// lineMarks returns the marks of line n, a long line.
func (t *Text) lineMarks(n int, b []byte) []int32 {
	t.marksMu.Lock()
	defer t.marksMu.Unlock()
	if m, ok := t.marks[n]; ok {
		return m
	}
	var m []int32
	for off, runes := 0, 0; off < len(b); runes++ {
		if runes%runeMark == 0 {
			m = append(m, int32(off))
		}
		_, size := utf8.DecodeRune(b[off:])
		off += size
	}
	if t.marks == nil {
		t.marks = map[int][]int32{}
	}
	t.marks[n] = m
	return m
}

// Column returns the column (from 1, in characters) of byte offset off of line n.
func (t *Text) Column(n, off int) int {
	b := t.Line(n)
	off = min(off, len(b))
	if len(b) < longLine {
		return utf8.RuneCount(b[:off]) + 1
	}
	m := t.lineMarks(n, b)
	k := sort.Search(len(m), func(i int) bool { return int(m[i]) > off }) - 1
	return k*runeMark + utf8.RuneCount(b[m[k]:off]) + 1
}

// LineWidth returns the characters of line n.
func (t *Text) LineWidth(n int) int { return t.Column(n, len(t.Line(n))) - 1 }

// ByteOffset returns the byte offset in line n of column col (from 1, in characters), or the line's
// length when the line is shorter.
func (t *Text) ByteOffset(n, col int) int {
	b := t.Line(n)
	start := 0
	if len(b) >= longLine && col > runeMark {
		m := t.lineMarks(n, b)
		k := min((col-1)/runeMark, len(m)-1)
		start, col = int(m[k]), col-k*runeMark
	}
	return start + ByteOffset(b[start:], col)
}
