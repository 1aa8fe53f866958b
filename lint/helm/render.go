package helm

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/common/util"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	"helm.sh/helm/v4/pkg/engine"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/fsroot"
	"github.com/ekslint/ekslint/lint/load"
)

// problem reports p, a note only once per chart: value sets share the templates and schemas
// notes are about.
func (ci *chartInput) problem(p lint.Problem) {
	if p.Level == lint.Note {
		key := p.String()
		if ci.noted[key] {
			return
		}
		if ci.noted == nil {
			ci.noted = map[string]bool{}
		}
		ci.noted[key] = true
	}
	ci.sink.Problem(p)
}

// rendering is one chart rendered with one value set.
type rendering struct {
	ci    *chartInput
	set   ValueSet
	user  *userValues
	chart *chart.Chart
	top   common.Values
	// templates are the chart's templates (subcharts' included) by the name Helm renders them
	// under, such as web/charts/db/templates/sts.yaml.
	templates map[string]*tmpl
	origins   map[*common.File]*file
	// helpers are the definitions Helm uses of the helpers, by name, found on first use.
	helpers func() map[string]helperDef
	// schemaChecks counts the subschemas the values of every chart copy may be checked against
	// (see maxSchemaChecks).
	schemaChecks float64
}

// tmpl is one template of a rendering.
type tmpl struct {
	helm  *common.File // the file Helm renders; its Data is swapped for the marked text
	file  *file
	chain []link // the charts from the root to the template's own, for values lookups
}

// link is a chart in a chain: its source and the name its parent's values know it by (an alias).
type link struct {
	src  *source
	name string
}

// render renders the chart with one value set and hands over its documents, or the problems
// that stop it.
func (ci *chartInput) render(ctx context.Context, vs ValueSet) {
	r, problems := ci.prepare(vs)
	failed := false
	for _, p := range problems {
		ci.problem(p)
		failed = failed || p.Level == lint.Error
	}
	if failed {
		return
	}
	// While Helm renders, another core reads the values files related locations point into.
	background(r.warmValues)
	if ci.rewritten != nil {
		<-ci.rewritten
	}
	out, g, err := r.run(ctx, r.marked)
	if err != nil {
		ci.sink.Problem(problem(r.renderError(err), ci.in, vs.Name))
		return
	}
	if g.lookups > 0 {
		ci.problem(r.lookupNote())
	}
	r.documents(ctx, out, g)
	r.crds()
}

// background runs f in a goroutine. A panic in f, which would end the process there, is dropped:
// what f computes is only prepared ahead of the loading goroutine, which does it again and
// reports any panic as an internal error.
func background(f func()) {
	go func() {
		defer func() { _ = recover() }()
		f()
	}()
}

// warmValues cuts the values files findings are most often related to into their entries: the
// user's and the chart's own.
func (r *rendering) warmValues() {
	for _, f := range r.user.files {
		f.index()
	}
	if r.ci.src.values != nil {
		r.ci.src.values.index()
	}
}

