package lint

import (
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestLabelSelector(t *testing.T) {
	web := map[string]string{"app": "web", "tier": "front"}
	for _, c := range []struct {
		selector string
		want     bool
		str      string
	}{
		{`{}`, true, ""},
		{`null`, false, ""},
		{`{matchLabels: {app: web}}`, true, "app=web"},
		{`{matchLabels: {app: db}}`, false, "app=db"},
		{`{matchLabels: {tier: front, app: web}}`, true, "app=web,tier=front"},
		{`{matchExpressions: [{key: app, operator: In, values: [api, web]}]}`, true, "app in (api,web)"},
		{`{matchExpressions: [{key: app, operator: NotIn, values: [web]}]}`, false, "app notin (web)"},
		{`{matchExpressions: [{key: tier, operator: Exists}]}`, true, "tier"},
		{`{matchExpressions: [{key: canary, operator: DoesNotExist}]}`, true, "!canary"},
		{`{matchExpressions: [{key: app, operator: Equals, values: [web]}]}`, false, "app Equals"},
	} {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte("selector: "+c.selector), &doc); err != nil {
			t.Fatal(err)
		}
		o := &Object{root: doc.Content[0]}
		sel := SelectorOf(o.Get("selector"))
		if got := sel.Matches(web); got != c.want {
			t.Errorf("%s matches %v = %v, want %v", c.selector, web, got, c.want)
		}
		if got := Selects(o.Get("selector"), web); got != c.want {
			t.Errorf("Selects(%s) = %v, want %v", c.selector, got, c.want)
		}
		if got := sel.String(); got != c.str {
			t.Errorf("%s String() = %q, want %q", c.selector, got, c.str)
		}
	}
}
