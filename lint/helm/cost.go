package helm

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"regexp/syntax"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
	"helm.sh/helm/v4/pkg/chart/common"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/fsroot"
)

// A rendering has a budget of bytes it may make and read: text the templates write, values they
// print, strings and lists template functions make, and values functions serialize or copy whole.
// Every template function is charged before it runs (what it will read and, for the few that can
// make far more than they read, what it will make) and after (what it made), so no single call
// can take long or hold much: a string doubled forty times with `cat $s $s`, a list that holds
// itself sixty times over passed to toYaml, a loop that appends to a growing list, all stop with
// one message when the budget runs out, and the deadline is checked between calls.

// budgetFactor is the budget of one rendering in times --max-file-size. kube-prometheus-stack,
// the largest chart of the corpus, spends 1.4 MB of the default 256 MiB.
const budgetFactor = 4

// maxDepth bounds how deep a value printed or serialized whole may nest.
const maxDepth = 1000

// A cost is what a call of a template function will read and make, in bytes, from its arguments
// (a variadic function's spread); an error refuses the call.
type cost func(g *guard, args []reflect.Value) (int64, error)

// costs are the functions whose cost is more than the sizes of their arguments.
var costs = map[string]cost{
	// Printed or serialized whole: the size of every argument written out, which is what fmt,
	// encoding/json and the YAML and TOML encoders walk, shared parts as often as they are met.
	"print": written(2), "println": written(2), "cat": written(2), "toString": written(2),
	"quote": written(2), "squote": written(2), "toStrings": written(3), "sortAlpha": written(3),
	"html": written(6), "js": written(6), "urlquery": written(3),
	"toYaml": written(4), "mustToYaml": written(4), "toYamlPretty": written(4),
	"toJson": written(6), "mustToJson": written(6), "toPrettyJson": written(6), "mustToPrettyJson": written(6),
	"toRawJson": written(6), "mustToRawJson": written(6), "toToml": written(4), "mustToToml": written(4),
	"deepCopy": written(2), "mustDeepCopy": written(2), "merge": mergeCost, "mustMerge": mergeCost,
	"mergeOverwrite": mergeCost, "mustMergeOverwrite": mergeCost,
	"printf": printfCost, "join": joinCost,
	// Parsed into a value of about a hundred bytes for each item and entry.
	"fromYaml": yamlCost, "fromYamlArray": yamlCost, "fromJson": parsedCost, "fromJsonArray": parsedCost, "fromToml": tomlCost,
	// Walking both values whole.
	"deepEqual": written(1),
	// Comparing every item with every other.
	"uniq": pairsCost, "mustUniq": pairsCost, "without": withoutCost, "mustWithout": withoutCost,
	"trimAll": trimAllCost,
	// Making much more than they read.
	"repeat": repeatCost, "indent": indentCost, "nindent": indentCost,
	"replace": replaceCost, "wrapWith": wrapWithCost,
	"regexReplaceAll": matching(regexReplaceCost(false)), "mustRegexReplaceAll": matching(regexReplaceCost(false)),
	"regexReplaceAllLiteral": matching(regexReplaceCost(true)), "mustRegexReplaceAllLiteral": matching(regexReplaceCost(true)),
	"splitList": splitCost(listItem), "split": splitCost(mapEntry), "splitn": splitCost(mapEntry),
	"regexSplit": matching(regexItemsCost), "mustRegexSplit": matching(regexItemsCost),
	"regexFindAll": matching(regexItemsCost), "mustRegexFindAll": matching(regexItemsCost),
	"regexMatch": matching(nil), "mustRegexMatch": matching(nil), "regexFind": matching(nil), "mustRegexFind": matching(nil),
	"until": untilCost, "untilStep": untilStepCost, "seq": seqCost,
	"randAlphaNum": countCost, "randAlpha": countCost, "randAscii": countCost, "randNumeric": countCost, "randBytes": countCost,
}

// listItem and mapEntry are what one item of a list, or entry of a map, made from a string costs
// beyond its bytes.
const (
	listItem = 48
	mapEntry = 128
)