// prepare does what `helm template` does before rendering: builds the chart, reads the values,
// processes dependencies, checks kubeVersion and the values schemas.
func (ci *chartInput) prepare(vs ValueSet) (*rendering, []lint.Problem) {
	fail := func(err error) []lint.Problem { return []lint.Problem{problem(err, ci.in, vs.Name)} }
	origins := map[*common.File]*file{}
	sources := map[*common.File]*source{}
	c, err := ci.src.build(origins, sources)
	if err != nil {
		return nil, fail(err)
	}
	if c.Metadata.APIVersion != chart.APIVersionV1 && c.Metadata.APIVersion != chart.APIVersionV2 {
		at := chartYAMLPos(ci.src.chartYAML, nil)
		if ci.src.chartYAML != nil {
			at, _ = fieldPos(ci.src.chartYAML, "apiVersion")
		}
		return nil, fail(&errChart{at, fmt.Sprintf(
			"chart apiVersion %q is not supported; Helm 4.3 renders v1 and v2 charts", c.Metadata.APIVersion)})
	}
	user, err := ci.readValues(vs)
	if err != nil {
		return nil, fail(err)
	}
	if err := ci.checkCopies(c, user); err != nil {
		return nil, fail(err)
	}
	named := dependencyNames(c, map[*chart.Dependency]string{})
	if err := chartutil.ProcessDependencies(c, user.vals); err != nil {
		// Dependencies are processed on the merged values, so a subchart's values that are not a
		// map fail here first, with the same error as in merging below.
		return nil, fail(&errChart{ci.mergePos(err), "cannot process dependencies: " + mergeMessage(err)})
	}
	if errs := missingDependencies(c, named, sources); len(errs) > 0 {
		var ps []lint.Problem
		for _, err := range errs {
			ps = append(ps, fail(err)...)
		}
		return nil, ps
	}
	caps := ci.loader.caps
	if kv := c.Metadata.KubeVersion; kv != "" && !chartutil.IsCompatibleRange(kv, caps.KubeVersion.String()) {
		at := chartYAMLPos(ci.src.chartYAML, nil)
		if ci.src.chartYAML != nil {
			at, _ = fieldPos(ci.src.chartYAML, "kubeVersion")
		}
		return nil, fail(&errChart{at, fmt.Sprintf("chart requires kubeVersion %s, which Kubernetes %s does not meet; set --kube-version to the version you deploy to",
			kv, strings.TrimPrefix(caps.KubeVersion.Version, "v"))})
	}
	opts := common.ReleaseOptions{Name: ci.loader.opts.ReleaseName, Namespace: ci.loader.opts.Namespace, Revision: 1, IsInstall: true}
	// Helm's schema validation would load the schema's $refs from the network and the disk;
	// validateSchemas below checks the schema without them.
	top, err := util.ToRenderValuesWithSchemaValidation(c, user.vals, opts, caps, true)
	if err != nil {
		return nil, fail(&errChart{ci.mergePos(err), "cannot merge values: " + mergeMessage(err)})
	}
	r := &rendering{ci: ci, set: vs, user: user, chart: c, top: top, templates: map[string]*tmpl{}, origins: origins}
	r.helpers = sync.OnceValue(r.resolveHelpers)
	r.collect(c, nil, origins, sources)
	problems := r.validateSchemas(c, top["Values"].(common.Values), nil, sources)
	for i := range problems {
		if vs.Name != "" && problems[i].Level == lint.Error {
			problems[i].Message += fmt.Sprintf(" (value set %q)", vs.Name)
		}
	}
	return r, problems
}

// collect records every template of c and its subcharts under the name Helm renders it by.
func (r *rendering) collect(c *chart.Chart, chain []link, origins map[*common.File]*file, sources map[*common.File]*source) {
	if len(c.Raw) > 0 {
		chain = append(slices.Clip(chain), link{src: sources[c.Raw[0]], name: c.Name()})
	}
	for _, t := range c.Templates {
		if f := origins[t]; f != nil {
			r.templates[path.Join(c.ChartFullPath(), t.Name)] = &tmpl{helm: t, file: f, chain: chain}
		}
	}
	for _, d := range c.Dependencies() {
		r.collect(d, chain, origins, sources)
	}
}

// dependencyNames records the chart name of each dependency of c and its subcharts, as written:
// ProcessDependencies renames an aliased one to its alias.
func dependencyNames(c *chart.Chart, names map[*chart.Dependency]string) map[*chart.Dependency]string {
	for _, req := range c.Metadata.Dependencies {
		if req != nil {
			names[req] = req.Name
		}
	}
	for _, d := range c.Dependencies() {
		dependencyNames(d, names)
	}
	return names
}

