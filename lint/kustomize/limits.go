package kustomize

import (
	"bytes"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/fsroot"
)

// Kustomize's own work grows faster than an overlay in places (docs/kustomize.md has the
// measurements): it builds a base once for every path that includes it, compares every object it
// takes in with every object it holds at each kustomization, applies a targeted patch to every
// object it selects, merges each patch into an object the patches before may have grown, and
// copies the path walked so far at each step of a field path. These limits keep every build to
// seconds; an overlay over one is refused before kustomize sees it, at the line that goes over,
// and the rest of the run goes on.
const (
	maxBuilds            = 1000      // kustomizations built, each once for every path that includes it
	maxComparisons       = 4_000_000 // objects held, squared, summed over the kustomizations built
	maxPatches           = 1000      // patches, each once for every time its kustomization is built
	maxPatchApplications = 5000      // patches times the objects each may apply to
	maxFieldPathSegments = 100       // segments of one field path
	// Replacements and vars look at every object a kustomization holds, each time it is built:
	// 1,000 replacements of one field path over 1,000 objects took kustomize 10 s (about 10 µs
	// an object), 5,000 vars over 1,000 objects 9.6 s (2 µs). Both bounds are about 4 s.
	maxReplacementWork = 400_000   // replacement lookups (replacementWork) times the objects held
	maxVarWork         = 2_000_000 // vars times the objects held
)

// notBuilt ends every limit's message: what to do instead.
const notBuilt = "not built (to lint it anyway, lint `kustomize build` output with `ekslint lint -`)"

// saturated is where counts stop: a lattice of bases including each other twice over asks for
// 2^depth builds, more than an integer holds. Counts are floats so that a product of two
// saturated counts still compares right.
const saturated = 1e15

func add(a, b float64) float64 { return min(a+b, saturated) }

