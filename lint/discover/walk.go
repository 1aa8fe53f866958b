package discover

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/fsroot"
	"github.com/ekslint/ekslint/lint/kustomize"
	"github.com/ekslint/ekslint/lint/load"
)

// Why a walk leaves something out, as --verbose lists it.
const (
	skipHidden       = "hidden; not walked"
	skipNodeModules  = "node_modules folder (JavaScript packages); not walked"
	skipVendor       = "vendor folder (vendored dependencies); not walked"
	skipIgnored      = "excluded by .gitignore; not read"
	skipHiddenFile   = "hidden file; not read"
	skipNotRegular   = "not a regular file (a pipe, device or socket); not read"
	skipUnreferenced = "in a kustomization's folder, which does not include it: the kustomization's business (a patch, a plugin config), not linted on its own; name it to lint it"
	skipLinkedFolder = "symlink to a folder; symlinked folders are not followed (they can loop): name the folder it leads to"
	skipPublished    = "a chart release published in a Helm repository (an index.yaml beside it or in the folder above lists it): what was released, not what anyone edits; lint the chart's source, or name the archive"
)

// skippedFolder says why a walk does not enter a folder of this name, or "". The named folder
// itself is always walked.
func skippedFolder(name string) string {
	switch {
	case strings.HasPrefix(name, "."):
		return skipHidden
	case name == "node_modules":
		return skipNodeModules
	case name == "vendor":
		return skipVendor
	}
	return ""
}

// A walk lists a folder named on the command line, whose manifests, charts and overlays become
// inputs, or searches the lint root for the overlays that may include what was named.
type walk struct {
	d *discovery
	r *repo
	// lint is set for a folder named: what it holds is linted, and what it leaves out listed. A
	// search only reads kustomizations, within the budget.
	lint   bool
	folder int                    // the named folder, for a lint walk
	stacks map[string]ignoreStack // the .gitignore files of each folder still to be listed
	files  int                    // files a search may still read
	spent  bool                   // a search read all the files it may
}

// walk walks a folder named on the command line.
func (d *discovery) walk(abs string, r *repo, folder int) {
	w := &walk{d: d, r: r, lint: true, folder: folder, stacks: map[string]ignoreStack{abs: r.ignoresAbove(abs)}}
	first := len(d.todo)
	r.root.Walk(abs, 0, w.visit)
	r.walked = append(r.walked, abs)
	// The walk handles a folder's files before its subfolders; filepath.WalkDir, which discovery
	// once used, meets them in one lexical order, and the inputs keep that order.
	slices.SortStableFunc(d.todo[first:], func(a, b candidate) int { return compareWalkOrder(a.at, b.at) })
}

// compareWalkOrder orders two paths as filepath.WalkDir meets them: name by name.
func compareWalkOrder(a, b string) int {
	for {
		ha, ra, moreA := strings.Cut(a, string(filepath.Separator))
		hb, rb, moreB := strings.Cut(b, string(filepath.Separator))
		if c := strings.Compare(ha, hb); c != 0 {
			return c
		}
		switch {
		case !moreA && !moreB:
			return 0
		case !moreA:
			return -1
		case !moreB:
			return 1
		}
		a, b = ra, rb
	}
}

// search reads the kustomizations of the lint root that the walks did not, within the budget, so
// that a file or base named is linted through the overlays that include it. A root that is not
// a git work tree, and was not given with --root, is not searched: it is a folder that happened
// to be the working directory (`cd / && ekslint lint /tmp/x.yaml` once walked the whole disk).
func (d *discovery) search(r *repo) {
	r.searched = true
	top := r.root.Dir()
	if slices.Contains(r.walked, top) || d.opts.Root == "" && !r.isWorkTree() {
		return
	}
	w := &walk{d: d, r: r, stacks: map[string]ignoreStack{top: nil}, files: d.opts.Budget.Files}
	complete := r.root.Walk(top, d.opts.Budget.Entries, w.visit)
	if complete && !w.spent {
		return
	}
	what := fmt.Sprintf("listing %d folder entries", d.opts.Budget.Entries)
	if w.spent {
		what = fmt.Sprintf("reading %d kustomization and .gitignore files", d.opts.Budget.Files)
	}
	d.res.Problems = append(d.res.Problems, lint.Problem{Pos: lint.Pos{File: load.DisplayPath(top, d.wd)}, Level: lint.Note, Message: fmt.Sprintf(
		"the search of the lint root for the overlays that include the paths named stopped after %s; an overlay it did not reach is not linted: "+
			"name the overlays, pass a narrower --root, or exclude folders without manifests in .gitignore", what)})
}

