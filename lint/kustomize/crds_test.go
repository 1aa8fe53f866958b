package kustomize

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// crd is a CustomResourceDefinition of apiextensions.k8s.io/v1 with a schema of its one version.
const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          description: a widget
          type: object
          properties:
            spec: {type: object}
`

// TestWithoutSchemas: a CRD's schemas are cut from a copy; the parsed document is left as it is.
func TestWithoutSchemas(t *testing.T) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(crd), &doc); err != nil {
		t.Fatal(err)
	}
	lean, cut := withoutSchemas(doc.Content[0])
	out, err := yaml.Marshal(lean)
	if err != nil || !cut || strings.Contains(string(out), "a widget") || !strings.Contains(string(out), "openAPIV3Schema: {}") {
		t.Errorf("withoutSchemas cut %v:\n%s", cut, out)
	}
	if again, _ := yaml.Marshal(doc.Content[0]); !strings.Contains(string(again), "a widget") {
		t.Errorf("withoutSchemas changed the parsed document:\n%s", again)
	}
}
