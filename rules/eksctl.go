package rules

import (
	"regexp"
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

// eksctlClusterName names the cluster a ClusterConfig configures: configs with the same
// metadata.name and region configure one cluster.
type eksctlClusterName struct{ name, region, file string }

// clusterNameOf is the cluster o configures. Configs meant for envsubst name the cluster with a
// variable, spelled `$EKS_CLUSTER_NAME` in one file and `${EKS_CLUSTER_NAME}` in the next (the EKS
// workshop does): both spellings are the same variable, so they name the same cluster. A config
// without a name is given one on the command line (`eksctl create cluster --name`), so it is a
// cluster of its own, told apart by its file.
func clusterNameOf(o *lint.Object) eksctlClusterName {
	c := eksctlClusterName{
		name:   bracedVariable.ReplaceAllString(o.Get("metadata", "name").Str(), "$$$1"),
		region: bracedVariable.ReplaceAllString(o.Get("metadata", "region").Str(), "$$$1"),
	}
	if c.name == "" {
		c.file = o.Place().Pos.File
	}
	return c
}

// bracedVariable is a shell variable written with braces, `${NAME}`, without any expansion
// operator inside (`${NAME:-default}` is left alone).
var bracedVariable = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// definesCluster reports whether a ClusterConfig sets what only creating or changing the cluster
// reads: a top-level field other than metadata and what eksctl adds to an existing cluster from a
// config file (node groups, Fargate profiles, addons, IAM service accounts and pod identity
// associations, identity mappings), or a vpc field other than the ones `eksctl create nodegroup
// --config-file` reads to place node groups in a VPC eksctl did not make (id, subnets,
// securityGroup, sharedNodeSecurityGroup). Those commands (create nodegroup, fargateprofile,
// addon, iamserviceaccount, podidentityassociation, iamidentitymapping) read metadata (name,
// region, version, tags) and their own section, and take everything else from the existing
// cluster.
func definesCluster(o *lint.Object) bool {
	for _, e := range o.Root().Entries() {
		switch e.Key() {
		case "apiVersion", "kind", "metadata", "nodeGroups", "managedNodeGroups", "fargateProfiles", "addons", "iamIdentityMappings":
		case "iam":
			for _, f := range e.Entries() {
				switch f.Key() {
				case "serviceAccounts", "podIdentityAssociations", "withOIDC":
				default:
					return true
				}
			}
		case "vpc":
			for _, f := range e.Entries() {
				switch f.Key() {
				case "id", "subnets", "securityGroup", "sharedNodeSecurityGroup":
				default:
					return true
				}
			}
		default:
			return true
		}
	}
	return false
}

// eksctlClusterNote is said in the docs of every rule about a cluster as a whole.
const eksctlClusterNote = "An eksctl cluster is judged once, on the ClusterConfig that defines it: one that sets " +
	"anything besides `metadata`, the node groups and the `vpc` fields a node group needs (`id`, `subnets`, " +
	"`securityGroup`, `sharedNodeSecurityGroup`), which is all `eksctl create nodegroup --config-file` reads, " +
	"and besides what the other commands that add to an existing cluster read (`fargateProfiles`, `addons`, " +
	"`iam.serviceAccounts`, `iam.podIdentityAssociations`, `iam.withOIDC`, `iamIdentityMappings`). A config of " +
	"those alone adds to a cluster, but also creates one with every default (as eksctl's own examples do), so it " +
	"is judged only when no config of the run with the same name and region defines the cluster, and then only " +
	"the first of them: nine node group files of one cluster give one finding, not nine. A config without a name " +
	"(given on the command line) is a cluster of its own."

// heldReports are what a cluster-level check reported about one eksctl ClusterConfig, held until
// the whole run is seen and it is known whether this config is the one judged for its cluster.
type heldReports struct {
	cluster eksctlClusterName
	defines bool
	reports []lint.Diagnostic
}

// holdReports runs check on a ClusterConfig and holds what it reports.
func holdReports(p *lint.Pass, check func(*lint.Pass)) heldReports {
	o := p.Object
	return heldReports{
		cluster: clusterNameOf(o),
		defines: definesCluster(o),
		reports: holdDiagnostics(p, check),
	}
}

// reportJudged reports what was held about the configs judged for their cluster (see
// eksctlClusterNote). held is in input order and holds every ClusterConfig of the run, reports or
// not, so that the first of a cluster's node group configs is known.
func reportJudged(held []heldReports, s *lint.SetPass) {
	defined := map[eksctlClusterName]bool{}
	for _, h := range held {
		defined[h.cluster] = defined[h.cluster] || h.defines
	}
	judged := map[eksctlClusterName]bool{}
	for _, h := range held {
		if h.defines || !defined[h.cluster] && !judged[h.cluster] {
			judged[h.cluster] = true
			for _, d := range h.reports {
				s.Emit(d)
			}
		}
	}
}

// clusterLevel makes a check of a cluster's own settings a set check that judges each eksctl
// cluster once (see eksctlClusterNote). Other objects (a CloudFormation AWS::EKS::Cluster, which is
// one cluster) are checked as they come.
func clusterLevel(check func(*lint.Pass)) lint.SetCheck {
	return lint.Gather(func(p *lint.Pass) (heldReports, bool) {
		if clusterConfig(p) == nil {
			check(p)
			return heldReports{}, false
		}
		return holdReports(p, check), true
	}, reportJudged)
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