// checkLimits refuses an overlay that would ask kustomize for more work than the limits allow.
// The overlay's kustomizations include each other without cycles: visit refused those.
func (b *build) checkLimits() {
	order := b.topological()
	times := map[string]float64{b.dir: 1} // how many times kustomize builds each kustomization
	for _, dir := range order {
		for _, e := range b.edges[dir] {
			times[e.dir] = add(times[e.dir], times[dir])
		}
	}
	held := map[string]float64{}  // the objects each kustomization holds once built
	kinds := map[string]float64{} // the objects of the built overlay, by kind
	for _, dir := range slices.Backward(order) {
		own, ownKinds := b.ownObjects(dir)
		held[dir] = own
		for _, e := range b.edges[dir] {
			held[dir] = add(held[dir], held[e.dir])
		}
		for kind, n := range ownKinds {
			kinds[kind] = add(kinds[kind], n*times[dir])
		}
	}
	var builds, comparisons, patches, applications, copies, generated float64
	var mostPatches, mostApplied *kustFile
	var mostPatchesN, mostAppliedN float64
	var lastCopy, biggestGenerator lint.Pos
	var biggestGenerated float64
	var copied, mostCopiedN float64 // the bytes settings copy into objects (copiedBytes), summed
	var mostCopied lint.Pos
	var imaged float64 // images entries times the objects they are tried on, summed
	var mostImages *kustFile
	var replaced, varied float64 // replacements' and vars' work (see maxReplacementWork), summed
	var mostReplaced, mostVaried *kustFile
	for _, dir := range order {
		k := b.kusts[dir]
		if n := k.replacements * held[dir] * times[dir]; n > 0 {
			replaced = add(replaced, n)
			if mostReplaced == nil || k.replacements > mostReplaced.replacements {
				mostReplaced = k
			}
		}
		if n := float64(len(items(k.vars))) * held[dir] * times[dir]; n > 0 {
			varied = add(varied, n)
			if mostVaried == nil || len(items(k.vars)) > len(items(mostVaried.vars)) {
				mostVaried = k
			}
		}
		if n := float64(len(k.images)) * held[dir] * times[dir]; n > 0 {
			imaged = add(imaged, n)
			if mostImages == nil || len(k.images) > len(mostImages.images) {
				mostImages = k
			}
		}
		if perObject, biggest, pos := k.copiedBytes(); perObject > 0 {
			n := perObject * held[dir] * times[dir]
			copied = add(copied, n)
			if biggest*held[dir]*times[dir] > mostCopiedN {
				mostCopiedN, mostCopied = biggest*held[dir]*times[dir], pos
			}
		}
		n, applied := times[dir]*float64(len(k.patches)), 0.0
		for _, p := range k.patches {
			applied += b.applications(k, p, kinds)
			if c := b.copyOps(k, p); c > 0 {
				copies = add(copies, times[dir]*c)
				lastCopy = at(k.text, p.item, p.item)
			}
		}
		for _, g := range k.generators {
			bytes := times[dir] * b.generatorBytes(k, g)
			generated = add(generated, bytes)
			if bytes > biggestGenerated {
				biggestGenerated, biggestGenerator = bytes, at(k.text, g.item, g.item)
			}
		}
		applied *= times[dir]
		builds, comparisons = add(builds, times[dir]), add(comparisons, times[dir]*held[dir]*held[dir])
		patches, applications = add(patches, n), add(applications, applied)
		if n > mostPatchesN {
			mostPatches, mostPatchesN = k, n
		}
		if applied > mostAppliedN {
			mostApplied, mostAppliedN = k, applied
		}
	}
	varsCopied := 0.0
	if varied > 0 {
		varsCopied = b.varsCopy()
	}
	overlay := b.kusts[b.dir]
	switch {
	case builds > maxBuilds:
		b.problem(startOf(overlay.text.Name), "this overlay has kustomize build %.0f kustomizations (a base once for every path that includes it), more than the %d ekslint allows: %s", builds, maxBuilds, notBuilt)
	case comparisons > maxComparisons:
		b.problem(startOf(overlay.text.Name), "kustomize would compare this overlay's objects %.0f times (at each kustomization built, each object it holds with every other), more than the %d ekslint allows: %s", comparisons, maxComparisons, notBuilt)
	case patches > maxPatches:
		b.problem(patchesPos(mostPatches), "this overlay applies %.0f patches (here and in the kustomizations it includes), more than the %d ekslint allows: %s", patches, maxPatches, notBuilt)
	case applications > maxPatchApplications:
		b.problem(patchesPos(mostApplied), "this overlay's patches may apply %.0f times (a patch with a target once for every object of the kinds it selects), more than the %d ekslint allows: %s", applications, maxPatchApplications, notBuilt)
	case copies > 0 && float64(max(b.footprint(), minCopied))*math.Pow(2, copies) > float64(b.cache.lim.MaxFileSize)*copyGrowth:
		b.problem(lastCopy, "this overlay's JSON patches copy %.0f times, and each copy may double the object it copies in: "+
			"more than %d times --max-file-size could be made; %s", copies, copyGrowth, notBuilt)
	case imaged > maxComparisons:
		b.problem(at(mostImages.text, mostImages.images[0], mostImages.images[0]), "this overlay's images entries would be tried on its objects "+
			"%.0f times (each entry on every object a kustomization holds), more than the %d ekslint allows: %s", imaged, maxComparisons, notBuilt)
	case replaced > maxReplacementWork:
		b.problem(mostReplaced.replacementsAt, "this overlay's replacements would look at its objects %.0f times (each replacement's source and "+
			"every field path of its targets, on every object a kustomization holds), more than the %d ekslint allows: %s", replaced, maxReplacementWork, notBuilt)
	case varied > maxVarWork:
		b.problem(at(mostVaried.text, mapKey(mostVaried.root, "vars"), mostVaried.vars), "this overlay's vars would be looked for in its objects "+
			"%.0f times (each var in every object a kustomization holds), more than the %d ekslint allows: %s", varied, maxVarWork, notBuilt)
	case copied > float64(b.cache.lim.MaxFileSize):
		b.problem(mostCopied, "this overlay's namePrefix, nameSuffix, namespace, labels and annotations would copy %s into its objects "+
			"(each object, and each reference to a renamed one, holds a copy), more than --max-file-size, %s: %s",
			fsroot.FormatSize(int64(copied)), fsroot.FormatSize(b.cache.lim.MaxFileSize), notBuilt)
	case varsCopied > float64(b.cache.lim.MaxFileSize):
		b.problem(at(mostVaried.text, mapKey(mostVaried.root, "vars"), mostVaried.vars), "this overlay's vars could copy %s into its objects "+
			"(the largest value of its resources into each $(VAR) they hold), more than --max-file-size, %s: %s",
			fsroot.FormatSize(int64(varsCopied)), fsroot.FormatSize(b.cache.lim.MaxFileSize), notBuilt)
	case generated > float64(b.cache.lim.MaxFileSize):
		b.problem(biggestGenerator, "this overlay's generators would read %s into ConfigMaps and Secrets (a file once for every time it is listed), "+
			"more than --max-file-size, %s, and far more than the API server stores in one object: %s",
			fsroot.FormatSize(int64(generated)), fsroot.FormatSize(b.cache.lim.MaxFileSize), notBuilt)
	}
}

