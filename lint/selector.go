package lint

import (
	"slices"
	"sort"
	"strings"
)

// Selects reports whether a Kubernetes label selector selects pods with the given labels. sel is
// a LabelSelector (matchLabels and matchExpressions); an empty selector selects everything and a
// missing one selects nothing, as in the API.
func Selects(sel Node, labels map[string]string) bool { return SelectorOf(sel).Matches(labels) }

// A LabelSelector is a Kubernetes LabelSelector (matchLabels and matchExpressions) read out of its
// object. Set rules keep it after the object is gone, to match it against pods seen elsewhere in
// the run (a NetworkPolicy's podSelector, a PodDisruptionBudget's selector). The zero value is
// `{}`: it selects everything.
type LabelSelector struct {
	matchLabels map[string]string
	exprs       []requirement
	none        bool // the field is missing or not a mapping: selects nothing
}

type requirement struct {
	key, op string
	values  []string
}

// SelectorOf reads a LabelSelector field. A missing field, or one that is not a mapping, selects
// nothing; `{}` selects everything.
func SelectorOf(sel Node) LabelSelector {
	if !sel.IsMap() {
		return LabelSelector{none: true}
	}
	s := LabelSelector{matchLabels: sel.Get("matchLabels").StringMap()}
	for _, e := range sel.Get("matchExpressions").Items() {
		s.exprs = append(s.exprs, requirement{key: e.Get("key").Str(), op: e.Get("operator").Str(), values: e.Get("values").Strings()})
	}
	return s
}

// IsEmpty reports whether the selector is `{}`: it selects every pod.
func (s LabelSelector) IsEmpty() bool { return !s.none && len(s.matchLabels) == 0 && len(s.exprs) == 0 }

// Matches reports whether the selector selects pods with the given labels.
func (s LabelSelector) Matches(labels map[string]string) bool {
	if s.none {
		return false
	}
	for k, v := range s.matchLabels {
		if got, ok := labels[k]; !ok || got != v {
			return false
		}
	}
	for _, e := range s.exprs {
		got, has := labels[e.key]
		in := has && slices.Contains(e.values, got)
		switch e.op {
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
			return false // the API rejects other operators
		}
	}
	return true
}

// String writes the selector as kubectl's -l flag does: `app=web,tier in (a,b),!legacy`; `{}` for
// the empty selector.
func (s LabelSelector) String() string {
	if s.IsEmpty() || s.none {
		return "{}"
	}
	var parts []string
	keys := make([]string, 0, len(s.matchLabels))
	for k := range s.matchLabels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, k+"="+s.matchLabels[k])
	}
	for _, e := range s.exprs {
		switch e.op {
		case "Exists":
			parts = append(parts, e.key)
		case "DoesNotExist":
			parts = append(parts, "!"+e.key)
		default:
			parts = append(parts, e.key+" "+strings.ToLower(e.op)+" ("+strings.Join(e.values, ",")+")")
		}
	}
	return strings.Join(parts, ",")
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
