package helm

import (
	"bytes"
	"context"
	"flag"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"helm.sh/helm/v4/pkg/chart/loader/archive"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/load"
)

// renderPair is one chart rendered marked, as ekslint lints it, and plain, with the same
// functions.
type renderPair struct {
	// texts are the rendered manifests ekslint lints, markers stripped.
	texts map[string]stripped
	plain map[string]string
	// markedErr and plainErr are the renders' errors; limited means the marked render stopped
	// at one of ekslint's limits (the plain render, without the guards, is then not run).
	markedErr, plainErr error
	limited             bool
}

// memChart makes the input of the chart whose files (path: content) are given, without a disk.
func memChart(t testing.TB, l *Loader, s sink, files map[string]string) *chartInput {
	t.Helper()
	var bufs []*archive.BufferedFile
	for _, name := range slices.Sorted(maps.Keys(files)) {
		bufs = append(bufs, &archive.BufferedFile{Name: name, Data: []byte(files[name])})
	}
	var all []*file
	src, err := split("demo", bufs, nil, &all)
	if err != nil {
		t.Fatal(err)
	}
	return l.newChartInput(load.Input{Kind: load.Chart, Path: "demo"}, s, nil, src, all)
}

// renderBoth renders ci both ways; ok is false when the chart cannot be prepared (bad
// Chart.yaml or values), which stops both renders alike.
func renderBoth(ci *chartInput) (p renderPair, ok bool) {
	ctx := context.Background()
	r, problems := ci.prepare(ValueSet{})
	for _, pr := range problems {
		if pr.Level == lint.Error {
			return p, false
		}
	}
	out, g, err := r.run(ctx, r.marked)
	if err != nil {
		p.markedErr = err
		p.limited = guardMessage.MatchString(err.Error())
		if p.limited {
			return p, true
		}
	} else if p.texts, err = r.texts(ctx, out, g); err != nil {
		p.markedErr = err
	}
	// Templates may change the values as they render (`unset`): the plain render starts again
	// from the values as read.
	fresh, _ := ci.prepare(ValueSet{})
	p.plain, _, p.plainErr = fresh.run(ctx, plain)
	return p, true
}

// compare fails the test when the two renders differ: one fails and not the other, or a
// manifest ekslint lints is not byte for byte the plain render's.
func (p renderPair) compare(t *testing.T) {
	t.Helper()
	if p.limited {
		return
	}
	if (p.markedErr == nil) != (p.plainErr == nil) {
		t.Fatalf("marked render error: %v\nplain render error: %v", p.markedErr, p.plainErr)
	}
	if p.markedErr != nil {
		return
	}
	for name, text := range p.plain {
		if !isManifest(name) || strings.TrimSpace(text) == "" {
			continue
		}
		st, ok := p.texts[name]
		if !ok {
			t.Errorf("%s: rendered plain but not marked", name)
			continue
		}
		if !bytes.Equal(st.text, []byte(text)) {
			t.Errorf("%s: the marked render differs from the plain one:\n%s", name, firstDifference(st.text, []byte(text)))
		}
	}
	for name := range p.texts {
		if _, ok := p.plain[name]; !ok {
			t.Errorf("%s: rendered marked but not plain", name)
		}
	}
}

