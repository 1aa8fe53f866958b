package helm

import (
	"archive/tar"
	"bytes"
	"cmp"
	"compress/gzip"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/loader/archive"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	"helm.sh/helm/v4/pkg/ignore"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/fsroot"
	"github.com/ekslint/ekslint/lint/load"
)

// source is a chart as read from disk, once per input: its own files in memory, its vendored
// subcharts, and the display path its files are named by. Helm's loaders mutate the charts they
// build (ProcessDependencies removes disabled subcharts, copies aliased ones), so every rendering
// builds a fresh chart from a source.
type source struct {
	// display names the chart folder, or the archive for a chart in a .tgz; its files are
	// display/name (an archive's files are named inside it: charts/db-1.0.tgz/templates/x.yaml).
	display string
	files   []*archive.BufferedFile // not under charts/, except provenance files, as Helm keeps them
	subs    []*source
	byName  map[string]*file
	// values is values.yaml, for related locations; chartYAML is Chart.yaml, for positions of
	// dependency and kubeVersion problems. Either may be nil.
	values    *valuesFile
	chartYAML *file
	// unread says, for each dependency taken from a folder of the repository that Helm would not
	// find vendored, why not.
	unread map[string]string
}

// file is one file of a chart source, as findings and problems name it.
type file struct {
	id   int        // index in the input's files; markers carry it
	name string     // the path in its chart: templates/deployment.yaml
	text *lint.Text // named by display path; Data as Helm reads it (without a byte order mark)
	// mark is the rewritten template, made on first use (rewritten is then true); nil when the
	// template does not lex.
	mark      *marking
	rewritten bool
	// library is set for the files of a subchart of helpers only (source.isLibrary), vendored
	// helpers that the charts including them do not edit: a finding lands where they are included.
	library bool
}

// errChart is a chart that cannot be read as written; the message says why, the position where.
type errChart struct {
	pos lint.Pos
	msg string
}

func (e *errChart) Error() string { return e.msg }

// readSource reads the chart of in through root: a folder (honouring .helmignore) or a .tgz
// archive.
func readSource(in load.Input, root *fsroot.Root) (*source, []*file, error) {
	r := &reader{root: root, seen: map[string]bool{}}
	var files []*archive.BufferedFile
	st, err := root.Stat(in.Abs)
	if err != nil {
		return nil, nil, &errChart{lint.Pos{File: in.Path}, load.ReadProblem(err)}
	}
	if st.IsDir() {
		rules, err := r.ignoreRules(in.Abs, in.Path)
		if err != nil {
			return nil, nil, err
		}
		if err := r.walk(in.Abs, "", in.Path, rules); err != nil {
			return nil, nil, err
		}
		if err := r.localDependencies(in.Abs, in.Path, "", []string{in.Abs}); err != nil {
			return nil, nil, err
		}
		files = r.files
	} else {
		data, err := r.read(in.Abs, in.Path)
		if err != nil {
			return nil, nil, err
		}
		if files, err = loadArchive(data); err != nil {
			return nil, nil, &errChart{lint.Pos{File: in.Path}, "not a chart archive: " + err.Error()}
		}
	}
	var all []*file
	s, err := split(in.Path, files, r.local, &all)
	return s, all, err
}

