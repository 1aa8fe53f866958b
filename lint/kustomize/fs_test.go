package kustomize

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/fsroot"
	"github.com/ekslint/ekslint/lint/load"
)

// TestGuardedFS checks the filesystem kustomize builds through, on its own: it is what still
// holds when a kustomization entry gets past the checks before the build.
func TestGuardedFS(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "root")
	os.MkdirAll(filepath.Join(root, "sub"), 0o755)
	os.WriteFile(filepath.Join(dir, "secret"), []byte("s"), 0o644)
	os.WriteFile(filepath.Join(root, "ok.yaml"), []byte("ok"), 0o644)
	os.Symlink("../secret", filepath.Join(root, "link"))
	os.Symlink("..", filepath.Join(root, "up"))
	os.Symlink("loop", filepath.Join(root, "loop"))
	fsr, err := fsroot.New(root, load.DefaultLimits().MaxFileSize)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	g := &guardedFS{ctx: ctx, cache: newFileCache(fsr, load.DefaultLimits()), display: filepath.ToSlash}

	if data, err := g.ReadFile(filepath.Join(root, "ok.yaml")); err != nil || string(data) != "ok" {
		t.Errorf("ReadFile inside the root: %q, %v", data, err)
	}
	for _, p := range []string{
		filepath.Join(dir, "secret"),
		filepath.Join(root, "..", "secret"),
		filepath.Join(root, "link"),
		filepath.Join(root, "up", "secret"),
		filepath.Join(root, "up", "missing", "..", "secret"),
		"/etc/passwd",
	} {
		_, err := g.ReadFile(p)
		if !errors.Is(err, fsroot.ErrOutside) {
			t.Errorf("ReadFile(%s): %v, want refused as outside the lint root", p, err)
		}
		if g.Exists(p) || g.IsDir(p) {
			t.Errorf("%s reported to exist", p)
		}
	}
	if _, err := g.ReadFile(filepath.Join(root, "loop")); err == nil {
		t.Error("a symlink loop was read")
	}
	cancel() // the build's deadline passes
	if _, err := g.ReadFile(filepath.Join(root, "ok.yaml")); !errors.Is(err, context.Canceled) {
		t.Errorf("ReadFile after the build's deadline: %v, want refused", err)
	}
	if err := g.WriteFile(filepath.Join(root, "new"), nil); !errors.Is(err, errReadOnly) {
		t.Errorf("WriteFile: %v, want refused", err)
	}
	if err := g.RemoveAll(root); !errors.Is(err, errReadOnly) {
		t.Errorf("RemoveAll: %v, want refused", err)
	}
}

// TestBuildWithoutChecks builds overlays whose entries the checks refuse, as if the checks had
// missed them: kustomize, run as the loader runs it, still reads nothing outside the root and
// runs no plugin.
func TestBuildWithoutChecks(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "root")
	mark := filepath.Join(dir, "ran")
	home := t.TempDir()
	t.Setenv("KUSTOMIZE_PLUGIN_HOME", home)
	exe := filepath.Join(home, "someteam.example.com", "v1", "marker", "Marker")
	os.MkdirAll(filepath.Dir(exe), 0o755)
	os.WriteFile(exe, []byte("#!/bin/sh\ntouch "+mark+"\ncat\n"), 0o755)
	os.WriteFile(filepath.Join(dir, "secret.yaml"), []byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: secret\n"), 0o644)
	files := map[string]string{
		"outside/kustomization.yaml": "resources:\n- ../../secret.yaml\n",
		"plugin/kustomization.yaml":  "transformers:\n- marker.yaml\n",
		"plugin/marker.yaml":         "apiVersion: someteam.example.com/v1\nkind: Marker\nmetadata:\n  name: m\n",
		"fn/kustomization.yaml":      "transformers:\n- fn.yaml\n",
		"fn/fn.yaml":                 "apiVersion: example.com/v1\nkind: Fn\nmetadata:\n  name: f\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: ./fn.sh\n",
		"fn/fn.sh":                   "#!/bin/sh\ntouch " + mark + "\ncat\n",
	}
	for name, content := range files {
		p := filepath.Join(root, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(content), 0o755)
	}
	lintRoot, err := fsroot.New(root, load.DefaultMaxFileSize)
	if err != nil {
		t.Fatal(err)
	}
	for _, overlay := range []string{"outside", "plugin", "fn"} {
		t.Run(overlay, func(t *testing.T) {
			abs := filepath.Join(root, overlay)
			in := load.Input{Kind: load.Overlay, Path: overlay, Abs: abs, Root: lintRoot}
			res := engine.Run(context.Background(), []load.Input{in}, engine.Options{Loaders: map[load.InputKind]load.Loader{load.Overlay: bypass{NewLoader()}}})
			if res.Objects != 0 || len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Message, "kustomize build failed") {
				t.Fatalf("%d objects, problems %v; want the build to fail", res.Objects, res.Problems)
			}
			t.Log(res.Problems[0].Message)
			if _, err := os.Stat(mark); err == nil {
				t.Fatal("a plugin ran")
			}
		})
	}
}

// bypass loads overlays without the checks before the build.
type bypass struct{ *Loader }

func (l bypass) Load(ctx context.Context, in load.Input, s load.Sink) {
	b, err := newBuild(l.cache(in, s.Limits()), in, s)
	if err != nil {
		s.Problem(lint.Problem{Message: err.Error()})
		return
	}
	b.visit(b.dir, "")
	b.problems = nil
	b.run(ctx, l.timeout)
	l.hand(s, b.problems)
}
