//go:build unix

package fsroot

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// within fails the test when f does not return in time: a read that blocks is the bug these
// tests look for, and a hung test says nothing about which read it was.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: still running after 10s (blocked?)", what)
	}
}

func TestHostileFiles(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret-place.yaml")
	write(t, secret, "token: hunter2\n")
	write(t, filepath.Join(dir, "ok.yaml"), "a: 1\n")
	write(t, filepath.Join(dir, "sub", "inside.yaml"), "b: 2\n")
	symlink(t, "/dev/zero", filepath.Join(dir, "zero.yaml"))
	symlink(t, "/proc/self/fd/0", filepath.Join(dir, "stdin.yaml"))
	symlink(t, secret, filepath.Join(dir, "leak.yaml"))
	symlink(t, "../"+filepath.Base(outside), filepath.Join(dir, "up"))
	symlink(t, "loop-b", filepath.Join(dir, "loop-a"))
	symlink(t, "loop-a", filepath.Join(dir, "loop-b"))
	symlink(t, filepath.Join(dir, "sub", "inside.yaml"), filepath.Join(dir, "abs-inside.yaml"))
	symlink(t, "sub", filepath.Join(dir, "sublink"))
	symlink(t, "nothing.yaml", filepath.Join(dir, "gone.yaml"))
	symlink(t, filepath.Join(outside, "nothing.yaml"), filepath.Join(dir, "gone-outside.yaml"))
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.yaml"), 0o644); err != nil {
		t.Fatal(err)
	}
	sparse, err := os.Create(filepath.Join(dir, "sparse.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := sparse.Truncate(1 << 30); err != nil {
		t.Fatal(err)
	}
	sparse.Close()

	r, err := New(dir, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		want error // nil: read succeeds
	}{
		{"ok.yaml", nil},
		{"abs-inside.yaml", nil},
		{"sublink/inside.yaml", nil},
		{"zero.yaml", ErrOutside},
		{"stdin.yaml", ErrOutside},
		{"leak.yaml", ErrOutside},
		{"up/secret-place.yaml", ErrOutside},
		{"up/missing.yaml", ErrOutside},
		{"loop-a", ErrLoop},
		{"fifo.yaml", ErrNotRegular},
		{"sparse.yaml", &TooLargeError{}},
		{"sub", errIsDir},
		{"gone.yaml", ErrDangling},
		{"gone-outside.yaml", ErrDangling},
		{"missing.yaml", fs.ErrNotExist},
	} {
		within(t, c.name, func() {
			_, err := r.ReadFile(filepath.Join(dir, c.name))
			switch {
			case c.want == nil && err != nil:
				t.Errorf("%s: %v", c.name, err)
			case c.want == nil:
			case err == nil:
				t.Errorf("%s: read, want %v", c.name, c.want)
			case errors.As(c.want, new(*TooLargeError)):
				if !errors.As(err, new(*TooLargeError)) {
					t.Errorf("%s: %v, want too large", c.name, err)
				}
			case !errors.Is(err, c.want):
				t.Errorf("%s: %v, want %v", c.name, err, c.want)
			}
			if err != nil && strings.Contains(err.Error(), "secret-place") && !strings.Contains(c.name, "secret-place") {
				t.Errorf("%s: the message reveals where the symlink points: %v", c.name, err)
			}
		})
	}
	if _, err := r.ReadFile(secret); !errors.Is(err, ErrOutside) {
		t.Errorf("a path outside the root: %v", err)
	}
	if _, err := r.Stat(filepath.Join(dir, "up")); !errors.Is(err, ErrOutside) {
		t.Errorf("stat through a symlink out of the root: %v", err)
	}
	if _, err := r.ReadDir(filepath.Join(dir, "up")); !errors.Is(err, ErrOutside) {
		t.Errorf("readdir through a symlink out of the root: %v", err)
	}
	// A symlink to nothing says so to every reader, and is still a file that does not exist.
	gone := filepath.Join(dir, "gone.yaml")
	for op, f := range map[string]func() error{
		"stat":    func() error { _, err := r.Stat(gone); return err },
		"readdir": func() error { _, err := r.ReadDir(gone); return err },
	} {
		err := f()
		if !errors.Is(err, ErrDangling) || !errors.Is(err, fs.ErrNotExist) || !Refused(err) {
			t.Errorf("%s of a symlink to nothing: %v", op, err)
		}
		if got, want := Reason(err), "is a symlink to a file that does not exist"; got != want {
			t.Errorf("%s of a symlink to nothing: reason %q, want %q", op, got, want)
		}
	}
	if _, err := r.ReadFile(filepath.Join(dir, "missing.yaml")); errors.Is(err, ErrDangling) || Refused(err) {
		t.Errorf("a file that does not exist is not a symlink to nothing: %v", err)
	}
}

