package engine

import "github.com/ekslint/ekslint/lint"

// Counts tallies a run's findings by level, leaving out those suppressed or in the baseline.
type Counts struct {
	Errors, Warnings, Notes int
	// Suppressed counts findings covered by an inline ignore; Baselined those already in the baseline.
	Suppressed, Baselined int
	// InputErrors counts inputs that could not be read or linted.
	InputErrors int
	// InputWarnings counts warnings about how an input is written (a key written twice with the
	// same value, a workload without containers): it is linted, but worth fixing. InputNotes counts
	// notes on inputs (a deprecated kustomization field, a component nothing includes).
	InputWarnings, InputNotes int
}

// Count tallies r.
func (r *Result) Count() Counts {
	var c Counts
	for i := range r.Findings {
		f := &r.Findings[i]
		switch {
		case f.Suppression != nil:
			c.Suppressed++
		case f.Baseline == BaselineUnchanged:
			c.Baselined++
		case f.Level == lint.Error:
			c.Errors++
		case f.Level == lint.Warning:
			c.Warnings++
		case f.Level == lint.Note:
			c.Notes++
		}
	}
	for _, p := range r.Problems {
		switch p.Level {
		case lint.Error:
			c.InputErrors++
		case lint.Warning:
			c.InputWarnings++
		case lint.Note:
			c.InputNotes++
		}
	}
	return c
}

// Exit codes of a run.
const (
	ExitClean    = 0 // nothing at or above --fail-on
	ExitFindings = 1 // findings at or above --fail-on
	ExitInput    = 2 // usage errors, or inputs that could not be read or linted
)

// ExitCode is the process exit code for r: 2 when any input could not be read or linted, else 1
// when a counted finding is at or above failOn (None never fails), else 0.
func (r *Result) ExitCode(failOn lint.Level) int {
	c := r.Count()
	switch {
	case c.InputErrors > 0:
		return ExitInput
	case failOn == lint.None:
		return ExitClean
	case failOn <= lint.Error && c.Errors > 0, failOn <= lint.Warning && c.Warnings > 0, failOn <= lint.Note && c.Notes > 0:
		return ExitFindings
	}
	return ExitClean
}
