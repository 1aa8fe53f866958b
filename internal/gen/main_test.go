package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestGenerated keeps the files generated from the rules in step with them: a rule added or
// changed without `go generate ./...` fails here.
func TestGenerated(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	files, err := generated(root)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range files {
		got, err := os.ReadFile(filepath.Join(root, name))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s is out of date with the rules: run go generate ./...", name)
		}
	}
}
