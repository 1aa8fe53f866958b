package helm

import (
	"context"
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
