package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sethvargo/go-githubactions"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/config"
	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/filter"
	"github.com/ekslint/ekslint/lint/fsroot"
	"github.com/ekslint/ekslint/lint/helm"
	"github.com/ekslint/ekslint/lint/linter"
	"github.com/ekslint/ekslint/lint/load"
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
	data            string
	configFile      string
	// workDir is the directory paths are named relative to; "" is the working directory. The
	// Action sets it to GITHUB_WORKSPACE.
	workDir string
	// baseline is the --baseline flag of the commands that compare; noBaseline is set by the one
	// that records (ekslint baseline), which ignores the config's baseline too.
	baseline   string
	noBaseline bool
	// charts are the flags that say how Helm charts are rendered.
	charts linter.Charts
	// cpuProfile is the hidden --cpuprofile: where to write a CPU profile of the run, for
	// measuring what a user waits for (docs/performance.md).
	cpuProfile string
}

func (f *lintFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVar(&f.enable, "enable", nil, "turn on a rule that is off by default (repeatable, or comma-separated; \"all\" for every rule; pod-security-baseline or pod-security-restricted for a profile)")
	fl.StringArrayVar(&f.disable, "disable", nil, "turn off a rule (repeatable, or comma-separated)")
	fl.StringVar(&f.maxFileSize, "max-file-size", fsroot.FormatSize(load.DefaultLimits().MaxFileSize), "largest file read (e.g. 64MiB, 100MB)")
	fl.IntVar(&f.maxAliasNodes, "max-alias-nodes", load.DefaultLimits().MaxAliasNodes, "nodes YAML aliases may add to one document when expanded (64 bytes of a scalar count as one)")
	fl.StringVar(&f.root, "root", "", "lint root: nothing outside it is read (default: the git work tree, else the working directory)")
	fl.StringVar(&f.date, "date", "", "date version rules compare against, YYYY-MM-DD (default: today), for reproducible runs")
	fl.StringVar(&f.data, "data", "", "EKS version data file to use instead of the built-in data (ekslint rules --data shows its format); overrides the config's dataFile")
	fl.StringVar(&f.configFile, "config", "", "config file (default: .ekslint.yaml in the lint root, when there is one)")
	c := &f.charts
	fl.StringArrayVarP(&c.Values, "values", "f", nil, "Helm values file for the charts linted (repeatable; later files win)")
	fl.StringArrayVar(&c.Set, "set", nil, "Helm value for the charts linted: key=value[,key=value] (repeatable)")
	fl.StringArrayVar(&c.SetString, "set-string", nil, "Helm string value for the charts linted: key=value[,key=value] (repeatable)")
	fl.StringArrayVar(&c.SetFile, "set-file", nil, "Helm value read from a file inside the lint root: key=path (repeatable)")
	fl.StringVar(&c.KubeVersion, "kube-version", "", "Kubernetes version charts are rendered for (default: the config's kubeVersion, else the newest EKS version in the version data)")
	fl.StringArrayVar(&c.APIVersions, "api-versions", nil, "API version added to the charts' .Capabilities.APIVersions, e.g. monitoring.coreos.com/v1 (repeatable)")
	fl.StringVar(&c.ReleaseName, "release-name", helm.DefaultReleaseName, "Helm release name charts are rendered with")
	fl.StringVar(&c.Namespace, "namespace", helm.DefaultNamespace, "Helm release namespace charts are rendered in")
	fl.StringVar(&f.cpuProfile, "cpuprofile", "", "write a CPU profile of the run to this file")
	fl.MarkHidden("cpuprofile")
}

// knownRules are every rule ekslint has: the checks and the filter's own.
func knownRules() []*lint.Rule { return append(rules.All(), filter.UnusedIgnore) }

// request turns the flags into a linter request.
func (f *lintFlags) request(paths []string, stdin io.Reader) (linter.Request, error) {
	size, err := parseSize(f.maxFileSize)
	if err != nil {
		return linter.Request{}, usageError{fmt.Errorf("--max-file-size: %w", err)}
	}
	today, err := parseDate(f.date)
	if err != nil {
		return linter.Request{}, err
	}
	return linter.Request{
		Paths:      paths,
		Stdin:      stdin,
		WorkDir:    f.workDir,
		Root:       f.root,
		ConfigFile: f.configFile,
		Rules:      rules.All(),
		Presets:    rules.Presets(),
		Enable:     splitList(f.enable),
		Disable:    splitList(f.disable),
		Limits:     load.Limits{MaxFileSize: size, MaxAliasNodes: f.maxAliasNodes},
		Today:      today,
		DataFile:   f.data,
		Baseline:   f.baseline,
		NoBaseline: f.noBaseline,
		Charts:     f.charts,
	}, nil
}

// lintRun lints paths as the flags and the config file say. The process's garbage collector is
// set from the plan's budget.
func (f *lintFlags) lintRun(ctx context.Context, paths []string, stdin io.Reader) (*linter.Result, error) {
	if f.cpuProfile != "" {
		out, err := os.Create(f.cpuProfile)
		if err != nil {
			return nil, err
		}
		defer out.Close()
		if err := pprof.StartCPUProfile(out); err != nil {
			return nil, err
		}
		defer pprof.StopCPUProfile()
	}
	req, err := f.request(paths, stdin)
	if err != nil {
		return nil, err
	}
	plan, err := linter.NewPlan(req)
	if err != nil {
		var usage linter.UsageError
		if errors.As(err, &usage) {
			return nil, usageError{usage}
		}
		return nil, err
	}
	plan.SetCollector()
	return plan.Run(ctx), nil
}