// bounded wraps f, the template function called name, to charge each call its cost.
func (g *guard) bounded(name string, f any) any {
	fv := reflect.ValueOf(f)
	ft := fv.Type()
	c := costs[name]
	return reflect.MakeFunc(ft, func(args []reflect.Value) []reflect.Value {
		in := flat(args, ft.IsVariadic())
		var n int64
		var err error
		if c != nil {
			n, err = c(g, in)
		} else {
			n = shallowAll(in)
		}
		if err == nil {
			err = g.call(n, name)
		}
		if err != nil {
			// text/template reports a function's panic as its error.
			panic(err)
		}
		var out []reflect.Value
		if ft.IsVariadic() {
			out = fv.CallSlice(args)
		} else {
			out = fv.Call(args)
		}
		if len(out) > 0 {
			if err := g.charge(shallow(out[0]), name); err != nil {
				panic(err)
			}
		}
		return out
	}).Interface()
}

// shallowAll is the size of the arguments of a call, each shallow.
func shallowAll(args []reflect.Value) int64 {
	var n int64
	for _, a := range args {
		n = sat(n + shallow(a))
	}
	return n
}

// shallow is the size of v without looking inside its items: a string's bytes, a list's or map's
// number of items, at least 1.
func shallow(v reflect.Value) int64 {
	for (v.Kind() == reflect.Interface || v.Kind() == reflect.Pointer) && !v.IsNil() {
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.String, reflect.Map, reflect.Array, reflect.Slice:
		return int64(v.Len()) + 1
	}
	return 1
}

// flat returns the arguments of a call, a variadic function's slice of them spread.
func flat(args []reflect.Value, variadic bool) []reflect.Value {
	if !variadic {
		return args
	}
	last := args[len(args)-1]
	out := append(make([]reflect.Value, 0, len(args)-1+last.Len()), args[:len(args)-1]...)
	for i := range last.Len() {
		out = append(out, last.Index(i))
	}
	return out
}

// written is the cost of writing out every argument whole, times factor (escaping, quoting and
// indentation make more bytes than the values hold).
func written(factor int64) cost {
	return func(g *guard, args []reflect.Value) (int64, error) {
		var n int64
		for _, a := range args {
			size, err := g.size(a.Interface(), g.remaining()/factor)
			if err != nil {
				return 0, err
			}
			n += size
		}
		return product(n, factor), nil
	}
}

// parsedCost is what parsing a string makes: a value for each item, entry and scalar, counted by
// the separators between them (a fromYaml of twenty-five million list items took 5 GB).
func parsedCost(_ *guard, args []reflect.Value) (int64, error) {
	s := args[0].String()
	var seps int64
	for _, c := range []string{",", "\n", ":", "[", "{"} {
		seps += int64(strings.Count(s, c))
	}
	return sat(int64(len(s)) + product(seps+1, parsedItem)), nil
}

// yamlCost is parsedCost plus what the string's aliases add: Helm's parser copies what an alias
// names each time (through JSON), so a fromYaml of a 1 MB string aliased a thousand times made
// 5 GB from 1 MB. Only a string with both an anchor and an alias is parsed for it.
func yamlCost(g *guard, args []reflect.Value) (int64, error) {
	n, err := parsedCost(g, args)
	s := args[0].String()
	if err != nil || !lint.MayAlias([]byte(s)) {
		return n, err
	}
	dec := yaml.NewDecoder(strings.NewReader(s))
	for {
		var root yaml.Node
		if dec.Decode(&root) != nil {
			return n, nil
		}
		n = sat(n + product(int64(lint.AliasNodes(&root, math.MaxInt32)), parsedItem))
	}
}

// tomlCost is parsedCost, for a string that does not nest more than maxDepth deep: the TOML parser
// recurses into each array and inline table (three million `[` ran the process out of stack, a
// fatal error) and copies the keys above at each level (twenty thousand nested tables: 12 GB).
func tomlCost(g *guard, args []reflect.Value) (int64, error) {
	s := args[0].String()
	depth, deepest := 0, 0
	key, dots := true, 0 // in the key part of a line (before its `=`), and the dots there
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '[', '{':
			depth++
		case ']', '}':
			depth--
		case '.':
			if key { // a dotted key or table header is a table per part
				dots++
			}
		case '=':
			key = false
		case '\n':
			key, dots = true, 0
		}
		if deepest = max(deepest, depth+dots); deepest > maxDepth {
			return 0, fmt.Errorf("the string given to fromToml nests more than %d deep", maxDepth)
		}
	}
	return parsedCost(g, args)
}

