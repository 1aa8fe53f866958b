package kustomize_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/kustomize"
	"github.com/ekslint/ekslint/lint/linter"
	"github.com/ekslint/ekslint/lint/linttest"
	"github.com/ekslint/ekslint/lint/load"
)

// testRules report at fields whose source is known in the testdata overlays, so the wants there
// say where each kind of field must land: base fields, patch fields, generator entries and
// transformer settings.
var testRules = []*lint.Rule{
	fieldRule("test-object", func(p *lint.Pass) { p.Report(p.Object.Get("metadata", "name"), "object") }),
	fieldRule("test-container", func(p *lint.Pass) {
		for _, c := range p.Object.Containers() {
			p.Report(c, "container")
		}
	}),
	fieldRule("test-image", func(p *lint.Pass) {
		for _, c := range p.Object.Containers() {
			p.Report(c.Get("image"), "image %s", c.Get("image").Str())
		}
	}),
	fieldRule("test-probe", func(p *lint.Pass) {
		for _, c := range p.Object.Containers() {
			if probe := c.Get("readinessProbe"); !probe.Exists() {
				p.Report(probe, "no probe")
			}
		}
	}),
	fieldRule("test-namespace", func(p *lint.Pass) {
		if ns := p.Object.Get("metadata", "namespace"); ns.Exists() {
			p.Report(ns, "namespace %s", ns.Str())
		}
	}),
	fieldRule("test-label", func(p *lint.Pass) {
		if l := p.Object.Get("metadata", "labels", "team"); l.Exists() {
			p.Report(l, "team %s", l.Str())
		}
	}),
	fieldRule("test-replicas", func(p *lint.Pass) {
		if r := p.Object.Get("spec", "replicas"); r.Exists() {
			p.Report(r, "replicas %s", r.Str())
		}
	}),
	fieldRule("test-hostnetwork", func(p *lint.Pass) {
		if h := p.Object.PodSpec().Get("hostNetwork"); h.Exists() {
			p.Report(h, "hostNetwork")
		}
	}),
	fieldRule("test-securitycontext", func(p *lint.Pass) {
		if sc := p.Object.PodSpec().Get("securityContext"); sc.Exists() {
			p.Report(sc, "securityContext")
		}
	}),
	fieldRule("test-configmap", func(p *lint.Pass) {
		if k := p.Object.Kind(); k == "ConfigMap" || k == "Secret" {
			p.Report(p.Object.Get("data"), "generated %s", p.Object.Name())
		}
	}),
	fieldRule("test-subject", func(p *lint.Pass) {
		for _, s := range p.Object.Get("subjects").Items() {
			p.Report(s.Get("name"), "subject %s", s.Get("name").Str())
		}
	}),
	fieldRule("test-no-origin", func(p *lint.Pass) {
		// The testdata objects have no annotations: the origin annotations added for the build
		// must be gone, and no empty mapping left behind.
		if a := p.Object.Get("metadata", "annotations"); a.Exists() {
			p.Report(a, "annotations left by the build: %v", a.Labels())
		}
	}),
}

func fieldRule(id string, check func(p *lint.Pass)) *lint.Rule {
	return &lint.Rule{ID: id, Level: lint.Warning, DefaultOn: true, Title: id, Inputs: lint.NamespaceInput, Check: check}
}

// loaderOptions runs the test rules over what the loader builds, without discovery: for tests
// about what the loader reads.
func loaderOptions() engine.Options {
	return engine.Options{Rules: testRules, Loaders: map[load.InputKind]load.Loader{load.Overlay: kustomize.NewLoader()}}
}

// request lints with the test rules.
func request() linter.Request { return linter.Request{Rules: testRules} }

// TestMapping builds each testdata overlay and checks that every finding lands on the line its
// wants name: in the base, in a patch (file or inline, strategic merge or JSON 6902), on a
// generator entry or on a transformer setting.
func TestMapping(t *testing.T) {
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() == "fuzz" { // go test's inputs for the fuzz targets
			continue
		}
		t.Run(e.Name(), func(t *testing.T) {
			res := linttest.Run(t, filepath.Join("testdata", e.Name()), request())
			if res.Objects == 0 {
				t.Error("no objects built")
			}
		})
	}
}

// TestVariants checks that a finding on a base line, produced by two overlays, is reported once
// and names both.
func TestVariants(t *testing.T) {
	res := linttest.Run(t, "testdata/shared", request())
	for _, f := range res.Findings {
		if !strings.HasPrefix(f.Pos.File, "testdata/shared/base/") {
			continue
		}
		if !slices.Equal(f.Variants, []string{"testdata/shared/dev", "testdata/shared/prod"}) {
			t.Errorf("%s %s: variants %q, want both overlays", f.Pos, f.Rule.ID, f.Variants)
		}
	}
}

// lintTree writes files (path → content) under a new root and lints the root.
func lintTree(t *testing.T, files map[string]string, paths ...string) *linter.Result {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		mode := os.FileMode(0o644)
		if strings.HasSuffix(name, ".sh") {
			mode = 0o755
		}
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
	}
	return lintAt(t, root, paths...)
}

func lintAt(t *testing.T, root string, paths ...string) *linter.Result {
	t.Helper()
	req := request()
	req.Paths, req.Root, req.WorkDir = paths, root, root
	return linttest.Lint(t, req)
}

// problemAt returns the problem reported at pos ("file:line:col") whose message contains all of
// words, or fails.
func problemAt(t *testing.T, problems []lint.Problem, pos string, words ...string) {
	t.Helper()
	for _, p := range problems {
		if p.Pos.String() != pos {
			continue
		}
		ok := true
		for _, w := range words {
			ok = ok && strings.Contains(p.Message, w)
		}
		if ok {
			return
		}
	}
	var got []string
	for _, p := range problems {
		got = append(got, p.String())
	}
	t.Errorf("no problem at %s containing %q; got:\n%s", pos, words, strings.Join(got, "\n"))
}

// watchdog runs f and fails the test when it does not return in time: a read that blocks, or a
// build that never ends, is the bug these tests look for, and a hung test says nothing about
// which it was.
func watchdog(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("%s: still running after 30s (blocked?)", what)
	}
}

// loadOverlays runs the loader alone over the overlays dirs (relative to root, which is also the
// lint root), as discovery would name them: these tests are about what the loader reads.
func loadOverlays(t *testing.T, root string, dirs ...string) *engine.Result {
	t.Helper()
	var inputs []load.Input
	lintRoot := linttest.Root(t, root)
	for _, d := range dirs {
		inputs = append(inputs, load.Input{Kind: load.Overlay, Path: d, Abs: filepath.Join(root, d), Root: lintRoot})
	}
	var res *engine.Result
	watchdog(t, "loading "+strings.Join(dirs, ", "), func() { res = engine.Run(context.Background(), inputs, loaderOptions()) })
	return res
}

// writeFiles writes files (path → content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
