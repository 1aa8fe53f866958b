// Package config reads .ekslint.yaml: which rules run and at which level, which paths are left
// out, how Helm charts are rendered, and the defaults of a run (Kubernetes version, version data
// file, fail-on level, baseline). docs/config.md documents every key and
// docs/ekslint-config.schema.json lets editors complete them.
//
// The file is read as YAML nodes, so that an unknown key or a value of the wrong type is an error
// at its line, reported like a finding, and never silently ignored. Every path in it is relative
// to the lint root and must stay inside it: a pull request may change the config, and ekslint
// reads nothing outside the root.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/filter"
	"github.com/ekslint/ekslint/lint/fsroot"
	"github.com/ekslint/ekslint/lint/load"
)

// FileNames are the names of the config file ekslint looks for in the lint root.
var FileNames = []string{".ekslint.yaml", ".ekslint.yml"}

// maxFileSize bounds the config file: a real one is a few hundred bytes.
const maxFileSize = 1 << 20

// Config is a parsed config file. The zero Config is a run without one.
type Config struct {
	// Rules are the rules turned on or off and their levels, by id; "all" is every rule.
	Rules map[string]filter.RuleConfig
	// Ignore are the paths whose findings and problems are left out.
	Ignore []Pattern
	// Charts are the Helm charts rendered with named value sets.
	Charts []Chart
	// Deployments are groups of inputs applied together into one cluster: set rules (NetworkPolicy
	// coverage, PDBs, Services and their pods) check each group as one.
	Deployments []Deployment
	// KubeVersion is the Kubernetes version charts are rendered for ("1.31"); "" when not set.
	KubeVersion string
	// DataFile is the EKS version data file to use instead of the embedded one (absolute); "" when not set.
	DataFile string
	// FailOn is the --fail-on level; nil when not set.
	FailOn *lint.Level
	// Baseline is the baseline file compared against (absolute); "" when not set.
	Baseline string
}

// A Chart is a Helm chart the config renders once per value set. Each finding lists the value
// sets that produce it (engine.Finding.Variants).
type Chart struct {
	// Path is the chart folder as written, relative to the lint root; Abs is the absolute path.
	Path, Abs string
	ValueSets []ValueSet
}

// A ValueSet is one way to render a chart, as `helm template` would with -f and --set.
type ValueSet struct {
	// Name names the set in findings ("prod").
	Name string
	// Values are values files (absolute paths), merged in order over the chart's values.yaml.
	Values []string
	// Set are single values applied after the files, in order.
	Set []SetValue
}

// A SetValue is one value set by path, as `helm --set-json` takes it: the path in Helm's --set
// syntax (image.tag, ingress.hosts[0].host, nodeSelector.kubernetes\.io/os) and the value with
// the type YAML gave it (string, int, float64, bool, nil, []any or map[string]any).
type SetValue struct {
	Key   string
	Value any
}

// JSONArg writes the value as an argument of `helm --set-json` (helm's strvals.ParseJSON).
func (s SetValue) JSONArg() (string, error) {
	b, err := json.Marshal(s.Value)
	if err != nil {
		return "", fmt.Errorf("set %s: %w", s.Key, err)
	}
	return s.Key + "=" + string(b), nil
}

// A Deployment is a group of inputs applied together: charts, overlays and manifests whose paths,
// relative to the lint root, match one of Paths.
type Deployment struct {
	Name  string
	Paths []Pattern
}

// DeploymentOf returns the name of the deployment whose paths match rel (slash-separated,
// relative to the lint root), or "".
func (c *Config) DeploymentOf(rel string) string {
	for _, d := range c.Deployments {
		for _, p := range d.Paths {
			if p.Match(rel) {
				return d.Name
			}
		}
	}
	return ""
}

// IgnorePath reports whether findings and problems in a file are left out; rel is relative to the
// lint root, slash-separated.
func (c *Config) IgnorePath(rel string) bool {
	for _, p := range c.Ignore {
		if p.Match(rel) {
			return true
		}
	}
	return false
}

// Chart returns the chart configured for the folder abs, or nil.
func (c *Config) Chart(abs string) *Chart {
	for i := range c.Charts {
		if c.Charts[i].Abs == filepath.Clean(abs) {
			return &c.Charts[i]
		}
	}
	return nil
}

