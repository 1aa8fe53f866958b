// Package kustomize builds Kustomize overlays in-process, offline and without running anything
// from the repository, and maps every object's fields back to the base, patch or kustomization
// line a person edits.
//
// Before kustomize sees an overlay, the loader reads every kustomization it includes and refuses,
// naming the entry: remote bases and files (kustomize would run git or plain HTTP), paths that
// leave the lint root, Helm charts (kustomize would run helm), and plugin or KRM function configs
// (exec, Go, container or starlark code), and overlays that would ask kustomize for more work
// than its limits allow. Kustomize then runs with plugins disabled, its load restrictor on, a
// deadline, and a filesystem that refuses anything outside the lint root and anything but regular
// files, so a check missed here still cannot read /etc/passwd or block on a pipe.
package kustomize

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/semaphore"

	"go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/types"
	"sigs.k8s.io/kustomize/kyaml/openapi"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/fsroot"
	"github.com/ekslint/ekslint/lint/load"
)

// Loader loads load.Overlay inputs. Make one per run with NewLoader: it keeps what it reads for
// the rest of the run, so files shared by several overlays are read and parsed once.
type Loader struct {
	timeout time.Duration // for each overlay's build
	// memory admits builds by what they may hold at once (build.footprint): overlays of small
	// files build side by side, and those over a large base one at a time.
	memory *semaphore.Weighted

	mu       sync.Mutex
	caches   map[*fsroot.Root]*fileCache
	reported map[lint.Problem]bool
}

// NewLoader returns a loader for one run.
func NewLoader() *Loader {
	return &Loader{timeout: buildTimeout, memory: semaphore.NewWeighted(buildMemory), caches: map[*fsroot.Root]*fileCache{},
		reported: map[lint.Problem]bool{}}
}

// Load builds the overlay in.Abs and hands its objects to s.
func (l *Loader) Load(ctx context.Context, in load.Input, s load.Sink) {
	if ctx.Err() != nil {
		return
	}
	b, err := newBuild(l.cache(in, s.Limits()), in, s)
	if err != nil {
		s.Problem(lint.Problem{Pos: lint.Pos{File: in.Path}, Level: lint.Error, Message: unreadable("", err)})
		return
	}
	defer b.registerSources()
	b.visit(b.dir, "")
	l.hand(s, b.notes)
	overLimits := false
	if len(b.problems) == 0 {
		b.checkLimits()
		overLimits = len(b.problems) > 0
	}
	if len(b.problems) == 0 {
		if docs, ok := b.asWritten(); ok {
			for _, d := range docs {
				s.Document(d)
			}
		} else {
			l.build(ctx, b)
		}
	}
	if len(b.problems) > 0 {
		l.report(b, s)
		if !overLimits { // its bases hold the work that was too much
			l.loadBases(ctx, in, s)
		}
	}
}

// Kustomize holds a build's objects as kyaml nodes, copied while it reads them (DeAnchor), at
// about 64 bytes for each byte of the files: a 9.4 MB CRD base took 615 MB to build, and seven
// overlays over it, two at a time, 1.8 GB. buildMemory is what the builds of a run may hold at
// once by that measure; a build larger than it runs alone.
const (
	bytesPerFileByte = 64
	buildMemory      = 1 << 30
)

// build runs b once the builds running beside it leave room for it.
func (l *Loader) build(ctx context.Context, b *build) {
	need := min(b.footprint()*bytesPerFileByte, buildMemory)
	if err := l.memory.Acquire(ctx, need); err != nil {
		return // the run is cancelled
	}
	defer l.memory.Release(need)
	b.run(ctx, l.timeout)
}

// loadBases builds on its own each base that only in, which could not be built, includes
// (load.Input.Bases): their findings would be lost with it. Each is a variant of its own.
func (l *Loader) loadBases(ctx context.Context, in load.Input, s load.Sink) {
	for _, base := range in.Bases {
		l.Load(ctx, base, s)
	}
}

// cache returns the run's file cache for the lint root of in: what may be read depends on the
// root, so inputs under different roots (two repositories on one command line) keep apart.
func (l *Loader) cache(in load.Input, lim load.Limits) *fileCache {
	l.mu.Lock()
	defer l.mu.Unlock()
	if c := l.caches[in.Root]; c != nil {
		return c
	}
	c := newFileCache(in.Root, lim)
	l.caches[in.Root] = c
	return c
}