// copyGrowth bounds what the copy operations of JSON patches may make, in times --max-file-size;
// minCopied is the least size an object copied is taken to have. A copy into the path it copies
// from doubles the object: 45 of them in a 5 KB patch took 6 GB before kustomize crashed.
const (
	copyGrowth = 4
	minCopied  = 64 << 10
)

// copyOps counts the copy operations of p, when it is a JSON patch (RFC 6902).
func (b *build) copyOps(k *kustFile, p *patchSpec) float64 {
	docs, _, _ := b.patchDocs(k, p)
	n := 0.0
	for _, d := range docs {
		if d.Kind != yaml.SequenceNode {
			continue
		}
		for _, op := range d.Content {
			if mapGet(deref(op), "op").Value == "copy" {
				n++
			}
		}
	}
	return n
}

// generatorBytes is what generator g reads: the size of each file it lists (files, envs), once
// for every time it is listed.
func (b *build) generatorBytes(k *kustFile, g generatorEntry) float64 {
	n := 0.0
	for _, field := range []string{"files", "envs"} {
		list := mapGet(g.item, field)
		if list.Kind != yaml.SequenceNode {
			continue
		}
		for _, it := range list.Content {
			name := it.Value
			if _, file, ok := strings.Cut(name, "="); ok && field == "files" {
				name = file
			}
			if st, err := b.cache.root.Stat(filepath.Join(k.dir, name)); err == nil {
				n += float64(st.Size())
			}
		}
	}
	return n
}

// topological returns the folders of the overlay's kustomizations, each after every one that
// includes it.
func (b *build) topological() []string {
	var post []string
	done := map[string]bool{}
	var dfs func(dir string)
	dfs = func(dir string) {
		if done[dir] {
			return
		}
		done[dir] = true
		for _, e := range b.edges[dir] {
			dfs(e.dir)
		}
		post = append(post, dir)
	}
	dfs(b.dir)
	slices.Reverse(post)
	return post
}

// footprint is the size of the resource files the build reads, each once: what kustomize parses
// is what it holds.
func (b *build) footprint() int64 {
	var n int64
	for _, files := range b.resources {
		for _, abs := range files {
			if t, err := b.cache.get(abs).read(b.cache, b.display(abs)); err == nil {
				n += int64(len(t.Data))
			}
		}
	}
	return n
}

// ownObjects counts the objects kustomization dir makes itself: those of its resource files
// (a List's items each) and those its generators make.
func (b *build) ownObjects(dir string) (float64, map[string]float64) {
	kinds := map[string]float64{}
	var visit func(n *yaml.Node)
	visit = func(n *yaml.Node) {
		kind := mapGet(n, "kind").Value
		if items := mapGet(n, "items"); strings.HasSuffix(kind, "List") && items.Kind == yaml.SequenceNode {
			for _, it := range items.Content {
				visit(deref(it))
			}
			return
		}
		kinds[kind]++
	}
	for _, abs := range b.resources[dir] {
		docs, _ := b.cache.get(abs).parse(b.cache, b.display(abs))
		for _, d := range docs {
			visit(d)
		}
	}
	for _, g := range b.generators[dir] {
		kinds[g.kind]++
	}
	total := 0.0
	for _, n := range kinds {
		total += n
	}
	return total, kinds
}

