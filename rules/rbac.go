package rules

import "github.com/ekslint/ekslint/lint"

// G8: RBAC and aws-auth (Kubernetes).

// rbac are the G8 rules in catalogue order.
var rbac = []*lint.Rule{}