func (w *walk) visit(dir string, entries []fs.DirEntry, err error) ([]fs.DirEntry, error) {
	r := w.r
	if err != nil {
		if w.lint {
			w.d.problem(load.DisplayPath(dir, w.d.wd), load.ReadProblem(err))
		}
		return nil, nil
	}
	r.listed[dir] = true
	if slices.ContainsFunc(chainsawTests, func(name string) bool { return entry(entries, name) != nil }) {
		r.tests[dir] = true
	}
	st := w.stacks[dir]
	delete(w.stacks, dir)
	if e := entry(entries, ".gitignore"); e != nil && e.Type().IsRegular() && w.read() {
		if data, err := r.root.ReadFileLimit(filepath.Join(dir, ".gitignore"), maxIgnoreFile); err == nil {
			st = append(st[:len(st):len(st)], parseIgnore(dir, data))
		}
	}
	chart := entry(entries, "Chart.yaml") != nil && r.isChart(dir)
	if chart && w.lint {
		w.d.todo = append(w.d.todo, candidate{kind: load.Chart, abs: dir, at: dir, repo: r, folder: w.folder})
	}
	var enter []fs.DirEntry
	for _, e := range entries {
		// Most entries are neither folders nor files discovery reads: their paths are not made.
		name := e.Name()
		path := func() string { return filepath.Join(dir, name) }
		switch {
		case chart && isChartPart(name, e.IsDir()):
			// Linted through the chart. The rest of its folder is walked as any folder is: Helm
			// applies none of it, and people keep manifests, overlays and other charts there.
		case e.IsDir():
			path := path()
			why := skippedFolder(name)
			if why == "" && r.ignored(st, path, true) {
				why = skipIgnored
			}
			switch {
			case why != "":
				if w.lint && name != ".git" {
					w.d.skip(path, why)
				}
			case w.lint || !slices.Contains(r.walked, path):
				w.stacks[path] = st
				enter = append(enter, e)
			}
		case slices.Contains(kustomize.FileNames, name):
			w.kustomization(dir, path(), e, st)
		case !w.lint:
		case strings.HasPrefix(name, "."):
			if isManifestName(name) {
				w.d.skip(path(), skipHiddenFile)
			}
		case isManifestName(name) || isChartArchiveName(name):
			w.manifest(path(), e, st)
		case e.Type()&fs.ModeSymlink != 0:
			if fi, err := r.root.Stat(path()); err == nil && fi.IsDir() {
				w.d.skip(path(), skipLinkedFolder)
			}
		}
	}
	if w.spent {
		return nil, fs.SkipAll
	}
	return enter, nil
}

// read reports whether the walk may read one more file, counting it.
func (w *walk) read() bool {
	if w.lint {
		return true
	}
	if w.files == 0 {
		w.spent = true
		return false
	}
	w.files--
	return true
}

// kustomization handles the kustomization file at path: its folder is an overlay, base or
// component, and what it includes goes into the root's graph.
func (w *walk) kustomization(dir, path string, e fs.DirEntry, st ignoreStack) {
	r := w.r
	switch {
	case !e.Type().IsRegular():
		// A symlinked kustomization is read by the loader when its folder is named; a pipe never.
		if w.lint && e.Type()&fs.ModeSymlink == 0 {
			w.d.skip(path, skipNotRegular)
		}
		return
	case r.ignored(st, path, false):
		if w.lint {
			w.d.skip(path, skipIgnored)
		}
		return
	}
	if _, ok := r.kusts[dir]; !ok {
		if !w.read() {
			r.kustDirs[dir] = true
			return
		}
		r.add(dir, readKustomization(r.root, dir))
	}
	if r.kusts[dir].foreign {
		if w.lint {
			w.manifest(path, e, st)
		}
		return
	}
	r.kustDirs[dir] = true
	if w.lint {
		w.d.todo = append(w.d.todo, candidate{kind: load.Overlay, abs: dir, at: path, repo: r, folder: w.folder})
	}
}

