// Package linter is ekslint's pipeline as one call: read the config, pick the rules, discover the
// paths, load and render them, run the rules, filter the findings. The CLI, the GitHub Action,
// the fixture harness and the benchmarks all run it, so a test of it tests what users run.
package linter

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/config"
	"github.com/ekslint/ekslint/lint/discover"
	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/filter"
	"github.com/ekslint/ekslint/lint/fsroot"
	"github.com/ekslint/ekslint/lint/helm"
	"github.com/ekslint/ekslint/lint/kustomize"
	"github.com/ekslint/ekslint/lint/load"
)

// A Request says what to lint and how, as the flags of `ekslint lint` do.
type Request struct {
	// Paths are the files and folders to lint; "-" is standard input. None means ".".
	Paths []string
	// Stdin is read for "-"; StdinName is how findings name it ("" is <stdin>).
	Stdin     io.Reader
	StdinName string
	// WorkDir is the folder relative paths start from and display paths are named relative to;
	// "" is the working directory.
	WorkDir string
	// Root is the lint root: nothing outside it is read. "" is the git work tree holding each
	// path, else the working directory.
	Root string
	// ConfigFile is the config file; "" looks for .ekslint.yaml in the lint root.
	ConfigFile string
	// Rules are every rule ekslint has (rules.All()); the filter's own unused-ignore is added.
	// Presets name groups of them (rules.Presets()) for Enable, Disable and the config.
	Rules   []*lint.Rule
	Presets filter.Presets
	// Enable and Disable turn rules on and off after the config, as --enable and --disable do.
	Enable, Disable []string
	// Limits bound what an input may cost; the zero value is load.DefaultLimits().
	Limits load.Limits
	// Today is the date version rules compare against; zero is today (UTC).
	Today time.Time
	// DataFile is EKS version data to use instead of the config's or the built-in data.
	DataFile string
	// Baseline is the baseline file compared against, instead of the config's; NoBaseline
	// compares against none (`ekslint baseline` records one).
	Baseline   string
	NoBaseline bool
	// Charts say how Helm charts are rendered.
	Charts Charts
	// Workers is how many inputs are loaded and checked at once; 0 means one per CPU.
	Workers int
}

// Charts say how Helm charts are rendered, as `helm template` takes its flags.
type Charts struct {
	Values, Set, SetString, SetFile, APIVersions []string
	// KubeVersion is the Kubernetes version charts are rendered for; "" is the config's, else the
	// newest version in the EKS version data.
	KubeVersion string
	// ReleaseName and Namespace are the release's; "" is Helm's defaults.
	ReleaseName, Namespace string
}

// A UsageError is a request that cannot run as made: a flag's value, a data file, a rule id.
type UsageError struct{ Err error }

func (e UsageError) Error() string { return e.Err.Error() }
func (e UsageError) Unwrap() error { return e.Err }

// Result is a run's outcome.
type Result struct {
	*engine.Result
	// Rules are the rules that ran, with their levels as configured.
	Rules []*lint.Rule
	// Config is the config file read; nil when it has problems (then nothing was linted, and
	// Problems says why).
	Config *config.Config
	// Root is the lint root and WorkDir the folder display paths are relative to.
	Root, WorkDir string
}

// Lint runs the whole pipeline.
func Lint(ctx context.Context, req Request) (*Result, error) {
	p, err := NewPlan(req)
	if err != nil {
		return nil, err
	}
	return p.Run(ctx), nil
}

// A Plan is a request made ready to run: config read, rules picked, paths discovered. The command
// looks at it before it runs (to set the process's garbage collector with SetCollector, say).
type Plan struct {
	pacer    *Pacer // set by SetCollector
	req      Request
	res      *Result // set when the config file has problems: the run is that
	root     *fsroot.Root
	sel      filter.Selection
	known    []*lint.Rule
	env      *lint.Env
	baseline *filter.Baseline
	// baselineProblem says why the baseline could not be read; it is reported before the run's
	// own problems, and so are discovery's.
	baselineProblem *lint.Problem
	found           *discover.Result
	charts          *helm.Loader
}

