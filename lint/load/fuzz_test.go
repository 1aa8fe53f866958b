package load_test

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ekslint/ekslint/lint/linter"
	"github.com/ekslint/ekslint/lint/linttest"
	"github.com/ekslint/ekslint/rules"
)

// FuzzRaw lints any bytes as a file and as standard input, with every rule: no input may crash
// the run or a rule, hang, or give a position outside the input.
//
//	go test ./lint/load -run '^$' -fuzz FuzzRaw -fuzztime 5m
func FuzzRaw(f *testing.F) {
	for _, seed := range linttest.Seeds(64<<10, "../../fixtures", "../../../shared/corpus/raw", "../../../shared/corpus/bad",
		"../../../shared/corpus/eksctl", "../../../shared/corpus/cloudformation") {
		f.Add(seed, false)
	}
	f.Add([]byte("apiVersion: v1\rkind: Pod\rmetadata: {name: \"a\u2028b\"}\r"), true)
	f.Add([]byte(utf16Text(binary.LittleEndian, "apiVersion: v1\nkind: Pod\nmetadata: {name: a} # ekslint:ignore x\n")), false)
	// JSON streams, split into values by encoding/json: whole, after a byte order mark, cut short.
	f.Add([]byte(jsonStream), false)
	f.Add([]byte("\ufeff"+jsonStream), true)
	f.Add([]byte(jsonStream[:len(jsonStream)/2]), false)
	// Broken documents between good ones, each parsed again from the marker after its error.
	f.Add([]byte("apiVersion: v1\nkind: Secret\ndata: {code: %CODE%}\n---\nkind: Pod\napiVersion: v1\nx: [\n...\n%YAML 1.1\n--- |\n  ---\n\tbad\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"), false)
	// A %YAML 1.2 directive, keys written twice with the same value and with two, a syntax error
	// lines below the first key of its mapping.
	f.Add([]byte("%YAML 1.2\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, name: a}\ndata:\n  a: {x: 1}\n  a: {x: 1}\n"+
		"---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\nspec: {a: 1, a: 2}\n---\napiVersion: v1\nkind: Service\nspec:\n  type: A\n  ip: {P}.1\n"), false)
	req := linttest.Only(rules.All()...)
	req.Today = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	req.Limits.MaxFileSize = 1 << 20
	req.Limits.MaxAliasNodes = 100_000
	f.Fuzz(func(t *testing.T, data []byte, stdin bool) {
		dir := t.TempDir()
		req := req
		name := "x.yaml"
		if stdin {
			req.Paths = []string{"-"}
			req.Stdin, name = bytes.NewReader(data), "<stdin>"
		} else {
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
			req.Paths = []string{name}
		}
		req.Root, req.WorkDir = dir, dir
		linttest.Within(t, 10*time.Second, "linting the input", func() {
			res, err := linter.Lint(t.Context(), req)
			if err != nil {
				t.Error(err)
				return
			}
			linttest.CheckResult(t, name, data, res)
		})
	})
}
