// Package helm renders Helm charts in-process and offline, with Helm's own engine, and maps every
// rendered line back to the template line a person edits. See docs/helm.md.
package helm

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"go.yaml.in/yaml/v3"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"helm.sh/helm/v4/pkg/chart/common"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/fsroot"
	"github.com/ekslint/ekslint/lint/load"
)

const (
	// DefaultReleaseName is the release name `helm template` uses when none is given.
	DefaultReleaseName = "release-name"
	// DefaultNamespace is the release namespace `helm template` uses when none is given.
	DefaultNamespace = "default"
	// DefaultTimeout bounds one rendering of one chart.
	DefaultTimeout = time.Minute
)

// Options say how charts are rendered.
type Options struct {
	// Values is the value set every chart is rendered with: the --values and --set flags.
	Values ValueSet
	// ValueSets, when set, returns the value sets to render a chart with, each once; the
	// documents of each rendering carry the set's Name as their Variant, so findings the sets
	// share are reported once and list the sets. Returning none renders with Values.
	ValueSets func(chart load.Input) []ValueSet
	// KubeVersion is the Kubernetes version in .Capabilities and for Chart.yaml's kubeVersion
	// constraint; "" means the newest version in ekslint's built-in EKS version data. It is
	// always set: Helm 4's own default depends on the client-go it was built with.
	KubeVersion string
	// APIVersions are added to .Capabilities.APIVersions.
	APIVersions []string
	// ReleaseName and Namespace are the release's; "" means the defaults above.
	ReleaseName, Namespace string
	// WorkDir is what values file paths are relative to and display paths are made from; ""
	// means the current directory.
	WorkDir string
	// Timeout bounds one rendering; 0 means DefaultTimeout.
	Timeout time.Duration
}

// Loader renders charts for engine.Run. It is safe for concurrent use: every Load reads and renders
// its own chart.
type Loader struct {
	opts    Options
	caps    *common.Capabilities
	workDir string
	// token makes this run's line markers unique, so a chart cannot forge or predict them.
	token string
	// now is what the templates' `now` returns, the same for every chart of the run.
	now   time.Time
	stats Stats
}

// Stats count how rendered lines were mapped, over every chart a Loader rendered.
type Stats struct {
	// Lines is how many non-blank rendered lines were mapped.
	Lines atomic.Int64
	// Exact lines had a marker of their own; Action lines are output of an action (include,
	// toYaml, tpl) and took the marker of its line.
	Exact, Action atomic.Int64
	// Fallback lines took the best enclosing line: no marker named them (Helm output after a
	// template's last line with output, or a line of a file taken from a plain render that
	// differs from the marked one).
	Fallback atomic.Int64
	// Helper lines were written by a helper's include and map to the helper's line (they are
	// also counted above by the line that includes the helper).
	Helper atomic.Int64
	// Plain is how many rendered files were taken from a plain render, since the marked one may
	// have differed (see strip.go).
	Plain atomic.Int64
}

