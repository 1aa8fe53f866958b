//go:build unix

package helm_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/helm"
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
		{"a .helmignore that is a FIFO", func(t *testing.T, dir string) {
			mkfifo(t, filepath.Join(dir, "chart", ".helmignore"))
		}, helm.Options{}, "chart/.helmignore", `^cannot read: is not a regular file`},
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
