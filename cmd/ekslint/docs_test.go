package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint/linttest"
)

// The docs show ekslint's output the way docs/rules.md does: as the real output of a real run.
// TestDocs finds every example in README.md and docs/*.md that shows output, runs its command
// in-process on the repository's own inputs, and compares; `-update` rewrites the examples from
// what the runs print. CONTRIBUTING.md ("Docs") describes the syntax for writers.

// docsDate is the date version rules compare against in the docs' runs, unless a command gives
// --date: the shown output must not change with the day the test runs.
const docsDate = "2026-11-23"

// elision is a line of expected output that stands for any run of lines, even none. It may
// be indented, as in JSON.
const elision = "..."

func isElision(line string) bool { return strings.TrimSpace(line) == elision }

// directiveRe reads the comment before a block that is the output of a command, or the file a
// command writes: `<!-- output of: CMD -->`, `<!-- output of (in DIR): CMD -->`,
// `<!-- FILE written by (in DIR): CMD -->`. DIR is relative to the repository.
var directiveRe = regexp.MustCompile(`^<!--\s+(?:output of|(\S+) written by)(?:\s+\(in ([^)]+)\))?:\s+(.+?)\s+-->$`)

// outputLike are lines that only ekslint's output has: a block with one of them must say which
// run it is the output of, so that no example goes unchecked.
var outputLike = []*regexp.Regexp{
	regexp.MustCompile(`^\S+:\d+(?::\d+)?: (?:error|warning|note) [a-z0-9-]+: `), // a finding
	regexp.MustCompile(`^\S+?(?::\d+(?::\d+)?)?: (?:error|warning|note): `),      // an input problem or note
	regexp.MustCompile(`^\d+ errors?, \d+ warnings?, \d+ notes?\b`),              // the summary
	regexp.MustCompile(`^::(?:error|warning|notice)\b`),                          // a GitHub annotation
	regexp.MustCompile(`"(?:findings|problems)"\s*:`),                            // a JSON report, a baseline
	regexp.MustCompile(`"\$schema"\s*:\s*"[^"]*sarif`),                           // SARIF
	regexp.MustCompile(`^ekslint: `),                                             // ekslint's own messages
	regexp.MustCompile(`^\d+ \|`),                                                // a source excerpt
	regexp.MustCompile(`^\|\s*\^~*$`),                                            // its caret
}

func looksLikeOutput(line string) bool {
	return slices.ContainsFunc(outputLike, func(re *regexp.Regexp) bool { return re.MatchString(strings.TrimSpace(line)) })
}

