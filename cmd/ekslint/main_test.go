package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint/linttest"
	"github.com/ekslint/ekslint/rules"
)

// ekslint runs the command line in-process.
func ekslint(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

func TestExitCodes(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code int
	}{
		{"clean", []string{"lint", "testdata/clean"}, 0},
		{"errors fail by default", []string{"lint", "testdata/project/deploy"}, 1},
		{"warnings pass by default", []string{"lint", "testdata/project/deploy", "--disable", "k8s-host-network"}, 0},
		{"fail on warning", []string{"lint", "testdata/project/deploy", "--disable", "k8s-host-network", "--fail-on", "warning"}, 1},
		{"fail on none", []string{"lint", "testdata/project/deploy", "--fail-on", "none"}, 0},
		{"input error wins", []string{"lint", "testdata/project", "--fail-on", "none"}, 2},
		{"missing path", []string{"lint", "testdata/nope"}, 2},
		{"unknown flag", []string{"lint", "--nope"}, 2},
		{"unknown rule", []string{"lint", "testdata/clean", "--enable", "k8s-nope"}, 2},
		{"unknown format", []string{"lint", "testdata/clean", "--format", "xml"}, 2},
		{"unknown level", []string{"lint", "testdata/clean", "--fail-on", "fatal"}, 2},
		{"bad size", []string{"lint", "testdata/clean", "--max-file-size", "lots"}, 2},
		{"bad date", []string{"lint", "testdata/clean", "--date", "23/11/2026"}, 2},
		{"unknown command", []string{"frobnicate"}, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stdout, stderr, code := ekslint(t, "", c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, c.code, stdout, stderr)
			}
		})
	}
}

func TestStdin(t *testing.T) {
	src, err := os.ReadFile("testdata/project/deploy/web.yaml")
	if err != nil {
		t.Fatal(err)
	}
	stdout, _, code := ekslint(t, string(src), "lint", "-")
	if code != 1 || !strings.Contains(stdout, "<stdin>:16:7: error k8s-host-network:") {
		t.Errorf("exit %d, output:\n%s", code, stdout)
	}
}

func TestEnableDisable(t *testing.T) {
	stdout, _, _ := ekslint(t, "", "lint", "testdata/project/deploy", "--disable", "k8s-host-network,k8s-image-tag-mutable")
	if strings.Contains(stdout, "k8s-host-network") || strings.Contains(stdout, "k8s-image-tag-mutable") {
		t.Errorf("disabled rules reported:\n%s", stdout)
	}
	stdout, _, _ = ekslint(t, "", "lint", "testdata/project/deploy", "--disable", "all", "--enable", "k8s-host-network")
	if !strings.Contains(stdout, "k8s-host-network") || strings.Contains(stdout, "k8s-replicas-no-anti-affinity") {
		t.Errorf("--disable all --enable one:\n%s", stdout)
	}
}

