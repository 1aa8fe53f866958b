package helm

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/strvals"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/fsroot"
	"github.com/ekslint/ekslint/lint/load"
)

// A ValueSet is one way to render a chart: values files and --set style values, applied in
// Helm's order (files in turn, then SetJSON, Set, SetString, SetFile).
type ValueSet struct {
	// Name names the set in findings when a chart is rendered several ways; "" for the only one.
	Name string
	// Files are values files (-f), relative to the working directory unless absolute. They must
	// be inside the lint root.
	Files []string
	// SetJSON, Set, SetString and SetFile are --set-json (key=JSON), --set, --set-string and
	// --set-file values (key=value,...). --set-file paths are relative to the working directory
	// and must be inside the lint root.
	SetJSON, Set, SetString, SetFile []string
}

// Check reports --set style values that do not parse, for the command line to refuse early.
func (vs ValueSet) Check() error {
	if err := vs.checkItems(); err != nil {
		return err
	}
	for _, v := range vs.SetJSON {
		if err := strvals.ParseJSON(v, map[string]any{}); err != nil {
			return fmt.Errorf("--set-json %s: %w", v, err)
		}
	}
	for _, v := range vs.Set {
		if err := strvals.ParseInto(v, map[string]any{}); err != nil {
			return fmt.Errorf("--set %s: %w", v, err)
		}
	}
	for _, v := range vs.SetString {
		if err := strvals.ParseIntoString(v, map[string]any{}); err != nil {
			return fmt.Errorf("--set-string %s: %w", v, err)
		}
	}
	for _, v := range vs.SetFile {
		noRead := func([]rune) (any, error) { return "", nil }
		if err := strvals.ParseIntoFile(v, map[string]any{}, noRead); err != nil {
			return fmt.Errorf("--set-file %s: %w", v, err)
		}
	}
	return nil
}

// maxSetItems bounds the list items --set style values make: `a[65535]=1` makes a list of 65,536
// (Helm's own bound, per list), and a config of 5,000 such values took 3 GB and crashed.
const maxSetItems = 1_000_000

// setIndex is a list index in a --set key.
var setIndex = regexp.MustCompile(`\[(\d+)\]`)

// checkItems refuses values whose list indexes make more than maxSetItems items in all.
func (vs ValueSet) checkItems() error {
	var items int64
	for _, set := range [][]string{vs.SetJSON, vs.Set, vs.SetString, vs.SetFile} {
		for _, v := range set {
			for _, m := range setIndex.FindAllStringSubmatch(v, -1) {
				n, err := strconv.ParseInt(m[1], 10, 64)
				if err != nil || n >= maxSetItems {
					n = maxSetItems
				}
				if items += n + 1; items > maxSetItems {
					return fmt.Errorf("the --set values make lists of more than %d items in all (an index, %s, makes every item before it)", maxSetItems, m[0])
				}
			}
		}
	}
	return nil
}

// valuesFile is a YAML values file: a user's -f file or a chart's values.yaml, in which related
// locations look keys up. A values file can be large (megabytes of configuration) while findings
// ask for a few keys, and a YAML node tree takes some 25 times the bytes of its text: so the file
// is cut into its top-level entries, and only the entries asked for are parsed, each once. A file
// that cannot be cut (several documents, a top level that is not a block mapping, an entry that
// refers to another's anchor) is parsed whole.
type valuesFile struct {
	text *lint.Text
	once sync.Once
	// entries are the top-level entries by key; nil when the file is parsed whole.
	entries map[string]entry
	mu      sync.Mutex
	parsed  map[string]*yaml.Node // entries parsed so far: each a mapping with one key
	whole   sync.Once
	roots   []*yaml.Node // the whole file's documents; later documents win, as in Helm's LoadValues
}

// entry is a top-level entry of a values file: its key's line and the lines below it, until the
// next key; line is the number of lines before it.
type entry struct{ start, end, line int }

