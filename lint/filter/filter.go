// Package filter is the step between the engine and the reports: which rules run and at which
// level, paths left out, inline suppressions, unused-ignore, and the baseline.
package filter

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/load"
)

// UnusedIgnore is the filter's own rule: an inline ignore that suppresses nothing. It has no
// check; Filter reports it. It is listed and configured like any other rule.
var UnusedIgnore = &lint.Rule{
	ID:        "unused-ignore",
	Level:     lint.Note,
	DefaultOn: true,
	Title:     "An ekslint.io/ignore annotation or # ekslint:ignore comment suppresses nothing",
	Tags:      []lint.Tag{lint.TagMaintainability},
	Rationale: "An ignore that matches no finding hides nothing today and will hide tomorrow's finding that nobody " +
		"reviewed: the object was fixed, the finding moved to another line, or the rule id is misspelt. " +
		"Removing stale ignores keeps every suppression deliberate. Only rules that ran are checked: an " +
		"ignore for a rule that is off is left alone.",
	Fix: "Remove the rule id from the annotation or comment (or the whole annotation or comment), or correct " +
		"a misspelt rule id.",
	Example: lint.Example{
		Bad: `apiVersion: v1
kind: Pod
metadata:
  name: web
  annotations:
    ekslint.io/ignore: k8s-host-network
spec:
  containers:
    - name: web
      image: nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31
`,
		Good: `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31
`,
	},
	Equivalents: []string{"golangci-lint nolintlint (allow-unused: false)", "staticcheck \"this linter directive didn't match anything\"",
		"eslint --report-unused-disable-directives"},
}

// Options say what the filter step does to a run's findings.
type Options struct {
	// Rules are the rules the run used, as Select returned them; UnusedIgnore among them turns on
	// reports of ignores that suppress nothing.
	Rules []*lint.Rule
	// Known are every rule ekslint has, on or off: an ignore naming a rule that is off is not stale.
	Known []*lint.Rule
	// Root is the lint root and WorkDir the folder display paths are relative to: IgnorePath and
	// the baseline see paths relative to the root, so they work from any folder.
	Root, WorkDir string
	// IgnorePath reports whether findings and problems in a file (slash-separated, relative to
	// Root) are left out; nil leaves nothing out.
	IgnorePath func(rel string) bool
	// Baseline, when set, marks each finding "unchanged" or "new".
	Baseline *Baseline
}

// Filter is the step between the engine and the reports: it drops findings and problems under
// ignored paths, marks findings covered by an inline ignore as suppressed, reports ignores that
// suppress nothing (unused-ignore), and compares the findings with the baseline. Suppressed and
// baselined findings stay in the result, marked, so that SARIF can show them as such; counts and
// exit codes leave them out.
func Filter(res *engine.Result, opts Options) {
	f := &filter{res: res, opts: opts, used: map[ignoreUse]bool{}}
	f.dropIgnoredPaths()
	f.suppress()
	f.reportUnused()
	if opts.Baseline != nil {
		opts.Baseline.compare(res, opts.Root, opts.WorkDir)
	}
}

type filter struct {
	res      *engine.Result
	opts     Options
	comments map[string]map[int]*lint.Ignore // by file and line
	used     map[ignoreUse]bool
}

// ignoreUse is one rule id of one ignore. Ignores are told apart by position: a Helm value set
// or a Kustomize overlay reads the same annotation once per variant.
type ignoreUse struct {
	at   lint.Pos
	rule string
}

// relativeTo turns a display path into a slash-separated path relative to root; ok is false for
// stdin and for files outside root. An empty root leaves display paths as they are.
func relativeTo(root, wd, display string) (rel string, ok bool) {
	if display == load.StdinName || root == "" {
		return display, display != load.StdinName
	}
	abs := filepath.FromSlash(display)
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(wd, abs)
	}
	r, err := filepath.Rel(root, abs)
	if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return "", false
	}
	return filepath.ToSlash(r), true
}

func (f *filter) ignored(display string) bool {
	if f.opts.IgnorePath == nil {
		return false
	}
	rel, ok := relativeTo(f.opts.Root, f.opts.WorkDir, display)
	return ok && f.opts.IgnorePath(rel)
}

func (f *filter) dropIgnoredPaths() {
	if f.opts.IgnorePath == nil {
		return
	}
	f.res.Findings = slices.DeleteFunc(f.res.Findings, func(x engine.Finding) bool { return f.ignored(x.Pos.File) })
	f.res.Problems = slices.DeleteFunc(f.res.Problems, func(p lint.Problem) bool { return f.ignored(p.Pos.File) })
	f.res.Ignores = slices.DeleteFunc(f.res.Ignores, func(ig *lint.Ignore) bool { return f.ignored(ig.Pos.File) })
}