// renderCases are charts whose marked render once differed from Helm's own.
var renderCases = []struct {
	name  string
	files map[string]string
	// plain says how many rendered files ekslint takes from a plain render.
	plain int
}{
	{".Files through its charged stand-in: methods, index, get, range, len, a variable, a field named Files", map[string]string{
		"config/a.conf": "a=1\nb=2\n",
		"config/b.conf": "c=3\n",
		"values.yaml":   "Files: {x: 1}\n",
		"templates/cm.yaml": "a: {{ .Files.Get \"config/a.conf\" | quote }}\nb: {{ index .Files \"config/b.conf\" | toString | quote }}\n" +
			"lines: {{ .Files.Lines \"config/a.conf\" | join \",\" }}\nn: {{ len .Files }}\n" +
			"{{- $f := $.Files }}\nglob: {{ range $k, $_ := $f.Glob \"config/*\" }}{{ $k }} {{ end }}\n" +
			"config:\n{{ ($f.Glob \"config/*\").AsConfig | indent 2 }}\nsecrets:\n{{ (.Files.Glob \"config/b*\").AsSecrets | indent 2 }}\n" +
			"bytes: {{ .Files.GetBytes \"config/b.conf\" | toString | quote }}\nvalue: {{ .Values.Files.x }}\n" +
			"got: {{ (get . \"Files\").Get \"config/b.conf\" | quote }}\nparen: {{ (.).Files.Get \"config/b.conf\" | quote }}\n",
	}, 0},
	{"a helper's text kept in a variable, written out and read otherwise", map[string]string{
		"templates/_helpers.tpl": "{{- define \"rules\" -}}\n- apiGroups: [\"\"]\n  resources: [configmaps]\n  verbs: [get]\n{{- end }}\n",
		"templates/role.yaml": "{{- $rules := include \"rules\" . }}{{ $other := include \"rules\" . | trim }}\nkind: Role\nrules:\n{{- $rules | nindent 0 }}\n" +
			"---\nkind: Role\nrules:\n{{ $rules }}\nlength: {{ len $other }}\n{{- if $other }}\nfull: true\n{{- end }}\n",
	}, 0},
	{"an empty define does not replace the real one", map[string]string{
		"templates/_helpers.tpl": `{{ define "img" }}nginx:latest{{ end }}`,
		"templates/_a.tpl":       "{{/* a placeholder, filled in by _helpers.tpl */}}\n{{- define \"img\" }}\n{{ end }}\n",
		"templates/pod.yaml":     "image: {{ include \"img\" . }}\n",
	}, 0},
	{"an empty and a full define of one name in one file", map[string]string{
		"templates/pod.yaml": "{{- define \"img\" }} {{/* set below */}} {{ end }}\n{{- define \"img\" }}nginx:latest{{ end }}\nimage: {{ include \"img\" . }}\n",
	}, 0},
	{"an empty block keeps the define of its name", map[string]string{
		"templates/_helpers.tpl": `{{ define "img" }}nginx:latest{{ end }}`,
		"templates/Pod.yaml":     "image: {{ block \"img\" . }}{{ end }}\n",
	}, 0},
	{"an empty define in tpl text", map[string]string{
		"templates/_helpers.tpl": `{{ define "img" }}nginx:latest{{ end }}`,
		"templates/pod.yaml":     "image: {{ tpl \"{{ define \\\"img\\\" }}{{ end }}{{ include \\\"img\\\" . }}\" . }}\n",
	}, 0},
	{"a file of Unicode spaces keeps the define of its name", map[string]string{
		"templates/c.yaml": "{{ define \"demo/templates/b.yaml\" }}a: 1\n{{ end }}",
		"templates/b.yaml": "\v\u00a0\n",
	}, 0},
	{"an included template through functions", map[string]string{
		"templates/inner.yaml": "a: b\nc: d\n",
		"templates/outer.yaml": "len: {{ include \"demo/templates/inner.yaml\" . | len }}\n" +
			"sum: {{ include \"demo/templates/inner.yaml\" . | sha256sum }}\n" +
			"cut: {{ include \"demo/templates/inner.yaml\" . | trunc 6 | quote }}\n" +
			"eq: {{ eq (include \"demo/templates/inner.yaml\" .) \"a: b\\nc: d\\n\" }}\n" +
			"tpl: {{ tpl \"{{ template \\\"demo/templates/inner.yaml\\\" . }}\" . | upper | quote }}\n",
	}, 0},
	{"a pipeline that ends in a pipe, which Go's parser lets pass", map[string]string{
		"values.yaml":            "a:\n  b: c\n",
		"templates/_helpers.tpl": "{{- define \"h\" -}}\nx: {{ . | }}\n{{- end }}\n",
		"templates/cm.yaml":      "data:\n{{- toYaml .Values.a | nindent 2 | }}\n  d: {{ .Values.a.b | quote | -}}\n  e: {{ include \"h\" 1 | }}\n  f: {{ \"g\" |\n  }}\n",
	}, 0},
	{"helpers trimmed as they are written: spaces at the ends, markers among them, a template action last", map[string]string{
		"templates/_helpers.tpl": "{{- define \"pad\" }}\n\n  a: 1\n  b: 2\n\n  \n{{ end }}\n" +
			"{{- define \"blank\" }}  \n \n{{ end }}\n" +
			"{{- define \"tail\" }}\nc: 3\n{{ template \"blank\" . }}{{ end }}\n" +
			"{{- define \"head\" }}{{ template \"blank\" . }}d: 4\n{{- include \"pad\" . | trim | nindent 0 }}\n{{ end }}\n",
		"templates/cm.yaml": "data:\n  {{- include \"pad\" . | trim | nindent 2 }}\nx:\n{{ include \"tail\" . | trim | indent 2 }}\n" +
			"y: {{ include \"blank\" . | trim }}z\n{{ include \"head\" . | trim }}\n",
	}, 0},
	{"markers that would join text into <no value>", map[string]string{
		"templates/cm.yaml": "a: <no\n{{- \" value>\" }}\nb: c\n",
	}, 1},
}

