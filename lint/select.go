package lint

import (
	"fmt"
	"slices"
)

// RuleConfig is what a config file says about one rule.
type RuleConfig struct {
	// Enabled turns the rule on or off; nil leaves it as it is by default.
	Enabled *bool
	// Level replaces the level of every finding of the rule; None keeps the rule's own.
	Level Level
}

// AllRules is the id that stands for every rule in --enable, --disable and config.
const AllRules = "all"

// Select picks the rules of a run and their levels. Config comes first: its "all" entry, then
// each rule's own entry; the --enable and --disable flags then win over it. A rule is on by
// default, plus enable, minus disable; "all" in enable turns every rule on, and "all" in disable
// turns off every rule that enable does not name. A rule whose level config changes is returned
// as a copy with that level. An id that names no rule is an error, so a typo in a flag or config
// file does not silently check nothing.
func Select(all []*Rule, config map[string]RuleConfig, enable, disable []string) ([]*Rule, error) {
	known := make(map[string]bool, len(all))
	for _, r := range all {
		known[r.ID] = true
	}
	ids := slices.Concat(enable, disable)
	for id := range config {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		if id != AllRules && !known[id] {
			return nil, fmt.Errorf("unknown rule %q (ekslint rules lists them)", id)
		}
	}
	enableAll, disableAll := slices.Contains(enable, AllRules), slices.Contains(disable, AllRules)
	var out []*Rule
	for _, r := range all {
		on := r.DefaultOn
		for _, c := range []RuleConfig{config[AllRules], config[r.ID]} {
			if c.Enabled != nil {
				on = *c.Enabled
			}
		}
		enabled := slices.Contains(enable, r.ID)
		if enableAll || enabled {
			on = true
		}
		if slices.Contains(disable, r.ID) || disableAll && !enabled {
			on = false
		}
		if !on {
			continue
		}
		if l := config[r.ID].Level; l != None {
			configured := *r
			configured.Level, configured.levelConfigured = l, true
			r = &configured
		}
		out = append(out, r)
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
		case f.Baseline == BaselineUnchanged:
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
