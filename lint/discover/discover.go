// Package discover turns the paths a run is given into inputs: files, charts and overlays, each
// once, with the lint root each is read through. It reads only what the paths need: a chart or a
// file in one needs nothing else; a file or base that overlays may include needs the overlays of
// the lint root, found by a search bounded in what it lists and reads.
package discover

import (
	"archive/tar"
	"cmp"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/fsroot"
	"github.com/ekslint/ekslint/lint/kustomize"
	"github.com/ekslint/ekslint/lint/load"
)

// Options say where discovery starts from and what it may cost.
type Options struct {
	// Root, when set, is the lint root for every path; otherwise each path's root is the git work
	// tree holding it, else the working directory when the path is inside it, else the path itself.
	Root string
	// WorkDir is the directory display paths are relative to; "" means the current directory.
	WorkDir string
	// MaxFileSize bounds every file read through the roots discovery makes.
	MaxFileSize int64
	// StdinName is how findings in standard input ("-") name it; "" is load.StdinName.
	StdinName string
	// Budget bounds the search of a lint root for the overlays that include what was named; a
	// zero field is DefaultBudget's.
	Budget Budget
}

// A Budget bounds the search for overlays. When the search reaches it, a note says so, and the
// paths named are mapped to the overlays found until then.
type Budget struct {
	// Entries is how many folder entries the search lists.
	Entries int
	// Files is how many files it reads: kustomization and .gitignore files.
	Files int
}

// DefaultBudget is far above what a repository needs, and still costs seconds at most: the search
// of a repository of 100,000 files lists 70,000 entries in a quarter of a second
// (docs/performance.md), and a repository with 10,000 kustomizations is rare.
var DefaultBudget = Budget{Entries: 500_000, Files: 10_000}

// Result is what discovery found.
type Result struct {
	// Inputs are what to load, each once.
	Inputs []load.Input
	// Problems are paths that cannot be read, and notes.
	Problems []lint.Problem
	// Skipped are what the walks of the folders named left out on purpose, and why.
	Skipped []lint.Skip
	// Folders are the folders named, each with what was found in it.
	Folders []Folder
}

// A Folder is a folder named on the command line and the inputs found in it, by index in
// Result.Inputs: a folder in which nothing is found is worth a word (a misspelled path in CI must
// not pass in silence).
type Folder struct {
	// Path is the folder's display path.
	Path   string
	Inputs []int
}

// Discover is Run for callers that want only the inputs and problems.
func Discover(paths []string, opts Options) ([]load.Input, []lint.Problem) {
	res := Run(paths, opts)
	return res.Inputs, res.Problems
}

// Run turns command-line paths into inputs. A folder with Chart.yaml is a chart and a folder with
// a kustomization file is an overlay: their templates, bases, patches and components are not
// inputs of their own. Only the parts Helm renders belong to a chart (isChartPart): the rest of
// its folder is walked as any folder, where people keep manifests, overlays and other charts. A
// kustomization that another kustomization in the lint root includes is linted through the
// overlays that include it, never alone, and so is a file an overlay names.
// Other .yaml, .yml and .json files are inputs. A file named on the command line stands for its
// chart, or for the overlays that include it, as pre-commit passes changed files.
//
// Folders are walked without following symlinked folders (so a walk cannot loop or leave the
// root), leaving out hidden folders and files, node_modules and vendor folders, and what
// .gitignore files exclude; a path named is always read, whatever its name.
func Run(paths []string, opts Options) *Result {
	wd := opts.WorkDir
	if wd == "" {
		wd, _ = os.Getwd()
	}
	if opts.MaxFileSize == 0 {
		opts.MaxFileSize = load.DefaultMaxFileSize
	}
	opts.Budget.Entries = cmp.Or(opts.Budget.Entries, DefaultBudget.Entries)
	opts.Budget.Files = cmp.Or(opts.Budget.Files, DefaultBudget.Files)
	d := &discovery{opts: opts, wd: wd, seen: map[string]int{}, roots: map[string]*fsroot.Root{}, repos: map[*fsroot.Root]*repo{}}
	for _, p := range paths {
		d.named(p)
	}
	d.resolve()
	return &d.res
}

