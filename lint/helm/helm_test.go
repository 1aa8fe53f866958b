package helm_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/discover"
	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/helm"
	"github.com/ekslint/ekslint/lint/linttest"
	"github.com/ekslint/ekslint/lint/load"
	"github.com/ekslint/ekslint/rules"
)

// writeChart writes files (path: content) under a new folder and returns it.
func writeChart(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const chartYAML = "apiVersion: v2\nname: demo\nversion: 0.1.0\n"

// run lints the chart at dir (the lint root) with opts and no rules.
func run(t *testing.T, dir string, opts helm.Options) *engine.Result {
	t.Helper()
	return runLimited(t, dir, opts, load.Limits{})
}

// runLimited is run with the limits lim (zero: the defaults).
func runLimited(t *testing.T, dir string, opts helm.Options, lim load.Limits) *engine.Result {
	t.Helper()
	opts.WorkDir = dir
	l, err := helm.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	inputs, problems := discover.Discover([]string{dir}, discover.Options{Root: dir, WorkDir: dir})
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	return engine.Run(context.Background(), inputs, engine.Options{Limits: lim, Loaders: map[load.InputKind]load.Loader{load.Chart: l}})
}

// oneProblem requires exactly one problem, at file:line, with a message matching re.
// jsonAliases is n entries of a flow mapping written as JSON, each an alias of a: "k0":*a,"k1":*a...
func jsonAliases(n int) string {
	entries := make([]string, n)
	for i := range entries {
		entries[i] = fmt.Sprintf(`"k%d":*a`, i)
	}
	return strings.Join(entries, ",")
}

func oneProblem(t *testing.T, res *engine.Result, level lint.Level, at string, re string) {
	t.Helper()
	if len(res.Problems) != 1 {
		t.Fatalf("want one problem, got %d: %v", len(res.Problems), res.Problems)
	}
	p := res.Problems[0]
	if got := p.Pos.String(); at != "" && !strings.HasPrefix(got+":", at+":") {
		t.Errorf("problem at %s, want %s", got, at)
	}
	if p.Level != level {
		t.Errorf("problem level %s, want %s", p.Level, level)
	}
	if !regexp.MustCompile(re).MatchString(p.Message) {
		t.Errorf("problem message %q does not match %q", p.Message, re)
	}
	if len(p.Message) > 300 {
		t.Errorf("problem message is %d bytes long; want one clear line", len(p.Message))
	}
}

// TestBadCorpusCharts checks that each hostile chart of the corpus ends with one clear message.
func TestBadCorpusCharts(t *testing.T) {
	if helm.Corpus == "" {
		t.Skip("no corpus")
	}
	bad := filepath.Join(helm.Corpus, "bad")
	for _, c := range []struct {
		chart, at string
		level     lint.Level
		message   string
	}{
		{"helm-fail-call", "templates/cm.yaml:1:39", lint.Error, `^rendering failed: requiredThing must be set \(lint the chart with the values it needs: --set, --values, or value sets in \.ekslint\.yaml\)$`},
		{"helm-lookup", "templates/secret.yaml:1:18", lint.Note, `lookup, which returns an empty result`},
		{"helm-missing-dependency", "Chart.yaml:6:3", lint.Error, `dependency "postgresql" 16.x.x from oci://registry-1.docker.io/bitnamicharts is enabled but not in charts/; run .helm dependency build.`},
		{"helm-recursive-include", "templates/_helpers.tpl:1:25", lint.Error, `include "loop" calls itself more than 1000 times`},
		{"helm-template-syntax-error", "templates/deployment.yaml:5", lint.Error, `^template does not parse: function "namespace" not defined$`},
	} {
		t.Run(c.chart, func(t *testing.T) {
			dir := filepath.Join(bad, c.chart)
			l, err := helm.New(helm.Options{WorkDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			in := load.Input{Kind: load.Chart, Path: ".", Abs: dir, Root: linttest.Root(t, dir)}
			res := engine.Run(context.Background(), []load.Input{in}, engine.Options{Loaders: map[load.InputKind]load.Loader{load.Chart: l}})
			oneProblem(t, res, c.level, c.at, c.message)
		})
	}
}

// TestHostileTemplates checks that templates that recurse or loop without end, or build huge
// values, stop with one clear message instead of hanging or crashing the process. They run with
// a 4 MiB --max-file-size, so a rendering may make and read 16 MiB.
func TestHostileTemplates(t *testing.T) {
	big := strings.Repeat("x", 100_000)
	for _, c := range []struct {
		name     string
		files    map[string]string
		at, want string
	}{
		{"tpl recursion through values",
			map[string]string{"values.yaml": "x: '{{ tpl .Values.x . }}'\n", "templates/cm.yaml": "a: {{ tpl .Values.x . }}\n"},
			"templates/cm.yaml:1", `nest more than|deeper than|Go stack frames`},
		{"tpl quine",
			map[string]string{"templates/cm.yaml": "{{ $s := \"{{ $s := %q }}{{ tpl (printf $s $s) . }}\" }}a: {{ tpl (printf $s $s) . }}\n"},
			"templates/cm.yaml:1", `Go stack frames`},
		{"includes cycling through names",
			map[string]string{"templates/_h.tpl": cycle(50), "templates/cm.yaml": "a: {{ include \"d0\" . }}\n"},
			"templates/_h.tpl", `Go stack frames`},
		{"tpl in a loop, each call copying 2,000 defines",
			map[string]string{"templates/_h.tpl": manyDefines(2000),
				"templates/cm.yaml": "{{- range until 1000000 }}{{ tpl \"\" $ }}{{ end }}\na: 1\n"},
			"templates/cm.yaml:1", `tpl takes the rendering past`},
		{"exponential include",
			map[string]string{"templates/_h.tpl": doubling(60), "templates/cm.yaml": "a: {{ include \"d59\" . | len }}\n"},
			"templates/_h.tpl", `more than 1000000 define|takes the rendering past`},
		{"a pattern that steps every byte through twenty thousand states",
			map[string]string{"values.yaml": "s: " + strings.Repeat("a", 200_000) + "\n",
				"templates/cm.yaml": "a: {{ regexMatch (repeat 20000 \"a*\") .Values.s }}\nb: {{ regexReplaceAll (repeat 20000 \"a*\") .Values.s \"\" }}\n"},
			"templates/cm.yaml:1", `regexMatch takes the rendering past`},
		{"a counted repetition, a few bytes of many states",
			map[string]string{"values.yaml": "s: " + strings.Repeat("a", 300_000) + "\n",
				"templates/cm.yaml": "a: {{ regexMatch (printf \"%sb\" (repeat 20 \"(?:a*){1000}\")) .Values.s }}\n"},
			"templates/cm.yaml:1", `regexMatch takes the rendering past`},
		{"fromYaml of millions of items",
			map[string]string{"templates/cm.yaml": "a: {{ fromYamlArray (printf \"[%s0]\" (repeat 500000 \"0,\")) | len }}\n"},
			"templates/cm.yaml:1", `fromYamlArray takes the rendering past`},
		{"fromToml of a hundred thousand brackets",
			map[string]string{"templates/cm.yaml": "a: {{ fromToml (printf \"a=%s\" (repeat 100000 \"[\")) | len }}\n"},
			"templates/cm.yaml:1", `the string given to fromToml nests more than 1000 deep`},
		{"fromToml of a table header of many parts",
			map[string]string{"templates/cm.yaml": "a: {{ fromToml (printf \"[%sa]\" (repeat 2000 \"a.\")) | len }}\n"},
			"templates/cm.yaml:1", `the string given to fromToml nests more than 1000 deep`},
		{"fromYaml of a large string aliased a thousand times",
			map[string]string{"templates/cm.yaml": "{{- $s := printf \"a: &a %s\\nl: [%s*a]\\n\" (repeat 1048576 \"x\") (repeat 999 \"*a, \") }}\na: {{ fromYaml $s | len }}\n"},
			"templates/cm.yaml:2", `fromYaml takes the rendering past`},
		{"tpl of a million actions",
			map[string]string{"templates/cm.yaml": "a: {{ tpl (repeat 1000000 \"{{1}}\") . | len }}\n"},
			"templates/cm.yaml:1", `tpl takes the rendering past`},
		{"range over a billion",
			map[string]string{"templates/cm.yaml": "{{- range $i := until 1000000000 }}{{ $i }}{{ end }}\n"},
			"templates/cm.yaml:1", `more than 1000000 items`},
		{"a template of more actions than a rendering may parse",
			map[string]string{"templates/cm.yaml": "a: " + strings.Repeat("{{0}}", 40_000) + "\n"},
			"templates/cm.yaml", `^the chart's templates hold 40000 actions \(40000 here\), more than a rendering may parse within 16 MiB`},
		{".Files.Glob of a pattern that backtracks",
			map[string]string{"files/a.txt": "x", "templates/cm.yaml": "a: {{ len (.Files.Glob \"" + strings.Repeat("*a?", 5) + "b\") }}\n"},
			"templates/cm.yaml:1", `\.Files\.Glob "\*a\?\*a\?\*a\?\*a\?\*a\?b" has 10 wildcards, more than the 8`},
		{"without comparing every item with every value",
			map[string]string{"templates/cm.yaml": "{{ $l := until 100000 }}a: {{ without $l " + strings.Repeat("1 ", 400) + "| len }}\n"},
			"templates/cm.yaml:1", `without takes the rendering past`},
		{"trimAll with a cutset that is not ASCII",
			map[string]string{"templates/cm.yaml": "a: {{ trimAll (repeat 20000 \"é\") (repeat 20000 \"é\") | len }}\n"},
			"templates/cm.yaml:1", `trimAll takes the rendering past`},
		{"template actions of an empty helper in a loop: their markers",
			map[string]string{"templates/_h.tpl": "{{- define \"e\" }}{{ end }}\n",
				"templates/cm.yaml": "a: 1\n{{ range until 999999 }}" + strings.Repeat("{{ template \"e\" . }}", 30) + "{{ end }}\n"},
			"templates/cm.yaml:2", `template takes the rendering past`},
		{".Files.Lines kept in variables",
			map[string]string{"big.txt": strings.Repeat("\n", 20_000_000),
				"templates/cm.yaml": "{{ $l := list }}{{ range until 8 }}{{ $l = append $l ($.Files.Lines \"big.txt\") }}{{ end }}a: 1\n"},
			"templates/cm.yaml:1", `\.Files\.Lines takes the rendering past`},
		{"printf writing one argument for every verb",
			map[string]string{"templates/cm.yaml": "a: {{ printf (repeat 3000 \"%[1]s\") (repeat 1000000 \"a\") | len }}\n"},
			"templates/cm.yaml:1", `printf takes the rendering past`},
		{"untilStep whose counter would wrap, and never end",
			map[string]string{"templates/cm.yaml": "a: {{ untilStep 9223372036854775000 9223372036854775807 1000 | len }}\n"},
			"templates/cm.yaml:1", `untilStep or seq counting up to 9223372036854775807 by 1000 would overflow`},
		{"seq counting down past the smallest int",
			map[string]string{"templates/cm.yaml": "a: {{ seq -9223372036854775000 -1000 -9223372036854775807 | len }}\n"},
			"templates/cm.yaml:1", `would overflow and never end`},
		{"nested ranges",
			map[string]string{"templates/cm.yaml": "{{- range 100000 }}{{ range 100000 }}{{ end }}{{ end }}\n"},
			"templates/cm.yaml:1", `more than 1000000 define`},
		{"huge repeat",
			map[string]string{"templates/cm.yaml": "a: {{ repeat 1000000000 \"xxxxxxxxxx\" }}\n"},
			"templates/cm.yaml:1", `^rendering stopped: repeat takes the rendering past 16 MiB made and read \(4 times --max-file-size\)`},
		{"repeats in a loop",
			map[string]string{"templates/cm.yaml": "{{ range until 200 }}{{ repeat 670000 \"x\" }}{{ end }}\n"},
			"templates/cm.yaml:1", `repeat takes the rendering past`},
		{"huge random string",
			map[string]string{"templates/cm.yaml": "a: {{ randAlphaNum 2000000000 }}\n"},
			"templates/cm.yaml:1", `randAlphaNum takes the rendering past`},
		{"a string doubled by cat",
			map[string]string{"templates/cm.yaml": "{{ $s := \"x\" }}{{ range until 40 }}{{ $s = cat $s $s }}{{ end }}\na: {{ len $s }}\n"},
			"templates/cm.yaml:1", `cat takes the rendering past`},
		{"a string doubled by printf",
			map[string]string{"templates/cm.yaml": "{{ $s := \"x\" }}{{ range until 40 }}{{ $s = printf \"%s%s\" $s $s }}{{ end }}\n"},
			"templates/cm.yaml:1", `printf takes the rendering past`},
		{"a list doubled by concat",
			map[string]string{"templates/cm.yaml": "{{ $l := list 1 }}{{ range until 60 }}{{ $l = concat $l $l }}{{ end }}\n"},
			"templates/cm.yaml:1", `concat takes the rendering past`},
		{"a list appended to in a loop",
			map[string]string{"templates/cm.yaml": "{{ $l := list }}{{ range until 1000000 }}{{ $l = append $l . }}{{ end }}\n"},
			"templates/cm.yaml:1", `append takes the rendering past`},
		{"toYaml of a list that holds itself 60 times over",
			map[string]string{"templates/cm.yaml": "{{ $l := list 1 }}{{ range until 60 }}{{ $l = list $l $l }}{{ end }}\na: {{ toYaml $l }}\n"},
			"templates/cm.yaml:2", `toYaml takes the rendering past`},
		{"a dict set into itself, printed",
			map[string]string{"templates/cm.yaml": "{{ $d := dict }}{{ $_ := set $d \"a\" $d }}\na: {{ $d }}\n"},
			"templates/cm.yaml:2", `a value that holds itself`},
		{"toJson of a dict set into itself",
			map[string]string{"templates/cm.yaml": "{{ $d := dict }}{{ $_ := set $d \"a\" (list $d) }}\na: {{ toJson $d }}\n"},
			"templates/cm.yaml:2", `a value that holds itself`},
		{"a printf width",
			map[string]string{"templates/cm.yaml": "a: {{ printf \"%999999999d\" 1 }}\n"},
			"templates/cm.yaml:1", `printf takes the rendering past`},
		{"replace of the empty string",
			map[string]string{"templates/cm.yaml": "a: {{ replace \"\" (repeat 1000 \"y\") (repeat 100000 \"x\") }}\n"},
			"templates/cm.yaml:1", `replace takes the rendering past`},
		{"regexReplaceAll of the empty string",
			map[string]string{"templates/cm.yaml": "a: {{ regexReplaceAll \"\" (repeat 100000 \"x\") (repeat 1000 \"y\") }}\n"},
			"templates/cm.yaml:1", `regexReplaceAll takes the rendering past`},
		{"splitList of every character",
			map[string]string{"templates/cm.yaml": "a: {{ splitList \"\" (repeat 2000000 \"x\") | len }}\n"},
			"templates/cm.yaml:1", `splitList takes the rendering past`},
		{"uniq of a long list",
			map[string]string{"templates/cm.yaml": "a: {{ until 100000 | uniq | len }}\n"},
			"templates/cm.yaml:1", `uniq takes the rendering past`},
		{"a value printed in a loop",
			map[string]string{"values.yaml": "big: " + big + "\n", "templates/cm.yaml": "{{ range until 1000000 }}{{ $.Values.big }}{{ end }}\n"},
			"templates/cm.yaml:1", `printing a value takes the rendering past`},
		{"a template's text written in a loop",
			map[string]string{"templates/big.yaml": "# " + big + "\n", "templates/cm.yaml": "{{ range until 1000000 }}{{ template \"demo/templates/big.yaml\" }}{{ end }}\n"},
			"templates/big.yaml:1", `the text of the templates takes the rendering past`},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.files["Chart.yaml"] = chartYAML
			dir := writeChart(t, c.files)
			res := runLimited(t, dir, helm.Options{}, load.Limits{MaxFileSize: 4 << 20, MaxAliasNodes: 1000})
			oneProblem(t, res, lint.Error, c.at, c.want)
		})
	}
}

// TestRenderDeadline renders a chart that works within its budget for longer than its timeout: it
// stops soon after, with one message at the template line.
func TestRenderDeadline(t *testing.T) {
	dir := writeChart(t, map[string]string{"Chart.yaml": chartYAML,
		"templates/cm.yaml": "a: 1\n{{ range until 900000 }}{{ $_ := sha256sum \"abc\" }}{{ end }}\n"})
	start := time.Now()
	res := run(t, dir, helm.Options{Timeout: 200 * time.Millisecond})
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("took %s", took)
	}
	oneProblem(t, res, lint.Error, "templates/cm.yaml:2", `^rendering stopped: rendering took longer than 200ms$`)
}

