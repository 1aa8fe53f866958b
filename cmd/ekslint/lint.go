package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sethvargo/go-githubactions"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/config"
	"github.com/ekslint/ekslint/lint/helm"
	"github.com/ekslint/ekslint/lint/kustomize"
	"github.com/ekslint/ekslint/lint/report"
	"github.com/ekslint/ekslint/rules"
)

// lintFlags are the flags that shape a run, shared by the commands that lint, and what the run
// found out about its setting.
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
	charts chartFlags

	// Set by lintRun: the config it read (nil when it could not be read), the lint root and the
	// directory paths are named relative to.
	cfg          *config.Config
	lintRoot, wd string
}

func (f *lintFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVar(&f.enable, "enable", nil, "turn on a rule that is off by default (repeatable, or comma-separated; \"all\" for every rule)")
	fl.StringArrayVar(&f.disable, "disable", nil, "turn off a rule (repeatable, or comma-separated)")
	fl.StringVar(&f.maxFileSize, "max-file-size", lint.FormatSize(lint.DefaultLimits().MaxFileSize), "largest file read (e.g. 64MiB, 100MB)")
	fl.IntVar(&f.maxAliasNodes, "max-alias-nodes", lint.DefaultLimits().MaxAliasNodes, "nodes YAML aliases may add to one document when expanded")
	fl.StringVar(&f.root, "root", "", "lint root: nothing outside it is read (default: the git work tree, else the working directory)")
	fl.StringVar(&f.date, "date", "", "date version rules compare against, YYYY-MM-DD (default: today), for reproducible runs")
	fl.StringVar(&f.data, "data", "", "EKS version data file to use instead of the built-in data (ekslint rules --data shows its format); overrides the config's dataFile")
	fl.StringVar(&f.configFile, "config", "", "config file (default: .ekslint.yaml in the lint root, when there is one)")
	f.charts.register(fl)
}

// chartFlags say how Helm charts are rendered, as `helm template` takes them.
type chartFlags struct {
	values, set, setString, setFile, apiVersions []string
	kubeVersion, releaseName, namespace          string
}

func (c *chartFlags) register(fl *pflag.FlagSet) {
	fl.StringArrayVarP(&c.values, "values", "f", nil, "Helm values file for the charts linted (repeatable; later files win)")
	fl.StringArrayVar(&c.set, "set", nil, "Helm value for the charts linted: key=value[,key=value] (repeatable)")
	fl.StringArrayVar(&c.setString, "set-string", nil, "Helm string value for the charts linted: key=value[,key=value] (repeatable)")
	fl.StringArrayVar(&c.setFile, "set-file", nil, "Helm value read from a file inside the lint root: key=path (repeatable)")
	fl.StringVar(&c.kubeVersion, "kube-version", "", "Kubernetes version charts are rendered for (default: the config's kubeVersion, else the newest EKS version in the version data)")
	fl.StringArrayVar(&c.apiVersions, "api-versions", nil, "API version added to the charts' .Capabilities.APIVersions, e.g. monitoring.coreos.com/v1 (repeatable)")
	fl.StringVar(&c.releaseName, "release-name", helm.DefaultReleaseName, "Helm release name charts are rendered with")
	fl.StringVar(&c.namespace, "namespace", helm.DefaultNamespace, "Helm release namespace charts are rendered in")
}

// loader makes the chart loader: the flags' values for every chart, and for a chart the config
// gives value sets, each set with the flags' values applied after its own.
func (c *chartFlags) loader(cfg *config.Config, eks *lint.Versions, wd string) (*helm.Loader, error) {
	flagSet := helm.ValueSet{Files: c.values, Set: c.set, SetString: c.setString, SetFile: c.setFile}
	opts := helm.Options{
		Values:      flagSet,
		KubeVersion: cmp.Or(c.kubeVersion, cfg.KubeVersion, eks.Newest().Version.String()),
		APIVersions: c.apiVersions,
		ReleaseName: c.releaseName,
		Namespace:   c.namespace,
		WorkDir:     wd,
	}
	if len(cfg.Charts) > 0 {
		opts.ValueSets = func(in lint.Input) []helm.ValueSet {
			chart := cfg.Chart(in.Abs)
			if chart == nil {
				return nil
			}
			var sets []helm.ValueSet
			for _, vs := range chart.ValueSets {
				set := helm.ValueSet{Name: vs.Name, Files: append(slices.Clone(vs.Values), flagSet.Files...),
					Set: flagSet.Set, SetString: flagSet.SetString, SetFile: flagSet.SetFile}
				for _, sv := range vs.Set {
					// The config has checked that every value marshals.
					arg, _ := sv.JSONArg()
					set.SetJSON = append(set.SetJSON, arg)
				}
				sets = append(sets, set)
			}
			return sets
		}
	}
	l, err := helm.New(opts)
	if err != nil {
		return nil, usageError{err}
	}
	// Helm's SDK logs warnings through the default slog logger, on standard error, in the
	// middle of a run's output ("returned non-bool value"); ekslint reports through its reports.
	slog.SetDefault(slog.New(slog.DiscardHandler))
	return l, nil
}

