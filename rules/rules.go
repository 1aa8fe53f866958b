// Package rules holds ekslint's checks, one file per group of RULES.md. Each rule is a value: its
// id, level, documentation and check function. The engine takes them as a list; cmd/ekslint wires
// All into it.
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
