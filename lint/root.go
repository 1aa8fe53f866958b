package lint

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// DefaultRoot is the lint root of a run started in wd without --root: the git work tree holding
// wd, else wd itself. The config file is looked for there.
func DefaultRoot(wd string) string { return defaultRoot(wd, wd) }

// Within reports whether path is root or inside it, comparing the paths as written.
func Within(path, root string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// InRoot reports whether path is inside root once the symlinks in both are followed: the check
// everything ekslint reads goes through, so a symlink in the repository cannot lead out of it and
// a root reached through a symlink (/home -> /data/home) still holds its own files. real is path
// resolved.
func InRoot(path, root string) (real string, ok bool, err error) {
	if real, err = ResolvePath(path); err != nil {
		return "", false, err
	}
	realRoot, err := ResolvePath(root)
	if err != nil {
		return "", false, err
	}
	return real, Within(real, realRoot), nil
}

// ResolvePath follows the symlinks in abs as far as it exists: a path that does not exist yet
// resolves through its deepest existing ancestor, so `link/missing.yaml` cannot sneak out through
// `link`. A symlink loop is an error.
func ResolvePath(abs string) (string, error) {
	rest := ""
	for p := abs; ; p = filepath.Dir(p) {
		real, err := filepath.EvalSymlinks(p)
		if err == nil {
			return filepath.Join(real, rest), nil
		}
		if !errors.Is(err, os.ErrNotExist) {
			return "", fmt.Errorf("cannot resolve %s: %w", abs, err)
		}
		if filepath.Dir(p) == p {
			return abs, nil
		}
		rest = filepath.Join(filepath.Base(p), rest)
	}
}
