package helm

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"text/template/parse"
	"time"

	helmengine "helm.sh/helm/v4/pkg/engine"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/fsroot"
	"github.com/ekslint/ekslint/lint/load"
	"github.com/ekslint/ekslint/lint/report"
	"github.com/ekslint/ekslint/lint/report/reporttest"
	"github.com/ekslint/ekslint/rules"
)

// corpus is the corpus of real and hostile inputs, "" when there is none: users' clones do not
// have it, and the tests that need it skip.
var corpus = corpusDir()

// corpusDir finds the corpus beside the repository, in ../shared/corpus. A git worktree checked
// out elsewhere has it beside its main checkout, which its .git file leads to.
func corpusDir() string {
	beside := func(checkout string) string {
		dir, err := filepath.Abs(filepath.Join(checkout, "..", "shared", "corpus"))
		if err != nil || !exists(dir) {
			return ""
		}
		return dir
	}
	const checkout = "../.."
	if dir := beside(checkout); dir != "" {
		return dir
	}
	link, err := os.ReadFile(filepath.Join(checkout, ".git"))
	gitdir, ok := strings.CutPrefix(strings.TrimSpace(string(link)), "gitdir: ")
	if err != nil || !ok {
		return ""
	}
	common, err := os.ReadFile(filepath.Join(gitdir, "commondir"))
	if err != nil {
		return ""
	}
	commonDir := strings.TrimSpace(string(common))
	if !filepath.IsAbs(commonDir) {
		commonDir = filepath.Join(gitdir, commonDir)
	}
	return beside(filepath.Dir(commonDir))
}

// corpusChart is a chart of the corpus with the value sets to render it with.
type corpusChart struct {
	name, dir string
	root      *fsroot.Root
	sets      []ValueSet
}

// corpusCharts lists the corpus charts: each with its values from helm-values/<chart>.yaml where
// present, and also with each of its ci/*.yaml files.
func corpusCharts(t testing.TB) []corpusChart {
	t.Helper()
	if testing.Short() {
		t.Skip("renders the whole chart corpus; go test without -short runs it")
	}
	dirs, err := os.ReadDir(filepath.Join(corpus, "helm"))
	if corpus == "" || err != nil {
		t.Skipf("no chart corpus: %v", err)
	}
	abs := corpus
	root := rootOf(t, abs)
	var charts []corpusChart
	for _, d := range dirs {
		c := corpusChart{name: d.Name(), dir: filepath.Join(abs, "helm", d.Name()), root: root}
		base := ValueSet{}
		if v := filepath.Join(abs, "helm-values", d.Name()+".yaml"); exists(v) {
			base.Files = []string{v}
		}
		c.sets = append(c.sets, base)
		ci, _ := filepath.Glob(filepath.Join(c.dir, "ci", "*.yaml"))
		for _, f := range ci {
			c.sets = append(c.sets, ValueSet{Name: filepath.Base(f), Files: append(slices.Clone(base.Files), f)})
		}
		charts = append(charts, c)
	}
	return charts
}

