package lint

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Inline suppressions come in two forms that work the same for every input: an annotation on the
// object, and a comment at the line a finding lands on. Both name rule ids; neither accepts "all",
// so that each suppression says what it hides and a stale one can be reported (unused-ignore).
const (
	// IgnoreAnnotation lists the rules an object turns off for itself: `ekslint.io/ignore:
	// "rule-a,rule-b"`, on the object or on its pod template.
	IgnoreAnnotation = "ekslint.io/ignore"
	// IgnoreReasonAnnotation says why; it becomes the suppression's justification.
	IgnoreReasonAnnotation = "ekslint.io/ignore-reason"
	// IgnoreComment starts a comment that suppresses findings on its line (or, written on a line
	// of its own, on the next line): `# ekslint:ignore rule-a,rule-b -- reason`.
	IgnoreComment = "ekslint:ignore"
)

// Suppression kinds, as Suppression.Kind carries them.
const (
	ByAnnotation = "annotation"
	ByComment    = "comment"
)

// An Ignore is one inline suppression: an ekslint.io/ignore annotation or an # ekslint:ignore
// comment.
type Ignore struct {
	// Kind is ByAnnotation or ByComment.
	Kind string
	// Rules are the rule ids it names, as written.
	Rules []string
	// Reason is the ignore-reason annotation or the text after " -- " in a comment.
	Reason string
	// Pos is where it is written: the annotation, or the comment from its '#'.
	Pos Pos
	// Object and Path are the annotated object and the annotation's field path; unset for comments.
	Object *ObjectRef
	Path   string
	// OwnLine is set for a comment alone on its line, which covers the next line instead.
	OwnLine bool
}

// readIgnores reads an object's ekslint.io/ignore annotations: on the object itself and on its
// pod template, which covers the whole workload too (many charts let a user set pod annotations
// and nothing else). The engine reads them once per object, before rules run, and every Place of
// the object carries them, so findings of set rules, reported after the object is gone, still
// honour them.
func readIgnores(o *Object) []*Ignore {
	metas := []Node{o.Get("metadata")}
	if t := o.PodTemplate(); t.Exists() && t.Path() != "" {
		metas = append(metas, t.Get("metadata"))
	}
	var out []*Ignore
	for _, m := range metas {
		n := m.Get("annotations", IgnoreAnnotation)
		if !n.Exists() {
			continue
		}
		out = append(out, &Ignore{
			Kind:   ByAnnotation,
			Rules:  splitRuleIDs(n.Str()),
			Reason: strings.TrimSpace(m.Get("annotations", IgnoreReasonAnnotation).Str()),
			Pos:    n.Place().Pos,
			Object: o.ref,
			Path:   n.Path(),
		})
	}
	return out
}

// splitRuleIDs splits a list of rule ids written with commas, spaces or both.
func splitRuleIDs(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
}

// ignoreCommentRE finds an ignore comment: a '#' that starts a YAML comment (at the start of the
// line or after a space), the marker, then the rest of the line.
var ignoreCommentRE = regexp.MustCompile(`(?:^|[ \t])(#[ \t]*` + regexp.QuoteMeta(IgnoreComment) + `)(?:[ \t]+(.*?))?[ \t]*$`)

var ignoreMarker = []byte(IgnoreComment)

// parseIgnoreComment reads an ignore comment from one line of a file, or returns nil.
func parseIgnoreComment(file string, line int, text []byte) *Ignore {
	m := ignoreCommentRE.FindSubmatchIndex(text)
	if m == nil {
		return nil
	}
	start := m[2]
	var args string
	if m[4] >= 0 {
		args = string(text[m[4]:m[5]])
	}
	ids, reason, _ := strings.Cut(args, "--")
	return &Ignore{
		Kind:   ByComment,
		Rules:  splitRuleIDs(ids),
		Reason: strings.TrimSpace(reason),
		Pos: Pos{File: file, Line: line, Column: utf8.RuneCount(text[:start]) + 1,
			EndLine: line, EndColumn: utf8.RuneCount(text) + 1},
		OwnLine: len(bytes.TrimSpace(text[:start])) == 0,
	}
}

// IgnoreComments finds every ignore comment in t, by line.
func IgnoreComments(t *Text) map[int]*Ignore {
	var out map[int]*Ignore
	for off := 0; off < len(t.Data); {
		// A comment starts with '#', far rarer in a chart or manifest than the marker's first
		// letter: searching for it and then the marker after it reads text at memory speed.
		i := bytes.IndexByte(t.Data[off:], '#')
		if i < 0 {
			break
		}
		hash := off + i
		if !bytes.HasPrefix(bytes.TrimLeft(t.Data[hash+1:], " \t"), ignoreMarker) {
			off = hash + 1
			continue
		}
		line := t.LineAt(hash)
		if ig := parseIgnoreComment(t.Name, line, t.Line(line)); ig != nil {
			if out == nil {
				out = map[int]*Ignore{}
			}
			out[line] = ig
		}
		off = t.nextLineStart(hash) // one comment per line
	}
	return out
}

// Covers reports whether the ignore names rule id.
func (ig *Ignore) Covers(id string) bool { return slices.Contains(ig.Rules, id) }
