package lint

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
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
	// Root is the absolute lint root: nothing outside it is read.
	Root string
}

// StdinName is how findings in standard input name their file.
const StdinName = "<stdin>"

// DiscoverOptions say where discovery starts from.
type DiscoverOptions struct {
	// Root, when set, is the lint root for every path; otherwise each path's root is the git work
	// tree holding it, else the working directory when the path is inside it, else the path itself.
	Root string
	// WorkDir is the directory display paths are relative to; "" means the current directory.
	WorkDir string
}

// Discover turns command-line paths into inputs. A folder with Chart.yaml is a chart and a
// folder with a kustomization file is an overlay: their templates, bases, patches and components
// are not inputs of their own. A kustomization that another kustomization in the lint root
// includes is linted through the overlays that include it, never alone, and so is a file an
// overlay names. Other .yaml, .yml and .json files are inputs; hidden files and folders are
// skipped, and so are symlinked folders (they can loop). A file named on the command line stands
// for its chart, or for the overlays that include it, as pre-commit passes changed files.
func Discover(paths []string, opts DiscoverOptions) ([]Input, []Problem) {
	wd := opts.WorkDir
	if wd == "" {
		wd, _ = os.Getwd()
	}
	d := &discovery{wd: wd, seen: map[string]bool{}, graphs: map[string]*kustomizeGraph{}}
	for _, p := range paths {
		if p == "-" {
			d.add(Input{Kind: Stdin, Path: StdinName})
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
		root := opts.Root
		if root == "" {
			root = defaultRoot(abs, wd)
		} else if r, err := filepath.Abs(root); err == nil {
			root = r
		}
		if !Within(abs, root) {
			d.problem(p, fmt.Sprintf("is outside the lint root %s; not read", root))
			continue
		}
		st, err := os.Stat(abs)
		if err != nil {
			d.problem(p, "cannot read: "+pathErr(err))
			continue
		}
		if !st.IsDir() {
			d.file(abs, root)
			continue
		}
		if isOverlay(abs) {
			d.overlay(abs, root, true)
		}
		d.walk(abs, root)
	}
	return d.inputs, d.problems
}

type discovery struct {
	wd       string
	seen     map[string]bool
	inputs   []Input
	problems []Problem
	graphs   map[string]*kustomizeGraph // by lint root
}

func (d *discovery) add(in Input) {
	key := in.Kind.String() + "\x00" + in.Abs
	if d.seen[key] {
		return
	}
	d.seen[key] = true
	d.inputs = append(d.inputs, in)
}

func (d *discovery) problem(path, msg string) {
	d.problems = append(d.problems, Problem{Pos: Pos{File: filepath.ToSlash(path)}, Level: Error, Message: msg})
}

func (d *discovery) input(kind InputKind, abs, root string) {
	d.add(Input{Kind: kind, Path: DisplayPath(abs, d.wd), Abs: abs, Root: root})
}

// file adds a file named on the command line: its chart if it is part of one (a subchart vendored
// in charts/ stands for the chart that vendors it, which is what gets rendered), else the overlays
// that include it, else itself; a .tgz is a chart archive.
func (d *discovery) file(abs, root string) {
	if chart := enclosing(filepath.Dir(abs), root, isChart); chart != "" {
		for parent := filepath.Dir(filepath.Dir(chart)); filepath.Base(filepath.Dir(chart)) == "charts" &&
			Within(parent, root) && isChart(parent); parent = filepath.Dir(filepath.Dir(chart)) {
			chart = parent
		}
		d.input(Chart, chart, root)
		return
	}
	if isChartArchiveName(abs) {
		d.input(Chart, abs, root)
		return
	}
	if slices.Contains(KustomizationNames, filepath.Base(abs)) {
		d.overlay(filepath.Dir(abs), root, true)
		return
	}
	if d.overlays(d.graph(root).overlaysOf(abs), root) {
		return
	}
	d.input(File, abs, root)
}

// overlay adds the kustomization in dir: the overlays that include it, or itself when nothing
// does. A component nothing includes cannot be built; named on the command line, it gets a note.
func (d *discovery) overlay(dir, root string, named bool) {
	g := d.graph(root)
	if d.overlays(g.overlaysOf(dir), root) {
		return
	}
	if g.info(dir).component {
		if named {
			d.problems = append(d.problems, Problem{Pos: Pos{File: DisplayPath(KustomizationFile(dir), d.wd)}, Level: Note,
				Message: "is a Kustomize component that no overlay in the lint root includes; components are linted through the overlays that use them"})
		}
		return
	}
	// Not included, or included only in a cycle: lint it, and the loader reports the cycle.
	d.input(Overlay, dir, root)
}

// overlays adds the overlay folders dirs and reports whether there were any.
func (d *discovery) overlays(dirs []string, root string) bool {
	for _, o := range dirs {
		d.input(Overlay, o, root)
	}
	return len(dirs) > 0
}

func (d *discovery) walk(dir, root string) {
	g := d.graph(root)
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			d.problem(DisplayPath(path, d.wd), "cannot read: "+pathErr(err))
			return nil
		}
		if path != dir && strings.HasPrefix(e.Name(), ".") {
			if e.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if e.IsDir() {
			if isChart(path) {
				d.input(Chart, path, root)
				return filepath.SkipDir
			}
			// Overlays are found by their kustomization file; the walk goes on below them, for
			// overlays kept in a subfolder of another.
			return nil
		}
		if slices.Contains(KustomizationNames, e.Name()) {
			if e.Type().IsRegular() {
				d.overlay(filepath.Dir(path), root, false)
			}
			return nil
		}
		if isChartArchiveName(path) && e.Type().IsRegular() && isChartArchive(path) {
			d.input(Chart, path, root)
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
			d.input(File, path, root)
		}
		return nil
	})
	if err != nil {
		d.problem(DisplayPath(dir, d.wd), "cannot read: "+pathErr(err))
	}
}

