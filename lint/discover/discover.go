// Package discover turns the paths a run is given into inputs: files, charts and overlays, each
// once, with the lint root each is read through.
package discover

import (
	"archive/tar"
	"cmp"
	"compress/gzip"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/fsroot"
	"github.com/ekslint/ekslint/lint/kustomize"
	"github.com/ekslint/ekslint/lint/load"
)

// Options say where discovery starts from.
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
}

// Discover turns command-line paths into inputs. A folder with Chart.yaml is a chart and a
// folder with a kustomization file is an overlay: their templates, bases, patches and components
// are not inputs of their own. A kustomization that another kustomization in the lint root
// includes is linted through the overlays that include it, never alone, and so is a file an
// overlay names. Other .yaml, .yml and .json files are inputs; hidden files and folders are
// skipped, and so are symlinked folders (they can loop). A file named on the command line stands
// for its chart, or for the overlays that include it, as pre-commit passes changed files.
func Discover(paths []string, opts Options) ([]load.Input, []lint.Problem) {
	wd := opts.WorkDir
	if wd == "" {
		wd, _ = os.Getwd()
	}
	if opts.MaxFileSize == 0 {
		opts.MaxFileSize = load.DefaultMaxFileSize
	}
	d := &discovery{wd: wd, seen: map[string]bool{}, roots: map[string]*fsroot.Root{}, graphs: map[*fsroot.Root]*kustomizeGraph{}}
	for _, p := range paths {
		if p == "-" {
			d.add(load.Input{Kind: load.Stdin, Path: cmp.Or(opts.StdinName, load.StdinName)})
			continue
		}
		abs, err := filepath.Abs(filepath.Join(wd, p))
		if filepath.IsAbs(p) {
			abs, err = filepath.Clean(p), nil
		}
		if err != nil {
			d.problem(p, err.Error())
			continue
		}
		dir := opts.Root
		if dir == "" {
			dir = fsroot.DefaultRoot(abs, wd)
		} else if r, err := filepath.Abs(dir); err == nil {
			dir = r
		}
		root, err := d.root(dir, opts.MaxFileSize)
		if err != nil {
			d.problem(p, err.Error())
			continue
		}
		if !root.Contains(abs) {
			d.problem(p, fmt.Sprintf("is outside the lint root %s; not read (run ekslint from the repository, or pass --root DIR to lint a wider folder)", dir))
			continue
		}
		st, err := root.Stat(abs)
		if err != nil {
			d.problem(p, load.ReadProblem(err))
			continue
		}
		if !st.IsDir() {
			d.file(abs, root)
			continue
		}
		if isOverlay(root, abs) {
			d.overlay(abs, root, true)
		}
		d.walk(abs, root)
	}
	return d.inputs, d.problems
}

type discovery struct {
	wd       string
	seen     map[string]bool
	inputs   []load.Input
	problems []lint.Problem
	roots    map[string]*fsroot.Root // by folder
	graphs   map[*fsroot.Root]*kustomizeGraph
}

// root is the lint root of dir, made once per folder.
func (d *discovery) root(dir string, maxFileSize int64) (*fsroot.Root, error) {
	if r := d.roots[dir]; r != nil {
		return r, nil
	}
	r, err := fsroot.New(dir, maxFileSize)
	if err != nil {
		return nil, err
	}
	d.roots[dir] = r
	return r, nil
}

func (d *discovery) add(in load.Input) {
	key := in.Kind.String() + "\x00" + in.Abs
	if d.seen[key] {
		return
	}
	d.seen[key] = true
	d.inputs = append(d.inputs, in)
}

func (d *discovery) problem(path, msg string) {
	d.problems = append(d.problems, lint.Problem{Pos: lint.Pos{File: filepath.ToSlash(path)}, Level: lint.Error, Message: msg})
}

func (d *discovery) input(kind load.InputKind, abs string, root *fsroot.Root) {
	d.add(load.Input{Kind: kind, Path: load.DisplayPath(abs, d.wd), Abs: abs, Root: root})
}