// Options say how to read a config file.
type Options struct {
	// Root is the lint root: paths in the file are relative to it, and what they name is read
	// through it.
	Root *fsroot.Root
	// WorkDir is the folder display paths are relative to.
	WorkDir string
	// Rules are every rule ekslint has, to check rule ids against; Presets the named groups of
	// them that rules: may turn on or off at once.
	Rules   []*lint.Rule
	Presets filter.Presets
}

// Find returns the config file in root, or "" when there is none. A config file that cannot be
// read (a symlink out of the root, a pipe) is still found: Load then says why it is not read.
func Find(root *fsroot.Root) (string, error) {
	var found []string
	for _, name := range FileNames {
		p := filepath.Join(root.Dir(), name)
		if _, err := root.Lstat(p); err == nil {
			found = append(found, p)
		}
	}
	if len(found) > 1 {
		return "", fmt.Errorf("both %s and %s exist in the lint root; keep one", FileNames[0], FileNames[1])
	}
	if len(found) == 0 {
		return "", nil
	}
	return found[0], nil
}

// Load reads and parses the config file at path (absolute) through from: the lint root for the
// file found there, the file's own folder for one named with --config. It returns the file's text
// too, when it could be read, so that reports can show the lines its problems are on.
func Load(from *fsroot.Root, path string, opts Options) (*Config, *lint.Text, []lint.Problem) {
	display := load.DisplayPath(path, opts.WorkDir)
	data, err := from.ReadFileLimit(path, maxFileSize)
	if err != nil {
		msg := "cannot read config: " + fsroot.Reason(err)
		switch {
		case errors.As(err, new(*fsroot.TooLargeError)):
			msg = fmt.Sprintf("config file is over %s; is this the right file?", fsroot.FormatSize(maxFileSize))
		case fsroot.Refused(err):
			msg = "the config file " + fsroot.Reason(err)
		}
		return nil, nil, []lint.Problem{{Pos: lint.Pos{File: display}, Level: lint.Error, Message: msg}}
	}
	t := lint.NewText(display, data)
	cfg, problems := Parse(t, opts)
	return cfg, t, problems
}

// Parse reads a config file from t. On problems the Config is nil: a run with half a config
// would check something other than what the file says.
func Parse(t *lint.Text, opts Options) (*Config, []lint.Problem) {
	p := &parser{t: t, opts: opts, cfg: &Config{}}
	for _, r := range opts.Rules {
		p.ruleIDs = append(p.ruleIDs, r.ID)
	}
	for name := range opts.Presets {
		p.ruleIDs = append(p.ruleIDs, name)
	}
	if pr := load.CheckText(t); pr != nil {
		return nil, []lint.Problem{*pr}
	}
	var docs []*yaml.Node
	p.problems = load.ParseYAML(t, load.DefaultLimits(), func(root *yaml.Node) { docs = append(docs, root) })
	for i := range p.problems {
		// The config is read as written or not at all: a key written twice is an error here, even
		// with the same value, which elsewhere is a warning.
		p.problems[i].Level = lint.Error
	}
	if len(docs) > 1 {
		p.errorf(docs[1], "the config file holds more than one YAML document; ekslint reads one")
	}
	if len(docs) > 0 && len(p.problems) == 0 {
		p.top(docs[0])
	}
	if len(p.problems) > 0 {
		return nil, p.problems
	}
	return p.cfg, nil
}

type parser struct {
	t            *lint.Text
	opts         Options
	cfg          *Config
	ruleIDs      []string
	problems     []lint.Problem
	patternsRead int // path patterns read so far, in every list
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	p.problems = append(p.problems, lint.Problem{Pos: lint.Pos{File: p.t.Name, Line: n.Line, Column: n.Column},
		Level: lint.Error, Message: fmt.Sprintf(format, args...)})
}

// A field is a key a mapping may hold and what to do with its value.
type field struct {
	key  string
	read func(path string, v *yaml.Node)
}

// fields reads a mapping whose keys are known; an unknown key is an error that names the closest
// known one.
func (p *parser) fields(path string, n *yaml.Node, fs []field) {
	if !p.isMapping(path, n) {
		return
	}
	var keys []string
	for _, f := range fs {
		keys = append(keys, f.key)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		j := slices.IndexFunc(fs, func(f field) bool { return f.key == k.Value })
		if j < 0 || k.Kind != yaml.ScalarNode {
			p.unknownKey(path, k, keys)
			continue
		}
		fs[j].read(join(path, k.Value), v)
	}
}