// rootOf is the lint root dir, as discovery makes it.
func rootOf(t testing.TB, dir string) *fsroot.Root {
	t.Helper()
	r, err := fsroot.New(dir, load.DefaultMaxFileSize)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// testSink collects what a chartInput hands over.
type testSink struct {
	mu       sync.Mutex
	docs     []*lint.Document
	problems []lint.Problem
}

func (s *testSink) Document(d *lint.Document) { s.mu.Lock(); s.docs = append(s.docs, d); s.mu.Unlock() }
func (s *testSink) Problem(p lint.Problem) {
	s.mu.Lock()
	s.problems = append(s.problems, p)
	s.mu.Unlock()
}
func (s *testSink) Source(*lint.Text)   {}
func (s *testSink) Limits() load.Limits { return load.DefaultLimits() }

func chartInputFor(t testing.TB, l *Loader, dir string, root *fsroot.Root) (*chartInput, *testSink) {
	t.Helper()
	s := &testSink{}
	ci, err := l.input(load.Input{Kind: load.Chart, Path: filepath.Base(dir), Abs: dir, Root: root}, s)
	if err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	return ci, s
}

func prepared(t testing.TB, ci *chartInput, vs ValueSet) *rendering {
	t.Helper()
	r, problems := ci.prepare(vs)
	for _, p := range problems {
		if p.Level == lint.Error {
			t.Fatalf("%s %s: %s", ci.in.Path, vs.Name, p)
		}
	}
	return r
}

// TestCorpusRendersUnchanged renders every corpus chart with each value set twice, marked and as
// written, and requires the marked render, stripped, to be byte-identical; it also checks every
// literal key's line against an oracle render and reports how lines were mapped.
func TestCorpusRendersUnchanged(t *testing.T) {
	l, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	var renders, files, keys, keysExact int
	var inHelpers helperKeys
	for _, c := range corpusCharts(t) {
		for _, vs := range c.sets {
			// Each render starts from values as read: templates may change them (`unset`).
			ci, _ := chartInputFor(t, l, c.dir, c.root)
			r := prepared(t, ci, vs)
			renders++
			marked, g, err := r.run(context.Background(), r.marked)
			if err != nil {
				t.Errorf("%s %s: marked render: %v", c.name, vs.Name, err)
				continue
			}
			texts, err := r.texts(context.Background(), marked, g)
			if err != nil {
				t.Errorf("%s %s: plain render: %v", c.name, vs.Name, err)
				continue
			}
			plainOut, _, err := prepared(t, ci, vs).run(context.Background(), plain)
			if err != nil {
				t.Errorf("%s %s: plain render: %v", c.name, vs.Name, err)
				continue
			}
			helmOut, err := helmRender(prepared(t, ci, vs), l.now)
			if err != nil {
				t.Errorf("%s %s: Helm's render: %v", c.name, vs.Name, err)
				continue
			}
			for name, text := range helmOut {
				if text != plainOut[name] {
					t.Errorf("%s %s: %s: ekslint's functions render it otherwise than Helm's:\n%s", c.name, vs.Name, name, firstDifference([]byte(plainOut[name]), []byte(text)))
				}
			}
			oracle, _, err := prepared(t, ci, vs).run(context.Background(), oracleSource)
			if err != nil {
				t.Errorf("%s %s: oracle render: %v", c.name, vs.Name, err)
				continue
			}
			helperOracle, _, err := prepared(t, ci, vs).run(context.Background(), helperOracleSource)
			if err != nil {
				t.Errorf("%s %s: helper oracle render: %v", c.name, vs.Name, err)
				continue
			}
			for name, st := range texts {
				files++
				if !bytes.Equal(st.text, []byte(plainOut[name])) {
					t.Errorf("%s %s: %s: the marked render differs from the plain one:\n%s", c.name, vs.Name, name, firstDifference(st.text, []byte(plainOut[name])))
					continue
				}
				m := r.fileMap(r.templates[name], st)
				k, e := checkOracle(t, m, oracle[name], c.name+" "+vs.Name+": "+name)
				keys += k
				keysExact += e
				checkHelperOracle(t, m, helperOracle[name], c.name+" "+vs.Name+": "+name, &inHelpers)
			}
		}
	}
	st := l.Stats()
	t.Logf("%d renders, %d rendered files byte-identical after stripping", renders, files)
	t.Logf("literal keys on their exact template line: %d/%d", keysExact, keys)
	t.Logf("rendered lines: %d; marker on the line: %d; output of an action: %d; fallback: %d; files from a plain render: %d",
		st.Lines.Load(), st.Exact.Load(), st.Action.Load(), st.Fallback.Load(), st.Plain.Load())
	t.Logf("rendered lines a helper wrote, mapped to the helper's line: %d", st.Helper.Load())
	t.Logf("literal keys written in helpers: %d compared; on their helper line: %d; on the line of a helper's action they went through: %d; on the line including the helper: %d; elsewhere: %d",
		inHelpers.keys, inHelpers.moved, inHelpers.acted, inHelpers.kept, inHelpers.keys-inHelpers.moved-inHelpers.acted-inHelpers.kept)
}

// helmRender renders r with Helm's engine and its own functions, but for the stand-ins of
// random and clock functions, which the renders compared with it need too.
func helmRender(r *rendering, now time.Time) (map[string]string, error) {
	for _, t := range r.templates {
		t.helm.Data = plain(t)
	}
	return helmengine.Engine{CustomTemplateFuncs: standIns(now)}.Render(r.chart, r.top)
}

// oracleKey is a literal key renamed by oracleSource: name, "ZZ", file id, "x", line, "ZZ".
var (
	literalKey = regexp.MustCompile(`^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_.\-/]*)(\s*:(?:\s|$))`)
	oracleKey  = regexp.MustCompile(`[A-Za-z0-9_.\-/]ZZ(\d+)x(\d+)ZZ\s*:`)
)

// oracleSource renames every literal key written at the start of a line of a manifest
// template's top-level text to carry its own file and line, independently of the markers.
func oracleSource(t *tmpl) []byte {
	if !isManifest(t.helm.Name) {
		return t.file.text.Data
	}
	return renameKeys(t.file, false)
}

// helperOracleSource renames the literal keys of every template's define bodies likewise.
func helperOracleSource(t *tmpl) []byte { return renameKeys(t.file, true) }

// renameKeys renames the literal keys at the start of the lines of f's top-level text, or of its
// define bodies, to carry their own file and line.
func renameKeys(f *file, inDefines bool) []byte {
	src := f.text.Data
	ps, err := scan(src)
	if err != nil {
		return src
	}
	var edits []edit
	line, defines := 1, 0
	var stack []kind
	lineStart := true
	for _, p := range ps {
		if p.kind == text {
			for i := p.start; i < p.end; i++ {
				if lineStart && (defines > 0) == inDefines {
					if m := literalKey.FindSubmatchIndex(src[i:p.end]); m != nil {
						edits = append(edits, edit{i + m[5], fmt.Sprintf("ZZ%dx%dZZ", f.id, line)})
					}
				}
				lineStart = src[i] == '\n'
				if lineStart {
					line++
				}
			}
			continue
		}
		lineStart = false
		line += bytes.Count(src[p.start:p.end], []byte{'\n'})
		switch p.kind {
		case open, loop, define:
			stack = append(stack, p.kind)
			if p.kind == define {
				defines++
			}
		case end:
			if n := len(stack); n > 0 {
				if stack[n-1] == define {
					defines--
				}
				stack = stack[:n-1]
			}
		}
	}
	return apply(src, edits)
}

// checkOracle compares the mapping of each rendered line that holds a renamed key in the oracle
// render with the line the key was written on.
func checkOracle(t *testing.T, m *fileMap, oracle, what string) (keys, exactKeys int) {
	lines := strings.Split(oracle, "\n")
	if len(lines) != m.text.Lines() {
		t.Logf("%s: oracle render has %d lines, marked render %d; not compared", what, len(lines), m.text.Lines())
		return 0, 0
	}
	for i, l := range lines {
		k := oracleKey.FindStringSubmatch(l)
		if k == nil {
			continue
		}
		id, _ := strconv.Atoi(k[1])
		want, _ := strconv.Atoi(k[2])
		keys++
		f, got, _ := m.origin(i + 1)
		if f.id == id && got == want {
			exactKeys++
			continue
		}
		t.Errorf("%s: rendered line %d (%q) maps to %s:%d, want %s:%d", what, i+1, l, f.text.Name, got, m.r.ci.files[id].text.Name, want)
	}
	return keys, exactKeys
}

// renamed is a key renamed by the oracle, for unrenaming.
var renamed = regexp.MustCompile(`ZZ\d+x\d+ZZ`)

// helperKeys counts what became of the keys written in helpers, over the lines of the helper
// oracle render that hold one and are the same as in the marked render but for the renaming.
type helperKeys struct {
	keys  int // keys compared
	moved int // on a line that maps to the helper line the key is on
	// acted are on a line written by an action of a helper: the key went through a value
	// (`include "x" . | fromYaml`, then toYaml) and came out of that action's line.
	acted int
	kept  int // on a line that maps to the line including the helper, as before helpers were marked
}

// checkHelperOracle compares the mapping of each rendered line that holds a key renamed in a
// helper with the helper line the key was written on: a line with a marker of its own maps there,
// or (when no marker of the helper reached it) to the line that includes the helper; never
// anywhere else.
func checkHelperOracle(t *testing.T, m *fileMap, oracle, what string, c *helperKeys) {
	lines := strings.Split(oracle, "\n")
	if len(lines) != m.text.Lines() {
		return
	}
	for i, l := range lines {
		k := oracleKey.FindStringSubmatch(l)
		if k == nil || renamed.ReplaceAllString(l, "") != string(m.text.Line(i+1)) {
			continue
		}
		id, _ := strconv.Atoi(k[1])
		want, _ := strconv.Atoi(k[2])
		c.keys++
		f, got, how := m.origin(i + 1)
		tf, tl, _ := m.topOrigin(i + 1)
		_, _, inHelper := m.inHelper(i + 1)
		switch {
		case f.id == id && got == want:
			c.moved++
		case inHelper && how == action:
			c.acted++
		case !inHelper && f == tf && got == tl:
			c.kept++
		default:
			t.Errorf("%s: rendered line %d (%q) maps to %s:%d, want %s:%d or the line that includes it", what, i+1, l, f.text.Name, got, m.r.ci.files[id].text.Name, want)
		}
	}
}

func firstDifference(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-80)
	return fmt.Sprintf("marked: %q\nplain:  %q", a[from:min(len(a), i+80)], b[from:min(len(b), i+80)])
}

