package kustomize

import (
	"context"
	"errors"
	"path/filepath"

	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// guardedFS is the only way kustomize reaches the disk during a build. It reads through the run's
// file cache, whose lint root resolves every path (symlinks included) and refuses what leaves the
// root, what is not a regular file and what is over the size limit, whatever kustomize's own load
// restrictor thinks; nothing is ever written; a base shared by several overlays is read once.
// Resource files are served with each object tagged with where it came from (source.go), and an
// overlay's kustomization that sets buildMetadata without it, without touching the user's files.
type guardedFS struct {
	ctx     context.Context // the build's: once it is done, every read fails
	cache   *fileCache
	display func(abs string) string
	sources map[string]bool // the resource files of the overlay, symlinks resolved
	// leanCRDs says the resource files are served without their CRDs' schemas (leanTagged).
	leanCRDs bool

	kustPath string // the overlay's kustomization file, symlinks resolved, when it is served changed
	kustData []byte // what is served for it
}

var _ filesys.FileSystem = (*guardedFS)(nil)

var (
	// errReadOnly is returned for any write: a build only reads.
	errReadOnly = errors.New("ekslint's kustomize build never writes files")
	// errByNameOnly is returned for listing folders and opening files as streams: a build reads
	// files by name, and every read goes through the cache and its checks.
	errByNameOnly = errors.New("ekslint's kustomize build reads files by name only")
)

// resolve returns where path leads, which must be inside the lint root. Every method that reads
// goes through it, so a build that ran over its deadline stops at its next read.
func (g *guardedFS) resolve(path string) (string, error) {
	if err := g.ctx.Err(); err != nil {
		return "", err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	return g.cache.root.Resolve(abs)
}

func (g *guardedFS) ReadFile(path string) ([]byte, error) {
	real, err := g.resolve(path)
	if err != nil {
		return nil, err
	}
	if real == g.kustPath {
		return g.kustData, nil
	}
	f := g.cache.get(real)
	switch {
	case g.sources[real] && g.leanCRDs:
		return f.leanTagged(g.cache, g.display(real))
	case g.sources[real]:
		return f.tagged(g.cache, g.display(real))
	}
	t, err := f.read(g.cache, g.display(real))
	if err != nil {
		return nil, err
	}
	return t.Data, nil
}

// CleanedAbs splits what path leads to into a folder and a file name ("" for a folder), as
// kustomize's loader asks before it reads anything.
func (g *guardedFS) CleanedAbs(path string) (filesys.ConfirmedDir, string, error) {
	real, err := g.resolve(path)
	if err != nil {
		return "", "", err
	}
	st, err := g.cache.root.Stat(real)
	if err != nil {
		return "", "", err
	}
	if st.IsDir() {
		return filesys.ConfirmedDir(real), "", nil
	}
	return filesys.ConfirmedDir(filepath.Dir(real)), filepath.Base(real), nil
}

func (g *guardedFS) Exists(path string) bool {
	real, err := g.resolve(path)
	if err != nil {
		return false
	}
	_, err = g.cache.root.Stat(real)
	return err == nil
}

func (g *guardedFS) IsDir(path string) bool {
	real, err := g.resolve(path)
	return err == nil && g.cache.root.IsDir(real)
}

func (g *guardedFS) Open(string) (filesys.File, error)    { return nil, errByNameOnly }
func (g *guardedFS) ReadDir(string) ([]string, error)     { return nil, errByNameOnly }
func (g *guardedFS) Glob(string) ([]string, error)        { return nil, errByNameOnly }
func (g *guardedFS) Walk(string, filepath.WalkFunc) error { return errByNameOnly }
func (g *guardedFS) Create(string) (filesys.File, error)  { return nil, errReadOnly }
func (g *guardedFS) Mkdir(string) error                   { return errReadOnly }
func (g *guardedFS) MkdirAll(string) error                { return errReadOnly }
func (g *guardedFS) RemoveAll(string) error               { return errReadOnly }
func (g *guardedFS) WriteFile(string, []byte) error       { return errReadOnly }
