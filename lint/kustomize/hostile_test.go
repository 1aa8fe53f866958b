//go:build unix

package kustomize_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestHostileFiles names pipes, devices, symlinks out of the root and symlink loops as resources,
// patches, generator files, kustomizations and overlays: each is refused at the entry or file that
// names it, with how to fix it and without saying where a symlink out of the root points;
// nothing blocks, and the other overlays of the run still build.
func TestHostileFiles(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "repo")
	outside := filepath.Join(dir, "secret-place")
	writeFiles(t, outside, map[string]string{
		"kustomization.yaml": "resources:\n- cm.yaml\n",
		"cm.yaml":            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: secret\n",
	})
	writeFiles(t, root, map[string]string{
		"base/kustomization.yaml":           "resources:\n- deploy.yaml\n",
		"base/deploy.yaml":                  deployment,
		"pipe-resource/kustomization.yaml":  "resources:\n- pipe.yaml\n",
		"pipe-patch/kustomization.yaml":     "resources:\n- ../base\npatches:\n- path: pipe.yaml\nconfigMapGenerator:\n- name: x\n  files:\n  - pipe.yaml\n",
		"pipe-base-user/kustomization.yaml": "resources:\n- ../pipe-base\n",
		"zero-resource/kustomization.yaml":  "resources:\n- zero.yaml\n",
		"zero-base-user/kustomization.yaml": "resources:\n- ../zero-base\n",
		"leak-base-user/kustomization.yaml": "resources:\n- ../leak-base\n",
		"loop/kustomization.yaml":           "resources:\n- loop-a.yaml\n",
		"inside-link/deploy.yaml":           deployment,
		"inside-link/real.yaml":             "resources:\n- deploy.yaml\n",
		"up-file/kustomization.yaml":        "resources:\n- ../base/deploy.yaml\n",
	})
	for _, p := range []string{"pipe-resource/pipe.yaml", "pipe-patch/pipe.yaml", "pipe-base/kustomization.yaml", "pipe-overlay/kustomization.yaml"} {
		if err := os.MkdirAll(filepath.Join(root, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Mkfifo(filepath.Join(root, p), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{
		"zero-resource/zero.yaml":        "/dev/zero",
		"zero-base/kustomization.yaml":   "/dev/zero",
		"leak-base/kustomization.yaml":   filepath.Join(outside, "kustomization.yaml"),
		"linked":                         "../secret-place",
		"loop/loop-a.yaml":               "loop-b.yaml",
		"loop/loop-b.yaml":               "loop-a.yaml",
		"inside-link/kustomization.yaml": "real.yaml",
		"cross-link/kustomization.yaml":  "../base/kustomization.yaml",
	} {
		p := filepath.Join(root, link)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
	}

	res := loadOverlays(t, root, "pipe-resource", "pipe-patch", "pipe-base-user", "pipe-overlay", "zero-resource",
		"zero-base-user", "leak-base-user", "linked", "loop", "inside-link", "cross-link", "up-file")
	const notRegular, outsideRoot = "is not a regular file (a pipe, device or socket); not read", "is outside the lint root; not read (run ekslint from the repository, or pass --root DIR"
	problemAt(t, res.Problems, "pipe-resource/kustomization.yaml:2:3", `resources entry "pipe.yaml" `+notRegular)
	problemAt(t, res.Problems, "pipe-patch/kustomization.yaml:4:9", `patches[0].path entry "pipe.yaml" `+notRegular)
	problemAt(t, res.Problems, "pipe-patch/kustomization.yaml:8:5", `configMapGenerator[0].files entry "pipe.yaml" `+notRegular)
	problemAt(t, res.Problems, "pipe-base/kustomization.yaml", notRegular)
	problemAt(t, res.Problems, "pipe-overlay/kustomization.yaml", notRegular)
	problemAt(t, res.Problems, "zero-resource/kustomization.yaml:2:3", `resources entry "zero.yaml" `+outsideRoot)
	problemAt(t, res.Problems, "zero-base/kustomization.yaml", outsideRoot)
	problemAt(t, res.Problems, "leak-base/kustomization.yaml", outsideRoot)
	problemAt(t, res.Problems, "linked", outsideRoot)
	problemAt(t, res.Problems, "loop/kustomization.yaml:2:3", `resources entry "loop-a.yaml" is a symlink loop; not read`)
	// Inside the root, kustomize's own rule holds: a kustomization loads files from its folder.
	const outOfFolder = "kustomize loads only files in or below a kustomization's folder"
	problemAt(t, res.Problems, "cross-link/kustomization.yaml", "is a symlink to a file outside its folder", outOfFolder)
	problemAt(t, res.Problems, "up-file/kustomization.yaml:2:3", `resources entry "../base/deploy.yaml" leads out of the folder of up-file/kustomization.yaml`, outOfFolder)
	for _, p := range res.Problems {
		if strings.Contains(p.String(), "secret-place") || strings.Contains(p.String(), dir) {
			t.Errorf("the message reveals a place outside the lint root: %s", p)
		}
	}
	if res.Objects != 1 {
		t.Errorf("%d objects built, want the one of inside-link, whose kustomization is a symlink inside its folder", res.Objects)
	}
}
