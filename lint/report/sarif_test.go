package report

import (
	"bytes"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/report/reporttest"
)

func TestSARIFGolden(t *testing.T) {
	var b bytes.Buffer
	if err := SARIF(&b, testRun()); err != nil {
		t.Fatal(err)
	}
	golden(t, "sarif.json", b.Bytes())
	reporttest.ValidateSARIF(t, filepath.Join("testdata", "sarif.json"))
}

func TestKeepForSARIF(t *testing.T) {
	mk := func(l lint.Level, line int) engine.Finding {
		return engine.Finding{Rule: probeRule, Level: l, Place: lint.Place{Pos: lint.Pos{File: "a.yaml", Line: line}}}
	}
	fs := []engine.Finding{mk(lint.Note, 1), mk(lint.Error, 2), mk(lint.Warning, 3), mk(lint.Error, 4), mk(lint.Warning, 5)}
	fs[3].Suppression = &engine.Suppression{Kind: "comment"}
	kept, dropped := keepForSARIF(fs, 3)
	var lines []int
	for _, f := range kept {
		lines = append(lines, f.Pos.Line)
	}
	if fmt.Sprint(lines) != "[2 3 5]" || dropped != 2 {
		t.Errorf("kept lines %v, dropped %d; want [2 3 5] (counted errors and warnings first, in order), 2", lines, dropped)
	}
	kept, _ = keepForSARIF(fs, 2)
	if len(kept) != 2 || kept[0].Pos.Line != 2 || kept[1].Pos.Line != 3 {
		t.Errorf("limit 2: kept %d findings; want the error at line 2 and the first warning, at line 3", len(kept))
	}
	if kept, dropped := keepForSARIF(fs, 5); len(kept) != 5 || dropped != 0 {
		t.Errorf("under the limit: kept %d, dropped %d", len(kept), dropped)
	}
}
