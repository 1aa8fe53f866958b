package filter

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/fsroot"
	"github.com/ekslint/ekslint/lint/load"
)

// BaselineVersion is the version of the baseline file's shape; it changes only when a field is
// removed or changes meaning.
const BaselineVersion = 1

// A Baseline is the findings a repository has accepted for now: `ekslint baseline` records them
// and `ekslint lint --baseline` hides them from --fail-on, so a team can adopt ekslint and fail
// only on what changes make worse. Findings are matched by fingerprint (rule, file, object, field
// path; no line numbers), so edits above a finding do not make it new.
type Baseline struct {
	// Name is the display path of the file the baseline was read from, for notes about it.
	Name     string            `json:"-"`
	Version  int               `json:"version"`
	Findings []BaselineFinding `json:"findings"`
	// read is what ParseBaseline keeps of the findings of a file, in place of Findings: a
	// baseline of 1.7 million findings held whole took 777 MB.
	read []recorded
}

// recorded is what a run compares of a finding in the baseline.
type recorded struct {
	Fingerprint string `json:"fingerprint"`
	File        string `json:"file"`
}

// recorded returns what the run compares of the baseline's findings: those read, or those made.
func (b *Baseline) recorded() []recorded {
	if b.read != nil || b.Findings == nil {
		return b.read
	}
	out := make([]recorded, len(b.Findings))
	for i, f := range b.Findings {
		out[i] = recorded{f.Fingerprint, f.File}
	}
	return out
}

// A BaselineFinding is one accepted finding: its fingerprint, and enough context to review the
// file in a pull request.
type BaselineFinding struct {
	Fingerprint string         `json:"fingerprint"`
	Rule        string         `json:"rule"`
	File        string         `json:"file"`
	Object      *lint.ObjectID `json:"object,omitempty"`
	Path        string         `json:"path,omitempty"`
	Message     string         `json:"message"`
}

// NewBaseline records the findings of res that are not suppressed. File paths are relative to
// root, so the baseline matches whatever folder ekslint runs from; wd is the folder display paths
// are relative to.
func NewBaseline(res *engine.Result, root, wd string) *Baseline {
	b := &Baseline{Version: BaselineVersion, Findings: []BaselineFinding{}}
	for i := range res.Findings {
		f := &res.Findings[i]
		if f.Suppression != nil {
			continue
		}
		rooted := rootRelative(f, root, wd)
		b.Findings = append(b.Findings, BaselineFinding{Fingerprint: rooted.Fingerprint(), Rule: f.Rule.ID,
			File: rooted.Pos.File, Object: f.Object.Identity(), Path: f.Path, Message: f.Message})
	}
	slices.SortStableFunc(b.Findings, func(a, b BaselineFinding) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Object.String(), b.Object.String()),
			cmp.Compare(a.Path, b.Path), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Message, b.Message))
	})
	return b
}

// rootRelative returns a copy of f whose file is relative to root, when it is inside it.
func rootRelative(f *engine.Finding, root, wd string) *engine.Finding {
	g := *f
	if rel, ok := relativeTo(root, wd, f.Pos.File); ok {
		g.Pos.File = rel
	}
	return &g
}

// Write writes the baseline as indented JSON.
func (b *Baseline) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(b)
}

// ReadBaseline reads a baseline file through root; display is how reports name it. A file that
// cannot be read or is not a baseline is a Problem at the line where it goes wrong.
func ReadBaseline(root *fsroot.Root, abs, display string) (*Baseline, *lint.Problem) {
	data, err := root.ReadFile(abs)
	if err != nil {
		return nil, &lint.Problem{Pos: lint.Pos{File: display}, Level: lint.Error,
			Message: load.ReadProblem(err) + "; record a baseline with `ekslint baseline`"}
	}
	return ParseBaseline(lint.NewText(display, data))
}