// TestScannerAgreesWithParse compares the scanner with text/template/parse on every template of
// the corpus and the fixtures: the text each leaves after trimming must be the same, at the same
// offsets. Text of only spaces is left out: the parser drops the trees of empty definitions that
// another of the same name replaces, and their text with them.
func TestScannerAgreesWithParse(t *testing.T) {
	var roots []string
	if corpus != "" {
		roots = append(roots, filepath.Join(corpus, "helm"))
	}
	roots = append(roots, "../../fixtures", "../../examples")
	n := 0
	for _, root := range roots {
		filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || !strings.Contains(filepath.ToSlash(p), "/templates/") {
				return nil
			}
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			n++
			compareWithParse(t, p, src)
			return nil
		})
	}
	t.Logf("%d templates compared", n)
}

func compareWithParse(t *testing.T, name string, src []byte) {
	t.Helper()
	tr := parse.New(name)
	tr.Mode = parse.SkipFuncCheck | parse.ParseComments
	trees := map[string]*parse.Tree{}
	if _, err := tr.Parse(string(src), "{{", "}}", trees); err != nil {
		if _, err := scan(src); err == nil {
			t.Logf("%s: text/template refuses it (%v); the scanner does not", name, err)
		}
		return
	}
	type seg struct {
		pos  int
		text string
	}
	var want []seg
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n != nil {
				for _, c := range n.Nodes {
					walk(c)
				}
			}
		case *parse.TextNode:
			if len(bytes.TrimSpace(n.Text)) > 0 {
				want = append(want, seg{int(n.Pos), string(n.Text)})
			}
		case *parse.IfNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.List)
			walk(n.ElseList)
		}
	}
	for _, tree := range trees {
		walk(tree.Root)
	}
	slices.SortFunc(want, func(a, b seg) int { return a.pos - b.pos })
	ps, err := scan(src)
	if err != nil {
		t.Errorf("%s: text/template parses it, the scanner does not: %v", name, err)
		return
	}
	var got []seg
	for i, p := range ps {
		if p.kind != text {
			continue
		}
		start, end := p.start, p.end
		if i > 0 && ps[i-1].rightTrim {
			start += len(src[start:end]) - len(bytes.TrimLeft(src[start:end], " \t\r\n"))
		}
		if i+1 < len(ps) && ps[i+1].leftTrim {
			end = start + len(bytes.TrimRight(src[start:end], " \t\r\n"))
		}
		if len(bytes.TrimSpace(src[start:end])) > 0 {
			got = append(got, seg{start, string(src[start:end])})
		}
	}
	if !slices.Equal(got, want) {
		for i := range max(len(got), len(want)) {
			var g, w seg
			if i < len(got) {
				g = got[i]
			}
			if i < len(want) {
				w = want[i]
			}
			if g != w {
				t.Errorf("%s: text %d: scanner %d %q, text/template %d %q", name, i, g.pos, g.text, w.pos, w.text)
				return
			}
		}
	}
}