// docFiles are the files whose examples are checked: README.md and docs/*.md, except
// docs/rules.md, which go generate writes from the rules themselves.
func docFiles(t *testing.T, repo string) []string {
	files, err := filepath.Glob(filepath.Join(repo, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	files = slices.DeleteFunc(files, func(f string) bool { return filepath.Base(f) == "rules.md" })
	return append([]string{filepath.Join(repo, "README.md")}, files...)
}

// mdBlock is a fenced code block of a Markdown file.
type mdBlock struct {
	info      string   // the word after the fence: console, text, json...
	line      int      // the fence's line, from 1
	start     int      // index of the first content line in the file's lines
	lines     []string // content, without the fence's indentation
	indent    string   // the fence's indentation, which content lines carry too
	directive string   // the HTML comment on the last non-blank line before the fence, if any
	dirLine   int
}

var fenceRe = regexp.MustCompile("^( *)(```+|~~~+)\\s*([^`\\s]*)")

// mdBlocks splits a Markdown file into its fenced blocks.
func mdBlocks(lines []string) []mdBlock {
	var blocks []mdBlock
	for i := 0; i < len(lines); i++ {
		m := fenceRe.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		b := mdBlock{info: m[3], line: i + 1, start: i + 1, indent: m[1]}
		for j := i - 1; j >= 0; j-- {
			if s := strings.TrimSpace(lines[j]); s != "" {
				if strings.HasPrefix(s, "<!--") && strings.HasSuffix(s, "-->") {
					b.directive, b.dirLine = s, j+1
				}
				break
			}
		}
		fence := m[2]
		j := i + 1
		for ; j < len(lines); j++ {
			s := strings.TrimLeft(lines[j], " ")
			if strings.HasPrefix(s, fence) && strings.Trim(s, fence[:1]+" \t") == "" {
				break
			}
			l := lines[j]
			trim := min(len(b.indent), len(l)-len(strings.TrimLeft(l, " ")))
			b.lines = append(b.lines, l[trim:])
		}
		blocks = append(blocks, b)
		i = j
	}
	return blocks
}

// edit replaces a block's content with new lines, once the file's blocks have all run.
type edit struct {
	start, end int // the content lines replaced, [start, end)
	lines      []string
}

func TestDocs(t *testing.T) {
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	// The reports name the release in VERSION, as a release's binary does (go test builds none).
	release, err := os.ReadFile(filepath.Join(repo, "VERSION"))
	if err != nil {
		t.Fatal(err)
	}
	saved := version
	version = strings.TrimSpace(string(release))
	t.Cleanup(func() { version = saved })
	// Settings of GitHub Actions change where reports name files and what --format github writes.
	for _, env := range []string{"GITHUB_WORKSPACE", "GITHUB_STEP_SUMMARY", "GITHUB_OUTPUT"} {
		t.Setenv(env, "")
	}

	checked := 0
	for _, path := range docFiles(t, repo) {
		name, _ := filepath.Rel(repo, path)
		name = filepath.ToSlash(name)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		blocks := mdBlocks(lines)
		for _, b := range blocks {
			if b.info == "console" || directiveRe.MatchString(b.directive) {
				checked++
			}
		}
		var edits []edit
		t.Run(filepath.Base(name), func(t *testing.T) {
			for _, l := range strayDirectives(lines, blocks) {
				t.Errorf("%s:%d: this comment names a command, but no block follows it", name, l)
			}
			for _, b := range blocks {
				where := fmt.Sprintf("%s:%d", name, b.line)
				switch {
				case b.info == "console" && b.directive != "" && directiveRe.MatchString(b.directive):
					t.Errorf("%s: a console block names its commands itself: drop the comment before it, or make it a text block", where)
				case b.info == "console":
					t.Run(fmt.Sprint("line", b.line), func(t *testing.T) {
						if e, ok := checkConsole(t, repo, where, b); ok {
							edits = append(edits, e)
						}
					})
				case directiveRe.MatchString(b.directive):
					t.Run(fmt.Sprint("line", b.line), func(t *testing.T) {
						if e, ok := checkDirective(t, repo, where, b); ok {
							edits = append(edits, e)
						}
					})
				case strings.Contains(b.directive, "output of") || strings.Contains(b.directive, "written by"):
					t.Errorf("%s:%d: cannot read %s (want <!-- output of: ekslint ... -->, <!-- output of (in DIR): ekslint ... --> or <!-- FILE written by (in DIR): ekslint ... -->)", name, b.dirLine, b.directive)
				default:
					if i := slices.IndexFunc(b.lines, looksLikeOutput); i >= 0 {
						t.Errorf("%s:%d: this block looks like ekslint's output (%q) but says of no run: make it a console block, or put <!-- output of: ekslint ... --> before it (CONTRIBUTING.md, \"Docs\")", name, b.start+i+1, b.lines[i])
					}
				}
			}
		})
		if len(edits) > 0 {
			for _, e := range slices.Backward(edits) {
				lines = slices.Replace(lines, e.start, e.end, e.lines...)
			}
			if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("rewrote %d examples in %s", len(edits), name)
		}
	}
	if checked < 10 {
		t.Errorf("checked only %d examples: is the block syntax out of date?", checked)
	}
}

// strayDirectives are the lines, from 1, of comments that name a command but are no block's
// directive: a block must follow them.
func strayDirectives(lines []string, blocks []mdBlock) []int {
	used := map[int]bool{}
	inside := map[int]bool{}
	for _, b := range blocks {
		used[b.dirLine] = true
		for i := b.start - 1; i <= b.start+len(b.lines); i++ {
			inside[i] = true
		}
	}
	var stray []int
	for i, l := range lines {
		if s := strings.TrimSpace(l); directiveRe.MatchString(s) && !used[i+1] && !inside[i] {
			stray = append(stray, i+1)
		}
	}
	return stray
}

// checkConsole runs the commands of a console block: lines starting with "$ " are commands, the
// lines after each, up to the next, its output.
func checkConsole(t *testing.T, repo, where string, b mdBlock) (edit, bool) {
	var out []string // the block as it should be
	changed := false
	if len(b.lines) == 0 {
		t.Errorf("%s: a console block without a command", where)
	}
	for i := 0; i < len(b.lines); {
		cmd, ok := strings.CutPrefix(b.lines[i], "$ ")
		if !ok {
			t.Errorf("%s: line %d of the block is output of no command (commands start with \"$ \")", where, i+1)
			return edit{}, false
		}
		at := where
		if i > 0 {
			at = fmt.Sprintf("%s (its line %d)", where, i+1)
		}
		j := i + 1
		for j < len(b.lines) && !strings.HasPrefix(b.lines[j], "$ ") {
			j++
		}
		want := b.lines[i+1 : j]
		got, err := runDocCommand(t, repo, cmd, "")
		if err != nil {
			t.Errorf("%s: %v", at, err)
			return edit{}, false
		}
		out = append(out, b.lines[i])
		if lines, ok := compareOutput(t, at, cmd, want, got); ok {
			out = append(out, want...)
		} else {
			changed = true
			out = append(out, lines...)
		}
		i = j
	}
	return b.replaced(out), changed && *linttest.Update
}

// checkDirective runs the command a block's directive names and compares its output, or the file
// it wrote, with the block.
func checkDirective(t *testing.T, repo, where string, b mdBlock) (edit, bool) {
	m := directiveRe.FindStringSubmatch(b.directive)
	file, dir, cmd := m[1], m[2], m[3]
	workDir := repo
	if file != "" && dir == "" {
		t.Errorf("%s: %s written by %q: say in which folder it runs, (in DIR)", where, file, cmd)
		return edit{}, false
	}
	if dir != "" {
		workDir = filepath.Join(repo, filepath.FromSlash(dir))
		if !strings.HasPrefix(workDir, repo+string(filepath.Separator)) {
			t.Errorf("%s: %s is not inside the repository", where, dir)
			return edit{}, false
		}
		if st, err := os.Stat(workDir); err != nil || !st.IsDir() {
			t.Errorf("%s: no folder %s in the repository", where, dir)
			return edit{}, false
		}
	}
	got, err := runDocCommand(t, workDir, cmd, file)
	if err != nil {
		t.Errorf("%s: %v", where, err)
		return edit{}, false
	}
	lines, ok := compareOutput(t, where, cmd, b.lines, got)
	return b.replaced(lines), !ok && *linttest.Update
}

// replaced is the edit that gives b new content lines.
func (b mdBlock) replaced(lines []string) edit {
	e := edit{start: b.start, end: b.start + len(b.lines)}
	for _, l := range lines {
		if l != "" {
			l = b.indent + l
		}
		e.lines = append(e.lines, l)
	}
	return e
}

// compareOutput compares got with the expected lines: equal, except that a line "..." stands for
// any run of lines. When they differ it fails the test (unless -update) and returns what the block
// should say: got, keeping the elisions where it can.
func compareOutput(t *testing.T, where, cmd string, want []string, got string) ([]string, bool) {
	gotLines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
	if got == "" {
		gotLines = nil
	}
	if matchLines(want, gotLines) {
		return want, true
	}
	if !*linttest.Update {
		t.Errorf("%s: the output of %q differs from the docs (go test ./cmd/ekslint -run TestDocs -update rewrites them; then read the prose around them).\ndocs:\n%s\nrun:\n%s",
			where, cmd, strings.Join(want, "\n"), strings.Join(gotLines, "\n"))
	}
	return keepElisions(want, gotLines), false
}

// matchLines reports whether got matches want, where a line "..." in want matches any run of lines.
func matchLines(want, got []string) bool {
	if len(want) == 0 {
		return len(got) == 0
	}
	if isElision(want[0]) {
		for i := 0; i <= len(got); i++ {
			if matchLines(want[1:], got[i:]) {
				return true
			}
		}
		return false
	}
	return len(got) > 0 && got[0] == want[0] && matchLines(want[1:], got[1:])
}

// keepElisions is got as want would show it: as many lines before the first "..." and after the
// last as want has there, and each run of lines between two elisions at the place in got that
// resembles it most. Without elisions, or when got is too short for them, it is got.
func keepElisions(want, got []string) []string {
	var segs [][]string // the runs of lines between elisions
	var elisions []string
	cur := []string{}
	for _, l := range want {
		if isElision(l) {
			segs, elisions = append(segs, cur), append(elisions, l)
			cur = []string{}
			continue
		}
		cur = append(cur, l)
	}
	segs = append(segs, cur)
	if len(segs) == 1 {
		return got
	}
	head, tail := len(segs[0]), len(segs[len(segs)-1])
	if head+tail >= len(got) {
		return got
	}
	out := slices.Clone(got[:head])
	rest := got[head : len(got)-tail]
	for i, seg := range segs[1 : len(segs)-1] {
		at := bestWindow(seg, rest)
		if at < 0 {
			continue
		}
		out = append(out, elisions[i])
		out = append(out, rest[at:at+len(seg)]...)
		rest = rest[at+len(seg):]
	}
	out = append(out, elisions[len(elisions)-1])
	return append(out, got[len(got)-tail:]...)
}

// bestWindow finds where in got the lines of seg fit best: the window whose lines share the
// longest prefixes with seg's. It is -1 when seg is empty or longer than got.
func bestWindow(seg, got []string) int {
	best, bestScore := -1, -1
	for at := 0; len(seg) > 0 && at+len(seg) <= len(got); at++ {
		score := 0
		for i, l := range seg {
			n := 0
			for n < len(l) && n < len(got[at+i]) && l[n] == got[at+i][n] {
				n++
			}
			score += n
		}
		if score > bestScore {
			best, bestScore = at, score
		}
	}
	return best
}

// runDocCommand runs an ekslint command line of the docs in dir, in-process, and returns its
// standard output and standard error as a terminal shows them (in the order they were written),
// or, when file is set, the file the command writes (the command then runs in a copy of dir, so
// that nothing is written in the repository). Runs of lint and baseline use --date docsDate and
// --root . unless the command sets them: dir stands for the root of a user's repository.
func runDocCommand(t *testing.T, dir, cmdline, file string) (string, error) {
	args, stdinFile, err := splitCommand(cmdline)
	if err != nil {
		return "", err
	}
	if len(args) < 2 || args[0] != "ekslint" {
		return "", fmt.Errorf("%q: only ekslint commands run here: show other commands in a sh block, without output", cmdline)
	}
	args = args[1:]
	writes := args[0] == "baseline" || slices.ContainsFunc(args, func(a string) bool {
		return strings.HasPrefix(a, "-o") || hasFlag([]string{a}, "--output") || hasFlag([]string{a}, "--cpuprofile")
	})
	switch {
	case file == "" && writes:
		return "", fmt.Errorf("%q writes a file: show it with <!-- FILE written by (in DIR): ... -->, which runs it in a copy of DIR", cmdline)
	case file != "":
		cp := filepath.Join(t.TempDir(), filepath.Base(dir))
		if err := os.CopyFS(cp, os.DirFS(dir)); err != nil {
			return "", err
		}
		dir = cp
	}
	if args[0] == "lint" || args[0] == "baseline" {
		var implicit []string
		if !hasFlag(args, "--date") {
			implicit = append(implicit, "--date", docsDate)
		}
		if !hasFlag(args, "--root") {
			implicit = append(implicit, "--root", ".")
		}
		args = slices.Concat(args[:1], implicit, args[1:])
	}
	t.Chdir(dir)
	var stdin []byte
	if stdinFile != "" {
		if stdin, err = os.ReadFile(stdinFile); err != nil {
			return "", err
		}
	}
	var out bytes.Buffer
	code := run(args, bytes.NewReader(stdin), &out, &out)
	if file == "" {
		return out.String(), nil
	}
	written, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("%q (exit %d) wrote no %s: %v\n%s", cmdline, code, file, err, out.String())
	}
	return string(written), nil
}

func hasFlag(args []string, flag string) bool {
	return slices.ContainsFunc(args, func(a string) bool { return a == flag || strings.HasPrefix(a, flag+"=") })
}

// splitCommand splits a command line as a shell would, for the little the docs need: words,
// 'single' and "double" quotes, backslash escapes, and "< FILE" for standard input. Pipes,
// variables and the rest of the shell are refused: the command could not run here.
func splitCommand(s string) (args []string, stdin string, err error) {
	var word strings.Builder
	inWord, redirect := false, false
	end := func() {
		if !inWord {
			return
		}
		if redirect {
			stdin, redirect = word.String(), false
		} else {
			args = append(args, word.String())
		}
		word.Reset()
		inWord = false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			end()
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, "", fmt.Errorf("%q: unterminated quote", s)
			}
			word.WriteString(s[i+1 : i+1+j])
			inWord, i = true, i+1+j
		case c == '"':
			inWord = true
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0 {
					i++
				} else if strings.IndexByte("$`", s[i]) >= 0 {
					return nil, "", fmt.Errorf("%q: shell expansions do not run here", s)
				}
				word.WriteByte(s[i])
			}
			if i == len(s) {
				return nil, "", fmt.Errorf("%q: unterminated quote", s)
			}
		case c == '\\' && i+1 < len(s):
			i++
			word.WriteByte(s[i])
			inWord = true
		case c == '<' && !inWord && !redirect:
			redirect = true
		case strings.IndexByte("|&;<>()$`*?[#~{}", c) >= 0:
			return nil, "", fmt.Errorf("%q: %q needs a shell, and commands do not run in one here: show it in a sh block, without output", s, c)
		default:
			word.WriteByte(c)
			inWord = true
		}
	}
	end()
	if redirect {
		return nil, "", fmt.Errorf("%q: < names no file", s)
	}
	return args, stdin, nil
}

