package rules

import (
	"slices"

	"github.com/ekslint/ekslint/lint"
)

// All returns every rule, in catalogue order. Each group file keeps its rules in a slice, in
// RULES.md order.
func All() []*lint.Rule {
	return slices.Concat(controlPlane, access, addons, nodeGroups, workloads, networkPolicy, services, rbac, podSecurity)
}