// New makes a Loader; it refuses a Kubernetes version that does not parse.
func New(opts Options) (*Loader, error) {
	if opts.KubeVersion == "" {
		opts.KubeVersion = lint.BuiltinVersions().Newest().Version.String()
	}
	if opts.ReleaseName == "" {
		opts.ReleaseName = DefaultReleaseName
	}
	if opts.Namespace == "" {
		opts.Namespace = DefaultNamespace
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	kv, err := common.ParseKubeVersion(opts.KubeVersion)
	if err != nil {
		return nil, fmt.Errorf("--kube-version %q: %w", opts.KubeVersion, err)
	}
	if err := opts.Values.Check(); err != nil {
		return nil, err
	}
	caps := common.DefaultCapabilities.Copy()
	caps.KubeVersion = *kv
	caps.APIVersions = append(slices.Clone(caps.APIVersions), opts.APIVersions...)
	wd := opts.WorkDir
	if wd == "" {
		if wd, err = os.Getwd(); err != nil {
			return nil, err
		}
	}
	return &Loader{opts: opts, caps: caps, workDir: wd, token: newToken(), now: time.Now().UTC()}, nil
}

// newToken returns eight random lowercase letters.
func newToken() string {
	b := make([]byte, 8)
	rand.Read(b)
	for i := range b {
		b[i] = 'a' + b[i]%26
	}
	return string(b)
}

// Stats returns the mapping counts so far.
func (l *Loader) Stats() *Stats { return &l.stats }

// Load renders the chart of in with each of its value sets and hands over the documents, plus a
// Problem for anything that stops a rendering: the chart then counts as failed.
func (l *Loader) Load(ctx context.Context, in load.Input, s load.Sink) {
	ci, err := l.input(in, s)
	if err != nil {
		s.Problem(problem(err, in, ""))
		return
	}
	if at, ok := ci.scaffold(); ok {
		s.Problem(lint.Problem{Pos: at, Level: lint.Note, Message: "Chart.yaml holds a template action ({{ }}): " +
			"a chart a build step writes out, which Helm cannot load as it is; not rendered (lint the chart the build writes)"})
		return
	}
	if err := ci.checkActions(); err != nil {
		s.Problem(problem(err, in, ""))
		return
	}
	if err := ci.checkChartYAML(); err != nil {
		s.Problem(problem(err, in, ""))
		return
	}
	sets := []ValueSet{l.opts.Values}
	if l.opts.ValueSets != nil {
		if vs := l.opts.ValueSets(in); len(vs) > 0 {
			sets = vs
		}
	}
	// On another core, the templates are rewritten while the chart is built and its values read,
	// then the crds/ files are parsed while it renders.
	rewritten := make(chan struct{})
	ci.rewritten = rewritten
	background(func() {
		defer ci.crdDocs()
		defer close(rewritten)
		for _, f := range ci.files {
			if strings.HasPrefix(f.name, "templates/") {
				ci.marking(f, isManifest(f.name))
			}
		}
	})
	// Each rendering has its own deadline; a chart's value sets share one more, so that a config
	// of a thousand sets (the repository's own .ekslint.yaml may list them) cannot multiply it.
	start := time.Now()
	for i, vs := range sets {
		if ctx.Err() != nil {
			return
		}
		if i > 0 && time.Since(start) > l.opts.Timeout {
			s.Problem(problem(&errChart{chartYAMLPos(ci.src.chartYAML, nil), fmt.Sprintf(
				"%d of the chart's %d value sets not rendered: the first %d took longer than %v together", len(sets)-i, len(sets), i, l.opts.Timeout)}, in, ""))
			return
		}
		ci.render(ctx, vs)
	}
}

// input reads the chart of in and records its files as sources.
func (l *Loader) input(in load.Input, s sink) (*chartInput, error) {
	src, files, err := readSource(in, in.Root)
	if err != nil {
		return nil, err
	}
	return l.newChartInput(in, s, in.Root, src, files), nil
}

// newChartInput makes the input of a chart read from root (src, with all its files).
func (l *Loader) newChartInput(in load.Input, s sink, root *fsroot.Root, src *source, files []*file) *chartInput {
	for _, f := range files {
		s.Source(f.text)
	}
	ci := &chartInput{loader: l, in: in, sink: s, root: root, src: src, files: files, crdsReported: map[*file]bool{}}
	ci.crdDocs = sync.OnceValue(ci.parseCRDs)
	return ci
}

// chartInput is one chart input being loaded.
type chartInput struct {
	loader *Loader
	in     load.Input
	sink   sink
	root   *fsroot.Root // everything the chart reads goes through it
	src    *source
	files  []*file // every file of the chart and its subcharts, by id
	noted  map[string]bool
	// rewritten is closed when the templates have been rewritten; nil when nothing rewrites
	// them ahead of rendering.
	rewritten chan struct{}
	// crdDocs are the parsed crds/ files, parsed once for every value set.
	crdDocs      func() map[*file]crdFile
	crdsReported map[*file]bool
}

// sink is what a chartInput hands its output to: a load.Sink.
type sink interface {
	Document(*lint.Document)
	Problem(lint.Problem)
	Source(*lint.Text)
	Limits() load.Limits
}

// scaffold reports where the chart's own Chart.yaml holds a template action (`version: {{
// .Version }}`) that keeps Helm from reading it: the chart is a scaffold a build step fills in
// (cockroachdb's build/templates). Braces in a string (a description) are read as written.
func (ci *chartInput) scaffold() (lint.Pos, bool) {
	f := ci.src.chartYAML
	if f == nil {
		return lint.Pos{}, false
	}
	i := bytes.Index(f.text.Data, []byte("{{"))
	if i < 0 {
		return lint.Pos{}, false
	}
	var root yaml.Node
	if err := yaml.Unmarshal(f.text.Data, &root); err == nil && !load.HasCollectionKey(&root) {
		return lint.Pos{}, false
	}
	return lint.Pos{File: f.text.Name, Line: f.text.LineAt(i), Column: f.text.ColumnAt(i)}, true
}

// problem turns an error from reading or rendering into a Problem of the chart.
func problem(err error, in load.Input, set string) lint.Problem {
	p := lint.Problem{Pos: lint.Pos{File: in.Path}, Level: lint.Error, Message: err.Error()}
	if ec, ok := err.(*errChart); ok {
		p.Pos, p.Message = ec.pos, ec.msg
	}
	if set != "" {
		p.Message += fmt.Sprintf(" (value set %q)", set)
	}
	return p
}

// firstContent is the first column (from 1) of a line that is not a space.
func firstContent(line []byte) int {
	return len(line) - len(strings.TrimLeft(string(line), " \t")) + 1
}
