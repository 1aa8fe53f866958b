package lint_test

import (
	"bytes"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/ekslint/ekslint/lint"
)

// TestMayAlias: text is parsed for its aliases whenever the parser reads an alias of one of its
// anchors in it, wherever a node may start (after a flow mapping's `:` or `?` too); not for an
// anchor without an alias of its name, nor for `&&` and `*word` in comments and descriptions.
func TestMayAlias(t *testing.T) {
	for _, c := range mayAliasCases {
		if got := lint.MayAlias([]byte(c.text)); got != c.may {
			t.Errorf("%q: MayAlias %v, want %v", c.text, got, c.may)
		}
		if !c.may && parsesAlias([]byte(c.text)) {
			t.Errorf("%q: the parser reads an alias", c.text)
		}
	}
}

// FuzzMayAlias: whatever the parser reads an alias in, MayAlias says may hold one. The checks
// that bound what aliases make (an alias bomb in a values.yaml) parse only what it says so of.
//
//	go test ./lint -run '^$' -fuzz FuzzMayAlias -fuzztime 5m
func FuzzMayAlias(f *testing.F) {
	for _, c := range mayAliasCases {
		f.Add([]byte(c.text))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) <= 4096 && !lint.MayAlias(data) && parsesAlias(data) {
			t.Errorf("%q: the parser reads an alias, and MayAlias says none", data)
		}
	})
}

var mayAliasCases = []struct {
	text string
	may  bool
}{
	{"a: &x [1]\nb: *x\n", true},
	{"a: &x [1]\nb: [*x]\n", true},
	{"a: &x [1]\nb: {\"k\":*x}\n", true},
	{"a: &x [1]\nb: {'k':*x,'j':*x}\n", true},
	{"a: &x 1\nb: {?*x}\n", true},
	{"a: {\"k\":&x [1]}\nb: *x\n", true},
	{"&x a: 1\n*x : 2\n", true},
	{"a: &x-1_B [1]\nb: *x-1_B\n", true},
	{"a: &x [1]\r*x : 2\r", true},
	{"# true && false\na: 1 # *v1.PodSecurityContext\n", false},
	{"a: &x [1]\nb: 2\n", false},
	{"a: &x [1]\nb: *y\n", false},
	{"a: &x [1]\nb: a*x\n", false},
	{"a: b&x\nc: *x\n", false},
}

// parsesAlias reports whether the parser reads an alias in data, in any of its documents.
func parsesAlias(data []byte) bool {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		if dec.Decode(&n) != nil {
			return false
		}
		if hasAlias(&n) {
			return true
		}
	}
}

func hasAlias(n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode {
		return true
	}
	for _, c := range n.Content {
		if hasAlias(c) {
			return true
		}
	}
	return false
}