// hand passes problems to the sink, each once however many overlays share its file.
func (l *Loader) hand(s load.Sink, problems []lint.Problem) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, p := range problems {
		if !l.reported[p] {
			l.reported[p] = true
			s.Problem(p)
		}
	}
}

// report hands over the problems that kept an overlay from being built, or that its build met. A
// problem in a file several overlays share is reported once; an overlay kept from building only
// by problems in other files (a base it includes) gets a note saying so.
func (l *Loader) report(b *build, s load.Sink) {
	l.hand(s, b.problems)
	own := b.display(b.cache.kustomizationFile(b.dir))
	if !slices.ContainsFunc(b.problems, func(p lint.Problem) bool { return p.Pos.File == own }) {
		s.Problem(lint.Problem{Pos: lint.Pos{File: own}, Level: lint.Note,
			Message: fmt.Sprintf("not built: it includes %s, which has problems", b.problems[0].Pos.File)})
	}
}

// build is one overlay being checked, built and mapped.
type build struct {
	cache   *fileCache
	in      load.Input
	s       load.Sink
	dir     string // the overlay, symlinks resolved
	display func(abs string) string

	// Folders and files are named by where they lead, symlinks resolved, as kustomize names them.
	kusts      map[string]*kustFile       // every kustomization of the overlay, by folder
	edges      map[string][]edge          // kustomization folder → the kustomizations it includes
	resources  map[string][]string        // kustomization folder → the resource files it names
	generators map[string][]generatorSite // kustomization folder → the ConfigMap and Secret generators it runs
	texts      map[*lint.Text]bool        // every file read, for Sink.Source
	chain      []string                   // the kustomization folders being visited, the overlay first
	problems   []lint.Problem             // what keeps the overlay from being built, or broke its build
	notes      []lint.Problem             // what is worth a word but does not (deprecated fields, a key written twice)
}

// edge is one kustomization including another, as a resource (base) or a component.
type edge struct {
	dir       string
	component bool
}

func newBuild(cache *fileCache, in load.Input, s load.Sink) (*build, error) {
	dir, err := cache.root.Resolve(in.Abs)
	if err != nil {
		return nil, err
	}
	b := &build{cache: cache, in: in, s: s, dir: dir,
		kusts: map[string]*kustFile{}, edges: map[string][]edge{}, resources: map[string][]string{},
		generators: map[string][]generatorSite{}, texts: map[*lint.Text]bool{}}
	// Display paths follow the input's own: a file is named relative to the working directory,
	// as load.DisplayPath names it, whichever overlay reads it first.
	b.display = func(abs string) string {
		rel, err := filepath.Rel(dir, abs)
		if err != nil {
			return filepath.ToSlash(abs)
		}
		return path.Join(in.Path, filepath.ToSlash(rel))
	}
	return b, nil
}

func (b *build) problem(at lint.Pos, format string, args ...any) {
	b.problems = append(b.problems, lint.Problem{Pos: at, Level: lint.Error, Message: fmt.Sprintf(format, args...)})
}

// text reads a file inside the root through the cache, remembering it as a source.
func (b *build) text(abs string) (*lint.Text, error) {
	t, err := b.cache.get(abs).read(b.cache, b.display(abs))
	if err == nil {
		b.texts[t] = true
	}
	return t, err
}

// yamlDocs reads and parses a file kustomize will parse, reporting what our parser refuses
// (duplicate keys, alias bombs, binary data) at its line; kustomize never sees such a file.
func (b *build) yamlDocs(abs string) ([]*yaml.Node, bool) {
	if _, err := b.text(abs); err != nil {
		b.problem(lint.Pos{File: b.display(abs)}, "%s", unreadable("", err))
		return nil, false
	}
	docs, problems := b.cache.get(abs).parse(b.cache, b.display(abs))
	return docs, b.parsed(problems)
}

// parsed takes the problems our parser found in YAML kustomize will read, and reports whether
// there was none of those it refuses, which keep the overlay from being built; the others (a key
// written twice with the same value) are warnings, and do not.
func (b *build) parsed(problems []lint.Problem) bool {
	ok := true
	for _, p := range problems {
		if p.Level == lint.Error {
			b.problems = append(b.problems, p)
			ok = false
		} else {
			b.notes = append(b.notes, p)
		}
	}
	return ok
}