func (p *parser) unknownKey(path string, k *yaml.Node, keys []string) {
	where := "at the top level"
	if path != "" {
		where = "in " + path
	}
	if k.Kind == yaml.ScalarNode && k.Value == "<<" {
		p.errorf(k, "merge keys (<<) are not supported in the config file; write the keys out")
		return
	}
	msg := fmt.Sprintf("unknown key %q %s", k.Value, where)
	if s := filter.Suggest(k.Value, keys); s != "" {
		msg += fmt.Sprintf("; did you mean %s?", s)
	} else {
		msg += fmt.Sprintf(" (known keys: %s)", strings.Join(keys, ", "))
	}
	p.errorf(k, "%s", msg)
}

// isMapping checks that n is a mapping; null counts as an empty one (`rules:` with everything
// below it commented out).
func (p *parser) isMapping(path string, n *yaml.Node) bool {
	if n.Kind == yaml.MappingNode || isNull(n) {
		return true
	}
	p.errorf(n, "%s: want a mapping, not %s", label(path), lint.DescribeValue(n))
	return false
}

func (p *parser) list(path string, n *yaml.Node, item func(path string, v *yaml.Node)) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "%s: want a list, not %s", label(path), lint.DescribeValue(n))
		return
	}
	for i, it := range n.Content {
		item(fmt.Sprintf("%s[%d]", path, i), resolve(it))
	}
}

func (p *parser) str(path string, n *yaml.Node) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		p.errorf(n, "%s: want a string, not %s", label(path), lint.DescribeValue(n))
		return "", false
	}
	if n.Value == "" {
		p.errorf(n, "%s: is empty", label(path))
		return "", false
	}
	return n.Value, true
}

func (p *parser) boolean(path string, n *yaml.Node) (bool, bool) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
		p.errorf(n, "%s: want true or false, not %s", label(path), lint.DescribeValue(n))
		return false, false
	}
	return n.Value == "true", true
}

func (p *parser) level(path string, n *yaml.Node, allowNone bool) (lint.Level, bool) {
	s, ok := p.str(path, n)
	if !ok {
		return lint.None, false
	}
	l, err := lint.ParseLevel(s)
	if err != nil || l == lint.None && !allowNone {
		want := "error, warning or note"
		if allowNone {
			want = "error, warning, note or none"
		} else if l == lint.None && err == nil {
			want += "; to turn the rule off, write enabled: false"
		}
		p.errorf(n, "%s: unknown level %q (want %s)", label(path), s, want)
		return lint.None, false
	}
	return l, true
}

func (p *parser) top(root *yaml.Node) {
	p.fields("", root, []field{
		{"rules", p.rules},
		{"ignore", func(path string, v *yaml.Node) { p.cfg.Ignore = p.patterns(path, v) }},
		{"charts", p.charts},
		{"deployments", p.deployments},
		{"kubeVersion", p.kubeVersion},
		{"dataFile", func(path string, v *yaml.Node) { p.cfg.DataFile = p.path(path, v, wantFile) }},
		{"failOn", func(path string, v *yaml.Node) {
			if l, ok := p.level(path, v, true); ok {
				p.cfg.FailOn = &l
			}
		}},
		{"baseline", func(path string, v *yaml.Node) { p.cfg.Baseline = p.path(path, v, mayBeMissing) }},
	})
}

// maxPatterns bounds the path patterns of a config: each is matched against every path of the
// run, and 14,000 patterns of 32 wildcards took 4 s a file (24,000 compiled, 376 MB). Real configs
// have dozens.
const maxPatterns = 1000

// patterns reads a list of path patterns.
func (p *parser) patterns(path string, n *yaml.Node) []Pattern {
	var out []Pattern
	p.list(path, n, func(path string, v *yaml.Node) {
		if p.patternsRead++; p.patternsRead > maxPatterns {
			if p.patternsRead == maxPatterns+1 {
				p.errorf(v, "%s: more than %d path patterns in the config, each matched against every path of the run; the rest are not read", label(path), maxPatterns)
			}
			return
		}
		if s, ok := p.str(path, v); ok {
			pat, err := CompilePattern(s)
			if err != nil {
				p.errorf(v, "%s: %v", label(path), err)
				return
			}
			out = append(out, pat)
		}
	})
	return out
}