// knownRules are every rule ekslint has: the checks and the filter's own.
func knownRules() []*lint.Rule { return append(rules.All(), lint.UnusedIgnore) }

// loadConfig reads the config file named by --config, else the one in the lint root. When it has
// problems, they come back as a result of their own: shown like findings, exiting with 2.
func (f *lintFlags) loadConfig() (*config.Config, *lint.Result, error) {
	path := f.configFile
	if path == "" {
		var err error
		if path, err = config.Find(f.lintRoot); err != nil || path == "" {
			return &config.Config{}, nil, err
		}
	} else if !filepath.IsAbs(path) {
		path = filepath.Join(f.wd, path)
	}
	cfg, text, problems := config.Load(path, config.Options{Root: f.lintRoot, WorkDir: f.wd, Rules: knownRules()})
	if len(problems) > 0 {
		res := &lint.Result{Problems: problems, Sources: &lint.Sources{}}
		if text != nil {
			res.Sources.Add(text)
		}
		return nil, res, nil
	}
	return cfg, nil, nil
}

// loadBaseline reads the baseline named by --baseline (relative to the working directory), else
// by the config (relative to the lint root); nil when there is none.
func (f *lintFlags) loadBaseline(lim lint.Limits) (*lint.Baseline, *lint.Problem) {
	path := f.cfg.Baseline
	if f.baseline != "" {
		path = f.baseline
		if !filepath.IsAbs(path) {
			path = filepath.Join(f.wd, path)
		}
	}
	if path == "" || f.noBaseline {
		return nil, nil
	}
	return lint.ReadBaseline(path, lint.DisplayPath(path, f.wd), lim)
}

// lintRun discovers and lints paths as the flags and the config file say, then filters the
// findings: ignored paths, inline suppressions, the baseline. When the config file has problems,
// nothing is linted and the result holds them alone.
func (f *lintFlags) lintRun(ctx context.Context, paths []string, stdin io.Reader) (*lint.Result, []*lint.Rule, error) {
	var err error
	if f.wd = f.workDir; f.wd == "" {
		if f.wd, err = os.Getwd(); err != nil {
			return nil, nil, err
		}
	}
	f.lintRoot = lint.DefaultRoot(f.wd)
	if f.root != "" {
		if f.lintRoot, err = filepath.Abs(f.root); err != nil {
			return nil, nil, usageError{fmt.Errorf("--root: %w", err)}
		}
	}
	cfg, broken, err := f.loadConfig()
	if err != nil {
		return nil, nil, usageError{err}
	}
	if broken != nil {
		return broken, nil, nil
	}
	f.cfg = cfg
	known := knownRules()
	selected, err := lint.Select(known, cfg.Rules, splitList(f.enable), splitList(f.disable))
	if err != nil {
		return nil, nil, usageError{err}
	}
	size, err := parseSize(f.maxFileSize)
	if err != nil {
		return nil, nil, usageError{fmt.Errorf("--max-file-size: %w", err)}
	}
	env := &lint.Env{}
	if env.Today, err = parseDate(f.date); err != nil {
		return nil, nil, err
	}
	if f.data == "" && cfg.DataFile != "" {
		if env.Versions, err = lint.LoadVersions(cfg.DataFile); err != nil {
			return nil, nil, usageError{fmt.Errorf("dataFile in the config: %w", err)}
		}
	} else if env.Versions, err = loadVersions(f.data); err != nil {
		return nil, nil, err
	}
	limits := lint.Limits{MaxFileSize: size, MaxAliasNodes: f.maxAliasNodes}
	baseline, baselineProblem := f.loadBaseline(limits)
	charts, err := f.charts.loader(cfg, env.Versions, f.wd)
	if err != nil {
		return nil, nil, err
	}
	inputs, problems := lint.Discover(paths, lint.DiscoverOptions{Root: f.root, WorkDir: f.workDir})
	lint.BoundMemory(lint.MemoryBudget(inputs, limits))
	res := lint.Run(ctx, inputs, lint.Options{
		Rules:  selected,
		Limits: limits,
		Env:    env,
		Stdin:  stdin,
		Loaders: map[lint.InputKind]lint.Loader{
			lint.Chart:   charts,
			lint.Overlay: kustomize.NewLoader(),
		},
	})
	res.Problems = append(problems, res.Problems...)
	filter := lint.FilterOptions{Rules: selected, Known: known, Root: f.lintRoot, WorkDir: f.wd, Baseline: baseline}
	if len(cfg.Ignore) > 0 {
		filter.IgnorePath = cfg.IgnorePath
	}
	lint.Filter(res, filter)
	if baselineProblem != nil {
		res.Problems = append([]lint.Problem{*baselineProblem}, res.Problems...)
	}
	if note := env.StaleVersionsNote(); note != nil {
		res.Problems = append([]lint.Problem{*note}, res.Problems...)
	}
	return res, selected, nil
}

