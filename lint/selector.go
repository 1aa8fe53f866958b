package lint

// Selects reports whether a Kubernetes label selector selects pods with the given labels. sel is
// a LabelSelector (matchLabels and matchExpressions); an empty selector selects everything and a
// missing one selects nothing, as in the API.
func Selects(sel Node, labels Labels) bool {
	return SelectorOf(sel).Matches(labels)
}
