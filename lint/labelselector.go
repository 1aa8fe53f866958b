package lint

import (
	"slices"
	"strings"
)

// A LabelSelector is a Kubernetes label selector (matchLabels and matchExpressions) read out of its
// object. Set rules keep selectors rather than Nodes, so they can match the selectors of many
// objects after the objects themselves are gone.
type LabelSelector struct {
	present bool // false: the selector is missing or null, and selects nothing
	invalid bool // an operator Kubernetes rejects: the API refuses the object, so it selects nothing
	labels  Labels
	exprs   []labelRequirement
}

type labelRequirement struct {
	key, op string
	values  []string
}

// SelectorOf reads a LabelSelector field. As in the API, a missing selector selects nothing and an
// empty one (`{}`) selects everything.
func SelectorOf(sel Node) LabelSelector {
	if !sel.IsMap() {
		return LabelSelector{}
	}
	s := LabelSelector{present: true, labels: sel.Get("matchLabels").Labels()}
	for _, e := range sel.Get("matchExpressions").Items() {
		r := labelRequirement{key: e.Get("key").Str(), op: e.Get("operator").Str(), values: e.Get("values").Strings()}
		switch r.op {
		case "In", "NotIn", "Exists", "DoesNotExist":
		default:
			s.invalid = true
		}
		s.exprs = append(s.exprs, r)
	}
	return s
}

// Matches reports whether the selector selects pods (or objects) with the given labels.
func (s LabelSelector) Matches(labels Labels) bool {
	if !s.present || s.invalid {
		return false
	}
	for k, v := range s.labels.All() {
		if got, ok := labels.Get(k); !ok || got != v {
			return false
		}
	}
	for _, r := range s.exprs {
		got, has := labels.Get(r.key)
		in := has && slices.Contains(r.values, got)
		switch r.op {
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
		}
	}
	return true
}

// SelectsAll reports whether the selector is present and empty, so it selects everything.
func (s LabelSelector) SelectsAll() bool {
	return s.present && !s.invalid && s.labels.Len() == 0 && len(s.exprs) == 0
}

// MatchLabels is the selector's matchLabels: every object it selects carries all of them, which is
// what set rules index selectors by.
func (s LabelSelector) MatchLabels() Labels { return s.labels }

// String writes the selector as kubectl does (`app=web,tier in (api,web)`), for messages.
func (s LabelSelector) String() string {
	parts := []string{}
	if l := s.labels.String(); l != "" {
		parts = append(parts, l)
	}
	for _, r := range s.exprs {
		switch r.op {
		case "In", "NotIn":
			parts = append(parts, r.key+" "+strings.ToLower(r.op)+" ("+strings.Join(r.values, ",")+")")
		case "Exists":
			parts = append(parts, r.key)
		case "DoesNotExist":
			parts = append(parts, "!"+r.key)
		default:
			parts = append(parts, r.key+" "+r.op)
		}
	}
	return strings.Join(parts, ",")
}
