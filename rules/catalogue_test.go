package rules_test

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ekslint/ekslint/rules"
)

// TestCatalogue holds the rules to the contract in ../shared/RULES.md: the same ids in the same
// order, each with the catalogue's default level and on/off state.
func TestCatalogue(t *testing.T) {
	data, err := os.ReadFile("../../shared/RULES.md")
	if err != nil {
		t.Skip("../shared/RULES.md not present")
	}
	text := string(data)
	cell := `(?:[^|\\]|\\.)*` // a table cell; `\|` inside it is a literal bar
	row := regexp.MustCompile("(?m)^\\| (\\d+) \\| `([a-z0-9-]+)` \\|" + cell + `\|` + cell + `\| (error|warning|note)`)
	var ids []string
	levels := map[string]string{}
	numbers := map[string]int{}
	for _, m := range row.FindAllStringSubmatch(text, -1) {
		n, _ := strconv.Atoi(m[1])
		ids = append(ids, m[2])
		levels[m[2]], numbers[m[2]] = m[3], n
	}
	if want := catalogueCount(t, text); len(ids) != want {
		t.Fatalf("read %d rules from RULES.md, which says it has %d", len(ids), want)
	}
	on := defaultOnSet(t, text)
	var got []string
	for _, r := range rules.All() {
		got = append(got, r.ID)
		n, ok := numbers[r.ID]
		if !ok {
			t.Errorf("%s is not in the catalogue", r.ID)
			continue
		}
		if r.Level.String() != levels[r.ID] {
			t.Errorf("%s: level %s, catalogue says %s", r.ID, r.Level, levels[r.ID])
		}
		if r.DefaultOn != on[n] {
			t.Errorf("%s (#%d): default on %v, catalogue says %v", r.ID, n, r.DefaultOn, on[n])
		}
	}
	if strings.Join(got, " ") != strings.Join(ids, " ") {
		t.Errorf("rules.All() is not the catalogue in order:\n got %v\nwant %v", got, ids)
	}
}

// catalogueCount reads "Count: 89 rules" from RULES.md.
func catalogueCount(t *testing.T, text string) int {
	m := regexp.MustCompile(`(?m)^Count: (\d+) rules`).FindStringSubmatch(text)
	if m == nil {
		t.Fatal("no \"Count: N rules\" line in RULES.md")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// defaultOnSet reads "Default-on set (49 rules): 1–8, 11–13, ..." into rule numbers.
func defaultOnSet(t *testing.T, text string) map[int]bool {
	m := regexp.MustCompile(`\*\*Default-on set \((\d+) rules\)\*\*: ([^.]+)\.`).FindStringSubmatch(text)
	if m == nil {
		t.Fatal("no default-on set in RULES.md")
	}
	on := map[int]bool{}
	for _, part := range strings.Split(strings.Join(strings.Fields(m[2]), ""), ",") {
		lo, hi, isRange := strings.Cut(part, "–")
		a, err1 := strconv.Atoi(lo)
		b := a
		var err2 error
		if isRange {
			b, err2 = strconv.Atoi(hi)
		}
		if err1 != nil || err2 != nil {
			t.Fatalf("cannot read %q in the default-on set", part)
		}
		for n := a; n <= b; n++ {
			on[n] = true
		}
	}
	if want, _ := strconv.Atoi(m[1]); len(on) != want {
		t.Fatalf("default-on set has %d rules, RULES.md says %d", len(on), want)
	}
	return on
}
