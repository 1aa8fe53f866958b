package helm

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/ekslint/ekslint/lint"
)

// TestValuesEntries looks every key of every values file of the corpus and the fixtures up in
// the file's entries, and in the file parsed whole: both must find the same key.
func TestValuesEntries(t *testing.T) {
	var roots []string
	if corpus != "" {
		roots = append(roots, filepath.Join(corpus, "helm"), filepath.Join(corpus, "helm-values"))
	}
	roots = append(roots, "../../fixtures", "../../examples")
	files, cut, keys := 0, 0, 0
	for _, root := range roots {
		filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
			dir, name := filepath.Base(filepath.Dir(p)), filepath.Base(p)
			isValues := strings.HasPrefix(name, "values") || dir == "ci" || dir == "helm-values"
			if err != nil || e.IsDir() || !isValues || !strings.HasSuffix(name, ".yaml") {
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			files++
			k, ok := compareEntries(t, p, data)
			keys += k
			if ok {
				cut++
			}
			return nil
		})
	}
	for i, data := range []string{
		"---\na: 1\nb:\n  c: [1, 2] # list\n  d: |\n    e: 3\nf: 'x' # y\n",
		"\ufeffa: 1\n# comment\nb: {c: 1,\nd: 2}\n",
		"a: \"x\ny: 2\"\n",
		"  a: 1\n  b: 2\n",
		"a: &x {c: 1}\nb: *x\n",
		"a: 1\n---\na: 2\n",
		"a: 1\na: 2\n",
		"- a\n- b\n",
		"a b: 1\n\"c\": 2\n",
	} {
		compareEntries(t, "case "+strconv.Itoa(i), []byte(data))
	}
	t.Logf("%d values files (%d cut into entries, the others parsed whole), %d keys compared", files, cut, keys)
}

// compareEntries compares the lookups of every key path of data, and of each top-level key; it
// returns how many paths were compared and whether the file was cut into entries.
func compareEntries(t *testing.T, name string, data []byte) (int, bool) {
	text := lint.NewText(name, data)
	whole := &valuesFile{text: text}
	byEntry := &valuesFile{text: text}
	byEntry.index()
	paths := map[string][]string{}
	for _, doc := range whole.docs() {
		allPaths(doc, nil, paths, 0)
	}
	for key := range byEntry.entries {
		paths[key] = []string{key}
	}
	for _, path := range paths {
		want, wantOK := whole.findWhole(path)
		got, gotOK := byEntry.find(path)
		if wantOK != gotOK || wantOK && (got.Line != want.Line || got.Column != want.Column) {
			t.Errorf("%s: %s: found %v at %s, parsed whole %v at %s", name, strings.Join(path, "."), gotOK, at(got), wantOK, at(want))
		}
	}
	return len(paths), byEntry.entries != nil
}

// findWhole is find on the file parsed whole.
func (v *valuesFile) findWhole(path []string) (*yaml.Node, bool) {
	docs := v.docs()
	for i := len(docs) - 1; i >= 0; i-- {
		if n := findPath(docs[i], path); n != nil {
			return n, true
		}
	}
	return nil, false
}

func at(n *yaml.Node) string {
	if n == nil {
		return "-"
	}
	return fmt.Sprintf("%d:%d", n.Line, n.Column)
}

// allPaths records the path of every key and list item under n, up to a depth and count that
// keep the test quick.
func allPaths(n *yaml.Node, path []string, out map[string][]string, depth int) {
	if depth > 12 || len(out) > 20000 {
		return
	}
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			p := append(path[:len(path):len(path)], n.Content[i].Value)
			out[strings.Join(p, "\x00")] = p
			allPaths(n.Content[i+1], p, out, depth+1)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			p := append(path[:len(path):len(path)], strconv.Itoa(i))
			out[strings.Join(p, "\x00")] = p
			allPaths(c, p, out, depth+1)
		}
	}
}
