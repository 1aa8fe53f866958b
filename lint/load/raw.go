package load

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode/utf16"

	"go.yaml.in/yaml/v3"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/fsroot"
)

// Raw reads a YAML or JSON file (or stdin) one document at a time and hands the documents over
// as it goes: a 50 MB stream never sits in memory whole, only the document being read and those
// being checked. Each document is parsed from its own Text, numbered as the file is.
//
// A document that cannot be read is an input error only when it was meant as a manifest: when
// its text has apiVersion, kind or the keys of a CloudFormation template (a syntax error, bytes
// that are not UTF-8), or its parsed root does (duplicate keys, an alias bomb). Anything else is
// another tool's broken file (an Ansible playbook with a typo, a Jinja template), which its own
// tool reports: it is skipped, and listed as skipped. Likewise, a warning about a document that is
// read (a key written twice with the same value) is given only when it is a manifest. A binary
// file is always an error: nothing in a repository should be a binary named .yaml.
func Raw(in Input, stdin io.Reader, s Sink) {
	lim := s.Limits()
	r, size, closeInput, p := openInput(in, stdin, lim.MaxFileSize)
	if p != nil {
		s.Problem(*p)
		return
	}
	defer closeInput()
	r, size, transcoded, err := fromUTF16(r, size, in.Path, lim.MaxFileSize)
	if err != nil {
		s.Problem(lint.Problem{Pos: lint.Pos{File: in.Path}, Level: lint.Error, Message: ReadProblem(err)})
		return
	}
	var (
		comments map[int]*lint.Ignore
		// whole is the text read, kept for reports when reading the file again would not give it:
		// standard input, or a file transcoded from UTF-16.
		keep  = in.Kind == Stdin || transcoded
		whole []byte
		noted bool // the Helm-template note is given once per file
	)
	defer func() {
		if keep {
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
		if keep {
			whole = append(whole, t.Data...)
		}
		if p := CheckText(t); p != nil {
			if strings.HasPrefix(p.Message, binaryFile) || textMeantAsManifest(t.Data) {
				s.Problem(*p)
			} else {
				skip(s, p.Pos, NotYAML+": "+p.Message)
			}
			return
		}
		for line, ig := range lint.IgnoreComments(t) {
			if comments == nil {
				comments = map[int]*lint.Ignore{}
			}
			comments[line] = ig
		}
		if t.Offset == 0 && isMIME(t.Data) {
			skip(s, lint.Pos{File: t.Name, Line: 1, Column: 1}, lint.NotAManifest+": a MIME multipart message (EC2 user data), whose parts are for the instance")
			return
		}
		if !mayHoldManifest(t.Data) {
			skip(s, lint.Pos{File: t.Name, Line: t.Offset + 1, Column: 1}, lint.NotAManifest+": no apiVersion, kind or CloudFormation key in it")
			continue
		}
		docs := parsePiece(t, lim)
		line, syntax := templateLine(t, docs)
		if start, end, ok := bracedValue(t.Data); line == 0 && ok {
			line, syntax = t.LineAt(start), string(t.Data[start:end])
		}
		if line > 0 && textMeantAsManifest(t.Data) {
			switch {
			case noted:
			case inChartFolder(in):
				skip(s, lint.Pos{File: t.Name, Line: line}, "a template in a chart's folder, outside templates/: "+
					"one the chart reads with .Files, linted where the chart renders it")
			default:
				what := "the rendered output with `ekslint lint -`"
				if strings.HasPrefix(syntax, "{{") {
					what = "a chart folder with Chart.yaml, or " + what
				}
				s.Problem(lint.Problem{Pos: lint.Pos{File: t.Name, Line: line}, Level: lint.Note,
					Message: "looks like a template (has " + syntax + ") outside a Helm chart; skipped: lint what renders it instead (" + what + ")"})
			}
			noted = true
			continue
		}
		for _, d := range docs {
			switch {
			case d.problem == nil:
				if len(d.warnings) > 0 && lint.MeantAsManifest(d.root) {
					for _, w := range d.warnings {
						s.Problem(w)
					}
				}
				s.Document(&lint.Document{Text: t, Root: d.root})
			case d.root == nil && textMeantAsManifest(d.failedText(t)):
				if p, ok := placeholder(t, d); ok {
					s.Problem(lint.Problem{Pos: d.problem.Pos, Level: lint.Note, Message: "looks like a template (has " + p +
						") outside a Helm chart; skipped: lint what renders it instead (the rendered output with `ekslint lint -`)"})
					continue
				}
				s.Problem(*d.problem)
			case d.root != nil && lint.MeantAsManifest(d.root):
				s.Problem(*d.problem)
				if d.unlinted {
					s.Document(&lint.Document{Text: t, Root: d.root, Unlinted: true})
				}
			case d.root == nil && d.problem.Level != lint.Error:
				// A warning about what heads documents (a %YAML 1.2 directive) that are not
				// manifests: they are skipped on their own.
			default:
				skip(s, d.problem.Pos, NotYAML+": "+d.problem.Message)
			}
		}
	}
}

// isMIME reports whether a text starts as a MIME message: EC2 user data that combines a nodeadm
// NodeConfig with a shell script is one, often named .yaml, and its boundaries break the YAML
// parts (amazon-eks-ami's tests).
func isMIME(b []byte) bool {
	const header = "mime-version:"
	b = bytes.TrimLeft(b, "\ufeff \t\r\n")
	return len(b) >= len(header) && strings.EqualFold(string(b[:len(header)]), header)
}

// NotYAML is how the reason begins for skipping a document that cannot be read and was not meant
// as a manifest.
const NotYAML = lint.NotAManifest + ", and cannot be read"

// A SkipSink is a Sink that also takes what a loader leaves out on purpose; the engine's sink is
// one, and lists them for --verbose.
type SkipSink interface {
	Skip(lint.Skip)
}

// inChartFolder reports whether the file in sits in a chart's folder: a folder above it, inside
// the root, holds a Chart.yaml.
func inChartFolder(in Input) bool {
	if in.Root == nil {
		return false
	}
	for dir := filepath.Dir(in.Abs); in.Root.Contains(dir); dir = filepath.Dir(dir) {
		if st, err := in.Root.Stat(filepath.Join(dir, "Chart.yaml")); err == nil && st.Mode().IsRegular() {
			return true
		}
		if dir == in.Root.Dir() || filepath.Dir(dir) == dir {
			return false
		}
	}
	return false
}

func skip(s Sink, at lint.Pos, reason string) {
	if ss, ok := s.(SkipSink); ok {
		ss.Skip(lint.Skip{Pos: at, Reason: reason})
	}
}

// manifestWords are the keys without which no document is a manifest (lint.MeantAsManifest).
var manifestWords = [][]byte{[]byte("kind"), []byte("apiVersion"), []byte("Resources"), []byte("AWSTemplateFormatVersion")}

// mayHoldManifest reports whether text can hold a manifest: it has one of manifestWords, or a
// backslash, with which a quoted key can spell one in escapes ("\u006bind"). Most of the YAML in
// a repository that is not manifests (values files, workflows) has none of them, and a search for
// four words is much cheaper than parsing it to find that out.
func mayHoldManifest(text []byte) bool {
	return bytes.IndexByte(text, '\\') >= 0 || slices.ContainsFunc(manifestWords, func(w []byte) bool { return bytes.Contains(text, w) })
}

// manifestKeyRE finds the keys that make a text a manifest: apiVersion, kind, metadata, spec, or
// a CloudFormation template's AWSTemplateFormatVersion or Resources, as a top-level key of block
// YAML (at the start of a line, whatever ends the one before), or as a key of JSON or flow YAML (quoted, or after `{` or `,`).
var manifestKeyRE = regexp.MustCompile(`(?m)(?:^|\r|[{,][ \t]*)(apiVersion|kind|metadata|spec|AWSTemplateFormatVersion|Resources)[ \t]*:|"(apiVersion|kind|metadata|spec|AWSTemplateFormatVersion|Resources)"[ \t]*:`)

// textMeantAsManifest reports whether a text that cannot be parsed was meant as a manifest. Its
// keys are all there is to go by, read as lint.MeantAsManifest reads a parsed document: apiVersion
// and kind, apiVersion with metadata or spec, kind with metadata, or a CloudFormation key. apiVersion alone is
// another tool's (a Grafana provisioning file, a Helm repository index).
func textMeantAsManifest(b []byte) bool {
	has := map[string]bool{}
	for _, m := range manifestKeyRE.FindAllSubmatch(b, -1) {
		has[string(m[1])+string(m[2])] = true
	}
	switch {
	case has["AWSTemplateFormatVersion"] || has["Resources"]:
		return true
	case has["apiVersion"] && has["kind"]:
		return true
	default:
		return has["apiVersion"] && (has["metadata"] || has["spec"]) || has["kind"] && has["metadata"]
	}
}

// failedDocument is the text of the document of t holding line (a line of the file), from the
// document marker (`---`) before it to the one after: the parser gives only the error's line,
// and this is the document it broke. Without a line, it is all of t.
func failedDocument(t *lint.Text, line int) []byte {
	first, last := t.Offset+1, t.Lines()
	if line < first || line > last {
		return t.Data
	}
	for l := line; l > first; l-- {
		if lint.IsDocumentStart(t.Line(l)) {
			first = l
			break
		}
	}
	for l := line + 1; l <= last; l++ {
		if lint.IsDocumentStart(t.Line(l)) {
			last = l - 1
			break
		}
	}
	var b []byte
	for l := first; l <= last; l++ {
		b = append(append(b, t.Line(l)...), '\n')
	}
	return b
}

// failedText is the text of a document the parser could not read, in piece t.
func (d parsedDocument) failedText(t *lint.Text) []byte {
	if d.source != nil {
		return d.source
	}
	return failedDocument(t, d.problem.Pos.Line)
}

// parseDocuments parses the documents of one piece of a stream.
func parseDocuments(t *lint.Text, lim Limits) []parsedDocument {
	var docs []parsedDocument
	parseStream(t, lim, nil, func(d parsedDocument) { docs = append(docs, d) })
	return docs
}

// templateLine returns the line of the first action of a Go or Jinja template ({{ }}, {% %}), or
// of a FreeMarker directive (<#if>), when a document does not read as YAML, or has a key that is
// a mapping (`{{ .x }}: y` reads as a flow mapping), and the action; else 0. The text is then a template, not a manifest. A document
// that parses but that the tree check refuses (a key written twice) is broken whatever its braces
// hold (`"{{workflow.name}}"`, an Argo expression in a string).
func templateLine(t *lint.Text, docs []parsedDocument) (int, string) {
	at, syntax := -1, ""
	if i := templateAction(t.Data); i >= 0 {
		at, syntax = i, string(t.Data[i:i+2])+" "+templateCloser[t.Data[i+1]]
	} else if bytes.Contains(t.Data, []byte("<#")) || bytes.Contains(t.Data, []byte("</#")) {
		if m := freeMarkerDirective.FindIndex(t.Data); m != nil {
			at, syntax = m[0], "<# >"
		}
	}
	// A text that reads as YAML holds a template as data (a ConfigMap's block scalar).
	if at < 0 || !slices.ContainsFunc(docs, func(d parsedDocument) bool { return d.root == nil || hasCollectionKey(d.root, 0) }) {
		return 0, ""
	}
	return t.LineAt(at), syntax
}

// freeMarkerDirective finds a FreeMarker directive that starts a line (`<#if config.x>`,
// `</#if>`, `<#-- a comment -->`): a .ftl.yaml file is a FreeMarker template, which YAML reads
// as text around broken mappings.
var freeMarkerDirective = regexp.MustCompile(`(?m)^[ \t]*</?#(?:[a-z]+|--)`)

// placeholder returns the placeholder of a substitution step on the line where the document d of
// t broke, if there is one: that document is the step's input, not a manifest.
func placeholder(t *lint.Text, d parsedDocument) (string, bool) {
	if d.problem.Pos.Line == 0 {
		return "", false
	}
	line := t.Line(d.problem.Pos.Line)
	if m := variableLine.FindSubmatch(line); m != nil {
		return string(m[1]), true
	}
	for _, m := range placeholderRE.FindAllIndex(line, -1) {
		if line[m[0]] != '{' || m[0] == 0 || line[m[0]-1] != '$' {
			return string(line[m[0]:m[1]]), true
		}
	}
	return "", false
}

// templateAction returns the offset of the first {{ or {% in b, or -1.
func templateAction(b []byte) int {
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], '{')
		if j < 0 || i+j+1 >= len(b) {
			return -1
		}
		if c := b[i+j+1]; c == '{' || c == '%' {
			return i + j
		}
		i += j + 1
	}
}