// localDependencies reads the dependencies the chart in dir takes from a folder of the repository
// (`repository: file://../common`) and has not vendored into charts/, as `helm dependency build`
// would vendor them: each chart's files under charts/<name>/, with its own .helmignore, named
// where they are (local). The chart's files are those read under prefix ("" for the chart
// linted); a dependency's own local dependencies are read the same way, as building each chart's
// dependencies from the bottom up would vendor them, and chain (the folders read so far on the
// way down) stops a cycle. One outside the lint root is not read: it stays missing.
func (r *reader) localDependencies(dir, display, prefix string, chain []string) error {
	for _, req := range r.declaredDependencies(prefix) {
		rel, local := strings.CutPrefix(req.Repository, "file://")
		if !local || req.Name == "" || strings.ContainsAny(req.Name, `/\`) || r.vendored(prefix, req.Name) {
			continue
		}
		depDir := filepath.Join(dir, filepath.FromSlash(rel))
		if filepath.IsAbs(rel) {
			depDir = filepath.Clean(rel)
		}
		if st, err := r.root.Stat(filepath.Join(depDir, "Chart.yaml")); err != nil || !st.Mode().IsRegular() {
			continue
		}
		if r.local == nil {
			r.local = map[string]localDependency{}
		}
		depPrefix := prefix + "charts/" + req.Name + "/"
		switch {
		case slices.Contains(chain, depDir):
			r.local[depPrefix] = localDependency{unread: rel + " depends on this chart in turn: charts that depend on each other cannot be vendored"}
			continue
		case len(r.local) >= maxLocalDependencies:
			r.local[depPrefix] = localDependency{unread: fmt.Sprintf("the chart takes more than %d dependencies from folders, counting theirs: vendor them (`helm dependency build`)", maxLocalDependencies)}
			continue
		}
		depDisplay := load.DisplayPath(depDir, "")
		if !filepath.IsAbs(rel) {
			depDisplay = path.Join(display, filepath.ToSlash(rel))
		}
		rules, err := r.ignoreRules(depDir, depDisplay)
		if err != nil {
			return err
		}
		// A folder two charts depend on is vendored into each: the guard against symlink loops
		// is the walk's own.
		seen := r.seen
		r.seen = map[string]bool{}
		err = r.walk(depDir, depPrefix, depDisplay, rules)
		r.seen = seen
		if err != nil {
			return err
		}
		dep := localDependency{display: depDisplay}
		if name := r.chartName(depPrefix); name != req.Name {
			dep.unread = fmt.Sprintf("%s holds the chart %q, and Helm vendors a chart under its own name", rel, name)
		}
		r.local[depPrefix] = dep
		if err := r.localDependencies(depDir, depDisplay, depPrefix, append(chain, depDir)); err != nil {
			return err
		}
	}
	return nil
}

// maxLocalDependencies bounds the dependencies a chart takes from folders, counting theirs: each
// is read once for each chart that depends on it, so charts that each depend on two of the next
// would have a chain of twenty read a million times.
const maxLocalDependencies = 100

// chartName is the name the Chart.yaml read under prefix gives its chart, "" when it gives none.
func (r *reader) chartName(prefix string) string {
	for _, f := range r.files {
		if f.Name == prefix+"Chart.yaml" {
			var meta struct{ Name string }
			yaml.Unmarshal(f.Data, &meta) // what does not parse, Helm's load reports
			return meta.Name
		}
	}
	return ""
}

// declaredDependencies are the dependencies the chart read under prefix declares, in Chart.yaml,
// or in requirements.yaml for a chart of apiVersion v1; what does not parse declares none (the
// chart's own load reports it).
func (r *reader) declaredDependencies(prefix string) []*chart.Dependency {
	var deps []*chart.Dependency
	for _, f := range r.files {
		if f.Name != prefix+"Chart.yaml" && f.Name != prefix+"requirements.yaml" || !bytes.Contains(f.Data, []byte("file://")) {
			continue // no local dependency: not parsed (Helm's loader parses the file anyway)
		}
		var declared struct {
			Dependencies []*chart.Dependency `yaml:"dependencies"`
		}
		if yaml.Unmarshal(f.Data, &declared) == nil {
			deps = append(deps, slices.DeleteFunc(declared.Dependencies, func(d *chart.Dependency) bool { return d == nil })...)
		}
	}
	return deps
}

// vendored reports whether the charts/ folder of the chart read under prefix holds the chart
// name, as a folder or an archive.
func (r *reader) vendored(prefix, name string) bool {
	return slices.ContainsFunc(r.files, func(f *archive.BufferedFile) bool {
		rest, ok := strings.CutPrefix(f.Name, prefix+"charts/")
		return ok && (strings.HasPrefix(rest, name+"/") || strings.HasPrefix(rest, name+"-") && strings.HasSuffix(rest, ".tgz") || rest == name+".tgz")
	})
}

// An archive's entries are bounded by number and name, which Helm's loader does not count (it
// bounds what the files hold): a 1 MB subchart of a thousand empty files with 900 KB names took
// 2.4 GB, a 6 MB one of a million empty files 2 GB.
const (
	maxArchiveEntries = 20_000
	maxArchiveName    = 4096 // PATH_MAX
)

// loadArchive reads a chart archive as Helm's loader does, once its entries are within bounds:
// a first pass reads only the headers, holding one at a time.
func loadArchive(data []byte) ([]*archive.BufferedFile, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return archive.LoadArchiveFiles(bytes.NewReader(data)) // Helm says what is wrong
	}
	tr := tar.NewReader(zr)
	var total int64
	for entries := 0; total <= archive.MaxDecompressedChartSize; entries++ { // over it, Helm's loader refuses it
		h, err := tr.Next()
		if err != nil {
			break // the end, or what Helm's loader reports
		}
		total += h.Size
		if entries == maxArchiveEntries {
			return nil, fmt.Errorf("it holds more than %d files", maxArchiveEntries)
		}
		if len(h.Name) > maxArchiveName {
			return nil, fmt.Errorf("it holds a file name of %d bytes, longer than a path can be", len(h.Name))
		}
	}
	return archive.LoadArchiveFiles(bytes.NewReader(data))
}

// reader walks a chart folder the way Helm's directory loader does, with the lint root's rules:
// symlinks are followed only to files and folders inside the root, only regular files are read,
// and each file is size-limited.
type reader struct {
	root  *fsroot.Root
	seen  map[string]bool // real paths of folders walked, against symlink loops
	files []*archive.BufferedFile
	total int64
	// local are the dependencies taken from elsewhere in the repository (localDependencies), by
	// where their files are read ("charts/common/").
	local map[string]localDependency
}

// localDependency is a dependency taken from a folder of the repository (file://): where its files
// are named, or why Helm would not find it vendored (unread).
type localDependency struct{ display, unread string }

func (r *reader) ignoreRules(dir, display string) (*ignore.Rules, error) {
	rules := ignore.Empty()
	p := filepath.Join(dir, ignore.HelmIgnore)
	if _, err := r.root.Lstat(p); err == nil {
		data, err := r.read(p, path.Join(display, ignore.HelmIgnore))
		if err != nil {
			return nil, err
		}
		if n := ignorePatterns(data); n > maxIgnorePatterns {
			return nil, &errChart{lint.Pos{File: path.Join(display, ignore.HelmIgnore)}, fmt.Sprintf(
				"has %d patterns, more than the %d Helm may match every file of the chart against here; chart not rendered", n, maxIgnorePatterns)}
		}
		if rules, err = ignore.Parse(bytes.NewReader(data)); err != nil {
			return nil, &errChart{lint.Pos{File: path.Join(display, ignore.HelmIgnore)}, err.Error()}
		}
	}
	rules.AddDefaults()
	return rules, nil
}

// Helm matches every file of a chart against every pattern of its .helmignore while it loads
// the chart, before any deadline: 200,000 patterns over 5,000 files took 100 s. A real one has a
// few dozen.
const maxIgnorePatterns = 1000

// ignorePatterns counts the patterns of a .helmignore: its lines that are not blank or comments.
func ignorePatterns(data []byte) int {
	n := 0
	for line := range bytes.Lines(data) {
		if line = bytes.TrimSpace(line); len(line) > 0 && line[0] != '#' {
			n++
		}
	}
	return n
}

// walk reads the folder dir, whose files are named prefix+name in the chart and
// display/name in reports.
func (r *reader) walk(dir, prefix, display string, rules *ignore.Rules) error {
	real, err := r.root.Resolve(dir)
	if err != nil {
		return &errChart{lint.Pos{File: display}, load.ReadProblem(err)}
	}
	if r.seen[real] {
		return nil
	}
	r.seen[real] = true
	entries, err := r.root.ReadDir(dir)
	if err != nil {
		return &errChart{lint.Pos{File: display}, load.ReadProblem(err)}
	}
	for _, e := range entries {
		abs := filepath.Join(dir, e.Name())
		name := prefix + e.Name()
		shown := path.Join(display, e.Name())
		info, err := e.Info()
		if err != nil {
			return &errChart{lint.Pos{File: shown}, load.ReadProblem(err)}
		}
		if info.Mode()&fs.ModeSymlink != 0 {
			// What the link leads to decides whether it is a folder or a file; where it leads is
			// not said, since the place may be secret.
			if info, err = r.root.Stat(abs); err != nil {
				if errors.Is(err, fsroot.ErrOutside) {
					return &errChart{lint.Pos{File: shown}, "is a symlink that leads outside the lint root; chart not rendered"}
				}
				if errors.Is(err, fsroot.ErrDangling) {
					return &errChart{lint.Pos{File: shown}, fsroot.Reason(err) + "; chart not rendered"}
				}
				return &errChart{lint.Pos{File: shown}, "cannot follow symlink: " + fsroot.Reason(err)}
			}
		}
		if info.IsDir() {
			if rules.Ignore(name, info) {
				continue
			}
			if err := r.walk(abs, name+"/", shown, rules); err != nil {
				return err
			}
			continue
		}
		if rules.Ignore(name, info) {
			continue
		}
		if !info.Mode().IsRegular() {
			return &errChart{lint.Pos{File: shown}, "is not a regular file (a device, socket or pipe); chart not rendered"}
		}
		data, err := r.read(abs, shown)
		if err != nil {
			return err
		}
		r.files = append(r.files, &archive.BufferedFile{Name: name, ModTime: info.ModTime(), Data: data})
	}
	return nil
}

// read reads one file within the size limits: each file at most --max-file-size, the chart at
// most Helm's limit for a decompressed chart.
func (r *reader) read(abs, display string) ([]byte, error) {
	f, st, err := r.root.Open(abs)
	if err != nil {
		return nil, &errChart{lint.Pos{File: display}, load.ReadProblem(err)}
	}
	defer f.Close()
	limit := min(r.root.MaxFileSize(), archive.MaxDecompressedChartSize-r.total)
	data, err := fsroot.ReadAll(f, display, limit, st.Size())
	var tooLarge *fsroot.TooLargeError
	switch {
	case errors.As(err, &tooLarge) && limit < r.root.MaxFileSize():
		return nil, &errChart{lint.Pos{File: display}, fmt.Sprintf("the chart is over %s, Helm's limit; not rendered", fsroot.FormatSize(archive.MaxDecompressedChartSize))}
	case tooLarge != nil:
		return nil, &errChart{lint.Pos{File: display}, fmt.Sprintf("file is over the %s limit; chart not rendered (raise it with --max-file-size)", fsroot.FormatSize(limit))}
	case err != nil:
		return nil, &errChart{lint.Pos{File: display}, load.ReadProblem(err)}
	}
	r.total += int64(len(data))
	return bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), nil
}

// split sorts a chart's files into its own and its subcharts', as Helm's LoadFiles does, keeping
// where each subchart came from.
func split(display string, files []*archive.BufferedFile, local map[string]localDependency, all *[]*file) (*source, error) {
	s := &source{display: display, byName: map[string]*file{}}
	for p, dep := range local {
		if name, ok := strings.CutSuffix(strings.TrimPrefix(p, "charts/"), "/"); ok && dep.unread != "" && !strings.Contains(name, "/") {
			if s.unread == nil {
				s.unread = map[string]string{}
			}
			s.unread[name] = dep.unread
		}
	}
	subs := map[string][]*archive.BufferedFile{}
	for _, f := range files {
		rest, ok := strings.CutPrefix(f.Name, "charts/")
		if !ok || path.Ext(f.Name) == ".prov" {
			s.files = append(s.files, f)
			fl := &file{id: len(*all), name: f.Name, text: lint.NewText(path.Join(display, f.Name), f.Data)}
			*all = append(*all, fl)
			s.byName[f.Name] = fl
			continue
		}
		name, _, _ := strings.Cut(rest, "/")
		subs[name] = append(subs[name], f)
	}
	if f := s.byName["values.yaml"]; f != nil {
		s.values = &valuesFile{text: f.text}
	}
	s.chartYAML = s.byName["Chart.yaml"]
	names := make([]string, 0, len(subs))
	for n := range subs {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if strings.IndexAny(n, "_.") == 0 {
			continue
		}
		subDisplay := cmp.Or(local["charts/"+n+"/"].display, path.Join(display, "charts", n))
		var subFiles []*archive.BufferedFile
		if path.Ext(n) == ".tgz" {
			f := subs[n][0]
			if f.Name != "charts/"+n {
				return nil, &errChart{lint.Pos{File: subDisplay}, fmt.Sprintf("error unpacking subchart tar in %s: expected %s, got %s", display, n, f.Name)}
			}
			var err error
			if subFiles, err = loadArchive(f.Data); err != nil {
				return nil, &errChart{lint.Pos{File: subDisplay}, "cannot unpack subchart: " + err.Error()}
			}
		} else {
			for _, f := range subs[n] {
				_, inner, ok := strings.Cut(strings.TrimPrefix(f.Name, "charts/"), "/")
				if ok {
					subFiles = append(subFiles, &archive.BufferedFile{Name: inner, ModTime: f.ModTime, Data: f.Data})
				}
			}
		}
		sub, err := split(subDisplay, subFiles, within(local, "charts/"+n+"/"), all)
		if err != nil {
			return nil, err
		}
		if sub.isLibrary() {
			for _, f := range sub.byName {
				f.library = true
			}
		}
		s.subs = append(s.subs, sub)
	}
	return s, nil
}

// within are the local dependencies read under prefix, named from there.
func within(local map[string]localDependency, prefix string) map[string]localDependency {
	var in map[string]localDependency
	for p, dep := range local {
		if rest, ok := strings.CutPrefix(p, prefix); ok && rest != "" {
			if in == nil {
				in = map[string]localDependency{}
			}
			in[rest] = dep
		}
	}
	return in
}

// isLibrary reports whether the chart only holds helpers for the charts that include it: it says
// type: library, or its templates are all helpers (Linkerd's partials, an apiVersion v1 chart,
// which cannot say so).
func (s *source) isLibrary() bool {
	if s.chartYAML != nil {
		if _, v := fieldPos(s.chartYAML, "type"); v != nil && v.Value == "library" {
			return true
		}
	}
	helpers := false
	for name := range s.byName {
		if dir, base := path.Split(name); strings.HasPrefix(dir, "templates/") {
			if !strings.HasPrefix(base, "_") && base != "NOTES.txt" {
				return false
			}
			helpers = true
		}
	}
	return helpers
}

// build makes a fresh Helm chart from the source. Each file Helm holds is recorded in origins,
// and each chart (by its first raw file, which aliased copies share) in charts.
func (s *source) build(origins map[*common.File]*file, charts map[*common.File]*source) (*chart.Chart, error) {
	for _, f := range s.files {
		if fl := s.byName[f.Name]; fl != nil && f.Name == chartutil.ValuesfileName {
			if err := checkValuesItems(f.Data, fl.text.Name); err != nil {
				return nil, err
			}
		}
	}
	c, err := loader.LoadFiles(s.files)
	if err != nil {
		return nil, s.loadProblem(err)
	}
	for _, group := range [][]*common.File{c.Templates, c.Files, c.Raw} {
		for _, f := range group {
			if fl := s.byName[f.Name]; fl != nil {
				origins[f] = fl
			}
		}
	}
	if len(c.Raw) > 0 {
		charts[c.Raw[0]] = s
	}
	for _, sub := range s.subs {
		sc, err := sub.build(origins, charts)
		if err != nil {
			return nil, err
		}
		c.AddDependency(sc)
	}
	return c, nil
}

// loadError is how Helm's loader names the file it could not read: "cannot load values.yaml: ...".
var loadError = regexp.MustCompile(`^cannot load ([^:]+): (?s)(.*)$`)

// loadProblem places an error of Helm's chart loader in the file it names, at the line a YAML
// error names, with the parser's message.
func (s *source) loadProblem(err error) *errChart {
	msg := err.Error()
	f := s.chartYAML
	if m := loadError.FindStringSubmatch(msg); m != nil {
		if named := s.byName[m[1]]; named != nil {
			f = named
			if p, ok := wrongFieldType(f, err); ok {
				return p
			}
			if at, what, ok := notMapping(f.text, err); ok {
				whose := m[1]
				if m[1] == "values.yaml" {
					whose = "the values file"
				}
				return &errChart{at, whose + " must be a mapping of keys to values, not " + what}
			}
		}
		msg = m[1] + " is not valid YAML: " + yamlLine.ReplaceAllString(yamlErrorMessage(errors.New(m[2])), "")
	} else if strings.Contains(msg, "Chart.yaml file is missing") {
		msg = "Chart.yaml is missing; not a chart"
	}
	if f == nil {
		return &errChart{lint.Pos{File: s.display}, msg}
	}
	var invalid chart.ValidationError
	if errors.As(err, &invalid) && s.chartYAML != nil {
		return metadataProblem(s.chartYAML, string(invalid))
	}
	return &errChart{yamlErrorPos(f.text, err), msg}
}

// Helm's checks of Chart.yaml's fields, as its ValidationError words them.
var (
	fieldRequired = regexp.MustCompile(`^chart\.metadata\.(\w+) is required$`)
	fieldInvalid  = regexp.MustCompile(`^chart\.metadata\.(\w+) (".*") is (?:invalid|not allowed)$`)
)

// metadataProblem places a field of Chart.yaml that Helm refuses at its key (at the file's first
// line when the field is missing), in words that name the field as the file writes it.
func metadataProblem(f *file, msg string) *errChart {
	first := lint.Pos{File: f.text.Name, Line: 1, Column: 1}
	if m := fieldRequired.FindStringSubmatch(msg); m != nil {
		return &errChart{first, fmt.Sprintf("Chart.yaml has no %s; every chart needs one", m[1])}
	}
	if m := fieldInvalid.FindStringSubmatch(msg); m != nil {
		at, v := fieldPos(f, m[1])
		written := writtenValue(v)
		switch m[1] {
		case "version":
			what := "version " + written
			if parsed, _ := strconv.Unquote(m[2]); v != nil && v.Value != parsed {
				// YAML read an unquoted number; Helm saw its decimal form.
				what += fmt.Sprintf(" (read as the number %s)", parsed)
			}
			return &errChart{at, what + " is not a semantic version; write one such as 1.2.3, in quotes if it looks like a number"}
		case "name":
			return &errChart{at, fmt.Sprintf("name %s is not a chart name; write a plain name, without slashes, that is not . or ..", written)}
		}
		return &errChart{at, fmt.Sprintf("%s %s is invalid", m[1], written)}
	}
	if strings.HasPrefix(msg, "chart.metadata.type ") {
		at, v := fieldPos(f, "type")
		return &errChart{at, fmt.Sprintf("type %s must be application or library", writtenValue(v))}
	}
	// The rest are about maintainers and dependencies, and Helm's words say what is wrong, but
	// for an empty list entry, which it calls a node.
	field := "maintainers"
	if strings.Contains(msg, "dependenc") {
		field = "dependencies"
	}
	at, _ := fieldPos(f, field)
	if strings.HasSuffix(msg, "must not contain empty or null nodes") {
		msg = field + " has an empty entry; remove it or fill it in"
	}
	return &errChart{at, msg}
}

// fieldTypeError is the JSON decoder's error, through Helm's YAML reader, for a field of Chart.yaml
// (or requirements.yaml) written as the wrong kind of value: "cannot unmarshal array into Go struct
// field Metadata.name of type string", "... field Dependency.dependencies.name ...".
var fieldTypeError = regexp.MustCompile(`json: cannot unmarshal (\w+) into Go struct field \w+\.([\w.]+) of type (\S+)`)

// goKinds name the Go types of Helm's chart fields as the kind of YAML value they take.
var goKinds = map[string]string{"string": "a string", "bool": "true or false", "int": "a number", "[]string": "a list of strings", "map[string]string": "a mapping of strings"}

// wrongFieldType places a field of f written as the wrong kind of value at its top-level key, in
// YAML's words rather than Go's.
func wrongFieldType(f *file, err error) (*errChart, bool) {
	m := fieldTypeError.FindStringSubmatch(err.Error())
	if m == nil {
		return nil, false
	}
	got, ok := jsonKinds[m[1]]
	if !ok {
		got = "a mapping" // the decoder's "object"
	}
	want, ok := goKinds[m[3]]
	if !ok {
		// A list of maintainers or dependencies.
		want = "a list"
	}
	path := strings.Split(m[2], ".")
	at, v := fieldPos(f, path[0])
	what := path[0]
	switch {
	case len(path) > 1:
		what = strings.Join(path[1:], ".") + " in an entry of " + path[0]
	case v != nil && v.Kind == yaml.SequenceNode && m[1] != "array":
		// The decoder names the kind of a list's item that is wrong, and the item's type.
		what = "each item of " + path[0]
	}
	return &errChart{at, fmt.Sprintf("%s must be %s, not %s", what, want, got)}, true
}

// fieldPos is the position of a top-level key of Chart.yaml (the file's first line when it is
// absent) and its value, if any.
func fieldPos(f *file, key string) (lint.Pos, *yaml.Node) {
	docs := (&valuesFile{text: f.text}).docs()
	if len(docs) > 0 {
		if k := findPath(docs[0], []string{key}); k != nil {
			return lint.Pos{File: f.text.Name, Line: k.Line, Column: k.Column, EndLine: k.Line, EndColumn: k.Column + len(key)}, valueOf(docs[0], k)
		}
	}
	return lint.Pos{File: f.text.Name, Line: 1, Column: 1}, nil
}

// writtenValue is a scalar as the file writes it, strings quoted.
func writtenValue(v *yaml.Node) string {
	switch {
	case v == nil:
		return `""`
	case v.Tag == "!!str":
		return strconv.Quote(v.Value)
	}
	return v.Value
}
