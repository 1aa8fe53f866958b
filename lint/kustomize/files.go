package kustomize

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/fsroot"
	"github.com/ekslint/ekslint/lint/load"
)

// fileCache reads and parses each file once per run, however many overlays use it: a base shared
// by ten overlays is read once, parsed once (for the loader's checks and for placing findings),
// and handed to kustomize ten times from memory.
type fileCache struct {
	lim   load.Limits
	mu    sync.Mutex
	files map[string]*file // by absolute path
}

func newFileCache(lim load.Limits) *fileCache {
	return &fileCache{lim: lim, files: map[string]*file{}}
}

// file is one file of the lint root as read in this run.
type file struct {
	abs string

	readOnce sync.Once
	text     *lint.Text
	readErr  error

	parseOnce sync.Once
	docs      []*yaml.Node
	problems  []lint.Problem

	kustOnce sync.Once
	kust     *kustFile
}

// get returns the cache entry for abs; name is its display path, used by whoever reads it first
// (every overlay of a run names a file the same way).
func (c *fileCache) get(abs string) *file {
	c.mu.Lock()
	defer c.mu.Unlock()
	f := c.files[abs]
	if f == nil {
		f = &file{abs: abs}
		c.files[abs] = f
	}
	return f
}

// errTooBig is returned for files over the size limit; the message says how to raise it.
type errTooBig struct{ size, limit int64 }

func (e errTooBig) Error() string {
	return fmt.Sprintf("file is %s, over the %s limit; not read (raise it with --max-file-size)",
		fsroot.FormatSize(e.size), fsroot.FormatSize(e.limit))
}

// read returns the file's text, reading it on first use. Callers have checked that abs is inside
// the lint root.
func (f *file) read(c *fileCache, name string) (*lint.Text, error) {
	f.readOnce.Do(func() {
		fh, err := os.Open(f.abs)
		if err != nil {
			f.readErr = err
			return
		}
		defer fh.Close()
		st, err := fh.Stat()
		switch {
		case err != nil:
			f.readErr = err
			return
		case st.IsDir():
			f.readErr = fmt.Errorf("%s is a directory", f.abs)
			return
		case st.Size() > c.lim.MaxFileSize:
			f.readErr = errTooBig{st.Size(), c.lim.MaxFileSize}
			return
		}
		data, err := io.ReadAll(io.LimitReader(fh, c.lim.MaxFileSize+1))
		if err != nil {
			f.readErr = err
			return
		}
		if int64(len(data)) > c.lim.MaxFileSize {
			f.readErr = errTooBig{int64(len(data)), c.lim.MaxFileSize}
			return
		}
		f.text = lint.NewText(name, data)
	})
	return f.text, f.readErr
}

// parse returns the file's YAML documents, parsed on first use with the run's limits (duplicate
// keys, alias bombs), and the problems that kept documents out. Kustomize only ever sees files
// that passed.
func (f *file) parse(c *fileCache, name string) ([]*yaml.Node, []lint.Problem) {
	f.parseOnce.Do(func() {
		t, err := f.read(c, name)
		if err != nil {
			f.problems = []lint.Problem{{Pos: lint.Pos{File: name}, Level: lint.Error, Message: "cannot read: " + readError(err)}}
			return
		}
		if p := load.CheckText(t); p != nil {
			f.problems = []lint.Problem{*p}
			return
		}
		f.problems = load.ParseYAML(t, c.lim, func(root *yaml.Node) { f.docs = append(f.docs, root) })
	})
	return f.docs, f.problems
}

// readError is an error without the path an *os.PathError repeats.
func readError(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
