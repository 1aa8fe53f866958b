package lint

// Selects reports whether a Kubernetes label selector selects pods with the given labels. sel is
// a LabelSelector (matchLabels and matchExpressions); an empty selector selects everything and a
// missing one selects nothing, as in the API.
func Selects(sel Node, labels map[string]string) bool {
	return SelectorOf(sel).Matches(labels)
}

// SelectsMap reports whether a plain map selector (a Service's spec.selector) selects pods with
// the given labels. An empty map selects nothing: Kubernetes then manages no endpoints.
func SelectsMap(sel, labels map[string]string) bool {
	if len(sel) == 0 {
		return false
	}
	for k, v := range sel {
		if got, ok := labels[k]; !ok || got != v {
			return false
		}
	}
	return true
}
