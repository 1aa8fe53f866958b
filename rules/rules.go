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

// placeholderNote says in a rule's docs how it reads values a templating step fills in (see
// lint.IsPlaceholder): a what that holds a placeholder is not judged, while stand-ins written for a
// person to replace (literal) are still reported.
func placeholderNote(what, literal string) string {
	return "A " + what + " that holds a placeholder of a templating step (`${VAR}`, `$VAR`, `$(VAR)`, " +
		"`{{ ... }}`: envsubst, Flux, Kustomize vars, an unrendered template) is only known once the step has " +
		"run, so it is not judged; stand-ins written for a person to fill in (" + literal + ") are still reported."
}

// holdDiagnostics runs check on p's object and returns what it reports instead of reporting it: a
// set rule's collect step holds what may be reported until its check knows the other objects.
func holdDiagnostics(p *lint.Pass, check func(*lint.Pass)) []lint.Diagnostic {
	var held []lint.Diagnostic
	q := *p
	q.Emit = func(d lint.Diagnostic) { held = append(held, d) }
	check(&q)
	return held
}
