package helm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
	schemakind "github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"

	"github.com/ekslint/ekslint/lint"
)

// maxSchemaProblems bounds the problems one schema reports.
const maxSchemaProblems = 10

// validateSchemas checks the values against each chart's values.schema.json as Helm does, with one
// difference: Helm's validator loads every $ref it meets, from the network (http, https) and from
// the disk (any file path). Here no reference is loaded: a schema that needs one is not checked,
// and a Note says so.
func (r *rendering) validateSchemas(c *chart.Chart, values map[string]any, chain []link, sources map[*common.File]*source) []lint.Problem {
	src := sources[c.Raw[0]]
	chain = append(slices.Clip(chain), link{src: src, name: c.Name()})
	var ps []lint.Problem
	if c.Schema != nil && src != nil {
		ps = append(ps, r.validateSchema(src, c.Schema, values, chain)...)
	}
	for _, sub := range c.Dependencies() {
		raw, ok := values[sub.Name()]
		if !ok || raw == nil {
			continue
		}
		sv, ok := raw.(map[string]any)
		if !ok {
			at := lint.Pos{File: src.display}
			if loc := r.valuesKey(chain, []string{sub.Name()}); loc != nil {
				at = loc.Pos
			}
			ps = append(ps, lint.Problem{Pos: at, Level: lint.Error, Message: fmt.Sprintf(
				"values for subchart %s must be a mapping, not %T", sub.Name(), raw)})
			continue
		}
		ps = append(ps, r.validateSchemas(sub, sv, chain, sources)...)
	}
	return ps
}

func (r *rendering) validateSchema(src *source, schema []byte, values map[string]any, chain []link) []lint.Problem {
	schemaFile := src.byName["values.schema.json"]
	at := lint.Pos{File: src.display}
	if schemaFile != nil {
		at.File = schemaFile.text.Name
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema))
	if err != nil {
		return []lint.Problem{{Pos: at, Level: lint.Error, Message: "values.schema.json is not valid JSON: " + err.Error()}}
	}
	if n, ok := hugeNumber(doc); ok {
		return []lint.Problem{{Pos: at, Level: lint.Error, Message: fmt.Sprintf(
			"values.schema.json holds the number %s, too large for a schema validator (Helm's too) to work with: "+
				"values were not checked against this schema", truncate(n))}}
	}
	refs := &refusingLoader{}
	patterns := &boundedPatterns{}
	compiler := jsonschema.NewCompiler()
	compiler.UseLoader(refs)
	compiler.UseRegexpEngine(patterns.compile)
	if err := compiler.AddResource("file:///values.schema.json", doc); err != nil {
		return []lint.Problem{{Pos: at, Level: lint.Error, Message: "values.schema.json: " + err.Error()}}
	}
	validator, err := compiler.Compile("file:///values.schema.json")
	if len(refs.urls) > 0 {
		return []lint.Problem{{Pos: at, Level: lint.Note, Message: fmt.Sprintf(
			"values.schema.json refers to %s; ekslint does not follow schema references (Helm would fetch or read them), so values were not checked against this schema",
			strings.Join(refs.urls, ", "))}}
	}
	if err != nil {
		return []lint.Problem{{Pos: at, Level: lint.Error, Message: "values.schema.json does not compile: " + err.Error()}}
	}
	enums, scalars := countOf(doc, "enum"), countOf(map[string]any(values), "")
	if enums*scalars > maxEnumComparisons {
		return []lint.Problem{{Pos: at, Level: lint.Note, Message: fmt.Sprintf(
			"values were not checked against values.schema.json: comparing %d values with enums of %d entries could take minutes", scalars, enums)}}
	}
	most := mostChecks(validator)
	// Every copy of a chart an alias makes is checked against its schema: the bound is the
	// rendering's.
	r.schemaChecks += most * float64(scalars)
	if most > maxChecksPerValue || r.schemaChecks > maxSchemaChecks {
		perValue := strconv.FormatFloat(most, 'f', 0, 64)
		if most > maxSchemaChecks {
			perValue = fmt.Sprintf("more than %d", maxSchemaChecks)
		}
		return []lint.Problem{{Pos: at, Level: lint.Note, Message: fmt.Sprintf(
			"values were not checked against values.schema.json: its $refs and allOf, anyOf and oneOf lists nest so that one value "+
				"may be checked against %s subschemas (all %d values against more than %d), which could take minutes", perValue, scalars, maxSchemaChecks)}}
	}
	err = validator.Validate(common.Values(values).AsMap())
	var ps []lint.Problem
	if patterns.unchecked > 0 {
		ps = append(ps, lint.Problem{Pos: at, Level: lint.Note, Message: fmt.Sprintf(
			"%d of the values were not checked against their pattern in values.schema.json: matching so long a value against so long a pattern would take minutes",
			patterns.unchecked)})
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		if err != nil {
			ps = append(ps, lint.Problem{Pos: at, Level: lint.Error, Message: "values do not match values.schema.json: " + truncate(err.Error())})
		}
		return ps
	}
	var schemaDoc *valuesFile // parsed for positions once, when a failure needs one
	if schemaFile != nil {
		schemaDoc = &valuesFile{text: schemaFile.text}
	}
	eachFailure(ve, func(e *jsonschema.ValidationError) {
		if len(ps) == maxSchemaProblems {
			return
		}
		p := lint.Problem{Pos: at, Level: lint.Error}
		// A value the chart leaves empty for the user to give (`clusterName: ""`) fails its schema
		// until one is given: the hint says how.
		v, _ := valueAt(values, e.InstanceLocation)
		unset := (v == nil || v == "") && !findMap(r.user.set, e.InstanceLocation)
		if loc := r.valuesKey(chain, e.InstanceLocation); loc != nil && len(e.InstanceLocation) > 0 {
			p.Pos = loc.Pos
			unset = unset && !r.user.gives(loc.Pos.File)
		} else if schemaDoc != nil {
			p.Pos = keywordPos(schemaDoc, e, p.Pos)
		}
		where := strings.Join(e.InstanceLocation, ".")
		if where == "" {
			where = "the values"
		}
		p.Message = fmt.Sprintf("values do not match %s: %s: %s", at.File, where, truncate(e.ErrorKind.LocalizedString(schemaPrinter)))
		if _, required := e.ErrorKind.(*schemakind.Required); required || unset {
			p.Message += r.valuesHint()
		}
		ps = append(ps, p)
	})
	return ps
}

