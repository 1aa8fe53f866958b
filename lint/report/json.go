package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/engine"
)

// JSONSchemaVersion is the version of the JSON output's shape (docs/json-output.md). It changes
// only when a field is removed or changes meaning; new fields may appear without it changing.
const JSONSchemaVersion = 1

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

// jsonSkip is a document left out on purpose: not a manifest.
type jsonSkip struct {
	Reason string `json:"reason"`
	File   string `json:"file"`
	Line   int    `json:"line,omitempty"`
}

type jsonSummary struct {
	Skipped     int `json:"skipped"`
	Errors      int `json:"errors"`
	Warnings    int `json:"warnings"`
	Notes       int `json:"notes"`
	Suppressed  int `json:"suppressed"`
	Baselined   int `json:"baselined"`
	InputErrors int `json:"inputErrors"`
	Objects     int `json:"objects"`
}

// JSON writes the run as one JSON document; docs/json-output.md describes its fields. Findings
// are encoded one at a time, so a run with 400,000 findings never holds its whole output.
func JSON(w io.Writer, run *Run) error {
	res := run.Result
	bw := bufio.NewWriter(w)
	tool, _ := json.Marshal(jsonTool{Name: "ekslint", Version: run.Version})
	fmt.Fprintf(bw, "{\n  \"schemaVersion\": %d,\n  \"tool\": %s,\n  \"findings\": [", JSONSchemaVersion, tool)
	for i := range res.Findings {
		if err := writeElement(bw, "  ", i, jsonFindingOf(&res.Findings[i])); err != nil {
			return err
		}
	}
	closeArray(bw, "  ", len(res.Findings))
	bw.WriteString(",\n  \"problems\": [")
	for i, p := range res.Problems {
		jp := jsonProblem{Level: p.Level, Message: p.Message, File: p.Pos.File, Line: p.Pos.Line, Column: p.Pos.Column}
		if err := writeElement(bw, "  ", i, jp); err != nil {
			return err
		}
	}
	closeArray(bw, "  ", len(res.Problems))
	bw.WriteString(",\n  \"skipped\": [")
	for i, sk := range res.Skipped {
		if err := writeElement(bw, "  ", i, jsonSkip{Reason: sk.Reason, File: sk.Pos.File, Line: sk.Pos.Line}); err != nil {
			return err
		}
	}
	closeArray(bw, "  ", len(res.Skipped))
	c := res.Count()
	summary, err := json.MarshalIndent(jsonSummary{Skipped: len(res.Skipped), Errors: c.Errors, Warnings: c.Warnings, Notes: c.Notes, Suppressed: c.Suppressed,
		Baselined: c.Baselined, InputErrors: c.InputErrors, Objects: res.Objects}, "  ", "  ")
	if err != nil {
		return err
	}
	fmt.Fprintf(bw, ",\n  \"summary\": %s\n}\n", summary)
	return bw.Flush()
}

// writeElement writes the i-th element of an array whose opening bracket sits on a line indented
// by indent, as json.MarshalIndent would with an indent of two spaces.
func writeElement(w *bufio.Writer, indent string, i int, v any) error {
	b, err := json.MarshalIndent(v, indent+"  ", "  ")
	if err != nil {
		return err
	}
	if i > 0 {
		w.WriteByte(',')
	}
	w.WriteString("\n" + indent + "  ")
	_, err = w.Write(b)
	return err
}

// closeArray ends an array of n elements written by writeElement.
func closeArray(w *bufio.Writer, indent string, n int) {
	if n > 0 {
		w.WriteString("\n" + indent)
	}
	w.WriteByte(']')
}

func jsonFindingOf(f *engine.Finding) jsonFinding {
	jf := jsonFinding{
		Rule: f.Rule.ID, Level: f.Level, Message: f.Message,
		File: f.Pos.File, Line: f.Pos.Line, Column: f.Pos.Column, EndLine: f.Pos.EndLine, EndColumn: f.Pos.EndColumn,
		Object: f.Object.Identity(), Path: f.Path, Fingerprint: f.Fingerprint(), Variants: f.Variants, Baseline: f.Baseline.String(),
	}
	for _, r := range f.Related {
		jf.Related = append(jf.Related, jsonLocation{File: r.Pos.File, Line: r.Pos.Line, Column: r.Pos.Column, Message: r.Message})
	}
	if s := f.Suppression; s != nil {
		jf.Suppression = &jsonSuppression{Kind: s.Kind, Justification: s.Justification}
	}
	return jf
}
