package helm

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strings"
	"text/template"
	"time"
	"unsafe"

	"github.com/BurntSushi/toml"
	"github.com/Masterminds/sprig/v3"
	"sigs.k8s.io/yaml"
	goyaml "sigs.k8s.io/yaml/goyaml.v3"
)

// Limits on one rendering. A chart from a pull request can recurse without end (include, tpl),
// loop a billion times or build a value that doubles at every step; these stop it with a clear
// message instead of a hang or a crash. Real charts stay far below them: kube-prometheus-stack,
// the largest in the corpus, takes about 1,500 steps and nests under 100 frames deep. The budget
// of bytes a rendering may make and read is in cost.go.
const (
	// maxSteps bounds define, block and range bodies executed (each is one step) plus tpl calls.
	maxSteps = 1_000_000
	// maxFrames bounds the Go stack depth of the rendering goroutine, in frames. Helm stops an
	// include of one name at 1000 nested calls, but includes alternating between names, tpl and
	// template calls nest without bound and overflow the Go stack, which kills the process.
	maxFrames = 5_000
	// maxItems bounds lists made by until, untilStep and seq.
	maxItems = 1_000_000
	// checkEvery is how many steps, or calls of template functions, pass between deadline
	// checks, and depthEvery how many steps between stack depth checks, which cost as much as the
	// stack is deep. Between two depth checks the stack grows by at most depthEvery nested calls.
	checkEvery = 64
	depthEvery = 1024
)

// errLimit marks an error raised by a guard, so the loader can report it without Helm's chain of
// "error calling include" wrappers.
var errLimit = errors.New("rendering stopped")

// guard counts the work of one rendering; its methods are template functions.
type guard struct {
	ctx      context.Context
	deadline time.Time
	timeout  time.Duration
	token    string
	// steps counts define, block and range bodies and tpl calls; calls, calls of template
	// functions.
	steps, calls int
	// spent is what the rendering has made and read so far, in bytes, of budget.
	spent, budget int64
	lookups       int // calls of lookup, which returns an empty result offline
	// helpers are the definitions Helm uses of the helpers, by name.
	helpers map[string]helperDef
	// templates is how many templates Helm's template set holds (files and defines), each of
	// which a tpl call copies.
	templates int
	// suspect is set when the output may differ from a plain render's (see strip).
	suspect bool
	// states memoises patternStates for the regular expressions the templates call: a template
	// calls one in a loop, and compiling it to count is as costly as compiling it to match.
	states map[string]int64
	// filesMade are the chargedFiles the rendering made, and filesOf those of Helm's .Files, by
	// map (see files.go).
	filesMade []unsafe.Pointer
	filesOf   map[unsafe.Pointer]chargedFiles
}

func newGuard(ctx context.Context, timeout time.Duration, token string, maxFileSize int64) *guard {
	return &guard{ctx: ctx, timeout: timeout, deadline: time.Now().Add(timeout), token: token,
		budget: product(maxFileSize, budgetFactor)}
}

func (g *guard) step() error {
	g.steps++
	if g.steps%checkEvery != 0 {
		return nil
	}
	return g.check(g.steps%depthEvery == 0)
}

// call counts a call of a template function that costs n (see cost.go).
func (g *guard) call(n int64, name string) error {
	g.calls++
	if err := g.charge(n, name); err != nil {
		return err
	}
	if g.calls%checkEvery != 0 {
		return nil
	}
	return g.check(false)
}

// charge counts n bytes made or read by what, and stops the rendering past its budget.
func (g *guard) charge(n int64, what string) error {
	g.spent = sat(g.spent + n)
	if g.spent > g.budget {
		return g.overBudget(what)
	}
	return nil
}

// check stops the rendering when it has done too much work, run too long, been cancelled, or
// (when depth is set) nested too deep.
func (g *guard) check(depth bool) error {
	switch {
	case g.steps > maxSteps:
		return fmt.Errorf("%w: the templates ran more than %d define, range and tpl bodies; is there an endless or exponential recursion?", errLimit, maxSteps)
	case time.Now().After(g.deadline):
		return fmt.Errorf("%w: rendering took longer than %s", errLimit, g.timeout)
	case g.ctx.Err() != nil:
		return g.ctx.Err()
	case depth && tooDeep():
		return fmt.Errorf("%w: templates call each other more than %d Go stack frames deep (include, template or tpl recursion)", errLimit, maxFrames)
	}
	return nil
}

// tooDeep reports whether the calling goroutine's stack is more than maxFrames deep. Skipping
// frames still walks them, so this costs as much as the stack is deep, up to maxFrames.
func tooDeep() bool {
	var pc [1]uintptr
	return runtime.Callers(maxFrames, pc[:]) > 0
}

