package helm

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"text/template"
	"time"

	"github.com/Masterminds/sprig/v3"
)

// Limits on one rendering. A chart from a pull request can recurse without end (include, tpl),
// loop a billion times or ask for a gigabyte string; these stop it with a clear message instead
// of a hang or a crash. Real charts stay far below them: kube-prometheus-stack, the largest in the
// corpus, takes about 1,500 steps and nests under 100 frames deep.
const (
	// maxSteps bounds define, block and range bodies executed (each is one step) plus tpl calls.
	maxSteps = 1_000_000
	// maxFrames bounds the Go stack depth of the rendering goroutine, in frames. Helm stops an
	// include of one name at 1000 nested calls, but includes alternating between names, tpl and
	// template calls nest without bound and overflow the Go stack, which kills the process.
	maxFrames = 5_000
	// maxItems bounds lists made by until, untilStep and seq.
	maxItems = 1_000_000
	// maxString bounds strings made by repeat, indent, nindent and the random stand-ins.
	maxString = 64 << 20
	// checkEvery is how many steps pass between deadline checks, and depthEvery between stack
	// depth checks, which cost as much as the stack is deep. Between two depth checks the stack
	// grows by at most depthEvery nested calls.
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
	steps    int
	token    string
	lookups  int // calls of lookup, which returns an empty result offline
	// suspect is set when the output may differ from a plain render's (see strip).
	suspect bool
}

func (g *guard) step() error {
	g.steps++
	if g.steps%checkEvery != 0 {
		return nil
	}
	return g.check(g.steps%depthEvery == 0)
}

