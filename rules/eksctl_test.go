package rules_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/linttest"
	"github.com/ekslint/ekslint/rules"
)

// Files that add node groups (or Fargate profiles, addons, IAM service accounts) to a cluster give
// its cluster-level findings once: on the config that defines the cluster, else on the first of
// them; never once per file.
func TestEksctlClusterJudgedOnce(t *testing.T) {
	var clusterRules []*lint.Rule
	for _, r := range rules.All() {
		if r.Inputs&lint.EksctlInput != 0 && !strings.HasPrefix(r.ID, "eks-nodegroup-") {
			clusterRules = append(clusterRules, r)
		}
	}
	const meta = "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {name: prod, region: eu-west-1}\n"
	nodeGroups := map[string]string{}
	for i := 1; i <= 9; i++ {
		nodeGroups[fmt.Sprintf("ng-%d.yaml", i)] = meta + fmt.Sprintf("managedNodeGroups: [{name: ng-%d}]\n", i)
	}
	withCluster := map[string]string{"cluster.yaml": meta + "cloudWatch: {clusterLogging: {enableTypes: [api]}}\n",
		// What the other commands that add to an existing cluster read.
		"fargate.yaml": meta + "fargateProfiles: [{name: fp, selectors: [{namespace: jobs}]}]\n",
		"iamsa.yaml":   meta + "iam:\n  withOIDC: true\n  serviceAccounts: [{metadata: {name: s3-reader, namespace: app}, attachPolicyARNs: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]}]\n",
		"addon.yaml":   meta + "addons: [{name: vpc-cni}]\n",
	}
	for name, src := range nodeGroups {
		withCluster[name] = src
	}
	// Files meant for envsubst spell one variable two ways.
	withPlaceholders := map[string]string{
		"cluster.yaml": strings.ReplaceAll(withCluster["cluster.yaml"], "{name: prod, region: eu-west-1}", "{name: '${EKS_CLUSTER_NAME}', region: '${AWS_REGION}'}"),
		"ng.yaml":      strings.ReplaceAll(nodeGroups["ng-1.yaml"], "{name: prod, region: eu-west-1}", "{name: $EKS_CLUSTER_NAME, region: $AWS_REGION}"),
	}
	for _, c := range []struct {
		name  string
		files map[string]string
		want  string // the only file with findings
	}{
		{"with the cluster's config", withCluster, "cluster.yaml"},
		{"node group files alone", nodeGroups, "ng-1.yaml"},
		{"placeholders spelled $X and ${X}", withPlaceholders, "cluster.yaml"},
	} {
		req := only(clusterRules...)
		res := linttest.LintFiles(t, c.files, req)
		files := map[string]int{}
		for _, f := range res.Findings {
			files[filepath.Base(f.Pos.File)]++
		}
		if len(files) != 1 || files[c.want] == 0 {
			t.Errorf("%s: findings per file %v, want them all in %s", c.name, files, c.want)
		}
	}
	// Configs without a name get one on the command line: each is a cluster of its own.
	nameless := map[string]string{
		"a.yaml": "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {region: eu-west-1}\nmanagedNodeGroups: [{name: a}]\n",
		"b.yaml": "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata: {region: eu-west-1}\nmanagedNodeGroups: [{name: b}]\n",
	}
	files := map[string]int{}
	for _, f := range linttest.LintFiles(t, nameless, only(clusterRules...)).Findings {
		files[filepath.Base(f.Pos.File)]++
	}
	if len(files) != 2 {
		t.Errorf("nameless configs: findings per file %v, want findings in both", files)
	}
}
