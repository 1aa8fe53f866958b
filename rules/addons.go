package rules

import "github.com/ekslint/ekslint/lint"

// G3: add-ons, network policy support and runtime monitoring (eksctl and CloudFormation).

// addons are the G3 rules in catalogue order.
var addons = []*lint.Rule{}
