package rules

import (
	"iter"

	"github.com/ekslint/ekslint/lint"
)

// A selectorIndex finds the selectors (of PodDisruptionBudgets, of Services) that select a set of
// pod labels without comparing every selector with every workload, so set rules stay near-linear
// on runs of 100k objects. A selector with matchLabels is filed under the one of them that the
// fewest selectors share (every pod it selects carries all of them, so any one will do, and the
// rarest keeps buckets small when many selectors share a label such as env=prod); the rest are
// kept per namespace. Pairs on labels that controllers add to pods (templatePairs) are not filed
// under, since no pod template carries them.
type selectorIndex[T any] struct {
	byPair map[string][]indexedSelector[T] // namespace + "\x00" + key=value
	anyNs  map[string][]indexedSelector[T] // key=value, any namespace
	rest   map[string][]indexedSelector[T] // namespace → selectors without matchLabels
}

// indexedSelector is a selector of a namespace and what it belongs to.
type indexedSelector[T any] struct {
	namespace string
	selector  lint.LabelSelector
	value     T
	order     int // its place among the selectors the index was made of
}

func newSelectorIndex[T any](selectors []indexedSelector[T]) *selectorIndex[T] {
	shared := map[string]int{}
	for _, s := range selectors {
		for k, v := range templatePairs(s.selector).All() {
			shared[k+"="+v]++
		}
	}
	x := &selectorIndex[T]{byPair: map[string][]indexedSelector[T]{}, anyNs: map[string][]indexedSelector[T]{},
		rest: map[string][]indexedSelector[T]{}}
	for i, s := range selectors {
		s.order = i
		rarest := ""
		for k, v := range templatePairs(s.selector).All() {
			pair := k + "=" + v
			if rarest == "" || shared[pair] < shared[rarest] || shared[pair] == shared[rarest] && pair < rarest {
				rarest = pair
			}
		}
		if rarest == "" {
			x.rest[s.namespace] = append(x.rest[s.namespace], s)
			continue
		}
		x.byPair[s.namespace+"\x00"+rarest] = append(x.byPair[s.namespace+"\x00"+rarest], s)
		x.anyNs[rarest] = append(x.anyNs[rarest], s)
	}
	return x
}

// selecting yields what the selectors of namespace that select the pods of a workload (its
// template's labels, its controller) belong to, each once, in no particular order.
func (x *selectorIndex[T]) selecting(namespace string, labels lint.Labels, c podController) iter.Seq[T] {
	return func(yield func(T) bool) {
		for _, s := range x.rest[namespace] {
			if selectsPods(s.selector, labels, c) && !yield(s.value) {
				return
			}
		}
		for k, v := range labels.All() {
			for _, s := range x.byPair[namespace+"\x00"+k+"="+v] {
				if selectsPods(s.selector, labels, c) && !yield(s.value) {
					return
				}
			}
		}
	}
}

// selectingInOrder yields what selecting does, in the order the selectors were given to
// newSelectorIndex: each bucket keeps that order, and the few buckets a workload's labels name are
// merged, so a caller that wants the first selector in some order (the Service named first) stops
// there instead of sorting every selector that selects the pods.
func (x *selectorIndex[T]) selectingInOrder(namespace string, labels lint.Labels, c podController) iter.Seq[T] {
	return func(yield func(T) bool) {
		buckets := [][]indexedSelector[T]{x.rest[namespace]}
		for k, v := range labels.All() {
			if b := x.byPair[namespace+"\x00"+k+"="+v]; len(b) > 0 {
				buckets = append(buckets, b)
			}
		}
		for {
			next := -1
			for i, b := range buckets {
				if len(b) > 0 && (next < 0 || b[0].order < buckets[next][0].order) {
					next = i
				}
			}
			if next < 0 {
				return
			}
			s := buckets[next][0]
			buckets[next] = buckets[next][1:]
			if selectsPods(s.selector, labels, c) && !yield(s.value) {
				return
			}
		}
	}
}

// selectingElsewhere yields what the selectors with matchLabels of namespaces other than namespace
// that would select a workload's pods belong to, each once and in no particular order: a hint for
// messages, since a selector only selects pods of its own namespace.
func (x *selectorIndex[T]) selectingElsewhere(namespace string, labels lint.Labels, c podController) iter.Seq[T] {
	return func(yield func(T) bool) {
		for k, v := range labels.All() {
			for _, s := range x.anyNs[k+"="+v] {
				if s.namespace != namespace && selectsPods(s.selector, labels, c) && !yield(s.value) {
					return
				}
			}
		}
	}
}