func TestDocsMatch(t *testing.T) {
	got := []string{"a", "b", "c", "d"}
	for _, c := range []struct {
		want string
		ok   bool
	}{
		{"a b c d", true},
		{"a ... d", true},
		{"... c d", true},
		{"a b c d ...", true},
		{"...", true},
		{"a ... b ... d", true},
		{"a b ... c ... d", true},
		{"a c ... d", false},
		{"a b c", false},
		{"... b", false},
	} {
		if ok := matchLines(strings.Fields(c.want), got); ok != c.ok {
			t.Errorf("%q matches %q: %v, want %v", c.want, got, ok, c.ok)
		}
	}
	if !matchLines([]string{"a", "    ...", "d"}, got) {
		t.Error("an indented ... is no elision")
	}
}

func TestDocsKeepElisions(t *testing.T) {
	got := []string{"f:1: x", "f:2: y", "f:3: z new", "f:4: w", "f:5: v", "summary 2"}
	for _, c := range []struct{ want, out string }{
		{"f:1: x | ... | summary 1", "f:1: x | ... | summary 2"},
		{"old | ... | f:3: z old | ... | sum", "f:1: x | ... | f:3: z new | ... | summary 2"},
		{"a | b | c | ... | d | e | f | g", strings.Join(got, " | ")},
		{"f:1: x | f:2: y", strings.Join(got, " | ")},
		{"... | f:5: v | summary 1", "... | f:5: v | summary 2"},
		{"f:1: x |   ... | f:4: w |  ... | summary 2", "f:1: x |   ... | f:4: w |  ... | summary 2"},
	} {
		out := keepElisions(strings.Split(c.want, " | "), got)
		if strings.Join(out, " | ") != c.out {
			t.Errorf("keepElisions(%q) = %q, want %q", c.want, strings.Join(out, " | "), c.out)
		}
		if !matchLines(out, got) {
			t.Errorf("keepElisions(%q) = %q does not match the output", c.want, out)
		}
	}
}

