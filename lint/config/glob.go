package config

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// A Pattern is a path pattern of the ignore list, with gitignore's rules for where it matches:
// `*` is any run of characters but `/`, `?` one such character, `[a-z]` a class, and `**` any
// number of folders (`vendor/**`, `**/testdata/**`). A pattern without a `/` (a trailing one
// aside) matches a name in any folder (`*.generated.yaml`); a pattern with one matches from the
// lint root (`deploy/legacy/*.yaml`; a leading `/` only anchors). A pattern that matches a folder
// matches everything in it (`vendor` is `vendor/**`).
type Pattern struct {
	// Glob is the pattern as written.
	Glob string
	re   *regexp.Regexp
}

// A pattern is matched against every path of the run, in time its length times the wildcards
// it holds: one of 100,000 stars took a second a file. No path is longer than maxPatternLength,
// and real patterns hold a few wildcards.
const (
	maxPatternLength    = 4096
	maxPatternWildcards = 32
)

// CompilePattern reads a pattern.
func CompilePattern(glob string) (Pattern, error) {
	s := strings.TrimPrefix(glob, "./")
	switch {
	case len(s) > maxPatternLength:
		return Pattern{}, fmt.Errorf("pattern of %d bytes, longer than any path (%d)", len(s), maxPatternLength)
	case strings.Count(s, "*")+strings.Count(s, "?")+strings.Count(s, "[") > maxPatternWildcards:
		return Pattern{}, fmt.Errorf("more than %d wildcards in a pattern", maxPatternWildcards)
	case strings.TrimSpace(s) == "":
		return Pattern{}, errors.New("empty pattern")
	case strings.HasPrefix(s, "!"):
		return Pattern{}, errors.New("negated patterns (!) are not supported; narrow the pattern instead")
	case s == ".." || strings.HasPrefix(s, "../") || strings.Contains(s, "/../") || strings.HasSuffix(s, "/.."):
		return Pattern{}, errors.New("patterns are relative to the lint root; .. matches nothing")
	}
	anchored := strings.HasPrefix(s, "/")
	s = strings.TrimSuffix(strings.TrimPrefix(s, "/"), "/")
	var b strings.Builder
	if !anchored && !strings.Contains(s, "/") {
		b.WriteString("(?:.*/)?")
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '*':
			if i+1 < len(s) && s[i+1] == '*' && (i == 0 || s[i-1] == '/') && (i+2 == len(s) || s[i+2] == '/') {
				if i+2 < len(s) {
					b.WriteString("(?:.*/)?") // **/ : any number of folders, even none
					i += 2
				} else {
					b.WriteString(".*") // trailing **: everything below
					i++
				}
				continue
			}
			b.WriteString("[^/]*")
		case '?':
			b.WriteString("[^/]")
		case '[':
			end := strings.IndexByte(s[i+1:], ']')
			if end < 0 {
				return Pattern{}, errors.New("unterminated [ in pattern")
			}
			class := s[i+1 : i+1+end]
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			b.WriteString("[" + strings.ReplaceAll(class, `\`, `\\`) + "]")
			i += end + 1
		case '\\':
			if i+1 < len(s) {
				i++
				b.WriteString(regexp.QuoteMeta(s[i : i+1]))
			}
		default:
			b.WriteString(regexp.QuoteMeta(s[i : i+1]))
		}
	}
	re, err := regexp.Compile("^" + b.String() + "(?:/.*)?$")
	if err != nil {
		return Pattern{}, errors.New("bad pattern: " + err.Error())
	}
	return Pattern{Glob: glob, re: re}, nil
}

// Match reports whether a path (slash-separated, relative to the lint root) matches.
func (p Pattern) Match(rel string) bool { return p.re != nil && p.re.MatchString(rel) }