// cut finds the top-level entries of the file, or leaves entries nil when it is not one block
// mapping whose keys are plain scalars starting their lines, each with a value that does not
// go on below the key line in a flow collection or quoted string (whose next lines need not be
// indented).
func (v *valuesFile) cut() {
	data := v.text.Data
	entries := map[string]entry{}
	var key string
	var at entry
	started := false // a document start (---) or a key has been seen
	line := 0
	for off := 0; off < len(data); line++ {
		end := len(data)
		if i := bytes.IndexByte(data[off:], '\n'); i >= 0 {
			end = off + i + 1
		}
		l := data[off:end]
		if off == 0 {
			l = bytes.TrimPrefix(l, []byte("\xef\xbb\xbf"))
		}
		off = end
		content := bytes.TrimLeft(l, " \t\r\n")
		switch {
		case len(content) == 0 || content[0] == '#':
			continue
		case len(content) < len(l):
			if key == "" {
				return // indented content before any key
			}
			continue
		case !started && isDocumentStart(l):
			started = true
			continue
		}
		k, rest, ok := plainKey(l)
		if !ok || !endsOnItsLine(rest) {
			return
		}
		if key != "" {
			at.end = end - len(l)
			entries[key] = at
		}
		key, at, started = k, entry{start: end - len(l), line: line}, true
	}
	if key != "" {
		at.end = len(data)
		entries[key] = at
	}
	v.entries = entries
}

// index cuts the file into its entries, once.
func (v *valuesFile) index() { v.once.Do(v.cut) }

// isDocumentStart reports whether a line is a YAML document start, ---.
func isDocumentStart(l []byte) bool {
	return bytes.HasPrefix(l, []byte("---")) && (len(l) == 3 || isSpace(l[3]))
}

// plainKey reads the key a top-level line starts with, a plain scalar followed by a colon and a
// space or the end of the line, and what follows the colon. Anything else (quoted or complex
// keys, flow collections, anchors, tags, lists, directives, document markers) is not one.
func plainKey(l []byte) (key string, rest []byte, ok bool) {
	// Not a key: an indicator, a list item, a document start or end.
	switch {
	case strings.IndexByte("?:,[]{}#&*!|>'\"%@`", l[0]) >= 0,
		l[0] == '-' && (len(l) == 1 || isSpace(l[1]) || bytes.HasPrefix(l, []byte("---"))),
		bytes.HasPrefix(l, []byte("...")):
		return "", nil, false
	}
	for i := 0; i < len(l); i++ {
		switch {
		case l[i] == ':' && (i+1 == len(l) || isSpace(l[i+1])):
			k := bytes.TrimRight(l[:i], " \t")
			return string(k), l[i+1:], len(k) > 0
		case l[i] == '#' && i > 0 && isSpace(l[i-1]):
			return "", nil, false
		}
	}
	return "", nil, false
}

// endsOnItsLine reports whether the value after a top-level key, if it starts on the key's line as
// a flow collection or a quoted string, also ends there.
func endsOnItsLine(rest []byte) bool {
	rest = bytes.TrimSpace(rest)
	if i := bytes.Index(rest, []byte(" #")); i >= 0 {
		rest = bytes.TrimSpace(rest[:i])
	}
	if len(rest) == 0 {
		return true
	}
	closing := map[byte]byte{'[': ']', '{': '}', '"': '"', '\'': '\''}[rest[0]]
	return closing == 0 || len(rest) > 1 && rest[len(rest)-1] == closing
}

// entryRoot returns the parsed entry of key, a mapping with that one key, with lines numbered as
// in the file; nil when the entry does not parse alone: the file is then parsed whole.
func (v *valuesFile) entryRoot(key string, e entry) *yaml.Node {
	v.mu.Lock()
	defer v.mu.Unlock()
	if n, ok := v.parsed[key]; ok {
		return n
	}
	var doc yaml.Node
	var root *yaml.Node
	if err := yaml.Unmarshal(v.text.Data[e.start:e.end], &doc); err == nil && len(doc.Content) == 1 && doc.Content[0].Kind == yaml.MappingNode {
		root = doc.Content[0]
		shiftLines(root, e.line)
	}
	if v.parsed == nil {
		v.parsed = map[string]*yaml.Node{}
	}
	v.parsed[key] = root
	return root
}

