package kustomize

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/kyaml/kio"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/load"
)

// TestTaggedObject checks that tagging an object for a build leaves the parsed object, which the
// cache shares with every overlay and the locator, as it was read; that a List's items are tagged
// (kustomize builds each alone); and that an object whose metadata other nodes may share through
// an anchor is left untagged rather than changed for them too.
func TestTaggedObject(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"kind: A\nmetadata:\n  name: a\n", "kind: A\nmetadata:\n  name: a\n  annotations:\n    build.ekslint.io/source-file: \"7\"\n"},
		{"kind: A\n", "kind: A\nmetadata:\n  annotations:\n    build.ekslint.io/source-file: \"7\"\n"},
		{"kind: A\nmetadata:\n  annotations: {x: y}\n", "kind: A\nmetadata:\n  annotations: {x: y, build.ekslint.io/source-file: \"7\"}\n"},
		{"kind: List\nitems:\n- kind: A\n", "kind: List\nitems:\n  - kind: A\n    metadata:\n      annotations:\n        build.ekslint.io/source-file: \"7\"\nmetadata:\n  annotations:\n    build.ekslint.io/source-file: \"7\"\n"},
		{"kind: A\nmetadata: &m\n  name: a\nspec: *m\n", "kind: A\nmetadata: &m\n  name: a\nspec: *m\n"},
	} {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(c.in), &doc); err != nil {
			t.Fatal(err)
		}
		before := encode(t, doc.Content[0])
		got := encode(t, taggedObject(doc.Content[0], "7"))
		if after := encode(t, doc.Content[0]); after != before {
			t.Errorf("%q: the object read was changed:\n%s", c.in, after)
		}
		if got != c.want {
			t.Errorf("%q: tagged\n%s\nwant\n%s", c.in, got, c.want)
		}
	}
}

