package kustomize

import (
	"errors"
	"fmt"
	"path/filepath"

	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/ekslint/ekslint/lint/fsroot"
)

// guardedFS is the only way kustomize reaches the disk during a build. Every path is resolved
// (symlinks included) and refused when it leaves the lint root, whatever kustomize's own load
// restrictor thinks; nothing is ever written; files come from the run's cache, so a base shared
// by several overlays is read once. The overlay's own kustomization file is served with
// `buildMetadata: [originAnnotations]` added, so that every object says where it came from,
// without touching the user's file.
type guardedFS struct {
	fsroot  *fsroot.Root
	disk    filesys.FileSystem
	root    string // the lint root, symlinks resolved
	cache   *fileCache
	display func(abs string) string

	kustPath string // the overlay's kustomization file
	kustData []byte // its contents as kustomize sees them

	refused []string // paths refused, in order, for the report
}

var _ filesys.FileSystem = (*guardedFS)(nil)

// errOutside is returned for any path outside the lint root.
type errOutside struct{ path, root string }

func (e errOutside) Error() string {
	return fmt.Sprintf("%s is outside the lint root %s; ekslint reads nothing outside it", e.path, e.root)
}

// errReadOnly is returned for any write: a build only reads.
var errReadOnly = errors.New("ekslint's kustomize build never writes files")

// check returns the absolute form of path when it and what it links to are inside the root.
func (g *guardedFS) check(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	if _, err := g.fsroot.Resolve(abs); err != nil {
		if errors.Is(err, fsroot.ErrOutside) {
			g.refused = append(g.refused, abs)
			return "", errOutside{abs, g.root}
		}
		return "", err
	}
	return abs, nil
}

func (g *guardedFS) ReadFile(path string) ([]byte, error) {
	abs, err := g.check(path)
	if err != nil {
		return nil, err
	}
	if abs == g.kustPath {
		return g.kustData, nil
	}
	t, err := g.cache.get(abs).read(g.cache, g.display(abs))
	if err != nil {
		return nil, err
	}
	return t.Data, nil
}

func (g *guardedFS) Open(path string) (filesys.File, error) {
	abs, err := g.check(path)
	if err != nil {
		return nil, err
	}
	return g.disk.Open(abs)
}

func (g *guardedFS) CleanedAbs(path string) (filesys.ConfirmedDir, string, error) {
	abs, err := g.check(path)
	if err != nil {
		return "", "", err
	}
	return g.disk.CleanedAbs(abs)
}

func (g *guardedFS) Exists(path string) bool {
	abs, err := g.check(path)
	return err == nil && g.disk.Exists(abs)
}

func (g *guardedFS) IsDir(path string) bool {
	abs, err := g.check(path)
	return err == nil && g.disk.IsDir(abs)
}

func (g *guardedFS) ReadDir(path string) ([]string, error) {
	abs, err := g.check(path)
	if err != nil {
		return nil, err
	}
	return g.disk.ReadDir(abs)
}

func (g *guardedFS) Glob(pattern string) ([]string, error) {
	abs, err := g.check(pattern)
	if err != nil {
		return nil, err
	}
	matches, err := g.disk.Glob(abs)
	var inside []string
	for _, m := range matches {
		if _, err := g.check(m); err == nil {
			inside = append(inside, m)
		}
	}
	return inside, err
}

func (g *guardedFS) Walk(path string, walkFn filepath.WalkFunc) error {
	abs, err := g.check(path)
	if err != nil {
		return err
	}
	return g.disk.Walk(abs, walkFn)
}

func (g *guardedFS) Create(string) (filesys.File, error) { return nil, errReadOnly }
func (g *guardedFS) Mkdir(string) error                  { return errReadOnly }
func (g *guardedFS) MkdirAll(string) error               { return errReadOnly }
func (g *guardedFS) RemoveAll(string) error              { return errReadOnly }
func (g *guardedFS) WriteFile(string, []byte) error      { return errReadOnly }
