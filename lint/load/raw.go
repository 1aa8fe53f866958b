package load

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"

	"go.yaml.in/yaml/v3"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/fsroot"
)

// Raw reads a YAML or JSON file (or stdin) one document at a time and hands the documents over
// as it goes: a 50 MB stream never sits in memory whole, only the document being read and those
// being checked. Each document is parsed from its own Text, numbered as the file is.
func Raw(in Input, stdin io.Reader, s Sink) {
	lim := s.Limits()
	r, size, closeInput, p := openInput(in, stdin, lim.MaxFileSize)
	if p != nil {
		s.Problem(*p)
		return
	}
	defer closeInput()
	var (
		comments map[int]*lint.Ignore
		whole    []byte // stdin, kept for reports: it cannot be read again
		noted    bool   // the Helm-template note is given once per file
	)
	defer func() {
		if in.Kind == Stdin {
			s.Source(lint.NewText(in.Path, whole))
		} else {
			s.SourceFile(in.Path, in.Abs, comments)
		}
	}()
	split := newDocSplitter(r, in.Path, size)
	for {
		t, err := split.next(lim.MaxFileSize)
		if err != nil {
			s.Problem(lint.Problem{Pos: lint.Pos{File: in.Path}, Level: lint.Error, Message: err.Error()})
			return
		}
		if t == nil {
			return
		}
		if in.Kind == Stdin {
			whole = append(whole, t.Data...)
		}
		if p := CheckText(t); p != nil {
			s.Problem(*p)
			return
		}
		for line, ig := range lint.IgnoreComments(t) {
			if comments == nil {
				comments = map[int]*lint.Ignore{}
			}
			comments[line] = ig
		}
		roots, problems := parseDocuments(t, lim)
		if bytes.Contains(t.Data, []byte("{{")) {
			if line := templateLine(t, problems, roots); line > 0 {
				if !noted {
					noted = true
					s.Problem(lint.Problem{Pos: lint.Pos{File: t.Name, Line: line}, Level: lint.Note,
						Message: "looks like a Helm template (has {{ }}) outside a chart; skipped: lint the chart folder (with Chart.yaml) instead"})
				}
				continue
			}
		}
		for _, root := range roots {
			s.Document(&lint.Document{Text: t, Root: root})
		}
		for _, p := range problems {
			s.Problem(p)
		}
	}
}

// parseDocuments parses the documents of one piece of a stream.
func parseDocuments(t *lint.Text, lim Limits) ([]*yaml.Node, []lint.Problem) {
	var roots []*yaml.Node
	problems := ParseYAML(t, lim, func(root *yaml.Node) { roots = append(roots, root) })
	return roots, problems
}