// failLevel is the level at or above which findings fail the run: the --fail-on flag (or
// input) when given, else the config's failOn, else error.
func (f *lintFlags) failLevel(flag string) (lint.Level, error) {
	switch {
	case flag != "":
		return lint.ParseLevel(flag)
	case f.cfg != nil && f.cfg.FailOn != nil:
		return *f.cfg.FailOn, nil
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

// loadVersions reads --data: a file of EKS version data, or the built-in data for "".
func loadVersions(path string) (*lint.Versions, error) {
	if path == "" || path == lint.BuiltinVersionsSource {
		return lint.BuiltinVersions(), nil
	}
	v, err := lint.LoadVersions(path)
	if err != nil {
		return nil, usageError{fmt.Errorf("--data: %w", err)}
	}
	return v, nil
}

// report describes a run for the reporters. SARIF and GitHub annotations name files relative to
// GITHUB_WORKSPACE when it is set (in GitHub Actions: code scanning and annotations resolve paths
// against the repository), else relative to the working directory.
func (f *lintFlags) report(res *lint.Result, selected []*lint.Rule) *report.Run {
	wd := f.workDir
	if wd == "" {
		wd, _ = os.Getwd()
	}
	root := os.Getenv("GITHUB_WORKSPACE")
	if root != "" {
		root, _ = filepath.Abs(root)
	}
	return &report.Run{Result: res, Rules: selected, Version: buildVersion(), WorkDir: wd, SourceRoot: root}
}

// formats are the report formats of --format.
var formats = []string{"text", "json", "sarif", "github"}

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
			"inputs that could not be read or linted (the rest is still linted).\n" +
			"Reads .ekslint.yaml from the lint root when there is one (docs/config.md).",
		Example: "  ekslint lint deploy/ clusters/prod.yaml\n" +
			"  ekslint lint . --format sarif --output ekslint.sarif --fail-on warning\n" +
			"  kubectl kustomize overlays/prod | ekslint lint -",
		RunE: func(cmd *cobra.Command, paths []string) error {
			if len(paths) == 0 {
				paths = []string{"."}
			}
			if _, err := (&lintFlags{}).failLevel(failOn); err != nil {
				return usageError{fmt.Errorf("--fail-on: %w", err)}
			}
			if !slices.Contains(formats, format) {
				return usageError{fmt.Errorf("--format: unknown format %q (want %s)", format, strings.Join(formats, ", "))}
			}
			if color != "auto" && color != "always" && color != "never" {
				return usageError{fmt.Errorf("--color: want auto, always or never, not %q", color)}
			}
			res, selected, err := flags.lintRun(cmd.Context(), paths, cmd.InOrStdin())
			if err != nil {
				return err
			}
			failLevel, _ := flags.failLevel(failOn)
			run := flags.report(res, selected)
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
	fl.StringVar(&format, "format", "text", "output format: text, json, sarif or github (annotations; in GitHub Actions also the job summary)")
	fl.StringVarP(&output, "output", "o", "", "write the report to this file instead of standard output")
	fl.StringVar(&failOn, "fail-on", "", "exit 1 when a finding is at or above this level: error, warning, note or none (default: the config's failOn, else error)")
	fl.StringVar(&flags.baseline, "baseline", "", "baseline file written by ekslint baseline: findings in it do not count for --fail-on; overrides the config's baseline")
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
	case "github":
		if err := report.GitHubAnnotations(w, run); err != nil {
			return err
		}
		return writeStepSummary(githubactions.New(githubactions.WithWriter(stdout)), run, true)
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