// symlink adds a symlinked manifest when it resolves to a file inside the lint root.
func (d *discovery) symlink(path, root string) {
	target, inside, err := InRoot(path, root)
	if err != nil {
		d.problem(DisplayPath(path, d.wd), "cannot follow symlink: "+pathErr(errors.Unwrap(err)))
		return
	}
	st, err := os.Stat(target)
	if err != nil || st.IsDir() {
		return
	}
	if !inside {
		d.problem(DisplayPath(path, d.wd), fmt.Sprintf("is a symlink to %s, outside the lint root; not read", target))
		return
	}
	d.input(File, path, root)
}

func isManifestName(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

func isChart(dir string) bool { return exists(filepath.Join(dir, "Chart.yaml")) }

func isChartArchiveName(path string) bool { return strings.HasSuffix(strings.ToLower(path), ".tgz") }

// isChartArchive reports whether a .tgz found in a folder is a packaged chart: `helm package`
// writes <name>/Chart.yaml first. Other archives (build artifacts, test data) are not inputs.
func isChartArchive(path string) bool {
	f, err := os.Open(path)
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

// KustomizationNames are the file names that make a folder a Kustomize overlay, in the order
// kustomize looks for them.
var KustomizationNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

func isOverlay(dir string) bool {
	for _, n := range KustomizationNames {
		if exists(filepath.Join(dir, n)) {
			return true
		}
	}
	return false
}

func exists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir()
}

// enclosing returns the nearest folder from dir up to root that satisfies is, or "".
func enclosing(dir, root string, is func(string) bool) string {
	for d := dir; Within(d, root); d = filepath.Dir(d) {
		if is(d) {
			return d
		}
		if d == root || filepath.Dir(d) == d {
			break
		}
	}
	return ""
}

// defaultRoot picks the lint root for a path: the git work tree holding it, else the working
// directory when the path is inside it, else the path itself (its folder, for a file).
func defaultRoot(abs, wd string) string {
	if top := enclosing(abs, string(filepath.Separator), func(d string) bool {
		_, err := os.Stat(filepath.Join(d, ".git"))
		return err == nil
	}); top != "" {
		return top
	}
	if Within(abs, wd) {
		return wd
	}
	if st, err := os.Stat(abs); err == nil && !st.IsDir() {
		return filepath.Dir(abs)
	}
	return abs
}

// DisplayPath is how a file is named in reports: relative to wd (with ../ when outside it, as a
// compiler names the paths it was given), always with forward slashes.
func DisplayPath(abs, wd string) string {
	if rel, err := filepath.Rel(wd, abs); err == nil {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(abs)
}