// missingDependencies names the dependencies that are enabled but not vendored in charts/. As in
// Helm's check, a subchart of the dependency's name is its own, whatever its version: when the
// version does not match, Helm renders it under its own name rather than the alias.
func missingDependencies(c *chart.Chart, named map[*chart.Dependency]string, sources map[*common.File]*source) []error {
	var errs []error
	for _, req := range c.Metadata.Dependencies {
		if slices.ContainsFunc(c.Dependencies(), func(d *chart.Chart) bool { return d.Name() == req.Name || d.Name() == named[req] }) {
			continue
		}
		what := fmt.Sprintf("%q", req.Name)
		if req.Version != "" {
			what += " " + req.Version
		}
		if req.Repository != "" {
			what += " from " + req.Repository
		}
		at := lint.Pos{}
		how := "run `helm dependency build` to vendor it (ekslint never downloads charts)"
		if rel, local := strings.CutPrefix(req.Repository, "file://"); local {
			how = fmt.Sprintf("%s holds no chart inside the lint root (with --root, name a folder that holds both charts)", rel)
		}
		if src := sources[c.Raw[0]]; src != nil {
			at = dependencyPos(src, req)
			how = cmp.Or(src.unread[req.Name], how)
		}
		errs = append(errs, &errChart{at, fmt.Sprintf("dependency %s is enabled but not in charts/; %s", what, how)})
	}
	for _, d := range c.Dependencies() {
		errs = append(errs, missingDependencies(d, named, sources)...)
	}
	return errs
}

// run renders the chart with Helm's engine, each template's text as source picks it: marked
// (for mapping) or as written (plain).
func (r *rendering) run(ctx context.Context, source func(*tmpl) []byte) (map[string]string, *guard, error) {
	l := r.ci.loader
	g := newGuard(ctx, l.opts.Timeout, l.token, r.ci.sink.Limits().MaxFileSize)
	for _, t := range r.templates {
		t.helm.Data = source(t)
	}
	g.helpers = r.helpers()
	g.templates = len(r.templates) + len(g.helpers)
	defer g.release()
	e := engine.Engine{CustomTemplateFuncs: g.funcs(l.now)}
	out, err := e.RenderWithContext(ctx, r.chart, r.top)
	return out, g, err
}

// marked gives a template with its guards and markers; plain gives it as written.
func (r *rendering) marked(t *tmpl) []byte {
	if m := r.ci.marking(t.file, isManifest(t.helm.Name)); m != nil {
		return m.data
	}
	return t.file.text.Data
}

func plain(t *tmpl) []byte { return t.file.text.Data }

// isManifest reports whether a template's output is manifests: not a partial (_helpers.tpl), not
// NOTES.txt, whose output Helm drops.
func isManifest(name string) bool {
	return !strings.HasPrefix(path.Base(name), "_") && !strings.HasSuffix(name, "NOTES.txt")
}

// marking returns f rewritten: guards and line markers in define bodies everywhere and, in
// manifests, line markers in the top-level text. It is made once per input and shared by its
// value sets.
func (ci *chartInput) marking(f *file, manifest bool) *marking {
	if !f.rewritten {
		f.mark = rewrite(f.text.Data, rewriteOptions{mark: manifest, markHelpers: true, file: f.id, token: ci.loader.token, values: true, files: true})
		f.rewritten = true
	}
	return f.mark
}