func encode(t *testing.T, n *yaml.Node) string {
	t.Helper()
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// spliceCases are files for splicedTags: whether each is spliced, and what reads the same either
// way. TestSplicedTags runs them, and FuzzSplicedTags starts from them.
var spliceCases = []struct {
	name, in string
	spliced  bool
}{
	{"metadata without annotations", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: y\n", true},
	{"annotations", "kind: A\nmetadata:\n  name: a\n  annotations:\n    x: y\n", true},
	{"no metadata", "kind: A\nspec:\n  x: 1\n", true},
	{"indented by 4", "kind: A\nmetadata:\n    name: a\n    labels:\n        x: y\nspec:\n    replicas: 1\n", true},
	{"indented root", "  kind: A\n  metadata:\n    name: a\n", true},
	{"documents and comments", "# header\nkind: A\nmetadata:\n  name: a\n---\n# about b\nkind: B\nmetadata:\n  # between keys\n  name: b\n  annotations:\n    # first\n    x: y\n--- # c\n\nkind: C\n", true},
	{"leading separator", "---\nkind: A\nmetadata:\n  name: a\n", true},
	{"one document after a header", "# header\n---\nkind: A\nspec: 1\n", true},
	{"one document before a separator", "kind: A\nspec: 1\n---\n", true},
	{"List with a leading separator", "---\nkind: List\nitems:\n- kind: A\n  spec: 1\n", true},
	{"block scalars", "kind: A\nmetadata:\n  annotations:\n    note: |+\n      text\n\n    other: >-\n      folded\n      more\n  name: a\ndata:\n  script: |\n    #!/bin/sh\n    echo hi\n", true},
	{"quoted keys and values", "kind: A\n\"metadata\":\n  annotations:\n    \"a/b\": c\n    d: \"multi\n      line\"\n", true},
	{"space before colon", "kind : A\nmetadata :\n  name : a\n", true},
	// YAML refuses tabs before a key in block style: they can only be elsewhere.
	{"tabs", "kind: A\nmetadata:\t\n  name:\ta\tb\n", true},
	{"CR LF", "kind: A\r\nmetadata:\r\n  name: a\r\n---\r\nkind: B\r\nspec: 1\r\n", true},
	{"byte order mark", "\ufeffkind: A\nspec: 1\n", true},
	{"List", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n- kind: B\n  metadata:\n    name: b\n    annotations:\n      x: y\n- kind: C\n  spec: {}\n", true},
	{"List with indented items", "kind: ConfigMapList\nmetadata:\n  name: l\nitems:\n  - kind: A\n    metadata:\n      name: a\n", true},
	{"List item after a block scalar", "kind: List\nitems:\n- note: |+\n    text\n\n  kind: A\n", true},
	// A key written beside a merge key wins over the merged one, wherever it is: annotations
	// added beside merged ones would hide them.
	{"merge keys", "base: &b\n  name: a\n  annotations:\n    x: y\nkind: A\nmetadata:\n  <<: *b\n  labels:\n    x: y\n", false},
	{"merge key last", "base: &b\n  annotations:\n    x: y\nkind: A\nmetadata:\n  labels:\n    x: y\n  <<: *b\n", false},
	{"metadata merged", "base: &b\n  metadata:\n    name: a\nkind: A\n<<: *b\n", false},
	{"keys that are not strings", "metadata:\n 00:\n1: x\n", true},
	{"merge key elsewhere", "base: &b\n  x: 1\nkind: A\nmetadata:\n  name: a\nspec:\n  <<: *b\n", true},
	{"Lists among documents", "kind: List\nitems:\n- metadata:\n    name: a\n---\nkind: B\nitems: [x]\n", true},
	// Written as nothing elsewhere, or as ~ or null, a null is written again as it was.
	{"empty values in block collections", "kind: A\nspec:\n  x:\n  y:\n  - &a\n  z: {k: ~, l: !!null }\n", true},
	// Folded into one line, a folded scalar is written as it was.
	{"folded scalar", "kind: A\nspec: >\n  a\n  b\nstatus: >2-\n    a b\n", true},
	{"complex key among keys", "?\n  x\n: 1\nkind: A\n", true},
	// The lines go before another key: the first line stays first.
	{"first key starting with ---", "---: a\nkind: A\n", true},

	// yaml.v3's encoding, the fallback, would write these otherwise: a null written as nothing
	// as '' (a string) as a key or in a flow collection, a folded scalar's line breaks by its
	// first character. A splice keeps them as written.
	{"empty key", "kind: A\n&k : 1\n", true},
	{"empty value in a flow collection", "kind: A\nspec: {x: , y: [&a ]}\n", true},
	{"folded scalar before a more-indented line", "kind: A\nspec: >\n  a\n   b\n", true},
	{"folded scalar kept", "kind: A\nspec: >+\n  a\n\n", true},

	{"JSON", `{"kind": "A", "metadata": {"name": "a"}}`, false},
	{"flow metadata", "kind: A\nmetadata: {name: a}\n", false},
	{"flow annotations", "kind: A\nmetadata:\n  annotations: {x: y}\n", false},
	{"anchored object", "--- &o\nkind: A\nmetadata:\n  name: a\n", false},
	{"anchored metadata", "kind: A\nmetadata: &m\n  name: a\nspec: *m\n", false},
	{"aliased annotations", "kind: A\nspec: &a\n  x: y\nmetadata:\n  annotations: *a\n", false},
	{"null metadata", "kind: A\nmetadata:\nspec: 1\n", false},
	{"~ metadata", "kind: A\nmetadata: ~\n", false},
	{"null annotations", "kind: A\nmetadata:\n  name: a\n  annotations:\n", false},
	{"scalar metadata", "kind: A\nmetadata: x\n", false},
	{"annotation there", "kind: A\nmetadata:\n  annotations:\n    build.ekslint.io/source-file: \"3\"\n", false},
	{"complex key", "? kind\n: A\n", false},
	{"complex key in metadata", "kind: A\nmetadata:\n  ? name\n  : a\n", false},
	{"complex key on a line of its own", "?\n kind\n: A\n", false},
	{"tagged metadata", "kind: A\nmetadata: !!map\n  name: a\n", false},
	{"item of one key", "kind: List\nitems:\n- kind: A\n", false},
	{"flow items", "kind: List\nitems: [{kind: A}]\n", false},
	{"anchored items", "kind: List\nitems: &i\n- kind: A\n  spec: 1\nspec: *i\n", false},
	{"scalar document", "kind: A\n---\njust text\n", false},
	// kyaml reads the first document of each part: here an empty one, which it refuses.
	{"document end", "kind: A\nspec: 1\n---\n...\n---\nkind: B\nspec: 2\n", false},
	{"directive", "kind: A\nspec: 1\n---\n%YAML 1.1\n---\nkind: B\nspec: 2\n", false},
	{"content after a separator", "kind: A\n--- !!map\nkind: B\n", false},
	{"List after a header", "# header\n---\nkind: List\nitems:\n- kind: A\n  spec: 1\n", false},
	{"List before a separator", "kind: List\nitems:\n- kind: A\n  spec: 1\n---\n", false},
	{"CR alone", "kind: A\rspec: 1\r---\rkind: B\rspec: 2\r", false},
	{"UTF-16", utf16LE("kind: A\nmetadata:\n  name: a\n"), false},
	{"NEL", "kind: A\nspec: 1\n---\n\u0085...\n---\nkind: B\nspec: 2\n", false},
	// A first line starting with --- is no separator to kyaml, but would be after added lines.
	{"only key starting with ---", "---: a\n", false},
}

// TestSplicedTags checks that a file whose objects get their annotation as added lines reads, to
// kustomize's reader and to yaml.v3, as the file does with the annotation on each object, with
// every line of the file kept (checkSplice); and that what cannot be spliced surely (see
// splicedTags) falls back.
func TestSplicedTags(t *testing.T) {
	for _, c := range spliceCases {
		t.Run(c.name, func(t *testing.T) {
			text := lint.NewText("f.yaml", []byte(c.in))
			var docs []*yaml.Node
			if problems := load.ParseYAML(text, load.DefaultLimits(), func(root *yaml.Node) { docs = append(docs, root) }); len(problems) > 0 {
				t.Fatal(problems)
			}
			got, ok := splicedTags(text, docs, "7")
			if ok != c.spliced {
				t.Fatalf("spliced %v, want %v:\n%s", ok, c.spliced, got)
			}
			if !ok {
				return
			}
			// Every case reads: a splice is checked against readings, not against errors.
			if _, err := kyamlRead(got); err != nil {
				t.Fatalf("%v:\n%s", err, got)
			}
			checkSplice(t, c.in, got)
		})
	}
}

// FuzzSplicedTags splices any file that parses with objects to tag: splicedTags must not panic,
// and a splice must read as the file does with each object annotated (checkSplice), with every
// line kept.
//
//	go test ./lint/kustomize -run '^$' -fuzz '^FuzzSplicedTags$' -fuzztime 10m
//
// Seeds are spliceCases and a few files of the shared corpus (none without it).
func FuzzSplicedTags(f *testing.F) {
	for _, c := range spliceCases {
		f.Add(c.in)
	}
	for _, s := range corpusSeeds("../../../shared/corpus/kustomize", "../../../shared/corpus/raw") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		// As the file cache parses a resource file (file.parse); what it refuses, or what has no
		// documents, kustomize gets as it is.
		text := lint.NewText("f.yaml", []byte(in))
		if load.CheckText(text) != nil {
			return
		}
		var docs []*yaml.Node
		if problems := load.ParseYAML(text, load.DefaultLimits(), func(root *yaml.Node) { docs = append(docs, root) }); len(problems) > 0 || len(docs) == 0 {
			return
		}
		var got []byte
		var ok bool
		// A watchdog, as linttest.Within (which this package cannot import): a hang fails with
		// its input rather than stalling the run.
		done := make(chan struct{})
		go func() {
			defer close(done)
			got, ok = splicedTags(text, docs, "7")
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("tagging still running after 10 s (a hang, or work that grows faster than the input)")
		}
		if ok {
			checkSplice(t, in, got)
		}
	})
}

// corpusSeeds are a few YAML files of each folder, of at most 8 KiB (a large seed slows every
// input mutated from it), spread over the folder, which holds one project after another; none
// when a folder is not there. (linttest.Seeds would import this package through the linter.)
func corpusSeeds(dirs ...string) []string {
	var seeds []string
	for _, dir := range dirs {
		var paths []string
		filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
			if err == nil && e.Type().IsRegular() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
				if info, err := e.Info(); err == nil && info.Size() <= 8<<10 {
					paths = append(paths, path)
				}
			}
			return nil
		})
		for i := 0; i < len(paths); i += max(1, len(paths)/6) {
			if data, err := os.ReadFile(paths[i]); err == nil {
				seeds = append(seeds, string(data))
			}
		}
	}
	return seeds
}

