package helm

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/common/util"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	helmengine "helm.sh/helm/v4/pkg/engine"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/load"
	"github.com/ekslint/ekslint/rules"
)

// BenchmarkLintChart reads, renders (marked), maps and lints each corpus chart with every rule,
// as `ekslint lint <chart>` does.
func BenchmarkLintChart(b *testing.B) {
	for _, c := range corpusCharts(b) {
		b.Run(c.name, func(b *testing.B) {
			l, err := New(Options{Values: c.sets[0]})
			if err != nil {
				b.Fatal(err)
			}
			in := load.Input{Kind: load.Chart, Path: c.name, Abs: c.dir, Root: c.root}
			opts := engine.Options{Rules: rules.All(), Loaders: map[load.InputKind]load.Loader{load.Chart: l}}
			for b.Loop() {
				res := engine.Run(context.Background(), []load.Input{in}, opts)
				for _, p := range res.Problems {
					if p.Level == lint.Error {
						b.Fatal(p)
					}
				}
			}
		})
	}
}

// BenchmarkHelmRender is the yardstick: Helm's own engine rendering the same chart with the same
// values, and nothing else (the chart loaded and its values prepared once, outside the loop).
func BenchmarkHelmRender(b *testing.B) {
	for _, c := range corpusCharts(b) {
		b.Run(c.name, func(b *testing.B) {
			ch, err := loader.Load(c.dir)
			if err != nil {
				b.Fatal(err)
			}
			vals := map[string]any{}
			for _, f := range c.sets[0].Files {
				v, err := common.ReadValuesFile(f)
				if err != nil {
					b.Fatal(err)
				}
				vals = loader.MergeMaps(vals, v)
			}
			if err := chartutil.ProcessDependencies(ch, vals); err != nil {
				b.Fatal(err)
			}
			top, err := util.ToRenderValues(ch, vals, common.ReleaseOptions{Name: DefaultReleaseName, Namespace: DefaultNamespace, IsInstall: true}, nil)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := (helmengine.Engine{}).Render(ch, top); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRenderMapped is what mapping adds to Helm's render: each template rewritten with its
// markers (not cached between iterations), rendered by Helm's engine, and every rendered file
// stripped and mapped. Loading the chart and preparing its values are outside the timing, as in
// BenchmarkHelmRender.
func BenchmarkRenderMapped(b *testing.B) {
	for _, c := range corpusCharts(b) {
		b.Run(c.name, func(b *testing.B) {
			l, err := New(Options{})
			if err != nil {
				b.Fatal(err)
			}
			ci, _ := chartInputFor(b, l, c.dir, c.root)
			for b.Loop() {
				b.StopTimer()
				r := prepared(b, ci, c.sets[0])
				for _, f := range ci.files {
					f.mark, f.rewritten = nil, false
				}
				b.StartTimer()
				out, _, err := r.run(context.Background(), r.marked)
				if err != nil {
					b.Fatal(err)
				}
				for name, text := range out {
					if isManifest(name) {
						r.fileMap(r.templates[name], strip(text, l.token))
					}
				}
			}
		})
	}
}

// largeValuesChart writes a chart whose values.yaml is about 9 MB: a few values its templates
// use, and 60,000 list items they only count, as a chart carrying its whole configuration in its
// values does (issue 13).
func largeValuesChart(b *testing.B) string {
	dir := b.TempDir()
	var values strings.Builder
	values.WriteString("replicaCount: 2\nimage:\n  repository: nginx\n  tag: \"1.27\"\nresources:\n  requests:\n    cpu: 100m\nconfig:\n  items:\n")
	for i := range 60_000 {
		fmt.Fprintf(&values, "    - name: item-%05d\n      enabled: true\n      weight: %d\n      labels:\n        team: team-%d\n        tier: backend\n      description: \"%s\"\n",
			i, i%100, i%40, strings.Repeat("lorem ipsum ", 6))
	}
	files := map[string]string{
		"Chart.yaml":  "apiVersion: v2\nname: large\nversion: 0.1.0\n",
		"values.yaml": values.String(),
		"templates/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n" +
			"  replicas: {{ .Values.replicaCount }}\n  template:\n    spec:\n      containers:\n        - name: app\n" +
			"          image: \"{{ .Values.image.repository }}:{{ .Values.image.tag }}\"\n          resources:\n" +
			"            {{- toYaml .Values.resources | nindent 12 }}\n",
		"templates/configmap.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n" +
			"  items: {{ len .Values.config.items | quote }}\n",
	}
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// BenchmarkLargeValues lints a chart with a 9 MB values.yaml, as `ekslint lint <chart>` does,
// and renders it with Helm's engine as `helm template` does, each without a memory limit (as
// ekslint runs charts) and under the 64 MiB limit it once set for runs of charts alone, which made
// the collector run without end (linter.Plan.Collector).
func BenchmarkLargeValues(b *testing.B) {
	dir := largeValuesChart(b)
	for _, limit := range []int64{64 << 20, math.MaxInt64} {
		name := "memory-limit-64MiB"
		if limit == math.MaxInt64 {
			name = "no-memory-limit"
		}
		b.Run("ekslint/"+name, func(b *testing.B) {
			defer debug.SetMemoryLimit(debug.SetMemoryLimit(limit))
			l, err := New(Options{WorkDir: dir})
			if err != nil {
				b.Fatal(err)
			}
			in := load.Input{Kind: load.Chart, Path: ".", Abs: dir, Root: rootOf(b, dir)}
			opts := engine.Options{Rules: rules.All(), Loaders: map[load.InputKind]load.Loader{load.Chart: l}}
			for b.Loop() {
				res := engine.Run(context.Background(), []load.Input{in}, opts)
				if len(res.Problems) > 0 || res.Objects != 2 {
					b.Fatal(res.Problems, res.Objects)
				}
			}
		})
		b.Run("helm/"+name, func(b *testing.B) {
			defer debug.SetMemoryLimit(debug.SetMemoryLimit(limit))
			for b.Loop() {
				ch, err := loader.Load(dir)
				if err != nil {
					b.Fatal(err)
				}
				top, err := util.ToRenderValues(ch, map[string]any{}, common.ReleaseOptions{Name: DefaultReleaseName, Namespace: DefaultNamespace, IsInstall: true}, nil)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := (helmengine.Engine{}).Render(ch, top); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