// templateCloser closes the template action opened by '{' and this byte.
var templateCloser = map[byte]string{'{': "}}", '%': "%}"}

// placeholderRE finds the placeholders of substitution steps that YAML cannot read: %NAME%
// (Windows-style, eks-connector's %EKS_ACTIVATION_CODE%), {NAME} (cert-manager's
// {SERVICE_IP_PREFIX}.16, linkerd's {IPv6}/128), Python's format fields with an attribute or
// index ({self.path.k8s}, {images[kat-server]}: emissary's test manifests), @NAME@ (autoconf
// and sed, longhorn's @STS_NAME@) and printf's verbs (a Go test's `name: %s`). ${NAME} and
// <NAME> read as strings, and are linted as the placeholders they are.
var placeholderRE = regexp.MustCompile(`%[A-Z][A-Z0-9_]*%|\{[a-z]*[A-Z][A-Za-z0-9_]*\}|` + formatField + `|@[A-Za-z_][A-Za-z0-9_]*@|%[-+# 0]*[0-9]*(?:\.[0-9]+)?[sdvqxXfgt]\b`)

// formatField is a Python format field that reads an attribute or an index: {self.path.k8s},
// {images[kat-server]}.
const formatField = `\{[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[[^\]\s{}:,]+\])+\}`

