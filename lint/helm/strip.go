package helm

import (
	"bytes"
	"strings"
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
	text  []byte
	lines []lineOrigin // by rendered line - 1
	// suspect means the text may differ from a plain render: removing markers joined text into
	// a "<no value>", which Helm removes from its output before the markers were.
	suspect bool
}

// strip removes the markers from a rendered file and maps its lines: a line takes the first marker
// on it; a line without one takes the next marker in the file (it is output of that line's action:
// an include, toYaml or tpl); lines after the last marker take the previous one.
func strip(out, token string) stripped {
	prefix := markerPrefix(token)
	var s stripped
	if !strings.Contains(out, prefix) {
		s.text = []byte(out)
		s.lines = make([]lineOrigin, bytes.Count(s.text, []byte{'\n'})+1)
		return s
	}
	s.text = make([]byte, 0, len(out))
	s.lines = make([]lineOrigin, 1, strings.Count(out, "\n")+1)
	cur := 0
	copyText := func(t string) {
		s.text = append(s.text, t...)
		for n := strings.Count(t, "\n"); n > 0; n-- {
			s.lines = append(s.lines, lineOrigin{})
			cur++
		}
	}
	for {
		i := strings.Index(out, prefix)
		if i < 0 {
			copyText(out)
			break
		}
		copyText(out[:i])
		file, line, n, ok := parseMarker(out[i+len(prefix):])
		if !ok {
			copyText(out[i : i+len(prefix)])
			out = out[i+len(prefix):]
			continue
		}
		if s.lines[cur].line == 0 {
			s.lines[cur] = lineOrigin{file: int32(file), line: int32(line), how: exact}
		}
		out = out[i+len(prefix)+n:]
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
	s.suspect = bytes.Contains(s.text, []byte(noValue))
	return s
}

// parseMarker reads "<file>.<line>@" (base 36) and returns the numbers and the bytes read.
func parseMarker(s string) (file, line, n int, ok bool) {
	file, i := base36(s, 0)
	if i == 0 || i >= len(s) || s[i] != '.' {
		return 0, 0, 0, false
	}
	line, j := base36(s, i+1)
	if j == i+1 || j >= len(s) || s[j] != '@' {
		return 0, 0, 0, false
	}
	return file, line, j + 1, true
}

func base36(s string, i int) (int, int) {
	v := 0
	for ; i < len(s) && i < 16; i++ {
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
		_, _, n, ok := parseMarker(s[i+len(prefix):])
		if !ok {
			b.WriteString(prefix)
			s = s[i+len(prefix):]
			continue
		}
		s = s[i+len(prefix)+n:]
	}
}
