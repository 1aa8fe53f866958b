package lint

import "strconv"

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