// TestValueSetsDeadline: a chart's value sets share a deadline as long as one rendering's, so
// that a config of a thousand value sets cannot multiply it; the sets left are named.
func TestValueSetsDeadline(t *testing.T) {
	dir := writeChart(t, map[string]string{"Chart.yaml": chartYAML,
		"templates/cm.yaml": "a: 1\n{{ range until 900000 }}{{ $_ := sha256sum \"abc\" }}{{ end }}\n"})
	sets := []helm.ValueSet{{Name: "a"}, {Name: "b"}, {Name: "c"}}
	res := run(t, dir, helm.Options{Timeout: 100 * time.Millisecond, ValueSets: func(load.Input) []helm.ValueSet { return sets }})
	var left []string
	for _, p := range res.Problems {
		if strings.Contains(p.Message, "value sets not rendered") {
			left = append(left, p.Pos.String()+": "+p.Message)
		}
	}
	if len(left) != 1 || !strings.HasPrefix(left[0], "Chart.yaml: 2 of the chart's 3 value sets not rendered: the first 1 took longer than 100ms together") {
		t.Errorf("problems %v", res.Problems)
	}
}

// TestRenderedFileTooLarge renders a file over --max-file-size: it is not linted, with one
// message, and the chart's other files are.
func TestRenderedFileTooLarge(t *testing.T) {
	dir := writeChart(t, map[string]string{"Chart.yaml": chartYAML,
		"templates/big.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  a: {{ repeat 400000 \"xxx\" }}\n",
		"templates/cm.yaml":  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: small\n"})
	res := runLimited(t, dir, helm.Options{}, load.Limits{MaxFileSize: 1 << 20, MaxAliasNodes: 1000})
	oneProblem(t, res, lint.Error, "templates/big.yaml:1", `^rendered output is 1.1 MiB, over the 1 MiB limit; not linted \(raise it with --max-file-size\)$`)
	if res.Objects != 1 {
		t.Errorf("%d objects linted, want 1", res.Objects)
	}
}

// doubling defines n templates, each including the one before twice: 2^n calls, n deep.
func doubling(n int) string {
	b := strings.Builder{}
	b.WriteString(`{{- define "d0" }}x{{ end }}` + "\n")
	for i := 1; i < n; i++ {
		prev := `{{ include "d` + strconv.Itoa(i-1) + `" . }}`
		b.WriteString(`{{- define "d` + strconv.Itoa(i) + `" }}` + prev + prev + `{{ end }}` + "\n")
	}
	return b.String()
}

// cycle defines n templates that include each other in a ring.
func cycle(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(`{{- define "d` + strconv.Itoa(i) + `" -}}{{ include "d` + strconv.Itoa((i+1)%n) + `" . }}{{- end }}` + "\n")
	}
	return b.String()
}

// TestRelatedLocations checks that findings on values a template writes out point at the values
// key that set them.
func TestRelatedLocations(t *testing.T) {
	for _, c := range []struct {
		chart, at, rule string
		related         string // file:line:col of the values key, "" for none
	}{
		{"k8s-replicas-no-anti-affinity/helm-values", "templates/deployment.yaml:9:3", "k8s-replicas-no-anti-affinity", "values.yaml:1:1"},
		{"k8s-resource-requests-missing/helm-toyaml", "templates/deployment.yaml:11:11", "k8s-resource-requests-missing", "values.yaml:3:1"},
		{"k8s-resource-requests-missing/helm-toyaml", "templates/deployment.yaml:16:13", "k8s-resource-requests-missing", "values.yaml:9:5"},
		{"k8s-host-network/helm-blocks", "templates/daemonset.yaml:27:7", "k8s-host-network", "values.yaml:3:3"},
		{"k8s-image-tag-mutable/helm-subchart", "charts/web/templates/deployment.yaml:10:11", "k8s-image-tag-mutable", "values.yaml:3:3"},
		{"k8s-readiness-probe-missing/helm-literal", "templates/deployment.yaml:15:11", "k8s-readiness-probe-missing", ""},
	} {
		t.Run(c.chart+" "+c.at, func(t *testing.T) {
			dir, err := filepath.Abs(filepath.Join("../../fixtures", c.chart))
			if err != nil {
				t.Fatal(err)
			}
			l, err := helm.New(helm.Options{WorkDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			in := load.Input{Kind: load.Chart, Path: ".", Abs: dir, Root: linttest.Root(t, dir)}
			res := engine.Run(context.Background(), []load.Input{in}, engine.Options{
				Rules: rules.All(), Loaders: map[load.InputKind]load.Loader{load.Chart: l}})
			for _, f := range res.Findings {
				if f.Rule.ID != c.rule || f.Pos.String() != c.at {
					continue
				}
				got := ""
				if len(f.Related) > 0 {
					got = f.Related[0].Pos.String()
				}
				if got != c.related {
					t.Errorf("related location %q, want %q", got, c.related)
				}
				return
			}
			t.Errorf("no %s finding at %s", c.rule, c.at)
		})
	}
}

// TestJoinedLines checks lines that trim markers join: a field lands on the line its key is on.
func TestJoinedLines(t *testing.T) {
	dir := writeChart(t, map[string]string{
		"Chart.yaml":  chartYAML,
		"values.yaml": "repo: busybox\n",
		"templates/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n" +
			"    - name: a\n      image: {{ .Values.repo -}}\n        :latest\n" +
			"    - name: b\n      image: {{ .Values.repo }}{{/* no tag */}}\n",
	})
	res := lintImageTags(t, dir)
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.Pos.String()+"-"+strconv.Itoa(f.Pos.EndColumn))
	}
	want := []string{"templates/pod.yaml:8:7-33", "templates/pod.yaml:11:7-48"}
	if !slices.Equal(got, want) {
		t.Errorf("findings at %v, want %v", got, want)
	}
}

// TestValueSets renders one chart with two value sets: a finding both produce is reported once
// and lists both; a finding one produces lists that one.
func TestValueSets(t *testing.T) {
	dir := writeChart(t, map[string]string{
		"Chart.yaml":  chartYAML,
		"values.yaml": "replicas: 1\ntag: \"1.0\"\n",
		"prod.yaml":   "replicas: 3\n",
		"templates/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n" +
			"  replicas: {{ .Values.replicas }}\n  template:\n    spec:\n      containers:\n" +
			"        - name: web\n          image: nginx:{{ .Values.tag }}\n",
	})
	l, err := helm.New(helm.Options{WorkDir: dir, ValueSets: func(load.Input) []helm.ValueSet {
		return []helm.ValueSet{{Name: "dev"}, {Name: "prod", Files: []string{"prod.yaml"}, Set: []string{"tag=latest"}}}
	}})
	if err != nil {
		t.Fatal(err)
	}
	in := load.Input{Kind: load.Chart, Path: ".", Abs: dir, Root: linttest.Root(t, dir)}
	res := engine.Run(context.Background(), []load.Input{in}, engine.Options{Rules: rules.All(), Loaders: map[load.InputKind]load.Loader{load.Chart: l}})
	for _, p := range res.Problems {
		t.Errorf("problem: %s", p)
	}
	got := map[string][]string{}
	for _, f := range res.Findings {
		// The engine merges variants in the order checkers finish; compare them as sets.
		got[f.Rule.ID+" "+f.Pos.String()] = slices.Sorted(slices.Values(f.Variants))
	}
	for key, want := range map[string][]string{
		"k8s-readiness-probe-missing templates/deploy.yaml:10:11": {"dev", "prod"},
		"k8s-replicas-no-anti-affinity templates/deploy.yaml:6:3": {"prod"},
		"k8s-image-tag-mutable templates/deploy.yaml:11:11":       {"prod"},
	} {
		if v, ok := got[key]; !ok || !slices.Equal(v, want) {
			t.Errorf("%s: variants %v (found %v), want %v", key, v, ok, want)
		}
	}
}

// tgz packs files (path: content) as `helm package` does, under a top folder.
func tgz(t *testing.T, top string, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	// Chart.yaml first, as helm package writes it.
	names := slices.Sorted(maps.Keys(files))
	if i := slices.Index(names, "Chart.yaml"); i > 0 {
		names = append([]string{"Chart.yaml"}, slices.Delete(names, i, i+1)...)
	}
	for _, name := range names {
		if err := tw.WriteHeader(&tar.Header{Name: top + "/" + name, Mode: 0o644, Size: int64(len(files[name]))}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(files[name])); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestChartArchives lints a packaged chart found in a folder, and a chart whose subchart is
// vendored as a .tgz: findings inside an archive are named archive.tgz/path.
func TestChartArchives(t *testing.T) {
	deploy := "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n" +
		"      containers:\n        - name: web\n          image: {{ .Values.image }}\n"
	web := tgz(t, "web", map[string]string{"Chart.yaml": "apiVersion: v2\nname: web\nversion: 1.0.0\n",
		"values.yaml": "image: nginx\n", "templates/deploy.yaml": deploy})
	dir := writeChart(t, map[string]string{
		"packages/web-1.0.0.tgz":   string(web),
		"packages/not-a-chart.tgz": string(tgz(t, "x", map[string]string{"README": "hi"})),
		"app/Chart.yaml":           chartYAML,
		"app/values.yaml":          "web:\n  image: busybox\n",
		"app/charts/web-1.0.0.tgz": string(web),
	})
	l, err := helm.New(helm.Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	inputs, problems := discover.Discover([]string{"."}, discover.Options{Root: dir, WorkDir: dir})
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	res := engine.Run(context.Background(), inputs, engine.Options{Rules: []*lint.Rule{rules.ImageTagMutable}, Loaders: map[load.InputKind]load.Loader{load.Chart: l}})
	for _, p := range res.Problems {
		t.Errorf("problem: %s", p)
	}
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.Pos.String()+" "+f.Message[:strings.Index(f.Message, " has")])
	}
	want := []string{
		`app/charts/web-1.0.0.tgz/templates/deploy.yaml:10:11 image "busybox"`,
		`packages/web-1.0.0.tgz/templates/deploy.yaml:10:11 image "nginx"`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if line := res.Sources.Line("packages/web-1.0.0.tgz/templates/deploy.yaml", 10); string(line) != "          image: {{ .Values.image }}" {
		t.Errorf("source line %q", line)
	}
}

// TestInputProblems checks the chart problems a person can fix, each one clear message at the line
// to fix.
func TestInputProblems(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.yaml"), []byte("x: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cm := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: {{ .Values.a | quote }}\n"
	// Three levels of subcharts, each aliasing the next 11 times: 1,464 charts once Helm copies them.
	aliased := map[string]string{"templates/cm.yaml": cm}
	for level, dir := range []string{"", "charts/l1/", "charts/l1/charts/l2/", "charts/l1/charts/l2/charts/l3/"} {
		chartFile := fmt.Sprintf("apiVersion: v2\nname: l%d\nversion: 0.1.0\n", level)
		if level < 3 {
			chartFile += "dependencies:\n"
			for i := range 11 {
				chartFile += fmt.Sprintf("- name: l%d\n  version: 0.1.0\n  alias: a%d\n", level+1, i)
			}
		}
		aliased[dir+"Chart.yaml"] = chartFile
		aliased[dir+"values.yaml"] = "a: 1\n"
	}
	for _, c := range []struct {
		name  string
		files map[string]string
		opts  helm.Options
		level lint.Level
		at    string
		want  string
	}{
		{"a .helmignore of more patterns than files may be matched against",
			map[string]string{"Chart.yaml": chartYAML, "templates/cm.yaml": cm, ".helmignore": "# a comment\n" + strings.Repeat("*.bak\n", 1001)},
			helm.Options{}, lint.Error, ".helmignore", `^has 1001 patterns, more than the 1000 Helm may match`},
		{"enums too large to compare values with",
			map[string]string{"Chart.yaml": chartYAML, "templates/cm.yaml": cm,
				"values.yaml":        "a: [" + strings.Repeat("x, ", 8000) + "x]\n",
				"values.schema.json": `{"properties": {"a": {"items": {"enum": [` + strings.Repeat(`"y", `, 8000) + `"x"]}}}}`},
			helm.Options{}, lint.Note, "values.schema.json", `^values were not checked against values\.schema\.json: comparing 8003 values with enums of 8001 entries`},
		{"anyOf lists of $refs that double at each of 40 definitions",
			map[string]string{"Chart.yaml": chartYAML, "values.yaml": "a: 1\n", "templates/cm.yaml": cm,
				"values.schema.json": doublingSchema(40)},
			helm.Options{}, lint.Note, "values.schema.json", `^values were not checked against values\.schema\.json: its \$refs and allOf, anyOf and oneOf lists nest so that one value may be checked against more than 2000000 subschemas`},
		{"an enum of 20,000 entries behind 200 $refs",
			map[string]string{"Chart.yaml": chartYAML, "values.yaml": "a: x\n", "templates/cm.yaml": cm,
				"values.schema.json": `{"$defs": {"e": {"enum": [` + strings.Repeat(`"y", `, 20000) + `"x"]}}, "properties": {"a": {"allOf": [` +
					strings.TrimSuffix(strings.Repeat(`{"$ref": "#/$defs/e"}, `, 200), ", ") + `]}}}`},
			helm.Options{}, lint.Note, "values.schema.json", `^values were not checked against values\.schema\.json: its \$refs and allOf, anyOf and oneOf lists nest so that one value may be checked against 1[0-9]{4} subschemas`},
		{"a schema number too large to read",
			map[string]string{"Chart.yaml": chartYAML, "values.yaml": "a: 1\n", "templates/cm.yaml": cm,
				"values.schema.json": `{"type": "object", "properties": {"a": {"multipleOf": 1e-5000000}}}`},
			helm.Options{}, lint.Error, "values.schema.json", `^values\.schema\.json holds the number 1e-5000000, too large for a schema validator`},
		{"a values file of more items than Helm may read",
			map[string]string{"Chart.yaml": chartYAML, "templates/cm.yaml": cm, "values.yaml": "a: [" + strings.Repeat("1,", 1_000_001) + "1]\n"},
			helm.Options{}, lint.Error, "values.yaml", `^holds 1000002 lines and list items, more than the 1000000`},
		{"aliases copying subcharts past the limit",
			aliased, helm.Options{}, lint.Error, "Chart.yaml:4:1", `^the chart's dependencies, each alias a copy of its subchart \(and each import-values entry and each chart's globals a copy of values\), make 1464 charts`},
		{"import-values copying a subchart's values past the limit",
			map[string]string{"Chart.yaml": chartYAML + "dependencies:\n- name: sub\n  version: 0.1.0\n  import-values:\n" +
				strings.Repeat("  - {child: big, parent: x}\n", 300),
				"templates/cm.yaml": cm, "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
				"charts/sub/values.yaml": "big:\n" + strings.Repeat("  k: "+strings.Repeat("v", 1<<20)+"\n", 1)},
			helm.Options{}, lint.Error, "Chart.yaml:4:1", `make 2 charts with 301\.0 MiB of values, more than`},
		{"globals copied into every alias past the limit",
			map[string]string{"Chart.yaml": chartYAML + "dependencies:\n" + func() string {
				var b strings.Builder
				for i := range 300 {
					fmt.Fprintf(&b, "- {name: sub, version: 0.1.0, alias: s%d}\n", i)
				}
				return b.String()
			}(),
				"values.yaml":       "global:\n  k: " + strings.Repeat("v", 1<<20) + "\n",
				"templates/cm.yaml": cm, "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n"},
			helm.Options{}, lint.Error, "Chart.yaml:4:1", `make 301 charts with 30[0-9]\.[0-9] MiB of values, more than`},
		{"kubeVersion not met",
			map[string]string{"Chart.yaml": chartYAML + "kubeVersion: \"<1.30.0-0\"\n", "templates/cm.yaml": cm},
			helm.Options{}, lint.Error, "Chart.yaml:4:1", `requires kubeVersion <1.30.0-0, which Kubernetes 1.36 does not meet`},
		{"kubeVersion met with --kube-version",
			map[string]string{"Chart.yaml": chartYAML + "kubeVersion: \"<1.30.0-0\"\n", "templates/cm.yaml": cm},
			helm.Options{KubeVersion: "1.29"}, lint.None, "", ""},
		{"merges with the root context of a chart with a large file (strimzi's) are charged what merge walks",
			map[string]string{"Chart.yaml": chartYAML, "files/big.txt": strings.Repeat("x", 2<<20), "templates/_h.tpl": "{{- define \"img\" }}app:{{ .tag }}{{ end }}\n",
				"templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n{{- range $i := until 40 }}\n" +
					"  a{{ $i }}: {{ template \"img\" (merge $ (dict \"tag\" \"1\")) }}\n  b{{ $i }}: {{ template \"img\" (merge (dict \"tag\" \"1\") $) }}\n{{- end }}\n"},
			helm.Options{}, lint.None, "", ""},
		{"--set values that make lists of millions of items",
			map[string]string{"Chart.yaml": chartYAML, "templates/cm.yaml": cm},
			helm.Options{ValueSets: func(load.Input) []helm.ValueSet {
				return []helm.ValueSet{{Name: "big", Set: slices.Repeat([]string{"a[60000]=1", "b[60000]=1"}, 10)}}
			}}, lint.Error, "",
			`^the --set values make lists of more than 1000000 items in all \(an index, \[60000\], makes every item before it\) \(value set "big"\)$`},
		{"disabled dependency need not be vendored",
			map[string]string{"Chart.yaml": chartYAML + "dependencies:\n  - name: db\n    version: 1.x\n    condition: db.enabled\n",
				"values.yaml": "db:\n  enabled: false\n", "templates/cm.yaml": cm},
			helm.Options{}, lint.None, "", ""},
		{"a vendored dependency of another version, aliased, renders under its own name as in Helm",
			map[string]string{"Chart.yaml": chartYAML + "dependencies:\n  - name: db\n    version: 1.0.0\n    alias: store\n",
				"templates/cm.yaml": cm, "charts/db/Chart.yaml": "apiVersion: v2\nname: db\nversion: 2.0.0\n"},
			helm.Options{}, lint.None, "", ""},
		{"enabled by --set, it must be",
			map[string]string{"Chart.yaml": chartYAML + "dependencies:\n  - name: db\n    version: 1.x\n    condition: db.enabled\n",
				"values.yaml": "db:\n  enabled: false\n", "templates/cm.yaml": cm},
			helm.Options{Values: helm.ValueSet{Set: []string{"db.enabled=true"}}}, lint.Error, "Chart.yaml:5:5", `dependency "db" 1.x is enabled but not in charts/`},
		{"missing dependency of a v1 chart, in requirements.yaml",
			map[string]string{"Chart.yaml": "apiVersion: v1\nname: v1req\nversion: 0.1.0\n", "templates/cm.yaml": cm,
				"requirements.yaml": "dependencies:\n- name: redis\n  repository: https://charts.example.com\n  version: 1.0.0\n"},
			helm.Options{}, lint.Error, "requirements.yaml:2:3", `dependency "redis" 1.0.0 from https://charts.example.com is enabled but not in charts/`},
		{"a subchart's values that are not a map",
			map[string]string{"Chart.yaml": chartYAML, "values.yaml": "sub: not-a-map\n", "templates/cm.yaml": cm,
				"charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 1.0.0\n", "charts/sub/values.yaml": "a: {b: 1}\n"},
			helm.Options{}, lint.Error, "values.yaml:1:1", `cannot merge values: the values of sub must be a mapping \(the subchart's or a nested table's values\), not the string "not-a-map"`},
		{"a declared dependency's values that are not a map (kube-linter's malformed-deps-chart)",
			map[string]string{"Chart.yaml": chartYAML + "dependencies:\n  - name: child\n    version: 0.1.0\n", "values.yaml": "child: \"not-a-map\"\n",
				"templates/cm.yaml": cm, "charts/child/Chart.yaml": "apiVersion: v2\nname: child\nversion: 0.1.0\n"},
			helm.Options{}, lint.Error, "values.yaml:1:1", `^cannot process dependencies: the values of child must be a mapping \(the subchart's or a nested table's values\), not the string "not-a-map"$`},
		{"schema violation at the values key",
			map[string]string{"Chart.yaml": chartYAML, "values.yaml": "a: 1\nreplicas: three\n", "templates/cm.yaml": cm,
				"values.schema.json": `{"type": "object", "properties": {"replicas": {"type": "integer"}}}`},
			helm.Options{}, lint.Error, "values.yaml:2:1", `values do not match values.schema.json: replicas: got string, want integer`},
		{"schema: a property missing at the top, at its entry in required",
			map[string]string{"Chart.yaml": chartYAML, "values.yaml": "a: 1\n", "templates/cm.yaml": cm,
				"values.schema.json": "{\n  \"type\": \"object\",\n  \"required\": [\"a\", \"clusterName\"]\n}\n"},
			helm.Options{}, lint.Error, "values.schema.json:3:21", `^values do not match values.schema.json: the values: missing property 'clusterName' \(lint the chart with the values it needs`},
		{"schema: a value given by --set, at the keyword, once through a $ref",
			map[string]string{"Chart.yaml": chartYAML, "values.yaml": "a: 1\n", "templates/cm.yaml": cm,
				"values.schema.json": "{\"properties\": {\"count\": {\"$ref\": \"#/$defs/count\"}},\n \"$defs\": {\"count\": {\"type\": \"integer\",\n  \"minimum\": 1}}}\n"},
			helm.Options{Values: helm.ValueSet{Set: []string{"count=0"}}}, lint.Error, "values.schema.json:3:3", `^values do not match values.schema.json: count: minimum: got 0, want 1$`},
		{"schema: a pattern too costly to match against a long value is not matched",
			map[string]string{"Chart.yaml": chartYAML, "values.yaml": "a: " + strings.Repeat("a", 100_000) + "\n", "templates/cm.yaml": cm,
				"values.schema.json": `{"properties": {"a": {"type": "string", "pattern": "` + strings.Repeat("a*", 2000) + `b"}}}`},
			helm.Options{}, lint.Note, "values.schema.json", `^1 of the values were not checked against their pattern`},
		{"schema with a remote $ref is not followed",
			map[string]string{"Chart.yaml": chartYAML, "values.yaml": "a: 1\n", "templates/cm.yaml": cm,
				"values.schema.json": `{"type": "object", "properties": {"a": {"$ref": "https://example.com/a.json"}}}`},
			helm.Options{}, lint.Note, "values.schema.json", `refers to https://example.com/a.json; ekslint does not follow schema references`},
		{"schema with a local file $ref is not followed",
			map[string]string{"Chart.yaml": chartYAML, "values.yaml": "a: 1\n", "templates/cm.yaml": cm,
				"values.schema.json": `{"type": "object", "properties": {"a": {"$ref": "/etc/passwd"}}}`},
			helm.Options{}, lint.Note, "values.schema.json", `refers to file:///etc/passwd`},
		{"values file outside the root",
			map[string]string{"Chart.yaml": chartYAML, "templates/cm.yaml": cm},
			helm.Options{Values: helm.ValueSet{Files: []string{filepath.Join(outside, "secret.yaml")}}}, lint.Error, "", `values file is outside the lint root`},
		{"--set-file outside the root",
			map[string]string{"Chart.yaml": chartYAML, "templates/cm.yaml": cm},
			helm.Options{Values: helm.ValueSet{SetFile: []string{"a=" + filepath.Join(outside, "secret.yaml")}}}, lint.Error, "", `--set-file is outside the lint root`},
		{"bad YAML in a values file",
			map[string]string{"Chart.yaml": chartYAML, "templates/cm.yaml": cm, "prod.yaml": "a: 1\nb: [\n"},
			helm.Options{Values: helm.ValueSet{Files: []string{"prod.yaml"}}}, lint.Error, "prod.yaml:2", `cannot read values: `},
		{"a values file that is a list",
			map[string]string{"Chart.yaml": chartYAML, "templates/cm.yaml": cm, "prod.yaml": "- a: 1\n"},
			helm.Options{Values: helm.ValueSet{Files: []string{"prod.yaml"}}}, lint.Error, "prod.yaml:1:1", `^the values file must be a mapping of keys to values, not a list$`},
		{"bad YAML in the output",
			map[string]string{"Chart.yaml": chartYAML, "values.yaml": "a: 1\n",
				"templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: {{ .Values.a }}\n   b: [\n"},
			helm.Options{}, lint.Error, "templates/cm.yaml:7:4", `rendered output: invalid YAML`},
		{"bad YAML in the output lines below its mapping's first key, after an include",
			map[string]string{"Chart.yaml": chartYAML, "templates/_h.tpl": "{{- define \"x.labels\" -}}\na: \"1\"\nb: \"2\"\n{{- end -}}\n",
				"templates/svc.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  labels:\n    {{- include \"x.labels\" . | nindent 4 }}\n" +
					"spec:\n  type: ClusterIP\n  ports:\n    - port: 53\n  clusterIP: {PREFIX}.16\n"},
			helm.Options{}, lint.Error, "templates/svc.yaml:11:3", `^rendered output: invalid YAML: did not find expected key$`},
		{"a %YAML 1.2 directive in a template",
			map[string]string{"Chart.yaml": chartYAML, "templates/cm.yaml": "%YAML 1.2\n---\n" + cm},
			helm.Options{}, lint.Warning, "templates/cm.yaml:1:1", `^rendered output: %YAML 1\.2: kubectl, Helm and kustomize read only`},
		{"duplicate key after an include",
			map[string]string{"Chart.yaml": chartYAML, "templates/_h.tpl": "{{- define \"x.labels\" -}}\na: \"1\"\nb: \"2\"\n{{- end -}}\n",
				"templates/dup.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels:\n    {{- include \"x.labels\" . | nindent 4 }}\n" +
					"spec:\n  affinity:\n    podAntiAffinity: {}\n    podAntiAffinity: null\n  containers: [{name: a, image: a:1}]\n"},
			helm.Options{}, lint.Error, "templates/dup.yaml:10:5", `^rendered output: duplicate key "podAntiAffinity" \(first at line 9\):`},
		{"duplicate key first written by a helper",
			map[string]string{"Chart.yaml": chartYAML, "templates/_h.tpl": "{{- define \"x.labels\" -}}\na: \"1\"\nb: \"2\"\n{{- end -}}\n",
				"templates/dup.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    {{- include \"x.labels\" . | nindent 4 }}\n    b: \"3\"\n"},
			helm.Options{}, lint.Error, "templates/dup.yaml:7:5", `^rendered output: duplicate key "b" \(first at templates/_h.tpl:3\):`},
		{"duplicate key with the same value as a helper writes it: linted",
			map[string]string{"Chart.yaml": chartYAML, "templates/_h.tpl": "{{- define \"x.labels\" -}}\na: \"1\"\nb: \"2\"\n{{- end -}}\n",
				"templates/dup.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    {{- include \"x.labels\" . | nindent 4 }}\n    b: '2'\n"},
			helm.Options{}, lint.Warning, "templates/dup.yaml:7:5", `^rendered output: duplicate key "b" \(first at templates/_h.tpl:3\) with the same value;`},
		{"required value",
			map[string]string{"Chart.yaml": chartYAML, "templates/cm.yaml": "a: {{ required \"set a, please\" .Values.a }}\n"},
			helm.Options{}, lint.Error, "templates/cm.yaml:1:7", `^rendering failed: set a, please \(lint the chart with the values it needs`},
		{"required in a helper, at the outermost include (Helm's error names no other line)",
			map[string]string{"Chart.yaml": chartYAML, "templates/_h.tpl": "{{- define \"x.storage\" -}}\nbucket: {{ required \"set bucket\" .Values.bucket }}\n{{- end -}}\n",
				"templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  config.yaml: |\n    {{- include \"x.storage\" . | nindent 4 }}\n",
				"ci/values.yaml":    "bucket: b\n"},
			helm.Options{}, lint.Error, "templates/cm.yaml:7:9", `^rendering failed: set bucket \(lint the chart with the values it needs: .*; its ci/ folder holds values files for chart-testing, e\.g\. --values ci/values\.yaml\)$`},
		{"a fail message of several lines, on one",
			map[string]string{"Chart.yaml": chartYAML, "templates/cm.yaml": "{{- fail \"Pass a licence.\\n  See the docs.\" }}\n"},
			helm.Options{}, lint.Error, "templates/cm.yaml:1", `^rendering failed: Pass a licence\. See the docs\. \(lint the chart`},
		{"required value, a subchart's ci/ values file not offered",
			map[string]string{"Chart.yaml": chartYAML, "templates/cm.yaml": "a: {{ required \"set a, please\" .Values.a }}\n",
				"charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n", "charts/sub/ci/values.yaml": "b: 1\n"},
			helm.Options{}, lint.Error, "templates/cm.yaml:1:7", `^rendering failed: set a, please \(lint the chart with the values it needs: --set, --values, or value sets in \.ekslint\.yaml\)$`},
		{"required value with the ci/ values file given: it is not offered again",
			map[string]string{"Chart.yaml": chartYAML, "templates/cm.yaml": "a: {{ required \"set a, please\" .Values.a }}\n", "ci/values.yaml": "b: 1\n"},
			helm.Options{Values: helm.ValueSet{Files: []string{"ci/values.yaml"}}}, lint.Error, "templates/cm.yaml:1:7", `^rendering failed: set a, please \(lint the chart with the values it needs: --set, --values, or value sets in \.ekslint\.yaml\)$`},
		{"a default the schema refuses: the hint names ci/ (external-dns)",
			map[string]string{"Chart.yaml": chartYAML, "templates/cm.yaml": cm, "values.yaml": "cluster: \"\"\n", "ci/ci-values.yaml": "cluster: c\n",
				"values.schema.json": `{"type": "object", "properties": {"cluster": {"type": "string", "minLength": 1}}}`},
			helm.Options{}, lint.Error, "values.yaml:1:1", `^values do not match values\.schema\.json: cluster: minLength: got 0, want 1 \(lint the chart .*e\.g\. --values ci/ci-values\.yaml\)$`},
		{"include of a name no define has (kube-linter's subchart, linted alone)",
			map[string]string{"Chart.yaml": chartYAML, "templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ include \"mychart.fullname\" . }}\n"},
			helm.Options{}, lint.Error, "templates/cm.yaml:4:12", `^rendering failed: no define named "mychart.fullname" in the chart or its dependencies$`},
		{"nil pointer in a helper",
			map[string]string{"Chart.yaml": chartYAML, "templates/_h.tpl": "{{- define \"h\" -}}\n{{ .Values.x.y.z }}\n{{- end }}\n",
				"templates/cm.yaml": "a: {{ include \"h\" . }}\n"},
			helm.Options{}, lint.Error, "templates/_h.tpl:2:11", `^rendering failed: nil pointer evaluating interface \{\}\.y \(lint the chart with the values it needs: --set, --values, or value sets in \.ekslint\.yaml\)$`},
		// Given values, the error is the chart's or theirs: no hint.
		{"nil pointer with values given",
			map[string]string{"Chart.yaml": chartYAML, "templates/_h.tpl": "{{- define \"h\" -}}\n{{ .Values.x.y.z }}\n{{- end }}\n",
				"templates/cm.yaml": "a: {{ include \"h\" . }}\n"},
			helm.Options{Values: helm.ValueSet{Set: []string{"w=1"}}}, lint.Error, "templates/_h.tpl:2:11", `^rendering failed: nil pointer evaluating interface \{\}\.y$`},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := writeChart(t, c.files)
			res := run(t, dir, c.opts)
			if c.level == lint.None {
				for _, p := range res.Problems {
					t.Errorf("problem: %s", p)
				}
				return
			}
			oneProblem(t, res, c.level, c.at, c.want)
		})
	}
}

// TestSymlinkOutsideRoot refuses a chart with a template that links out of the lint root.
func TestSymlinkOutsideRoot(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "passwd"), []byte("root:x:0:0\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := writeChart(t, map[string]string{"Chart.yaml": chartYAML})
	if err := os.MkdirAll(filepath.Join(dir, "templates"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "passwd"), filepath.Join(dir, "templates", "cm.yaml")); err != nil {
		t.Skip(err)
	}
	oneProblem(t, run(t, dir, helm.Options{}), lint.Error, "templates/cm.yaml", `^is a symlink that leads outside the lint root; chart not rendered$`)
}

// TestDiscoverFilesOfCharts maps files named inside a chart (pre-commit passes them) to the
// chart that is rendered: a template, a values file, a file of a vendored subchart.
func TestDiscoverFilesOfCharts(t *testing.T) {
	dir := writeChart(t, map[string]string{
		"charts/api/Chart.yaml":                             chartYAML,
		"charts/api/values-prod.yaml":                       "a: 1\n",
		"charts/api/templates/deploy.yaml":                  "a: 1\n",
		"charts/api/charts/db/Chart.yaml":                   chartYAML,
		"charts/api/charts/db/templates/sts.yaml":           "a: 1\n",
		"charts/api/charts/db/charts/cache/Chart.yaml":      chartYAML,
		"charts/api/charts/db/charts/cache/values.yaml":     "a: 1\n",
		"charts/standalone/Chart.yaml":                      chartYAML,
		"charts/standalone/templates/x.yaml":                "a: 1\n",
		"charts/api/charts/db/charts/cache/templates/x.tpl": "",
	})
	inputs, problems := discover.Discover([]string{
		"charts/api/templates/deploy.yaml", "charts/api/values-prod.yaml", "charts/api/charts/db/templates/sts.yaml",
		"charts/api/charts/db/charts/cache/values.yaml", "charts/standalone/templates/x.yaml",
	}, discover.Options{Root: dir, WorkDir: dir})
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	var got []string
	for _, in := range inputs {
		got = append(got, in.Kind.String()+" "+in.Path)
	}
	want := []string{"Helm chart charts/api", "Helm chart charts/standalone"}
	if !slices.Equal(got, want) {
		t.Errorf("inputs %v, want %v", got, want)
	}
}

// manyDefines is n empty defines.
func manyDefines(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "{{- define \"d%d\" }}{{ end }}\n", i)
	}
	return b.String()
}

