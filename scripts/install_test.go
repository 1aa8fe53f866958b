// Package scripts tests the shell scripts in this folder.
package scripts

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// platforms are the ones .goreleaser.yaml builds.
var platforms = []struct{ os, arch string }{
	{"linux", "amd64"}, {"linux", "arm64"},
	{"darwin", "amd64"}, {"darwin", "arm64"},
	{"windows", "amd64"}, {"windows", "arm64"},
}

// release is a release folder as GitHub serves it: file name to contents.
type release struct {
	tag   string
	files map[string][]byte
	// fromDist: the archives are GoReleaser's, from ../dist; else the test's own.
	fromDist bool
}

func archiveName(version, goos, goarch string) string {
	name := fmt.Sprintf("ekslint_%s_%s_%s", strings.TrimPrefix(version, "v"), goos, goarch)
	if goos == "windows" {
		return name + ".zip"
	}
	return name + ".tar.gz"
}

// distRelease reads the release a GoReleaser snapshot left in ../dist, if there is one.
func distRelease(t *testing.T) (release, bool) {
	meta, err := os.ReadFile("../dist/metadata.json")
	if err != nil {
		return release{}, false
	}
	var m struct{ Version string }
	if err := json.Unmarshal(meta, &m); err != nil {
		t.Fatalf("../dist/metadata.json: %v", err)
	}
	rel := release{tag: "v" + m.Version, files: map[string][]byte{}, fromDist: true}
	names := []string{"checksums.txt"}
	for _, p := range platforms {
		names = append(names, archiveName(rel.tag, p.os, p.arch))
	}
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join("../dist", name))
		if err != nil {
			// A snapshot of part of the platforms (--single-target) or an older layout.
			t.Logf("not using ../dist: %v", err)
			return release{}, false
		}
		rel.files[name] = data
	}
	return rel, true
}

// fakeRelease builds a release of tiny archives whose "binary" is a shell script saying which
// platform it is for: only the host's can be the one installed.
func fakeRelease(t *testing.T) release {
	rel := release{tag: "v0.1.0", files: map[string][]byte{}}
	var sums strings.Builder
	for _, p := range platforms {
		name := archiveName(rel.tag, p.os, p.arch)
		bin := []byte(fmt.Sprintf("#!/bin/sh\necho ekslint %s/%s\n", p.os, p.arch))
		var buf bytes.Buffer
		if p.os == "windows" {
			zw := zip.NewWriter(&buf)
			w, err := zw.Create("ekslint.exe")
			if err != nil {
				t.Fatal(err)
			}
			w.Write(bin)
			zw.Close()
		} else {
			gz := gzip.NewWriter(&buf)
			tw := tar.NewWriter(gz)
			tw.WriteHeader(&tar.Header{Name: "README.md", Mode: 0o644, Size: 3})
			tw.Write([]byte("hi\n"))
			tw.WriteHeader(&tar.Header{Name: "ekslint", Mode: 0o755, Size: int64(len(bin))})
			tw.Write(bin)
			tw.Close()
			gz.Close()
		}
		rel.files[name] = buf.Bytes()
		sum := sha256.Sum256(buf.Bytes())
		fmt.Fprintf(&sums, "%s  %s\n", hex.EncodeToString(sum[:]), name)
	}
	rel.files["checksums.txt"] = []byte(sums.String())
	return rel
}

// serve serves the release at <url>/releases/download/<tag>/<file>, and GitHub's redirect from
// <url>/releases/latest; it returns what install.sh takes as EKSLINT_DOWNLOAD_URL.
func serve(t *testing.T, rel release) string {
	mux := http.NewServeMux()
	mux.HandleFunc("/releases/download/"+rel.tag+"/{file}", func(w http.ResponseWriter, r *http.Request) {
		data, ok := rel.files[r.PathValue("file")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
	})
	mux.HandleFunc("/releases/latest", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/releases/tag/"+rel.tag, http.StatusFound)
	})
	mux.HandleFunc("/releases/tag/{tag}", func(w http.ResponseWriter, r *http.Request) {})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + "/releases/download"
}

// shells are the shells install.sh is tried with: bash, and sh (dash on Debian) when it is
// another shell, since `curl ... | sh` runs it there.
func shells(t *testing.T) []string {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	if _, err := exec.LookPath("curl"); err != nil {
		if _, err := exec.LookPath("wget"); err != nil {
			t.Skip("install.sh needs curl or wget")
		}
	}
	out := []string{bash}
	if sh, err := exec.LookPath("sh"); err == nil {
		if a, b := resolve(sh), resolve(bash); a != b {
			out = append(out, sh)
		}
	}
	return out
}