type discovery struct {
	opts  Options
	wd    string
	res   Result
	seen  map[string]int          // input key → index in res.Inputs
	roots map[string]*fsroot.Root // by folder
	repos map[*fsroot.Root]*repo  // what is known of each lint root
	todo  []candidate             // what the paths stand for, in order, decided once the overlays are known
}

// A candidate is what a path stands for: standard input, a chart, or a file or kustomization
// folder whose input depends on the overlays that include it. Inputs are made in the order of the
// candidates, which is the order of the paths named and, within a folder, filepath.WalkDir's: set
// rules that report once per namespace place the finding at the first object they met.
type candidate struct {
	kind load.InputKind // load.Stdin, load.Chart, load.File, or load.Overlay for a kustomization folder
	abs  string
	// at is the path a walk met it at (the chart's folder, the file, the kustomization file),
	// which orders it in the walk.
	at     string
	repo   *repo
	named  bool // named on the command line, not found in a folder
	folder int  // the named folder it was found in; -1 for a path named itself
}

// skaffoldFiles are the names of Skaffold's configs. The image rules leave alone an image one
// builds (Skaffold replaces it when it deploys), so a path named inside a Skaffold project brings
// the configs of the folders above it, up to the lint root: linting an overlay, or the files
// pre-commit names, then judges its images as linting the whole repository does.
var skaffoldFiles = []string{"skaffold.yaml", "skaffold.yml"}

// buildConfigsAbove adds the Skaffold configs of the folders from the one holding abs (abs itself,
// when a folder) up to the lint root, as files of their own; a folder is looked at once.
func (d *discovery) buildConfigsAbove(abs string, r *repo) {
	for dir := abs; r.root.Contains(dir); dir = filepath.Dir(dir) {
		if r.buildConfigsLooked[dir] {
			return
		}
		r.buildConfigsLooked[dir] = true
		for _, name := range skaffoldFiles {
			p := filepath.Join(dir, name)
			if st, err := r.root.Stat(p); err == nil && st.Mode().IsRegular() {
				d.todo = append(d.todo, candidate{kind: load.File, abs: p, repo: r, folder: -1})
			}
		}
		if dir == r.root.Dir() || filepath.Dir(dir) == dir {
			return
		}
	}
}

// named adds what one command-line path stands for.
func (d *discovery) named(p string) {
	if p == "-" {
		d.todo = append(d.todo, candidate{kind: load.Stdin, named: true, folder: -1})
		return
	}
	abs := filepath.Clean(p)
	if !filepath.IsAbs(p) {
		abs = filepath.Join(d.wd, p)
	}
	dir := d.opts.Root
	if dir == "" {
		dir = fsroot.DefaultRoot(abs, d.wd)
	} else if r, err := filepath.Abs(dir); err == nil {
		dir = r
	}
	root, err := d.root(dir)
	if err != nil {
		d.problem(p, err.Error())
		return
	}
	if !root.Contains(abs) {
		d.problem(p, fmt.Sprintf("is outside the lint root (%s); not read (run ekslint from the repository, or pass --root DIR to lint a wider folder)",
			load.DisplayPath(root.Dir(), d.wd)))
		return
	}
	st, err := root.Stat(abs)
	if err != nil {
		d.problem(p, load.ReadProblem(err))
		return
	}
	r := d.repo(root)
	d.buildConfigsAbove(abs, r)
	if !st.IsDir() {
		d.file(abs, r)
		return
	}
	// A chart's templates/, crds/ or charts/ (or a folder in them) stands for the chart, as a
	// file in them does: alone, its templates are not manifests.
	if chart := r.enclosingChart(abs); chart != "" && chart != abs && chartFolder(chart, abs) {
		d.chartOf(abs, r)
		return
	}
	folder := len(d.res.Folders)
	d.res.Folders = append(d.res.Folders, Folder{Path: load.DisplayPath(abs, d.wd)})
	if r.isOverlayDir(abs) {
		d.todo = append(d.todo, candidate{kind: load.Overlay, abs: abs, repo: r, named: true, folder: folder})
	}
	d.walk(abs, r, folder)
}