// checkSplice checks that got, file in with its objects tagged by splicedTags, means what in
// means with the annotation added to each object:
//
//   - kustomize's reader (kyamlRead) reads both, or refuses both (with any message: the lines it
//     names differ); each object it reads of got carries the annotation, and without it is the
//     object it reads of in;
//   - yaml.v3 (decodeAll) reads got as it reads in, the annotations taken off. It is a second
//     witness to what the text means, not what kustomize runs;
//   - every line of in is in got, in order, as it was (the byte order mark still first), and so is
//     the annotation, its value quoted.
func checkSplice(t *testing.T, in string, got []byte) {
	t.Helper()
	o, oerr := kyamlRead([]byte(in))
	g, gerr := kyamlRead(got)
	switch {
	case (oerr == nil) != (gerr == nil):
		t.Errorf("spliced\n%s\nkustomize reads with error %v\nthe file\n%s\nwith error %v", got, gerr, in, oerr)
	case oerr == nil:
		for _, obj := range g {
			if yamlGet(yamlGet(yamlGet(obj, "metadata"), "annotations"), sourceAnnotation) != "7" {
				t.Errorf("spliced\n%s\nkustomize reads an object without the annotation: %v", got, obj)
			}
		}
		if untagged := untag(g); !reflect.DeepEqual(untagged, untag(o)) {
			t.Errorf("spliced\n%s\nkustomize reads as %v\nthe file\n%s\nas %v", got, untagged, in, o)
		}
	}
	if o, err := decodeAll([]byte(in)); err == nil {
		if g, err := decodeAll(got); err != nil {
			t.Errorf("spliced\n%s\ndoes not read: %v\nthe file\n%s\nreads as %v", got, err, in, o)
		} else if untagged := untag(g); !reflect.DeepEqual(untagged, untag(o)) {
			t.Errorf("spliced\n%s\nreads as %v\nthe file\n%s\nas %v", got, untagged, in, o)
		}
	}
	if !strings.Contains(string(got), `build.ekslint.io/source-file: "7"`) {
		t.Errorf("spliced without a quoted value:\n%s", got)
	}
	rest := strings.SplitAfter(strings.TrimPrefix(string(got), "\ufeff"), "\n")
	for _, line := range strings.SplitAfter(strings.TrimPrefix(in, "\ufeff"), "\n") {
		for len(rest) > 0 && rest[0] != line {
			rest = rest[1:]
		}
		if len(rest) == 0 {
			t.Fatalf("line %q of the file is lost:\n%s", line, got)
		}
		rest = rest[1:]
	}
}

