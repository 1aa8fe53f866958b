package rules_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ekslint/ekslint/rules"
)

// TestRuleIndex keeps the table in doc.go true: the first pattern matching a rule's id names the
// file that defines the rule, so a reader goes from an id to its code in one hop.
func TestRuleIndex(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	type entry struct{ pattern, file string }
	var index []entry
	for _, m := range regexp.MustCompile(`(?m)^//\t(\S+)\s+(\S+\.go)$`).FindAllStringSubmatch(string(doc), -1) {
		index = append(index, entry{m[1], m[2]})
	}
	defined := map[string]string{} // rule id → file that defines it
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			kv, ok := n.(*ast.KeyValueExpr)
			if !ok {
				return true
			}
			if key, isIdent := kv.Key.(*ast.Ident); isIdent && key.Name == "ID" {
				if lit, isLit := kv.Value.(*ast.BasicLit); isLit {
					id, _ := strconv.Unquote(lit.Value)
					defined[id] = f
				}
			}
			return true
		})
	}
	for _, r := range rules.All() {
		want := ""
		for _, e := range index {
			if ok, _ := path.Match(e.pattern, r.ID); ok {
				want = e.file
				break
			}
		}
		if got := defined[r.ID]; got != want {
			t.Errorf("%s is defined in %s, but doc.go's index says %q", r.ID, got, want)
		}
	}
}