// documents splits each rendered manifest into documents and hands them over.
func (r *rendering) documents(ctx context.Context, out map[string]string, g *guard) {
	l := r.ci.loader
	texts, err := r.texts(ctx, out, g)
	if err != nil {
		r.ci.sink.Problem(problem(r.renderError(err), r.ci.in, r.set.Name))
		return
	}
	lim := r.ci.sink.Limits()
	var names []string
	fileMaps := make(map[string]*fileMap, len(texts))
	for _, name := range slices.Sorted(maps.Keys(texts)) {
		m := r.fileMap(r.templates[name], texts[name])
		if size := int64(len(m.text.Data)); size > lim.MaxFileSize {
			r.ci.sink.Problem(problem(&errChart{lint.Pos{File: m.text.Name, Line: m.first}, fmt.Sprintf(
				"rendered output is %s, over the %s limit; not linted (raise it with --max-file-size)",
				fsroot.FormatSize(size), fsroot.FormatSize(lim.MaxFileSize))}, r.ci.in, r.set.Name))
			continue
		}
		names = append(names, name)
		fileMaps[name] = m
	}
	podsLeftOut := r.leavesOutPods(texts)
	for _, name := range names {
		m := fileMaps[name]
		for _, doc := range manifests(m) {
			place := func(p lint.Pos) lint.Pos { p, _ = doc.Locate(lint.Node{}, p); return p }
			var problems []lint.Problem
			if p := load.CheckText(doc.text); p != nil {
				// A byte the parser refuses without naming a line (a NUL a template wrote).
				p.Pos = place(p.Pos)
				problems = []lint.Problem{*p}
			} else {
				problems = load.ParseYAMLPlaced(doc.text, lim, place, func(root *yaml.Node, unlinted bool) {
					r.ci.sink.Document(&lint.Document{Text: doc.text, Root: root, Locator: doc,
						Namespace: l.opts.Namespace, Variant: r.set.Name, PodsLeftOut: podsLeftOut, Unlinted: unlinted})
				})
			}
			for _, p := range problems {
				p.Message = "rendered output: " + p.Message
				if r.set.Name != "" {
					p.Message += fmt.Sprintf(" (value set %q)", r.set.Name)
				}
				r.ci.sink.Problem(p)
			}
		}
	}
}

// manifest is one document of a rendered file, as Helm splits it. It is the lint.Locator of its
// nodes: its text numbers lines as the file does, but its first line starts after the `---` it
// may share with the separator, so columns there are shifted to the file's.
type manifest struct {
	m     *fileMap
	text  *lint.Text
	shift int // characters of the first line before the document
}

func (d manifest) Locate(n lint.Node, r lint.Pos) (lint.Pos, []lint.Location) {
	first := d.text.Offset + 1
	if r.Line == first {
		r.Column += d.shift
	}
	if r.EndLine == first {
		r.EndColumn += d.shift
	}
	return d.m.Locate(n, r)
}

// manifests splits a rendered file into documents as Helm does (releaseutil.SplitManifests, which
// `helm template` and `helm install` use): at every line that starts with ---, whatever follows
// on it. A trimmed `{{- if -}}` after a separator renders `---# comment` or `---apiVersion: v1`,
// which starts a document for Helm but none for a YAML parser.
func manifests(m *fileMap) []manifest {
	text := m.text
	var out []manifest
	for _, d := range splitManifests(text.Data) {
		out = append(out, manifest{m: m, shift: text.ColumnAt(d[0]) - 1,
			text: &lint.Text{Name: text.Name, Data: text.Data[d[0]:d[1]], Offset: text.LineAt(d[0]) - 1}})
	}
	return out
}

// splitManifests returns where each document of a rendered file starts and ends, as
// releaseutil.SplitManifests splits it: at each `---` that starts a line, with the spaces and tabs
// after it; documents of white space alone dropped, and the others without their leading white
// space. Helm's function matches a regular expression and returns a map of copies, the slower part
// of reading a chart's output; TestSplitManifestsAsHelm holds this one to it.
func splitManifests(data []byte) [][2]int {
	// skipSpace returns where the first character that is not white space is, from start on.
	skipSpace := func(start, end int) int {
		for start < end {
			r, size := utf8.DecodeRune(data[start:end])
			if !unicode.IsSpace(r) {
				break
			}
			start += size
		}
		return start
	}
	var docs [][2]int
	add := func(start, end int) {
		if start = skipSpace(start, end); start < end {
			docs = append(docs, [2]int{start, end})
		}
	}
	// Helm drops the white space before the first document first: a `---` after it starts a line.
	start := skipSpace(0, len(data))
	for line := start; line < len(data); {
		if bytes.HasPrefix(data[line:], []byte("---")) {
			add(start, line)
			start = line + 3
			for start < len(data) && (data[start] == ' ' || data[start] == '\t') {
				start++
			}
		}
		next := bytes.IndexByte(data[line:], '\n')
		if next < 0 {
			break
		}
		line += next + 1
	}
	add(start, len(data))
	return docs
}

