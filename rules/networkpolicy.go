package rules

import "github.com/ekslint/ekslint/lint"

// G6: namespace-wide network policy (Kubernetes).

// networkPolicy are the G6 rules in catalogue order.
var networkPolicy = []*lint.Rule{}
