package helm

import (
	"bytes"
	"cmp"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
	chart "helm.sh/helm/v4/pkg/chart/v2"

	"github.com/ekslint/ekslint/lint"
)

// fileMap is the lint.Locator of one rendered template: it maps rendered lines to template lines.
type fileMap struct {
	r       *rendering
	t       *tmpl
	text    *lint.Text   // the rendered output, markers stripped
	lines   []lineOrigin // by rendered line - 1, in top-level text
	helpers []lineOrigin // by rendered line - 1, in the helpers that wrote them; nil for none
	// instance, parent and includedAt are the includes that wrote the lines (see stripped).
	instance   []int32
	parent     []int32
	includedAt []lineOrigin
	first      int // the template's first line with output: where unmapped lines land
}

func (r *rendering) fileMap(t *tmpl, st stripped) *fileMap {
	m := &fileMap{r: r, t: t, text: lint.NewText(t.file.text.Name, st.text), lines: st.lines, helpers: st.helpers,
		instance: st.instance, parent: st.parent, includedAt: st.includedAt}
	if t.file.mark != nil {
		m.first = t.file.mark.first
	}
	if m.first == 0 {
		m.first = firstNonBlank(t.file.text)
	}
	stats := &r.ci.loader.stats
	var lines, exacts, actions, fallbacks, helpers int64
	for i, o := range st.lines {
		if len(bytes.TrimSpace(m.text.Line(i+1))) == 0 {
			continue
		}
		lines++
		switch o.how {
		case exact:
			exacts++
		case action:
			actions++
		default:
			fallbacks++
		}
		if _, _, ok := m.inHelper(i + 1); ok {
			helpers++
		}
	}
	stats.Lines.Add(lines)
	stats.Exact.Add(exacts)
	stats.Action.Add(actions)
	stats.Fallback.Add(fallbacks)
	stats.Helper.Add(helpers)
	return m
}

func firstNonBlank(t *lint.Text) int {
	for l := 1; l <= t.Lines(); l++ {
		if len(bytes.TrimSpace(t.Line(l))) > 0 {
			return l
		}
	}
	return 1
}

// origin is the template file and line rendered line n came from: the line of the helper that
// wrote it, else of top-level text.
func (m *fileMap) origin(n int) (*file, int, uint8) {
	if f, line, ok := m.inHelper(n); ok {
		return f, line, m.helpers[n-1].how
	}
	return m.topOrigin(n)
}

// topOrigin is the line of top-level text rendered line n came from: for a line a helper wrote,
// the line that includes the helper.
func (m *fileMap) topOrigin(n int) (*file, int, uint8) {
	if f, line, ok := m.lineOf(m.lines, n); ok {
		return f, line, m.lines[n-1].how
	}
	return m.t.file, m.first, unknown
}

// inHelper is the line of the helper that wrote rendered line n, when one did and it is the
// chart's own: a library chart's helper is not where its includer edits.
func (m *fileMap) inHelper(n int) (*file, int, bool) {
	if f, line, ok := m.lineOf(m.helpers, n); ok && m.helpers[n-1].how != fallback && !f.library {
		return f, line, true
	}
	return nil, 0, false
}

// lineOf is the template line origins give for rendered line n, if any.
func (m *fileMap) lineOf(origins []lineOrigin, n int) (*file, int, bool) {
	files := m.r.ci.files
	if n < 1 || n > len(origins) {
		return nil, 0, false
	}
	o := origins[n-1]
	if o.how == unknown || int(o.file) >= len(files) || o.line < 1 || int(o.line) > files[o.file].text.Lines() {
		return nil, 0, false
	}
	return files[o.file], int(o.line), true
}

// Locate maps a range in the rendered output to the template line that produced it. The column
// is on the field's key when the template line spells it out, else on the line's first character;
// the range ends with the line. A field whose value came from the values (`{{ .Values.x }}`,
// `toYaml .Values.x`) gets a related location at the key in the values file that set it.
func (m *fileMap) Locate(n lint.Node, r lint.Pos) (lint.Pos, []lint.Location) {
	related := append(m.related(n, r), m.helperRelated(r.Line)...)
	return m.pos(r), related[:min(len(related), maxRelated)]
}

