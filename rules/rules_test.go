package rules_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/linter"
	"github.com/ekslint/ekslint/lint/linttest"
	"github.com/ekslint/ekslint/rules"
)

const fixtures = "../fixtures"

// fixtureDate pins the date version rules compare against, so fixtures do not expire.
var fixtureDate = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// only runs rules alone, on the fixtures' date.
func only(rules ...*lint.Rule) linter.Request {
	req := linttest.Only(rules...)
	req.Today = fixtureDate
	return req
}

// TestFixtures runs each rule over fixtures/<rule-id>/ and compares its findings with the
// `# want:` comments there. Only that rule runs, so fixtures need not annotate other rules.
func TestFixtures(t *testing.T) {
	for _, r := range rules.All() {
		t.Run(r.ID, func(t *testing.T) {
			dir := filepath.Join(fixtures, r.ID)
			if _, err := os.Stat(dir); err != nil {
				t.Fatalf("rule %s has no fixtures: add %s with bad (# want:) and good cases", r.ID, dir)
			}
			res := linttest.Run(t, dir, only(r))
			if len(res.Findings) == 0 {
				t.Errorf("%s: no bad case: no fixture produces a finding", dir)
			}
			if !hasCleanFile(t, dir) {
				t.Errorf("%s: no good case: every fixture file has a # want", dir)
			}
		})
	}
	entries, err := os.ReadDir(fixtures)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() && !ruleExists(e.Name()) {
			t.Errorf("fixtures/%s names no rule", e.Name())
		}
	}
}

func hasCleanFile(t *testing.T, dir string) bool {
	clean := false
	filepath.WalkDir(dir, func(path string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() || strings.HasSuffix(path, ".want") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(path + ".want"); err != nil && !strings.Contains(string(data), "# want:") {
			clean = true
		}
		return nil
	})
	return clean
}

func ruleExists(id string) bool {
	for _, r := range rules.All() {
		if r.ID == id {
			return true
		}
	}
	return false
}

// TestExamples checks the examples in each rule's docs: Bad gives a finding of that rule, Good
// gives none.
func TestExamples(t *testing.T) {
	for _, r := range rules.All() {
		t.Run(r.ID, func(t *testing.T) {
			if r.Example.Bad == "" || r.Example.Good == "" {
				t.Fatalf("rule %s has no example", r.ID)
			}
			for _, c := range []struct {
				name, src string
				want      bool
			}{{"bad", r.Example.Bad, true}, {"good", r.Example.Good, false}} {
				res := linttest.LintString(t, c.src, only(r))
				for _, p := range res.Problems {
					t.Errorf("%s example: %s", c.name, p)
				}
				if got := len(res.Findings) > 0; got != c.want {
					t.Errorf("%s example: %d findings, want findings: %v\n%s", c.name, len(res.Findings), c.want, c.src)
				}
			}
		})
	}
}

// TestRuleValues checks what every rule must carry to be documented and reported.
func TestRuleValues(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range rules.All() {
		if seen[r.ID] {
			t.Errorf("duplicate rule id %s", r.ID)
		}
		seen[r.ID] = true
		if r.Title == "" || r.Rationale == "" || r.Fix == "" || r.Inputs == 0 || len(r.Tags) == 0 {
			t.Errorf("%s: title, rationale, fix, inputs and tags are required", r.ID)
		}
		for _, tag := range r.Tags {
			if !slices.Contains(lint.Tags, tag) {
				t.Errorf("%s: unknown tag %q", r.ID, tag)
			}
		}
		if (r.Check == nil) == (r.Set == nil) {
			t.Errorf("%s: exactly one of Check and Set must be set", r.ID)
		}
		if r.Level == lint.None {
			t.Errorf("%s: no level", r.ID)
		}
	}
}

// catalogueCode is the shorthand ../shared/RULES.md uses for a best practice (A14, B3, C1): a user
// cannot look it up, so no text a user reads may carry one.
var catalogueCode = regexp.MustCompile(`\b[ABC]\d{1,2}\b`)

// TestSources: every rule names the public pages it implements, and no text a user reads cites
// the catalogue's codes instead.
func TestSources(t *testing.T) {
	for _, r := range rules.All() {
		if len(r.Sources) == 0 {
			t.Errorf("%s: no public source", r.ID)
		}
		for _, s := range r.Sources {
			if s.Title == "" || !strings.HasPrefix(s.URL, "https://") {
				t.Errorf("%s: source %+v needs a title and an https URL", r.ID, s)
			}
		}
		for field, text := range map[string]string{"Title": r.Title, "Rationale": r.Rationale, "Fix": r.Fix, "Notes": r.Notes} {
			if code := catalogueCode.FindString(text); code != "" {
				t.Errorf("%s: %s cites the catalogue code %s; name the public source in Sources instead", r.ID, field, code)
			}
		}
	}
}
