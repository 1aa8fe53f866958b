package lint

import (
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"
)

func TestLabelSelector(t *testing.T) {
	web := LabelsOf(map[string]string{"app": "web", "tier": "front"})
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

func TestLabelIndex(t *testing.T) {
	x := NewLabelIndex[string]()
	x.Add("shop", LabelsOf(map[string]string{"app": "web", "env": "prod"}), "shop/web")
	x.Add("shop", LabelsOf(map[string]string{"app": "cart", "env": "prod"}), "shop/cart")
	x.Add("blog", LabelsOf(map[string]string{"app": "web", "env": "prod"}), "blog/web")
	find := func(ns string, sel LabelSelector) []string {
		var out []string
		for v := range x.Find(ns, sel) {
			out = append(out, v)
		}
		return out
	}
	for _, c := range []struct {
		ns   string
		sel  map[string]string
		want []string
	}{
		{"shop", map[string]string{"app": "web"}, []string{"shop/web"}},
		{"shop", map[string]string{"env": "prod"}, []string{"shop/web", "shop/cart"}},
		{"shop", map[string]string{"env": "prod", "app": "blog"}, nil},
		{"shop", map[string]string{}, nil},
		{"blog", map[string]string{"app": "cart"}, nil},
		{AnyNamespace, map[string]string{"app": "web"}, []string{"shop/web", "blog/web"}},
	} {
		if got := find(c.ns, SelectorFromLabels(LabelsOf(c.sel))); !slices.Equal(got, c.want) {
			t.Errorf("Find(%s, %v) = %v, want %v", c.ns, c.sel, got, c.want)
		}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte("s: {matchExpressions: [{key: app, operator: In, values: [cart, web]}]}"), &doc); err != nil {
		t.Fatal(err)
	}
	sel := SelectorOf((&Object{root: doc.Content[0]}).Get("s"))
	if got := find("shop", sel); !slices.Equal(got, []string{"shop/web", "shop/cart"}) {
		t.Errorf("Find with matchExpressions only = %v", got)
	}
}

// TestLabels: a mapping's pairs sorted by key, the last of a key written twice kept (as YAML
// decoders do; ekslint reports the duplicate), found by binary search.
func TestLabels(t *testing.T) {
	o := parseObject(t, "apiVersion: v1\nkind: X\nmetadata:\n  name: a\n  labels: {tier: front, app: web, z: '1', app: api, n: null}\n")
	l := o.Labels()
	if got := l.String(); got != "app=api,n=,tier=front,z=1" {
		t.Errorf("labels %q", got)
	}
	for k, want := range map[string]string{"app": "api", "tier": "front", "z": "1", "n": ""} {
		if v, ok := l.Get(k); !ok || v != want {
			t.Errorf("Get(%q) = %q, %v", k, v, ok)
		}
	}
	if _, ok := l.Get("b"); ok || l.Len() != 4 {
		t.Errorf("Get(b) found, or Len %d", l.Len())
	}
	var keys []string
	for k := range l.All() {
		keys = append(keys, k)
	}
	if !slices.Equal(keys, []string{"app", "n", "tier", "z"}) {
		t.Errorf("All yields %v", keys)
	}
}
