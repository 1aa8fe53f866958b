package scripts

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// semver is a release version as a tag names it: v0.1.0, v1.2.3-rc.1.
const semver = `v\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?`

// versionRefs find the places that name a release of ekslint; group 1 is the version.
var versionRefs = []*regexp.Regexp{
	// uses: ekslint/ekslint@v1.2.3, go install .../cmd/ekslint@v1.2.3, ghcr.io/ekslint/ekslint:v1.2.3
	regexp.MustCompile(`ekslint[\w./-]*[@:](` + semver + `)`),
	// a .pre-commit-config.yaml: repo: https://github.com/ekslint/ekslint, then rev: v1.2.3
	regexp.MustCompile(`github\.com/ekslint/ekslint\s+rev:\s*(` + semver + `)`),
	// raw.githubusercontent.com/ekslint/ekslint/v1.2.3/..., .../ekslint/releases/download/v1.2.3/...
	regexp.MustCompile(`ekslint/ekslint/(?:releases/download/)?(` + semver + `)/`),
	// install.sh ... v1.2.3 at the end of a command line (in Markdown, perhaps before a backquote)
	regexp.MustCompile("(?m)install\\.sh\\b[^\\n]*\\s(" + semver + ")[` \\t]*$"),
}

// versionFiles are the files that name the release; every one of them must name it at least once
// (else a pattern here went stale). The glob patterns may match nothing.
var (
	versionFiles = []string{"README.md", "action.yml", ".pre-commit-hooks.yaml", "docs/github-action.md", "docs/pre-commit.md", "scripts/install.sh"}
	versionGlobs = []string{"*.md", "docs/*.md", "action.yml", "*/action.yml", ".pre-commit-hooks.yaml", "Dockerfile*", ".goreleaser.yaml", "scripts/*.sh"}
)

type versionRef struct {
	file, version string
	line          int
}

func findVersionRefs(file, text string) []versionRef {
	var refs []versionRef
	for _, re := range versionRefs {
		for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
			refs = append(refs, versionRef{file, text[m[2]:m[3]], 1 + strings.Count(text[:m[2]], "\n")})
		}
	}
	return refs
}

// The docs, the Action, the hooks and the install script name the release in VERSION, the one
// place the release process changes (CONTRIBUTING.md, "Releasing").
func TestVersionsAgree(t *testing.T) {
	data, err := os.ReadFile("../VERSION")
	if err != nil {
		t.Fatal(err)
	}
	release := strings.TrimSpace(string(data))
	if !regexp.MustCompile(`^` + semver + `$`).MatchString(release) {
		t.Fatalf("VERSION is %q, want vX.Y.Z or vX.Y.Z-suffix", release)
	}
	seen := map[string]bool{}
	named := map[string]int{}
	for _, glob := range versionGlobs {
		files, err := filepath.Glob(filepath.Join("..", glob))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range files {
			file, _ := filepath.Rel("..", path)
			file = filepath.ToSlash(file)
			if seen[file] {
				continue
			}
			seen[file] = true
			text, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, ref := range findVersionRefs(file, string(text)) {
				named[file]++
				if ref.version != release {
					t.Errorf("%s:%d names ekslint %s, but VERSION is %s", ref.file, ref.line, ref.version, release)
				}
			}
		}
	}
	for _, file := range versionFiles {
		if named[file] == 0 {
			t.Errorf("%s names no ekslint version: is a pattern in versionRefs out of date?", file)
		}
	}
}

// The patterns find ekslint's versions and nobody else's.
func TestVersionRefs(t *testing.T) {
	text := strings.Join([]string{
		"- uses: ekslint/ekslint@v0.1.0",
		"- uses: ekslint/ekslint/docker@v0.2.0-rc.1",
		"go install github.com/ekslint/ekslint/cmd/ekslint@v0.3.0",
		"entry: ghcr.io/ekslint/ekslint:v0.4.0 lint",
		"  - repo: https://github.com/ekslint/ekslint\n    rev: v0.5.0",
		"`curl -sSfL https://raw.githubusercontent.com/ekslint/ekslint/v0.6.0/scripts/install.sh | sh -s -- -b bin v0.7.0`",
		"https://github.com/ekslint/ekslint/releases/download/v0.8.0/checksums.txt",
		// Not ekslint's:
		"- uses: actions/checkout@v5",
		"go run github.com/rhysd/actionlint/cmd/actionlint@v1.7.12",
		"go get -tool github.com/goreleaser/goreleaser/v2@v2.17.0",
		"  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: v4.6.0",
		"kubeVersion: v1.33.0, kube-linter v0.8.3, sigs.k8s.io/kustomize/api v0.21.2",
		"ekslint lint --kube-version v1.31.0 deploy",
		"ekslint: ekslint v0.9.0 (commit abc)",
	}, "\n")
	var got []string
	for _, ref := range findVersionRefs("x", text) {
		got = append(got, fmt.Sprintf("%d:%s", ref.line, ref.version))
	}
	want := "1:v0.1.0 2:v0.2.0-rc.1 3:v0.3.0 4:v0.4.0 6:v0.5.0 7:v0.6.0 8:v0.8.0 7:v0.7.0"
	if strings.Join(got, " ") != want {
		t.Errorf("found %v, want %s", got, want)
	}
}

// The Go that builds a release (the toolchain line of GoReleaser's module, which the release
// workflow installs) is the Go that builds the image from source (the Dockerfile's GO_VERSION).
func TestGoVersionsAgree(t *testing.T) {
	find := func(path, pattern string) string {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(pattern).FindSubmatch(data)
		if m == nil {
			t.Fatalf("%s has no %s", path, pattern)
		}
		return string(m[1])
	}
	release := find("../tools/goreleaser/go.mod", `(?m)^toolchain go(\S+)$`)
	docker := find("../Dockerfile", `(?m)^ARG GO_VERSION=(\S+)$`)
	if release != docker {
		t.Errorf("tools/goreleaser/go.mod builds releases with Go %s, the Dockerfile with Go %s", release, docker)
	}
}
