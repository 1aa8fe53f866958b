package linter_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/fsroot"
	"github.com/ekslint/ekslint/lint/linter"
)

func TestLoadVersions(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "eks.yaml")
	newer := strings.Replace(string(lint.BuiltinVersionsYAML()), "as_of: 2026-11-23", "as_of: 2027-05-01", 1)
	if err := os.WriteFile(path, []byte(newer), 0o644); err != nil {
		t.Fatal(err)
	}
	root, err := fsroot.New(dir, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	v, err := linter.LoadVersions(root, path, path)
	if err != nil {
		t.Fatal(err)
	}
	if v.Source != path || v.AsOf.Format(time.DateOnly) != "2027-05-01" {
		t.Errorf("source %s as_of %v", v.Source, v.AsOf)
	}
	if _, err := linter.LoadVersions(root, filepath.Join(dir, "missing.yaml"), "missing.yaml"); err == nil {
		t.Error("no error for a missing file")
	}
}
