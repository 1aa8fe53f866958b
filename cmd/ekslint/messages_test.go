package main

import (
	"strings"
	"testing"
)

// TestUnknownRuleSuggestion: a misspelt rule id on the command line is refused with the id meant.
func TestUnknownRuleSuggestion(t *testing.T) {
	for _, flag := range []string{"--enable", "--disable"} {
		_, stderr, code := ekslint(t, "", "lint", "testdata/clean", flag, "k8s-host-netwrk")
		if code != 2 || !strings.Contains(stderr, `unknown rule "k8s-host-netwrk" (did you mean k8s-host-network?)`) {
			t.Errorf("%s: exit %d:\n%s", flag, code, stderr)
		}
	}
}
