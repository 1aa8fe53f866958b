package linter_test

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/discover"
	"github.com/ekslint/ekslint/lint/linter"
	"github.com/ekslint/ekslint/lint/load"
)

// corpus is the real-world corpus beside the repository; users' clones do not have it.
const corpus = "../../../shared/corpus"

func corpusDir(t testing.TB, sub string) string {
	t.Helper()
	dir := filepath.Join(corpus, sub)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("%s not present", dir)
	}
	return dir
}

// TestCorpusObjects loads the raw, eksctl and CloudFormation corpus and checks that every object
// of every file that loads without an object left out reaches the rules, counted independently by decoding
// the same files with yaml.v3.
func TestCorpusObjects(t *testing.T) {
	if testing.Short() {
		t.Skip("runs over the shared corpus; go test without -short runs it")
	}
	for _, sub := range []string{"raw", "eksctl", "cloudformation"} {
		t.Run(sub, func(t *testing.T) {
			dir := corpusDir(t, sub)
			var mu sync.Mutex
			seen := map[string]int{}
			count := &lint.Rule{ID: "count", Level: lint.Note, DefaultOn: true,
				Inputs: lint.NamespaceInput | lint.EksctlInput | lint.CloudFormationInput,
				Check: func(p *lint.Pass) {
					// Overlays' documents are built, not read: they have no text of their own.
					if t := p.Object.Document().Text; t != nil {
						mu.Lock()
						seen[t.Name]++
						mu.Unlock()
					}
				}}
			res, err := linter.Lint(context.Background(), linter.Request{Paths: []string{dir}, Rules: []*lint.Rule{count}})
			if err != nil {
				t.Fatal(err)
			}
			inputs, _ := discover.Discover([]string{dir}, discover.Options{})
			failed := map[string]bool{}
			for _, p := range res.Problems {
				if strings.Contains(p.Message, "internal error") {
					t.Errorf("%s", p)
				}
				// Objects the reader leaves out say "not linted", errors or not.
				if p.Level == lint.Error || strings.Contains(p.Message, "looks like a template") || strings.Contains(p.Message, "not linted") {
					failed[p.Pos.File] = true
				}
			}
			// So do partial objects (a workload without a spec), skipped.
			for _, s := range res.Skipped {
				if strings.Contains(s.Reason, "a partial object") {
					failed[s.Pos.File] = true
				}
			}
			checked := 0
			for _, in := range inputs {
				if in.Kind != load.File || failed[in.Path] {
					continue
				}
				want := countObjects(t, in.Abs)
				if seen[in.Path] != want {
					t.Errorf("%s: %d objects checked, %d in the file", in.Path, seen[in.Path], want)
				}
				checked += want
			}
			t.Logf("%s: %d files, %d objects checked, %d files with problems", sub, len(inputs), checked, len(failed))
		})
	}
}

// countObjects counts the Kubernetes objects (List items one by one), eksctl configs and
// CloudFormation resources in a file, independently of the loader. It reads the parsed nodes, not
// values: a key written twice with the same value, which the loader lints, is no value yaml.v3
// decodes.
func countObjects(t *testing.T, path string) int {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	n := 0
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return n
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(doc.Content) == 0 {
			continue
		}
		root := doc.Content[0]
		items, kind := topLevel(root, "items"), topLevel(root, "kind")
		switch {
		case topLevel(root, "apiVersion") != nil && items != nil && items.Kind == yaml.SequenceNode && kind != nil && strings.HasSuffix(kind.Value, "List"):
			n += len(items.Content)
		case topLevel(root, "apiVersion") != nil:
			n++
		default:
			if rs := topLevel(root, "Resources"); rs != nil && rs.Kind == yaml.MappingNode {
				n += len(rs.Content) / 2
			}
		}
	}
}

// topLevel is the value of key in mapping m, or nil when m has none or it is null.
func topLevel(m *yaml.Node, key string) *yaml.Node {
	for i := 0; m.Kind == yaml.MappingNode && i+1 < len(m.Content); i += 2 {
		if v := m.Content[i+1]; m.Content[i].Value == key && v.ShortTag() != "!!null" {
			return v
		}
	}
	return nil
}

// TestCorpusBad lints every hostile file of corpus/bad (the large ones and the symlink loop exist
// once its make_bad.py has run) and checks each ends with its one clear message, or none: a
// document whose root is a list or a string is not a manifest, and is skipped.
func TestCorpusBad(t *testing.T) {
	if testing.Short() {
		t.Skip("runs over the shared corpus; go test without -short runs it")
	}
	dir := corpusDir(t, "bad")
	want := map[string]string{
		"billion-laughs.yaml":    "12:10: alias *f takes the document past",
		"binary.yaml":            "1: binary file",
		"deep-nesting.yaml":      "6: invalid YAML: exceeded max depth of 10000",
		"duplicate-keys.yaml":    `7:5: duplicate key "app" (first at line 6)`,
		"list-root.yaml":         "",
		"missing-kind.yaml":      "1: has apiVersion but no kind",
		"not-utf8.yaml":          "6:10: not valid UTF-8",
		"scalar-root.yaml":       "",
		"tabs-indentation.yaml":  "4: invalid YAML: found character that cannot start any token",
		"truncated-midline.yaml": "17:5: Deployment team-1/web-1: spec.template.spec has no containers",
		"truncated.yaml":         "23: invalid YAML: found unexpected end of stream",
		"wrong-types.yaml": "4:3: Deployment 12345: metadata.name must be a string, not the number 12345|" +
			"6:3: Deployment 12345: spec.replicas must be an integer, not the string \"three\"|" +
			"9:7: Deployment 12345: spec.template.spec.containers must be a list of containers, not a mapping",
		"crlf-bom.yaml":           "",
		"empty.yaml":              "",
		"only-comments.yaml":      "",
		"only-separators.yaml":    "",
		"huge-50mb.yaml":          "",
		"large-9mb.yaml":          "",
		"symlink-loop":            "", // its loops are skipped, its one manifest linted
		"kustomize-etc-passwd":    "-",
		"kustomize-remote-base":   "-",
		"kustomize-etc-passwd-de": "-",
	}
	entries, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "symlink-loop")); err == nil {
		entries = append(entries, filepath.Join(dir, "symlink-loop"))
	}
	for _, path := range entries {
		name := filepath.Base(path)
		if name == "huge-50mb.yaml" && testing.Short() {
			continue
		}
		t.Run(name, func(t *testing.T) {
			res, err := linter.Lint(context.Background(), linter.Request{Paths: []string{path}, Disable: []string{"all"}})
			if err != nil {
				t.Fatal(err)
			}
			problems := res.Problems
			expected, known := want[name]
			if !known {
				t.Fatalf("no expectation for %s: add one", name)
			}
			if expected == "" {
				for _, p := range problems {
					t.Errorf("unexpected problem: %s", p)
				}
				return
			}
			// One message per thing wrong: a document with three wrong field types gets three.
			wantAll := strings.Split(expected, "|")
			if len(problems) != len(wantAll) {
				t.Fatalf("%d problems, want %d: %v", len(problems), len(wantAll), problems)
			}
			for i, p := range problems {
				if got := p.String(); p.Level == lint.Note || !strings.Contains(got, ":"+wantAll[i]) {
					t.Errorf("got %s %q, want %q", p.Level, got, wantAll[i])
				}
			}
		})
	}
}