// texts strips the markers from each rendered manifest that is not empty. A file whose stripped
// text may differ from a plain render (every file, when the rendering as a whole may) is taken
// from a plain render instead: the lines both renders agree on keep their mapping, the others
// take the best enclosing line.
func (r *rendering) texts(ctx context.Context, out map[string]string, g *guard) (map[string]stripped, error) {
	texts := map[string]stripped{}
	var unmarked map[string]string
	for name, text := range out {
		if !isManifest(name) || strings.TrimSpace(text) == "" {
			continue
		}
		st := strip(text, r.ci.loader.token)
		if st.suspect || g.suspect {
			if unmarked == nil {
				// Templates may change the values as they render (`unset`), so the plain
				// render starts again from the values as read.
				fresh, _ := r.ci.prepare(r.set)
				var err error
				if unmarked, _, err = fresh.run(ctx, plain); err != nil {
					return nil, err
				}
			}
			r.ci.loader.stats.Plain.Add(1)
			st = keepSameLines(st, unmarked[name])
		}
		texts[name] = st
	}
	return texts, nil
}

// leavesOutPods reports whether a template that writes a pod spec of its own (a `containers:`
// line) rendered none with these values: a Deployment behind a value that is empty by default,
// as Bitnami's Ghost renders its Deployment only once a host name is set, while its Service
// renders anyway.
func (r *rendering) leavesOutPods(texts map[string]stripped) bool {
	for name, t := range r.templates {
		if isManifest(name) && writesPodSpec(t.file.text.Data) && !writesPodSpec(texts[name].text) {
			return true
		}
	}
	return false
}

// writesPodSpec reports whether text has a line that opens a pod spec's containers
// (`containers:` after nothing but indentation or a list dash; not initContainers).
func writesPodSpec(text []byte) bool {
	const key = "containers:"
	for at := 0; ; {
		i := bytes.Index(text[at:], []byte(key))
		if i < 0 {
			return false
		}
		i += at
		lineStart := bytes.LastIndexByte(text[:i], '\n') + 1
		if len(bytes.Trim(text[lineStart:i], " \t-")) == 0 {
			return true
		}
		at = i + len(key)
	}
}

// Helm copies a subchart, values and all, for every alias a chart gives it, and merges the
// values of every copy down the tree, with no bound: three levels of subcharts each aliasing the
// next 40 times (an 80 KB chart) make 64,000 copies, and took 4.3 GB before the process died.
// maxCopies bounds the charts a chart makes once aliases are copies, and the values they hold are
// bounded as a render's output is (four times --max-file-size).
const maxCopies = 1000

// checkActions refuses a chart whose templates have more actions than a rendering may parse:
// each is a tree of nodes once parsed (and rewritten, a marker more), as tpl text is charged, and
// a 50 MB template of ten million `{{0}}` took 4.4 GB before the process died.
func (ci *chartInput) checkActions() error {
	var total, actions, mostN int64
	var most *file
	for _, f := range ci.files {
		if !strings.Contains(f.name, "templates/") {
			continue
		}
		n := int64(bytes.Count(f.text.Data, []byte("{{")))
		actions += n
		total = sat(total + int64(len(f.text.Data)) + product(n, parsedAction))
		if most == nil || n > mostN {
			most, mostN = f, n
		}
	}
	if budget := product(ci.sink.Limits().MaxFileSize, budgetFactor); total > budget {
		return &errChart{lint.Pos{File: most.text.Name}, fmt.Sprintf("the chart's templates hold %d actions (%d here), more than a rendering may parse "+
			"within %s (%d times --max-file-size); not rendered", actions, mostN, fsroot.FormatSize(budget), budgetFactor)}
	}
	return nil
}

// valueSize is about the bytes a value read from YAML holds, as guard.size counts them, up to
// more than any rendering could take.
func valueSize(v any) int64 {
	w := sizer{limit: 1 << 40}
	w.add(v, 0)
	return w.n
}

