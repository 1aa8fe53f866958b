package discover_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ekslint/ekslint/lint/discover"
	"github.com/ekslint/ekslint/lint/linter"
	"github.com/ekslint/ekslint/lint/linttest"
	"github.com/ekslint/ekslint/rules"
)

// The app a repository holds: a chart, a Kustomize base with an overlay, a plain manifest. The
// hostile-repository tests lint parts of it, as pre-commit and CI do, and compare with the same
// app in a clean repository.
var app = map[string]string{
	"app/chart/Chart.yaml":                 "apiVersion: v2\nname: web\nversion: 1.0.0\n",
	"app/chart/values.yaml":                "replicas: 2\nimage: nginx:latest\n",
	"app/chart/templates/deploy.yaml":      "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  replicas: {{ .Values.replicas }}\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: web\n        image: {{ .Values.image }}\n",
	"app/base/kustomization.yaml":          "resources: [deploy.yaml]\n",
	"app/base/deploy.yaml":                 "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      hostNetwork: true\n      containers: [{name: api, image: \"api:latest\"}]\n",
	"app/overlays/prod/kustomization.yaml": "resources: [../../base]\nnamePrefix: prod-\n",
	"app/plain.yaml":                       "apiVersion: v1\nkind: Pod\nmetadata:\n  name: tool\nspec:\n  containers: [{name: t, image: \"tool:latest\"}]\n",
	".gitignore":                           "build/\n*.tmp.yaml\n",
}

// lintTargets are what the tests lint in each repository: one chart, one file of a base (linted
// through its overlay), one plain file.
var lintTargets = []string{"app/chart", "app/base/deploy.yaml", "app/plain.yaml"}

// makeRepo writes a git repository of about files files: the app, then folders of filler (Go,
// Markdown, YAML that is not a manifest), a node_modules folder, an ignored build folder.
func makeRepo(t testing.TB, files int) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, ".git", "objects"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, content := range app {
		write(t, dir, name, content)
	}
	// Ten files to a folder, written by several goroutines: creating files is the slow part, and
	// mostly waiting.
	var wg sync.WaitGroup
	folders := make(chan int)
	for range 8 {
		wg.Go(func() {
			for i := range folders {
				folder := fmt.Sprintf("pkg%03d/mod%02d", i/100, i%100)
				for _, top := range []string{"src", "node_modules/src", "build/src"} {
					if err := os.MkdirAll(filepath.Join(dir, top, folder), 0o755); err != nil {
						t.Error(err)
					}
				}
				for j := range 10 {
					base := fmt.Sprintf("src/%s/f%d", folder, j)
					switch j % 5 {
					case 0:
						write(t, dir, base+".go", "package x\n")
					case 1:
						write(t, dir, base+".md", "# notes\n")
					case 2:
						write(t, dir, base+".yaml", "name: CI\non: push\n")
					case 3:
						write(t, dir, filepath.Join("node_modules", base+".json"), "{\"name\": \"x\"}\n")
					case 4:
						write(t, dir, filepath.Join("build", base+".yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: built}\n")
					}
				}
			}
		})
	}
	for i := range (files - len(app) + 9) / 10 {
		folders <- i
	}
	close(folders)
	wg.Wait()
	return dir
}

// addHostile adds to the repository in dir what a hostile pull request can commit, among its
// folders: symlinks to /dev/zero and out of the repository, symlink loops, pipes named like
// manifests, kustomizations, .gitignore files and charts, 1 GB sparse files and unreadable folders
// (which root reads anyway: what they hold changes nothing the tests lint).
func addHostile(t testing.TB, dir string) {
	t.Helper()
	link := func(target, name string) {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}
	fifo := func(name string) {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sparse := func(name string) {
		write(t, dir, name, "")
		if err := os.Truncate(filepath.Join(dir, name), 1<<30); err != nil {
			t.Fatal(err)
		}
	}
	outside := t.TempDir()
	for i := range 50 {
		d := fmt.Sprintf("src/pkg%03d/mod%02d/hostile%d/", 0, i, i)
		link("/dev/zero", d+"zero.yaml")
		link("/dev/zero", d+"zero/kustomization.yaml")
		link(outside, d+"outside")
		link(".", d+"self")
		link("loop-b", d+"loop-a")
		link("loop-a", d+"loop-b")
		link("../..", d+"up")
		link("/dev/zero", d+"zero/.gitignore")
		fifo(d + "pipe.yaml")
		fifo(d + "pipe/kustomization.yaml")
		fifo(d + "pipe/.gitignore")
		fifo(d + "pipe-chart/Chart.yaml")
		sparse(d + "huge.yaml")
		sparse(d + "huge/kustomization.yml")
		sparse(d + "huge/.gitignore")
		write(t, dir, d+"locked/kustomization.yaml", "resources: [cm.yaml]\n")
		write(t, dir, d+"locked/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: locked}\n")
		if err := os.Chmod(filepath.Join(dir, d, "locked"), 0); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		// t.TempDir cannot remove what it cannot read.
		filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
			if e != nil && e.IsDir() {
				os.Chmod(p, 0o755)
			}
			return nil
		})
	})
}