// ParseBaseline reads a baseline from t, a finding at a time, keeping of each what a run
// compares.
func ParseBaseline(t *lint.Text) (*Baseline, *lint.Problem) {
	bad := func(off int64, msg string) (*Baseline, *lint.Problem) {
		at := lint.Pos{File: t.Name}
		if off > 0 {
			// encoding/json's offsets count the bytes read up to and including the bad one.
			o := int(min(off-1, int64(len(t.Data))))
			at.Line, at.Column = t.LineAt(o), t.ColumnAt(o)
		}
		return nil, &lint.Problem{Pos: at, Level: lint.Error, Message: "not an ekslint baseline: " + msg}
	}
	dec := json.NewDecoder(bytes.NewReader(t.Data))
	failed := func(err error) (*Baseline, *lint.Problem) {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			// A Decoder counts a syntax error's offset from where it last compacted its buffer;
			// checking the whole text, as only a broken file needs, counts from its start.
			if errors.As(json.Unmarshal(t.Data, &struct{}{}), &syn) {
				return bad(syn.Offset, syn.Error())
			}
			return bad(0, err.Error())
		case errors.As(err, &typ):
			// The same for a value of the wrong type.
			var whole struct {
				Version  int        `json:"version"`
				Findings []recorded `json:"findings"`
			}
			errors.As(json.Unmarshal(t.Data, &whole), &typ)
			return bad(typ.Offset, fmt.Sprintf("%s is %s, want %s", typ.Field, typ.Value, typ.Type))
		case errors.Is(err, io.EOF):
			return bad(dec.InputOffset(), "unexpected end of JSON input")
		}
		return bad(dec.InputOffset(), err.Error())
	}
	delim := func(want json.Delim) error {
		tok, err := dec.Token()
		if err == nil && tok != want {
			err = fmt.Errorf("%v where %v belongs", tok, want)
		}
		return err
	}
	b := &Baseline{Name: t.Name, read: []recorded{}}
	if err := delim('{'); err != nil {
		return failed(err)
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return failed(err)
		}
		switch key {
		case "version":
			err = dec.Decode(&b.Version)
		case "findings":
			if err = delim('['); err != nil {
				break
			}
			b.read = make([]recorded, 0, bytes.Count(t.Data, []byte(`"fingerprint"`)))
			for err == nil && dec.More() {
				var f recorded
				if err = dec.Decode(&f); err == nil && f.Fingerprint == "" {
					return bad(0, fmt.Sprintf("findings[%d] has no fingerprint", len(b.read)))
				}
				b.read = append(b.read, f)
			}
			if err == nil {
				err = delim(']')
			}
		default:
			var skipped json.RawMessage
			err = dec.Decode(&skipped)
		}
		if err != nil {
			return failed(err)
		}
	}
	if err := delim('}'); err != nil {
		return failed(err)
	}
	if b.Version != BaselineVersion {
		return bad(0, fmt.Sprintf("version %d; this ekslint reads version %d (record it again with `ekslint baseline`)", b.Version, BaselineVersion))
	}
	return b, nil
}

// compare marks each finding of res "unchanged" when the baseline holds it and "new" when it does
// not. A fingerprint recorded n times covers n findings. Baseline findings in files this run read
// that are gone are counted in a note, so that the baseline shrinks as they are fixed.
func (b *Baseline) compare(res *engine.Result, root, wd string) {
	recorded := b.recorded()
	left := make(map[string]int, len(recorded))
	for _, f := range recorded {
		left[f.Fingerprint]++
	}
	for i := range res.Findings {
		f := &res.Findings[i]
		fp := rootRelative(f, root, wd).Fingerprint()
		if left[fp] > 0 {
			left[fp]--
			f.Baseline = engine.BaselineUnchanged
		} else {
			f.Baseline = engine.BaselineNew
		}
	}
	read := map[string]bool{}
	for _, name := range res.Sources.Names() {
		if rel, ok := relativeTo(root, wd, name); ok {
			read[rel] = true
		}
	}
	gone := 0
	for _, f := range recorded {
		if left[f.Fingerprint] > 0 && read[f.File] {
			left[f.Fingerprint]--
			gone++
		}
	}
	if gone > 0 {
		res.Problems = append(res.Problems, lint.Problem{Pos: lint.Pos{File: b.Name}, Level: lint.Note, Message: fmt.Sprintf(
			"%d of its findings are fixed; record the baseline again with `ekslint baseline` so they cannot come back unnoticed", gone)})
		slices.SortStableFunc(res.Problems, func(a, b lint.Problem) int { return a.Pos.Compare(b.Pos) })
	}
}