// yamlGet returns the value of key in m, a mapping read from YAML, or nil. yaml.v3 reads a
// mapping with a key that is not a string (a null, a number) as a map[any]any.
func yamlGet(m any, key string) any {
	switch m := m.(type) {
	case map[string]any:
		return m[key]
	case map[any]any:
		return m[key]
	}
	return nil
}

// untag returns v, read from YAML, with every sourceAnnotation "7" taken off, and the annotations
// and metadata left empty by that: a splice adds them only for it.
func untag[T any](v T) T {
	del := func(m any, key string) int {
		switch m := m.(type) {
		case map[string]any:
			delete(m, key)
			return len(m)
		case map[any]any:
			delete(m, key)
			return len(m)
		}
		return -1
	}
	var walk func(v any)
	walk = func(v any) {
		if metadata := yamlGet(v, "metadata"); yamlGet(yamlGet(metadata, "annotations"), sourceAnnotation) == "7" {
			if del(yamlGet(metadata, "annotations"), sourceAnnotation) == 0 && del(metadata, "annotations") == 0 {
				del(v, "metadata")
			}
		}
		switch v := v.(type) {
		case map[string]any:
			for _, x := range v {
				walk(x)
			}
		case map[any]any:
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		case []map[string]any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	return v
}

// utf16LE is s in UTF-16, little-endian, after a byte order mark.
func utf16LE(s string) string {
	b := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return string(b)
}

// decodeAll reads each document of a stream as yaml.v3 gives it to a program, skipping empty ones
// as the parser and kustomize do.
func decodeAll(data []byte) ([]any, error) {
	var out []any
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var v any
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if v != nil {
			out = append(out, v)
		}
	}
}

// kyamlRead reads data as kustomize reads a resource file.
func kyamlRead(data []byte) ([]map[string]any, error) {
	nodes, err := kio.FromBytes(data)
	if err != nil {
		return nil, err
	}
	var out []map[string]any
	for _, n := range nodes {
		m, err := n.Map()
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}