func (p *parser) deployments(path string, n *yaml.Node) {
	names := map[string]bool{}
	p.list(path, n, func(path string, v *yaml.Node) {
		var d Deployment
		p.fields(path, v, []field{
			{"name", func(path string, v *yaml.Node) { d.Name, _ = p.str(path, v) }},
			{"paths", func(path string, v *yaml.Node) { d.Paths = p.patterns(path, v) }},
		})
		if v.Kind != yaml.MappingNode {
			return
		}
		switch {
		case d.Name == "" && !hasKey(v, "name"):
			p.errorf(v, "%s: name is required (it names the deployment)", label(path))
		case len(d.Paths) == 0 && !hasKey(v, "paths"):
			p.errorf(v, "%s: paths is required: list the charts, overlays and files deployed together", label(path))
		case names[d.Name]:
			p.errorf(v, "%s: deployment %q is named twice", label(path), d.Name)
		default:
			names[d.Name] = true
			p.cfg.Deployments = append(p.cfg.Deployments, d)
		}
	})
}

func (p *parser) rules(path string, n *yaml.Node) {
	if !p.isMapping(path, n) {
		return
	}
	p.cfg.Rules = map[string]filter.RuleConfig{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolve(n.Content[i+1])
		id := k.Value
		if k.Kind != yaml.ScalarNode || id != filter.AllRules && !slices.Contains(p.ruleIDs, id) {
			msg := fmt.Sprintf("unknown rule %q in rules", id)
			if s := filter.Suggest(id, p.ruleIDs); s != "" {
				msg += fmt.Sprintf("; did you mean %s?", s)
			} else {
				msg += " (ekslint rules lists them)"
			}
			p.errorf(k, "%s", msg)
			continue
		}
		rulePath := join(path, id)
		if isNull(v) {
			p.errorf(v, "%s: want enabled and/or level (%s: {enabled: true})", rulePath, id)
			continue
		}
		var c filter.RuleConfig
		fs := []field{{"enabled", func(path string, v *yaml.Node) {
			if b, ok := p.boolean(path, v); ok {
				c.Enabled = &b
			}
		}}}
		if _, preset := p.opts.Presets[id]; id != filter.AllRules && !preset {
			fs = append(fs, field{"level", func(path string, v *yaml.Node) { c.Level, _ = p.level(path, v, false) }})
		}
		p.fields(rulePath, v, fs)
		if c.Enabled == nil && c.Level != lint.None {
			on := true // a rule given a level is wanted on, even when it is off by default
			c.Enabled = &on
		}
		p.cfg.Rules[id] = c
	}
}

func (p *parser) charts(path string, n *yaml.Node) {
	p.list(path, n, func(path string, v *yaml.Node) {
		var c Chart
		var valueSets *yaml.Node
		p.fields(path, v, []field{
			{"path", func(path string, v *yaml.Node) {
				if c.Abs = p.path(path, v, wantChart); c.Abs != "" {
					c.Path = filepath.ToSlash(filepath.Clean(filepath.FromSlash(v.Value)))
				}
			}},
			{"valueSets", func(path string, v *yaml.Node) {
				valueSets = v
				names := map[string]bool{}
				p.list(path, v, func(path string, v *yaml.Node) {
					if vs, ok := p.valueSet(path, v); ok {
						if names[vs.Name] {
							p.errorf(v, "%s: value set %q is named twice", label(path), vs.Name)
						}
						names[vs.Name] = true
						c.ValueSets = append(c.ValueSets, vs)
					}
				})
			}},
		})
		if v.Kind != yaml.MappingNode {
			return
		}
		switch {
		case c.Path == "" && !hasKey(v, "path"):
			p.errorf(v, "%s: path is required (the chart folder, relative to the lint root)", label(path))
		case valueSets == nil || len(valueSets.Content) == 0:
			p.errorf(v, "%s: valueSets is required: list the value sets to render %s with", label(path), c.Path)
		case c.Abs != "" && p.cfg.Chart(c.Abs) != nil:
			p.errorf(v, "%s: chart %s is listed twice", label(path), c.Path)
		case c.Abs != "":
			p.cfg.Charts = append(p.cfg.Charts, c)
		}
	})
}