// doublingSchema is a values.schema.json of n definitions, each an anyOf of two $refs to the
// next, the last failing: a value is checked against 2^n subschemas.
func doublingSchema(n int) string {
	var defs []string
	for i := range n {
		defs = append(defs, fmt.Sprintf(`"d%d": {"anyOf": [{"$ref": "#/$defs/d%d"}, {"$ref": "#/$defs/d%d"}]}`, i, i+1, i+1))
	}
	defs = append(defs, fmt.Sprintf(`"d%d": {"type": "string"}`, n))
	return `{"$defs": {` + strings.Join(defs, ", ") + `}, "properties": {"a": {"$ref": "#/$defs/d0"}}}`
}

// TestBrokenChartFiles places YAML errors in Chart.yaml and values.yaml at their lines, and the
// fields of Chart.yaml Helm refuses at their keys.
func TestBrokenChartFiles(t *testing.T) {
	cm := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
	for _, c := range []struct {
		name  string
		files map[string]string
		at    string
		want  string
	}{
		{"Chart.yaml", map[string]string{"Chart.yaml": "apiVersion: v2\nname: x\nversion: [\n", "templates/cm.yaml": cm},
			"Chart.yaml:3", `^Chart.yaml is not valid YAML: did not find expected node content$`},
		{"values.yaml", map[string]string{"Chart.yaml": chartYAML, "values.yaml": "a: 1\n b: 2\n", "templates/cm.yaml": cm},
			"values.yaml:2", `^values.yaml is not valid YAML: mapping values are not allowed in this context$`},
		{"values.yaml a string (helm's badvaluesfile)", map[string]string{"Chart.yaml": chartYAML, "values.yaml": "name= \"value\"\n", "templates/cm.yaml": cm},
			"values.yaml:1:1", `^the values file must be a mapping of keys to values, not a string$`},
		{"values.yaml a list", map[string]string{"Chart.yaml": chartYAML, "values.yaml": "- a\n- b\n", "templates/cm.yaml": cm},
			"values.yaml:1:1", `^the values file must be a mapping of keys to values, not a list$`},
		{"values.yaml a number, after a comment", map[string]string{"Chart.yaml": chartYAML, "values.yaml": "# replicas\n\n  3\n", "templates/cm.yaml": cm},
			"values.yaml:3:3", `^the values file must be a mapping of keys to values, not a number$`},
		{"values.yaml's second document a list", map[string]string{"Chart.yaml": chartYAML, "values.yaml": "a: 1\n---\n---\n- x\n", "templates/cm.yaml": cm},
			"values.yaml:4:1", `^the values file must be a mapping of keys to values, not a list$`},
		{"Chart.yaml a list", map[string]string{"Chart.yaml": "- name: a\n  version: 1.0.0\n", "templates/cm.yaml": cm},
			"Chart.yaml:1:1", `^Chart.yaml must be a mapping of keys to values, not a list$`},
		{"a field of the wrong kind", map[string]string{"Chart.yaml": "apiVersion: v2\nname: [a]\nversion: 1.0.0\n"},
			"Chart.yaml:2:1", `^name must be a string, not a list$`},
		{"a boolean field", map[string]string{"Chart.yaml": chartYAML + "deprecated: maybe\n"},
			"Chart.yaml:4:1", `^deprecated must be true or false, not a string$`},
		{"an item of a list field", map[string]string{"Chart.yaml": chartYAML + "keywords:\n  - web\n  - {a: b}\n"},
			"Chart.yaml:4:1", `^each item of keywords must be a string, not a mapping$`},
		{"a field of a dependency", map[string]string{"Chart.yaml": chartYAML + "dependencies:\n  - name: [db]\n"},
			"Chart.yaml:4:1", `^name in an entry of dependencies must be a string, not a list$`},
		{"an alias to no anchor", map[string]string{"Chart.yaml": chartYAML, "values.yaml": "a: &x 1\nb: *xy\n", "templates/cm.yaml": cm},
			"values.yaml:2:4", `^values.yaml is not valid YAML: unknown anchor 'xy' referenced$`},
		{"an alias bomb", map[string]string{"Chart.yaml": chartYAML, "values.yaml": "a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h,*h]\n", "templates/cm.yaml": cm},
			"values.yaml:6:29", `^alias \*e takes the document past 1000000 nodes when expanded \(an alias bomb\); document not linted \(--max-alias-nodes\)$`},
		// A megabyte aliased a thousand times: few nodes, but Helm's parser copies the text each time.
		{"a byte that is not UTF-8 in Chart.yaml, at its line", map[string]string{"Chart.yaml": "apiVersion: v2\nname: a\xff\nversion: 0.1.0\n", "templates/cm.yaml": cm},
			"Chart.yaml:2:8", `^not valid UTF-8 \(byte 0xFF\)`},
		{"an alias of a large string", map[string]string{"Chart.yaml": chartYAML, "values.yaml": "a: &a " + strings.Repeat("x", 1<<20) + "\nb: [" + strings.TrimSuffix(strings.Repeat("*a, ", 1000), ", ") + "]\n", "templates/cm.yaml": cm},
			"values.yaml:2:249", `^alias \*a takes the document past 1000000 nodes when expanded \(an alias bomb\)`},
		// The same in a flow mapping written as JSON, the aliases right after the colons: the
		// parsers read them as aliases, and Helm took 21 s and 5 GB.
		{"an alias of a large string after a colon", map[string]string{"Chart.yaml": chartYAML, "values.yaml": "a: &a " + strings.Repeat("x", 1<<20) + "\nb: {" + jsonAliases(1000) + "}\n", "templates/cm.yaml": cm},
			"values.yaml:2:550", `^alias \*a takes the document past 1000000 nodes when expanded \(an alias bomb\)`},
		{"no name", map[string]string{"Chart.yaml": "apiVersion: v2\nversion: 1.0.0\n", "templates/cm.yaml": cm},
			"Chart.yaml:1:1", `^Chart.yaml has no name; every chart needs one$`},
		{"no version", map[string]string{"Chart.yaml": "apiVersion: v2\nname: a\n", "templates/cm.yaml": cm},
			"Chart.yaml:1:1", `^Chart.yaml has no version; every chart needs one$`},
		{"version YAML reads as a number (helm's testdata)", map[string]string{"Chart.yaml": "apiVersion: v2\nname: a\nversion: 72445e2\n"},
			"Chart.yaml:3:1", `^version 72445e2 \(read as the number 7\.2445e\+06\) is not a semantic version; write one such as 1\.2\.3, in quotes if it looks like a number$`},
		{"version not semantic", map[string]string{"Chart.yaml": "apiVersion: v2\nname: a\nversion: latest\n"},
			"Chart.yaml:3:1", `^version "latest" is not a semantic version; write one`},
		{"name is a path", map[string]string{"Chart.yaml": "apiVersion: v2\nname: a/b\nversion: 1.0.0\n"},
			"Chart.yaml:2:1", `^name "a/b" is not a chart name; write a plain name, without slashes, that is not \. or \.\.$`},
		{"type", map[string]string{"Chart.yaml": "apiVersion: v2\nname: a\nversion: 1.0.0\n  # the kind\ntype: app\n"},
			"Chart.yaml:5:1", `^type "app" must be application or library$`},
		{"empty maintainer", map[string]string{"Chart.yaml": "apiVersion: v2\nname: a\nversion: 1.0.0\nmaintainers:\n  -\n"},
			"Chart.yaml:4:1", `^maintainers has an empty entry; remove it or fill it in$`},
		{"duplicate dependency", map[string]string{"Chart.yaml": "apiVersion: v2\nname: a\nversion: 1.0.0\n" +
			"dependencies:\n  - {name: db, version: 1.0.0}\n  - {name: db, version: 1.0.0}\n"},
			"Chart.yaml:4:1", `^more than one dependency with name or alias "db"$`},
		{"a subchart's Chart.yaml, at its own line", map[string]string{"Chart.yaml": chartYAML, "charts/db/Chart.yaml": "apiVersion: v2\nname: db\nversion: x\n"},
			"charts/db/Chart.yaml:3:1", `^version "x" is not a semantic version`},
		{"apiVersion v3", map[string]string{"Chart.yaml": "name: a\napiVersion: v3\nversion: 1.0.0\n"},
			"Chart.yaml:2:1", `^chart apiVersion "v3" is not supported; Helm 4\.3 renders v1 and v2 charts$`},
	} {
		t.Run(c.name, func(t *testing.T) {
			oneProblem(t, run(t, writeChart(t, c.files), helm.Options{}), lint.Error, c.at, c.want)
		})
	}
}