// check stops the rendering when it has done too much work, run too long, been cancelled, or
// (when depth is set) nested too deep.
func (g *guard) check(depth bool) error {
	switch {
	case g.steps > maxSteps:
		return fmt.Errorf("%w: the templates ran more than %d define, range and tpl bodies; is there an endless or exponential recursion?", errLimit, maxSteps)
	case !g.deadline.IsZero() && time.Now().After(g.deadline):
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

// tick starts every define, block and range body.
func (g *guard) tick() (string, error) { return "", g.step() }

// tpl sees the template argument of every tpl call before Helm's tpl parses it: it counts the
// call, checks depth and deadline every time (tpl recursion grows the stack fastest), and guards
// the nested template the same way.
func (g *guard) tpl(v any) (any, error) {
	g.steps++
	if err := g.check(true); err != nil {
		return nil, err
	}
	s, ok := v.(string)
	if !ok || !strings.Contains(s, "{{") {
		return v, nil
	}
	if m := rewrite([]byte(s), rewriteOptions{}); m != nil {
		return string(m.data), nil
	}
	return v, nil
}

// strip removes the markers from the result of an include or tpl call. Helm's tpl replaces
// "<no value>" in its output, so markers removed from tpl output may join text into a
// "<no value>" a plain render would have removed: the rendering is then suspect.
func (g *guard) strip(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	out := stripAll(s, g.token)
	if len(out) < len(s) && strings.Contains(out, noValue) {
		g.suspect = true
	}
	return out
}

// noValue is what text/template prints for a missing value; Helm removes it from its output.
const noValue = "<no value>"

// base is sprig's function map, for the functions wrapped below.
var base = sprig.TxtFuncMap()

// funcs are the template functions that replace or wrap Helm's for one rendering:
//   - guards for hostile templates (tick, tpl) and bounded versions of the functions that build
//     big values (repeat, until, untilStep, seq, indent, nindent);
//   - strip, which removes the markers from what include and tpl return (see mark.go);
//   - fixed stand-ins for functions whose output is random or costly to compute (keys,
//     certificates, random strings, now), so that output and findings are the same on every run;
//   - lookup, which returns an empty result as in `helm template`, and counts its calls.
func (g *guard) funcs(now time.Time) template.FuncMap {
	until, untilStep, seq := base["until"].(func(int) []int), base["untilStep"].(func(int, int, int) []int), base["seq"].(func(...int) string)
	return template.FuncMap{
		tickFunc:     g.tick,
		tplGuardFunc: g.tpl,
		stripFunc:    g.strip,

		"repeat": func(count int, s string) (string, error) {
			if count > 0 && len(s) > 0 && count > maxString/len(s) {
				return "", fmt.Errorf("%w: repeat would make a string over %d bytes", errLimit, maxString)
			}
			return strings.Repeat(s, count), nil
		},
		"indent":  func(spaces int, s string) (string, error) { return indent(spaces, s) },
		"nindent": func(spaces int, s string) (string, error) { s, err := indent(spaces, s); return "\n" + s, err },
		"until": func(count int) ([]int, error) {
			if err := tooMany(0, count); err != nil {
				return nil, err
			}
			return until(count), nil
		},
		"untilStep": func(start, stop, step int) ([]int, error) {
			if step != 0 {
				if err := tooMany(start/step, stop/step); err != nil {
					return nil, err
				}
			}
			return untilStep(start, stop, step), nil
		},
		"seq": func(params ...int) (string, error) {
			if n := len(params); n > 0 {
				start, stop := 1, params[n-1]
				if n > 1 {
					start = params[0]
				}
				if n == 3 && params[1] != 0 {
					start, stop = start/params[1], stop/params[1]
				}
				if err := tooMany(start, stop); err != nil {
					return "", err
				}
			}
			return seq(params...), nil
		},

		"now":          func() time.Time { return now },
		"randAlphaNum": placeholder("x"),
		"randAlpha":    placeholder("x"),
		"randAscii":    placeholder("x"),
		"randNumeric":  placeholder("0"),
		"randBytes": func(count int) (string, error) {
			if count > maxString {
				return "", fmt.Errorf("%w: randBytes %d is over %d bytes", errLimit, count, maxString)
			}
			return base64.StdEncoding.EncodeToString(make([]byte, max(count, 0))), nil
		},
		"randInt":         func(lo, _ int) int { return lo },
		"uuidv4":          func() string { return "00000000-0000-4000-8000-000000000000" },
		"shuffle":         func(s string) string { return s },
		"bcrypt":          func(string) string { return placeholderHash },
		"htpasswd":        func(user, _ string) string { return user + ":" + placeholderHash },
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

		"lookup": func(string, string, string, string) (map[string]any, error) {
			g.lookups++
			return map[string]any{}, nil
		},
	}
}

// tooMany refuses lists of more than maxItems items from start to stop, in either direction.
func tooMany(start, stop int) error {
	if n := float64(stop) - float64(start); n > maxItems || n < -maxItems {
		return fmt.Errorf("%w: a list of more than %d items", errLimit, maxItems)
	}
	return nil
}

// indent is sprig's indent with a bound on the size of its result.
func indent(spaces int, s string) (string, error) {
	if spaces > 0 && (strings.Count(s, "\n")+1) > (maxString-len(s))/spaces {
		return "", fmt.Errorf("%w: indent %d would make a string over %d bytes", errLimit, spaces, maxString)
	}
	pad := strings.Repeat(" ", spaces)
	return pad + strings.ReplaceAll(s, "\n", "\n"+pad), nil
}

// placeholder stands in for a random string function: count copies of c.
func placeholder(c string) func(int) (string, error) {
	return func(count int) (string, error) {
		if count > maxString {
			return "", fmt.Errorf("%w: a random string of %d characters is over %d bytes", errLimit, count, maxString)
		}
		return strings.Repeat(c, max(count, 0)), nil
	}
}

// certificate has the fields of sprig's certificate, which templates read.
type certificate struct {
	Cert string
	Key  string
}

const (
	placeholderHash = "$2a$10$ekslint.placeholder.hash.not.a.real.bcrypt.hash.xx"
	placeholderKey  = "-----BEGIN PRIVATE KEY-----\nZWtzbGludCBwbGFjZWhvbGRlciBrZXk=\n-----END PRIVATE KEY-----\n"
)

var placeholderCert = certificate{
	Cert: "-----BEGIN CERTIFICATE-----\nZWtzbGludCBwbGFjZWhvbGRlciBjZXJ0aWZpY2F0ZQ==\n-----END CERTIFICATE-----\n",
	Key:  placeholderKey,
}