// parsedItem is what one parsed item, entry or scalar costs beyond its bytes.
const parsedItem = 128

// mergeCost is what merge walks: mergo goes through a source's keys, and descends only where the
// map merged into has a map under the same key, so each source costs at most the smaller of the
// two. Charts merge with the root context (`merge . (dict "k" v)`, `merge (dict "k" v) .`),
// which holds every file of the chart: charged whole, strimzi's eighteen such merges used up the
// budget.
func mergeCost(g *guard, args []reflect.Value) (int64, error) {
	n := shallowAll(args)
	if len(args) < 2 {
		return n, nil
	}
	into, err := g.size(args[0].Interface(), g.remaining())
	if err != nil {
		return 0, err
	}
	for _, src := range args[1:] {
		size, err := g.size(src.Interface(), min(into, g.remaining()))
		if err != nil {
			return 0, err
		}
		n = sat(n + product(min(size, into), 2))
	}
	return n, nil
}

// printfCost is written(6) plus the widths and precisions the format asks for: `%999999999d`
// makes a gigabyte of spaces. A format that indexes its arguments (`%[1]s`) may write one
// argument for every verb: 3,000 verbs over a megabyte made 12 GB before the output was charged.
func printfCost(g *guard, args []reflect.Value) (int64, error) {
	n, err := written(6)(g, args)
	if err != nil || len(args) == 0 {
		return n, err
	}
	widths, verbs, indexed := formatWidths(args[0].String(), args[1:])
	n = sat(n + widths)
	if indexed {
		var largest int64
		for _, a := range args[1:] {
			size, err := g.size(a.Interface(), g.remaining())
			if err != nil {
				return 0, err
			}
			largest = max(largest, size)
		}
		n = sat(n + product(verbs, largest))
	}
	return n, nil
}

// formatWidths sums the widths and precisions of a fmt format's verbs, a `*` taking its value
// from the arguments, and counts the verbs; indexed says whether a verb names its argument
// (`%[2]d`), which it may then write again.
func formatWidths(format string, args []reflect.Value) (n, verbs int64, indexed bool) {
	arg := 0
	index := func(i int) int {
		if i < len(format) && format[i] == '[' {
			indexed = true
			if j := strings.IndexByte(format[i:], ']'); j >= 0 {
				if k, err := strconv.Atoi(format[i+1 : i+j]); err == nil {
					arg = k - 1
				}
				return i + j + 1
			}
		}
		return i
	}
	number := func(i int) (int, int64) {
		i = index(i)
		if i < len(format) && format[i] == '*' {
			var v int64
			if arg >= 0 && arg < len(args) {
				if a := args[arg]; a.CanInt() {
					v = a.Int()
				} else if a.Kind() == reflect.Interface && !a.IsNil() && a.Elem().CanInt() {
					v = a.Elem().Int()
				}
			}
			arg++
			return i + 1, max(v, -v)
		}
		var v int64
		for i < len(format) && '0' <= format[i] && format[i] <= '9' {
			v = min(v*10+int64(format[i]-'0'), math.MaxInt32)
			i++
		}
		return i, v
	}
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		for i < len(format) && strings.IndexByte("+-# 0", format[i]) >= 0 {
			i++
		}
		var w, p int64
		i, w = number(i)
		if i < len(format) && format[i] == '.' {
			i, p = number(i + 1)
		}
		i = index(i)
		n = sat(n + w + p)
		verbs++
		arg++
	}
	return n, verbs, indexed
}

// joinCost is what join reads and writes: every item, and the separator between each two.
func joinCost(g *guard, args []reflect.Value) (int64, error) {
	n, err := written(2)(g, args[1:])
	if err != nil {
		return 0, err
	}
	return sat(n + product(shallow(args[1]), int64(args[0].Len()))), nil
}

