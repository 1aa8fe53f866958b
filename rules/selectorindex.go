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
	for _, s := range selectors {
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
