package kustomize

import (
	"errors"
	"path/filepath"
	"strconv"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/fsroot"
	"github.com/ekslint/ekslint/lint/load"
)

// fileCache reads and parses each file once per run, however many overlays use it: a base shared
// by ten overlays is read once, parsed once (for the loader's checks and for placing findings),
// and handed to kustomize ten times from memory. Every read goes through root: symlinks are
// followed only inside the lint root, only regular files are opened (a pipe never blocks a build)
// and no read returns more than the size limit.
type fileCache struct {
	root     *fsroot.Root
	lim      load.Limits
	mu       sync.Mutex
	files    map[string]*file    // by absolute path
	byID     []*file             // by number, in the order first asked for
	resolved map[string]resolved // resolve's answers
}

type resolved struct {
	real string
	err  error
}

func newFileCache(root *fsroot.Root, lim load.Limits) *fileCache {
	return &fileCache{root: root, lim: lim, files: map[string]*file{}, resolved: map[string]resolved{}}
}

// resolve is Root.Resolve, asked once per path in a run: every overlay over a base, and every
// object a patch may have written, looks up the same patch files.
func (c *fileCache) resolve(path string) (string, error) {
	c.mu.Lock()
	r, ok := c.resolved[path]
	c.mu.Unlock()
	if !ok {
		r.real, r.err = c.root.Resolve(path)
		c.mu.Lock()
		c.resolved[path] = r
		c.mu.Unlock()
	}
	return r.real, r.err
}

// file is one file of the lint root as read in this run.
type file struct {
	abs string
	id  int // its number in the run, for sourceAnnotation

	readOnce sync.Once
	text     *lint.Text
	readErr  error

	parseOnce sync.Once
	docs      []*yaml.Node
	problems  []lint.Problem

	kustOnce sync.Once
	kust     *kustFile

	taggedOnce sync.Once
	taggedData []byte
	taggedErr  error

	leanOnce sync.Once
	leanData []byte
	leanErr  error
}

// get returns the cache entry for abs; name is its display path, used by whoever reads it first
// (every overlay of a run names a file the same way).
func (c *fileCache) get(abs string) *file {
	c.mu.Lock()
	defer c.mu.Unlock()
	f := c.files[abs]
	if f == nil {
		f = &file{abs: abs, id: len(c.byID)}
		c.files[abs] = f
		c.byID = append(c.byID, f)
	}
	return f
}

// path returns the absolute path of the file numbered id, or "" for a number the run never gave.
func (c *fileCache) path(id string) string {
	n, err := strconv.Atoi(id)
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil || n < 0 || n >= len(c.byID) {
		return ""
	}
	return c.byID[n].abs
}

// kustomizationFile returns the kustomization file in dir, or "" when there is none. A name that
// is there is taken whatever it is (a symlink out of the root, a pipe): reading it then says why
// it cannot be used, where skipping it would build the folder as if it had no kustomization.
func (c *fileCache) kustomizationFile(dir string) string {
	for _, n := range FileNames {
		p := filepath.Join(dir, n)
		if st, err := c.root.Lstat(p); err == nil && !st.IsDir() {
			return p
		}
	}
	return ""
}

// read returns the file's text, reading it on first use.
func (f *file) read(c *fileCache, name string) (*lint.Text, error) {
	f.readOnce.Do(func() {
		data, err := c.root.ReadFile(f.abs)
		if err != nil {
			f.readErr = err
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
			f.problems = []lint.Problem{{Pos: lint.Pos{File: name}, Level: lint.Error, Message: unreadable("", err)}}
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

// unreadable says why a file was not read, after subject: the entry naming the file, or "" for a
// message at the file itself. The lint root's refusals are sentences about the file ("is outside
// the lint root; …", "is not a regular file …"); errors from the system follow a colon.
func unreadable(subject string, err error) string {
	reason := fsroot.Reason(err)
	refused := errors.Is(err, fsroot.ErrOutside) || errors.Is(err, fsroot.ErrNotRegular) || errors.Is(err, fsroot.ErrLoop) ||
		errors.Is(err, fsroot.ErrDangling)
	switch {
	case subject != "" && refused:
		return subject + " " + reason
	case subject != "":
		return subject + ": " + reason
	case refused || errors.As(err, new(*fsroot.TooLargeError)):
		return reason
	}
	return "cannot read: " + reason
}
