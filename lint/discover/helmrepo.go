package discover

import (
	"bytes"
	"io"
	"path/filepath"
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

// readsAsHelmIndex reports whether the file starts as a Helm repository index does, with
// `apiVersion` and `entries` at the top level; only its first 64 KiB are read (an index of many
// charts runs to megabytes).
func (r *repo) readsAsHelmIndex(path string) bool {
	f, _, err := r.root.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 64<<10)
	n, _ := io.ReadFull(f, head)
	var version, entries bool
	for line := range bytes.Lines(head[:n]) {
		version = version || bytes.HasPrefix(line, []byte("apiVersion:"))
		entries = entries || bytes.HasPrefix(line, []byte("entries:"))
	}
	return version && entries
}
