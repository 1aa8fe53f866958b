package discover

import (
	"bytes"
	"path"
	"path/filepath"
	"strings"
)

// Discovery leaves out what .gitignore files exclude, as git does: the patterns of each
// .gitignore apply below its folder, a deeper file's patterns win over a shallower one's, and
// within a file the last pattern that matches wins (a `!pattern` re-includes). Folders are judged
// as the walk meets them and an excluded folder is not entered, so, as in git, nothing inside it
// can be re-included, unless git tracks something in it (gitindex.go: git never ignores a file it
// tracks). .git/info/exclude and the user's global excludes are not read: they differ from one
// machine to another, and CI has neither.
//
// The patterns are matched here rather than by github.com/sabhiram/go-gitignore, which compiles
// each pattern to a regular expression: a test costs 0.8 µs there, so a 130-line .gitignore (the
// common Node.js one) costs 100 µs per folder, a second on a repository of 10,000 folders. Here a
// pattern is a few path.Match calls on the path's segments. TestGitignoreAgainstGit checks the
// semantics against git itself.

// maxIgnoreFile bounds a .gitignore read: a real one is a few KiB.
const maxIgnoreFile = 256 << 10

// An ignoreFile is the patterns of one .gitignore.
type ignoreFile struct {
	dir      string // the folder it is in, whose paths its patterns match
	patterns []ignorePattern
}

type ignorePattern struct {
	negate   bool     // `!pattern`: re-include what an earlier pattern excluded
	dirOnly  bool     // `pattern/`: folders only
	anchored bool     // has a slash before its end: matched against the path from dir
	segments []string // the glob, split at slashes; one segment when not anchored
}

// parseIgnore reads the patterns of the .gitignore in dir.
func parseIgnore(dir string, data []byte) *ignoreFile {
	f := &ignoreFile{dir: dir}
	for line := range bytes.Lines(data) {
		if p, ok := parsePattern(string(line)); ok {
			f.patterns = append(f.patterns, p)
		}
	}
	return f
}

func parsePattern(line string) (ignorePattern, bool) {
	line = strings.TrimRight(line, "\r\n")
	// Trailing spaces are dropped unless escaped with a backslash.
	for strings.HasSuffix(line, " ") && !strings.HasSuffix(line, `\ `) {
		line = line[:len(line)-1]
	}
	var p ignorePattern
	switch {
	case line == "" || line[0] == '#':
		return p, false
	case line[0] == '!':
		p.negate, line = true, line[1:]
	case line[0] == '\\' && len(line) > 1 && (line[1] == '#' || line[1] == '!'):
		line = line[1:]
	}
	if strings.HasSuffix(line, "/") {
		p.dirOnly, line = true, strings.TrimRight(line, "/")
	}
	if line == "" {
		return p, false
	}
	p.anchored = strings.Contains(line, "/")
	line = strings.TrimPrefix(line, "/")
	// git's fnmatch writes a negated class [!a]; path.Match writes it [^a].
	line = strings.ReplaceAll(line, "[!", "[^")
	for _, seg := range strings.Split(line, "/") {
		if strings.Contains(seg, "**") && seg != "**" {
			seg = strings.ReplaceAll(seg, "**", "*") // ** inside a name is an ordinary *
		}
		if seg == "**" && len(p.segments) > 0 && p.segments[len(p.segments)-1] == "**" {
			continue // a/**/**/b is a/**/b
		}
		p.segments = append(p.segments, seg)
	}
	return p, true
}

// match says whether the file's patterns decide about rel (the path from the file's folder,
// slash-separated), and if so whether they exclude it.
func (f *ignoreFile) match(rel string, isDir bool) (decided, excluded bool) {
	var segs []string
	for i := len(f.patterns) - 1; i >= 0; i-- {
		p := &f.patterns[i]
		if p.dirOnly && !isDir {
			continue
		}
		var ok bool
		if p.anchored {
			if segs == nil {
				segs = strings.Split(rel, "/")
			}
			ok = matchSegments(p.segments, segs)
		} else {
			ok, _ = path.Match(p.segments[0], path.Base(rel))
		}
		if ok {
			return true, !p.negate
		}
	}
	return false, false
}

// matchSegments matches a path's segments against a pattern's: `**` stands for any number of
// segments (at the end, at least one: `dir/**` is what is inside dir, not dir), every other
// segment for one, as path.Match reads it. It fills one row of a table per pattern segment, so a
// pattern of many `**` costs its length times the path's, not more.
func matchSegments(pat, segs []string) bool {
	// prev[j] is whether pat[:i] matches segs[:j].
	prev := make([]bool, len(segs)+1)
	cur := make([]bool, len(segs)+1)
	prev[0] = true
	for i, p := range pat {
		cur[0] = p == "**" && i < len(pat)-1 && prev[0]
		for j := 1; j <= len(segs); j++ {
			if p == "**" {
				cur[j] = cur[j-1] || prev[j-1] || (i < len(pat)-1 && prev[j])
			} else {
				ok, _ := path.Match(p, segs[j-1])
				cur[j] = ok && prev[j-1]
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(segs)]
}

// ignoreStack is the .gitignore files that apply in a folder of a walk: its own and its
// ancestors', up to the lint root.
type ignoreStack []*ignoreFile

// excludes reports whether the .gitignore files exclude abs: the deepest file that decides wins.
func (st ignoreStack) excludes(abs string, isDir bool) bool {
	for i := len(st) - 1; i >= 0; i-- {
		rel, ok := strings.CutPrefix(abs, st[i].dir+string(filepath.Separator))
		if !ok {
			continue
		}
		if decided, excluded := st[i].match(filepath.ToSlash(rel), isDir); decided {
			return excluded
		}
	}
	return false
}