// suppress marks the findings an ignore covers: a comment on the finding's line, a comment alone
// on the line above, or an annotation of the object the finding is about. The comment is read
// from the source the finding points into (a raw file, a Helm template, a Kustomize base or
// patch), so it works the same for every input.
func (f *filter) suppress() {
	f.comments = map[string]map[int]*lint.Ignore{}
	names := slices.DeleteFunc(f.res.Sources.Names(), f.ignored)
	for i, cs := range f.res.Sources.IgnoreComments(names) {
		if cs != nil {
			f.comments[names[i]] = cs
		}
	}
	for i := range f.res.Findings {
		x := &f.res.Findings[i]
		var covering []*lint.Ignore
		cs := f.comments[x.Pos.File]
		if c := cs[x.Pos.Line]; c != nil && !c.OwnLine {
			covering = append(covering, c)
		}
		if c := cs[x.Pos.Line-1]; c != nil && c.OwnLine {
			covering = append(covering, c)
		}
		if x.Object != nil {
			covering = append(covering, x.Object.Ignores...)
		}
		for _, ig := range covering {
			if !ig.Covers(x.Rule.ID) {
				continue
			}
			f.used[ignoreUse{ig.Pos, x.Rule.ID}] = true
			if x.Suppression == nil {
				x.Suppression = &engine.Suppression{Kind: ig.Kind, Justification: ig.Reason}
			}
		}
	}
}

// reportUnused reports, as unused-ignore findings, ignores that name a rule that ran and matched
// nothing, or name no rule at all. Comments in files that could not be linted in full are left
// alone: their findings are not all known.
func (f *filter) reportUnused() {
	var rule *lint.Rule
	for _, r := range f.opts.Rules {
		if r.ID == UnusedIgnore.ID {
			rule = r
		}
	}
	if rule == nil {
		return
	}
	ran, known := map[string]bool{}, map[string]bool{}
	for _, r := range f.opts.Rules {
		ran[r.ID] = true
	}
	var ids []string
	for _, r := range f.opts.Known {
		known[r.ID] = true
		ids = append(ids, r.ID)
	}
	incomplete := map[string]bool{}
	for _, p := range f.res.Problems {
		incomplete[p.Pos.File] = true
	}
	var ignores []*lint.Ignore
	for file, cs := range f.comments {
		if incomplete[file] {
			continue
		}
		for _, c := range cs {
			ignores = append(ignores, c)
		}
	}
	seen := map[lint.Pos]bool{}
	for _, ig := range f.res.Ignores {
		if !seen[ig.Pos] {
			seen[ig.Pos] = true
			ignores = append(ignores, ig)
		}
	}
	for _, ig := range ignores {
		msg := f.unusedMessage(ig, ran, known, ids)
		if msg == "" {
			continue
		}
		f.res.Findings = append(f.res.Findings, engine.Finding{Rule: rule, Level: rule.Level, Message: msg,
			Place: lint.Place{Pos: ig.Pos, Object: ig.Object, Path: ig.Path}})
	}
	f.res.Findings = engine.Dedupe(f.res.Findings)
}

// unusedMessage says what is wrong with an ignore, or "" when nothing is.
func (f *filter) unusedMessage(ig *lint.Ignore, ran, known map[string]bool, ids []string) string {
	what, where, example := "# "+lint.IgnoreComment, "on this line", "# "+lint.IgnoreComment+" rule-a,rule-b -- reason"
	if ig.OwnLine {
		where = "on the next line"
	}
	if ig.Kind == lint.ByAnnotation {
		what, where, example = lint.IgnoreAnnotation, "on this object", lint.IgnoreAnnotation+`: "rule-a,rule-b"`
	}
	if len(ig.Rules) == 0 {
		return fmt.Sprintf("%s names no rule; list the rule ids it is for (%s)", what, example)
	}
	var unused, problems []string
	for _, id := range ig.Rules {
		switch {
		case id == AllRules:
			problems = append(problems, fmt.Sprintf("%s takes rule ids, not %q: list the rules, or ignore the file's path in .ekslint.yaml", what, id))
		case !known[id]:
			msg := fmt.Sprintf("%s names %q, which is not a rule", what, id)
			if s := Suggest(id, ids); s != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", s)
			}
			problems = append(problems, msg)
		case ran[id] && !f.used[ignoreUse{ig.Pos, id}]:
			unused = append(unused, id)
		}
	}
	if len(unused) > 0 {
		remove := "remove it"
		if len(unused) < len(ig.Rules) {
			remove = "remove the id from the list"
			if len(unused) > 1 {
				remove = "remove the ids from the list"
			}
		}
		problems = append(problems, fmt.Sprintf("%s for %s suppresses no finding %s; %s",
			what, strings.Join(unused, ", "), where, remove))
	}
	return strings.Join(problems, "; ")
}
