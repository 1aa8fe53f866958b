package filter

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/ekslint/ekslint/lint"
)

// RuleConfig is what a config file says about one rule.
type RuleConfig struct {
	// Enabled turns the rule on or off; nil leaves it as it is by default.
	Enabled *bool
	// Level replaces the level of every finding of the rule; None keeps the rule's own.
	Level lint.Level
}

// AllRules is the id that stands for every rule in --enable, --disable and config.
const AllRules = "all"

// A Selection is the rules of a run, each with the level config gave it.
type Selection struct {
	// Rules are the rules that run, in the order given; a rule whose level config changes is a
	// copy with that level.
	Rules []*lint.Rule
	// FixedLevels are the ids of the rules whose level config set: that level replaces the level
	// of every finding, including those a check reports at a level of its own.
	FixedLevels map[string]bool
}

// Presets are named groups of rules that --enable, --disable and config name at once (the Pod
// Security Standards profiles): preset name → rule ids.
type Presets map[string][]string

// Select picks the rules of a run and their levels. Config comes first: its "all" entry, then
// its presets, then each rule's own entry; the --enable and --disable flags then win over it, a
// preset standing for its rules. A rule is on by
// default, plus enable, minus disable; "all" in enable turns every rule on, and "all" in disable
// turns off every rule that enable does not name. An id that names no rule is an error that
// suggests the nearest id, so a typo in a flag or config file does not silently check nothing.
func Select(all []*lint.Rule, presets Presets, config map[string]RuleConfig, enable, disable []string) (Selection, error) {
	known := make(map[string]bool, len(all))
	ids := make([]string, 0, len(all))
	for _, r := range all {
		known[r.ID] = true
		ids = append(ids, r.ID)
	}
	for name := range presets {
		ids = append(ids, name)
	}
	named := slices.Concat(enable, disable)
	for id := range config {
		named = append(named, id)
	}
	slices.Sort(named)
	for _, id := range named {
		if id != AllRules && !known[id] && presets[id] == nil {
			msg := fmt.Sprintf("unknown rule %q", id)
			if s := Suggest(id, ids); s != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", s)
			}
			return Selection{}, errors.New(msg + "; ekslint rules lists them")
		}
	}
	enableAll, disableAll := slices.Contains(enable, AllRules), slices.Contains(disable, AllRules)
	enable, disable = presets.expand(enable), presets.expand(disable)
	sel := Selection{FixedLevels: map[string]bool{}}
	for _, r := range all {
		on := r.DefaultOn
		entries := []RuleConfig{config[AllRules]}
		for _, name := range slices.Sorted(maps.Keys(presets)) {
			if slices.Contains(presets[name], r.ID) {
				entries = append(entries, config[name])
			}
		}
		for _, c := range append(entries, config[r.ID]) {
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
		if l := config[r.ID].Level; l != lint.None {
			configured := *r
			configured.Level = l
			r = &configured
			sel.FixedLevels[r.ID] = true
		}
		sel.Rules = append(sel.Rules, r)
	}
	return sel, nil
}

// expand replaces preset names in ids with their rules.
func (p Presets) expand(ids []string) []string {
	var out []string
	for _, id := range ids {
		if members, ok := p[id]; ok {
			out = append(out, members...)
		} else {
			out = append(out, id)
		}
	}
	return out
}
