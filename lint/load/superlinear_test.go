package load_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ekslint/ekslint/lint/linttest"
	"github.com/ekslint/ekslint/rules"
)

// TestWorkGrowsWithTheInput lints inputs that are small but once took time growing with the
// square (or worse) of their size, under a watchdog: each now takes well under a second, and took
// over a minute before.
func TestWorkGrowsWithTheInput(t *testing.T) {
	every := linttest.Only(rules.All()...)
	for _, c := range []struct {
		name, src string
		objects   int
	}{
		// Each mapping merges two aliases of the one before: 2^14 paths through the chain, within
		// the alias budget. Every missing key was looked for along all of them.
		{"merge chain", mergeChain(14, 2000), 2000},
		// Findings on a resource end where its value ends, 9,000 brackets into one line: each
		// level converted a column to a byte offset by reading the line again.
		{"deep flow nesting", deepTemplate(9000, 10), 10},
	} {
		t.Run(c.name, func(t *testing.T) {
			linttest.Within(t, 30*time.Second, c.name, func() {
				res := linttest.LintFiles(t, map[string]string{"x.yaml": c.src}, every)
				if res.Objects != c.objects {
					t.Errorf("%d objects, want %d; problems %v", res.Objects, c.objects, res.Problems)
				}
			})
		})
	}
}

// mergeChain writes docs Deployments whose fields all merge the last of a chain of depth
// mappings, each merging the one before twice.
func mergeChain(depth, docs int) string {
	var b strings.Builder
	for d := range docs {
		fmt.Fprintf(&b, "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: m%d\nx-chain:\n  a0: &a0 {x: 1}\n", d)
		for i := 1; i <= depth; i++ {
			fmt.Fprintf(&b, "  a%d: &a%d {<<: [*a%d, *a%d]}\n", i, i, i-1, i-1)
		}
		fmt.Fprintf(&b, "spec:\n  <<: *a%[1]d\n  template:\n    <<: *a%[1]d\n    spec:\n      <<: *a%[1]d\n      containers:\n      - <<: *a%[1]d\n        name: c\n        image: nginx:1.27\n", depth)
	}
	return b.String()
}

// deepTemplate writes a CloudFormation template of n clusters whose Tags nest depth flow mappings
// deep on one line.
func deepTemplate(depth, n int) string {
	var b strings.Builder
	b.WriteString("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n")
	for i := range n {
		fmt.Fprintf(&b, "  C%d:\n    Type: AWS::EKS::Cluster\n    Properties:\n      Name: c%d\n      Tags: %s1%s\n",
			i, i, strings.Repeat(`{"a": `, depth), strings.Repeat("}", depth))
	}
	return b.String()
}