// pairsCost is uniq's: every item compared with the items kept.
func pairsCost(_ *guard, args []reflect.Value) (int64, error) {
	n := shallow(args[0])
	return product(product(n, n), 16), nil
}

// withoutCost is without's: every item compared with every value to leave out (a million items
// without four thousand values ran minutes inside one call).
func withoutCost(_ *guard, args []reflect.Value) (int64, error) {
	return product(product(shallow(args[0]), int64(len(args))), 16), nil
}

// trimAllCost is trimAll's: with a cutset that is not ASCII, each character trimmed is looked up
// in the cutset, rune by rune (two million of each ran minutes inside one call).
func trimAllCost(_ *guard, args []reflect.Value) (int64, error) {
	cutset, s := args[0].String(), args[1].String()
	if !isASCII(cutset) {
		return product(int64(len(cutset)), int64(len(s))), nil
	}
	return int64(len(s)), nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func repeatCost(_ *guard, args []reflect.Value) (int64, error) {
	return product(max(args[0].Int(), 0), int64(args[1].Len())), nil
}

// indentCost is what indent and nindent make: the text, and the spaces before each of its lines.
func indentCost(_ *guard, args []reflect.Value) (int64, error) {
	s := args[1].String()
	return sat(int64(len(s)) + product(max(args[0].Int(), 0), int64(strings.Count(s, "\n")+1))), nil
}

// replaceCost is the size of what replace makes, exactly: each match of old grows the text by
// what new adds.
func replaceCost(_ *guard, args []reflect.Value) (int64, error) {
	old, repl, s := args[0].String(), args[1].String(), args[2].String()
	grow := int64(len(repl) - len(old))
	if grow <= 0 {
		return int64(len(s)), nil
	}
	return sat(int64(len(s)) + product(int64(strings.Count(s, old)), grow)), nil
}

// wrapWithCost bounds what wrapWith makes: the text, and the separator at each break.
func wrapWithCost(_ *guard, args []reflect.Value) (int64, error) {
	width, s := max(args[0].Int(), 1), args[2].String()
	return sat(int64(len(s)) + product(int64(len(s))/width+1, int64(args[1].Len()))), nil
}

// matching charges a regular expression function (pattern, string, ...) for the matching, before
// it runs, and then what makes costs (its arguments' sizes when make is nil). Go's matcher is
// linear in the string, but each byte steps every state of the pattern: `a*` twenty thousand
// times against a megabyte of `a` ran for eleven minutes. regexReplaceCost matches to count.
func matching(make cost) cost {
	return func(g *guard, args []reflect.Value) (int64, error) {
		work := product(g.patternStates(args[0].String()), int64(args[1].Len())+1) / matchStepsPerByte
		if work > g.remaining() {
			return work, nil // refused by the budget, unmatched
		}
		if make == nil {
			return sat(shallowAll(args) + work), nil
		}
		n, err := make(g, args)
		return sat(n + work), err
	}
}

// patternStates is the number of states Go's matcher steps a string's bytes through for pattern:
// its compiled program's instructions, which a counted repetition multiplies (`(?:a*){1000}` is
// twelve bytes and three thousand instructions). A pattern that does not compile costs its length
// (the function says why).
func patternStates(pattern string) int64 {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return int64(len(pattern)) + 1
	}
	prog, err := syntax.Compile(re.Simplify())
	if err != nil {
		return int64(len(pattern)) + 1
	}
	return int64(len(prog.Inst)) + 1
}

// patternStates is patternStates(pattern), once per pattern in a rendering.
func (g *guard) patternStates(pattern string) int64 {
	n, ok := g.states[pattern]
	if !ok {
		n = patternStates(pattern)
		if g.states == nil {
			g.states = map[string]int64{}
		}
		g.states[pattern] = n
	}
	return n
}

// matchStepsPerByte is how many steps of a pattern over a string's byte count as one byte of the
// budget: a step is a few instructions.
const matchStepsPerByte = 4