func resolve(path string) string {
	if p, err := filepath.EvalSymlinks(path); err == nil {
		return p
	}
	return path
}

// install runs install.sh with shell, fed on standard input as `curl ... | sh -s -- ...` does
// (and read here, so that go test's cache knows the result depends on it); it returns the bin
// folder and the script's output.
func install(t *testing.T, shell, url string, args ...string) (bindir, output string, err error) {
	script, err := os.ReadFile("install.sh")
	if err != nil {
		t.Fatal(err)
	}
	bindir = filepath.Join(t.TempDir(), "bin")
	cmd := exec.Command(shell, append([]string{"-s", "--", "-b", bindir}, args...)...)
	cmd.Stdin = bytes.NewReader(script)
	cmd.Env = append(os.Environ(), "EKSLINT_DOWNLOAD_URL="+url)
	out, err := cmd.CombinedOutput()
	return bindir, string(out), err
}

func TestInstall(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the fake binaries are shell scripts")
	}
	rel, ok := distRelease(t)
	if !ok {
		rel = fakeRelease(t)
	}
	host := archiveName(rel.tag, runtime.GOOS, runtime.GOARCH)
	if _, ok := rel.files[host]; !ok {
		t.Skipf("no %s/%s release", runtime.GOOS, runtime.GOARCH)
	}
	t.Logf("release %s from dist: %v", rel.tag, rel.fromDist)

	for i, shell := range shells(t) {
		t.Run(filepath.Base(shell), func(t *testing.T) {
			runs := [][]string{{rel.tag}}
			if i == 0 {
				runs = append(runs, nil) // the latest release, found through GitHub's redirect
			}
			for _, args := range runs {
				bindir, out, err := install(t, shell, serve(t, rel), args...)
				if err != nil {
					t.Fatalf("install.sh %v: %v\n%s", args, err, out)
				}
				got, err := exec.Command(filepath.Join(bindir, "ekslint"), "version").CombinedOutput()
				want := "ekslint " + runtime.GOOS + "/" + runtime.GOARCH
				if rel.fromDist {
					want = "ekslint " + rel.tag
				}
				if err != nil || !strings.HasPrefix(string(got), want) {
					t.Errorf("install.sh %v: the installed ekslint says %q (%v), want %q", args, got, err, want)
				}
				if entries, _ := os.ReadDir(bindir); len(entries) != 1 {
					t.Errorf("install.sh %v left %d files in the bin folder, want 1", args, len(entries))
				}
			}
		})
	}
}

// A download that does not match checksums.txt, or is not in it, is not installed. The small
// archives do: what is refused does not depend on what is inside.
func TestInstallRefuses(t *testing.T) {
	rel := fakeRelease(t)
	host := archiveName(rel.tag, runtime.GOOS, runtime.GOARCH)
	if _, ok := rel.files[host]; !ok {
		t.Skipf("no %s/%s release", runtime.GOOS, runtime.GOARCH)
	}
	// with is the release with one file replaced, or left out when data is nil.
	with := func(name string, data []byte) release {
		r := release{tag: rel.tag, files: map[string][]byte{}}
		for k, v := range rel.files {
			r.files[k] = v
		}
		r.files[name] = data
		if data == nil {
			delete(r.files, name)
		}
		return r
	}
	tampered := bytes.Clone(rel.files[host])
	tampered[len(tampered)/2] ^= 1
	var sums strings.Builder
	for _, line := range strings.SplitAfter(string(rel.files["checksums.txt"]), "\n") {
		if !strings.HasSuffix(strings.TrimSpace(line), " "+host) {
			sums.WriteString(line)
		}
	}
	cases := []struct {
		name string
		rel  release
		want string
	}{
		{"tampered archive", with(host, tampered), "checksum mismatch for " + host},
		{"no checksum entry", with("checksums.txt", []byte(sums.String())), "has no entry for " + host},
		{"no checksums.txt", with("checksums.txt", nil), "could not download"},
	}
	for _, shell := range shells(t) {
		for _, c := range cases {
			t.Run(filepath.Base(shell)+"/"+c.name, func(t *testing.T) {
				bindir, out, err := install(t, shell, serve(t, c.rel), rel.tag)
				if err == nil {
					t.Errorf("install.sh succeeded:\n%s", out)
				}
				if !strings.Contains(out, c.want) {
					t.Errorf("output lacks %q:\n%s", c.want, out)
				}
				if _, err := os.Stat(bindir); !os.IsNotExist(err) {
					t.Errorf("the bin folder was created (%v)", err)
				}
			})
		}
	}
}