// write writes a file under dir, making its folder if there is none; it may run on any
// goroutine, so it fails the test with Error.
func write(t testing.TB, dir, name, content string) {
	p := filepath.Join(dir, name)
	err := os.WriteFile(p, []byte(content), 0o644)
	if errors.Is(err, fs.ErrNotExist) {
		if err = os.MkdirAll(filepath.Dir(p), 0o755); err == nil {
			err = os.WriteFile(p, []byte(content), 0o644)
		}
	}
	if err != nil {
		t.Error(err)
	}
}

// lintIn lints paths in repo as `cd repo && ekslint lint paths...` does, with every rule.
func lintIn(t testing.TB, repo string, paths ...string) *linter.Result {
	t.Helper()
	res, err := linter.Lint(context.Background(), linter.Request{Paths: paths, WorkDir: repo, Rules: rules.All(), Enable: []string{"all"}})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// summary is what a run reports, in words: findings and problems with their positions.
func summary(res *linter.Result) []string {
	var out []string
	for _, f := range res.Findings {
		out = append(out, fmt.Sprintf("%s %s %s", f.Pos, f.Rule.ID, f.Message))
	}
	for _, p := range res.Problems {
		out = append(out, p.String())
	}
	slices.Sort(out)
	return out
}

// TestHostileRepository lints one chart and one file in a repository of 100,000 files, some of
// them hostile, under a watchdog: the same findings as in a clean repository, nothing hostile
// read, and the memory of a small run. The folders that cannot be read stop nothing, whether the
// test runs as root (which reads them anyway) or not. -short uses 5,000 files.
func TestHostileRepository(t *testing.T) {
	files := 100_000
	if testing.Short() {
		files = 5_000
	}
	repo := makeRepo(t, files)
	want := map[string][]string{}
	for _, target := range lintTargets {
		if want[target] = summary(lintIn(t, repo, target)); len(want[target]) == 0 {
			t.Fatalf("%s: no findings in the clean repository; the comparison would prove nothing", target)
		}
	}
	addHostile(t, repo)
	for _, target := range lintTargets {
		t.Run(target, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			linttest.Within(t, time.Minute, "linting "+target, func() {
				got := summary(lintIn(t, repo, target))
				if !slices.Equal(got, want[target]) {
					t.Errorf("in the hostile repository:\n%s\nin the clean one:\n%s", strings.Join(got, "\n"), strings.Join(want[target], "\n"))
				}
			})
			runtime.ReadMemStats(&after)
			// A run this small allocates a few MB; reading one hostile file would take a GB.
			if mb := (after.TotalAlloc - before.TotalAlloc) >> 20; mb > 256 {
				t.Errorf("allocated %d MB", mb)
			}
		})
	}
}

// TestSearchBudget: a search that reaches its budget says so once, and maps what it found.
func TestSearchBudget(t *testing.T) {
	repo := makeRepo(t, 500)
	res := discover.Run([]string{"app/base/deploy.yaml"}, discover.Options{WorkDir: repo, Budget: discover.Budget{Entries: 100}})
	if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Message, "stopped after listing 100 folder entries") {
		t.Errorf("problems %v, want one note on the budget", res.Problems)
	}
	res = discover.Run([]string{"app/base/deploy.yaml"}, discover.Options{WorkDir: repo})
	if len(res.Problems) != 0 || len(res.Inputs) != 1 || res.Inputs[0].Path != "app/overlays/prod" {
		t.Errorf("inputs %v, problems %v: want the prod overlay", res.Inputs, res.Problems)
	}
}

// BenchmarkHostileRepo measures what linting one chart or one file costs in the hostile
// repository of 100,000 files (generated once, in about ten seconds): discovery alone, and the
// whole run.
func BenchmarkHostileRepo(b *testing.B) {
	repo := makeRepo(b, 100_000)
	addHostile(b, repo)
	for _, target := range lintTargets {
		b.Run("discover/"+target, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				discover.Run([]string{target}, discover.Options{WorkDir: repo})
			}
		})
		b.Run("lint/"+target, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				lintIn(b, repo, target)
			}
		})
	}
}