// TestGolden pins the text and JSON output on a small project with findings and an input error.
func TestGolden(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		t.Run(format, func(t *testing.T) {
			stdout, stderr, code := ekslint(t, "", "lint", "testdata/project", "--format", format, "--date", "2026-11-23")
			if code != 2 || stderr != "" {
				t.Errorf("exit %d, stderr %q", code, stderr)
			}
			golden := filepath.Join("testdata", "golden", format+".golden")
			if *linttest.Update {
				if err := os.WriteFile(golden, []byte(stdout), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if stdout != string(want) {
				t.Errorf("output differs from %s (go test ./cmd/ekslint -run TestGolden -update rewrites it):\n%s", golden, stdout)
			}
			if format == "json" && !json.Valid([]byte(stdout)) {
				t.Error("invalid JSON")
			}
		})
	}
}

// TestTextSource checks the source line and caret shown under a finding: with colour, and without
// it for a CI log (--source always --color never).
func TestTextSource(t *testing.T) {
	args := []string{"lint", "testdata/project/deploy", "--disable", "all", "--enable", "k8s-image-tag-mutable"}
	stdout, _, _ := ekslint(t, "", append(args, "--color", "always", "--source", "always")...)
	caret := "^" + strings.Repeat("~", len("image: nginx:latest")-1)
	want := "\x1b[90m19\x1b[0m \x1b[90m|\x1b[0m           image: nginx:latest\n" +
		"   \x1b[90m|\x1b[0m           \x1b[90m" + caret + "\x1b[0m\n"
	if !strings.Contains(stdout, want) {
		t.Errorf("no source excerpt in:\n%q", stdout)
	}
	stdout, _, _ = ekslint(t, "", append(args, "--color", "never", "--source", "always")...)
	want = "19 |           image: nginx:latest\n   |           " + caret + "\n"
	if !strings.Contains(stdout, want) || strings.Contains(stdout, "\x1b") {
		t.Errorf("no plain source excerpt in:\n%q", stdout)
	}
	stdout, _, _ = ekslint(t, "", append(args, "--color", "always", "--source", "never")...)
	if strings.Contains(stdout, " | ") || !strings.Contains(stdout, "\x1b[") {
		t.Errorf("want colour without excerpts:\n%q", stdout)
	}
}

// TestRulesExplain: ekslint rules RULE-ID prints the rule's documentation, with its example's real
// output; a misspelt id gets a suggestion; --format json lists the rules for tools.
func TestRulesExplain(t *testing.T) {
	stdout, _, code := ekslint(t, "", "rules", "k8s-host-network")
	if code != 0 || !strings.HasPrefix(stdout, "k8s-host-network\n") || !strings.Contains(stdout, "**Why.**") ||
		!strings.Contains(stdout, "example.yaml:") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
	_, stderr, code := ekslint(t, "", "rules", "k8s-host-netwrk")
	if code != 2 || !strings.Contains(stderr, "did you mean k8s-host-network?") {
		t.Errorf("exit %d: %s", code, stderr)
	}
	stdout, _, code = ekslint(t, "", "rules", "--format", "json")
	var listed []struct {
		ID, Level string
		DefaultOn bool
		Inputs    []string
		HelpURI   string
	}
	if err := json.Unmarshal([]byte(stdout), &listed); err != nil || code != 0 {
		t.Fatalf("exit %d, %v", code, err)
	}
	if len(listed) != len(rules.All())+1 || listed[0].ID != rules.All()[0].ID || listed[0].HelpURI == "" || len(listed[0].Inputs) == 0 {
		t.Errorf("listed %d rules, first %+v", len(listed), listed[0])
	}
}

// TestRulesDataFile: `ekslint rules --data FILE` reads FILE, as `ekslint lint --data FILE` does.
func TestRulesDataFile(t *testing.T) {
	stdout, stderr, code := ekslint(t, "", "rules", "--data", "../../lint/data/eks-versions.yaml")
	if code != 0 || !strings.Contains(stdout, "EKS version data: ../../lint/data/eks-versions.yaml") {
		t.Errorf("exit %d:\n%s%s", code, stdout, stderr)
	}
}

// TestPodSecurityPreset: --enable pod-security-restricted turns the restricted profile on.
func TestPodSecurityPreset(t *testing.T) {
	pod := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n"
	stdout, _, _ := ekslint(t, pod, "lint", "-", "--disable", "all", "--enable", "pod-security-restricted", "--format", "json")
	for _, id := range []string{"k8s-privilege-escalation-allowed", "k8s-run-as-root", "k8s-seccomp-profile-missing", "k8s-capabilities-not-dropped"} {
		if !strings.Contains(stdout, `"rule": "`+id+`"`) {
			t.Errorf("no %s finding with the restricted profile on:\n%s", id, stdout)
		}
	}
}

func TestRulesCommand(t *testing.T) {
	stdout, _, code := ekslint(t, "", "rules")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, r := range rules.All() {
		if !strings.Contains(stdout, r.ID) {
			t.Errorf("rules output lacks %s", r.ID)
		}
	}
}

func TestVersionCommand(t *testing.T) {
	stdout, _, code := ekslint(t, "", "version")
	if code != 0 || !strings.HasPrefix(stdout, "ekslint ") || strings.Count(stdout, "\n") != 1 {
		t.Errorf("exit %d, %q", code, stdout)
	}

	// What a release build prints: .goreleaser.yaml stamps both.
	defer func(v, c string) { version, commit = v, c }(version, commit)
	version, commit = "v0.1.0", "0123456789abcdef0123456789abcdef01234567"
	if stdout, _, _ := ekslint(t, "", "version"); stdout != "ekslint v0.1.0 (commit 0123456789ab)\n" {
		t.Errorf("stamped build: %q", stdout)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"1024": 1024, "64MiB": 64 << 20, "64 MiB": 64 << 20, "100MB": 100e6, "1.5KiB": 1536, "2gib": 2 << 30} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "lots", "-1", "0"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) accepted", in)
		}
	}
}

// TestNullIsNoTerminal: output sent to the null device is not a terminal, though it is a character
// device: no colour, no source lines read back.
func TestNullIsNoTerminal(t *testing.T) {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	if isTerminal(null) {
		t.Errorf("%s is taken for a terminal", os.DevNull)
	}
}
