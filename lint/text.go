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
type Text struct {
	// Name is the display path: slash-separated, relative to the working directory when inside it.
	Name string
	Data []byte
	// Offset is how many lines of the file come before Data: raw files are read one document at
	// a time, and each document's Text still numbers lines as the file does.
	Offset int

	once  sync.Once
	lines []int32 // byte offset of the start of each line (files are far below 2 GiB)
}

// NewText wraps data read from the file called name.
func NewText(name string, data []byte) *Text { return &Text{Name: name, Data: data} }

func (t *Text) index() {
	t.once.Do(func() {
		n := bytes.Count(t.Data, []byte{'\n'})
		t.lines = make([]int32, 1, n+1)
		for off := 0; ; {
			i := bytes.IndexByte(t.Data[off:], '\n')
			if i < 0 {
				break
			}
			off += i + 1
			t.lines = append(t.lines, int32(off))
		}
	})
}

// Lines is the number of the text's last line.
func (t *Text) Lines() int {
	t.index()
	return t.Offset + len(t.lines)
}

// Line returns line n (from 1, as the file numbers it) without its line ending, or nil when the
// text has no such line.
func (t *Text) Line(n int) []byte {
	t.index()
	n -= t.Offset
	if n < 1 || n > len(t.lines) {
		return nil
	}
	start := int(t.lines[n-1])
	end := len(t.Data)
	if n < len(t.lines) {
		end = int(t.lines[n]) - 1
	}
	if end > start && t.Data[end-1] == '\r' {
		end--
	}
	if n == 1 && t.Offset == 0 {
		start += len(utf8BOM(t.Data))
	}
	return t.Data[start:end]
}

// LineAt returns the line (from 1, as the file numbers it) holding byte offset off of Data.
func (t *Text) LineAt(off int) int {
	return t.Offset + t.localLine(off)
}

func (t *Text) localLine(off int) int {
	t.index()
	return sort.Search(len(t.lines), func(i int) bool { return int(t.lines[i]) > off })
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