// kust reads the kustomization file in dir.
func (b *build) kust(dir string) *kustFile {
	name := b.cache.kustomizationFile(dir)
	if name == "" {
		return nil
	}
	if real, err := b.cache.root.Resolve(name); err == nil && !fsroot.Within(real, dir) {
		b.problem(lint.Pos{File: b.display(name)}, "is a symlink to a file outside its folder: %s", outOfFolder)
		return nil
	}
	f := b.cache.get(name)
	docs, ok := b.yamlDocs(name)
	if !ok {
		return nil
	}
	f.kustOnce.Do(func() {
		var root *yaml.Node
		if len(docs) > 0 {
			root = docs[0]
		}
		f.kust = newKustFile(f, dir, f.text, root, b.cache.lim)
	})
	if f.kust.root == nil || f.kust.root.Kind != yaml.MappingNode {
		b.problem(lint.Pos{File: f.text.Name, Line: 1}, "is not a kustomization: the file holds no mapping")
		return nil
	}
	return f.kust
}

// visit reads the kustomization in dir and everything it names, checking each entry before
// kustomize would follow it. owner is set for kustomizations reached through generators or
// transformers, whose resources are plugin configs: it is the folder of the kustomization they
// serve.
func (b *build) visit(dir, owner string) {
	if _, seen := b.kusts[dir]; seen {
		return
	}
	b.kusts[dir] = nil
	k := b.kust(dir)
	if k == nil {
		return
	}
	b.kusts[dir] = k
	b.chain = append(b.chain, dir)
	defer func() { b.chain = b.chain[:len(b.chain)-1] }()
	b.checkFieldPaths(k.root, false, func(key, val *yaml.Node) lint.Pos { return at(k.text, key, val) })
	if owner == "" {
		for _, g := range k.generators {
			b.generators[dir] = append(b.generators[dir], generatorSite{kind: g.kind, name: g.name, pos: at(k.text, nil, g.item)})
		}
	}
	for _, key := range k.deprecated {
		b.notes = append(b.notes, lint.Problem{Pos: at(k.text, key, key), Level: lint.Note, Message: fmt.Sprintf(
			"%s is deprecated: use %s (`kustomize edit fix` rewrites the file)", key.Value, deprecatedFields[key.Value])})
	}
	for _, key := range k.helm {
		b.problem(at(k.text, key, key), "%s: Helm charts inflated by kustomize run the helm program: not rendered (ekslint runs nothing from the repository; lint the chart folder itself)", key.Value)
	}
	for _, p := range k.patches {
		if p.inline != nil {
			b.parsed(p.inline.problems)
		}
	}
	for _, r := range k.refs {
		b.checkRef(k, r, owner)
	}
}

// checkRef checks one entry of kustomization k and follows it when it is local; owner is as for
// visit.
func (b *build) checkRef(k *kustFile, r Ref, owner string) {
	at := at(k.text, nil, r.Node)
	served := cmp.Or(owner, k.dir) // the kustomization plugin configs named here serve
	if r.Inline {
		if r.Kind == RefPlugin {
			e := newEmbedded(k.text, nil, r.Node, b.cache.lim)
			b.parsed(e.problems)
			b.checkPluginConfigs(k, r, e.docs, func(key, val *yaml.Node) lint.Pos { return e.pos(key, val) }, served)
		}
		return
	}
	abs, ok := b.local(k, at, r.Field, r.Value)
	if !ok {
		return
	}
	entry := fmt.Sprintf("%s entry %q", r.Field, r.Value)
	st, err := b.cache.root.Stat(abs)
	switch {
	case err != nil:
		b.problem(at, "%s", unreadable(entry, err))
		return
	case !st.IsDir() && !st.Mode().IsRegular():
		b.problem(at, "%s", unreadable(entry, fsroot.ErrNotRegular))
		return
	}
	if !st.IsDir() && !fsroot.Within(abs, k.dir) {
		b.problem(at, "%s leads out of the folder of %s: %s", entry, k.text.Name, outOfFolder)
		return
	}
	if st.IsDir() {
		switch r.Kind {
		case RefResource, RefKustomization, RefPlugin:
			if b.cache.kustomizationFile(abs) == "" {
				b.problem(at, "%s is a folder without a kustomization file (%s)", entry, strings.Join(FileNames, ", "))
				return
			}
			if cycle := b.cycle(abs); cycle != "" {
				b.problem(at, "%s closes a cycle (%s): kustomize cannot build a kustomization that includes itself or a folder holding it", entry, cycle)
				return
			}
			if r.Kind == RefPlugin {
				b.visit(abs, served)
				return
			}
			b.edges[k.dir] = append(b.edges[k.dir], edge{abs, r.Field == "components"})
			b.visit(abs, owner)
		default:
			b.problem(at, "%s is a folder; it must name a file", entry)
		}
		return
	}
	switch r.Kind {
	case RefKustomization:
		b.problem(at, "%s is a file; %s names kustomization folders", entry, r.Field)
	case RefResource:
		if owner != "" {
			if docs, ok := b.yamlDocs(abs); ok {
				b.checkPluginConfigs(k, r, docs, b.placer(abs), owner)
			}
			return
		}
		if _, ok := b.yamlDocs(abs); ok {
			b.resources[k.dir] = append(b.resources[k.dir], abs)
		}
	case RefYAML:
		docs, ok := b.yamlDocs(abs)
		if ok && r.Field == "crds" {
			b.checkCRDRefs(docs, at, r.Value)
		}
		if configurations := r.Field == "configurations"; ok && (configurations || strings.HasPrefix(r.Field, "replacements")) {
			for _, d := range docs {
				b.checkFieldPaths(d, configurations, b.placer(abs))
				if !configurations {
					k.addReplacements(at, d)
				}
			}
		}
	case RefData:
		if _, err := b.text(abs); err != nil {
			b.problem(at, "%s", unreadable(entry, err))
		}
	case RefPlugin:
		if docs, ok := b.yamlDocs(abs); ok {
			b.checkPluginConfigs(k, r, docs, b.placer(abs), served)
		}
	}
}

