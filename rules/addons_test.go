package rules_test

import (
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/linter"
	"github.com/ekslint/ekslint/lint/linttest"
	"github.com/ekslint/ekslint/rules"
)

// lintString runs one rule over YAML documents given as separate inputs, the way a run over
// several files sees them.
func lintString(t *testing.T, r *lint.Rule, docs ...string) *linter.Result {
	t.Helper()
	// Documents of one stream are one input; a template per document keeps them apart.
	req := only(r)
	req.StdinName = "run.yaml"
	res := linttest.LintString(t, strings.Join(docs, "---\n"), req)
	for _, p := range res.Problems {
		t.Errorf("problem: %s", p)
	}
	return res
}

const clusterWithoutAddons = `Resources:
  Cluster:
    Type: AWS::EKS::Cluster
    Properties:
      Name: prod
`

// A detector that lets GuardDuty manage its agent covers every cluster of the run: nothing to report.
func TestGuardDutyAgentManagedByDetector(t *testing.T) {
	detector := `Resources:
  Detector:
    Type: AWS::GuardDuty::Detector
    Properties:
      Enable: true
      Features:
        - Name: RUNTIME_MONITORING
          Status: ENABLED
          AdditionalConfiguration:
            - {Name: EKS_ADDON_MANAGEMENT, Status: ENABLED}
`
	eksctl := "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: c\n  region: eu-west-1\n"
	r := rules.GuardDutyAgentAddonMissing
	if got := lintString(t, r, clusterWithoutAddons, eksctl).Findings; len(got) != 2 {
		t.Fatalf("without a detector: %d findings, want 2", len(got))
	}
	if got := lintString(t, r, clusterWithoutAddons, eksctl, detector).Findings; len(got) != 0 {
		t.Errorf("with a detector managing the agent: %d findings, want 0", len(got))
	}
	manual := strings.Replace(detector, "Status: ENABLED}", "Status: DISABLED}", 1)
	if got := lintString(t, r, clusterWithoutAddons, manual).Findings; len(got) != 1 {
		t.Errorf("with a detector not managing the agent: %d findings, want 1", len(got))
	}
}

// An add-on in another template whose cluster is a parameter may belong to any cluster of the run.
func TestAddonInAnotherStack(t *testing.T) {
	addonStack := `Parameters:
  ClusterName:
    Type: String
Resources:
  VpcCni:
    Type: AWS::EKS::Addon
    Properties:
      AddonName: vpc-cni
      ClusterName: !Ref ClusterName
      ConfigurationValues: '{"enableNetworkPolicy": "true"}'
`
	r := rules.VPCCNINetworkPolicyDisabled
	if got := lintString(t, r, clusterWithoutAddons).Findings; len(got) != 1 {
		t.Fatalf("cluster alone: %d findings, want 1", len(got))
	}
	if got := lintString(t, r, clusterWithoutAddons, addonStack).Findings; len(got) != 0 {
		t.Errorf("with the add-on stack: %d findings, want 0: %v", len(got), got)
	}
	named := strings.Replace(addonStack, "!Ref ClusterName", "staging", 1)
	if got := lintString(t, r, clusterWithoutAddons, named).Findings; len(got) != 1 {
		t.Errorf("with an add-on stack for another cluster: %d findings, want 1", len(got))
	}
}
