package rules_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/linttest"
	"github.com/ekslint/ekslint/rules"
)

// BenchmarkNamespaceSetRules runs the G6 set rules over one namespace holding n workloads and n
// policies that each select nothing (the worst case for matching), next to a per-object rule
// over the same input: the set rules should cost about what the per-object rule does, not grow
// with workloads times policies.
func BenchmarkNamespaceSetRules(b *testing.B) {
	const n = 5000
	var sb strings.Builder
	for i := range n {
		fmt.Fprintf(&sb, `apiVersion: apps/v1
kind: Deployment
metadata: {name: app%[1]d, namespace: big}
spec:
  template:
    metadata:
      labels: {app: app%[1]d, tier: web}
    spec:
      containers: [{name: c, image: "nginx:1.27.3"}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: pol%[1]d, namespace: big}
spec:
  podSelector: {matchLabels: {app: missing%[1]d, tier: web}}
  policyTypes: [Ingress, Egress]
  egress: [{ports: [{port: 53}]}]
---
`, i)
	}
	input := sb.String()
	for _, c := range []struct {
		name  string
		rules []*lint.Rule
	}{
		{"per-object", []*lint.Rule{rules.ImageTagMutable}},
		{"G6", []*lint.Rule{rules.NamespaceWithoutNetworkPolicy, rules.NamespaceWithoutDefaultDeny,
			rules.DefaultDenyBlocksDNS, rules.NetworkPolicySelectsNothing}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				linttest.LintString(b, input, only(c.rules...))
			}
		})
	}
}
