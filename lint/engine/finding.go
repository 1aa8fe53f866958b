package engine

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/ekslint/ekslint/lint"
)

// A Finding is one thing wrong with one object, at the place a person edits to fix it.
type Finding struct {
	Rule    *lint.Rule
	Message string
	lint.Place
	// Variants lists the Helm value sets or Kustomize overlays that produced the same finding at
	// the same place.
	Variants []string
	// Suppression is set when an inline ignore covers the finding. Suppressed findings do not
	// count for --fail-on but stay in SARIF, marked, rather than disappearing.
	Suppression *Suppression
	// Level and Baseline are last, together: a run may hold half a million findings, and packed
	// they take one word, not two.
	Level lint.Level
	// Baseline is BaselineNew or BaselineUnchanged when the run compares against a baseline.
	Baseline BaselineState
	// sharedFile is set when the finding's file is built by several variants: a base several
	// overlays include, a template several value sets render.
	sharedFile bool
}

// NamedVariants are the variants a report names with the finding: those that produced it when
// its file is built by several, so that a reader of a shared base or template can tell which
// overlay or value set to look at. A file only one variant builds names none.
func (f *Finding) NamedVariants() []string {
	if len(f.Variants) > 1 || f.sharedFile {
		return f.Variants
	}
	return nil
}

// Counted reports whether the finding counts for --fail-on and the totals, and is listed in
// the text and GitHub reports: it is neither suppressed nor already in the baseline.
func (f *Finding) Counted() bool { return f.Suppression == nil && f.Baseline != BaselineUnchanged }

// Suppression says why a finding is not counted.
type Suppression struct {
	// Kind is "annotation" (ekslint.io/ignore) or "comment" (# ekslint:ignore).
	Kind          string
	Justification string
}

// Fingerprint identifies a finding independently of line numbers: rule, file, object and field
// path. Baselines and SARIF partialFingerprints use it, so they survive edits above the finding.
func (f *Finding) Fingerprint() string {
	h := sha256.New()
	for _, s := range []string{f.Rule.ID, f.Pos.File, f.Object.String(), f.Path} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// BaselineState says how a finding compares with the baseline: NotCompared when the run has none.
type BaselineState uint8

const (
	NotCompared BaselineState = iota
	BaselineNew
	BaselineUnchanged
)

// String is the state as SARIF's baselineState and the JSON report write it; "" for NotCompared.
func (s BaselineState) String() string {
	return [...]string{NotCompared: "", BaselineNew: "new", BaselineUnchanged: "unchanged"}[s]
}
