package discover

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var (
	rootIgnore = "# comment\n*.log\n!keep.log\nbuild/\n/root-only.yaml\ndocs/*.md\n**/deep\nout/**\nx/**/y\ngen-*.yaml\n" +
		"\\#hash.yaml\n[!a]bc.yaml\ntrailing.yaml   \na/b\nm/**/**/n\n"
	subIgnore = "!important.log\nlocal.yaml\n/anchored.yaml\n"
)

// ignoreCases are paths (a trailing slash for a folder) whose parents no pattern excludes, as the
// walk meets them.
var ignoreCases = []string{
	"x.log", "keep.log", "sub/x.log", "sub/important.log", "build/", "src/build/", "root-only.yaml",
	"sub/root-only.yaml", "docs/a.md", "docs/sub/a.md", "deep/", "q/deep/", "r/deep", "out/", "out/a.yaml", "x/y/",
	"x/1/2/y/", "gen-a.yaml", "sub/gen-b.yaml", "#hash.yaml", "xbc.yaml", "abc.yaml", "trailing.yaml", "a/b/",
	"c/a/b/", "sub/local.yaml", "local.yaml", "sub/anchored.yaml", "sub/q/anchored.yaml", "m/n/", "m/1/2/n/", "kept.yaml",
	"files/build", "dirs/trailing.yaml/",
}

// TestGitignoreAgainstGit checks the .gitignore matching against git itself, on the patterns
// .gitignore files are written with.
func TestGitignoreAgainstGit(t *testing.T) {
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	for name, content := range map[string]string{".gitignore": rootIgnore, "sub/.gitignore": subIgnore} {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := exec.Command(git, "-C", dir, "init", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git init: %v %s", err, out)
	}
	// git tells a folder from a file by looking: each case exists, and is named without a slash
	// (check-ignore matches `out/**` against "out/" written so, though git enters out).
	var paths []string
	for _, c := range ignoreCases {
		p := filepath.Join(dir, filepath.FromSlash(c))
		if strings.HasSuffix(c, "/") {
			err = os.MkdirAll(p, 0o755)
		} else if err = os.MkdirAll(filepath.Dir(p), 0o755); err == nil {
			err = os.WriteFile(p, nil, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, strings.TrimSuffix(c, "/"))
	}
	cmd := exec.Command(git, "-C", dir, "check-ignore", "--no-index", "--stdin", "--verbose", "--non-matching")
	cmd.Stdin = strings.NewReader(strings.Join(paths, "\n") + "\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git check-ignore: %v", err)
	}
	want := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		source, path, _ := strings.Cut(line, "\t")
		fields := strings.SplitN(source, ":", 3)
		want[path] = fields[0] != "" && !strings.HasPrefix(fields[2], "!")
	}
	root := parseIgnore(dir, []byte(rootIgnore))
	sub := parseIgnore(filepath.Join(dir, "sub"), []byte(subIgnore))
	for _, c := range ignoreCases {
		st := ignoreStack{root}
		if strings.HasPrefix(c, "sub/") {
			st = append(st, sub)
		}
		isDir := strings.HasSuffix(c, "/")
		got := st.excludes(filepath.Join(dir, filepath.FromSlash(strings.TrimSuffix(c, "/"))), isDir)
		if got != want[strings.TrimSuffix(c, "/")] {
			t.Errorf("%s: excluded %v, git says %v", c, got, !got)
		}
	}
}

// TestGitignoreManyStars: a pattern of many ** costs its length times the path's.
func TestGitignoreManyStars(t *testing.T) {
	p, _ := parsePattern(strings.Repeat("**/a/", 40) + "z")
	segs := strings.Split(strings.Repeat("a/", 200)+"b", "/")
	if matchSegments(p.segments, segs) {
		t.Error("matched a path without z")
	}
}
