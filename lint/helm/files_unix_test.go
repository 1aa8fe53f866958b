//go:build unix

package helm_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/helm"
	"github.com/ekslint/ekslint/lint/linttest"
	"github.com/ekslint/ekslint/lint/load"
)

// TestHostileChartFiles reads charts and values files that would block, never end or leak: each
// costs one clear message, in time.
func TestHostileChartFiles(t *testing.T) {
	cm := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
	for _, c := range []struct {
		name  string
		setup func(t *testing.T, dir string)
		opts  helm.Options
		at    string
		want  string
	}{
		{"a template that is a FIFO", func(t *testing.T, dir string) {
			mkfifo(t, filepath.Join(dir, "chart", "templates", "fifo.yaml"))
		}, helm.Options{}, "chart/templates/fifo.yaml", `^is not a regular file \(a device, socket or pipe\); chart not rendered$`},
		{"a template linked to /dev/zero", func(t *testing.T, dir string) {
			symlink(t, "/dev/zero", filepath.Join(dir, "chart", "templates", "zero.yaml"))
		}, helm.Options{}, "chart/templates/zero.yaml", `^is a symlink that leads outside the lint root; chart not rendered$`},
		{"a template linked to nothing", func(t *testing.T, dir string) {
			symlink(t, "nothing.yaml", filepath.Join(dir, "chart", "templates", "gone.yaml"))
		}, helm.Options{}, "chart/templates/gone.yaml", `^is a symlink to a file that does not exist; chart not rendered$`},
		{"a .helmignore linked to nothing", func(t *testing.T, dir string) {
			symlink(t, "gone", filepath.Join(dir, "chart", ".helmignore"))
		}, helm.Options{}, "chart/.helmignore", `^is a symlink to a file that does not exist$`},
		// Named so that discovery does not take it for a manifest and report it first.
		{"a values file linked to nothing", func(t *testing.T, dir string) {
			symlink(t, "nothing.yaml", filepath.Join(dir, "prod.values"))
		}, helm.Options{Values: helm.ValueSet{Files: []string{"prod.values"}}}, "prod.values", `^values file is a symlink to a file that does not exist$`},
		{"a .helmignore that is a FIFO", func(t *testing.T, dir string) {
			mkfifo(t, filepath.Join(dir, "chart", ".helmignore"))
		}, helm.Options{}, "chart/.helmignore", `^is not a regular file \(a pipe, device or socket\); not read$`},
		{"a values file that is a FIFO", func(t *testing.T, dir string) {
			mkfifo(t, filepath.Join(dir, "prod.yaml"))
		}, helm.Options{Values: helm.ValueSet{Files: []string{"prod.yaml"}}}, "prod.yaml", `^values file: cannot read: is not a regular file`},
		{"a --set-file linked to /proc/self/fd/0", func(t *testing.T, dir string) {
			symlink(t, "/proc/self/fd/0", filepath.Join(dir, "stdin.txt"))
		}, helm.Options{Values: helm.ValueSet{SetFile: []string{"a=stdin.txt"}}}, "stdin.txt", `^--set-file is outside the lint root; not read \(run ekslint from the repository`},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := writeChart(t, map[string]string{"chart/Chart.yaml": chartYAML, "chart/templates/cm.yaml": cm})
			c.setup(t, dir)
			done := make(chan *engine.Result)
			go func() { done <- run(t, dir, c.opts) }()
			select {
			case res := <-done:
				oneProblem(t, res, lint.Error, c.at, c.want)
			case <-time.After(20 * time.Second):
				t.Fatal("still reading after 20s (blocked?)")
			}
		})
	}
}

func mkfifo(t *testing.T, p string) {
	t.Helper()
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skip(err)
	}
}

func symlink(t *testing.T, target, p string) {
	t.Helper()
	if err := os.Symlink(target, p); err != nil {
		t.Skip(err)
	}
}

// TestChartYAMLLinkedToNothing: a chart named on the command line whose Chart.yaml is a symlink
// to nothing says so, at Chart.yaml.
func TestChartYAMLLinkedToNothing(t *testing.T) {
	dir := writeChart(t, map[string]string{"templates/cm.yaml": "a: 1\n"})
	symlink(t, "nothing.yaml", filepath.Join(dir, "Chart.yaml"))
	l, err := helm.New(helm.Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	in := load.Input{Kind: load.Chart, Path: ".", Abs: dir, Root: linttest.Root(t, dir)}
	res := engine.Run(context.Background(), []load.Input{in}, engine.Options{Loaders: map[load.InputKind]load.Loader{load.Chart: l}})
	oneProblem(t, res, lint.Error, "Chart.yaml", `^is a symlink to a file that does not exist; chart not rendered$`)
}