// TestIncludedTemplateThroughFunctions renders a template that upper-cases another template it
// includes: markers never reach a function (include returns its text without them), so the
// file needs no plain render and its lines keep their exact mapping.
func TestIncludedTemplateThroughFunctions(t *testing.T) {
	dir := writeChart(t, map[string]string{
		"Chart.yaml":           chartYAML,
		"templates/inner.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inner\ndata:\n  a: b\n",
		"templates/outer.yaml": "# {{ include \"demo/templates/inner.yaml\" . | upper | replace \"\\n\" \" \" }}\n" +
			"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: outer\nspec:\n  template:\n    spec:\n" +
			"      containers:\n        - name: app\n          image: nginx\n",
	})
	l, err := helm.New(helm.Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	in := load.Input{Kind: load.Chart, Path: ".", Abs: dir, Root: linttest.Root(t, dir)}
	res := engine.Run(context.Background(), []load.Input{in}, engine.Options{Rules: []*lint.Rule{rules.ImageTagMutable}, Loaders: map[load.InputKind]load.Loader{load.Chart: l}})
	for _, p := range res.Problems {
		t.Errorf("problem: %s", p)
	}
	if len(res.Findings) != 1 || res.Findings[0].Pos.String() != "templates/outer.yaml:11:11" || !strings.Contains(res.Findings[0].Message, `"nginx"`) {
		t.Errorf("findings %v, want one on image \"nginx\" at templates/outer.yaml:11:11", res.Findings)
	}
	if got := l.Stats().Plain.Load(); got != 0 {
		t.Errorf("%d files from a plain render, want none", got)
	}
}

// TestFindingsInHelpers lints a chart that keeps its pod spec in a helper, as grafana's does: a
// finding lands on the helper's line, related to the helper's define and the line that includes
// it, whether an include or a template action writes it, trimmed first or not; when the helper's
// text goes through another function first, the finding stays on the include line, related to the
// helper.
func TestFindingsInHelpers(t *testing.T) {
	pod := "{{- define \"demo.pod\" -}}\ncontainers:\n  - name: app\n    image: {{ template \"demo.image\" . }}\n" +
		"  - name: sidecar\n    image: busybox:latest\n{{- end }}\n" +
		"{{- define \"demo.image\" -}}\nnginx:{{ .Values.tag }}\n{{- end }}\n"
	deploy := func(name, include string) string {
		return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "\nspec:\n  template:\n    spec:\n      " + include + "\n"
	}
	dir := writeChart(t, map[string]string{
		"Chart.yaml":              chartYAML,
		"values.yaml":             "tag: latest\n",
		"templates/_pod.tpl":      pod,
		"templates/web.yaml":      deploy("web", `{{- include "demo.pod" . | nindent 6 }}`),
		"templates/worker.yaml":   deploy("worker", `{{ include "demo.pod" . | indent 6 | trim }}`),
		"templates/api.yaml":      deploy("api", `{{- include "demo.pod" . | trim | nindent 6 }}`),
		"templates/_spec.tpl":     "{{- define \"demo.spec\" }}\n      containers:\n        - name: batch\n          image: busybox:latest\n{{- end }}\n",
		"templates/batch.yaml":    deploy("batch", `{{- template "demo.spec" . }}`),
		"templates/_unused.tpl":   "{{- define \"demo.unused\" }}x{{ end }}\n",
		"templates/_override.tpl": "{{/* an empty define does not replace demo.image */}}\n{{- define \"demo.image\" }}{{ end }}\n",
	})
	res := lintImageTags(t, dir)
	for _, p := range res.Problems {
		t.Errorf("problem: %s", p)
	}
	var got []string
	for _, f := range res.Findings {
		s := f.Pos.String()
		for _, r := range f.Related {
			s += " | " + r.Pos.String() + " " + r.Message
		}
		got = append(got, s)
	}
	// web.yaml's findings are api.yaml's, on the same lines: one finding each.
	want := []string{
		`templates/_pod.tpl:4:5 | templates/_pod.tpl:1:1 rendered by the helper "demo.pod" defined here | templates/api.yaml:8:7 the helper "demo.pod" is included here`,
		`templates/_pod.tpl:6:5 | templates/_pod.tpl:1:1 rendered by the helper "demo.pod" defined here | templates/api.yaml:8:7 the helper "demo.pod" is included here`,
		`templates/_spec.tpl:4:11 | templates/_spec.tpl:1:1 rendered by the helper "demo.spec" defined here | templates/batch.yaml:8:7 the helper "demo.spec" is included here`,
		`templates/worker.yaml:8:7 | templates/_pod.tpl:1:1 rendered by the helper "demo.pod" defined here`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestFindingsInHelpersThroughVariables: a helper's text kept in a variable that the template only
// writes out (`{{ $pod := include ... }}`, then `{{ $pod | nindent 6 }}`, as the ACK controller
// charts write their RBAC rules) lands on the helper's lines as an include written out does; one
// the template also reads otherwise (`if $pod`) holds the text as Helm renders it, and its
// findings stay on the line that writes it.
func TestFindingsInHelpersThroughVariables(t *testing.T) {
	pod := "{{- define \"demo.pod\" -}}\ncontainers:\n  - name: app\n    image: nginx:latest\n{{- end }}\n"
	deploy := func(name, before, write string) string {
		return before + "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "\nspec:\n  template:\n    spec:\n      " + write + "\n"
	}
	dir := writeChart(t, map[string]string{
		"Chart.yaml":             chartYAML,
		"templates/_pod.tpl":     pod,
		"templates/kept.yaml":    deploy("kept", "{{- $pod := include \"demo.pod\" . }}\n", "{{- $pod | nindent 6 }}"),
		"templates/checked.yaml": deploy("checked", "{{- $pod := include \"demo.pod\" . }}\n", "{{- if $pod }}{{ $pod | nindent 6 }}{{ end }}"),
	})
	res := lintImageTags(t, dir)
	for _, p := range res.Problems {
		t.Errorf("problem: %s", p)
	}
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.Pos.String())
	}
	if want := []string{"templates/_pod.tpl:4:5", "templates/checked.yaml:9:7"}; !slices.Equal(got, want) {
		t.Errorf("findings %q, want %q", got, want)
	}
}

// TestFindingsInHelpersOfAPlainRender: when a rendering must be taken from a plain render (here an
// include of a whole template whose value is missing, as the checksum idiom does), the lines both
// renders agree on keep their helpers and the includes that wrote them (harbor's chart crashed the
// rules asking for them).
func TestFindingsInHelpersOfAPlainRender(t *testing.T) {
	dir := writeChart(t, map[string]string{
		"Chart.yaml":              chartYAML,
		"templates/_pod.tpl":      "{{- define \"demo.pod\" -}}\ncontainers:\n  - name: app\n    image: nginx:latest\n{{- end }}\n",
		"templates/web.yaml":      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      {{- include \"demo.pod\" . | nindent 6 }}\n",
		"templates/checksum.yaml": "# {{ include (print $.Template.BasePath \"/cm.yaml\") . | sha256sum }}\n",
		"templates/cm.yaml":       "x: \"{{ .Values.nope }}\"\n",
	})
	res := lintImageTags(t, dir)
	for _, p := range res.Problems {
		t.Errorf("problem: %s", p)
	}
	if len(res.Findings) != 1 || res.Findings[0].Pos.String() != "templates/_pod.tpl:4:5" || len(res.Findings[0].Related) != 2 {
		t.Errorf("findings = %v", res.Findings)
	}
}

// lintImageTags lints the chart at dir with k8s-image-tag-mutable alone.
func lintImageTags(t *testing.T, dir string) *engine.Result {
	t.Helper()
	return lintChartIn(t, dir, ".", rules.ImageTagMutable)
}

// lintChartIn lints the chart in folder chart of root, the lint root, with rs alone.
func lintChartIn(t *testing.T, root, chart string, rs ...*lint.Rule) *engine.Result {
	t.Helper()
	l, err := helm.New(helm.Options{WorkDir: root})
	if err != nil {
		t.Fatal(err)
	}
	in := load.Input{Kind: load.Chart, Path: chart, Abs: filepath.Join(root, chart), Root: linttest.Root(t, root)}
	return engine.Run(context.Background(), []load.Input{in}, engine.Options{Rules: rs, Loaders: map[load.InputKind]load.Loader{load.Chart: l}})
}

// lintChart lints the chart at dir with every rule and lists its findings as "rule file:line:col",
// each followed by " | file:line:col message" per related location.
func lintChart(t *testing.T, dir string) []string {
	t.Helper()
	l, err := helm.New(helm.Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	in := load.Input{Kind: load.Chart, Path: ".", Abs: dir, Root: linttest.Root(t, dir)}
	res := engine.Run(context.Background(), []load.Input{in}, engine.Options{Rules: rules.All(), Loaders: map[load.InputKind]load.Loader{load.Chart: l}})
	for _, p := range res.Problems {
		t.Errorf("problem: %s", p)
	}
	var got []string
	for _, f := range res.Findings {
		s := f.Rule.ID + " " + f.Pos.String()
		for _, r := range f.Related {
			s += " | " + r.Pos.String() + " " + r.Message
		}
		got = append(got, s)
	}
	return got
}

// TestRelatedValuesKeys relates fields a toYaml wrote to the key inside the value that set them:
// the field's own key when several share a template line, the item's index in the values list
// when the template's list has items of its own before, a value written on its key's line, and
// values read through `$` or a variable holding the root context.
func TestRelatedValuesKeys(t *testing.T) {
	dir := writeChart(t, map[string]string{
		"Chart.yaml": chartYAML,
		"values.yaml": "sc: {allowPrivilegeEscalation: true, privileged: true}\nres: {}\n" +
			"extraVolumes:\n  - name: logs\n    hostPath: {path: /var/log/pods}\n  - name: scratch\n    emptyDir: {}\n" +
			"b:\n  resources: {}\n",
		"templates/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers:\n" +
			"    - name: a\n      image: a:1\n      securityContext:\n        {{- toYaml .Values.sc | nindent 8 }}\n" +
			"      resources: {{ toYaml $.Values.res | nindent 8 }}\n" +
			"    {{- include \"demo.b\" . | nindent 4 }}\n" +
			"  volumes:\n    - name: config\n      emptyDir: {}\n    {{- toYaml .Values.extraVolumes | nindent 4 }}\n",
		"templates/_b.tpl": "{{- define \"demo.b\" -}}\n{{- $root := . -}}\n- name: b\n  image: b:1\n  resources:\n" +
			"    {{- toYaml $root.Values.b.resources | nindent 4 }}\n{{- end }}\n",
	})
	got := lintChart(t, dir)
	for _, want := range []string{
		"k8s-privilege-escalation-allowed templates/pod.yaml:9:9 | values.yaml:1:6 set by sc.allowPrivilegeEscalation",
		"k8s-privileged-container templates/pod.yaml:9:9 | values.yaml:1:38 set by sc.privileged",
		"k8s-cpu-limit-missing templates/pod.yaml:10:7 | values.yaml:2:1 set by res",
		"k8s-host-path-volume templates/pod.yaml:15:5 | values.yaml:4:5 set by extraVolumes.0",
		`k8s-cpu-limit-missing templates/_b.tpl:5:3 | values.yaml:9:3 set by b.resources | templates/_b.tpl:1:1 rendered by the helper "demo.b" defined here | templates/pod.yaml:11:5 the helper "demo.b" is included here`,
	} {
		if !slices.Contains(got, want) {
			t.Errorf("no finding %s; got\n%s", want, strings.Join(got, "\n"))
		}
	}
}

// TestNestedHelpers relates a finding in a helper that another helper includes to each include
// that led to it, innermost first: the including helper's line, then the template's.
func TestNestedHelpers(t *testing.T) {
	dir := writeChart(t, map[string]string{
		"Chart.yaml": chartYAML,
		"templates/_h.tpl": "{{- define \"x.labels\" -}}\na: \"1\"\n{{- end -}}\n" +
			"{{- define \"x.pod\" -}}\napiVersion: v1\nkind: Pod\nmetadata: {name: y}\nspec:\n  {{- include \"x.spec\" . | nindent 2 }}\n{{- end -}}\n" +
			"{{- define \"x.spec\" -}}\ncontainers:\n  - name: app\n    image: app:latest\n{{- end -}}\n",
		"templates/nested.yaml": "{{- include \"x.pod\" . }}\n",
	})
	want := `k8s-image-tag-mutable templates/_h.tpl:14:5 | templates/_h.tpl:11:1 rendered by the helper "x.spec" defined here` +
		` | templates/_h.tpl:9:3 the helper "x.spec" is included here | templates/nested.yaml:1:1 the helper "x.pod" is included here`
	if got := lintChart(t, dir); !slices.Contains(got, want) {
		t.Errorf("no finding %s; got\n%s", want, strings.Join(got, "\n"))
	}
}

// TestLibraryHelpers: a finding written by a helper of a vendored library chart (type: library,
// or a subchart of helpers only, as Linkerd's partials) lands where the chart includes it, which
// is what its authors edit, related to the helper's line; the chart's own helpers keep theirs.
func TestLibraryHelpers(t *testing.T) {
	helper := "{{- define \"lib.container\" -}}\n- name: app\n  image: app:latest\n{{- end -}}\n"
	pod := "apiVersion: v1\nkind: Pod\nmetadata: {name: y}\nspec:\n  containers:\n    {{- include \"lib.container\" . | nindent 4 }}\n"
	for _, c := range []struct {
		name, chartYAML string
	}{
		{"type: library", "apiVersion: v2\nname: lib\nversion: 1.0.0\ntype: library\n"},
		{"helpers only", "apiVersion: v1\nname: lib\nversion: 1.0.0\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := writeChart(t, map[string]string{
				"Chart.yaml": chartYAML, "templates/pod.yaml": pod,
				"charts/lib/Chart.yaml": c.chartYAML, "charts/lib/templates/_container.tpl": helper,
			})
			want := `k8s-image-tag-mutable templates/pod.yaml:6:5 | charts/lib/templates/_container.tpl:3:3 written by the helper "lib.container" of a library chart`
			if got := lintChart(t, dir); !slices.Contains(got, want) {
				t.Errorf("no finding %s; got\n%s", want, strings.Join(got, "\n"))
			}
		})
	}
}

// TestScaffold: a chart whose Chart.yaml holds a template action Helm cannot read (a build step's
// scaffold) is noted at the action and not rendered; braces in a string of a chart's Chart.yaml
// are read as written.
func TestScaffold(t *testing.T) {
	root := writeChart(t, map[string]string{
		"scaffold/Chart.yaml":        "apiVersion: v2\nname: db\nversion: {{ .Version }}\n",
		"scaffold/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
		"chart/Chart.yaml":           "apiVersion: v2\nname: db\nversion: 1.0.0\ndescription: \"renders {{ .Values.x }}\"\n",
		"chart/templates/cm.yaml":    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n",
	})
	for _, c := range []struct {
		chart    string
		problems []string
		objects  int
	}{
		{"scaffold", []string{"note scaffold/Chart.yaml:3:10"}, 0},
		{"chart", nil, 1},
	} {
		res := lintChartIn(t, root, c.chart)
		var got []string
		for _, p := range res.Problems {
			got = append(got, p.Level.String()+" "+p.Pos.String())
		}
		if !slices.Equal(got, c.problems) || res.Objects != c.objects {
			t.Errorf("%s: problems %q, %d objects; want %q and %d", c.chart, got, res.Objects, c.problems, c.objects)
		}
	}
}

// TestLocalDependency: a dependency taken from a folder of the repository (file://) and not
// vendored is read from there, as `helm dependency build` would vendor it, and its findings land
// in its own files; one outside the lint root is not read, and stays missing.
func TestLocalDependency(t *testing.T) {
	root := writeChart(t, map[string]string{
		"app/Chart.yaml":         "apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: worker\n    version: 1.0.0\n    repository: file://../worker\n",
		"app/templates/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers: [{name: app, image: app:1.0}]\n",
		"worker/Chart.yaml":      "apiVersion: v2\nname: worker\nversion: 1.0.0\n",
		"worker/.helmignore":     "notes/\n",
		"worker/notes/x.yaml":    "not: [a template\n",
		"worker/templates/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: worker}\nspec:\n  containers:\n" +
			"    - name: worker\n      image: worker:latest\n",
	})
	l, err := helm.New(helm.Options{WorkDir: root})
	if err != nil {
		t.Fatal(err)
	}
	in := load.Input{Kind: load.Chart, Path: "app", Abs: filepath.Join(root, "app"), Root: linttest.Root(t, root)}
	res := engine.Run(context.Background(), []load.Input{in}, engine.Options{Rules: []*lint.Rule{rules.ImageTagMutable}, Loaders: map[load.InputKind]load.Loader{load.Chart: l}})
	if len(res.Problems) > 0 || len(res.Findings) != 1 || res.Findings[0].Pos.String() != "worker/templates/pod.yaml:7:7" {
		t.Errorf("problems %v, findings %v: want one finding at worker/templates/pod.yaml:7:7", res.Problems, res.Findings)
	}
	// With the app's folder as the lint root, ../worker is outside it.
	in.Root = linttest.Root(t, filepath.Join(root, "app"))
	res = engine.Run(context.Background(), []load.Input{in}, engine.Options{Rules: []*lint.Rule{rules.ImageTagMutable}, Loaders: map[load.InputKind]load.Loader{load.Chart: l}})
	if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Message, `dependency "worker" 1.0.0 from file://../worker is enabled but not in charts/; ../worker holds no chart inside the lint root`) {
		t.Errorf("problems %v: want the dependency missing", res.Problems)
	}
}

