package discover

import (
	"bytes"
	"io"
	"path/filepath"
	"regexp"
)

// isHelmRepository reports whether dir is a Helm chart repository, as GitHub Pages serve them
// (docs/, a gh-pages checkout): its index.yaml lists chart releases under `entries`. The archives
// beside it are releases already published; a repository's index only grows, and one chart's
// hundred old releases buried the findings of its source (kedacore/charts, minio/operator).
func (r *repo) isHelmRepository(dir string) bool {
	known, ok := r.helmRepos[dir]
	if !ok {
		known = r.readsAsHelmIndex(filepath.Join(dir, "index.yaml"))
		r.helmRepos[dir] = known
	}
	return known
}

// isPublished reports whether the chart archive abs is a release a Helm repository publishes: it
// sits beside the repository's index.yaml, or in a folder of the folder that holds one whose
// index lists it there (minio/operator's index.yaml at the top lists its 175 releases in
// helm-releases/).
func (r *repo) isPublished(abs string) bool {
	dir := filepath.Dir(abs)
	if r.isHelmRepository(dir) {
		return true
	}
	up := filepath.Dir(dir)
	if up == dir || !r.root.Contains(up) || !r.isHelmRepository(up) {
		return false
	}
	listed, ok := r.indexed[up]
	if !ok {
		listed = map[string]bool{}
		if data, err := r.root.ReadFile(filepath.Join(up, "index.yaml")); err == nil {
			for _, m := range indexedArchive.FindAllSubmatch(data, -1) {
				listed[string(m[1])] = true
			}
		}
		r.indexed[up] = listed
	}
	return listed[filepath.Base(dir)+"/"+filepath.Base(abs)]
}

// indexedArchive finds an archive's folder and name at the end of a URL of an index.yaml.
var indexedArchive = regexp.MustCompile(`(?m)([^/\s"']+/[^/\s"']+\.tgz)["']?\s*$`)

// readsAsHelmIndex reports whether the file starts as a Helm repository index does, with
// `apiVersion` and `entries` at the top level; only its first 64 KiB are read (an index of many
// charts runs to megabytes).
func (r *repo) readsAsHelmIndex(path string) bool {
	var version, entries bool
	for line := range bytes.Lines(r.head(path, 64<<10)) {
		version = version || bytes.HasPrefix(line, []byte("apiVersion:"))
		entries = entries || bytes.HasPrefix(line, []byte("entries:"))
	}
	return version && entries
}

// head returns up to the first n bytes of the file at path, nothing when it cannot be read.
func (r *repo) head(path string, n int) []byte {
	f, _, err := r.root.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	head := make([]byte, n)
	read, _ := io.ReadFull(f, head)
	return head[:read]
}
