package report

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// printable escapes what a terminal, a log viewer or a reader would not show as written: control
// characters (ESC starts a terminal sequence, CR overwrites the line, LF starts a forged one),
// line and paragraph separators, and bidirectional overrides, which reorder what a reviewer
// reads. File names, messages and source lines come from the linted repository; every text
// report writes them through printable.
func printable(s string) string {
	i := strings.IndexFunc(s, unprintable)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.WriteString(s[:i])
	for _, r := range s[i:] {
		switch {
		case !unprintable(r):
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

// leading is printable for what starts a line of text output, a file's path: one that starts
// with `::` is written `./::…`, since GitHub Actions reads a line of a job's log that starts so as
// a workflow command (a file named `::stop-commands::x.yaml` would turn its commands off).
func leading(s string) string {
	if strings.HasPrefix(s, "::") {
		s = "./" + s
	}
	return printable(s)
}

// printableLines is printable for text whose line breaks are meant, such as an annotation's
// message, which the workflow command escapes itself.
func printableLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = printable(l)
	}
	return strings.Join(lines, "\n")
}

func unprintable(r rune) bool {
	switch {
	case r < 0x20 && r != '\t', r == 0x7f, r >= 0x80 && r < 0xa0:
		return true
	case r == '\u2028', r == '\u2029', r == '\ufeff', r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
		return true
	}
	return r == unicode.ReplacementChar
}

// tabWidth is where a terminal puts tab stops.
const tabWidth = 8

// displayColumns returns s with tabs expanded and, for each rune of s, the display column (from 0)
// it starts at: CJK and other wide characters take two columns, combining marks none.
func displayColumns(s string) (expanded string, starts []int) {
	var b strings.Builder
	col := 0
	for _, r := range s {
		starts = append(starts, col)
		switch {
		case r == '\t':
			n := tabWidth - col%tabWidth
			b.WriteString(strings.Repeat(" ", n))
			col += n
			continue
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r):
		case wide(r):
			col += 2
		default:
			col++
		}
		b.WriteRune(r)
	}
	return b.String(), append(starts, col)
}

func wide(r rune) bool {
	k := width.LookupRune(r).Kind()
	return k == width.EastAsianWide || k == width.EastAsianFullwidth
}