// variableLine finds a line that starts with a shell variable, $NAME or ${NAME}: envsubst fills in a
// whole block there (a certificate under `ca.crt: |`), which YAML reads, before it has run, as a
// key without a colon.
var variableLine = regexp.MustCompile(`^\s*(\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*)`)

// bracedValue returns where a value that is a {NAME} placeholder or a Python format field alone
// starts and ends in data (`name: {TENANT_ID}`, `- {NAME}`, `name: {self.path.k8s}`), which YAML
// reads as a mapping of one key: the document parses, but as something else than what the step
// will fill in. It looks only at braces before a letter, each line once, so most manifests are
// passed over at the speed of a byte search.
func bracedValue(data []byte) (start, end int, ok bool) {
	for i := 0; ; i++ {
		j := bytes.IndexByte(data[i:], '{')
		if j < 0 {
			return 0, 0, false
		}
		i += j
		if i+1 >= len(data) || !isLetter(data[i+1]) {
			continue
		}
		lineStart := bytes.LastIndexByte(data[:i], '\n') + 1
		lineEnd := len(data)
		if k := bytes.IndexByte(data[i:], '\n'); k >= 0 {
			lineEnd = i + k
		}
		if m := bracedLine.FindSubmatchIndex(data[lineStart:lineEnd]); m != nil {
			return lineStart + m[2], lineStart + m[3], true
		}
		if lineEnd == len(data) {
			return 0, 0, false
		}
		i = lineEnd // each line is looked at once
	}
}

