package rules_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/linttest"
	"github.com/ekslint/ekslint/rules"
)

// BenchmarkWorkloadSetRules runs the G5 and G7 set rules over one namespace holding n
// Deployments, n PodDisruptionBudgets and n Services that all share the label env=prod (the
// skew that made a naive index quadratic), half of them matching nothing, next to a per-object
// rule over the same input: the set rules should cost about what the per-object rule does, not
// grow with workloads times budgets or Services.
func BenchmarkWorkloadSetRules(b *testing.B) {
	const n = 5000
	var sb strings.Builder
	for i := range n {
		fmt.Fprintf(&sb, `apiVersion: apps/v1
kind: Deployment
metadata: {name: app%[1]d, namespace: big}
spec:
  replicas: 3
  template:
    metadata:
      labels: {name: app%[1]d, env: prod}
    spec:
      serviceAccountName: sa%[1]d
      containers: [{name: c, image: "nginx:1.27.3"}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: pdb%[1]d, namespace: big}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {env: prod, name: app%[2]d}}
---
apiVersion: v1
kind: Service
metadata: {name: svc%[1]d, namespace: big}
spec:
  selector: {env: prod, name: app%[2]d}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: sa%[1]d, namespace: big}
---
`, i, i+i%2*n)
	}
	input := sb.String()
	for _, c := range []struct {
		name  string
		rules []*lint.Rule
	}{
		{"per-object", []*lint.Rule{rules.ImageTagMutable}},
		{"G5", []*lint.Rule{rules.ReadinessProbeMissing, rules.SingleReplica, rules.PDBMissing, rules.WorkloadNoAWSIdentity, rules.SATokenAutomount}},
		{"G7", []*lint.Rule{rules.ALBInternetFacingUnrestricted, rules.ServiceSelectsNoPods}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				linttest.LintString(b, input, only(c.rules...))
			}
		})
	}
}