// TestRenderUnchanged renders each of renderCases marked and plain, and with Helm's own engine
// and functions: all three must agree.
func TestRenderUnchanged(t *testing.T) {
	for _, c := range renderCases {
		t.Run(c.name, func(t *testing.T) {
			l, err := New(Options{})
			if err != nil {
				t.Fatal(err)
			}
			c.files["Chart.yaml"] = "apiVersion: v2\nname: demo\nversion: 0.1.0\n"
			ci := memChart(t, l, &testSink{}, c.files)
			p, ok := renderBoth(ci)
			if !ok || p.markedErr != nil || p.plainErr != nil {
				t.Fatalf("render errors: %v, %v", p.markedErr, p.plainErr)
			}
			p.compare(t)
			if got := l.Stats().Plain.Load(); got != int64(c.plain) {
				t.Errorf("%d files from a plain render, want %d", got, c.plain)
			}
			r, _ := ci.prepare(ValueSet{})
			helm, err := helmRender(r, l.now)
			if err != nil {
				t.Fatal(err)
			}
			for name, text := range helm {
				if text != p.plain[name] {
					t.Errorf("%s: Helm renders %q, ekslint %q", name, text, p.plain[name])
				}
			}
		})
	}
}

// fuzzLimits keep each fuzzed render small: the limits on a render scale with the file size.
var fuzzLimits = load.Limits{MaxFileSize: 1 << 20, MaxAliasNodes: 10_000}

// fuzzSink is a sink with fuzzLimits.
type fuzzSink struct{ testSink }

func (*fuzzSink) Limits() load.Limits { return fuzzLimits }

// FuzzRenderUnchanged renders a chart of a helpers file, a template and values.yaml, marked and
// plain: both must fail, or both succeed with the same manifests byte for byte, markers stripped.
// The scanner that places markers must agree with text/template's parser on both templates.
//
// Seeds are renderCases and, from the chart corpus, every template with its chart's helpers and
// values (only when fuzzing: they take long to run as tests).
func FuzzRenderUnchanged(f *testing.F) {
	for _, c := range renderCases {
		f.Add(c.files["templates/_helpers.tpl"], joinTemplates(c.files), "")
	}
	if fuzzing() {
		for _, s := range corpusSeeds(f) {
			f.Add(s.helpers, s.template, s.values)
		}
	}
	l, err := New(Options{Timeout: 2 * time.Second})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, helpers, template, values string) {
		compareWithParse(t, "_helpers.tpl", []byte(helpers))
		compareWithParse(t, "fuzz.yaml", []byte(template))
		ci := memChart(t, l, &fuzzSink{}, map[string]string{
			"Chart.yaml":             "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
			"values.yaml":            values,
			"templates/_helpers.tpl": helpers,
			"templates/fuzz.yaml":    template,
		})
		if p, ok := renderBoth(ci); ok {
			p.compare(t)
		}
	})
}

// joinTemplates is the templates of a render case other than its helpers, one after another.
func joinTemplates(files map[string]string) string {
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(files)) {
		if strings.HasPrefix(name, "templates/") && name != "templates/_helpers.tpl" {
			b.WriteString(files[name])
		}
	}
	return b.String()
}