// bracedLine is a line whose value is a {NAME} placeholder or a Python format field alone.
var bracedLine = regexp.MustCompile(`^[ \t]*(?:- |[^#:]+:[ \t]+)(\{[A-Z][A-Z0-9_]*\}|` + formatField + `)[ \t]*(?:#.*)?\r?$`)

// isLetter reports whether c may start a placeholder's name.
func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_' }

// HasCollectionKey reports whether a mapping in the tree of root has a key that is a mapping or a
// list, as a template action reads in YAML (`{{ .x }}: y`, `version: {{ .Version }}`): no
// manifest or chart file is written so.
func HasCollectionKey(root *yaml.Node) bool { return hasCollectionKey(root, 0) }

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

// fromUTF16 returns the text of a stream that starts with a UTF-16 byte order mark (as Windows
// PowerShell writes `kubectl get -o yaml > x.yaml`) as UTF-8, read whole, and transcoded true; any
// other stream as it is. The parser would read UTF-16 itself, but every line, column and ignore
// comment ekslint reads from the text would be wrong.
//
// The first bytes are read ahead and handed back in front of the rest, not through a buffered
// reader: a 4 KB buffer for each file, which reads a small file whole anyway, was 4% of the raw
// corpus's allocations.
func fromUTF16(r io.Reader, size int64, name string, maxSize int64) (io.Reader, int64, bool, error) {
	var head [4]byte
	n, err := io.ReadFull(r, head[:])
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		r = failedRead{err} // reported where the stream is read
	}
	bom := head[:n]
	r = io.MultiReader(bytes.NewReader(bom), r)
	var order binary.ByteOrder
	switch {
	case bytes.Equal(bom, []byte{0xFF, 0xFE, 0, 0}):
		return r, size, false, nil // UTF-32's mark: CheckText refuses it
	case bytes.HasPrefix(bom, []byte{0xFF, 0xFE}):
		order = binary.LittleEndian
	case bytes.HasPrefix(bom, []byte{0xFE, 0xFF}):
		order = binary.BigEndian
	default:
		return r, size, false, nil
	}
	raw, err := fsroot.ReadAll(r, name, maxSize, size)
	if err != nil {
		return nil, 0, false, err
	}
	units := make([]uint16, (len(raw)-2)/2)
	for i := range units {
		units[i] = order.Uint16(raw[2+2*i:])
	}
	text := []byte(string(utf16.Decode(units)))
	return bytes.NewReader(text), int64(len(text)), true, nil
}

