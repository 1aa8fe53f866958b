package lint

import (
	"cmp"
	"iter"
	"maps"
	"slices"
	"sort"
	"strings"
)

// Labels are the string pairs of a mapping (an object's labels, a selector's matchLabels, a
// Service's selector), sorted by key, in one slice. Set rules keep a label set for every workload
// of a run until its end: as a Go map a single label costs about 270 bytes, as pairs 56.
type Labels struct{ kv []string } // key, value, key, value, …: keys sorted, each once

// LabelsOf makes Labels from a map, for label sets written in code.
func LabelsOf(m map[string]string) Labels {
	l := Labels{kv: make([]string, 0, 2*len(m))}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		l.kv = append(l.kv, k, m[k])
	}
	return l
}

// labelsFrom sorts pairs (key, value, …) by key; of a key given more than once the last value is
// kept, as a YAML decoder or a Go map would.
func labelsFrom(pairs []string) Labels {
	type pair struct{ k, v string }
	ps := make([]pair, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		ps = append(ps, pair{pairs[i], pairs[i+1]})
	}
	slices.SortStableFunc(ps, func(a, b pair) int { return cmp.Compare(a.k, b.k) })
	kv := pairs[:0]
	for i, p := range ps {
		if i+1 < len(ps) && ps[i+1].k == p.k {
			continue
		}
		kv = append(kv, p.k, p.v)
	}
	return Labels{kv: kv}
}

// Len is how many labels there are.
func (l Labels) Len() int { return len(l.kv) / 2 }

// Get returns the value of key, and whether the labels have it.
func (l Labels) Get(key string) (string, bool) {
	i := sort.Search(l.Len(), func(i int) bool { return l.kv[2*i] >= key })
	if i < l.Len() && l.kv[2*i] == key {
		return l.kv[2*i+1], true
	}
	return "", false
}

// All yields each key and value, sorted by key.
func (l Labels) All() iter.Seq2[string, string] {
	return func(yield func(string, string) bool) {
		for i := 0; i+1 < len(l.kv); i += 2 {
			if !yield(l.kv[i], l.kv[i+1]) {
				return
			}
		}
	}
}

// String writes the labels as `k=v,k2=v2`, the form kubectl accepts with -l.
func (l Labels) String() string {
	var b strings.Builder
	for i := 0; i+1 < len(l.kv); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(l.kv[i])
		b.WriteByte('=')
		b.WriteString(l.kv[i+1])
	}
	return b.String()
}