func (p *parser) valueSet(path string, n *yaml.Node) (ValueSet, bool) {
	var vs ValueSet
	before := len(p.problems)
	p.fields(path, n, []field{
		{"name", func(path string, v *yaml.Node) { vs.Name, _ = p.str(path, v) }},
		{"values", func(path string, v *yaml.Node) {
			p.list(path, v, func(path string, v *yaml.Node) {
				if abs := p.path(path, v, wantFile); abs != "" {
					vs.Values = append(vs.Values, abs)
				}
			})
		}},
		{"set", func(path string, v *yaml.Node) {
			if !p.isMapping(path, v) {
				return
			}
			for i := 0; i+1 < len(v.Content); i += 2 {
				k, val := v.Content[i], v.Content[i+1]
				if k.Kind != yaml.ScalarNode || k.Value == "" || k.Value == "<<" {
					p.errorf(k, "%s: keys are value paths such as image.tag, not %s", label(path), lint.DescribeValue(k))
					continue
				}
				var value any
				if err := val.Decode(&value); err != nil {
					p.errorf(val, "%s: %v", join(path, k.Value), err)
					continue
				}
				vs.Set = append(vs.Set, SetValue{Key: k.Value, Value: value})
			}
		}},
	})
	if n.Kind == yaml.MappingNode && vs.Name == "" && !hasKey(n, "name") {
		p.errorf(n, "%s: name is required (it names the value set in findings)", label(path))
	}
	return vs, len(p.problems) == before
}

var kubeVersionRE = regexp.MustCompile(`^v?[0-9]+\.[0-9]+(\.[0-9]+)?$`)

func (p *parser) kubeVersion(path string, n *yaml.Node) {
	if n.Kind == yaml.ScalarNode && (n.ShortTag() == "!!float" || n.ShortTag() == "!!int") {
		p.errorf(n, "%s: want a string such as \"1.31\", not the number %s: quote it (YAML reads 1.30 as 1.3)", path, n.Value)
		return
	}
	s, ok := p.str(path, n)
	if !ok {
		return
	}
	if !kubeVersionRE.MatchString(s) {
		p.errorf(n, "%s: %q is not a Kubernetes version such as \"1.31\"", path, s)
		return
	}
	p.cfg.KubeVersion = s
}

// What a path in the config must be.
type pathKind int

const (
	wantFile     pathKind = iota // an existing file
	wantChart                    // a folder with Chart.yaml
	mayBeMissing                 // a file that may not exist yet (the baseline)
)

// path reads a path relative to the lint root and returns it absolute, or "" after reporting why
// it cannot be used.
func (p *parser) path(path string, n *yaml.Node, kind pathKind) string {
	s, ok := p.str(path, n)
	if !ok {
		return ""
	}
	rel := filepath.FromSlash(s)
	root := p.opts.Root.Dir()
	if filepath.IsAbs(rel) || strings.HasPrefix(s, "/") {
		p.errorf(n, "%s: %s is absolute; write it relative to the lint root (the folder holding the config file)", path, s)
		return ""
	}
	abs := filepath.Join(root, rel)
	if !fsroot.Within(abs, root) {
		p.errorf(n, "%s: %s leads outside the lint root; ekslint reads nothing outside it: keep the file in the repository", path, s)
		return ""
	}
	st, err := p.opts.Root.Stat(abs)
	switch {
	case err != nil && kind == mayBeMissing && errors.Is(err, fs.ErrNotExist):
		return abs
	case err != nil && fsroot.Refused(err):
		p.errorf(n, "%s: %s %s", path, s, fsroot.Reason(err))
		return ""
	case err != nil:
		p.errorf(n, "%s: %s: %s", path, s, fsroot.Reason(err))
		return ""
	}
	switch {
	case kind == wantChart && !st.IsDir():
		p.errorf(n, "%s: %s is a file; want the chart folder (the one holding Chart.yaml)", path, s)
		return ""
	case kind == wantChart:
		if !p.opts.Root.IsFile(filepath.Join(abs, "Chart.yaml")) {
			p.errorf(n, "%s: %s has no Chart.yaml; want a chart folder", path, s)
			return ""
		}
	case st.IsDir():
		p.errorf(n, "%s: %s is a folder; want a file", path, s)
		return ""
	}
	return abs
}

func resolve(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

func hasKey(m *yaml.Node, key string) bool {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return true
		}
	}
	return false
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// label names a path in a message; the top level has none.
func label(path string) string {
	if path == "" {
		return "the config"
	}
	return path
}