// manifest handles a .yaml, .yml, .json or .tgz file found in a folder named.
func (w *walk) manifest(path string, e fs.DirEntry, st ignoreStack) {
	r := w.r
	if r.ignored(st, path, false) {
		w.d.skip(path, skipIgnored)
		return
	}
	switch t := e.Type(); {
	case t.IsRegular() && isChartArchiveName(path) && r.isPublished(path):
		w.d.skip(path, skipPublished)
	case t.IsRegular() && isChartArchiveName(path):
		if isChartArchive(r.root, path) {
			w.d.todo = append(w.d.todo, candidate{kind: load.Chart, abs: path, at: path, repo: r, folder: w.folder})
		}
	case isChartArchiveName(path):
	case t.IsRegular():
		w.d.todo = append(w.d.todo, candidate{kind: load.File, abs: path, at: path, repo: r, folder: w.folder})
	case t&fs.ModeSymlink != 0:
		// Linted when it leads to a file inside the lint root.
		fi, err := r.root.Stat(path)
		switch {
		case err != nil:
			w.d.problem(load.DisplayPath(path, w.d.wd), load.ReadProblem(err))
		case fi.IsDir():
			w.d.skip(path, skipLinkedFolder)
		case !fi.Mode().IsRegular():
			w.d.skip(path, skipNotRegular)
		default:
			w.d.todo = append(w.d.todo, candidate{kind: load.File, abs: path, at: path, repo: r, folder: w.folder})
		}
	default:
		w.d.skip(path, skipNotRegular)
	}
}

// isChartPart reports whether an entry of a chart's folder is what Helm renders or reads as the
// chart: templates/, crds/, the subcharts in charts/, Chart.yaml, requirements.yaml and values
// files (values.yaml, values.schema.json, and values-prod.yaml and the like, given with -f). A
// kustomization file beside Chart.yaml is left to the chart too: the folder is the chart.
func isChartPart(name string, dir bool) bool {
	if dir {
		return name == "templates" || name == "crds" || name == "charts"
	}
	stem := strings.ToLower(strings.TrimSuffix(name, filepath.Ext(name)))
	return name == "Chart.yaml" || name == "requirements.yaml" || strings.HasPrefix(stem, "values") || strings.HasSuffix(stem, "values") ||
		slices.Contains(kustomize.FileNames, name)
}

func entry(entries []fs.DirEntry, name string) fs.DirEntry {
	i, ok := slices.BinarySearchFunc(entries, name, func(e fs.DirEntry, n string) int { return strings.Compare(e.Name(), n) })
	if !ok {
		return nil
	}
	return entries[i]
}

// repo is what discovery knows of one lint root: the kustomizations its walks and its search
// read and what they include, and which folders are charts and overlays.
type repo struct {
	root       *fsroot.Root
	kusts      map[string]kustomizationInfo // by folder
	includedBy map[string][]string          // a file or folder → the kustomization folders naming it
	namedDirs  map[string]bool              // the folders of what kustomizations name
	listed     map[string]bool              // folders a walk listed: kustDirs says whether each is an overlay
	kustDirs   map[string]bool              // folders where a walk found a kustomization file
	// buildConfigsLooked are the folders whose Skaffold configs were looked for (buildConfigsAbove).
	buildConfigsLooked map[string]bool
	overlays           map[string]bool // isOverlayDir's answers for folders no walk listed
	charts             map[string]bool // isChart's answers
	walked             []string        // the folders named and walked
	searched           bool
	assertions         map[string][]string        // a folder → the files its Chainsaw tests assert with (isAssertion)
	tests              map[string]bool            // folders a walk listed that hold a Chainsaw test
	helmRepos          map[string]bool            // isHelmRepository's answers
	indexed            map[string]map[string]bool // by Helm repository folder, the folder/archive its index lists
	// index is what git tracks in the root, when it is a work tree (gitindex.go); indexRead says
	// whether it was looked for.
	index     tracked
	indexRead bool
	// trackedOnly are the folders .gitignore excludes that are walked for what git tracks in
	// them: the rest of what they hold stays excluded, as in git.
	trackedOnly map[string]bool
}

