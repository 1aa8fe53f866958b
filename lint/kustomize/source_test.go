package kustomize

import (
	"bytes"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestTaggedObject checks that tagging an object for a build leaves the parsed object, which the
// cache shares with every overlay and the locator, as it was read; that a List's items are tagged
// (kustomize builds each alone); and that an object whose metadata other nodes may share through
// an anchor is left untagged rather than changed for them too.
func TestTaggedObject(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"kind: A\nmetadata:\n  name: a\n", "kind: A\nmetadata:\n  name: a\n  annotations:\n    build.ekslint.io/source-file: \"7\"\n"},
		{"kind: A\n", "kind: A\nmetadata:\n  annotations:\n    build.ekslint.io/source-file: \"7\"\n"},
		{"kind: A\nmetadata:\n  annotations: {x: y}\n", "kind: A\nmetadata:\n  annotations: {x: y, build.ekslint.io/source-file: \"7\"}\n"},
		{"kind: List\nitems:\n- kind: A\n", "kind: List\nitems:\n  - kind: A\n    metadata:\n      annotations:\n        build.ekslint.io/source-file: \"7\"\nmetadata:\n  annotations:\n    build.ekslint.io/source-file: \"7\"\n"},
		{"kind: A\nmetadata: &m\n  name: a\nspec: *m\n", "kind: A\nmetadata: &m\n  name: a\nspec: *m\n"},
	} {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(c.in), &doc); err != nil {
			t.Fatal(err)
		}
		before := encode(t, doc.Content[0])
		got := encode(t, taggedObject(doc.Content[0], "7"))
		if after := encode(t, doc.Content[0]); after != before {
			t.Errorf("%q: the object read was changed:\n%s", c.in, after)
		}
		if got != c.want {
			t.Errorf("%q: tagged\n%s\nwant\n%s", c.in, got, c.want)
		}
	}
}

func encode(t *testing.T, n *yaml.Node) string {
	t.Helper()
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}
