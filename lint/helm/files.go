package helm

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"unsafe"
)

// Helm's .Files are methods of a map, not template functions, so the guard's charges never see
// them, and their results can be kept in variables at no cost: eight `.Files.Lines` of a 60 MB
// file of newlines made 4 GB (a string header for every line). The rewrite starts each chart
// template with filesAction, which puts in the context, in place of Helm's map, chargedFiles: the
// same files, whose methods charge the rendering what they make and then call Helm's own.

// chargedFiles is Helm's .Files for one rendering. It is a map, as Helm's is, so that `index`,
// `range` and `len` work on it as they do on Helm's.
type chargedFiles map[string][]byte

// filesGuards are the guards of the chargedFiles in use, by map: a map type has nowhere else to
// keep one. Each rendering removes its own when it ends (guard.release).
var filesGuards sync.Map

// helmFiles is the type of Helm's .Files (engine.files, unexported), learned from the first seen.
var helmFiles reflect.Type

var helmFilesOnce sync.Once

// files puts chargedFiles in place of Helm's .Files in dot, when dot is a template's context
// that holds them, one per chart and rendering (each template of a chart starts by asking). It
// writes nothing: a template run with another dot (`{{ template "x" }}`) is left as it is.
func (g *guard) files(dot any) string {
	ctx := reflect.ValueOf(dot)
	if !ctx.IsValid() || ctx.Kind() != reflect.Map || ctx.IsNil() || ctx.Type().Key().Kind() != reflect.String ||
		ctx.Type().Elem().Kind() != reflect.Interface {
		return ""
	}
	key := reflect.ValueOf("Files").Convert(ctx.Type().Key())
	v := ctx.MapIndex(key)
	if v.IsValid() && v.Kind() == reflect.Interface {
		v = v.Elem()
	}
	if !v.IsValid() || v.Kind() != reflect.Map || v.Type().PkgPath() != "helm.sh/helm/v4/pkg/engine" || v.Type().Name() != "files" {
		return ""
	}
	helmFilesOnce.Do(func() { helmFiles = v.Type() })
	c, ok := g.filesOf[v.UnsafePointer()]
	if !ok {
		c = g.charged(v.Convert(reflect.TypeFor[map[string][]byte]()).Interface().(map[string][]byte))
		if g.filesOf == nil {
			g.filesOf = map[unsafe.Pointer]chargedFiles{}
		}
		g.filesOf[v.UnsafePointer()] = c
	}
	ctx.SetMapIndex(key, reflect.ValueOf(c))
	return ""
}

// charged makes a chargedFiles of m for g, charged the copy.
func (g *guard) charged(m map[string][]byte) chargedFiles {
	c := make(chargedFiles, len(m))
	for k, v := range m {
		c[k] = v
	}
	g.spent = sat(g.spent + product(int64(len(m)), filesEntry))
	filesGuards.Store(reflect.ValueOf(c).UnsafePointer(), g)
	g.filesMade = append(g.filesMade, reflect.ValueOf(c).UnsafePointer())
	return c
}

// release forgets the chargedFiles of g's rendering.
func (g *guard) release() {
	for _, p := range g.filesMade {
		filesGuards.Delete(p)
	}
}

func (c chargedFiles) guard() *guard {
	g, _ := filesGuards.Load(reflect.ValueOf(c).UnsafePointer())
	return g.(*guard)
}

// call calls Helm's method name on c, once it is charged cost.
func (c chargedFiles) call(name string, cost int64, args ...any) (reflect.Value, error) {
	g := c.guard()
	if err := g.charge(cost, ".Files."+name); err != nil {
		return reflect.Value{}, err
	}
	in := make([]reflect.Value, len(args))
	for i, a := range args {
		in[i] = reflect.ValueOf(a)
	}
	return reflect.ValueOf(map[string][]byte(c)).Convert(helmFiles).MethodByName(name).Call(in)[0], nil
}

// filesEntry is what a map entry costs, copied.
const filesEntry = 64

func (c chargedFiles) total() int64 {
	var n int64
	for _, v := range c {
		n += int64(len(v)) + filesEntry
	}
	return n
}

func (c chargedFiles) Get(name string) (string, error) {
	v, err := c.call("Get", int64(len(c[name])), name)
	if err != nil {
		return "", err
	}
	return v.String(), nil
}

func (c chargedFiles) GetBytes(name string) ([]byte, error) {
	v, err := c.call("GetBytes", 0, name)
	if err != nil {
		return nil, err
	}
	return v.Bytes(), nil
}

func (c chargedFiles) Lines(path string) ([]string, error) {
	data := c[path]
	v, err := c.call("Lines", sat(int64(len(data))+product(int64(bytes.Count(data, []byte{'\n'}))+1, 16)), path)
	if err != nil {
		return nil, err
	}
	return v.Interface().([]string), nil
}

// maxGlobWildcards bounds the wildcards of a .Files.Glob pattern: the matcher backtracks over
// the name at each, inside one call past every deadline (sixteen over a 252-character name took
// minutes). A real pattern has one or two (`config/*.yaml`, `files/**`).
const maxGlobWildcards = 8

func (c chargedFiles) Glob(pattern string) (chargedFiles, error) {
	if n := strings.Count(pattern, "*") + strings.Count(pattern, "?"); n > maxGlobWildcards {
		return nil, fmt.Errorf("%w: .Files.Glob %q has %d wildcards, more than the %d ekslint matches names against", errLimit, pattern, n, maxGlobWildcards)
	}
	v, err := c.call("Glob", product(int64(len(c)), filesEntry), pattern)
	if err != nil {
		return nil, err
	}
	return c.guard().charged(v.Convert(reflect.TypeFor[map[string][]byte]()).Interface().(map[string][]byte)), nil
}

func (c chargedFiles) AsConfig() (string, error) {
	v, err := c.call("AsConfig", product(c.total(), 2))
	if err != nil {
		return "", err
	}
	return v.String(), nil
}

func (c chargedFiles) AsSecrets() (string, error) {
	v, err := c.call("AsSecrets", product(c.total(), 2))
	if err != nil {
		return "", err
	}
	return v.String(), nil
}