// ignored reports whether the .gitignore files of st exclude abs, or it is in a folder they
// exclude, and git does not track it.
func (r *repo) ignored(st ignoreStack, abs string, isDir bool) bool {
	if !st.excludes(abs, isDir) && !r.trackedOnly[filepath.Dir(abs)] {
		return false
	}
	if !r.isTracked(abs, isDir) {
		return true
	}
	if isDir {
		r.trackedOnly[abs] = true
	}
	return false
}

func (d *discovery) repo(root *fsroot.Root) *repo {
	if r := d.repos[root]; r != nil {
		return r
	}
	r := &repo{root: root, kusts: map[string]kustomizationInfo{}, includedBy: map[string][]string{}, namedDirs: map[string]bool{}, listed: map[string]bool{},
		kustDirs: map[string]bool{}, buildConfigsLooked: map[string]bool{}, overlays: map[string]bool{}, charts: map[string]bool{}, assertions: map[string][]string{}, tests: map[string]bool{},
		helmRepos: map[string]bool{}, indexed: map[string]map[string]bool{}, trackedOnly: map[string]bool{}}
	d.repos[root] = r
	return r
}

// isWorkTree reports whether the lint root is a git work tree.
func (r *repo) isWorkTree() bool {
	_, err := r.root.Lstat(filepath.Join(r.root.Dir(), ".git"))
	return err == nil
}

// ignoresAbove reads the .gitignore files of the folders from the lint root down to abs's parent:
// they apply in abs too.
func (r *repo) ignoresAbove(abs string) ignoreStack {
	rel, err := filepath.Rel(r.root.Dir(), abs)
	if err != nil || rel == "." || !fsroot.Within(abs, r.root.Dir()) {
		return nil
	}
	var st ignoreStack
	dir := r.root.Dir()
	for _, name := range strings.Split(rel, string(filepath.Separator)) {
		if data, err := r.root.ReadFileLimit(filepath.Join(dir, ".gitignore"), maxIgnoreFile); err == nil {
			st = append(st, parseIgnore(dir, data))
		}
		dir = filepath.Join(dir, name)
	}
	return st
}

func (r *repo) isChart(dir string) bool {
	is, ok := r.charts[dir]
	if !ok {
		is = r.root.IsFile(filepath.Join(dir, "Chart.yaml"))
		r.charts[dir] = is
	}
	return is
}

// enclosingChart returns the nearest chart folder from dir up to the root, or "".
func (r *repo) enclosingChart(dir string) string {
	for d := dir; r.root.Contains(d); d = filepath.Dir(d) {
		if r.isChart(d) {
			return d
		}
		if d == r.root.Dir() || filepath.Dir(d) == d {
			break
		}
	}
	return ""
}

// isOverlayDir reports whether dir holds a kustomization file.
func (r *repo) isOverlayDir(dir string) bool {
	if r.listed[dir] {
		return r.kustDirs[dir]
	}
	is, ok := r.overlays[dir]
	if !ok {
		is = kustomize.FileIn(r.root, dir) != "" && !r.info(dir).foreign
		r.overlays[dir] = is
	}
	return is
}

// inOverlay reports whether dir is a kustomization folder or inside one, up to the lint root.
func (r *repo) inOverlay(dir string) bool {
	for d := dir; fsroot.Within(d, r.root.Dir()); d = filepath.Dir(d) {
		if r.isOverlayDir(d) {
			return true
		}
		if d == r.root.Dir() || filepath.Dir(d) == d {
			break
		}
	}
	return false
}
