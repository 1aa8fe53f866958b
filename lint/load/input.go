package load

import (
	"context"
	"path/filepath"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/fsroot"
)

// InputKind says how an input is loaded.
type InputKind int

const (
	File InputKind = iota
	Stdin
	Chart
	Overlay
)

func (k InputKind) String() string {
	return [...]string{File: "file", Stdin: "stdin", Chart: "Helm chart", Overlay: "Kustomize overlay"}[k]
}

// An Input is one thing to load: a file, stdin, a chart or an overlay.
type Input struct {
	Kind InputKind
	// Path is the display path: slash-separated, relative to the working directory when inside it.
	Path string
	// Abs is the absolute path of the file or folder.
	Abs string
	// Root is the lint root: every file the input reads is read through it, and nothing outside
	// it is. It is nil for stdin.
	Root *fsroot.Root
	// Bases are, for an overlay, the kustomization folders it includes that no other overlay
	// includes. Bases are linted through the overlays that include them; when this one cannot be
	// built (a remote base beside them, a generated patch missing from a clean checkout), each is
	// built on its own instead, so that their findings are not lost with the overlay; a base that
	// cannot be built either falls back to its own Bases in turn.
	Bases []Input
}

// StdinName is how findings in standard input name their file.
const StdinName = "<stdin>"

// A Loader turns one chart or overlay into documents.
type Loader interface {
	Load(ctx context.Context, in Input, s Sink)
}

// A Sink takes what a loader produces. The engine's sink checks documents as they arrive, in
// parallel with loading.
type Sink interface {
	// Limits are the run's limits, for loaders that parse text themselves.
	Limits() Limits
	// Document hands a document over for checking.
	Document(d *lint.Document)
	// Problem records an input that could not be read or linted, or a note.
	Problem(p lint.Problem)
	// Source records a text findings may point into.
	Source(t *lint.Text)
	// SourceFile records a file of the input's root that findings may point into, with its ignore
	// comments (by line) but without its bytes: raw inputs can be large, and their lines are read
	// again, through the root, only when a report shows them.
	SourceFile(name, abs string, comments map[int]*lint.Ignore)
}

// DisplayPath is how a file is named in reports: relative to wd (with ../ when outside it, as a
// compiler names the paths it was given), always with forward slashes.
func DisplayPath(abs, wd string) string {
	if rel, err := filepath.Rel(wd, abs); err == nil {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(abs)
}