// NewPlan prepares req.
func NewPlan(req Request) (*Plan, error) {
	if req.Limits == (load.Limits{}) {
		req.Limits = load.DefaultLimits()
	}
	if len(req.Paths) == 0 {
		req.Paths = []string{"."}
	}
	var err error
	if req.WorkDir == "" {
		if req.WorkDir, err = os.Getwd(); err != nil {
			return nil, err
		}
	}
	rootDir := fsroot.DefaultRoot(req.WorkDir, req.WorkDir)
	if req.Root != "" {
		if rootDir, err = filepath.Abs(req.Root); err != nil {
			return nil, UsageError{fmt.Errorf("--root: %w", err)}
		}
	}
	p := &Plan{req: req, known: append(slices.Clone(req.Rules), filter.UnusedIgnore), found: &discover.Result{}}
	if p.root, err = fsroot.New(rootDir, req.Limits.MaxFileSize); err != nil {
		return nil, UsageError{err}
	}
	cfg, err := p.loadConfig()
	if err != nil || cfg == nil {
		return p, err
	}
	if p.sel, err = filter.Select(p.known, req.Presets, cfg.Rules, req.Enable, req.Disable); err != nil {
		return nil, UsageError{err}
	}
	p.env = &lint.Env{Today: req.Today}
	if p.env.Today.IsZero() {
		p.env.Today = time.Now().UTC().Truncate(24 * time.Hour)
	}
	if p.env.Versions, err = p.versions(cfg); err != nil {
		return nil, err
	}
	p.loadBaseline(cfg)
	if p.charts, err = p.chartLoader(cfg); err != nil {
		return nil, UsageError{err}
	}
	p.found = discover.Run(req.Paths, discover.Options{Root: req.Root, WorkDir: req.WorkDir,
		MaxFileSize: req.Limits.MaxFileSize, StdinName: req.StdinName})
	p.res = &Result{Rules: p.sel.Rules, Config: cfg, Root: rootDir, WorkDir: req.WorkDir}
	return p, nil
}

// loadConfig reads the config file named by the request, else the one in the lint root. When it
// has problems, they become the run's result (nil config): shown like findings, exiting with 2.
func (p *Plan) loadConfig() (*config.Config, error) {
	path, from := p.req.ConfigFile, p.root
	if path != "" {
		path = p.userPath(path)
		from = p.userRoot(path)
	} else {
		var err error
		if path, err = config.Find(p.root); err != nil {
			return nil, UsageError{err}
		}
		if path == "" {
			return &config.Config{}, nil
		}
	}
	cfg, text, problems := config.Load(from, path, config.Options{Root: p.root, WorkDir: p.req.WorkDir, Rules: p.known, Presets: p.req.Presets})
	if len(problems) == 0 {
		return cfg, nil
	}
	res := &engine.Result{Problems: problems, Sources: &engine.Sources{}}
	if text != nil {
		res.Sources.Add(text)
	}
	p.res = &Result{Result: res, Root: p.root.Dir(), WorkDir: p.req.WorkDir}
	return nil, nil
}

// userPath makes a path named in the request absolute, relative to the working directory.
func (p *Plan) userPath(path string) string {
	if filepath.IsAbs(path) {
		return filepath.Clean(path)
	}
	return filepath.Join(p.req.WorkDir, path)
}

// userRoot is what a file the person running ekslint named (--config, --data, --baseline) is read
// through: the lint root when it is inside, else its own folder. Either way it is read like any
// other file: bounded, regular files only, no symlink out of that folder.
func (p *Plan) userRoot(abs string) *fsroot.Root {
	if p.root.Contains(abs) {
		return p.root
	}
	r, err := fsroot.New(filepath.Dir(abs), p.req.Limits.MaxFileSize)
	if err != nil {
		return p.root // the read then fails with a message naming the file
	}
	return r
}

