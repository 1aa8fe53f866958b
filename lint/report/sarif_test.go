package report

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/ekslint/ekslint/lint"
)

func TestSARIFGolden(t *testing.T) {
	var b bytes.Buffer
	if err := SARIF(&b, testRun()); err != nil {
		t.Fatal(err)
	}
	golden(t, "sarif.json", b.Bytes())
	validateSARIF(t, filepath.Join("testdata", "sarif.json"))
}

// validateSARIF runs the shared SARIF validator (Microsoft's multitool with GitHub's ingestion
// rules) on a file, and skips when the validator is not there (a clone without ../shared) or
// cannot be installed (npm offline).
func validateSARIF(t *testing.T, path string) {
	t.Helper()
	validator, err := filepath.Abs("../../../shared/tools/sarif-validate")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(validator); err != nil {
		t.Skip("no ../shared/tools/sarif-validate beside the repository")
	}
	out, err := exec.Command(validator, path).CombinedOutput()
	if code := exitCodeOf(err); code == 2 {
		t.Skipf("sarif-validate could not run: %s", out)
	} else if code != 0 || !bytes.Contains(out, []byte("0 errors, 0 warnings")) {
		t.Errorf("sarif-validate %s: %v\n%s", path, err, out)
	}
}

func exitCodeOf(err error) int {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		return 2
	}
	return 0
}

func TestKeepForSARIF(t *testing.T) {
	mk := func(l lint.Level, line int) lint.Finding {
		return lint.Finding{Rule: probeRule, Level: l, Place: lint.Place{Pos: lint.Pos{File: "a.yaml", Line: line}}}
	}
	fs := []lint.Finding{mk(lint.Note, 1), mk(lint.Error, 2), mk(lint.Warning, 3), mk(lint.Error, 4), mk(lint.Warning, 5)}
	fs[3].Suppression = &lint.Suppression{Kind: "comment"}
	kept, dropped := keepForSARIF(fs, 3)
	var lines []int
	for _, f := range kept {
		lines = append(lines, f.Pos.Line)
	}
	if fmt.Sprint(lines) != "[2 3 5]" || dropped != 2 {
		t.Errorf("kept lines %v, dropped %d; want [2 3 5] (counted errors and warnings first, in order), 2", lines, dropped)
	}
	if kept, dropped := keepForSARIF(fs, 5); len(kept) != 5 || dropped != 0 {
		t.Errorf("under the limit: kept %d, dropped %d", len(kept), dropped)
	}
}