// cycle returns the kustomizations, from the first that dir is or holds to dir, when including dir
// from the kustomization being visited closes a cycle; "" when it does not. Kustomize refuses to
// load a folder that is, or holds, one it is already building.
func (b *build) cycle(dir string) string {
	i := slices.IndexFunc(b.chain, func(d string) bool { return fsroot.Within(d, dir) })
	if i < 0 {
		return ""
	}
	var names []string
	for _, d := range append(b.chain[i:], dir) {
		names = append(names, b.display(d))
	}
	return strings.Join(names, " → ")
}

// outOfFolder is kustomize's rule for the files a kustomization loads (its load restrictor, on in
// ekslint as in `kustomize build`), and how to live with it.
const outOfFolder = "kustomize loads only files in or below a kustomization's folder (move or copy the file there, or make its folder a base and include that)"

// local resolves a path written in kustomization k to where it leads, refusing URLs, git
// repositories and paths that leave the lint root (through `..`, an absolute path or a symlink)
// before anything is read. The message never says where a symlink points.
func (b *build) local(k *kustFile, at lint.Pos, field, value string) (string, bool) {
	if isRemote(value) {
		b.problem(at, "%s entry %q is remote: not fetched (ekslint never fetches anything; vendor it into the repository, or lint `kustomize build` output with `ekslint lint -`)", field, value)
		return "", false
	}
	abs := value
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(k.dir, value)
	}
	real, err := b.cache.root.Resolve(filepath.Clean(abs))
	if err != nil {
		b.problem(at, "%s", unreadable(fmt.Sprintf("%s entry %q", field, value), err))
		return "", false
	}
	return real, true
}

// placer places nodes of a file read through the cache.
func (b *build) placer(abs string) func(key, val *yaml.Node) lint.Pos {
	t, _ := b.text(abs)
	return func(key, val *yaml.Node) lint.Pos { return at(t, key, val) }
}

// at is the range of a field in the file t.
func at(t *lint.Text, key, val *yaml.Node) lint.Pos {
	p := lint.FieldRange(t, key, val)
	p.File = t.Name
	return p
}

// startOf is the position of a file as a whole: its first character.
func startOf(file string) lint.Pos {
	return lint.Pos{File: file, Line: 1, Column: 1, EndLine: 1, EndColumn: 2}
}

// registerSources hands every file read to the sink: findings and problems point into them.
func (b *build) registerSources() {
	for t := range b.texts {
		b.s.Source(t)
	}
}