// root is the lint root of dir, made once per folder.
func (d *discovery) root(dir string) (*fsroot.Root, error) {
	if r := d.roots[dir]; r != nil {
		return r, nil
	}
	r, err := fsroot.New(dir, d.opts.MaxFileSize)
	if err != nil {
		return nil, err
	}
	d.roots[dir] = r
	return r, nil
}

// add adds an input once, counting it as found in folder (-1: named itself).
func (d *discovery) add(in load.Input, folder int) {
	key := in.Kind.String() + "\x00" + in.Abs
	i, ok := d.seen[key]
	if !ok {
		i = len(d.res.Inputs)
		d.seen[key] = i
		d.res.Inputs = append(d.res.Inputs, in)
	}
	if folder >= 0 && !slices.Contains(d.res.Folders[folder].Inputs, i) {
		d.res.Folders[folder].Inputs = append(d.res.Folders[folder].Inputs, i)
	}
}

func (d *discovery) input(kind load.InputKind, abs string, r *repo, folder int) {
	if kind == load.Overlay {
		d.add(d.overlay(abs, abs, r, map[string]bool{}), folder)
		return
	}
	d.add(load.Input{Kind: kind, Path: load.DisplayPath(abs, d.wd), Abs: abs, Root: r.root}, folder)
}

// overlay returns the overlay in abs, top or one of its bases, with the bases only top includes
// as load.Input.Bases, each once: seen holds those already placed, which also guards against
// kustomizations that include each other.
func (d *discovery) overlay(abs, top string, r *repo, seen map[string]bool) load.Input {
	in := load.Input{Kind: load.Overlay, Path: load.DisplayPath(abs, d.wd), Abs: abs, Root: r.root}
	seen[abs] = true
	for _, base := range r.soleBases(abs, top) {
		if !seen[base] {
			in.Bases = append(in.Bases, d.overlay(base, top, r, seen))
		}
	}
	return in
}

func (d *discovery) problem(path, msg string) {
	d.res.Problems = append(d.res.Problems, lint.Problem{Pos: lint.Pos{File: filepath.ToSlash(path)}, Level: lint.Error, Message: msg})
}

func (d *discovery) skip(abs, reason string) {
	d.res.Skipped = append(d.res.Skipped, lint.Skip{Pos: lint.Pos{File: load.DisplayPath(abs, d.wd)}, Reason: reason})
}

// file adds a file named on the command line: its chart if it is in one's folder (a subchart
// vendored in charts/ stands for the chart that vendors it, which is what gets rendered); and,
// unless it is a part of the chart (isChartPart) or a file the chart can only read, once the
// overlays are known the overlays that include it, else itself; a .tgz is a chart archive.
func (d *discovery) file(abs string, r *repo) {
	// The chart is linted whatever the file: Helm loads every file of its folder that
	// .helmignore does not exclude, and its templates may read this one with .Files.
	if chart := d.chartOf(filepath.Dir(abs), r); chart != "" && ofChart(chart, abs) {
		return
	}
	c := candidate{kind: load.File, abs: abs, repo: r, named: true, folder: -1}
	switch {
	case isChartArchiveName(abs):
		c.kind = load.Chart
	case slices.Contains(kustomize.FileNames, filepath.Base(abs)):
		c.kind, c.abs = load.Overlay, filepath.Dir(abs)
	}
	d.todo = append(d.todo, c)
}