// failLevel is the level at or above which findings fail the run: the --fail-on flag (or
// input) when given, else the config's failOn, else error.
func failLevel(flag string, cfg *config.Config) (lint.Level, error) {
	switch {
	case flag != "":
		return lint.ParseLevel(flag)
	case cfg != nil && cfg.FailOn != nil:
		return *cfg.FailOn, nil
	}
	return lint.Error, nil
}

// parseDate reads --date; "" means today (UTC).
func parseDate(date string) (time.Time, error) {
	if date == "" {
		return time.Now().UTC().Truncate(24 * time.Hour), nil
	}
	day, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return day, usageError{fmt.Errorf("--date: want YYYY-MM-DD, not %q", date)}
	}
	return day, nil
}

// report describes a run for the reporters. SARIF and GitHub annotations name files relative to
// GITHUB_WORKSPACE when it is set (in GitHub Actions: code scanning and annotations resolve paths
// against the repository), else relative to the working directory.
func reportOf(res *linter.Result) *report.Run {
	root := os.Getenv("GITHUB_WORKSPACE")
	if root != "" {
		root, _ = filepath.Abs(root)
	}
	return &report.Run{Result: res.Result, Rules: res.Rules, Version: buildVersion(), WorkDir: res.WorkDir, SourceRoot: root}
}

// formats are the report formats of --format.
var formats = []string{"text", "json", "sarif", "github"}

func lintCommand() *cobra.Command {
	var (
		flags   lintFlags
		format  string
		output  string
		failOn  string
		color   string
		source  string
		verbose bool
	)
	cmd := &cobra.Command{
		Use:   "lint [paths...]",
		Short: "Lint files, folders, charts and overlays (\"-\" reads standard input)",
		Long: "Lint YAML and JSON files, folders (walked recursively), Helm charts and Kustomize overlays.\n" +
			"Exit status: 0 when nothing is at or above --fail-on, 1 when something is, 2 on usage errors or\n" +
			"inputs that could not be read or linted (the rest is still linted).\n" +
			"Reads .ekslint.yaml from the lint root when there is one (docs/config.md).",
		Example: "  ekslint lint deploy/ clusters/prod.yaml\n" +
			"  ekslint lint . --format sarif --output ekslint.sarif --fail-on warning\n" +
			"  kubectl kustomize overlays/prod | ekslint lint -",
		RunE: func(cmd *cobra.Command, paths []string) error {
			if _, err := failLevel(failOn, nil); err != nil {
				return usageError{fmt.Errorf("--fail-on: %w", err)}
			}
			if !slices.Contains(formats, format) {
				return usageError{fmt.Errorf("--format: unknown format %q (want %s)", format, strings.Join(formats, ", "))}
			}
			for flag, v := range map[string]string{"--color": color, "--source": source} {
				if v != "auto" && v != "always" && v != "never" {
					return usageError{fmt.Errorf("%s: want auto, always or never, not %q", flag, v)}
				}
			}
			res, err := flags.lintRun(cmd.Context(), paths, cmd.InOrStdin())
			if err != nil {
				return err
			}
			fail, _ := failLevel(failOn, res.Config)
			if err := writeReport(cmd.OutOrStdout(), output, format, textStyle{color, source}, reportOf(res)); err != nil {
				return err
			}
			if verbose {
				writeSkipped(cmd.ErrOrStderr(), res.Skipped)
			}
			if code := res.ExitCode(fail); code != engine.ExitClean {
				return exitCode(code)
			}
			return nil
		},
	}
	flags.register(cmd)
	fl := cmd.Flags()
	fl.StringVar(&format, "format", "text", "output format: text, json, sarif or github (annotations; in GitHub Actions also the job summary)")
	fl.StringVarP(&output, "output", "o", "", "write the report to this file instead of standard output")
	fl.StringVar(&failOn, "fail-on", "", "exit 1 when a finding is at or above this level: error, warning, note or none (default: the config's failOn, else error)")
	fl.StringVar(&flags.baseline, "baseline", "", "baseline file written by ekslint baseline: findings in it do not count for --fail-on; overrides the config's baseline")
	fl.StringVar(&color, "color", "auto", "colour in text output: auto (on a terminal), always or never")
	fl.StringVar(&source, "source", "auto", "source line with a caret under each finding in text output: auto (on a terminal), always (a CI log) or never")
	fl.BoolVarP(&verbose, "verbose", "v", false, "list on standard error what was skipped and why: files that are not manifests, hidden, vendored and ignored folders")
	return cmd
}

// textStyle is how the text report looks: --color and --source, each auto, always or never.
type textStyle struct{ color, source string }

// writeSkipped lists what a run left out on purpose, one line each, for --verbose.
func writeSkipped(w io.Writer, skipped []lint.Skip) {
	for _, s := range skipped {
		fmt.Fprintf(w, "skipped %s\n", s)
	}
	fmt.Fprintf(w, "%d skipped\n", len(skipped))
}

// writeReport writes run in format to the output file, or to stdout when output is "".
func writeReport(stdout io.Writer, output, format string, style textStyle, run *report.Run) (err error) {
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
	case "github":
		if err := report.GitHubAnnotations(w, run); err != nil {
			return err
		}
		return writeStepSummary(githubactions.New(githubactions.WithWriter(stdout)), run, true)
	}
	tty := output == "" && isTerminal(stdout)
	on := func(v string) bool { return v == "always" || v == "auto" && tty }
	return report.Text(w, run, report.TextOptions{Source: on(style.source), Color: on(style.color) && (style.color == "always" || os.Getenv("NO_COLOR") == "")})
}

// isTerminal reports whether w is a terminal. Being a character device is not enough: /dev/null
// is one, and `ekslint lint . > /dev/null` would then read back every line it reports.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
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
