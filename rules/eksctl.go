package rules

import (
	"slices"

	"github.com/ekslint/ekslint/lint"
)

// eksctl rules read a ClusterConfig (apiVersion eksctl.io/v1alpha5). A field left out takes
// eksctl's default (RULES.md appendix A); a finding caused by a default lands on the nearest
// enclosing block that exists, else on metadata.name.

// clusterConfig returns the object when it is an eksctl ClusterConfig.
func clusterConfig(p *lint.Pass) *lint.Object {
	if o := p.Object; o.Format == lint.Eksctl && o.Kind() == "ClusterConfig" {
		return o
	}
	return nil
}

func uniq(items []string) []string {
	var out []string
	for _, s := range items {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// eksctlCluster writes the ClusterConfig examples in rule docs: cluster goes in at the top level,
// nodeGroup into the one managed node group.
func eksctlCluster(cluster, nodeGroup string) string {
	return `apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata:
  name: prod
  region: eu-west-1
  version: "1.34"
` + cluster + `managedNodeGroups:
  - name: workers
    instanceType: m6i.large
` + nodeGroup
}