func TestDocsSplitCommand(t *testing.T) {
	for _, c := range []struct{ line, args, stdin, err string }{
		{`ekslint lint examples/ --format json`, "ekslint|lint|examples/|--format|json", "", ""},
		{`ekslint lint 'a b' "c \"d\"" e\ f`, `ekslint|lint|a b|c "d"|e f`, "", ""},
		{`ekslint lint - < deploy/web.yaml`, "ekslint|lint|-", "deploy/web.yaml", ""},
		{`kubectl get deploy -o yaml | ekslint lint -`, "", "", "needs a shell"},
		{`ekslint lint $HOME`, "", "", "needs a shell"},
		{`ekslint lint "$HOME"`, "", "", "expansions"},
		{`ekslint lint 'unterminated`, "", "", "unterminated"},
		{`ekslint lint -o out.sarif > x`, "", "", "needs a shell"},
	} {
		args, stdin, err := splitCommand(c.line)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%s: error %v, want %q", c.line, err, c.err)
		case c.err == "" && (err != nil || strings.Join(args, "|") != c.args || stdin != c.stdin):
			t.Errorf("%s: %q < %q (%v), want %q < %q", c.line, args, stdin, err, c.args, c.stdin)
		}
	}
}

func TestDocsBlocks(t *testing.T) {
	doc := strings.Split(`Prose.

- An item:

  <!-- output of (in docs/testdata/x): ekslint lint overlay -->
  `+"```"+`text
  overlay/kustomization.yaml:1:1: error: not built
  `+"```"+`

<!-- output of: ekslint lint nothing -->

Prose again.

`+"```"+`
deploy/web.yaml:16:7: error k8s-host-network: Deployment "web" shares the node's network
`+"```"+`

`+"```"+`yaml
rules:
  k8s-host-network:
    level: warning # ekslint:ignore-free
`+"```"+`
`, "\n")
	blocks := mdBlocks(doc)
	if len(blocks) != 3 {
		t.Fatalf("%d blocks, want 3: %+v", len(blocks), blocks)
	}
	b := blocks[0]
	if b.info != "text" || b.line != 6 || b.indent != "  " || b.dirLine != 5 || len(b.lines) != 1 || b.lines[0] != "overlay/kustomization.yaml:1:1: error: not built" {
		t.Errorf("indented block: %+v", b)
	}
	if m := directiveRe.FindStringSubmatch(b.directive); m == nil || m[2] != "docs/testdata/x" || m[3] != "ekslint lint overlay" {
		t.Errorf("directive %q: %q", b.directive, m)
	}
	if blocks[1].directive != "" || !slices.ContainsFunc(blocks[1].lines, looksLikeOutput) {
		t.Errorf("a finding without a directive: %+v", blocks[1])
	}
	if slices.ContainsFunc(blocks[2].lines, looksLikeOutput) {
		t.Errorf("YAML taken for output: %q", blocks[2].lines)
	}
	if stray := strayDirectives(doc, blocks); !slices.Equal(stray, []int{10}) {
		t.Errorf("stray directives on lines %v, want [10]", stray)
	}
	e := b.replaced([]string{"a", "", "b"})
	if e.start != 6 || e.end != 7 || strings.Join(e.lines, "|") != "  a||  b" {
		t.Errorf("replaced: %+v", e)
	}
	for _, l := range []string{
		"examples/x.yaml:1:2: warning k8s-pdb-missing: replicas: 3",
		"values.schema.json: note: values.schema.json refers to x",
		".ekslint-baseline.json: note: 3 of its findings are fixed",
		"1 error, 8 warnings, 0 notes in 2 objects",
		"::error file=x.yaml,line=9,title=k8s-host-network::x",
		`  "findings": [`,
		"ekslint: recorded 6 findings in .ekslint-baseline.json",
		"19 |           image: nginx:latest",
		"   |           ^~~~~~~~~~~~~~~~~~",
	} {
		if !looksLikeOutput(l) {
			t.Errorf("%q is not taken for output", l)
		}
	}
}
