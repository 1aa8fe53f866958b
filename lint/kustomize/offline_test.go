package kustomize_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestNoNetwork runs the ekslint binary over the kustomize and Helm corpus (and an overlay with
// remote bases, a chart with a missing dependency) twice, once in a network namespace with no
// network at all (`unshare -rn`), and requires identical JSON reports: nothing a build or a render
// does depends on the network.
func TestNoNetwork(t *testing.T) {
	if testing.Short() {
		t.Skip("runs over the shared corpus; go test without -short runs it")
	}
	if testing.Short() {
		t.Skip("builds the ekslint binary")
	}
	abs, err := filepath.Abs(corpus)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(abs, "kustomize")); err != nil {
		t.Skip("no shared corpus")
	}
	if err := exec.Command("unshare", "-rn", "true").Run(); err != nil {
		t.Skipf("unshare -rn unavailable: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "ekslint")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/ekslint/ekslint/cmd/ekslint").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	args := []string{"lint", "kustomize", "helm", "bad/kustomize-remote-base", "bad/helm-missing-dependency", "--root", abs, "--format", "json", "--date", "2026-11-23", "--fail-on", "none"}
	run := func(name string, arg ...string) []byte {
		cmd := exec.Command(name, arg...)
		cmd.Dir = abs
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 {
				t.Fatalf("%s: %v\n%s", name, err, stderr.Bytes())
			}
		}
		return stdout.Bytes()
	}
	online := run(bin, args...)
	offline := run("unshare", append([]string{"-rn", bin}, args...)...)
	if !bytes.Equal(online, offline) {
		t.Errorf("reports differ without network:\n--- with network\n%s\n--- without\n%s", online, offline)
	}
	if !bytes.Contains(online, []byte(`not fetched`)) || !bytes.Contains(online, []byte(`helm dependency build`)) ||
		!bytes.Contains(online, []byte(`templates/`)) {
		t.Errorf("report lacks the refusals or findings:\n%s", online)
	}
}