// TestLocalDependencyChain: a local dependency's own local dependencies are read as building each
// chart's dependencies from the bottom up would vendor them, relative to its folder, and their
// findings land in their own files. A cycle, or a folder whose chart has another name, is missing
// as it would be from Helm's charts/, and the problem says why.
func TestLocalDependencyChain(t *testing.T) {
	dep := func(name, on, version string) string {
		return "apiVersion: v2\nname: " + name + "\nversion: " + version + "\ndependencies:\n  - name: " + on + "\n    version: 1.0.0\n    repository: file://../" + on + "\n"
	}
	root := writeChart(t, map[string]string{
		"app/Chart.yaml":    dep("app", "lib", "0.1.0"),
		"lib/Chart.yaml":    dep("lib", "worker", "1.0.0"),
		"worker/Chart.yaml": "apiVersion: v2\nname: worker\nversion: 1.0.0\n",
		"worker/templates/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: worker}\nspec:\n  containers:\n" +
			"    - name: worker\n      image: worker:latest\n",
		"cycle/Chart.yaml":   dep("cycle", "back", "1.0.0"),
		"back/Chart.yaml":    dep("back", "cycle", "1.0.0"),
		"renamed/Chart.yaml": dep("renamed", "other", "1.0.0"),
		"other/Chart.yaml":   "apiVersion: v2\nname: another\nversion: 1.0.0\n",
	})
	for _, c := range []struct{ chart, want string }{
		{"app", "worker/templates/pod.yaml:7:7"},
		{"cycle", `back/Chart.yaml:5:5: dependency "cycle" 1.0.0 from file://../cycle is enabled but not in charts/; ../cycle depends on this chart in turn`},
		{"renamed", `renamed/Chart.yaml:5:5: dependency "other" 1.0.0 from file://../other is enabled but not in charts/; ../other holds the chart "another", and Helm vendors a chart under its own name`},
	} {
		res := lintChartIn(t, root, c.chart, rules.ImageTagMutable)
		var got []string
		for _, p := range res.Problems {
			got = append(got, p.Pos.String()+": "+p.Message)
		}
		for _, f := range res.Findings {
			got = append(got, f.Pos.String())
		}
		if len(got) != 1 || !strings.HasPrefix(got[0], c.want) {
			t.Errorf("%s: got %q, want one %q", c.chart, got, c.want)
		}
	}
}

