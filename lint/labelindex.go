package lint

import "iter"

// AnyNamespace asks a LabelIndex for label sets in every namespace.
const AnyNamespace = "\x00any"

// A LabelIndex holds many labelled things (pod templates, say) and finds those a selector
// matches without comparing every selector with every label set, so set rules stay near-linear on
// runs of 100k objects. Each label set is filed under its namespace and each of its key=value
// pairs; a lookup scans the smallest bucket among the selector's matchLabels, since every label
// set the selector matches carries all of them.
type LabelIndex[T any] struct {
	byPair map[string][]labelled[T] // namespace + "\x00" + key=value
	all    map[string][]labelled[T] // namespace → everything, for selectors without matchLabels
}

type labelled[T any] struct {
	labels Labels
	value  T
}

// NewLabelIndex makes an empty index.
func NewLabelIndex[T any]() *LabelIndex[T] {
	return &LabelIndex[T]{byPair: map[string][]labelled[T]{}, all: map[string][]labelled[T]{}}
}

// Add files value with its labels under namespace (and under AnyNamespace).
func (x *LabelIndex[T]) Add(namespace string, labels Labels, value T) {
	e := labelled[T]{labels, value}
	for _, ns := range []string{namespace, AnyNamespace} {
		x.all[ns] = append(x.all[ns], e)
		for k, v := range labels.All() {
			key := ns + "\x00" + k + "=" + v
			x.byPair[key] = append(x.byPair[key], e)
		}
	}
}

// Find yields, in the order they were added, the values in namespace (or any namespace) whose
// labels sel matches.
func (x *LabelIndex[T]) Find(namespace string, sel LabelSelector) iter.Seq[T] {
	return x.Search(namespace, sel.MatchLabels(), func(labels Labels, _ T) bool { return sel.Matches(labels) })
}

// Search yields, in the order they were added, the values in namespace (or any namespace) that
// match accepts, trying only label sets that may carry every pair of required. It is Find for
// callers that match more than labels: a selector may name labels that a pod's controller adds and
// no pod template carries, so rules look pod templates up by the pairs a template must carry and
// judge the rest themselves.
func (x *LabelIndex[T]) Search(namespace string, required Labels, match func(Labels, T) bool) iter.Seq[T] {
	return func(yield func(T) bool) {
		candidates := x.all[namespace]
		for k, v := range required.All() {
			b := x.byPair[namespace+"\x00"+k+"="+v]
			if len(b) == 0 {
				return // no label set carries this pair, so none matches
			}
			if len(b) < len(candidates) {
				candidates = b
			}
		}
		for _, e := range candidates {
			if match(e.labels, e.value) && !yield(e.value) {
				return
			}
		}
	}
}

// SelectorFromLabels makes a selector from a plain map (a Service's spec.selector), which
// requires every pair. As with Services, an empty map selects nothing.
func SelectorFromLabels(labels Labels) LabelSelector {
	return LabelSelector{present: labels.Len() > 0, labels: labels}
}
