package lint

import (
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestLabelSelector(t *testing.T) {
	pods := map[string]string{"app": "web", "tier": "frontend"}
	for _, c := range []struct {
		sel     string // YAML; "" for a missing selector
		matches bool
		str     string
	}{
		{"", false, "{}"},
		{"{}", true, "{}"},
		{"{matchLabels: {app: web}}", true, "app=web"},
		{"{matchLabels: {app: web, tier: backend}}", false, "app=web,tier=backend"},
		{"{matchExpressions: [{key: tier, operator: In, values: [frontend, edge]}]}", true, "tier in (frontend,edge)"},
		{"{matchExpressions: [{key: tier, operator: NotIn, values: [frontend]}]}", false, "tier notin (frontend)"},
		{"{matchExpressions: [{key: canary, operator: NotIn, values: ['true']}]}", true, "canary notin (true)"},
		{"{matchExpressions: [{key: app, operator: Exists}, {key: legacy, operator: DoesNotExist}]}", true, "app,!legacy"},
		{"{matchExpressions: [{key: app, operator: Equals, values: [web]}]}", false, "app equals (web)"},
		{"web", false, "{}"},
	} {
		n := Node{missing: true, obj: &Object{}}
		if c.sel != "" {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(c.sel), &doc); err != nil {
				t.Fatal(err)
			}
			n = Node{val: doc.Content[0], obj: &Object{}}
		}
		sel := SelectorOf(n)
		if got := sel.Matches(pods); got != c.matches {
			t.Errorf("%q matches %v: %v, want %v", c.sel, pods, got, c.matches)
		}
		if got := Selects(n, pods); got != c.matches {
			t.Errorf("Selects(%q): %v, want %v", c.sel, got, c.matches)
		}
		if got := sel.String(); got != c.str {
			t.Errorf("%q String() = %q, want %q", c.sel, got, c.str)
		}
	}
	if !(LabelSelector{}).Matches(nil) || !(LabelSelector{}).IsEmpty() {
		t.Error("the zero LabelSelector must be {} and select everything")
	}
}