// TestCorpusSARIF lints every corpus chart with every rule, each with its corpus values, and
// validates the SARIF of the run with the shared validator (skipped when it cannot run).
func TestCorpusSARIF(t *testing.T) {
	charts := corpusCharts(t)
	sets := map[string][]ValueSet{}
	var inputs []load.Input
	for _, c := range charts {
		sets[c.dir] = c.sets[:1]
		inputs = append(inputs, load.Input{Kind: load.Chart, Path: c.name, Abs: c.dir, Root: c.root})
	}
	l, err := New(Options{ValueSets: func(in load.Input) []ValueSet { return sets[in.Abs] }})
	if err != nil {
		t.Fatal(err)
	}
	all := rules.All()
	res := engine.Run(context.Background(), inputs, engine.Options{Rules: all, Loaders: map[load.InputKind]load.Loader{load.Chart: l}})
	for _, p := range res.Problems {
		if p.Level == lint.Error {
			t.Errorf("%s", p)
		}
	}
	if len(res.Findings) == 0 {
		t.Fatal("no findings over the chart corpus")
	}
	path := filepath.Join(t.TempDir(), "helm.sarif")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := report.SARIF(f, &report.Run{Result: res, Rules: all, Version: "test"}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d findings, %d with related locations", len(res.Findings), countRelated(res.Findings))
	moved, named := 0, 0
	for _, f := range res.Findings {
		for _, r := range f.Related {
			switch {
			case strings.HasPrefix(r.Message, "the helper "):
				moved++
			case strings.HasPrefix(r.Message, "rendered by the helper "):
				named++
			}
		}
	}
	t.Logf("%d findings in a helper's define body, %d related to the helper that wrote them", moved, named)
	reporttest.ValidateSARIF(t, path)
}

func countRelated(fs []engine.Finding) int {
	n := 0
	for _, f := range fs {
		if len(f.Related) > 0 {
			n++
		}
	}
	return n
}