func (m *fileMap) pos(r lint.Pos) lint.Pos {
	f, line, _ := m.origin(r.Line)
	src := f.text.Line(line)
	key, isKey := "", false
	if r.Column >= 1 {
		key, isKey = keyAt(m.text.Line(r.Line), r.Column)
	}
	col, end := columns(src, key, isKey)
	return lint.Pos{File: f.text.Name, Line: line, Column: col, EndLine: line, EndColumn: end}
}

// keyAt reads the mapping key (or scalar) starting at column col of a rendered line.
func keyAt(line []byte, col int) (string, bool) {
	s := line[lint.ByteOffset(line, col):]
	if len(s) == 0 {
		return "", false
	}
	if q := s[0]; q == '"' || q == '\'' {
		if i := bytes.IndexByte(s[1:], q); i >= 0 {
			tok, rest := s[:i+2], bytes.TrimLeft(s[i+2:], " ")
			return string(tok), len(rest) > 0 && rest[0] == ':'
		}
		return "", false
	}
	if i := bytes.Index(s, []byte(": ")); i > 0 {
		return string(s[:i]), true
	}
	if bytes.HasSuffix(s, []byte(":")) {
		return string(s[:len(s)-1]), true
	}
	end := bytes.IndexAny(s, " ,]}#")
	if end < 0 {
		end = len(s)
	}
	return string(s[:end]), false
}

// columns returns where a finding on template line src starts and ends: at the key when the line
// spells it out, else at its first non-space character, through the end of the line.
func columns(src []byte, key string, isKey bool) (col, end int) {
	content := bytes.TrimRight(src, " \t\r")
	end = utf8.RuneCount(content) + 1
	if i := findKey(content, key, isKey); i >= 0 {
		col = utf8.RuneCount(content[:i]) + 1
	} else {
		col = firstContent(content)
	}
	return col, max(end, col+1)
}

// findKey returns the byte offset of key in b where it reads as the same key (followed by a
// colon) or scalar (standing alone), or -1.
func findKey(b []byte, key string, isKey bool) int {
	if key == "" {
		return -1
	}
	for off := 0; ; {
		i := bytes.Index(b[off:], []byte(key))
		if i < 0 {
			return -1
		}
		i += off
		off = i + 1
		if i > 0 && strings.IndexByte(" \t{[,", b[i-1]) < 0 {
			continue
		}
		rest := b[i+len(key):]
		if isKey {
			if rest = bytes.TrimLeft(rest, " "); len(rest) > 0 && rest[0] == ':' {
				return i
			}
			continue
		}
		if len(rest) == 0 || strings.IndexByte(" ,]}#", rest[0]) >= 0 {
			return i
		}
	}
}

// maxRelated bounds the related locations of one field.
const maxRelated = 4

// maxRelatedLines bounds the rendered lines looked at for values a field came from: a field that
// spans more (a whole container) draws on too many values to name one.
const maxRelatedLines = 64

