package report

import (
	"path/filepath"
	"strings"

	"github.com/ekslint/ekslint/lint/load"
)

func (run *Run) sourceRoot() string {
	if run.SourceRoot != "" {
		return run.SourceRoot
	}
	return run.WorkDir
}

// sourcePath names a finding's file for code scanning and annotations: slash-separated and
// relative to the source root when it is inside it (inside true); otherwise absolute when the
// working directory is known, else as it was. Standard input is never inside.
func (run *Run) sourcePath(file string) (path string, inside bool) {
	if file == "" || file == load.StdinName {
		return file, false
	}
	p := filepath.FromSlash(file)
	if !filepath.IsAbs(p) {
		p = filepath.Join(run.WorkDir, p)
	}
	rel, err := filepath.Rel(run.sourceRoot(), p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(p), false
	}
	return filepath.ToSlash(rel), true
}