// regexReplaceCost is the size of what a regexReplaceAll makes, counted match by match.
func regexReplaceCost(literal bool) cost {
	return func(g *guard, args []reflect.Value) (int64, error) {
		re, err := regexp.Compile(args[0].String())
		if err != nil {
			return 1, nil // the function says why
		}
		s, repl := args[1].String(), args[2].String()
		n := int64(len(s))
		var buf []byte
		for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
			grow := int64(len(repl))
			if !literal {
				buf = re.ExpandString(buf[:0], repl, s, m)
				grow = int64(len(buf))
			}
			if n = sat(n + grow); n > g.remaining() {
				break
			}
		}
		return n, nil
	}
}

// splitCost is what a split makes: an item (or map entry) for each piece of the string.
func splitCost(item int64) cost {
	return func(_ *guard, args []reflect.Value) (int64, error) {
		sep, s := args[0].String(), args[len(args)-1].String()
		pieces := int64(utf8.RuneCountInString(s)) + 1
		if sep != "" {
			pieces = int64(strings.Count(s, sep)) + 1
		}
		return sat(int64(len(s)) + product(pieces, item)), nil
	}
}

// regexItemsCost bounds what regexSplit and regexFindAll make: at most an item per byte.
func regexItemsCost(_ *guard, args []reflect.Value) (int64, error) {
	s := int64(args[1].Len())
	return sat(s + product(s+1, listItem)), nil
}

func untilCost(_ *guard, args []reflect.Value) (int64, error) {
	if n := args[0].Int(); n < 0 {
		return stepItems(0, n, -1)
	}
	return stepItems(0, args[0].Int(), 1)
}

func untilStepCost(_ *guard, args []reflect.Value) (int64, error) {
	return stepItems(args[0].Int(), args[1].Int(), args[2].Int())
}

// seqCost is seq's: `seq stop`, `seq start stop` or `seq start step stop`, in text. It reads its
// arguments as sprig does, which lists untilStep(start, stop+increment, step), the sum wrapping
// as sprig's does.
func seqCost(_ *guard, args []reflect.Value) (int64, error) {
	var start, stop int64
	step, increment := int64(1), int64(1)
	switch len(args) {
	case 1:
		start, stop = 1, args[0].Int()
		if stop < start {
			step, increment = -1, -1
		}
	case 2:
		start, stop = args[0].Int(), args[1].Int()
		if stop < start {
			step, increment = -1, -1
		}
	case 3:
		start, step, stop = args[0].Int(), args[1].Int(), args[2].Int()
		if stop < start {
			increment = -1
		}
	default:
		return 1, nil
	}
	n, err := stepItems(start, stop+increment, step)
	return product(n, 2), err
}

// stepItems is what sprig's untilStep(start, stop, step) costs: its loop (`for i := start; i <
// stop; i += step`, or > going down) lists the numbers on the way, and never ends when its
// counter would pass the largest or smallest int64 and wrap: that is refused, as is a list of
// more than maxItems.
func stepItems(start, stop, step int64) (int64, error) {
	switch {
	case step > 0 && start < stop:
		if stop > math.MaxInt64-step {
			return 0, fmt.Errorf("%w: untilStep or seq counting up to %d by %d would overflow and never end", errLimit, stop, step)
		}
	case step < 0 && start > stop:
		if stop < math.MinInt64-step {
			return 0, fmt.Errorf("%w: untilStep or seq counting down to %d by %d would overflow and never end", errLimit, stop, step)
		}
	default:
		return 1, nil // an empty list
	}
	return items(start/step, stop/step)
}

// items refuses a list of more than maxItems numbers from start to stop, in either direction;
// else it is what the list costs.
func items(start, stop int64) (int64, error) {
	n := float64(stop) - float64(start)
	if n > maxItems || n < -maxItems {
		return 0, fmt.Errorf("%w: a list of more than %d items", errLimit, maxItems)
	}
	return int64(math.Abs(n))*8 + 1, nil
}

// countCost is what the random stand-ins make: count characters.
func countCost(_ *guard, args []reflect.Value) (int64, error) {
	return max(args[0].Int(), 0) * 2, nil
}