// related finds the values keys that set field n. Either the field is on one line whose template
// line reads value paths (`replicas: {{ .Values.replicaCount }}`), or its further lines are
// all written by one action that reads one value path (`{{- toYaml .Values.resources | nindent
// 12 }}`) and the first line reads that path or none (the literal `resources:` above it). In a
// helper, .Values is taken to be the values of the template that includes it, as when it is
// given the template's context (`include "x" .`).
func (m *fileMap) related(n lint.Node, r lint.Pos) []lint.Location {
	if r.EndLine-r.Line > maxRelatedLines {
		return nil
	}
	if r.EndLine <= r.Line {
		// A field on one line made of several values (`image: "{{ .Values.image.repository
		// }}:{{ .Values.image.tag }}"`) relates to each of them.
		if f, line, how := m.origin(r.Line); how != unknown && f.mark != nil && len(f.mark.values[line]) > 1 {
			var locs []lint.Location
			for _, p := range f.mark.values[line][:min(len(f.mark.values[line]), maxRelated)] {
				if loc := m.r.valuesKey(m.t.chain, strings.Split(p, ".")); loc != nil {
					locs = append(locs, *loc)
				}
			}
			return locs
		}
	}
	var read string
	var in, block *file
	blockLine, firstLine := 0, 0
	for l := r.Line; l <= max(r.EndLine, r.Line); l++ {
		f, line, how := m.origin(l)
		if how == unknown || f.mark == nil || in != nil && f != in {
			return nil
		}
		in = f
		paths := f.mark.values[line]
		if len(paths) > 1 || len(paths) == 1 && read != "" && paths[0] != read {
			return nil
		}
		if l == r.Line {
			firstLine = line
		} else {
			// The further lines are the action's output: on a line of its own, or on the
			// key's line (`resources: {{ toYaml .Values.resources | nindent 8 }}`).
			if len(paths) == 0 || block != nil && (f != block || line != blockLine) ||
				line != firstLine && !bytes.HasPrefix(bytes.TrimLeft(f.text.Line(line), " \t"), []byte("{{")) {
				return nil
			}
			block, blockLine = f, line
		}
		if len(paths) == 1 {
			read = paths[0]
		}
	}
	if read == "" {
		return nil
	}
	base := strings.Split(read, ".")
	// The field's path ends with its path inside the value when the template wrote the value
	// out whole (toYaml): find where, as the first step of the path that the value has.
	steps := n.Steps()
	var segs []string
	for _, step := range steps {
		segs = append(segs, step.String())
	}
	for i := range segs {
		inValue := slices.Clone(segs[i:])
		if steps[i].Key == "" {
			// The value is a list written into one that may hold items of the template's own
			// before it: the item's index in the value counts only the items the action wrote.
			k, ok := m.itemInAction(r.Line)
			if !ok {
				continue
			}
			inValue[0] = strconv.Itoa(k)
		}
		if m.r.valuesKey(m.t.chain, concat(base, inValue[:1])) == nil {
			continue
		}
		for j := len(inValue); j > 0; j-- {
			if loc := m.r.valuesKey(m.t.chain, concat(base, inValue[:j])); loc != nil {
				return []lint.Location{*loc}
			}
		}
	}
	if loc := m.r.valuesKey(m.t.chain, base); loc != nil {
		return []lint.Location{*loc}
	}
	return nil
}

// itemInAction is the index of the list item holding rendered line n among the items the same
// template line's action wrote: the items start at the least indented `- ` of the lines around n
// that came from that template line.
func (m *fileMap) itemInAction(n int) (int, bool) {
	f, line, how := m.origin(n)
	if how == unknown {
		return 0, false
	}
	same := func(l int) bool {
		g, gl, _ := m.origin(l)
		return g == f && gl == line
	}
	first, last := n, n
	for first > 1 && same(first-1) {
		first--
	}
	for last < m.text.Lines() && same(last+1) {
		last++
	}
	indent, items := -1, []int(nil)
	for l := first; l <= last; l++ {
		text := m.text.Line(l)
		content := bytes.TrimLeft(text, " ")
		if !bytes.HasPrefix(content, []byte("-")) || len(content) > 1 && !isSpace(content[1]) {
			continue
		}
		switch d := len(text) - len(content); {
		case indent < 0 || d < indent:
			indent, items = d, []int{l}
		case d == indent:
			items = append(items, l)
		}
	}
	k := -1
	for _, l := range items {
		if l <= n {
			k++
		}
	}
	return k, k >= 0
}

func concat(a, b []string) []string { return append(slices.Clip(a), b...) }

