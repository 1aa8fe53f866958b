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

// Lines is how many lines the text has.
func (t *Text) Lines() int {
	t.index()
	return len(t.lines)
}

// Line returns line n (from 1) without its line ending, or nil when there is no such line.
func (t *Text) Line(n int) []byte {
	t.index()
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
	if n == 1 {
		start += len(utf8BOM(t.Data))
	}
	return t.Data[start:end]
}

// LineAt returns the line (from 1) holding byte offset off.
func (t *Text) LineAt(off int) int {
	t.index()
	return sort.Search(len(t.lines), func(i int) bool { return int(t.lines[i]) > off })
}

// ColumnAt returns the column (from 1, in characters) of byte offset off.
func (t *Text) ColumnAt(off int) int {
	line := t.LineAt(off)
	return utf8.RuneCount(t.Data[int(t.lines[line-1]):off]) + 1
}

func utf8BOM(b []byte) []byte {
	if bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		return b[:3]
	}
	return nil
}

// Sources holds every text a finding may point into, by display path: raw files, Helm templates
// and values files, Kustomize bases and patches. Reporters read the source line under a finding
// from it and the suppression filter reads `# ekslint:ignore` comments from it.
type Sources struct {
	mu    sync.Mutex
	texts map[string]*Text
}

// Add records t under its name; the first text added for a name wins.
func (s *Sources) Add(t *Text) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.texts == nil {
		s.texts = make(map[string]*Text)
	}
	if _, ok := s.texts[t.Name]; !ok {
		s.texts[t.Name] = t
	}
}

// Get returns the text recorded under name, or nil.
func (s *Sources) Get(name string) *Text {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.texts[name]
}

// Line returns line n of the named file, or nil when the file or line is unknown.
func (s *Sources) Line(name string, n int) []byte {
	if t := s.Get(name); t != nil {
		return t.Line(n)
	}
	return nil
}
