package helm

import (
	"bytes"
	"slices"
	"strings"
	"unicode"
)

// How a rendered line found its template line.
const (
	unknown  uint8 = iota // no marker anywhere in the file
	exact                 // a marker on the line itself
	action                // the next marker: the line is output of that line's action (include, toYaml, tpl)
	fallback              // the previous marker: nothing after the line named one
)

// lineOrigin is the template line a rendered line came from.
type lineOrigin struct {
	file int32 // marker file id
	line int32 // from 1; 0 when unknown
	how  uint8
}

// stripped is a rendered file with its markers removed and the origin of each of its lines.
type stripped struct {
	text []byte
	// lines are the origins in top-level text, by rendered line - 1: for a line a helper wrote,
	// the line that includes it.
	lines []lineOrigin
	// helpers are, for the lines a helper wrote whole (see mark.go), the lines of the helper that
	// wrote them: exact or action as for lines, fallback for a line that only names the helper
	// (no line of it wrote or comes after the line); nil when the file holds no helper's text.
	helpers []lineOrigin
	// instance is, by rendered line - 1, the include that wrote all of the line (the innermost;
	// 0 for none), when helpers is not nil.
	instance []int32
	// parent and includedAt are, by include, the include whose helper's text holds it (0 for
	// top-level text) and, in that helper, the line that includes it: for nested helpers, the
	// chain of includes that led to a line.
	parent     []int32
	includedAt []lineOrigin
	// suspect means the text may differ from a plain render: removing markers joined text into
	// a "<no value>", which Helm removes from its output before the markers were.
	suspect bool
}

// helperMarker is a marker of a helper's line, in the text an include of the helper wrote.
type helperMarker struct {
	line   int // rendered line - 1
	origin lineOrigin
}

// strip removes the markers from a rendered file and maps its lines.
//
// Top-level text: a line takes the first top-level marker on it; a line without one takes the
// next in the file (it is output of that line's action: an include, toYaml or tpl); lines after
// the last marker take the previous one.
//
// Helpers: the text an include writes as it is lies between a begin and an end marker, and
// carries the markers of the helper's lines (nested includes nest). A line all of whose text is
// inside such an include takes, of the innermost include that holds all of it, the first helper
// marker on the line, else the next one that include wrote.
func strip(out, token string) stripped {
	prefix := markerPrefix(token)
	var s stripped
	if !strings.Contains(out, prefix) {
		s.text = []byte(out)
		s.lines = make([]lineOrigin, bytes.Count(s.text, []byte{'\n'})+1)
		return s
	}
	s.text = make([]byte, 0, len(out))
	n := strings.Count(out, "\n") + 1
	s.lines = make([]lineOrigin, 1, n)
	// Each include a helper's text was written by is an instance (0 is the top level), with its
	// parent instance and level of nesting; of each line, the innermost instance that holds all
	// its text (-1 for a line without any).
	open := []int32{0}
	parent, level := []int32{-1}, []int32{0}
	spans := []defineLines{{}}
	within := []int32{-1}
	markers := map[int32][]helperMarker{}
	// closedAt is, by include, how many markers its parent had when it ended: the next one is
	// the parent's line that included it.
	closedAt := []int{0}
	cur := 0
	copyText := func(t string) {
		s.text = append(s.text, t...)
		for {
			i := strings.IndexByte(t, '\n')
			piece := t
			if i >= 0 {
				piece = t[:i]
			}
			if strings.TrimLeft(piece, " \t\r") != "" {
				in := open[len(open)-1]
				if w := within[cur]; w >= 0 {
					for in != w {
						if level[in] >= level[w] {
							in = parent[in]
						} else {
							w = parent[w]
						}
					}
				}
				within[cur] = in
			}
			if i < 0 {
				return
			}
			s.lines = append(s.lines, lineOrigin{})
			within = append(within, -1)
			cur++
			t = t[i+1:]
		}
	}
	for {
		i := strings.Index(out, prefix)
		if i < 0 {
			copyText(out)
			break
		}
		copyText(out[:i])
		rest := out[i+len(prefix):]
		if span, n, ok := parseRegion(rest); ok {
			if rest[0] == beginMark {
				in := int32(len(parent))
				parent, level = append(parent, open[len(open)-1]), append(level, int32(len(open)))
				spans = append(spans, span)
				closedAt = append(closedAt, -1)
				open = append(open, in)
			} else if len(open) > 1 {
				in := open[len(open)-1]
				closedAt[in] = len(markers[parent[in]])
				open = open[:len(open)-1]
			}
			out = rest[n:]
			continue
		}
		file, sep, line, n, ok := parseMarker(rest)
		if !ok {
			copyText(out[i : i+len(prefix)])
			out = rest
			continue
		}
		o := lineOrigin{file: int32(file), line: int32(line), how: exact}
		switch in := open[len(open)-1]; {
		case sep == topMark && in == 0 && s.lines[cur].line == 0:
			s.lines[cur] = o
		case sep == helperMark && spans[in].holds(o):
			markers[in] = append(markers[in], helperMarker{cur, o})
		}
		out = rest[n:]
	}
	var next lineOrigin
	for i := len(s.lines) - 1; i >= 0; i-- {
		if s.lines[i].how == exact {
			next = s.lines[i]
			next.how = action
			continue
		}
		s.lines[i] = next
	}
	var prev lineOrigin
	for i := range s.lines {
		switch s.lines[i].how {
		case exact:
			prev = s.lines[i]
			prev.how = fallback
		case unknown:
			s.lines[i] = prev
		}
	}
	if len(markers) > 0 {
		s.helpers = make([]lineOrigin, len(s.lines))
		s.instance = make([]int32, len(s.lines))
		for i, in := range within {
			if in > 0 {
				s.helpers[i] = helperOrigin(markers[in], i)
				s.instance[i] = in
			}
		}
		s.parent, s.includedAt = parent, make([]lineOrigin, len(parent))
		for in, p := range parent {
			if ms := markers[p]; p > 0 && closedAt[in] >= 0 && closedAt[in] < len(ms) {
				s.includedAt[in] = ms[closedAt[in]].origin
			}
		}
	}
	s.suspect = bytes.Contains(s.text, []byte(noValue))
	return s
}