// The validator compares a value with every entry of an enum that applies to it, with no deadline:
// a list of 40,000 values each against an enum of 40,000 entries took 6.5 s, ten times that
// over two minutes. maxEnumComparisons bounds the values times the enum entries of a schema.
const maxEnumComparisons = 50_000_000

// countOf counts, in a JSON document, the entries of the arrays under the key enum, or (key "")
// every value.
func countOf(v any, key string) int64 {
	var n int64
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if a, ok := x.([]any); ok && key != "" && k == key {
				n += int64(len(a))
			}
			n += countOf(x, key)
		}
	case []any:
		for _, x := range v {
			n += countOf(x, key)
		}
	}
	if key == "" {
		n++
	}
	return n
}

// The validator checks a value against every subschema its $refs and allOf, anyOf, oneOf, not,
// if, then, else and dependentSchemas reach, as often as each is reached, and keeps an error for
// each that fails: 40 definitions each an anyOf of two $refs to the next (2 KB) ran the process
// out of memory, 20 of them took 2.8 s and 940 MB. These bound what one value and all of them
// may be checked against.
const (
	maxChecksPerValue = 10_000
	maxSchemaChecks   = 2_000_000
)

// mostChecks is the most subschemas a value may be checked against in one place of the schema
// validator (see maxChecksPerValue), saturating above maxSchemaChecks.
func mostChecks(validator *jsonschema.Schema) float64 {
	checks := map[*jsonschema.Schema]float64{}
	open := map[*jsonschema.Schema]bool{}
	var inPlace func(s *jsonschema.Schema) float64
	inPlace = func(s *jsonschema.Schema) float64 {
		if s == nil || open[s] { // a cycle in place: the validator stops it itself
			return 0
		}
		if n, ok := checks[s]; ok {
			return n
		}
		open[s] = true
		n := ownChecks(s)
		for _, sub := range inPlaceSubschemas(s) {
			n = min(n+inPlace(sub), maxSchemaChecks+1)
		}
		delete(open, s)
		checks[s] = n
		return n
	}
	most := 0.0
	seen := map[*jsonschema.Schema]bool{}
	var visit func(s *jsonschema.Schema)
	visit = func(s *jsonschema.Schema) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		most = max(most, inPlace(s))
		for _, sub := range inPlaceSubschemas(s) {
			visit(sub)
		}
		for _, sub := range valueSubschemas(s) {
			visit(sub)
		}
	}
	visit(validator)
	return most
}

