package config_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/config"
	"github.com/ekslint/ekslint/lint/filter"
	"github.com/ekslint/ekslint/rules"
)

const configDoc = "../../docs/config.md"

// allRules are the rules a config file may name: every check and the filter's own.
func allRules() []*lint.Rule { return append(rules.All(), filter.UnusedIgnore) }

// compileSchema compiles the schema as `go generate ./...` writes it to docs/.
func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(config.Schema(allRules(), rules.Presets())))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(config.SchemaURL, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(config.SchemaURL)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// validate checks a YAML config against the schema, as an editor would.
func validate(t *testing.T, s *jsonschema.Schema, src string) error {
	t.Helper()
	var v any
	if err := yaml.Unmarshal([]byte(src), &v); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return s.Validate(inst)
}

var yamlBlock = regexp.MustCompile("(?s)```yaml\n(.*?)```")

// Every YAML block in docs/config.md is a config file: the schema and the parser both accept it.
// The examples name files under testdata/root, which stands in for a repository.
func TestDocumentedExamples(t *testing.T) {
	s := compileSchema(t)
	doc, err := os.ReadFile(configDoc)
	if err != nil {
		t.Fatal(err)
	}
	blocks := yamlBlock.FindAllSubmatch(doc, -1)
	if len(blocks) < 5 {
		t.Fatalf("%s has %d YAML examples; want one per key", configDoc, len(blocks))
	}
	opts := testOptions(t)
	opts.Rules, opts.Presets = allRules(), rules.Presets()
	keys := map[string]bool{}
	for i, b := range blocks {
		src := string(b[1])
		if err := validate(t, s, src); err != nil {
			t.Errorf("example %d is not valid for the schema: %v\n%s", i+1, err, src)
		}
		cfg, problems := config.Parse(lint.NewText(fmt.Sprintf("example-%d.yaml", i+1), []byte(src)), opts)
		for _, p := range problems {
			t.Errorf("example %d: %s\n%s", i+1, p, src)
		}
		if cfg != nil {
			var top map[string]any
			if err := yaml.Unmarshal([]byte(src), &top); err != nil {
				t.Fatal(err)
			}
			for k := range top {
				keys[k] = true
			}
		}
	}
	var generated struct{ Properties map[string]any }
	if err := json.Unmarshal(config.Schema(nil, nil), &generated); err != nil {
		t.Fatal(err)
	}
	for k := range generated.Properties {
		if !keys[k] {
			t.Errorf("%s has no example of %s", configDoc, k)
		}
	}
}

// The schema refuses what the parser refuses: unknown keys at every level, wrong types, bad levels.
func TestSchemaRejects(t *testing.T) {
	s := compileSchema(t)
	for _, src := range []string{
		"rulez: {}\n",
		"rules:\n  k8s-hostnetwork: {enabled: false}\n",
		"rules:\n  k8s-host-network: {levle: note}\n",
		"rules:\n  k8s-host-network: {level: none}\n",
		"rules:\n  k8s-host-network: {enabled: \"no\"}\n",
		"rules:\n  all: {level: note}\n",
		"ignore: vendor/**\n",
		"ignore: [\"!vendor\"]\n",
		"charts:\n  - path: charts/web\n",
		"charts:\n  - path: charts/web\n    valueSets: [{values: [a.yaml]}]\n",
		"charts:\n  - path: charts/web\n    valueSets: [{name: a, value: [x]}]\n",
		"charts:\n  - path: charts/web\n    valueSets: [{name: a}]\n    namespace: x\n",
		"kubeVersion: 1.30\n",
		"kubeVersion: latest\n",
		"failOn: critical\n",
		"baseline: 3\n",
	} {
		if validate(t, s, src) == nil {
			t.Errorf("the schema accepts:\n%s", src)
		}
		if _, problems := config.Parse(lint.NewText(".ekslint.yaml", []byte(src)), testOptions(t)); len(problems) == 0 {
			t.Errorf("the parser accepts:\n%s", src)
		}
	}
}