// chartOf adds the chart whose folder holds dir (the chart that vendors it, for a subchart in
// charts/), named, and returns it; "" when no chart's folder holds dir.
func (d *discovery) chartOf(dir string, r *repo) string {
	chart := r.enclosingChart(dir)
	if chart == "" {
		return ""
	}
	for parent := filepath.Dir(filepath.Dir(chart)); filepath.Base(filepath.Dir(chart)) == "charts" &&
		r.root.Contains(parent) && r.isChart(parent); parent = filepath.Dir(filepath.Dir(chart)) {
		chart = parent
	}
	d.todo = append(d.todo, candidate{kind: load.Chart, abs: chart, repo: r, named: true, folder: -1})
	return chart
}

// resolve decides the candidates once the overlays that may include them are known: for each
// root, those its walks found, and, when they did not cover it, those a search of the root finds.
func (d *discovery) resolve() {
	for _, c := range d.todo {
		if (c.kind == load.File || c.kind == load.Overlay) && !c.repo.searched {
			d.search(c.repo)
		}
	}
	for _, c := range d.todo {
		r := c.repo
		switch c.kind {
		case load.Stdin:
			d.add(load.Input{Kind: load.Stdin, Path: cmp.Or(d.opts.StdinName, load.StdinName)}, -1)
			continue
		case load.Chart:
			d.input(load.Chart, c.abs, r, c.folder)
			continue
		}
		if dirs := r.overlaysOf(c.abs, c.kind == load.Overlay); len(dirs) > 0 {
			for _, o := range dirs {
				d.input(load.Overlay, o, r, c.folder)
			}
			continue
		}
		switch {
		case c.kind == load.Overlay && r.info(c.abs).component:
			if c.named {
				d.res.Problems = append(d.res.Problems, lint.Problem{Pos: lint.Pos{File: load.DisplayPath(kustomize.FileIn(r.root, c.abs), d.wd)}, Level: lint.Note,
					Message: "is a Kustomize component that no overlay in the lint root includes; components are linted through the overlays that use them"})
			}
		case c.kind == load.Overlay:
			// Not included, or included only in a cycle: lint it, and the loader reports the cycle.
			d.input(load.Overlay, c.abs, r, c.folder)
		case r.isAssertion(c.abs):
			d.skip(c.abs, skipAssertion)
		case !c.named && r.kustomizationsBusiness(c.abs):
			d.skip(c.abs, skipUnreferenced)
		default:
			d.input(load.File, c.abs, r, c.folder)
		}
	}
}

// chartFolder reports whether the folder dir in chart's folder is one of the chart's parts
// (templates/, crds/, charts/) or in one.
func chartFolder(chart, dir string) bool {
	rel, err := filepath.Rel(chart, dir)
	top, _, _ := strings.Cut(rel, string(filepath.Separator))
	return err == nil && isChartPart(top, true)
}

// ofChart reports whether the file abs in chart's folder is linted through the chart alone: a
// part of the chart, or a file no loader of ekslint reads by itself (a .tpl helper, a config file
// under files/). A manifest, kustomization or chart archive elsewhere in the folder is linted too,
// as a walk of the folder lints it.
func ofChart(chart, abs string) bool {
	rel, err := filepath.Rel(chart, abs)
	if err != nil {
		return true
	}
	top, _, nested := strings.Cut(rel, string(filepath.Separator))
	switch name := filepath.Base(abs); {
	case isChartPart(top, nested):
		return true
	case slices.Contains(kustomize.FileNames, name):
		return false
	default:
		return !isManifestName(name) && !isChartArchiveName(name)
	}
}

func isManifestName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

func isChartArchiveName(path string) bool { return strings.HasSuffix(strings.ToLower(path), ".tgz") }

// isChartArchive reports whether a .tgz found in a folder is a packaged chart: `helm package`
// writes <name>/Chart.yaml first. Other archives (build artifacts, test data) are not inputs.
func isChartArchive(root *fsroot.Root, path string) bool {
	f, _, err := root.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return false
	}
	tr := tar.NewReader(zr)
	for range 3 {
		h, err := tr.Next()
		if err != nil {
			return false
		}
		if dir, name, ok := strings.Cut(h.Name, "/"); ok && dir != "" && name == "Chart.yaml" {
			return true
		}
	}
	return false
}
