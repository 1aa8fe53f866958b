package rules_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportsOnlyTheRuleAPI keeps the boundary the compiler cannot: rules see the rule API
// (package lint) and nothing else of ekslint, so no rule can reach the engine, a loader or the
// reports.
func TestImportsOnlyTheRuleAPI(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if strings.HasPrefix(pkg, "github.com/ekslint/ekslint/") && pkg != "github.com/ekslint/ekslint/lint" && pkg != "github.com/ekslint/ekslint/rules" {
			t.Errorf("package rules depends on %s; rules may import only github.com/ekslint/ekslint/lint", pkg)
		}
	}
}
