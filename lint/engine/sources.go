package engine

import (
	"runtime"
	"slices"
	"sync"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/fsroot"
)

// Sources holds every text a finding may point into, by display path: raw files, Helm templates
// and values files, Kustomize bases and patches. Reporters read the source line under a finding
// from it and the suppression filter reads `# ekslint:ignore` comments from it.
//
// Raw files are not kept: a 50 MB manifest would stay in memory for the whole run. Their ignore
// comments are read while the file is in hand, and their lines are read again from disk in the
// rare case a report shows them, through the same root.
type Sources struct {
	mu      sync.Mutex
	sources map[string]*source
}

type source struct {
	text     *lint.Text
	abs      string               // a raw file, read again from here when a line is wanted
	root     *fsroot.Root         // the root abs is read through
	comments map[int]*lint.Ignore // its ignore comments, by line
	scanned  bool                 // comments is set
}

// Add records t under its name; the first text added for a name wins, and Add reports whether
// it was t.
func (s *Sources) Add(t *lint.Text) bool { return s.add(t.Name, &source{text: t}) }

// AddFile records a raw file read from abs through root with its ignore comments (by line),
// without its bytes.
func (s *Sources) AddFile(name, abs string, root *fsroot.Root, comments map[int]*lint.Ignore) {
	s.add(name, &source{abs: abs, root: root, comments: comments, scanned: true})
}

func (s *Sources) add(name string, src *source) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sources == nil {
		s.sources = make(map[string]*source)
	}
	if _, ok := s.sources[name]; ok {
		return false
	}
	s.sources[name] = src
	return true
}

// Get returns the text recorded under name, or nil.
func (s *Sources) Get(name string) *lint.Text {
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
		if data, err := src.root.ReadFile(src.abs); err == nil {
			src.text = lint.NewText(name, data)
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

// IgnoreComments returns the `# ekslint:ignore` comments of each named source, by line. Sources
// not read as they were loaded (a chart's files) are searched now, every byte of them: on all
// cores, as the filter asks at the run's last step before the report.
func (s *Sources) IgnoreComments(names []string) []map[int]*lint.Ignore {
	out := make([]map[int]*lint.Ignore, len(names))
	inParallel(runtime.NumCPU(), len(names), func(i int) { out[i] = s.ignoreComments(names[i]) })
	return out
}

// ignoreComments returns the ignore comments of the named source.
func (s *Sources) ignoreComments(name string) map[int]*lint.Ignore {
	s.mu.Lock()
	src := s.sources[name]
	if src == nil || src.scanned {
		defer s.mu.Unlock()
		if src == nil {
			return nil
		}
		return src.comments
	}
	s.mu.Unlock()
	// Searched outside the lock: other sources are searched at the same time.
	t := s.Get(name)
	if t == nil {
		return nil
	}
	comments := lint.IgnoreComments(t)
	s.mu.Lock()
	defer s.mu.Unlock()
	src.comments, src.scanned = comments, true
	return comments
}
