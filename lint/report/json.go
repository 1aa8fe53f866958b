package report

import (
	"encoding/json"
	"io"

	"github.com/ekslint/ekslint/lint"
)

// JSONSchemaVersion is the version of the JSON output's shape (docs/json-output.md). It changes
// only when a field is removed or changes meaning; new fields may appear without it changing.
const JSONSchemaVersion = 1

type jsonReport struct {
	SchemaVersion int           `json:"schemaVersion"`
	Tool          jsonTool      `json:"tool"`
	Findings      []jsonFinding `json:"findings"`
	Problems      []jsonProblem `json:"problems"`
	Summary       jsonSummary   `json:"summary"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonFinding struct {
	Rule        string           `json:"rule"`
	Level       lint.Level       `json:"level"`
	Message     string           `json:"message"`
	File        string           `json:"file"`
	Line        int              `json:"line"`
	Column      int              `json:"column"`
	EndLine     int              `json:"endLine"`
	EndColumn   int              `json:"endColumn"`
	Object      *lint.ObjectID   `json:"object,omitempty"`
	Path        string           `json:"path,omitempty"`
	Fingerprint string           `json:"fingerprint"`
	Related     []jsonLocation   `json:"related,omitempty"`
	Variants    []string         `json:"variants,omitempty"`
	Suppression *jsonSuppression `json:"suppression,omitempty"`
	Baseline    string           `json:"baseline,omitempty"`
}

type jsonLocation struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message,omitempty"`
}

type jsonSuppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification,omitempty"`
}

type jsonProblem struct {
	Level   lint.Level `json:"level"`
	Message string     `json:"message"`
	File    string     `json:"file"`
	Line    int        `json:"line,omitempty"`
	Column  int        `json:"column,omitempty"`
}

type jsonSummary struct {
	Errors      int `json:"errors"`
	Warnings    int `json:"warnings"`
	Notes       int `json:"notes"`
	Suppressed  int `json:"suppressed"`
	Baselined   int `json:"baselined"`
	InputErrors int `json:"inputErrors"`
	Objects     int `json:"objects"`
}

// JSON writes the run as one JSON document; docs/json-output.md describes its fields.
func JSON(w io.Writer, run *Run) error {
	res := run.Result
	out := jsonReport{
		SchemaVersion: JSONSchemaVersion,
		Tool:          jsonTool{Name: "ekslint", Version: run.Version},
		Findings:      make([]jsonFinding, 0, len(res.Findings)),
		Problems:      make([]jsonProblem, 0, len(res.Problems)),
	}
	for i := range res.Findings {
		f := &res.Findings[i]
		jf := jsonFinding{
			Rule: f.Rule.ID, Level: f.Level, Message: f.Message,
			File: f.Pos.File, Line: f.Pos.Line, Column: f.Pos.Column, EndLine: f.Pos.EndLine, EndColumn: f.Pos.EndColumn,
			Object: f.Object, Path: f.Path, Fingerprint: f.Fingerprint(), Variants: f.Variants, Baseline: f.Baseline,
		}
		for _, r := range f.Related {
			jf.Related = append(jf.Related, jsonLocation{File: r.Pos.File, Line: r.Pos.Line, Column: r.Pos.Column, Message: r.Message})
		}
		if s := f.Suppression; s != nil {
			jf.Suppression = &jsonSuppression{Kind: s.Kind, Justification: s.Justification}
		}
		out.Findings = append(out.Findings, jf)
	}
	for _, p := range res.Problems {
		out.Problems = append(out.Problems, jsonProblem{Level: p.Level, Message: p.Message, File: p.Pos.File, Line: p.Pos.Line, Column: p.Pos.Column})
	}
	c := res.Count()
	out.Summary = jsonSummary{Errors: c.Errors, Warnings: c.Warnings, Notes: c.Notes, Suppressed: c.Suppressed,
		Baselined: c.Baselined, InputErrors: c.InputErrors, Objects: res.Objects}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
