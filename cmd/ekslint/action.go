package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/sethvargo/go-githubactions"
	"github.com/spf13/cobra"

	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/report"
)

// actionInputs are the GitHub Action's inputs with their defaults, as action.yml declares them
// (a test keeps the two in step). The runner always sets INPUT_<NAME>; the defaults here apply
// when ekslint action runs elsewhere, on a laptop or in a test.
var actionInputs = []struct{ name, def string }{
	{"paths", "."},
	{"config", ""},
	{"fail-on", ""},
	{"sarif-file", "ekslint.sarif"},
	{"values", ""},
	{"set", ""},
	{"kube-version", ""},
	{"annotations", "true"},
	{"summary", "true"},
	{"baseline", ""},
}

// actionOutputs are the Action's outputs, as action.yml declares them.
var actionOutputs = []string{"sarif-file", "findings", "errors", "warnings", "notes"}

func actionCommand() *cobra.Command {
	var flags lintFlags
	cmd := &cobra.Command{
		Use:   "action",
		Short: "Run as the GitHub Action (action.yml): inputs from INPUT_* variables; SARIF, annotations, job summary and outputs",
		Long: "Run ekslint the way its GitHub Action does: read the inputs from INPUT_PATHS, INPUT_FAIL-ON and the\n" +
			"other INPUT_* variables, lint, write the SARIF file, print annotations, append the job summary to\n" +
			"$GITHUB_STEP_SUMMARY and set the outputs in $GITHUB_OUTPUT. Paths are relative to $GITHUB_WORKSPACE\n" +
			"(the working directory when it is unset). Exit status as for ekslint lint.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			stdout := cmd.OutOrStdout()
			a := githubactions.New(githubactions.WithWriter(stdout))
			err := runAction(cmd, a, &flags)
			var usage usageError
			if errors.As(err, &usage) {
				// The log shows it too, but an annotation puts it on the run's page. (Not
				// a.IssueCommand, which panics when stdout fails.)
				annotation := githubactions.Command{Name: "error", Message: usage.Error(), Properties: githubactions.CommandProperties{"title": "ekslint"}}
				fmt.Fprintln(stdout, annotation.String())
			}
			return err
		},
	}
	// The lint flags work here too; the inputs are the Action's interface.
	flags.register(cmd)
	return cmd
}

// input reads an Action input, falling back to its default.
func input(a *githubactions.Action, name string) string {
	if v := a.GetInput(name); v != "" {
		return v
	}
	for _, in := range actionInputs {
		if in.name == name {
			return in.def
		}
	}
	panic("undeclared action input " + name)
}

// boolInput reads a boolean input as GitHub's toolkit does (YAML 1.2 core schema booleans).
func boolInput(a *githubactions.Action, name string) (bool, error) {
	switch v := input(a, name); v {
	case "true", "True", "TRUE":
		return true, nil
	case "false", "False", "FALSE":
		return false, nil
	default:
		return false, usageError{fmt.Errorf("input %s: want true or false, not %q", name, v)}
	}
}

// lines splits a multi-line input into its non-empty lines: one path per line, so that paths
// may hold spaces.
func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func runAction(cmd *cobra.Command, a *githubactions.Action, flags *lintFlags) error {
	stdout := cmd.OutOrStdout()
	if ws := a.Getenv("GITHUB_WORKSPACE"); ws != "" && flags.root == "" {
		// Nothing outside the checkout is read, and every path is named relative to it.
		abs, err := filepath.Abs(ws)
		if err != nil {
			return err
		}
		flags.root, flags.workDir = abs, abs
	}
	// The inputs stand for the flags of the same names, with paths relative to the workspace (the
	// working directory) and one value per line where a flag repeats.
	flags.configFile, flags.baseline = input(a, "config"), input(a, "baseline")
	flags.charts.Values = append(flags.charts.Values, lines(input(a, "values"))...)
	flags.charts.Set = append(flags.charts.Set, lines(input(a, "set"))...)
	if v := input(a, "kube-version"); v != "" {
		flags.charts.KubeVersion = v
	}
	failOn := input(a, "fail-on")
	if _, err := failLevel(failOn, nil); err != nil {
		return usageError{fmt.Errorf("input fail-on: %w", err)}
	}
	annotate, err := boolInput(a, "annotations")
	if err != nil {
		return err
	}
	summarize, err := boolInput(a, "summary")
	if err != nil {
		return err
	}
	sarifFile := input(a, "sarif-file")

	res, err := flags.lintRun(cmd.Context(), lines(input(a, "paths")), cmd.InOrStdin())
	if err != nil {
		return err
	}
	run := reportOf(res)
	fail, _ := failLevel(failOn, res.Config)

	sarifPath := sarifFile
	if !filepath.IsAbs(sarifPath) {
		sarifPath = filepath.Join(res.WorkDir, sarifPath)
	}
	if err := os.MkdirAll(filepath.Dir(sarifPath), 0o755); err != nil {
		return err
	}
	if err := writeReport(stdout, sarifPath, "sarif", textStyle{}, run); err != nil {
		return err
	}
	if annotate {
		err = report.GitHubAnnotations(stdout, run)
	} else {
		err = writeUntrusted(stdout, func(w io.Writer) error { return report.Text(w, run, report.TextOptions{}) })
	}
	if err != nil {
		return err
	}
	if summarize {
		if err := writeStepSummary(a, run, annotate); err != nil {
			return err
		}
	}
	c := res.Count()
	outputs := map[string]int{"findings": c.Errors + c.Warnings + c.Notes, "errors": c.Errors, "warnings": c.Warnings, "notes": c.Notes}
	if err := fileCommand(a, "GITHUB_OUTPUT", func() {
		for _, name := range actionOutputs {
			if name == "sarif-file" {
				a.SetOutput(name, sarifFile)
			} else {
				a.SetOutput(name, strconv.Itoa(outputs[name]))
			}
		}
	}); err != nil {
		return err
	}
	if code := res.ExitCode(fail); code != engine.ExitClean {
		return exitCode(code)
	}
	return nil
}

// writeStepSummary appends the run's job summary to $GITHUB_STEP_SUMMARY, when it is set.
func writeStepSummary(a *githubactions.Action, run *report.Run, annotated bool) error {
	var md bytes.Buffer
	if err := report.GitHubSummary(&md, run, annotated); err != nil {
		return err
	}
	return fileCommand(a, "GITHUB_STEP_SUMMARY", func() { a.AddStepSummary(md.String()) })
}

// fileCommand runs a go-githubactions call that writes to the runner file named by variable
// (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY). The library panics when the variable is unset or the
// file cannot be written: an unset variable skips the call (the runner sets it; a laptop does
// not), and a failed write is an error.
func fileCommand(a *githubactions.Action, variable string, call func()) (err error) {
	if a.Getenv(variable) == "" {
		return nil
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("writing $%s: %v", variable, r)
		}
	}()
	call()
	return nil
}

// writeUntrusted writes output that names files and values from the linted repository inside
// ::stop-commands::, so that a line of it that happens to read like a workflow command (a file
// called "::error::x.yaml") is printed, not obeyed.
func writeUntrusted(w io.Writer, write func(io.Writer) error) error {
	token := make([]byte, 16)
	if _, err := rand.Read(token); err != nil {
		return err
	}
	t := hex.EncodeToString(token)
	fmt.Fprintf(w, "::stop-commands::%s\n", t)
	err := write(w)
	fmt.Fprintf(w, "::%s::\n", t)
	return err
}
