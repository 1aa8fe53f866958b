package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/engine"
)

func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), code
}

const oldCluster = `apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: prod
  region: eu-west-1
  version: "1.32"
`

func TestRulesData(t *testing.T) {
	out, _, code := runCLI(t, "rules", "--data", "--date", "2026-11-23")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"EKS version data: built-in, as of 2026-11-23", "eksctl default version", "1.32     2025-01-23   2026-03-23       2027-03-23       extended"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if out, _, _ := runCLI(t, "rules", "--data", "--date", "2027-08-01"); !strings.Contains(out, "note: the data is 251 days older") {
		t.Errorf("no staleness note:\n%s", out)
	}
	if out, _, _ := runCLI(t, "rules"); strings.Contains(out, "EKS version data") || !strings.Contains(out, "eks-version-extended-support") {
		t.Errorf("rules without --data:\n%s", out)
	}
}

func TestLintData(t *testing.T) {
	dir := t.TempDir()
	cluster := filepath.Join(dir, "cluster.yaml")
	if err := os.WriteFile(cluster, []byte(oldCluster), 0o644); err != nil {
		t.Fatal(err)
	}
	// Newer data in which 1.32 got a longer standard support: the extended-support finding goes.
	newer := filepath.Join(dir, "eks.yaml")
	data := strings.Replace(string(lint.BuiltinVersionsYAML()), "end_of_standard_support: 2026-03-23", "end_of_standard_support: 2026-12-23", 1)
	if err := os.WriteFile(newer, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"lint", "--date", "2026-11-23", "--disable", "all", "--enable", "eks-version-extended-support", cluster}
	if out, _, code := runCLI(t, args...); code != 0 || !strings.Contains(out, "has been in extended support since 2026-03-23") {
		t.Errorf("built-in data: exit %d\n%s", code, out)
	}
	if out, _, code := runCLI(t, append(args, "--data", newer)...); code != 0 || strings.Contains(out, "extended support") {
		t.Errorf("--data %s: exit %d\n%s", newer, code, out)
	}
	if _, errOut, code := runCLI(t, append(args, "--data", filepath.Join(dir, "missing.yaml"))...); code != engine.ExitInput || !strings.Contains(errOut, "--data:") {
		t.Errorf("missing --data file: exit %d, %q", code, errOut)
	}
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("as_of: yesterday\n"), 0o644)
	if _, errOut, code := runCLI(t, append(args, "--data", bad)...); code != engine.ExitInput || !strings.Contains(errOut, `as_of: want a date YYYY-MM-DD, not "yesterday"`) {
		t.Errorf("invalid --data file: exit %d, %q", code, errOut)
	}
}

// Stale data is said once, as a note, and only when a version rule read it.
func TestLintStaleData(t *testing.T) {
	dir := t.TempDir()
	cluster := filepath.Join(dir, "cluster.yaml")
	if err := os.WriteFile(cluster, []byte(oldCluster), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, _ := runCLI(t, "lint", "--date", "2027-08-01", cluster)
	if n := strings.Count(out, "ekslint: note: ekslint's built-in EKS version data is as of 2026-11-23, 251 days before 2027-08-01"); n != 1 {
		t.Errorf("%d staleness notes, want 1:\n%s", n, out)
	}
	out, _, _ = runCLI(t, "lint", "--date", "2027-08-01", "--disable", "all", "--enable", "eks-endpoint-public-access", cluster)
	if strings.Contains(out, "version data") {
		t.Errorf("staleness note although no version rule ran:\n%s", out)
	}
}