// TestReadAllCountsBytes: the limit holds for a stream whose size nothing announces.
func TestReadAllCountsBytes(t *testing.T) {
	f, err := os.Open("/dev/zero")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	within(t, "/dev/zero", func() {
		if _, err := ReadAll(f, "-", 1<<20, 0); !errors.As(err, new(*TooLargeError)) {
			t.Errorf("got %v, want too large", err)
		}
	})
}

// TestRootThroughSymlink: a root reached through a symlink (/home -> /data/home) holds its own
// files, whichever way they are named.
func TestRootThroughSymlink(t *testing.T) {
	real := t.TempDir()
	write(t, filepath.Join(real, "a.yaml"), "a: 1\n")
	link := filepath.Join(t.TempDir(), "link")
	symlink(t, real, link)
	r, err := New(link, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{filepath.Join(link, "a.yaml"), filepath.Join(real, "a.yaml")} {
		if _, err := r.ReadFile(p); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	var walked []string
	r.WalkDir(link, func(p string, d fs.DirEntry, err error) error {
		walked = append(walked, p)
		return err
	})
	if len(walked) != 2 || walked[1] != filepath.Join(link, "a.yaml") {
		t.Errorf("walk named %v, want paths under %s", walked, link)
	}
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// TestResolveRemembersFolders: resolving through the folders a Root remembers gives what following
// every element gives (resolve), asked once or again, for files, folders, symlinks inside and out
// of the root, symlinked folders, loops and missing paths.
func TestResolveRemembersFolders(t *testing.T) {
	outside := t.TempDir()
	write(t, filepath.Join(outside, "secret.yaml"), "s: 1\n")
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a", "real.yaml"), "a: 1\n")
	write(t, filepath.Join(dir, "a", "b", "deep.yaml"), "b: 1\n")
	symlink(t, "real.yaml", filepath.Join(dir, "a", "alias.yaml"))
	symlink(t, filepath.Join(outside, "secret.yaml"), filepath.Join(dir, "a", "out.yaml"))
	symlink(t, outside, filepath.Join(dir, "a", "outdir"))
	symlink(t, "a", filepath.Join(dir, "via"))
	symlink(t, "loop2", filepath.Join(dir, "a", "loop1"))
	symlink(t, "loop1", filepath.Join(dir, "a", "loop2"))
	symlink(t, "nothing", filepath.Join(dir, "a", "dangling.yaml"))
	r, err := New(dir, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{"a", "a/real.yaml", "a/alias.yaml", "a/out.yaml", "a/outdir", "a/outdir/secret.yaml", "a/b", "a/b/deep.yaml",
		"via/real.yaml", "via/b/deep.yaml", "via/out.yaml", "a/loop1", "a/loop1/x.yaml", "a/dangling.yaml", "a/missing.yaml",
		"a/missing/x.yaml", "a/real.yaml/x", "via/outdir/secret.yaml"}
	for range 2 {
		for _, p := range paths {
			abs := filepath.Join(dir, p)
			want, wantErr := resolve(abs)
			got, gotErr := r.resolve(abs)
			if got.real != want || (gotErr == nil) != (wantErr == nil) {
				t.Errorf("%s: resolved to %q, %v; following every element gives %q, %v", p, got.real, gotErr, want, wantErr)
			}
			// What the resolution saw stands for a stat of the place it found.
			st, statErr := r.Stat(abs)
			wantSt, wantStatErr := os.Stat(want)
			switch {
			case wantErr != nil || !Within(want, r.real):
			case (statErr == nil) != (wantStatErr == nil) || errors.Is(statErr, fs.ErrNotExist) != errors.Is(wantStatErr, fs.ErrNotExist):
				t.Errorf("%s: stat %v; a stat of %s gives %v", p, statErr, want, wantStatErr)
			case statErr == nil && (st.Mode() != wantSt.Mode() || st.Size() != wantSt.Size()):
				t.Errorf("%s: stat says %v, %d bytes; a stat of %s says %v, %d bytes", p, st.Mode(), st.Size(), want, wantSt.Mode(), wantSt.Size())
			}
		}
	}
	if _, err := r.ReadFile(filepath.Join(dir, "via", "out.yaml")); !errors.Is(err, ErrOutside) {
		t.Errorf("via/out.yaml read: %v, want ErrOutside", err)
	}
	// Outside as written, whether it exists or not: the same answer, so nothing is told of it.
	for _, p := range []string{filepath.Join(outside, "secret.yaml"), filepath.Join(outside, "missing.yaml"), filepath.Join(dir, "..", "x")} {
		if _, err := r.Stat(p); !errors.Is(err, ErrOutside) {
			t.Errorf("%s: stat %v, want ErrOutside", p, err)
		}
	}
}
