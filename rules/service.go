package rules

import "github.com/ekslint/ekslint/lint"

// G7: Services and load balancers (Kubernetes and the AWS Load Balancer Controller).

// services are the G7 rules in catalogue order.
var services = []*lint.Rule{}
