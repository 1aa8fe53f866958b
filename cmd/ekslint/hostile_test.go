//go:build unix

package main

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ekslint/ekslint/lint/linttest"
)

// ansi matches the colour codes of text output.
var ansi = regexp.MustCompile("\x1b\\[[0-9;]*m")

// secret is what the files outside the repository hold: no output may ever show it.
const secret = "hunter2-outside-the-root"

// outsideDir makes a folder outside the repository with a file, a config and an overlay that all
// hold the secret.
func outsideDir(t *testing.T) string {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "secret.yaml"), "apiVersion: v1\nkind: Secret\nmetadata: {name: x}\nstringData: {token: "+secret+"}\n")
	writeFile(t, filepath.Join(dir, "config.yaml"), "rules: {"+secret+": {enabled: false}}\n")
	writeFile(t, filepath.Join(dir, "overlay", "kustomization.yaml"), "resources: [../secret.yaml]\n# "+secret+"\n")
	return dir
}

// TestSymlinksOutOfTheRoot: a symlink named on the command line, a config file and a folder named
// that lead out of the repository are refused; the message says how to lint them, never where
// they lead, and nothing of what is there is shown.
func TestSymlinksOutOfTheRoot(t *testing.T) {
	outside := outsideDir(t)
	dir := repo(t, map[string]string{"ok.yaml": hostNetworkPod})
	for name, target := range map[string]string{
		"link.yaml":     filepath.Join(outside, "secret.yaml"),
		"overlay":       filepath.Join(outside, "overlay"),
		"up/deep.yaml":  "../../" + filepath.Base(outside) + "/secret.yaml",
		".ekslint.yaml": filepath.Join(outside, "config.yaml"),
	} {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	check := func(what, stdout, stderr string, code int, want ...string) {
		t.Helper()
		out := ansi.ReplaceAllString(stdout+stderr, "")
		if code != 2 {
			t.Errorf("%s: exit %d, want 2\n%s", what, code, out)
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: output lacks %q:\n%s", what, w, out)
			}
		}
		if strings.Contains(out, secret) || strings.Contains(out, outside) || strings.Contains(out, filepath.Base(outside)) {
			t.Errorf("%s: the output shows what is outside the root, or where:\n%s", what, out)
		}
	}
	// The config is read first: while it is refused, nothing else is linted.
	stdout, stderr, code := ekslint(t, "", "lint", "ok.yaml", "--color", "always")
	check("config", stdout, stderr, code, ".ekslint.yaml: error: the config file is outside the lint root; not read", "--root DIR")
	os.Remove(filepath.Join(dir, ".ekslint.yaml"))
	for _, path := range []string{"link.yaml", "overlay", "up/deep.yaml"} {
		stdout, stderr, code := ekslint(t, "", "lint", path, "--color", "always")
		check(path, stdout, stderr, code, path+": error: is outside the lint root; not read", "--root DIR")
	}
	stdout, stderr, code = ekslint(t, "", "lint", ".", "--color", "always")
	check("the repository", stdout, stderr, code, "link.yaml: error: is outside the lint root", "up/deep.yaml: error: is outside the lint root")
}

// TestUnboundedInputs: what never ends or never answers is refused or cut at the size limit,
// under a watchdog: a symlink to /dev/zero, standard input from /dev/zero, pipes named on the
// command line and named by an overlay.
func TestUnboundedInputs(t *testing.T) {
	dir := repo(t, map[string]string{
		"overlay/kustomization.yaml": "resources: [pipe.yaml]\n",
	})
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "zero.yaml")); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"pipe.yaml", "overlay/pipe.yaml"} {
		if err := syscall.Mkfifo(filepath.Join(dir, p), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	zero, err := os.Open("/dev/zero")
	if err != nil {
		t.Skip(err)
	}
	defer zero.Close()
	for _, c := range []struct {
		name  string
		args  []string
		stdin *os.File
		want  string
	}{
		{"symlink to /dev/zero", []string{"lint", "zero.yaml"}, nil, "zero.yaml: error: is outside the lint root"},
		{"stdin from /dev/zero", []string{"lint", "-", "--max-file-size", "1MiB"}, zero, "<stdin>: error: file is more than 1 MiB, over the 1 MiB limit"},
		{"pipe named", []string{"lint", "pipe.yaml"}, nil, "pipe.yaml: error: is not a regular file"},
		// The Kustomize loader reads its resources through the lint root, which opens a pipe
		// without waiting for a writer.
		{"pipe named by an overlay", []string{"lint", "overlay"}, nil, "pipe.yaml"},
	} {
		t.Run(c.name, func(t *testing.T) {
			linttest.Within(t, 30*time.Second, strings.Join(c.args, " "), func() {
				var stdin io.Reader = strings.NewReader("")
				if c.stdin != nil {
					stdin = c.stdin
				}
				var stdout, stderr strings.Builder
				if code := run(c.args, stdin, &stdout, &stderr); code != 2 || !strings.Contains(stdout.String(), c.want) {
					t.Errorf("exit %d, want 2 and %q:\n%s%s", code, c.want, stdout.String(), stderr.String())
				}
			})
		})
	}
}