// TestLocalDependencyFan: charts that each take two of the next layer from folders, fifteen layers
// deep, would be read 32,000 times over: the dependencies read from folders are bounded, and the
// problem says so.
func TestLocalDependencyFan(t *testing.T) {
	files := map[string]string{}
	for layer := range 15 {
		for _, side := range []string{"a", "b"} {
			c := fmt.Sprintf("apiVersion: v2\nname: l%d%s\nversion: 1.0.0\n", layer, side)
			if layer < 14 {
				c += fmt.Sprintf("dependencies:\n  - {name: l%da, version: 1.0.0, repository: file://../l%da}\n  - {name: l%db, version: 1.0.0, repository: file://../l%db}\n", layer+1, layer+1, layer+1, layer+1)
			}
			files[fmt.Sprintf("l%d%s/Chart.yaml", layer, side)] = c
		}
	}
	root := writeChart(t, files)
	var res *engine.Result
	linttest.Within(t, time.Minute, "a fan of local dependencies", func() { res = lintChartIn(t, root, "l0a", rules.ImageTagMutable) })
	if len(res.Problems) == 0 || !strings.Contains(res.Problems[0].Message, "more than 100 dependencies from folders") {
		t.Errorf("problems %v: want the bound's", res.Problems)
	}
}

// TestArchiveEntries: a subchart archive is refused for the number and length of its names, which
// Helm's loader does not bound (a 6 MB archive of a million empty files took 2 GB).
func TestArchiveEntries(t *testing.T) {
	many := map[string]string{"Chart.yaml": "apiVersion: v2\nname: sub\nversion: 1.0.0\n"}
	for i := range 20_001 {
		many[fmt.Sprintf("files/%d", i)] = ""
	}
	long := map[string]string{"Chart.yaml": many["Chart.yaml"], "files/" + strings.Repeat("x", 5000): ""}
	for name, files := range map[string]map[string]string{"many": many, "long": long} {
		dir := writeChart(t, map[string]string{"Chart.yaml": chartYAML, "charts/sub-1.0.0.tgz": string(tgz(t, "sub", files))})
		oneProblem(t, run(t, dir, helm.Options{}), lint.Error, "charts/sub-1.0.0.tgz",
			map[string]string{"many": `^cannot unpack subchart: it holds more than 20000 files$`, "long": `^cannot unpack subchart: it holds a file name of 5010 bytes`}[name])
	}
}