// helperRelated points at the helper that wrote rendered line n: at its define, and, when the
// line maps into the helper, at the line that includes it. A line no helper's marker names is
// related to the helper its template line includes, when it names one (`{{ include "x" . |
// toYaml }}`, `name: {{ include "x.fullname" . }}`).
func (m *fileMap) helperRelated(n int) []lint.Location {
	if f, line, ok := m.lineOf(m.helpers, n); ok {
		d := f.mark.defineAt(line)
		if d == nil {
			return nil
		}
		if f.library { // the finding is at the include: say which line of the helper wrote it
			return []lint.Location{{Pos: linePos(f, line), Message: fmt.Sprintf("written by the helper %q of a library chart", d.name)}}
		}
		locs := []lint.Location{helperLocation(f, d)}
		if _, _, moved := m.inHelper(n); moved {
			locs = append(locs, m.includeChain(n, d.name)...)
		}
		return locs
	}
	f, line, how := m.topOrigin(n)
	if how == unknown {
		return nil
	}
	name, ok := includedName(f.text.Line(line))
	if !ok {
		return nil
	}
	if d := m.r.helpers()[name]; d.file != nil {
		return []lint.Location{helperLocation(d.file, d.span)}
	}
	return nil
}

// includeChain points at the includes that led to rendered line n, written by the helper name:
// innermost first, from the line of the helper that includes it (a helper writing another) to
// the line of top-level text.
func (m *fileMap) includeChain(n int, name string) []lint.Location {
	var locs []lint.Location
	included := func(f *file, line int) {
		locs = append(locs, lint.Location{Pos: linePos(f, line), Message: fmt.Sprintf("the helper %q is included here", name)})
	}
	for in := m.instance[n-1]; m.parent[in] > 0; in = m.parent[in] {
		f, line, ok := m.lineOf([]lineOrigin{m.includedAt[in]}, 1)
		if !ok {
			return locs
		}
		included(f, line)
		d := f.mark.defineAt(line)
		if d == nil {
			return locs
		}
		name = d.name
	}
	if f, line, how := m.topOrigin(n); how != unknown {
		included(f, line)
	}
	return locs
}

func helperLocation(f *file, d *defineSpan) lint.Location {
	return lint.Location{Pos: linePos(f, d.line), Message: fmt.Sprintf("rendered by the helper %q defined here", d.name)}
}

// linePos is the range of template line n of f: its first character through its end.
func linePos(f *file, n int) lint.Pos {
	col, end := columns(f.text.Line(n), "", false)
	return lint.Pos{File: f.text.Name, Line: n, Column: col, EndLine: n, EndColumn: end}
}

// includeCall is an include of a helper named by a string literal.
var includeCall = regexp.MustCompile(`(?:^|[\s(|])include\s+("(?:[^"\\]|\\.)*"|` + "`[^`]*`)")

// includedName is the helper a template line includes, when it includes one, named literally.
func includedName(line []byte) (string, bool) {
	name := ""
	for _, m := range includeCall.FindAllSubmatch(line, -1) {
		n, err := strconv.Unquote(string(m[1]))
		if err != nil || name != "" && n != name {
			return "", false
		}
		name = n
	}
	return name, name != ""
}

// defineAt is the define or block whose body holds line.
func (m *marking) defineAt(line int) *defineSpan {
	for i := range m.defines {
		if d := &m.defines[i]; d.line <= line && line <= d.last {
			return d
		}
	}
	return nil
}

// helperDef is the definition of a helper Helm uses: the last one that is not empty in the order
// Helm parses the templates.
type helperDef struct {
	file *file
	span *defineSpan
}

// resolveHelpers finds the definition Helm uses of each helper. Helm parses the templates deepest
// first, in reverse order of name at each depth, and a later definition of a name that is not
// empty replaces the one before.
func (r *rendering) resolveHelpers() map[string]helperDef {
	names := slices.Collect(maps.Keys(r.templates))
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(strings.Count(b, "/"), strings.Count(a, "/")), strings.Compare(b, a))
	})
	defs := map[string]helperDef{}
	for _, name := range names {
		f := r.templates[name].file
		if f.mark == nil {
			continue
		}
		for i := range f.mark.defines {
			d := &f.mark.defines[i]
			if _, seen := defs[d.name]; !d.nameDynamic && (!d.empty || !seen) {
				defs[d.name] = helperDef{f, d}
			}
		}
	}
	return defs
}

