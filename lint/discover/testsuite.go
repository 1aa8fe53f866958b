package discover

import (
	"bytes"
	"path/filepath"
	"regexp"

	"go.yaml.in/yaml/v3"
)

// skipAssertion says why a test suite's assertion file is not linted.
const skipAssertion = "an assertion of a Chainsaw or KUTTL test (the partial objects a test expects to find in a cluster), not a manifest"

// kuttlAssertion names the assertion files of a KUTTL test step (00-assert.yaml, 01-errors.yaml),
// a naming Chainsaw reads too (00-assert-ready.yaml).
var kuttlAssertion = regexp.MustCompile(`(?i)^\d+-(?:assert|errors)(?:-[^.]*)?\.(?:ya?ml|json)$`)

// chainsawTests are the names of the file a Chainsaw test is defined in.
var chainsawTests = []string{"chainsaw-test.yaml", "chainsaw-test.yml", "chainsaw-test.json"}

// maxTestFile bounds the read of a Chainsaw test: a real one is a few KiB.
const maxTestFile = 1 << 20

// isAssertion reports whether the file abs is an assertion of an end-to-end test: what a step
// expects to find in the cluster, written as partial objects (a Pod without its containers'
// images, a value that is a JMESPath expression), which are no manifests. Operators' repositories
// keep hundreds of them beside the manifests the tests apply, which are linted.
func (r *repo) isAssertion(abs string) bool {
	name := filepath.Base(abs)
	if kuttlAssertion.MatchString(name) {
		return true
	}
	dir := filepath.Dir(abs)
	if r.listed[dir] && !r.tests[dir] {
		return false // a walk saw the folder: no test there
	}
	patterns, ok := r.assertions[dir]
	if !ok {
		patterns = r.readAssertions(dir)
		r.assertions[dir] = patterns
	}
	for _, p := range patterns {
		if m, err := filepath.Match(p, name); err == nil && m {
			return true
		}
	}
	return false
}

// readAssertions returns the files the Chainsaw tests of dir assert or expect errors with
// (`assert: {file: 00-assert.yaml}`, `error: {file: ...}` in any step), as patterns of names in
// dir; Chainsaw takes globs there.
func (r *repo) readAssertions(dir string) []string {
	var patterns []string
	for _, name := range chainsawTests {
		data, err := r.root.ReadFileLimit(filepath.Join(dir, name), maxTestFile)
		if err != nil {
			continue
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for {
			var doc any
			if err := dec.Decode(&doc); err != nil {
				break // at the end, or at a syntax error: what parsed before it counts
			}
			patterns = appendAssertions(patterns, doc, 0)
		}
	}
	return patterns
}

// appendAssertions adds the file of each assert and error operation in v to patterns, looking
// no deeper than a test's steps go.
func appendAssertions(patterns []string, v any, depth int) []string {
	if depth > 12 {
		return patterns
	}
	switch v := v.(type) {
	case map[string]any:
		for key, op := range v {
			if key == "assert" || key == "error" {
				if m, ok := op.(map[string]any); ok {
					// `./01-assert.yaml`, as Chainsaw's own examples write it, is the same file.
					if file, ok := m["file"].(string); ok && file != "" {
						if file = filepath.Clean(file); filepath.Base(file) == file {
							patterns = append(patterns, file)
						}
					}
				}
			}
			patterns = appendAssertions(patterns, op, depth+1)
		}
	case []any:
		for _, item := range v {
			patterns = appendAssertions(patterns, item, depth+1)
		}
	}
	return patterns
}
