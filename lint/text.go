package lint

import (
	"bytes"
	"os"
	"slices"
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

// Sources holds every text a finding may point into, by display path: raw files, Helm templates
// and values files, Kustomize bases and patches. Reporters read the source line under a finding
// from it and the suppression filter reads `# ekslint:ignore` comments from it.
//
// Raw files are not kept: a 50 MB manifest would stay in memory for the whole run. Their ignore
// comments are read while the file is in hand, and their lines are read again from disk in the
// rare case a report shows them.
type Sources struct {
	mu      sync.Mutex
	sources map[string]*source
}

type source struct {
	text     *Text
	abs      string          // a raw file, read again from here when a line is wanted
	comments map[int]*Ignore // its ignore comments, by line
	scanned  bool            // comments is set
}

// Add records t under its name; the first text added for a name wins.
func (s *Sources) Add(t *Text) { s.add(t.Name, &source{text: t}) }

// AddFile records a raw file read from abs with its ignore comments (by line), without its bytes.
func (s *Sources) AddFile(name, abs string, comments map[int]*Ignore) {
	s.add(name, &source{abs: abs, comments: comments, scanned: true})
}

func (s *Sources) add(name string, src *source) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sources == nil {
		s.sources = make(map[string]*source)
	}
	if _, ok := s.sources[name]; !ok {
		s.sources[name] = src
	}
}

// Get returns the text recorded under name, or nil.
func (s *Sources) Get(name string) *Text {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	src := s.sources[name]
	if src == nil {
		return nil
	}
	if src.text == nil && src.abs != "" {
		if data, err := os.ReadFile(src.abs); err == nil {
			src.text = NewText(name, data)
		}
		src.abs = ""
	}
	return src.text
}

// Line returns line n of the named file, or nil when the file or line is unknown.
func (s *Sources) Line(name string, n int) []byte {
	if t := s.Get(name); t != nil {
		return t.Line(n)
	}
	return nil
}

// Names are the display paths of every source, sorted.
func (s *Sources) Names() []string {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	names := make([]string, 0, len(s.sources))
	for n := range s.sources {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// ignoreComments returns the `# ekslint:ignore` comments of the named source, by line.
func (s *Sources) ignoreComments(name string) map[int]*Ignore {
	s.mu.Lock()
	src := s.sources[name]
	s.mu.Unlock()
	if src == nil {
		return nil
	}
	if !src.scanned {
		t := s.Get(name)
		s.mu.Lock()
		if !src.scanned && t != nil {
			src.comments, src.scanned = ignoreComments(t), true
		}
		s.mu.Unlock()
	}
	return src.comments
}
