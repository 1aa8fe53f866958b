// Tests that lint files through the whole pipeline (linttest), in package rules_test.
package rules_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint/linttest"
	"github.com/ekslint/ekslint/rules"
)

// TestRawServicesByFolder: a raw Service is judged by the raw workloads of its own folder, the
// folders in it and those above it; a test fixture's Job elsewhere in the repository says nothing
// of an OLM bundle's Services (opentelemetry-operator).
func TestRawServicesByFolder(t *testing.T) {
	service := func(name, selector string) string {
		return "apiVersion: v1\nkind: Service\nmetadata:\n  name: " + name + "\nspec:\n  selector:\n    " + selector + "\n  ports: [{port: 80}]\n"
	}
	workload := func(kind, label string) string {
		return "apiVersion: apps/v1\nkind: " + kind + "\nmetadata:\n  name: w\nspec:\n  template:\n    metadata:\n      labels: {app: " + label +
			"}\n    spec:\n      containers: [{name: c, image: busybox:1.37}]\n"
	}
	res := linttest.LintFiles(t, map[string]string{
		"bundle/manifests/service.yaml": service("operator-webhook", "control-plane: controller-manager"),
		"tests/e2e/job.yaml":            workload("Deployment", "smoke"),
		"deploy/service.yaml":           service("web", "app: webb"),
		"deploy/app/deployment.yaml":    workload("Deployment", "web"),
	}, linttest.Only(rules.ServiceSelectsNoPods))
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.Pos.String())
	}
	if want := []string{"deploy/service.yaml:7:5"}; !slices.Equal(got, want) {
		t.Errorf("findings at %q, want %q", got, want)
	}
}

// TestManyContainers: the failures of a pod of more containers than maxTracedContainers are
// reported at its spec, not traced to each field (tracing grows with the square of the
// containers: 20,000 ran for more than ten minutes).
func TestManyContainers(t *testing.T) {
	var pod strings.Builder
	pod.WriteString("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n")
	for i := range 150 {
		fmt.Fprintf(&pod, "  - {name: c%d, image: x:1, securityContext: {privileged: true}}\n", i)
	}
	res := linttest.LintFiles(t, map[string]string{"pod.yaml": pod.String()}, linttest.Only(rules.PrivilegedContainer))
	if len(res.Findings) != 1 || res.Findings[0].Pos.Line != 4 {
		t.Errorf("findings %v: want one at the pod spec, line 4", res.Findings)
	}
}

// TestUnlintedObjectsCount: an object not linted for a key written twice is still there for rules
// that look across objects: the Service selecting its pods selects something, and the workload
// running as its ServiceAccount has the settings the account writes. Nothing is said of it
// itself, and a finding about its namespace lands on a workload that is linted.
func TestUnlintedObjectsCount(t *testing.T) {
	res := linttest.LintFiles(t, map[string]string{
		"app.yaml": `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: web
  namespace: shop
  labels:
    tier: front
    tier: back
  annotations: {eks.amazonaws.com/role-arn: "arn:aws:iam::111122223333:role/web"}
automountServiceAccountToken: false
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  annotations: {a: b}
  annotations: {c: d}
spec:
  template:
    metadata:
      labels: {app: web}
    spec:
      containers: [{name: web, image: nginx:1.27}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate, namespace: shop}
spec:
  template:
    spec:
      serviceAccountName: web
      restartPolicy: Never
      containers: [{name: migrate, image: busybox:1.37}]
`,
	}, linttest.Only(rules.ServiceSelectsNoPods, rules.SATokenAutomount, rules.WorkloadNoAWSIdentity, rules.NamespaceWithoutNetworkPolicy))
	var got []string
	for _, f := range res.Findings {
		got = append(got, fmt.Sprintf("%s %d", f.Rule.ID, f.Pos.Line))
	}
	if want := []string{"k8s-namespace-without-networkpolicy 35"}; !slices.Equal(got, want) {
		t.Errorf("findings %q, want %q", got, want)
	}
	if len(res.Problems) != 2 {
		t.Errorf("problems %v, want the two keys written twice", res.Problems)
	}
}