// file adds a file named on the command line: its chart if it is part of one (a subchart vendored
// in charts/ stands for the chart that vendors it, which is what gets rendered), else the overlays
// that include it, else itself; a .tgz is a chart archive.
func (d *discovery) file(abs string, root *fsroot.Root) {
	if chart := enclosing(filepath.Dir(abs), root, isChart); chart != "" {
		for parent := filepath.Dir(filepath.Dir(chart)); filepath.Base(filepath.Dir(chart)) == "charts" &&
			root.Contains(parent) && isChart(root, parent); parent = filepath.Dir(filepath.Dir(chart)) {
			chart = parent
		}
		d.input(load.Chart, chart, root)
		return
	}
	if isChartArchiveName(abs) {
		d.input(load.Chart, abs, root)
		return
	}
	if slices.Contains(kustomize.FileNames, filepath.Base(abs)) {
		d.overlay(filepath.Dir(abs), root, true)
		return
	}
	if d.overlays(d.graph(root).overlaysOf(abs), root) {
		return
	}
	d.input(load.File, abs, root)
}

// overlay adds the kustomization in dir: the overlays that include it, or itself when nothing
// does. A component nothing includes cannot be built; named on the command line, it gets a note.
func (d *discovery) overlay(dir string, root *fsroot.Root, named bool) {
	g := d.graph(root)
	if d.overlays(g.overlaysOf(dir), root) {
		return
	}
	if g.info(dir).component {
		if named {
			d.problems = append(d.problems, lint.Problem{Pos: lint.Pos{File: load.DisplayPath(kustomize.FileIn(root, dir), d.wd)}, Level: lint.Note,
				Message: "is a Kustomize component that no overlay in the lint root includes; components are linted through the overlays that use them"})
		}
		return
	}
	// Not included, or included only in a cycle: lint it, and the loader reports the cycle.
	d.input(load.Overlay, dir, root)
}

// overlays adds the overlay folders dirs and reports whether there were any.
func (d *discovery) overlays(dirs []string, root *fsroot.Root) bool {
	for _, o := range dirs {
		d.input(load.Overlay, o, root)
	}
	return len(dirs) > 0
}

func (d *discovery) walk(dir string, root *fsroot.Root) {
	g := d.graph(root)
	err := root.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			d.problem(load.DisplayPath(path, d.wd), load.ReadProblem(err))
			return nil
		}
		if path != dir && strings.HasPrefix(e.Name(), ".") {
			if e.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if e.IsDir() {
			if isChart(root, path) {
				d.input(load.Chart, path, root)
				return filepath.SkipDir
			}
			// Overlays are found by their kustomization file; the walk goes on below them, for
			// overlays kept in a subfolder of another.
			return nil
		}
		if slices.Contains(kustomize.FileNames, e.Name()) {
			if e.Type().IsRegular() {
				d.overlay(filepath.Dir(path), root, false)
			}
			return nil
		}
		if isChartArchiveName(path) && e.Type().IsRegular() && isChartArchive(root, path) {
			d.input(load.Chart, path, root)
			return nil
		}
		if !isManifestName(e.Name()) {
			return nil
		}
		if d.overlays(g.overlaysOf(path), root) {
			return nil
		}
		if g.inOverlay(filepath.Dir(path)) {
			// Unreferenced YAML in an overlay's folder is the overlay's business (an unused
			// patch, a plugin config), not a manifest of its own.
			return nil
		}
		if e.Type()&fs.ModeSymlink != 0 {
			d.symlink(path, root)
			return nil
		}
		if e.Type().IsRegular() {
			d.input(load.File, path, root)
		}
		return nil
	})
	if err != nil {
		d.problem(load.DisplayPath(dir, d.wd), load.ReadProblem(err))
	}
}

// symlink adds a symlinked manifest when it resolves to a file inside the lint root.
func (d *discovery) symlink(path string, root *fsroot.Root) {
	st, err := root.Stat(path)
	if err != nil {
		d.problem(load.DisplayPath(path, d.wd), load.ReadProblem(err))
		return
	}
	if !st.IsDir() {
		d.input(load.File, path, root)
	}
}

func isManifestName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

func isChart(root *fsroot.Root, dir string) bool {
	return root.IsFile(filepath.Join(dir, "Chart.yaml"))
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

func isOverlay(root *fsroot.Root, dir string) bool { return kustomize.FileIn(root, dir) != "" }

// enclosing returns the nearest folder from dir up to the root that satisfies is, or "".
func enclosing(dir string, root *fsroot.Root, is func(*fsroot.Root, string) bool) string {
	for d := dir; root.Contains(d); d = filepath.Dir(d) {
		if is(root, d) {
			return d
		}
		if d == root.Dir() || filepath.Dir(d) == d {
			break
		}
	}
	return ""
}
