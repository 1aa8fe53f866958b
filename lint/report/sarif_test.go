package report

import (
	"bytes"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/report/reporttest"
	"github.com/owenrumney/go-sarif/v2/sarif"
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

// TestWriteSARIFAsGoSARIF holds writeSARIF, which writes the results one at a time, to go-sarif's
// own PrettyWrite of the same report: the same bytes, with no results, one, and several with
// related locations, suppressions and characters JSON escapes.
func TestWriteSARIFAsGoSARIF(t *testing.T) {
	results := []*sarif.Result{
		sarif.NewRuleResult("a").WithLevel("error").WithMessage(sarif.NewTextMessage("<one> & \"two\"")).
			WithLocations([]*sarif.Location{sarif.NewLocation().WithPhysicalLocation(sarif.NewPhysicalLocation().
				WithArtifactLocation(sarif.NewArtifactLocation().WithUri("a.yaml")).WithRegion(sarif.NewRegion().WithStartLine(3)))}),
		sarif.NewRuleResult("b").WithMessage(sarif.NewTextMessage("é")),
		sarif.NewRuleResult("c").WithMessage(sarif.NewTextMessage("three")).WithBaselineState("new"),
	}
	results[1].AddRelatedLocation(sarif.NewLocation().WithId(1).WithMessage(sarif.NewTextMessage("there")))
	results[1].AddSuppression(sarif.NewSuppression("inSource"))
	report := func(with []*sarif.Result) *sarif.Report {
		rep, err := sarif.New(sarif.Version210, true)
		if err != nil {
			t.Fatal(err)
		}
		run := sarif.NewRunWithInformationURI("ekslint", InformationURI)
		run.AddInvocation(true)
		run.Results = with
		rep.AddRun(run)
		return rep
	}
	for n := range len(results) + 1 {
		var want, got bytes.Buffer
		if err := report(results[:n]).PrettyWrite(&want); err != nil {
			t.Fatal(err)
		}
		want.WriteByte('\n')
		if err := writeSARIF(&got, report([]*sarif.Result{}), n, func(i int) *sarif.Result { return results[i] }); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%d results: wrote\n%s\ngo-sarif writes\n%s", n, got.String(), want.String())
		}
	}
}
