package lint

// Selects reports whether a Kubernetes label selector selects pods with the given labels. sel is
// a LabelSelector (matchLabels and matchExpressions); an empty selector selects everything and a
// missing one selects nothing, as in the API.
func Selects(sel Node, labels map[string]string) bool {
	if !sel.IsMap() {
		return false
	}
	for k, v := range sel.Get("matchLabels").StringMap() {
		if got, ok := labels[k]; !ok || got != v {
			return false
		}
	}
	for _, e := range sel.Get("matchExpressions").Items() {
		key := e.Get("key").Str()
		got, has := labels[key]
		values := e.Get("values").Strings()
		in := false
		for _, v := range values {
			if has && got == v {
				in = true
			}
		}
		switch e.Get("operator").Str() {
		case "In":
			if !in {
				return false
			}
		case "NotIn":
			if in {
				return false
			}
		case "Exists":
			if !has {
				return false
			}
		case "DoesNotExist":
			if has {
				return false
			}
		default:
			return false
		}
	}
	return true
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