// checkCopies refuses a chart whose aliased dependencies would make more than maxCopies charts,
// or more values than a rendering may make, before Helm makes them.
func (ci *chartInput) checkCopies(c *chart.Chart, user *userValues) error {
	type made struct{ charts, bytes float64 }
	memo := map[*chart.Chart]made{}
	var count func(c *chart.Chart) made
	count = func(c *chart.Chart) made {
		if m, ok := memo[c]; ok {
			return m
		}
		m := made{charts: 1}
		for _, f := range c.Raw {
			if f.Name == chartutil.ValuesfileName {
				m.bytes = float64(len(f.Data))
			}
		}
		listed := map[*chart.Chart]bool{}
		for _, d := range c.Metadata.Dependencies {
			if sub := subchartNamed(c, d.Name); sub != nil {
				listed[sub] = true
				n := count(sub)
				// Each import-values entry copies values of the subchart into the chart.
				m.charts, m.bytes = m.charts+n.charts, m.bytes+n.bytes*float64(1+len(d.ImportValues))
			}
		}
		for _, sub := range c.Dependencies() {
			if !listed[sub] {
				n := count(sub)
				m.charts, m.bytes = m.charts+n.charts, m.bytes+n.bytes
			}
		}
		memo[c] = m
		return m
	}
	m := count(c)
	// Every chart gets a copy of the globals, the chart's and the user's.
	m.bytes += m.charts * float64(valueSize(c.Values["global"])+valueSize(user.vals["global"]))
	limit := float64(4 * ci.sink.Limits().MaxFileSize)
	if m.charts <= maxCopies && m.bytes <= limit {
		return nil
	}
	at := chartYAMLPos(ci.src.chartYAML, nil)
	if ci.src.chartYAML != nil {
		at, _ = fieldPos(ci.src.chartYAML, "dependencies")
	}
	return &errChart{at, fmt.Sprintf("the chart's dependencies, each alias a copy of its subchart (and each import-values entry and "+
		"each chart's globals a copy of values), make %.0f charts with %s of values, "+
		"more than the %d charts and %s Helm may copy here; not rendered", m.charts, fsroot.FormatSize(int64(min(m.bytes, 1<<62))), maxCopies, fsroot.FormatSize(int64(limit)))}
}

// subchartNamed is the subchart of c that a dependency of that name uses.
func subchartNamed(c *chart.Chart, name string) *chart.Chart {
	for _, sub := range c.Dependencies() {
		if sub.Name() == name {
			return sub
		}
	}
	return nil
}

// keepSameLines takes the text of a file from the plain render, keeping the mapping of the
// marked render for the lines both renders agree on (when they have as many lines): a marker
// altered on one line leaves the others exact.
func keepSameLines(marked stripped, plain string) stripped {
	out := stripped{text: []byte(plain), lines: make([]lineOrigin, strings.Count(plain, "\n")+1)}
	markedLines := strings.Split(string(marked.text), "\n")
	if len(markedLines) != len(out.lines) {
		return out
	}
	if marked.helpers != nil {
		out.helpers = make([]lineOrigin, len(out.lines))
		out.instance = make([]int32, len(out.lines))
		out.parent, out.includedAt = marked.parent, marked.includedAt
	}
	for i, line := range strings.Split(plain, "\n") {
		if markedLines[i] == line {
			out.lines[i] = marked.lines[i]
			if marked.helpers != nil {
				out.helpers[i], out.instance[i] = marked.helpers[i], marked.instance[i]
			}
		}
	}
	return out
}

// crds hands over the documents of the chart's crds/ files, which Helm installs as they are
// written, unrendered. Their problems are reported once, whatever the value sets.
func (r *rendering) crds() {
	parsed := r.ci.crdDocs()
	for _, crd := range r.chart.CRDObjects() {
		f := r.origins[crd.File]
		p, ok := parsed[f]
		if !ok {
			continue
		}
		for _, root := range p.roots {
			r.ci.sink.Document(&lint.Document{Text: f.text, Root: root, Namespace: r.ci.loader.opts.Namespace, Variant: r.set.Name})
		}
		if !r.ci.crdsReported[f] {
			for _, pr := range p.problems {
				r.ci.sink.Problem(pr)
			}
			r.ci.crdsReported[f] = true
		}
	}
}