func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

type fuzzSeed struct{ helpers, template, values string }

// maxSeedValues bounds the values.yaml a corpus seed carries: larger ones slow every run of the
// inputs mutated from it, and a template renders (or fails) without them just as well.
const maxSeedValues = 16 << 10

// corpusSeeds are the corpus charts' templates, each with its chart's helpers and values.yaml
// (when not larger than maxSeedValues); none when there is no corpus.
func corpusSeeds(t testing.TB) []fuzzSeed {
	if corpus == "" {
		return nil
	}
	charts, _ := filepath.Glob(filepath.Join(corpus, "helm", "*"))
	var seeds []fuzzSeed
	for _, chart := range charts {
		values, _ := os.ReadFile(filepath.Join(chart, "values.yaml"))
		if len(values) > maxSeedValues {
			values = nil
		}
		var helpers strings.Builder
		var templates [][]byte
		err := filepath.WalkDir(filepath.Join(chart, "templates"), func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || e.Name() == "NOTES.txt" {
				return err
			}
			data, err := os.ReadFile(p)
			if strings.HasPrefix(e.Name(), "_") {
				helpers.Write(data)
			} else {
				templates = append(templates, data)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, data := range templates {
			seeds = append(seeds, fuzzSeed{helpers.String(), string(data), string(values)})
		}
	}
	return seeds
}

// TestResolveHelpers checks that the define resolveHelpers picks for a name defined in several
// templates is the one Helm renders: parsed last, unless empty.
func TestResolveHelpers(t *testing.T) {
	l, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"Chart.yaml":                        "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
		"templates/_a.tpl":                  `{{ define "x" }}from _a.tpl{{ end }}{{ define "y" }}from _a.tpl{{ end }}`,
		"templates/_b.tpl":                  `{{ define "x" }}from _b.tpl{{ end }}{{ define "y" }}{{ end }}`,
		"templates/cm.yaml":                 "x: {{ include \"x\" . }}\ny: {{ include \"y\" . }}\nz: {{ include \"z\" . }}\n",
		"charts/sub/Chart.yaml":             "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
		"charts/sub/templates/_helpers.tpl": `{{ define "z" }}from sub{{ end }}{{ define "x" }}from sub{{ end }}`,
		"templates/_z.tpl":                  `{{ define "z" }}from _z.tpl{{ end }}`,
	}
	ci := memChart(t, l, &testSink{}, files)
	p, ok := renderBoth(ci)
	if !ok || p.markedErr != nil {
		t.Fatal(p.markedErr)
	}
	r, _ := ci.prepare(ValueSet{})
	for _, t := range r.templates {
		ci.marking(t.file, isManifest(t.helm.Name))
	}
	defs := r.resolveHelpers()
	rendered := string(p.texts["demo/templates/cm.yaml"].text)
	for _, name := range []string{"x", "y", "z"} {
		d := defs[name]
		if d.file == nil {
			t.Fatalf("%s: no definition", name)
		}
		from := map[string]string{"templates/_helpers.tpl": "sub"}[d.file.name]
		if from == "" {
			from = path.Base(d.file.name)
		}
		if !strings.Contains(rendered, name+": from "+from+"\n") {
			t.Errorf("%s: resolved to %s, Helm renders %q", name, d.file.text.Name, rendered)
		}
	}
}

// TestWritesPodSpec: a pod spec is told by a line that opens its containers, not by
// initContainers or the word in a value.
func TestWritesPodSpec(t *testing.T) {
	for text, want := range map[string]bool{
		"spec:\n  containers:\n    - name: a\n":               true,
		"spec:\n  template:\n    spec:\n      containers: []": true,
		"- containers:\n":                      true,
		"containers:":                          true,
		"spec:\n  initContainers:\n":           false,
		"data:\n  note: no containers: here\n": false,
		"":                                     false,
	} {
		if got := writesPodSpec([]byte(text)); got != want {
			t.Errorf("writesPodSpec(%q) = %v, want %v", text, got, want)
		}
	}
}