// copiedBytes is what k's settings copy into each object a build of it holds: namePrefix and
// nameSuffix into its name and the references to it, namespace into it, labels into its metadata
// (and selectors and pod templates, when they reach those), commonAnnotations into its metadata
// and pod template. kustomize copies each, with no bound: a 3 MB prefix over 1,500 ConfigMaps
// took 4.4 GB, a 1 MB label over 1,000 Deployments 2.2 GB. biggest is the largest one setting's
// share, written at pos.
func (k *kustFile) copiedBytes() (perObject, biggest float64, pos lint.Pos) {
	note := func(n float64, key, val *yaml.Node) {
		perObject += n
		if n > biggest {
			biggest, pos = n, at(k.text, key, val)
		}
	}
	for _, kv := range []keyVal{k.namePrefix, k.nameSuffix, k.namespace} {
		note(float64(len(kv.str())), kv.key, kv.val)
	}
	for _, l := range k.labels {
		copies := 1.0
		if l.selectors {
			copies++
		}
		if l.templates {
			copies++
		}
		note(copies*float64(pairBytes(l.pairs)), l.pairs, l.pairs)
	}
	note(2*float64(pairBytes(k.commonAnnotations.val)), k.commonAnnotations.key, k.commonAnnotations.val)
	return perObject, biggest, pos
}

// pairBytes is the bytes of the keys and values of a mapping of strings.
func pairBytes(m *yaml.Node) int {
	n := 0
	if m = deref(m); m != nil && m.Kind == yaml.MappingNode {
		for _, c := range m.Content {
			n += len(deref(c).Value)
		}
	}
	return n
}