// tick starts every define, block and range body, and every template's top-level text: text is
// what the body writes each time it runs, besides what its actions print.
func (g *guard) tick(text int) (string, error) {
	if err := g.step(); err != nil {
		return "", err
	}
	return "", g.charge(int64(text), "the text of the templates")
}

// tpl sees the template argument of every tpl call before Helm's tpl parses it: it counts the
// call, checks depth and deadline every time (tpl recursion grows the stack fastest), and guards
// the nested template the same way.
func (g *guard) tpl(v any) (any, error) {
	g.steps++
	if err := g.check(true); err != nil {
		return nil, err
	}
	s, ok := v.(string)
	if !ok {
		return v, nil
	}
	// Parsed, each action is a tree of nodes (and the rewrite adds a marker to each): charged
	// what it makes, `tpl (repeat 12000000 "{{1}}") .` took 8 GB before the budget ran out.
	// Helm's tpl first copies the whole template set: a million calls in a chart of 2,000
	// empty defines took the minute, and six such charts three.
	parsed := sat(int64(len(s)) + product(int64(strings.Count(s, "{{")), parsedAction))
	if err := g.charge(sat(parsed+product(int64(g.templates), clonedTemplate)), "tpl"); err != nil {
		return nil, err
	}
	if !strings.Contains(s, "{{") {
		return v, nil
	}
	if m := rewrite([]byte(s), rewriteOptions{}); m != nil {
		return string(m.data), nil
	}
	return v, nil
}

// parsedAction is what one action of a template given to tpl costs once parsed and marked.
const parsedAction = 512

// clonedTemplate is what copying one template of the set costs a tpl call.
const clonedTemplate = 128

// strip removes the markers from the result of an include or tpl call, and charges it. Helm's
// tpl replaces "<no value>" in its output, so markers removed from tpl output may join text into
// a "<no value>" a plain render would have removed: the rendering is then suspect.
func (g *guard) strip(v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return v, nil
	}
	if err := g.charge(int64(len(s)), "include"); err != nil {
		return nil, err
	}
	out := stripAll(s, g.token)
	if len(out) < len(s) && strings.Contains(out, noValue) {
		g.suspect = true
	}
	return out, nil
}

// helper sees what an include of the helper name writes to the output as it is (see
// writesHelper): it keeps the markers of the helper's lines, marks where the helper's text
// starts and ends with the lines of the define Helm uses, and charges it. Only the markers of
// that define's lines map the text's lines: the define may write other helpers' text with their
// markers, which is its own line's output unless that text is marked as a helper's in turn.
func (g *guard) helper(name string, v any) (any, error) {
	s, ok := v.(string)
	if !ok {
		return v, nil
	}
	if err := g.charge(int64(len(s)), "include"); err != nil {
		return nil, err
	}
	b := make([]byte, 0, len(s)+64)
	b = g.appendBegin(b, name)
	b = append(b, s...)
	b = g.appendEnd(b)
	if err := g.charge(int64(len(b)-len(s)), "include"); err != nil {
		return nil, err
	}
	return string(b), nil
}

// helperTrimmed is helper for an include that trim follows: it trims the helper's text as
// trim would the text of a plain render, whatever markers stand among the spaces it removes
// (trimMarked), before marking where the text starts and ends.
func (g *guard) helperTrimmed(name string, v any) (any, error) {
	if s, ok := v.(string); ok {
		v = trimMarked(s, g.token)
	}
	return g.helper(name, v)
}

// helperBegin and helperEnd write the markers around what a template action (`{{ template "x"
// . }}`) writes: text/template writes it to the output itself, so the markers go before and
// after the action, not around a value. They are charged as the text they write: thirty
// template actions of an empty helper in a loop of a million made 4 GB of markers.
func (g *guard) helperBegin(name string) (string, error) {
	return g.chargedMarker(g.appendBegin(nil, name))
}

func (g *guard) helperEnd() (string, error) { return g.chargedMarker(g.appendEnd(nil)) }

func (g *guard) chargedMarker(b []byte) (string, error) {
	if err := g.charge(int64(len(b)), "template"); err != nil {
		return "", err
	}
	return string(b), nil
}

// appendBegin appends the marker that starts the text of the helper name, with the lines of the
// define Helm uses.
func (g *guard) appendBegin(b []byte, name string) []byte {
	b = append(append(b, markerPrefix(g.token)...), beginMark)
	if d := g.helpers[name]; d.file != nil {
		b = appendSpan(b, d.file.id, d.span.line, d.span.last)
	}
	return append(b, '@')
}

// appendEnd appends the marker that ends a helper's text.
func (g *guard) appendEnd(b []byte) []byte {
	return append(append(b, markerPrefix(g.token)...), endMark, '@')
}

