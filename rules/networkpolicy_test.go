package rules_test

import (
	"testing"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/linttest"
	"github.com/ekslint/ekslint/rules"
)

// A cluster-wide policy of another engine may isolate every namespace or allow DNS everywhere, so
// the namespace rules stay quiet in a run that holds one; without it, the same input is reported.
func TestClusterWidePolicySilencesNamespaceRules(t *testing.T) {
	input := `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata:
      labels: {app: web}
    spec:
      containers: [{name: web, image: "nginx:1.27.3"}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: other}
spec:
  podSelector: {}
  policyTypes: [Egress]
`
	global := `---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: allow-dns}
spec:
  selector: all()
  types: [Egress]
  egress: [{action: Allow, protocol: UDP, destination: {ports: [53]}}]
`
	set := []*lint.Rule{rules.NamespaceWithoutNetworkPolicy, rules.NamespaceWithoutDefaultDeny, rules.DefaultDenyBlocksDNS}
	for _, c := range []struct {
		name, src string
		want      int
	}{{"alone", input, 3}, {"with a GlobalNetworkPolicy", input + global, 0}} {
		res := linttest.LintString(t, c.src, only(set...))
		if len(res.Findings) != c.want {
			t.Errorf("%s: %d findings, want %d: %v", c.name, len(res.Findings), c.want, res.Findings)
		}
	}
}