// valuesKey finds the key that sets path in the values of the chart at the end of chain, in
// Helm's order of precedence: the user's files (last first), then each chart's values.yaml from
// the root down. A path set with --set has no file to point at.
func (r *rendering) valuesKey(chain []link, path []string) *lint.Location {
	var sub []string
	for _, l := range chain[min(1, len(chain)):] {
		sub = append(sub, l.name)
	}
	full := concat(sub, path)
	if findMap(r.user.set, full) {
		return nil
	}
	for i := len(r.user.files) - 1; i >= 0; i-- {
		if n, ok := r.user.files[i].find(full); ok {
			return location(r.user.files[i].text, n, full)
		}
	}
	for i, l := range chain {
		if l.src == nil || l.src.values == nil {
			continue
		}
		p := concat(sub[min(i, len(sub)):], path)
		if n, ok := l.src.values.find(p); ok {
			return location(l.src.values.text, n, p)
		}
	}
	return nil
}

func location(t *lint.Text, n *yaml.Node, path []string) *lint.Location {
	end := n.Column + utf8.RuneCountInString(n.Value)
	if n.Kind != yaml.ScalarNode || n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
		end = n.Column + 1
	}
	return &lint.Location{
		Pos:     lint.Pos{File: t.Name, Line: n.Line, Column: n.Column, EndLine: n.Line, EndColumn: end},
		Message: "set by " + strings.Join(path, "."),
	}
}

// findMap reports whether path is set in a values map.
func findMap(m map[string]any, path []string) bool {
	_, ok := valueAt(m, path)
	return ok
}

// valueAt returns the value at path in a values map, and whether it is set.
func valueAt(m map[string]any, path []string) (any, bool) {
	var v any = m
	for _, seg := range path {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = mm[seg]; !ok {
			return nil, false
		}
	}
	return v, true
}

// chartYAMLPos is the position of a problem with Chart.yaml: the line an error names, if any.
func chartYAMLPos(f *file, err error) lint.Pos {
	if f == nil {
		return lint.Pos{}
	}
	if err != nil {
		return yamlErrorPos(f.text, err)
	}
	return lint.Pos{File: f.text.Name}
}

// dependencyPos is the position of a dependency where the chart declares it: its name (or alias)
// in Chart.yaml, or in requirements.yaml, where charts of apiVersion v1 declare them.
func dependencyPos(src *source, req *chart.Dependency) lint.Pos {
	for _, f := range []*file{src.chartYAML, src.byName["requirements.yaml"]} {
		if at, ok := dependencyIn(f, req); ok {
			return at
		}
	}
	if src.chartYAML == nil {
		return lint.Pos{File: src.display}
	}
	return lint.Pos{File: src.chartYAML.text.Name}
}

// dependencyIn finds a dependency in the dependencies list of a YAML file.
func dependencyIn(f *file, req *chart.Dependency) (lint.Pos, bool) {
	if f == nil {
		return lint.Pos{}, false
	}
	docs := (&valuesFile{text: f.text}).docs()
	if len(docs) == 0 {
		return lint.Pos{}, false
	}
	deps := findPath(docs[0], []string{"dependencies"})
	if deps == nil {
		return lint.Pos{}, false
	}
	list := valueOf(docs[0], deps)
	if list == nil {
		return lint.Pos{}, false
	}
	for _, item := range list.Content {
		for _, key := range []string{"alias", "name"} {
			if k := findPath(item, []string{key}); k != nil {
				if v := valueOf(item, k); v != nil && v.Value == req.Name {
					return lint.Pos{File: f.text.Name, Line: k.Line, Column: k.Column, EndLine: v.Line, EndColumn: v.Column + len(v.Value)}, true
				}
			}
		}
	}
	return lint.Pos{}, false
}

// valueOf returns the value of key k in mapping m.
func valueOf(m, k *yaml.Node) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i] == k {
			return m.Content[i+1]
		}
	}
	return nil
}