// versions reads the EKS version data: --data, else the config's dataFile, else the built-in data.
func (p *Plan) versions(cfg *config.Config) (*lint.Versions, error) {
	what, path, from := "--data", p.req.DataFile, p.root
	switch {
	case path == "" && cfg.DataFile != "":
		what, path = "dataFile in the config", cfg.DataFile
	case path == "", path == lint.BuiltinVersionsSource:
		return lint.BuiltinVersions(), nil
	default:
		path = p.userPath(path)
		from = p.userRoot(path)
	}
	v, err := LoadVersions(from, path, load.DisplayPath(path, p.req.WorkDir))
	if err != nil {
		return nil, UsageError{fmt.Errorf("%s: %w", what, err)}
	}
	return v, nil
}

// maxVersionsFile bounds EKS version data: the built-in file is a few KiB.
const maxVersionsFile = 1 << 20

// LoadVersions reads EKS version data through root from the file abs, written like
// lint/data/eks-versions.yaml; name is how messages and the data's Source name it.
func LoadVersions(root *fsroot.Root, abs, name string) (*lint.Versions, error) {
	data, err := root.ReadFileLimit(abs, maxVersionsFile)
	if err != nil {
		return nil, fmt.Errorf("%s %s", name, load.ReadProblem(err))
	}
	return lint.ParseVersions(name, data)
}

// loadBaseline reads the baseline named by the request (relative to the working directory), else
// by the config (relative to the lint root). A baseline that cannot be read is a problem of the
// run, reported first.
func (p *Plan) loadBaseline(cfg *config.Config) {
	path, from := cfg.Baseline, p.root
	if p.req.Baseline != "" {
		path = p.userPath(p.req.Baseline)
		from = p.userRoot(path)
	}
	if path == "" || p.req.NoBaseline {
		return
	}
	p.baseline, p.baselineProblem = filter.ReadBaseline(from, path, load.DisplayPath(path, p.req.WorkDir))
}

