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
	"github.com/ekslint/ekslint/lint/linttest"
	"github.com/ekslint/ekslint/rules"
)

const (
	schemaFile = "../../docs/ekslint-config.schema.json"
	configDoc  = "../../docs/config.md"
	schemaURL  = "https://raw.githubusercontent.com/ekslint/ekslint/main/docs/ekslint-config.schema.json"
)

// allRules are the rules a config file may name: every check and the filter's own.
func allRules() []*lint.Rule { return append(rules.All(), filter.UnusedIgnore) }

// schema builds the JSON Schema of the config file. It is written out to docs/ for editors (with
// yaml-language-server, `# yaml-language-server: $schema=...`), and kept in step with the parser
// by the tests below: the documented examples must pass both, unknown keys must fail both.
func schema(all []*lint.Rule) map[string]any {
	str := func(desc string) map[string]any {
		return map[string]any{"type": "string", "minLength": 1, "description": desc}
	}
	level := func(desc string, levels ...string) map[string]any {
		return map[string]any{"enum": levels, "description": desc}
	}
	object := func(desc string, props map[string]any, required ...string) map[string]any {
		o := map[string]any{"type": "object", "additionalProperties": false, "properties": props, "description": desc}
		if len(required) > 0 {
			o["required"] = required
		}
		return o
	}
	orNull := func(s map[string]any) map[string]any {
		s["type"] = []string{s["type"].(string), "null"}
		return s
	}
	ruleProps := map[string]any{
		filter.AllRules: object("Every rule: turns them all on or off; entries for single rules win over it.", map[string]any{
			"enabled": map[string]any{"type": "boolean", "description": "true turns every rule on, false every rule off."},
		}),
	}
	for _, r := range all {
		state := "off"
		if r.DefaultOn {
			state = "on"
		}
		ruleProps[r.ID] = map[string]any{
			"allOf":       []any{map[string]any{"$ref": "#/definitions/rule"}},
			"description": fmt.Sprintf("%s (%s, %s by default)", r.Title, r.Level, state),
		}
	}
	return map[string]any{
		"$schema":              "http://json-schema.org/draft-07/schema#",
		"$id":                  schemaURL,
		"title":                "ekslint configuration (.ekslint.yaml)",
		"description":          "Rules, ignored paths, Helm value sets and run defaults for ekslint. See docs/config.md.",
		"type":                 []string{"object", "null"},
		"additionalProperties": false,
		"properties": map[string]any{
			"rules": orNull(object("Rules to turn on or off and their levels, by rule id (ekslint rules lists them). Command-line --enable and --disable win.", ruleProps)),
			"ignore": map[string]any{
				"type":        []string{"array", "null"},
				"description": "Paths whose findings and input problems are left out: globs relative to the lint root, as in .gitignore (*, ?, [a-z], ** for any folders; no / means any folder).",
				"items":       map[string]any{"type": "string", "minLength": 1, "not": map[string]any{"pattern": `^!`}},
			},
			"charts": map[string]any{
				"type":        []string{"array", "null"},
				"description": "Helm charts rendered once per value set; each finding lists the value sets that produce it.",
				"items":       map[string]any{"$ref": "#/definitions/chart"},
			},
			"deployments": map[string]any{
				"type":        []string{"array", "null"},
				"description": "Charts, overlays and files applied together into one cluster: rules that match objects with each other check each deployment as one.",
				"items": object("One deployment.", map[string]any{
					"name": str("Names the deployment."),
					"paths": map[string]any{"type": "array", "minItems": 1,
						"description": "Patterns of the charts, overlays and files in it, relative to the lint root, as in ignore.",
						"items":       map[string]any{"type": "string", "minLength": 1, "not": map[string]any{"pattern": `^!`}}},
				}, "name", "paths"),
			},
			"kubeVersion": map[string]any{"type": "string", "pattern": `^v?[0-9]+\.[0-9]+(\.[0-9]+)?$`,
				"description": `Kubernetes version charts are rendered for, as a string: "1.31".`},
			"dataFile": str("EKS version data file to use instead of the one built in, relative to the lint root."),
			"failOn": level("Exit 1 when a finding is at or above this level (default error); --fail-on wins.",
				"error", "warning", "note", "none"),
			"baseline": str("Baseline file written by `ekslint baseline`, relative to the lint root: findings in it do not count; --baseline wins."),
		},
		"definitions": map[string]any{
			"rule": map[string]any{
				"type": "object", "additionalProperties": false,
				"properties": map[string]any{
					"enabled": map[string]any{"type": "boolean", "description": "Turn the rule on or off. Default: on when level is set, else the rule's default."},
					"level":   level("Level of every finding of the rule.", "error", "warning", "note"),
				},
			},
			"chart": object("A chart and the value sets to render it with.", map[string]any{
				"path": str("The chart folder (holding Chart.yaml), relative to the lint root."),
				"valueSets": map[string]any{"type": "array", "minItems": 1, "description": "The ways to render the chart.",
					"items": map[string]any{"$ref": "#/definitions/valueSet"}},
			}, "path", "valueSets"),
			"valueSet": object("One way to render the chart, as helm template -f ... --set-json ... would.", map[string]any{
				"name": str("Names the value set in findings."),
				"values": map[string]any{"type": "array", "description": "Values files merged in order over the chart's values.yaml, relative to the lint root.",
					"items": str("A values file, relative to the lint root.")},
				"set": map[string]any{"type": "object", "description": "Values set by path after the files (image.tag: \"1.2.3\"), typed as written.",
					"propertyNames": map[string]any{"minLength": 1}},
			}, "name"),
		},
	}
}

func TestSchemaFile(t *testing.T) {
	want, err := json.MarshalIndent(schema(allRules()), "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
	if *linttest.Update {
		if err := os.WriteFile(schemaFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date (a rule was added or the schema changed): go test ./lint/config -run TestSchemaFile -update", schemaFile)
	}
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(schemaURL, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(schemaURL)
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
	opts.Rules = allRules()
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
	for k := range schema(nil)["properties"].(map[string]any) {
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
