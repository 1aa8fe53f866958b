package lint

import (
	"fmt"
	"slices"
)

// Select picks the rules of a run: those on by default, plus enable, minus disable; "all" in
// enable turns every rule on. An id that names no rule is an error, so a typo in a flag or
// config file does not silently check nothing.
func Select(all []*Rule, enable, disable []string) ([]*Rule, error) {
	known := make(map[string]bool, len(all))
	for _, r := range all {
		known[r.ID] = true
	}
	for _, id := range slices.Concat(enable, disable) {
		if id != "all" && !known[id] {
			return nil, fmt.Errorf("unknown rule %q (ekslint rules lists them)", id)
		}
	}
	every := slices.Contains(enable, "all")
	var out []*Rule
	for _, r := range all {
		on := r.DefaultOn || every || slices.Contains(enable, r.ID)
		if slices.Contains(disable, r.ID) || slices.Contains(disable, "all") && !slices.Contains(enable, r.ID) {
			on = false
		}
		if on {
			out = append(out, r)
		}
	}
	return out, nil
}

// Counts tallies a run's findings by level, leaving out those suppressed or in the baseline.
type Counts struct {
	Errors, Warnings, Notes int
	// Suppressed counts findings covered by an inline ignore; Baselined those already in the baseline.
	Suppressed, Baselined int
	// InputErrors counts inputs that could not be read or linted.
	InputErrors int
}

// Count tallies r.
func (r *Result) Count() Counts {
	var c Counts
	for i := range r.Findings {
		f := &r.Findings[i]
		switch {
		case f.Suppression != nil:
			c.Suppressed++
		case f.Baseline == "unchanged":
			c.Baselined++
		case f.Level == Error:
			c.Errors++
		case f.Level == Warning:
			c.Warnings++
		case f.Level == Note:
			c.Notes++
		}
	}
	for _, p := range r.Problems {
		if p.Level == Error {
			c.InputErrors++
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
func (r *Result) ExitCode(failOn Level) int {
	c := r.Count()
	switch {
	case c.InputErrors > 0:
		return ExitInput
	case failOn == None:
		return ExitClean
	case failOn <= Error && c.Errors > 0, failOn <= Warning && c.Warnings > 0, failOn <= Note && c.Notes > 0:
		return ExitFindings
	}
	return ExitClean
}