// failedRead is a stream whose reading failed: it fails again with the same error.
type failedRead struct{ err error }

func (f failedRead) Read([]byte) (int, error) { return 0, f.err }

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
	// rest is what follows a CR alone in the last line read, and restErr the error that read
	// met: the lines still to hand out of it (readLine).
	rest    []byte
	restErr error
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
	lines := 0 // line breaks in buf, counted as lint.Text counts them
	// started is set once the piece holds a document start or content: from then on, the next
	// `---` or directive begins the next piece. Comments, blank lines and directives before a
	// document belong to it.
	started := false
	if d.pending != nil {
		buf, d.pending = append(buf, d.pending...), nil
		lines, started = lint.LineBreaks(buf), lint.IsDocumentStart(buf)
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
		if started && len(buf) >= d.min && (lint.IsDocumentStart(line) || isDirective(line)) {
			d.pending = append([]byte(nil), line...)
			break
		}
		buf = append(buf, line...)
		lines += lint.LineBreaks(line)
		if lint.IsDocumentStart(line) || !(isDirective(line) || isBlankOrComment(line)) {
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

// readLine returns the next line, including its line end, or as much of it as takes it past
// budget bytes: a stream of one endless line (stdin from /dev/zero) must hit the size limit
// rather than fill memory. A CR alone ends a line too, as lint.Text counts lines: a file of old
// Mac line ends is cut into pieces at its document markers as any other (read as one line, it
// was held whole, parsed whole, at eight times the memory). The slice is only valid until the
// next read: next copies it into the piece at once.
func (d *docSplitter) readLine(budget int64) ([]byte, error) {
	var line []byte
	var err error
	owned := d.rest != nil
	if owned {
		line, err, d.rest, d.restErr = d.rest, d.restErr, nil, nil
	} else {
		line, err = d.readLF(budget)
	}
	if i := bytes.IndexByte(line, '\r'); i >= 0 {
		for i < len(line)-1 && line[i+1] == '\n' {
			j := bytes.IndexByte(line[i+2:], '\r')
			if j < 0 {
				return line, err
			}
			i += 2 + j
		}
		if i < len(line)-1 {
			if !owned {
				line = bytes.Clone(line)
			}
			d.rest, d.restErr = line[i+1:], err
			return line[:i+1], nil
		}
	}
	return line, err
}

// readLF returns the next line ended by LF, as readLine does.
func (d *docSplitter) readLF(budget int64) ([]byte, error) {
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

func isDirective(line []byte) bool { return len(line) > 0 && line[0] == '%' }

func isBlankOrComment(line []byte) bool {
	t := bytes.TrimLeft(line, " \t\r\n\ufeff")
	return len(t) == 0 || t[0] == '#'
}