// chartLoader makes the chart loader: the request's values for every chart, and for a chart the
// config gives value sets, each set with the request's values applied after its own.
func (p *Plan) chartLoader(cfg *config.Config) (*helm.Loader, error) {
	c := p.req.Charts
	given := helm.ValueSet{Files: c.Values, Set: c.Set, SetString: c.SetString, SetFile: c.SetFile}
	opts := helm.Options{
		Values:      given,
		KubeVersion: cmp.Or(c.KubeVersion, cfg.KubeVersion, p.env.Versions.Newest().Version.String()),
		APIVersions: c.APIVersions,
		ReleaseName: cmp.Or(c.ReleaseName, helm.DefaultReleaseName),
		Namespace:   cmp.Or(c.Namespace, helm.DefaultNamespace),
		WorkDir:     p.req.WorkDir,
	}
	if len(cfg.Charts) > 0 {
		opts.ValueSets = func(in load.Input) []helm.ValueSet {
			chart := cfg.Chart(in.Abs)
			if chart == nil {
				return nil
			}
			var sets []helm.ValueSet
			for _, vs := range chart.ValueSets {
				set := helm.ValueSet{Name: vs.Name, Files: append(slices.Clone(vs.Values), given.Files...),
					Set: given.Set, SetString: given.SetString, SetFile: given.SetFile}
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
	return helm.New(opts)
}

// deployment names what an input is applied with: the config's deployment whose paths match it,
// else what the engine takes by default.
func (p *Plan) deployment(in load.Input, variant string) string {
	if cfg := p.res.Config; len(cfg.Deployments) > 0 && in.Root != nil {
		if rel, err := filepath.Rel(p.root.Dir(), in.Abs); err == nil {
			if name := cfg.DeploymentOf(filepath.ToSlash(rel)); name != "" {
				return "config " + name
			}
		}
	}
	return engine.DeploymentOf(in, variant)
}

// Inputs are what the run will load.
func (p *Plan) Inputs() []load.Input { return p.found.Inputs }

// Run lints the plan's inputs and filters the findings: ignored paths, inline suppressions, the
// baseline.
func (p *Plan) Run(ctx context.Context) *Result {
	if p.res.Result != nil {
		return p.res // the config file has problems: they are the result
	}
	res := engine.Run(ctx, p.found.Inputs, engine.Options{
		Rules:       p.sel.Rules,
		FixedLevels: p.sel.FixedLevels,
		Limits:      p.req.Limits,
		Env:         p.env,
		Stdin:       p.req.Stdin,
		Workers:     p.req.Workers,
		Deployment:  p.deployment,
		Held:        p.pacer.Held,
		Loaders: map[load.InputKind]load.Loader{
			load.Chart:   p.charts,
			load.Overlay: kustomize.NewLoader(),
		},
	})
	opts := filter.Options{Rules: p.sel.Rules, Known: p.known, Root: p.root.Dir(), WorkDir: p.req.WorkDir, Baseline: p.baseline}
	if cfg := p.res.Config; len(cfg.Ignore) > 0 {
		opts.IgnorePath = cfg.IgnorePath
	}
	res.Problems = append(slices.Clone(p.found.Problems), res.Problems...)
	res.Problems = engine.SortProblems(append(res.Problems, p.emptyFolders(res)...))
	res.Skipped = append(slices.Clone(p.found.Skipped), res.Skipped...)
	slices.SortStableFunc(res.Skipped, lint.Skip.Compare)
	filter.Filter(res, opts)
	if p.baselineProblem != nil {
		res.Problems = append([]lint.Problem{*p.baselineProblem}, res.Problems...)
	}
	if note := p.env.StaleVersionsNote(); note != nil {
		res.Problems = append([]lint.Problem{*note}, res.Problems...)
	}
	p.res.Result = res
	return p.res
}

// emptyFolders are the folders named in which nothing was linted and about which nothing was
// said: no chart or overlay, no file with an object, no problem or note on anything in them. In
// CI, a folder that holds only other tools' files (or the wrong folder) must not pass in silence.
func (p *Plan) emptyFolders(res *engine.Result) []lint.Problem {
	var out []lint.Problem
	for _, f := range p.found.Folders {
		linted := slices.ContainsFunc(f.Inputs, func(i int) bool {
			return p.found.Inputs[i].Kind != load.File || res.InputObjects[i] > 0
		})
		told := slices.ContainsFunc(res.Problems, func(pr lint.Problem) bool { return inFolder(pr.Pos.File, f.Path) })
		if linted || told {
			continue
		}
		msg := "holds no Kubernetes manifest, eksctl config, CloudFormation template, Helm chart or Kustomize overlay; nothing was linted: is the path right?"
		switch n := len(f.Inputs); {
		case n == 1:
			msg = "holds one YAML or JSON file, which is not a Kubernetes manifest, eksctl config or CloudFormation template, and no Helm chart or Kustomize overlay; " + nothingLinted
		case n > 1:
			msg = fmt.Sprintf("holds %d YAML and JSON files, none of them a Kubernetes manifest, eksctl config or CloudFormation template, and no Helm chart or Kustomize overlay; %s", n, nothingLinted)
		}
		out = append(out, lint.Problem{Pos: lint.Pos{File: f.Path}, Level: lint.Error, Message: msg})
	}
	return out
}

const nothingLinted = "nothing was linted: is the path right? (ekslint lint --verbose lists what was skipped and why)"

// inFolder reports whether the display path file is folder or inside it.
func inFolder(file, folder string) bool {
	if folder == "." {
		return file != ".." && !strings.HasPrefix(file, "../")
	}
	return file == folder || strings.HasPrefix(file, folder+"/")
}