// helperOrigin is the origin of rendered line i (- 1) in the helper whose include wrote ms: the
// first marker on the line, else the next, else the previous as fallback.
func helperOrigin(ms []helperMarker, i int) lineOrigin {
	k, _ := slices.BinarySearchFunc(ms, i, func(m helperMarker, i int) int { return m.line - i })
	switch {
	case k < len(ms) && ms[k].line == i:
		return ms[k].origin
	case k < len(ms):
		o := ms[k].origin
		o.how = action
		return o
	case k > 0:
		o := ms[k-1].origin
		o.how = fallback
		return o
	}
	return lineOrigin{}
}

// defineLines are the lines of a define in a file: from its action to its end.
type defineLines struct{ file, first, last int32 }

// holds reports whether o is a line of the define; never for the zero defineLines.
func (d defineLines) holds(o lineOrigin) bool {
	return d.last > 0 && o.file == d.file && d.first <= o.line && o.line <= d.last
}

// parseRegion reads the marker that starts ("<", the define's lines, "@") or ends (">@") the text
// an include of a helper wrote, and returns the define's lines, if known, and the bytes read.
func parseRegion(s string) (span defineLines, n int, ok bool) {
	if len(s) < 2 || s[0] != beginMark && s[0] != endMark {
		return span, 0, false
	}
	if s[1] == '@' {
		return span, 2, true
	}
	if s[0] == endMark {
		return span, 0, false
	}
	file, i := base36(s, 1)
	if i == 1 || i >= len(s) || s[i] != '.' {
		return span, 0, false
	}
	first, j := base36(s, i+1)
	if j == i+1 || j >= len(s) || s[j] != '.' {
		return span, 0, false
	}
	last, k := base36(s, j+1)
	if k == j+1 || k >= len(s) || s[k] != '@' {
		return span, 0, false
	}
	return defineLines{int32(file), int32(first), int32(last)}, k + 1, true
}

// parseMarker reads "<file><sep><line>@" (base 36) and returns what it says and the bytes read.
func parseMarker(s string) (file int, sep byte, line, n int, ok bool) {
	file, i := base36(s, 0)
	if i == 0 || i >= len(s) || s[i] != topMark && s[i] != helperMark {
		return 0, 0, 0, 0, false
	}
	line, j := base36(s, i+1)
	if j == i+1 || j >= len(s) || s[j] != '@' {
		return 0, 0, 0, 0, false
	}
	return file, s[i], line, j + 1, true
}

// base36 reads a number of at most 8 base-36 digits at s[i:] and returns it and where it ends.
func base36(s string, i int) (int, int) {
	v := 0
	for start := i; i < len(s) && i-start < 8; i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			v = v*36 + int(c-'0')
		case 'a' <= c && c <= 'z':
			v = v*36 + int(c-'a') + 10
		default:
			return v, i
		}
	}
	return v, i
}

// trimMarked is strings.TrimSpace of s with its markers stripped, the markers kept: it removes
// the Unicode spaces at either end of s's text, passing over the markers among them (a helper's
// text may end in the end marker of a template action it made, after spaces).
func trimMarked(s, token string) string {
	prefix := markerPrefix(token)
	// pieces are s cut at its markers; a marker is a piece of its own.
	type piece struct {
		text   string
		marker bool
	}
	var pieces []piece
	for rest := s; rest != ""; {
		i := strings.Index(rest, prefix)
		if i < 0 {
			pieces = append(pieces, piece{rest, false})
			break
		}
		n := 0
		if _, m, ok := parseRegion(rest[i+len(prefix):]); ok {
			n = m
		} else if _, _, _, m, ok := parseMarker(rest[i+len(prefix):]); ok {
			n = m
		}
		if n == 0 { // not a marker: text
			pieces = append(pieces, piece{rest[:i+len(prefix)], false})
			rest = rest[i+len(prefix):]
			continue
		}
		pieces = append(pieces, piece{rest[:i], false}, piece{rest[i : i+len(prefix)+n], true})
		rest = rest[i+len(prefix)+n:]
	}
	first, last := len(pieces), -1
	for k, p := range pieces {
		if !p.marker && strings.TrimSpace(p.text) != "" {
			first, last = min(first, k), k
		}
	}
	var b strings.Builder
	b.Grow(len(s))
	for k, p := range pieces {
		switch {
		case p.marker:
			b.WriteString(p.text)
		case k == first && k == last:
			b.WriteString(strings.TrimSpace(p.text))
		case k == first:
			b.WriteString(strings.TrimLeftFunc(p.text, unicode.IsSpace))
		case k == last:
			b.WriteString(strings.TrimRightFunc(p.text, unicode.IsSpace))
		case k > first && k < last:
			b.WriteString(p.text)
		}
	}
	return b.String()
}

// stripAll removes every marker from s.
func stripAll(s, token string) string {
	prefix := markerPrefix(token)
	if !strings.Contains(s, prefix) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for {
		i := strings.Index(s, prefix)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		rest := s[i+len(prefix):]
		if _, n, ok := parseRegion(rest); ok {
			s = rest[n:]
			continue
		}
		_, _, _, n, ok := parseMarker(rest)
		if !ok {
			b.WriteString(prefix)
			s = rest
			continue
		}
		s = rest[n:]
	}
}
