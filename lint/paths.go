package lint

import (
	"strconv"
	"strings"
)

// pathCache makes field paths without building the same string twice. Every rule navigates every
// object from its root, and objects of a run share their shapes, so the same few hundred paths
// ("spec.template.spec.containers[0].resources") are joined millions of times. One cache serves
// one checker goroutine; it stops growing at a bound, so hostile input cannot make it large.
// A nil cache joins without caching.
type pathCache map[pathStep]string

type pathStep struct {
	parent, key string
	index       int // for list items; key is "" then
}

const maxCachedPaths = 1 << 16

func (c pathCache) join(path, k string) string {
	if s, ok := c[pathStep{parent: path, key: k}]; ok {
		return s
	}
	s := joinKey(path, k)
	if c != nil && len(c) < maxCachedPaths {
		c[pathStep{parent: path, key: k}] = s
	}
	return s
}

func (c pathCache) index(path string, i int) string {
	if s, ok := c[pathStep{parent: path, index: i}]; ok {
		return s
	}
	s := path + "[" + strconv.Itoa(i) + "]"
	if c != nil && len(c) < maxCachedPaths {
		c[pathStep{parent: path, index: i}] = s
	}
	return s
}

// paths is the cache for n's object; the zero Node has none.
func (n Node) paths() pathCache {
	if n.obj == nil {
		return nil
	}
	return n.obj.paths
}

// A PathStep is one step of a field path: a mapping key, or (when Key is "") the Index-th item
// of a list.
type PathStep struct {
	Key   string
	Index int
}

// String writes the step as a Values path segment: the key, or the index in decimal.
func (s PathStep) String() string {
	if s.Key == "" {
		return strconv.Itoa(s.Index)
	}
	return s.Key
}

// Steps splits the field's path into its steps, for loaders that find the field again in the
// file a person edits.
func (n Node) Steps() []PathStep { return SplitPath(n.path) }

// SplitPath splits a path as Node.Path writes it: keys joined by dots, ['odd.key'] for keys with
// dots or brackets, [3] for list items.
func SplitPath(p string) []PathStep {
	var steps []PathStep
	for i := 0; i < len(p); {
		switch {
		case p[i] == '.':
			i++
		case strings.HasPrefix(p[i:], "['"):
			var b strings.Builder
			j := i + 2
			for ; j < len(p) && !strings.HasPrefix(p[j:], "']"); j++ {
				if p[j] == '\\' && j+1 < len(p) {
					j++
				}
				b.WriteByte(p[j])
			}
			steps = append(steps, PathStep{Key: b.String()})
			i = j + 2
		case p[i] == '[':
			j := strings.IndexByte(p[i:], ']')
			if j < 0 {
				return steps
			}
			n, _ := strconv.Atoi(p[i+1 : i+j])
			steps = append(steps, PathStep{Index: n})
			i += j + 1
		default:
			j := i
			for j < len(p) && p[j] != '.' && p[j] != '[' {
				j++
			}
			steps = append(steps, PathStep{Key: p[i:j]})
			i = j
		}
	}
	return steps
}
