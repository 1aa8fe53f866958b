package config

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/filter"
)

// SchemaURL is where editors find the schema: docs/ekslint-config.schema.json on main.
const SchemaURL = "https://raw.githubusercontent.com/ekslint/ekslint/main/docs/ekslint-config.schema.json"

// Schema is the JSON Schema of the config file, naming every rule of all. `go generate ./...`
// writes it to docs/ for editors (with yaml-language-server, `# yaml-language-server:
// $schema=...`); the config tests keep it in step with the parser: the documented examples must
// pass both, unknown keys must fail both.
func Schema(all []*lint.Rule, presets filter.Presets) []byte {
	b, err := json.MarshalIndent(schema(all, presets), "", "  ")
	if err != nil {
		panic(err) // maps of strings, slices and maps: always marshals
	}
	return append(b, '\n')
}

func schema(all []*lint.Rule, presets filter.Presets) map[string]any {
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
	for name, ids := range presets {
		ruleProps[name] = object(fmt.Sprintf("The rules %s at once; entries for single rules win over it.", strings.Join(ids, ", ")), map[string]any{
			"enabled": map[string]any{"type": "boolean", "description": "true turns the preset's rules on, false off."},
		})
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
		"$id":                  SchemaURL,
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