// crdFile is a parsed crds/ file.
type crdFile struct {
	roots    []*yaml.Node
	problems []lint.Problem
}

// parseCRDs parses every crds/ file of the chart and its subcharts; they do not depend on the
// values, so this starts before the chart is prepared and runs beside the rendering.
func (ci *chartInput) parseCRDs() map[*file]crdFile {
	parsed := map[*file]crdFile{}
	for _, f := range ci.files {
		if !strings.HasPrefix(f.name, "crds/") || !slices.Contains([]string{".yaml", ".yml", ".json"}, path.Ext(f.name)) {
			continue
		}
		var c crdFile
		c.problems = load.ParseYAML(f.text, ci.sink.Limits(), func(root *yaml.Node) { c.roots = append(c.roots, root) })
		parsed[f] = c
	}
	return parsed
}

// lookupNote says that lookup returned nothing, at the first template line that calls it.
func (r *rendering) lookupNote() lint.Problem {
	at := lint.Pos{File: r.ci.in.Path}
	names := make([]string, 0, len(r.templates))
	for name := range r.templates {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		t := r.templates[name].file.text
		if line, col := findCall(t.Data, "lookup"); line > 0 {
			at = lint.Pos{File: t.Name, Line: line, Column: col}
			break
		}
	}
	return lint.Problem{Pos: at, Level: lint.Note, Message: "the templates call lookup, which returns an empty result here as in `helm template`: ekslint renders offline, without a cluster"}
}

// findCall returns the line and column of the first call of function name in an action of src.
func findCall(src []byte, name string) (int, int) {
	ps, err := scan(src)
	if err != nil {
		return 0, 0
	}
	for _, p := range ps {
		if p.kind == text || p.kind == comment {
			continue
		}
		body := src[p.bodyStart:p.bodyEnd]
		for i := 0; i+len(name) <= len(body); i++ {
			if string(body[i:i+len(name)]) == name && (i == 0 || !isIdentChar(body[i-1]) && body[i-1] != '.' && body[i-1] != '$') &&
				(i+len(name) == len(body) || !isIdentChar(body[i+len(name)])) {
				off := p.bodyStart + i
				t := lint.NewText("", src)
				return t.LineAt(off), t.ColumnAt(off)
			}
		}
	}
	return 0, 0
}

// typeMismatch is Helm's coalescing error for a subchart's values given as something other than
// a map, which Helm formats with a boolean's verb: "type mismatch on grafana: %!t(string=off)",
// "type mismatch on grafana: false".
var typeMismatch = regexp.MustCompile(`^type mismatch on (.+): (?:%!t\((\w+)=(.*)\)|(true|false))$`)

// mergePos is where a value merging error is fixed: the key it names in the chart's values.yaml,
// else Chart.yaml.
func (ci *chartInput) mergePos(err error) lint.Pos {
	if m := typeMismatch.FindStringSubmatch(err.Error()); m != nil && ci.src.values != nil {
		if n, ok := ci.src.values.find([]string{m[1]}); ok {
			return lint.Pos{File: ci.src.values.text.Name, Line: n.Line, Column: n.Column, EndLine: n.Line, EndColumn: n.Column + len(m[1])}
		}
	}
	return chartYAMLPos(ci.src.chartYAML, nil)
}

// mergeMessage says what Helm's value merging refused, in words.
func mergeMessage(err error) string {
	m := typeMismatch.FindStringSubmatch(err.Error())
	switch {
	case m == nil:
		return err.Error()
	case m[4] != "":
		return fmt.Sprintf("the values of %s must be a mapping (the subchart's or a nested table's values), not the boolean %s", m[1], m[4])
	}
	return fmt.Sprintf("the values of %s must be a mapping (the subchart's or a nested table's values), not the %s %q", m[1], m[2], m[3])
}
