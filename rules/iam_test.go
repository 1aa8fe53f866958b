package rules

import (
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/linttest"
)

// objectsOf lints src with a rule that keeps the objects it sees.
func objectsOf(t *testing.T, src string) []*lint.Object {
	t.Helper()
	var objs []*lint.Object
	keep := &lint.Rule{ID: "keep", Level: lint.Note, Inputs: lint.CloudFormationInput | lint.EksctlInput,
		Check: func(p *lint.Pass) { objs = append(objs, p.Object) }}
	req := linttest.Only(keep)
	req.Workers = 1
	res := linttest.LintString(t, src, req)
	for _, p := range res.Problems {
		t.Fatalf("input problem: %s", p)
	}
	return objs
}

func TestPolicyRefs(t *testing.T) {
	objs := objectsOf(t, `Parameters:
  Extra: {Type: String}
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy
        - !Sub arn:${AWS::Partition}:iam::aws:policy/AmazonEKS_CNI_Policy
        - !Sub ["arn:${Partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy", {Partition: !Ref "AWS::Partition"}]
        - {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/AmazonEC2ContainerRegistryPullOnly"]]}
        - !If [Prod, arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy, !Ref "AWS::NoValue"]
        - arn:aws:iam::111122223333:policy/AmazonEKSClusterPolicy
  Opaque:
    Type: AWS::IAM::Role
    Properties:
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy
        - !Sub arn:${AWS::Partition}:iam::aws:policy/${Extra}
`)
	refs, opaque := policyRefs(objs[0].Properties().Get("ManagedPolicyArns"))
	var names []string
	for _, r := range refs {
		if r.awsManaged {
			names = append(names, r.name)
		}
	}
	want := "AmazonEKSWorkerNodePolicy AmazonEKS_CNI_Policy AmazonEBSCSIDriverPolicy AmazonEC2ContainerRegistryPullOnly CloudWatchAgentServerPolicy"
	if got := strings.Join(names, " "); got != want || opaque {
		t.Errorf("AWS managed policies = %q (opaque %v), want %q", got, opaque, want)
	}
	if hasPolicy(refs, clusterPolicy) {
		t.Error("a customer managed policy named AmazonEKSClusterPolicy counted as the AWS managed one")
	}
	if _, opaque := policyRefs(objs[1].Properties().Get("ManagedPolicyArns")); !opaque {
		t.Error("a policy named by a parameter should make the list opaque")
	}
}

// TestWrongShapes runs every access and node group rule over configs and templates whose fields
// have the wrong shape: rules must neither panic nor report (eksctl and CloudFormation reject
// these inputs themselves).
func TestWrongShapes(t *testing.T) {
	src := `apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig
metadata: {name: odd, region: eu-west-1}
accessConfig: [API]
iam: {withOIDC: "yes", serviceAccounts: 3, podIdentityAssociations: {a: b}}
iamIdentityMappings: [3, {groups: system:masters}]
addons: [3, {name: [vpc-cni]}]
addonsConfig: []
nodeGroups:
  - name: [x]
    ssh: yes
    iam: {attachPolicyARNs: "arn:aws:iam::aws:policy/AdministratorAccess", attachPolicy: "{not json", withAddonPolicies: [ebs]}
    availabilityZones: eu-west-1a
    bottlerocket: true
managedNodeGroups: [{ssh: {allow: "true", publicKeyName: [ops]}, disableIMDSv1: "false"}]
---
Resources:
  Cluster:
    Type: AWS::EKS::Cluster
    Properties:
      AccessConfig: [API]
      RoleArn: !GetAtt [Missing]
      ResourcesVpcConfig: {SecurityGroupIds: !Ref Sg}
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties: {SecurityGroupIngress: "all", GroupDescription: x}
  Ingress:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: !Ref Sg, IpProtocol: [tcp], FromPort: {a: 1}, CidrIp: [0.0.0.0/0]}
  Role:
    Type: AWS::IAM::Role
    Properties:
      ManagedPolicyArns: [!Sub [], !Join [x], !If [c], {"Fn::If": 3}, !Sub {a: b}]
      Policies: [{PolicyDocument: {Statement: 5}}, {PolicyDocument: !Sub "x"}, 7]
  Nodes:
    Type: AWS::EKS::Nodegroup
    Properties:
      NodeRole: !GetAtt Role.Arn
      RemoteAccess: ops
      Subnets: [[a]]
      LaunchTemplate: {Name: [x], Id: !Ref Role}
  Entry:
    Type: AWS::EKS::AccessEntry
    Properties: {AccessPolicies: [3, {PolicyArn: [x], AccessScope: cluster}], KubernetesGroups: system:masters}
  Template:
    Type: AWS::EC2::LaunchTemplate
    Properties: {LaunchTemplateData: {MetadataOptions: [required]}}
`
	rules := append(append([]*lint.Rule{}, access...), nodeGroups...)
	res := linttest.LintString(t, src, linttest.Only(rules...))
	for _, p := range res.Problems {
		t.Errorf("problem: %s", p)
	}
	// eksctl defaults still apply to the node groups (disablePodIMDS, privateNetworking) and the
	// cluster (authentication mode, vpc-cni); nothing may come from reading a wrong-shaped field.
	defaults := map[string]bool{"eks-nodegroup-pod-imds-reachable": true, "eks-nodegroup-public-subnets": true,
		"eks-auth-mode-not-api-only": true, "eks-creator-admin-bootstrap": true, "eks-vpc-cni-uses-node-role": true,
		"eks-no-workload-identity": true}
	for _, f := range res.Findings {
		if f.Pos.Line > strings.Count(src[:strings.Index(src, "---")], "\n") || !defaults[f.Rule.ID] {
			t.Errorf("%s: unexpected %s: %s", f.Pos, f.Rule.ID, f.Message)
		}
	}
}