// shiftLines renumbers the lines of nodes parsed from part of a file as the file numbers them.
func shiftLines(n *yaml.Node, by int) {
	n.Line += by
	for _, c := range n.Content {
		shiftLines(c, by)
	}
}

// docs parses the whole file.
func (v *valuesFile) docs() []*yaml.Node {
	v.whole.Do(func() {
		dec := yaml.NewDecoder(bytes.NewReader(v.text.Data))
		for {
			var doc yaml.Node
			if err := dec.Decode(&doc); err != nil {
				return
			}
			if len(doc.Content) > 0 {
				v.roots = append(v.roots, doc.Content[0])
			}
		}
	})
	return v.roots
}

// find returns the key at path (keys and list indexes) in the file, last document first.
func (v *valuesFile) find(path []string) (*yaml.Node, bool) {
	if len(path) == 0 {
		return nil, false
	}
	v.index()
	if v.entries != nil {
		e, ok := v.entries[path[0]]
		if !ok {
			return nil, false
		}
		if root := v.entryRoot(path[0], e); root != nil {
			n := findPath(root, path)
			return n, n != nil
		}
	}
	docs := v.docs()
	for i := len(docs) - 1; i >= 0; i-- {
		if n := findPath(docs[i], path); n != nil {
			return n, true
		}
	}
	return nil, false
}

// findPath follows path through mappings and lists and returns the node that names the last step:
// the key of a mapping entry, or the list item itself.
func findPath(n *yaml.Node, path []string) *yaml.Node {
	var at *yaml.Node
	for depth, seg := range path {
		if depth > 100 || n == nil {
			return nil
		}
		if n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		switch n.Kind {
		case yaml.MappingNode:
			var next *yaml.Node
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == seg {
					at, next = n.Content[i], n.Content[i+1]
				}
			}
			if next == nil {
				return nil
			}
			n = next
		case yaml.SequenceNode:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(n.Content) {
				return nil
			}
			at, n = n.Content[i], n.Content[i]
		default:
			return nil
		}
	}
	return at
}

// userValues are the values of one value set, with where they came from.
type userValues struct {
	vals  map[string]any
	files []*valuesFile  // in the order given; later files win
	set   map[string]any // what --set, --set-string and --set-file set, which no file shows
}

// gives reports whether the values file of display path name is one the user gave.
func (u *userValues) gives(name string) bool {
	return slices.ContainsFunc(u.files, func(f *valuesFile) bool { return path.Clean(f.text.Name) == path.Clean(name) })
}

// Helm parses a values file into maps and lists of its own (and through JSON, twice), with no
// bound: a 50 MB flow list of 25 million items took 4.1 GB before the process died, a 30 MB
// block list 2.6 GB. maxValuesItems bounds the items, entries and lines of one, as a raw
// manifest's (load.Limits); a real values file has a few thousand.
const maxValuesItems = 1_000_000

// checkValuesItems refuses a values file of more than maxValuesItems items, entries or lines,
// counted by the separators between them, before Helm parses it.
func checkValuesItems(data []byte, display string) error {
	if n := bytes.Count(data, []byte{'\n'}) + bytes.Count(data, []byte{','}); n > maxValuesItems {
		return &errChart{lint.Pos{File: display}, fmt.Sprintf("holds %d lines and list items, more than the %d ekslint lets Helm read in a values file; not rendered", n, maxValuesItems)}
	}
	return nil
}

// helmYAML are the files of a chart that Helm parses as YAML.
var helmYAML = map[string]bool{"Chart.yaml": true, "values.yaml": true, "requirements.yaml": true, "Chart.lock": true, "requirements.lock": true}

