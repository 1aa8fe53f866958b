package lint

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"go.yaml.in/yaml/v3"
)

// loadRaw reads a YAML or JSON file (or stdin) and hands over its documents.
func loadRaw(in Input, stdin io.Reader, s *Sink) {
	lim := s.Limits()
	t, p := readText(in, stdin, lim.MaxFileSize)
	if p != nil {
		s.Problem(*p)
		return
	}
	s.Source(t)
	if p := CheckText(t); p != nil {
		s.Problem(*p)
		return
	}
	if bytes.Contains(t.Data, []byte("{{")) {
		loadMaybeTemplate(t, lim, s)
		return
	}
	for _, p := range ParseYAML(t, lim, func(root *yaml.Node) { s.Document(&Document{Text: t, Root: root}) }) {
		s.Problem(p)
	}
}

// loadMaybeTemplate handles a file with `{{` in it. Plenty of manifests carry Go templates in
// strings (Prometheus alert texts, Argo workflows); a Helm template outside its chart fails to
// parse or parses into mappings used as keys (`{{ .Values.x }}` reads as a flow mapping). Such a
// file is skipped with a note; anything else is linted as usual. The whole file is parsed before
// the first document is handed over, which is fine: templates are small.
func loadMaybeTemplate(t *Text, lim Limits, s *Sink) {
	var roots []*yaml.Node
	problems := ParseYAML(t, lim, func(root *yaml.Node) { roots = append(roots, root) })
	if line := templateLine(t, problems, roots); line > 0 {
		s.Problem(Problem{Pos: Pos{File: t.Name, Line: line}, Level: Note,
			Message: "looks like a Helm template (has {{ }}) outside a chart; skipped: lint the chart folder (with Chart.yaml) instead"})
		return
	}
	for _, r := range roots {
		s.Document(&Document{Text: t, Root: r})
	}
	for _, p := range problems {
		s.Problem(p)
	}
}

// templateLine returns the line of the first template action when the file does not read as
// YAML because of it, else 0.
func templateLine(t *Text, problems []Problem, roots []*yaml.Node) int {
	first := t.LineAt(bytes.Index(t.Data, []byte("{{")))
	for _, p := range problems {
		if p.Level == Error {
			return first
		}
	}
	for _, r := range roots {
		if hasCollectionKey(r, 0) {
			return first
		}
	}
	return 0
}

func hasCollectionKey(n *yaml.Node, depth int) bool {
	if depth > 100 {
		return false
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i < len(n.Content); i += 2 {
			if k := n.Content[i].Kind; k == yaml.MappingNode || k == yaml.SequenceNode {
				return true
			}
		}
	}
	for _, c := range n.Content {
		if hasCollectionKey(c, depth+1) {
			return true
		}
	}
	return false
}

// readText reads a file, or stdin for Stdin inputs, refusing anything over maxSize bytes without
// reading it all.
func readText(in Input, stdin io.Reader, maxSize int64) (*Text, *Problem) {
	tooBig := func(size string) *Problem {
		return &Problem{Pos: Pos{File: in.Path}, Level: Error, Message: fmt.Sprintf(
			"file is %s, over the %s limit; not linted (raise it with --max-file-size)", size, FormatSize(maxSize))}
	}
	var r io.Reader
	if in.Kind == Stdin {
		if stdin == nil {
			stdin = os.Stdin
		}
		r = stdin
	} else {
		f, err := os.Open(in.Abs)
		if err != nil {
			return nil, &Problem{Pos: Pos{File: in.Path}, Level: Error, Message: "cannot read: " + pathErr(err)}
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return nil, &Problem{Pos: Pos{File: in.Path}, Level: Error, Message: "cannot read: " + pathErr(err)}
		}
		if st.IsDir() {
			return nil, &Problem{Pos: Pos{File: in.Path}, Level: Error, Message: "is a directory"}
		}
		if st.Size() > maxSize {
			return nil, tooBig(FormatSize(st.Size()))
		}
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxSize+1))
	if err != nil {
		return nil, &Problem{Pos: Pos{File: in.Path}, Level: Error, Message: "cannot read: " + pathErr(err)}
	}
	if int64(len(data)) > maxSize {
		return nil, tooBig("more than " + FormatSize(maxSize))
	}
	return NewText(in.Path, data), nil
}

// pathErr drops the path from an *os.PathError: the message already starts with it.
func pathErr(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

// FormatSize writes a byte count the way the --max-file-size flag reads it.
func FormatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