// ownChecks is what checking a value against s itself costs, in subschemas: one, and one more
// for each enumChecks entries of its enum or bytes of its const, which the validator compares the
// value with (an enum of 20,000 entries behind 4,900 $refs took 100 s).
func ownChecks(s *jsonschema.Schema) float64 {
	n := 1.0
	if s.Enum != nil {
		n += float64(len(s.Enum.Values)) / enumChecks
	}
	if s.Const != nil {
		n += float64(valueSize(*s.Const)) / enumChecks
	}
	return n
}

// enumChecks is how many enum entries (or bytes of a const) cost as much as a subschema.
const enumChecks = 256

// inPlaceSubschemas are the subschemas of s that check the same value as s.
func inPlaceSubschemas(s *jsonschema.Schema) []*jsonschema.Schema {
	subs := []*jsonschema.Schema{s.Ref, s.RecursiveRef, s.Not, s.If, s.Then, s.Else}
	if s.DynamicRef != nil {
		subs = append(subs, s.DynamicRef.Ref)
	}
	subs = append(subs, s.AllOf...)
	subs = append(subs, s.AnyOf...)
	subs = append(subs, s.OneOf...)
	for _, k := range slices.Sorted(maps.Keys(s.DependentSchemas)) {
		subs = append(subs, s.DependentSchemas[k])
	}
	for _, k := range slices.Sorted(maps.Keys(s.Dependencies)) {
		if sub, ok := s.Dependencies[k].(*jsonschema.Schema); ok {
			subs = append(subs, sub)
		}
	}
	return subs
}

// valueSubschemas are the subschemas of s that check the values inside the value s checks.
func valueSubschemas(s *jsonschema.Schema) []*jsonschema.Schema {
	subs := []*jsonschema.Schema{s.PropertyNames, s.UnevaluatedProperties, s.Contains, s.Items2020, s.UnevaluatedItems, s.ContentSchema}
	for _, k := range slices.Sorted(maps.Keys(s.Properties)) {
		subs = append(subs, s.Properties[k])
	}
	for _, sub := range s.PatternProperties {
		subs = append(subs, sub)
	}
	subs = append(subs, s.PrefixItems...)
	for _, v := range []any{s.AdditionalProperties, s.AdditionalItems, s.Items} {
		switch v := v.(type) {
		case *jsonschema.Schema:
			subs = append(subs, v)
		case []*jsonschema.Schema:
			subs = append(subs, v...)
		}
	}
	return subs
}

// The validator reads every number of a schema as an exact fraction: `"multipleOf": 1e-999999`
// takes 45 ms and a megabyte each, and an exponent past what math/big reads crashes it. A number
// of a real schema has a few digits.
const (
	maxNumberDigits   = 1000
	maxNumberExponent = 1000
)

// hugeNumber finds a number in a schema document with more than maxNumberDigits digits or an
// exponent past maxNumberExponent.
func hugeNumber(v any) (string, bool) {
	switch v := v.(type) {
	case json.Number:
		mantissa, exp, _ := strings.Cut(strings.ToLower(string(v)), "e")
		e, err := strconv.Atoi(strings.TrimLeft(exp, "+-"))
		return string(v), len(mantissa) > maxNumberDigits || exp != "" && (err != nil || e > maxNumberExponent)
	case map[string]any:
		for _, x := range v {
			if n, ok := hugeNumber(x); ok {
				return n, true
			}
		}
	case []any:
		for _, x := range v {
			if n, ok := hugeNumber(x); ok {
				return n, true
			}
		}
	}
	return "", false
}