// varsCopy is what vars could copy into the build's objects: kustomize puts a var's value, any
// value of the resources, in place of each $(VAR) they hold (a 1 MB value into 3,000 of them
// took 6.8 GB). It is the $( the resource files hold, times their largest scalar.
func (b *build) varsCopy() float64 {
	var refs float64
	biggest := 0
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.ScalarNode {
			biggest = max(biggest, len(n.Value))
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	for _, dir := range b.topological() {
		for _, abs := range b.resources[dir] {
			t, err := b.text(abs)
			if err != nil {
				continue
			}
			refs += float64(bytes.Count(t.Data, []byte("$(")))
			docs, _ := b.cache.get(abs).parse(b.cache, b.display(abs))
			for _, d := range docs {
				walk(d)
			}
		}
	}
	return refs * float64(biggest)
}

// applications counts the objects patch p of k may apply to each time k is built: its documents
// without a target (each patches the object it names), the objects of the kinds its target selects
// with one (labelSelector and annotationSelector are not evaluated: every object of the kind).
func (b *build) applications(k *kustFile, p *patchSpec, kinds map[string]float64) float64 {
	if p.target == nil {
		docs, _, _ := b.patchDocs(k, p)
		return float64(len(docs))
	}
	want := mapGet(p.target, "kind").Value
	re, err := regexp.Compile("^(?:" + want + ")$")
	n := 0.0
	for kind, count := range kinds {
		if want == "" || err == nil && re.MatchString(kind) || err != nil && want == kind {
			n += count
		}
	}
	return n
}

// patchesPos is the position of k's patches: the first of its patch fields.
func patchesPos(k *kustFile) lint.Pos {
	for _, field := range []string{"patches", "patchesStrategicMerge", "patchesJson6902"} {
		if key := mapKey(k.root, field); key != nil {
			return at(k.text, key, key)
		}
	}
	return startOf(k.text.Name)
}

// checkFieldPaths refuses field paths of more than maxFieldPathSegments segments in doc, a
// kustomization or a file it reads as configuration: `fieldPath` and `fieldPaths` (replacements,
// vars) and the `path` of field specs (in `fieldSpecs` and `fields` lists, and everywhere in a
// `configurations` file, when specs is set).
func (b *build) checkFieldPaths(doc *yaml.Node, specs bool, place func(key, val *yaml.Node) lint.Pos) {
	check := func(field string, key, val *yaml.Node, sep string) {
		val = deref(val)
		if n := strings.Count(val.Value, sep) + 1; val.Kind == yaml.ScalarNode && n > maxFieldPathSegments {
			b.problem(place(key, val), "%s has %d segments, more than the %d ekslint allows (kustomize copies the path walked so far at each step): %s", field, n, maxFieldPathSegments, notBuilt)
		}
	}
	var walk func(n *yaml.Node, specs bool)
	walk = func(n *yaml.Node, specs bool) {
		switch n.Kind {
		case yaml.SequenceNode:
			for _, it := range n.Content {
				walk(it, specs)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				key, val := n.Content[i], n.Content[i+1]
				switch {
				case key.Value == "fieldPath":
					check("fieldPath", key, val, ".")
				case key.Value == "fieldPaths":
					for _, it := range items(deref(val)) {
						check("a fieldPaths entry", nil, it, ".")
					}
				case key.Value == "path" && specs:
					check("a field spec's path", key, val, "/")
				default:
					walk(val, specs || key.Value == "fieldSpecs" || key.Value == "fields")
				}
			}
		}
	}
	walk(doc, specs)
}

// maxCRDVisits bounds the properties kustomize visits reading a crds file: it follows each
// property's $ref into the definition named, once for every path that leads there and with no
// check for cycles, so a definition that refers to itself recurses until the stack runs out (a
// fatal error, which no recover catches) and twenty-four definitions that each refer twice to the
// next make 2^24 visits.
const maxCRDVisits = 100_000

// checkCRDRefs refuses a crds file (OpenAPI definitions by name, as kustomize reads them) whose
// $refs form a cycle, or that would take more than maxCRDVisits visits, at its entry.
func (b *build) checkCRDRefs(docs []*yaml.Node, entry lint.Pos, name string) {
	defs := map[string]*yaml.Node{}
	for _, d := range docs {
		if d.Kind != yaml.MappingNode {
			continue
		}
		for i := 0; i+1 < len(d.Content); i += 2 {
			defs[d.Content[i].Value] = d.Content[i+1]
		}
	}
	visits := map[string]float64{} // by definition: the visits a walk from it makes
	var chain []string             // the definitions being walked
	var cycle []string
	var walk func(def string) float64
	walk = func(def string) float64 {
		if n, done := visits[def]; done || cycle != nil {
			return n
		}
		if i := slices.Index(chain, def); i >= 0 {
			cycle = append(slices.Clone(chain[i:]), def)
			return 0
		}
		chain = append(chain, def)
		defer func() { chain = chain[:len(chain)-1] }()
		n := 0.0
		props := mapGet(mapGet(defs[def], "Schema"), "properties")
		for i := 0; props != nil && props.Kind == yaml.MappingNode && i+1 < len(props.Content); i += 2 {
			n = add(n, 1)
			if ref := mapGet(deref(props.Content[i+1]), "$ref"); ref != nil && ref.Kind == yaml.ScalarNode && defs[ref.Value] != nil {
				n = add(n, walk(ref.Value))
			}
		}
		visits[def] = n
		return n
	}
	total := 0.0
	for def, d := range defs {
		props := mapGet(mapGet(d, "Schema"), "properties")
		if mapGet(props, "kind") == nil || mapGet(props, "apiVersion") == nil || mapGet(props, "metadata") == nil {
			continue // kustomize walks from the definitions of Kubernetes types only
		}
		if total = add(total, walk(def)); cycle != nil {
			b.problem(entry, "crds entry %q: its definitions refer to each other in a cycle (%s), which kustomize follows until it runs out of stack: %s",
				name, strings.Join(cycle, " → "), notBuilt)
			return
		}
	}
	if total > maxCRDVisits {
		b.problem(entry, "crds entry %q: its definitions' $refs make kustomize visit %.0f properties, more than the %d ekslint allows: %s",
			name, total, maxCRDVisits, notBuilt)
	}
}