// noValue is what text/template prints for a missing value; Helm removes it from its output.
const noValue = "<no value>"

// out sees every value an action prints, and charges it as written out: fmt walks lists and maps
// whole, and a map set into itself would crash the process.
func (g *guard) out(v any) (any, error) {
	n, err := g.size(v, g.remaining())
	if err == nil {
		err = g.charge(n, "printing a value")
	}
	return v, err
}

// base is sprig's function map, which Helm's starts from.
var base = sprig.TxtFuncMap()

// helmOwn are functions of sprig's that Helm removes (env, expandenv), or replaces with its own
// that ekslint keeps (fail, getHostByName without DNS, fromJson).
var helmOwn = map[string]bool{"env": true, "expandenv": true, "fail": true, "getHostByName": true, "fromJson": true}

// funcs are the template functions that replace or wrap Helm's for one rendering:
//   - every function of sprig's Helm keeps, and the text/template built-ins that write values
//     out, charged their cost (see cost.go);
//   - guards for hostile templates (tick, tpl, out) and strip, which removes the markers from what
//     include and tpl return (see mark.go);
//   - Helm's serializers (toYaml, toJson, toToml...), the same but charged what they write out;
//   - fixed stand-ins for functions whose output is random, costly to compute or depends on the
//     clock (keys, certificates, random strings, map keys in Go's random order, now), so that
//     output and findings are the same on every run;
//   - lookup, which returns an empty result as in `helm template`, and counts its calls.
func (g *guard) funcs(now time.Time) template.FuncMap {
	fm := template.FuncMap{}
	for name, f := range base {
		if !helmOwn[name] {
			fm[name] = f
		}
	}
	maps.Copy(fm, builtins)
	maps.Copy(fm, serializers)
	maps.Copy(fm, standIns(now))
	for name, f := range fm {
		fm[name] = g.bounded(name, f)
	}
	fm[tickFunc] = g.tick
	fm[tplGuardFunc] = g.tpl
	fm[stripFunc] = g.strip
	fm[helperFunc] = g.helper
	fm[helperTrimFunc] = g.helperTrimmed
	fm[helperBeginFunc] = g.helperBegin
	fm[helperEndFunc] = g.helperEnd
	fm[outFunc] = g.out
	fm[filesFunc] = g.files
	fm["lookup"] = func(string, string, string, string) (map[string]any, error) {
		g.lookups++
		return map[string]any{}, nil
	}
	return fm
}

// builtins are text/template's built-in functions that write any value out, as text/template has
// them, for bounded to wrap.
var builtins = template.FuncMap{
	"print":    fmt.Sprint,
	"printf":   fmt.Sprintf,
	"println":  fmt.Sprintln,
	"html":     template.HTMLEscaper,
	"js":       template.JSEscaper,
	"urlquery": template.URLQueryEscaper,
}

