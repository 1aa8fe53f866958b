package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/kustomize"
	"github.com/ekslint/ekslint/lint/report"
	"github.com/ekslint/ekslint/rules"
)

// lintFlags are the flags that shape a run, shared by the commands that lint.
type lintFlags struct {
	enable, disable []string
	maxFileSize     string
	maxAliasNodes   int
	root            string
	date            string
}

func (f *lintFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVar(&f.enable, "enable", nil, "turn on a rule that is off by default (repeatable, or comma-separated; \"all\" for every rule)")
	fl.StringArrayVar(&f.disable, "disable", nil, "turn off a rule (repeatable, or comma-separated)")
	fl.StringVar(&f.maxFileSize, "max-file-size", lint.FormatSize(lint.DefaultLimits().MaxFileSize), "largest file read (e.g. 64MiB, 100MB)")
	fl.IntVar(&f.maxAliasNodes, "max-alias-nodes", lint.DefaultLimits().MaxAliasNodes, "nodes YAML aliases may add to one document when expanded")
	fl.StringVar(&f.root, "root", "", "lint root: nothing outside it is read (default: the git work tree, else the working directory)")
	fl.StringVar(&f.date, "date", "", "date version rules compare against, YYYY-MM-DD (default: today), for reproducible runs")
}

// lintRun discovers and lints paths as the flags say.
func (f *lintFlags) lintRun(ctx context.Context, paths []string, stdin io.Reader) (*lint.Result, []*lint.Rule, error) {
	selected, err := lint.Select(rules.All(), splitList(f.enable), splitList(f.disable))
	if err != nil {
		return nil, nil, usageError{err}
	}
	size, err := parseSize(f.maxFileSize)
	if err != nil {
		return nil, nil, usageError{fmt.Errorf("--max-file-size: %w", err)}
	}
	env := &lint.Env{Today: time.Now().UTC().Truncate(24 * time.Hour)}
	if f.date != "" {
		if env.Today, err = time.Parse(time.DateOnly, f.date); err != nil {
			return nil, nil, usageError{fmt.Errorf("--date: want YYYY-MM-DD: %w", err)}
		}
	}
	inputs, problems := lint.Discover(paths, lint.DiscoverOptions{Root: f.root})
	res := lint.Run(ctx, inputs, lint.Options{
		Rules:  selected,
		Limits: lint.Limits{MaxFileSize: size, MaxAliasNodes: f.maxAliasNodes},
		Env:    env,
		Stdin:  stdin,
		Loaders: map[lint.InputKind]lint.Loader{
			lint.Overlay: kustomize.NewLoader(),
		},
	})
	res.Problems = append(problems, res.Problems...)
	return res, selected, nil
}

func lintCommand() *cobra.Command {
	var (
		flags  lintFlags
		format string
		output string
		failOn string
		color  string
	)
	cmd := &cobra.Command{
		Use:   "lint [paths...]",
		Short: "Lint files, folders, charts and overlays (\"-\" reads standard input)",
		Long: "Lint YAML and JSON files, folders (walked recursively), Helm charts and Kustomize overlays.\n" +
			"Exit status: 0 when nothing is at or above --fail-on, 1 when something is, 2 on usage errors or\n" +
			"inputs that could not be read or linted (the rest is still linted).",
		Example: "  ekslint lint deploy/ clusters/prod.yaml\n" +
			"  ekslint lint . --format sarif --output ekslint.sarif --fail-on warning\n" +
			"  kubectl kustomize overlays/prod | ekslint lint -",
		RunE: func(cmd *cobra.Command, paths []string) error {
			if len(paths) == 0 {
				paths = []string{"."}
			}
			failLevel, err := lint.ParseLevel(failOn)
			if err != nil {
				return usageError{fmt.Errorf("--fail-on: %w", err)}
			}
			if format != "text" && format != "json" && format != "sarif" {
				return usageError{fmt.Errorf("--format: unknown format %q (want text, json or sarif)", format)}
			}
			if color != "auto" && color != "always" && color != "never" {
				return usageError{fmt.Errorf("--color: want auto, always or never, not %q", color)}
			}
			res, selected, err := flags.lintRun(cmd.Context(), paths, cmd.InOrStdin())
			if err != nil {
				return err
			}
			run := &report.Run{Result: res, Rules: selected, Version: buildVersion()}
			if err := writeReport(cmd.OutOrStdout(), output, format, color, run); err != nil {
				return err
			}
			if code := res.ExitCode(failLevel); code != lint.ExitClean {
				return exitCode(code)
			}
			return nil
		},
	}
	flags.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&format, "format", "text", "output format: text, json or sarif")
	fl.StringVarP(&output, "output", "o", "", "write the report to this file instead of standard output")
	fl.StringVar(&failOn, "fail-on", "error", "exit 1 when a finding is at or above this level: error, warning, note or none")
	fl.StringVar(&color, "color", "auto", "colour and source lines in text output: auto (on a terminal), always or never")
	return cmd
}

// writeReport writes run in format to the output file, or to stdout when output is "".
func writeReport(stdout io.Writer, output, format, color string, run *report.Run) (err error) {
	w := stdout
	if output != "" {
		f, err := os.Create(output)
		if err != nil {
			return err
		}
		defer func() {
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}()
		w = f
	}
	switch format {
	case "json":
		return report.JSON(w, run)
	case "sarif":
		return report.SARIF(w, run)
	}
	tty := output == "" && isTerminal(stdout) && os.Getenv("NO_COLOR") == ""
	pretty := color == "always" || color == "auto" && tty
	return report.Text(w, run, report.TextOptions{Source: pretty, Color: pretty})
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// splitList accepts repeated flags and comma-separated values alike.
func splitList(values []string) []string {
	var out []string
	for _, v := range values {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// parseSize reads a byte count with an optional unit: 1048576, 512KiB, 64MiB, 100MB, 1GiB.
func parseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	units := []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(strings.ToUpper(s), strings.ToUpper(u.suffix)) {
			s, mult = strings.TrimSpace(s[:len(s)-len(u.suffix)]), u.mult
			break
		}
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("not a size: %q", s)
	}
	return int64(n * float64(mult)), nil
}