// size is the size of v written out whole, as fmt or an encoder writes it: the bytes of its
// scalars, keys and quotes, and for each line the indentation of its depth. Shared parts count as
// often as they are met, since writers meet them that often. It refuses a value that holds itself
// or nests deeper than maxDepth. A value over limit stops the walk: its size is then over limit,
// for the caller to charge.
func (g *guard) size(v any, limit int64) (int64, error) {
	w := sizer{limit: limit}
	w.add(v, 0)
	return w.n, w.err
}

// sizer walks a value for guard.size.
type sizer struct {
	n, limit int64
	path     []uintptr // the maps and pointers being walked, for values that hold themselves
	err      error
}

func (w *sizer) add(v any, depth int) {
	if w.err != nil || w.n > w.limit {
		return
	}
	if depth > maxDepth {
		w.err = fmt.Errorf("%w: a value nested more than %d deep is written out", errLimit, maxDepth)
		return
	}
	w.n += int64(depth) + 2
	switch v := v.(type) {
	case nil, bool, int, int64, float64:
		w.n += 8
	case string:
		w.n += int64(len(v))
	case []any:
		for _, e := range v {
			w.add(e, depth+1)
		}
	case map[string]any:
		w.addMap(v, depth)
	case common.Values:
		w.addMap(v, depth)
	default:
		w.addValue(reflect.ValueOf(v), depth)
	}
}

func (w *sizer) addMap(m map[string]any, depth int) {
	if !w.enter(reflect.ValueOf(m).Pointer()) {
		return
	}
	for k, e := range m {
		w.n += int64(len(k))
		w.add(e, depth+1)
	}
	w.path = w.path[:len(w.path)-1]
}

// addValue walks what add has no fast way for, as fmt does: every field, exported or not.
func (w *sizer) addValue(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.String:
		w.n += int64(v.Len())
	case reflect.Interface:
		if !v.IsNil() {
			w.addElem(v.Elem(), depth)
		}
	case reflect.Pointer, reflect.Map:
		if v.IsNil() || !w.enter(v.Pointer()) {
			return
		}
		if v.Kind() == reflect.Pointer {
			w.addElem(v.Elem(), depth)
		} else {
			for it := v.MapRange(); it.Next(); {
				w.addElem(it.Key(), depth+1)
				w.addElem(it.Value(), depth+1)
			}
		}
		w.path = w.path[:len(w.path)-1]
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			w.addElem(v.Index(i), depth+1)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			w.addElem(v.Field(i), depth+1)
		}
	default:
		w.n += 8
	}
}

func (w *sizer) addElem(v reflect.Value, depth int) {
	if v.CanInterface() {
		w.add(v.Interface(), depth)
		return
	}
	if depth > maxDepth || w.err != nil || w.n > w.limit {
		w.add(nil, depth)
		return
	}
	w.n += int64(depth) + 2
	w.addValue(v, depth)
}

// enter records that the walk goes into the map or pointer p; false (and an error) when the walk
// is already inside it: the value holds itself, and writing it out never ends.
func (w *sizer) enter(p uintptr) bool {
	for _, q := range w.path {
		if q == p {
			w.err = fmt.Errorf("%w: a value that holds itself is written out (a dict set into itself?)", errLimit)
			return false
		}
	}
	w.path = append(w.path, p)
	return true
}

// remaining is what is left of the budget.
func (g *guard) remaining() int64 { return max(g.budget-g.spent, 0) }

// overBudget is the error of a rendering out of budget, naming what ran out of it.
func (g *guard) overBudget(what string) error {
	return fmt.Errorf("%w: %s takes the rendering past %s made and read (%d times --max-file-size); does a value grow without end, or a loop go over a large one?",
		errLimit, what, fsroot.FormatSize(g.budget), budgetFactor)
}

// sat and product add and multiply sizes, saturating instead of overflowing.
func sat(n int64) int64 {
	if n < 0 {
		return math.MaxInt64
	}
	return n
}

func product(a, b int64) int64 {
	if a == 0 || b == 0 {
		return 0
	}
	if a > math.MaxInt64/b {
		return math.MaxInt64
	}
	return a * b
}
