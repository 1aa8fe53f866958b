// Package reporttest checks report output in tests.
package reporttest

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// ValidateSARIF runs the shared SARIF validator (Microsoft's SARIF multitool with GitHub's
// ingestion rules, in ../shared/tools beside the repository) on a file and fails the test unless
// it reports 0 errors and 0 warnings. It skips when the validator is not there (a clone without
// ../shared) or cannot run (npm offline on its first use).
func ValidateSARIF(t testing.TB, path string) {
	t.Helper()
	validator, err := sharedTool("sarif-validate")
	if err != nil {
		t.Skip(err)
	}
	out, err := exec.Command(validator, path).CombinedOutput()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit) && exit.ExitCode() == 2, err != nil && !errors.As(err, &exit):
		t.Skipf("sarif-validate could not run: %v\n%s", err, out)
	case err != nil || !bytes.Contains(out, []byte("0 errors, 0 warnings")):
		t.Errorf("sarif-validate %s: %v\n%s", path, err, out)
	}
}

// sharedTool finds ../shared/tools/name beside the repository holding the working directory.
func sharedTool(name string) (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			tool := filepath.Join(dir, "..", "shared", "tools", name)
			if _, err := os.Stat(tool); err != nil {
				return "", errors.New("no ../shared/tools/" + name + " beside the repository")
			}
			return tool, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside a Go module")
		}
		dir = parent
	}
}