// checkChartYAML refuses a chart with a file Helm parses as YAML that is not YAML text
// (load.CheckText: Helm's parser names no line for a byte it refuses) or whose aliases expand
// past the budget (checkAliases).
func (ci *chartInput) checkChartYAML() error {
	for _, f := range ci.files {
		if helmYAML[path.Base(f.name)] && !strings.Contains(f.name, "templates/") {
			if p := load.CheckText(f.text); p != nil {
				return &errChart{p.Pos, p.Message}
			}
			if err := checkAliases(f.text, ci.sink.Limits().MaxAliasNodes); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkAliases refuses YAML for Helm whose aliases expand past maxAlias nodes (lint.CheckTree):
// Helm's parser copies an alias's text each time it converts YAML to JSON, so a values.yaml or a
// Chart.yaml of a 1 MB string aliased a thousand times took 5 GB. Only text with both an anchor
// and an alias (lint.MayAlias) is parsed for it; what does not parse is Helm's to report.
func checkAliases(t *lint.Text, maxAlias int) error {
	if !lint.MayAlias(t.Data) {
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(t.Data))
	for {
		var root yaml.Node
		if dec.Decode(&root) != nil {
			return nil
		}
		for _, p := range lint.CheckTree(&root, maxAlias) {
			if p.Level == lint.Error && p.FirstLine == 0 { // an alias bomb or cycle, not a key written twice
				return &errChart{lint.Pos{File: t.Name, Line: p.Line, Column: p.Column}, p.Msg}
			}
		}
	}
}

// readValues reads a value set as `helm template` does, reading files only inside the lint root.
func (ci *chartInput) readValues(vs ValueSet) (*userValues, error) {
	u := &userValues{vals: map[string]any{}, set: map[string]any{}}
	for _, name := range vs.Files {
		data, display, err := ci.readUserFile(name, "values file")
		if err != nil {
			return nil, err
		}
		t := lint.NewText(display, data)
		ci.sink.Source(t)
		if err := checkValuesItems(data, display); err != nil {
			return nil, err
		}
		if err := checkAliases(t, ci.sink.Limits().MaxAliasNodes); err != nil {
			return nil, err
		}
		m, err := loader.LoadValues(bytes.NewReader(data))
		if err != nil {
			if at, what, ok := notMapping(t, err); ok {
				return nil, &errChart{at, "the values file must be a mapping of keys to values, not " + what}
			}
			return nil, &errChart{yamlErrorPos(t, err), "cannot read values: " + yamlErrorMessage(err)}
		}
		u.vals = loader.MergeMaps(u.vals, m)
		u.files = append(u.files, &valuesFile{text: t})
	}
	at := lint.Pos{File: ci.in.Path}
	if err := vs.checkItems(); err != nil {
		return nil, &errChart{at, err.Error()}
	}
	for _, v := range vs.SetJSON {
		if err := strvals.ParseJSON(v, u.vals); err != nil {
			return nil, &errChart{at, fmt.Sprintf("--set-json %s: %v", v, err)}
		}
		_ = strvals.ParseJSON(v, u.set)
	}
	for _, v := range vs.Set {
		if err := strvals.ParseInto(v, u.vals); err != nil {
			return nil, &errChart{at, fmt.Sprintf("--set %s: %v", v, err)}
		}
		_ = strvals.ParseInto(v, u.set)
	}
	for _, v := range vs.SetString {
		if err := strvals.ParseIntoString(v, u.vals); err != nil {
			return nil, &errChart{at, fmt.Sprintf("--set-string %s: %v", v, err)}
		}
		_ = strvals.ParseIntoString(v, u.set)
	}
	for _, v := range vs.SetFile {
		read := func(rs []rune) (any, error) {
			data, _, err := ci.readUserFile(string(rs), "--set-file")
			return string(data), err
		}
		if err := strvals.ParseIntoFile(v, u.vals, read); err != nil {
			if ec, ok := err.(*errChart); ok {
				return nil, ec
			}
			return nil, &errChart{at, fmt.Sprintf("--set-file %s: %v", v, err)}
		}
		_ = strvals.ParseIntoFile(v, u.set, func([]rune) (any, error) { return "", nil })
	}
	return u, nil
}

// readUserFile reads a file named by the user (a values file, a --set-file) relative to the
// working directory; like everything else, it must be inside the lint root.
func (ci *chartInput) readUserFile(name, what string) ([]byte, string, error) {
	abs := name
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(ci.loader.workDir, name)
	}
	display := load.DisplayPath(abs, ci.loader.workDir)
	at := lint.Pos{File: display}
	data, err := ci.root.ReadFile(abs)
	var tooLarge *fsroot.TooLargeError
	switch {
	case errors.Is(err, fsroot.ErrOutside), errors.Is(err, fsroot.ErrDangling):
		return nil, display, &errChart{at, fmt.Sprintf("%s %s", what, fsroot.Reason(err))}
	case errors.As(err, &tooLarge):
		return nil, display, &errChart{at, fmt.Sprintf("%s is over the %s limit; not read (raise it with --max-file-size)", what, fsroot.FormatSize(tooLarge.Limit))}
	case err != nil:
		return nil, display, &errChart{at, fmt.Sprintf("%s: cannot read: %s", what, fsroot.Reason(err))}
	}
	return data, display, nil
}

var yamlLine = regexp.MustCompile(`line (\d+): `)

// unknownAnchor is the YAML parser's error for an alias to no anchor, which names no line.
var unknownAnchor = regexp.MustCompile(`unknown anchor '(.*)' referenced`)

// yamlErrorPos finds the line a YAML error names in t, or the alias an unknown anchor error is
// about.
func yamlErrorPos(t *lint.Text, err error) lint.Pos {
	at := lint.Pos{File: t.Name}
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		at.Line, _ = strconv.Atoi(m[1])
	} else if m := unknownAnchor.FindStringSubmatch(err.Error()); m != nil {
		alias := regexp.MustCompile(`\*` + regexp.QuoteMeta(m[1]) + `(?:[\s,\]}]|$)`)
		if loc := alias.FindIndex(t.Data); loc != nil {
			at.Line, at.Column = t.LineAt(loc[0]), t.ColumnAt(loc[0])
		}
	} else if strings.Contains(err.Error(), "excessive aliasing") {
		// The parser names no line; ekslint's own alias budget names the alias that goes over.
		for _, p := range load.ParseYAML(t, load.DefaultLimits(), func(*yaml.Node) {}) {
			if p.Pos.Line > 0 {
				return lint.Pos{File: t.Name, Line: p.Pos.Line, Column: p.Pos.Column}
			}
		}
	}
	return at
}

// yamlErrorMessage drops the layers Helm's YAML readers wrap around a parser error.
func yamlErrorMessage(err error) string {
	msg := err.Error()
	for _, p := range []string{"cannot unmarshal yaml document: ", "error converting YAML to JSON: ", "yaml: "} {
		if i := strings.LastIndex(msg, p); i >= 0 {
			msg = msg[i+len(p):]
		}
	}
	return msg
}

// notMappingError is what Helm's YAML readers say of a file that is valid YAML but not a mapping,
// in the words of the JSON decoder they convert it through.
var notMappingError = regexp.MustCompile(`json: cannot unmarshal (\w+) into Go value of type`)

// jsonKinds name the JSON decoder's kinds of value as a YAML file writes them.
var jsonKinds = map[string]string{"string": "a string", "number": "a number", "bool": "a boolean", "array": "a list"}

// notMapping reports whether err says the file t is not a mapping, and then where the first
// document that is not one starts (Helm reads every document of a values file) and what it is
// instead.
func notMapping(t *lint.Text, err error) (lint.Pos, string, bool) {
	m := notMappingError.FindStringSubmatch(err.Error())
	if m == nil {
		return lint.Pos{}, "", false
	}
	what, ok := jsonKinds[m[1]]
	if !ok {
		what = m[1]
	}
	at := lint.Pos{File: t.Name, Line: 1, Column: 1}
	for _, doc := range (&valuesFile{text: t}).docs() {
		if doc.Kind != yaml.MappingNode && doc.Tag != "!!null" {
			at.Line, at.Column = doc.Line, doc.Column
			break
		}
	}
	return at, what, true
}