// templateLine returns the line of the first template action when the file does not read as
// YAML because of it, else 0.
func templateLine(t *lint.Text, problems []lint.Problem, roots []*yaml.Node) int {
	first := t.LineAt(bytes.Index(t.Data, []byte("{{")))
	for _, p := range problems {
		if p.Level == lint.Error {
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

// openInput opens a file through its root, or stdin for Stdin inputs, refusing a file over
// maxSize bytes before reading any of it.
func openInput(in Input, stdin io.Reader, maxSize int64) (r io.Reader, size int64, closeInput func(), p *lint.Problem) {
	if in.Kind == Stdin {
		if stdin == nil {
			stdin = os.Stdin
		}
		return stdin, 0, func() {}, nil
	}
	f, st, err := in.Root.Open(in.Abs)
	if err == nil && st.Size() > maxSize {
		f.Close()
		err = &fsroot.TooLargeError{Size: st.Size(), Limit: maxSize}
	}
	if err != nil {
		return nil, 0, nil, &lint.Problem{Pos: lint.Pos{File: in.Path}, Level: lint.Error, Message: ReadProblem(err)}
	}
	return f, st.Size(), func() { f.Close() }, nil
}

// ReadProblem is the message for a file that could not be read: what fsroot refused it for, or
// the system's reason.
func ReadProblem(err error) string {
	if fsroot.Refused(err) {
		return fsroot.Reason(err)
	}
	return "cannot read: " + fsroot.Reason(err)
}

// docSplitter cuts a YAML stream into pieces of whole documents, each at least minPiece bytes
// (a small file is one piece). A line starting with `---` (or a directive, `%...`) begins a
// document wherever it appears: YAML forbids both at the start of a line inside any scalar, so
// the cut is exactly where the parser would start a document, and each piece parses alone as it
// would in the stream.
type docSplitter struct {
	r       *bufio.Reader
	name    string
	line    int    // lines handed out so far
	read    int64  // bytes read so far
	pending []byte // the line that starts the next piece
	done    bool
	min     int // bytes a piece has before it may be cut
	// file and whole are set instead of r for a file no bigger than a piece: its size.
	file  io.Reader
	whole int
}

// minPiece is the smallest piece a stream is cut into: large enough that the parser's own set-up
// (a new decoder per piece) does not show, small enough that a 50 MB stream is never held whole.
const minPiece = 256 << 10

// newDocSplitter reads r, whose size is known when it is a file (0 for stdin).
func newDocSplitter(r io.Reader, name string, size int64) *docSplitter {
	if size > 0 && size <= minPiece {
		// Small files are the common case: one read of exactly their size.
		return &docSplitter{file: r, name: name, whole: int(size)}
	}
	return &docSplitter{r: bufio.NewReaderSize(r, 64<<10), name: name, min: minPiece}
}

// next returns the next piece, or nil at the end of the stream; an error when the stream is
// larger than maxSize or cannot be read.
func (d *docSplitter) next(maxSize int64) (*lint.Text, error) {
	if d.done && d.pending == nil {
		return nil, nil
	}
	if d.whole > 0 {
		// A file no bigger than a piece is one piece: read it at once, no line scanning.
		d.done = true
		data := make([]byte, d.whole)
		n, err := io.ReadFull(d.file, data)
		if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, errors.New(ReadProblem(err))
		}
		return lint.NewText(d.name, data[:n]), nil
	}
	// A piece is a little over min bytes: grown from nothing, its buffer would be copied eight
	// times on the way, four times the stream's bytes in all.
	buf := make([]byte, 0, d.min+d.min/8)
	lines := 0
	// started is set once the piece holds a document start or content: from then on, the next
	// `---` or directive begins the next piece. Comments, blank lines and directives before a
	// document belong to it.
	started := false
	if d.pending != nil {
		buf, d.pending = append(buf, d.pending...), nil
		lines, started = 1, isDocumentStart(buf)
	}
	for !d.done {
		line, err := d.readLine(maxSize - d.read)
		d.read += int64(len(line))
		if d.read > maxSize {
			return nil, &fsroot.TooLargeError{Size: -1, Limit: maxSize}
		}
		if errors.Is(err, io.EOF) {
			d.done = true
			if len(line) == 0 {
				break
			}
		} else if err != nil {
			return nil, errors.New(ReadProblem(err))
		}
		if started && len(buf) >= d.min && (isDocumentStart(line) || isDirective(line)) {
			d.pending = append([]byte(nil), line...)
			break
		}
		buf = append(buf, line...)
		lines++
		if isDocumentStart(line) || !(isDirective(line) || isBlankOrComment(line)) {
			started = true
		}
	}
	if len(buf) == 0 {
		return nil, nil
	}
	t := &lint.Text{Name: d.name, Data: buf, Offset: d.line}
	d.line += lines
	return t, nil
}

// readLine returns the next line, including its newline, or as much of it as takes it past
// budget bytes: a stream of one endless line (stdin from /dev/zero) must hit the size limit
// rather than fill memory. The slice is only valid until the next read: next copies it into the
// piece at once.
func (d *docSplitter) readLine(budget int64) ([]byte, error) {
	line, err := d.r.ReadSlice('\n')
	if !errors.Is(err, bufio.ErrBufferFull) {
		return line, err
	}
	long := append([]byte(nil), line...) // a line longer than the buffer
	for errors.Is(err, bufio.ErrBufferFull) && int64(len(long)) <= budget {
		line, err = d.r.ReadSlice('\n')
		long = append(long, line...)
	}
	if errors.Is(err, bufio.ErrBufferFull) {
		err = nil // over budget: the caller stops at the size limit
	}
	return long, err
}

func isDocumentStart(line []byte) bool {
	return bytes.HasPrefix(line, []byte("---")) && (len(line) == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r' || line[3] == '\n')
}

func isDirective(line []byte) bool { return len(line) > 0 && line[0] == '%' }

func isBlankOrComment(line []byte) bool {
	t := bytes.TrimLeft(line, " \t\r\n\ufeff")
	return len(t) == 0 || t[0] == '#'
}