// schemaPrinter words the validator's messages as its own Error method does.
var schemaPrinter = message.NewPrinter(language.English)

// eachFailure calls yield with each failure that says what is wrong: the errors with no causes,
// and an anyOf or oneOf as a whole (the failures of every alternative would not say which was
// meant). The others ("validation failed" at a $ref or a subschema) only group their causes.
// jsonschema's flat BasicOutput is not used: through a $ref it words a cause as its group.
func eachFailure(e *jsonschema.ValidationError, yield func(*jsonschema.ValidationError)) {
	switch e.ErrorKind.(type) {
	case *schemakind.AnyOf, *schemakind.OneOf:
		yield(e)
		return
	}
	if len(e.Causes) == 0 {
		yield(e)
	}
	for _, c := range e.Causes {
		eachFailure(c, yield)
	}
}

// keywordPos is where the schema states what the values fail: the keyword in values.schema.json,
// or for a missing property its entry in the required list. It is the place to look when the
// values have no key to point at (a property missing at the top, a value given by --set).
func keywordPos(schema *valuesFile, e *jsonschema.ValidationError, or lint.Pos) lint.Pos {
	docs := schema.docs()
	_, fragment, _ := strings.Cut(e.SchemaURL, "#")
	fragment, err := url.PathUnescape(fragment)
	if len(docs) == 0 || err != nil {
		return or
	}
	path := append(pointerPath(fragment), e.ErrorKind.KeywordPath()...)
	n := findPath(docs[0], path)
	if req, ok := e.ErrorKind.(*schemakind.Required); ok && n != nil {
		for i := 0; ; i++ {
			item := findPath(docs[0], append(slices.Clip(path), strconv.Itoa(i)))
			if item == nil {
				break
			}
			if item.Value == req.Missing[0] {
				n = item
				break
			}
		}
	}
	if n == nil {
		return or
	}
	return lint.Pos{File: schema.text.Name, Line: n.Line, Column: n.Column}
}

// maxPatternWork bounds the matching of values against a schema's patterns, in pattern states
// times value bytes, for all the values checked: Go's matcher steps each byte of a value through
// every state of the pattern, and a pattern of `a*` twenty thousand times took 95 s on a 200 KB
// value (a counted repetition took 725 s on ten values of 1 MB).
const maxPatternWork = 256 << 20

// boundedPatterns compiles a schema's patterns with Go's matcher, and leaves unmatched, as if it
// matched, a value that would take the matching of the schema past maxPatternWork, in states of
// the patterns times bytes of the values: unchecked counts them.
type boundedPatterns struct {
	work      int64
	unchecked int
}

func (b *boundedPatterns) compile(pattern string) (jsonschema.Regexp, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	return &boundedPattern{re, patternStates(pattern), b}, nil
}

type boundedPattern struct {
	*regexp.Regexp
	states int64
	of     *boundedPatterns
}

func (p *boundedPattern) MatchString(s string) bool {
	work := p.states * (int64(len(s)) + 1)
	if p.of.work+work > maxPatternWork {
		p.of.unchecked++
		return true
	}
	p.of.work += work
	return p.Regexp.MatchString(s)
}

// truncate shortens the validator's message, which quotes the value and the pattern whole.
func truncate(msg string) string {
	const most = 300
	if len(msg) <= most {
		return msg
	}
	cut := most
	for cut > 0 && !utf8.RuneStart(msg[cut]) {
		cut--
	}
	return msg[:cut] + "…"
}

// refusingLoader loads no schema reference; it records what was asked for.
type refusingLoader struct{ urls []string }

func (l *refusingLoader) Load(url string) (any, error) {
	if !slices.Contains(l.urls, url) {
		l.urls = append(l.urls, url)
	}
	return nil, fmt.Errorf("%s: not loaded", url)
}

// pointerPath splits a JSON pointer ("/a/b~1c") into its tokens.
func pointerPath(p string) []string {
	if p == "" || p == "/" {
		return nil
	}
	toks := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, t := range toks {
		toks[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
	}
	return toks
}
