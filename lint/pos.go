package lint

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
)

// Pos is a range in the file a person edits: the raw manifest, the Helm template, the Kustomize
// base or patch. Lines and columns count from 1, columns in characters; the end is exclusive
// (EndColumn is the column just after the last character), as in SARIF regions.
type Pos struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine"`
	EndColumn int    `json:"endColumn"`
}

func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	if p.Column == 0 {
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column)
}

// Compare orders positions by file, line and column, as slices.SortFunc wants.
func (p Pos) Compare(q Pos) int {
	return cmp.Or(cmp.Compare(p.File, q.File), cmp.Compare(p.Line, q.Line), cmp.Compare(p.Column, q.Column))
}

// Location is a position with a word on why it matters: a SARIF related location such as the key
// in values.yaml that set a rendered field.
type Location struct {
	Pos     Pos    `json:"pos"`
	Message string `json:"message"`
}

// Place is where a finding lands: the position, the object it is about and the field path in that
// object. Set rules keep Places (not Nodes) between collecting and checking, so that the objects
// themselves can be dropped.
type Place struct {
	Pos     Pos
	Related []Location
	Object  *ObjectRef
	Path    string
}

// ObjectRef is what findings keep of the object they are about once the object and its YAML are
// gone. There is one per object, shared by all its Places: a run may hold a Place for each of
// 100k objects in several set rules, so what every Place of an object shares is kept here once.
type ObjectRef struct {
	ObjectID
	// Variant is the Helm value set or Kustomize overlay the object was built by, if any.
	Variant string
	// Ignores are the object's ekslint.io/ignore annotations: a finding honours them wherever and
	// whenever it is reported.
	Ignores []*Ignore
}

// String names the object, "" for a Place without one.
func (r *ObjectRef) String() string { return r.Identity().String() }

// Identity is the object's ObjectID, or nil for a Place without an object.
func (r *ObjectRef) Identity() *ObjectID {
	if r == nil {
		return nil
	}
	return &r.ObjectID
}

// ObjectID names an object independently of where it sits in a file: it is what fingerprints and
// baselines use, so they survive edits above the object.
type ObjectID struct {
	APIVersion string `json:"apiVersion,omitempty"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name"`
}

// Generated reports whether the object leaves its name to the API server (metadata.generateName):
// every such object is distinct, even where two share a generateName.
func (id *ObjectID) Generated() bool { return strings.HasSuffix(id.Name, "*") }

// String names the object as fingerprints and sorting know it, `Deployment shop/web`; messages
// use Describe.
func (id *ObjectID) String() string {
	if id == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString(id.Kind)
	b.WriteByte(' ')
	if id.Namespace != "" {
		b.WriteString(id.Namespace)
		b.WriteByte('/')
	}
	b.WriteString(id.Name)
	return b.String()
}

// noName stands in messages for the name of an object that has none (a partial manifest, a
// patch): `Pod (no name)` says what is missing, where `Pod ""` and `Pod :` read as a slip.
const noName = "(no name)"

// QuoteName writes an object's name as messages quote it, `"web"`, or `(no name)` when it has none.
func QuoteName(name string) string {
	if name == "" {
		return noName
	}
	return strconv.Quote(name)
}

// Describe names the object in a problem's message: `Deployment shop/web`, and `Pod (no name)`
// for an object without a name. String leaves the name empty, as the fingerprints of findings
// recorded in baselines have it.
func (id *ObjectID) Describe() string {
	if id != nil && id.Name == "" {
		named := *id
		named.Name = noName
		return named.String()
	}
	return id.String()
}

// A Problem is an input that could not be read or linted as written (Level Error: the run exits
// with 2), or, as a Note, something skipped on purpose that a person may want to know about.
type Problem struct {
	Pos     Pos
	Level   Level
	Message string
	// Subject is how Message names the object the problem is about ("Deployment o1-web", which
	// begins it), or empty. Builds of one source name an object each their own way (an overlay's
	// namePrefix, a chart's release name): the engine reports a problem they share once, at its
	// position, comparing messages without their subject.
	Subject string
}

func (p Problem) String() string { return p.Pos.String() + ": " + p.Message }

// A Skip is something left out on purpose, with why: a YAML file of another tool, a document that
// is not a manifest, a folder of other people's files. Skips are not problems and do not change
// the exit status; `ekslint lint --verbose` lists them.
type Skip struct {
	Pos    Pos
	Reason string
}

func (s Skip) String() string { return s.Pos.String() + ": " + s.Reason }

// Compare orders skips by position, then reason: loaders skip in whatever order they finish.
func (s Skip) Compare(o Skip) int {
	return cmp.Or(s.Pos.Compare(o.Pos), cmp.Compare(s.Reason, o.Reason))
}