// serializers are Helm's, and its parsers (helm.sh/helm/v4/pkg/engine/funcs.go, unexported
// there), for bounded to wrap.
var serializers = template.FuncMap{
	"fromYaml": func(str string) map[string]any {
		m := map[string]any{}
		if err := yaml.Unmarshal([]byte(str), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	},
	"fromYamlArray": func(str string) []any {
		a := []any{}
		if err := yaml.Unmarshal([]byte(str), &a); err != nil {
			a = []any{err.Error()}
		}
		return a
	},
	"fromJson": func(str string) map[string]any {
		m := map[string]any{}
		if err := json.Unmarshal([]byte(str), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	},
	"fromJsonArray": func(str string) []any {
		a := []any{}
		if err := json.Unmarshal([]byte(str), &a); err != nil {
			a = []any{err.Error()}
		}
		return a
	},
	"toYaml": func(v any) string {
		data, err := yaml.Marshal(v)
		if err != nil {
			return ""
		}
		return strings.TrimSuffix(string(data), "\n")
	},
	"mustToYaml": func(v any) string {
		data, err := yaml.Marshal(v)
		if err != nil {
			panic(err)
		}
		return strings.TrimSuffix(string(data), "\n")
	},
	"toYamlPretty": func(v any) string {
		var data bytes.Buffer
		encoder := goyaml.NewEncoder(&data)
		encoder.SetIndent(2)
		if err := encoder.Encode(v); err != nil {
			return ""
		}
		return strings.TrimSuffix(data.String(), "\n")
	},
	"toJson": func(v any) string {
		data, err := json.Marshal(v)
		if err != nil {
			return ""
		}
		return string(data)
	},
	"mustToJson": func(v any) string {
		data, err := json.Marshal(v)
		if err != nil {
			panic(err)
		}
		return string(data)
	},
	"fromToml": func(str string) map[string]any {
		m := map[string]any{}
		if err := toml.Unmarshal([]byte(str), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	},
	"toToml": func(v any) string {
		b := bytes.NewBuffer(nil)
		if err := toml.NewEncoder(b).Encode(v); err != nil {
			return err.Error()
		}
		return b.String()
	},
	"mustToToml": func(v any) string {
		b := bytes.NewBuffer(nil)
		if err := toml.NewEncoder(b).Encode(v); err != nil {
			panic(err)
		}
		return b.String()
	},
}

// standIns are the functions with fixed output; sprig's date functions read a date they do not
// know as now, which is the run's.
func standIns(now time.Time) template.FuncMap {
	orNow := func(date any) any {
		switch date.(type) {
		case time.Time, *time.Time, int64, int, int32:
			return date
		}
		return now
	}
	date := base["date"].(func(string, any) string)
	dateInZone := base["dateInZone"].(func(string, any, string) string)
	htmlDate := base["htmlDate"].(func(any) string)
	htmlDateInZone := base["htmlDateInZone"].(func(any, string) string)
	return template.FuncMap{
		"now":            func() time.Time { return now },
		"date":           func(f string, d any) string { return date(f, orNow(d)) },
		"dateInZone":     func(f string, d any, zone string) string { return dateInZone(f, orNow(d), zone) },
		"date_in_zone":   func(f string, d any, zone string) string { return dateInZone(f, orNow(d), zone) },
		"htmlDate":       func(d any) string { return htmlDate(orNow(d)) },
		"htmlDateInZone": func(d any, zone string) string { return htmlDateInZone(orNow(d), zone) },
		"ago": func(date any) string {
			t := now
			switch date := date.(type) {
			case time.Time:
				t = date
			case int64:
				t = time.Unix(date, 0)
			case int:
				t = time.Unix(int64(date), 0)
			}
			return now.Sub(t).Round(time.Second).String()
		},
		"keys": func(dicts ...map[string]any) []string {
			k := []string{}
			for _, d := range dicts {
				k = append(k, slices.Sorted(maps.Keys(d))...)
			}
			return k
		},
		"values": func(dict map[string]any) []any {
			v := []any{}
			for _, k := range slices.Sorted(maps.Keys(dict)) {
				v = append(v, dict[k])
			}
			return v
		},

		"randAlphaNum":    placeholder("x"),
		"randAlpha":       placeholder("x"),
		"randAscii":       placeholder("x"),
		"randNumeric":     placeholder("0"),
		"randBytes":       func(count int) string { return base64.StdEncoding.EncodeToString(make([]byte, max(count, 0))) },
		"randInt":         func(lo, _ int) int { return lo },
		"uuidv4":          func() string { return "00000000-0000-4000-8000-000000000000" },
		"shuffle":         func(s string) string { return s },
		"bcrypt":          func(string) string { return placeholderHash },
		"htpasswd":        func(user, _ string) string { return user + ":" + placeholderHash },
		"derivePassword":  func(uint32, string, string, string, string) string { return placeholderPassword },
		"encryptAES":      func(_, s string) (string, error) { return base64.StdEncoding.EncodeToString([]byte(s)), nil },
		"genPrivateKey":   func(string) string { return placeholderKey },
		"genCA":           func(string, int) certificate { return placeholderCert },
		"genCAWithKey":    func(string, int, string) certificate { return placeholderCert },
		"buildCustomCert": func(cert, key string) certificate { return placeholderCert },
		"genSelfSignedCert": func(string, []any, []any, int) certificate {
			return placeholderCert
		},
		"genSelfSignedCertWithKey": func(string, []any, []any, int, string) certificate {
			return placeholderCert
		},
		"genSignedCert": func(string, []any, []any, int, any) certificate {
			return placeholderCert
		},
		"genSignedCertWithKey": func(string, []any, []any, int, any, string) certificate {
			return placeholderCert
		},
	}
}

// placeholder stands in for a random string function: count copies of c.
func placeholder(c string) func(int) string {
	return func(count int) string { return strings.Repeat(c, max(count, 0)) }
}

// certificate has the fields of sprig's certificate, which templates read.
type certificate struct {
	Cert string
	Key  string
}

const (
	placeholderHash     = "$2a$10$ekslint.placeholder.hash.not.a.real.bcrypt.hash.xx"
	placeholderPassword = "ekslint-placeholder-password"
	placeholderKey      = "-----BEGIN PRIVATE KEY-----\nZWtzbGludCBwbGFjZWhvbGRlciBrZXk=\n-----END PRIVATE KEY-----\n"
)

var placeholderCert = certificate{
	Cert: "-----BEGIN CERTIFICATE-----\nZWtzbGludCBwbGFjZWhvbGRlciBjZXJ0aWZpY2F0ZQ==\n-----END CERTIFICATE-----\n",
	Key:  placeholderKey,
}