// namesCRDs reports whether a file of the overlay other than its resources (a kustomization, a
// patch, a replacement, a configuration) names CustomResourceDefinitions or their schemas: such an
// overlay may change a CRD's schema, and is served its CRDs whole (leanTagged).
func (b *build) namesCRDs() bool {
	resources := map[*lint.Text]bool{}
	for _, files := range b.resources {
		for _, abs := range files {
			if t, err := b.cache.get(abs).read(b.cache, b.display(abs)); err == nil {
				resources[t] = true
			}
		}
	}
	for t := range b.texts {
		if !resources[t] && (bytes.Contains(t.Data, []byte("CustomResourceDefinition")) || bytes.Contains(t.Data, []byte("openAPIV3Schema"))) {
			return true
		}
	}
	return false
}

// schemaMu guards kustomize's OpenAPI schema, which is global: an overlay that sets its own
// (`openapi:`) builds alone and resets it afterwards; the rest share the built-in one.
var schemaMu sync.RWMutex

// buildTimeout bounds each overlay's build. Kustomize cannot be interrupted while it transforms
// objects: a build that runs over is reported, and left to finish in the background with its
// result dropped (it stops sooner if it still reads files: every read after the deadline fails).
// The limits keep builds to seconds; this is for what they do not foresee.
const buildTimeout = time.Minute

// run builds the checked overlay with kustomize and hands over its objects, or notes in
// b.problems why it could not.
func (b *build) run(ctx context.Context, timeout time.Duration) {
	root := b.kusts[b.dir]
	fsys := b.fs(!b.namesCRDs())
	// buildMetadata of the overlay (kustomize takes no other's) turns on kustomize's own origin
	// tracking, whose cost grows with the square of the patches (source.go): the annotations and
	// label it asks for are build bookkeeping, left out.
	if m, had := withoutKey(root.root, "buildMetadata"); had {
		data, err := yaml.Marshal(m)
		if err == nil {
			fsys.kustPath, err = b.cache.root.Resolve(root.file.abs)
		}
		if err != nil {
			b.problem(startOf(root.text.Name), "invalid kustomization: %v", err)
			return
		}
		fsys.kustData = data
	}
	buildCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	fsys.ctx = buildCtx
	type built struct {
		resources []resourceOut
		err       error
	}
	done := make(chan built, 1) // the build never waits for a reader that has gone
	_, custom := mapEntry(root.root, "openapi")
	go func() {
		resources, err := b.kustomize(fsys, custom != nil)
		done <- built{resources, err}
	}()
	select {
	case r := <-done:
		switch {
		case r.err == nil:
			for _, res := range r.resources {
				b.s.Document(&lint.Document{Root: res.node, Locator: b.locator(res), Variant: b.in.Path})
			}
			return
		case buildCtx.Err() == nil:
			b.problems = append(b.problems, b.buildFailure(r.err))
			return
		}
		// It failed because its deadline passed: reads fail from then on.
	case <-buildCtx.Done():
	}
	if ctx.Err() == nil { // the run goes on: this build ran over
		b.problem(startOf(root.text.Name), "building the overlay took longer than %v; not linted (kustomize's work grew in a way ekslint's limits do not foresee: split the overlay, or lint `kustomize build` output with `ekslint lint -`)", timeout)
	}
}

// fs is what a build of the overlay reads through: the lint root's files, through the cache, the
// resource files with each object tagged with its source; lean leaves out their CRDs' schemas.
func (b *build) fs(lean bool) *guardedFS {
	fsys := &guardedFS{cache: b.cache, display: b.display, sources: map[string]bool{}, leanCRDs: lean}
	for _, files := range b.resources {
		for _, f := range files {
			fsys.sources[f] = true
		}
	}
	return fsys
}

// kustomize builds the overlay through fsys, locked down: builtin plugins only, root-only
// loading, no reordering. custom is set when the overlay brings its own OpenAPI schema. It runs
// apart from the build it serves, and touches nothing of it but what is read-only by then.
func (b *build) kustomize(fsys *guardedFS, custom bool) (resources []resourceOut, err error) {
	if custom {
		schemaMu.Lock()
		defer func() { openapi.ResetOpenAPI(); schemaMu.Unlock() }()
	} else {
		schemaMu.RLock()
		defer schemaMu.RUnlock()
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("kustomize panicked: %v", r)
		}
	}()
	opts := krusty.MakeDefaultOptions()
	opts.LoadRestrictions = types.LoadRestrictionsRootOnly
	opts.PluginConfig = types.DisabledPluginConfig()
	opts.Reorder = krusty.ReorderOptionNone
	m, err := krusty.MakeKustomizer(opts).Run(fsys, b.dir)
	if err != nil {
		return nil, err
	}
	return collect(m, b.cache)
}
