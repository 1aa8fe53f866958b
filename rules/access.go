package rules

import "github.com/ekslint/ekslint/lint"

// G2: cluster access and identity (eksctl and CloudFormation).

// access are the G2 rules in catalogue order.
var access = []*lint.Rule{}
