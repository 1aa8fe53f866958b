package rules

import (
	"github.com/ekslint/ekslint/lint"
)

// G4: node groups (eksctl nodeGroups and managedNodeGroups, AWS::EKS::Nodegroup, launch
// templates, security groups).

// sshState is what eksctl does with SSH for a node group: allowed when ssh.allow is true, or when
// it is unset and a public key is given (eksctl setSSHDefaults turns allow on). at is the field
// that makes it so.
func sshState(ng lint.NodeGroup) (enabled bool, at lint.Node) {
	ssh := ng.Get("ssh")
	allow := ssh.Get("allow")
	if _, set := allow.Bool(); set {
		return allow.IsTrue(), allow
	}
	for _, k := range []string{"publicKey", "publicKeyName", "publicKeyPath"} {
		if ssh.Get(k).Exists() {
			return true, ssh
		}
	}
	return false, allow
}

var NodegroupSSHEnabled = &lint.Rule{
	ID:        "eks-nodegroup-ssh-enabled",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Node group allows SSH",
	Inputs:    "eksctl, cloudformation",
	Tags:      []string{"security", "eks"},
	Rationale: "SSH keys on nodes are long-lived credentials and an open port; Systems Manager Session Manager " +
		"(built into eksctl nodes) gives audited shell access without either. EKS Best Practices: block SSH " +
		"access to nodes (A1). eksctl turns SSH on when any public key is given, even without `allow: true`.",
	Fix: "Remove the `ssh` block (or set `ssh.allow: false`) and use `aws ssm start-session` to reach nodes.",
	Example: lint.Example{
		Bad:  eksctlCluster("", "    ssh:\n      publicKeyName: ops\n"),
		Good: eksctlCluster("", ""),
	},
	Equivalents: []string{"Checkov CKV_AWS_100 (when open to the world)"},
	Check: func(p *lint.Pass) {
		o := clusterConfig(p)
		if o == nil {
			return
		}
		for _, ng := range o.NodeGroups() {
			on, at := sshState(ng)
			if !on {
				continue
			}
			if at.Key() == "allow" {
				p.Report(at, "node group %q allows SSH (ssh.allow: true); use SSM Session Manager instead", ng.Get("name").Str())
			} else {
				p.Report(at, "node group %q allows SSH: eksctl turns ssh.allow on when a public key is given; remove the key or set allow: false", ng.Get("name").Str())
			}
		}
	},
}

var NodegroupSSHOpenToInternet = &lint.Rule{
	ID:        "eks-nodegroup-ssh-open-to-internet",
	Level:     lint.Error,
	DefaultOn: true,
	Title:     "Node group SSH is open to the internet",
	Inputs:    "eksctl, cloudformation",
	Tags:      []string{"security", "eks"},
	Rationale: "When SSH is on, the node group is in public subnets (no `privateNetworking`) and no " +
		"`sourceSecurityGroupIds` are given, eksctl adds security group rules allowing port 22 from 0.0.0.0/0 " +
		"and ::/0 (makeSSHIngressRules). EKS Best Practices: no SSH from the internet (A1, A3).",
	Fix: "Turn SSH off, or set `ssh.sourceSecurityGroupIds` to a bastion's security group, or `privateNetworking: true`.",
	Example: lint.Example{
		Bad:  eksctlCluster("", "    ssh:\n      allow: true\n      publicKeyName: ops\n"),
		Good: eksctlCluster("", "    privateNetworking: true\n    ssh:\n      allow: true\n      publicKeyName: ops\n"),
	},
	Equivalents: []string{"Checkov CKV_AWS_100"},
	Check: func(p *lint.Pass) {
		o := clusterConfig(p)
		if o == nil {
			return
		}
		for _, ng := range o.NodeGroups() {
			on, at := sshState(ng)
			if !on || ng.Get("ssh", "sourceSecurityGroupIds").Len() > 0 || ng.Get("privateNetworking").IsTrue() {
				continue
			}
			p.Report(at, "node group %q opens SSH (port 22) to 0.0.0.0/0 and ::/0: it has no ssh.sourceSecurityGroupIds and no privateNetworking",
				ng.Get("name").Str())
		}
	},
}

var NodegroupSingleAZ = &lint.Rule{
	ID:        "eks-nodegroup-single-az",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Node group is in one availability zone",
	Inputs:    "eksctl, cloudformation",
	Tags:      []string{"reliability", "eks"},
	Rationale: "A node group in one availability zone loses every node when that zone fails, and pods that " +
		"must spread across zones cannot. EKS Best Practices: spread worker nodes over several AZs (A17). " +
		"EFA node groups are exempt: EFA needs one AZ.",
	Fix: "List at least two (preferably three) zones in `availabilityZones`, or subnets in several zones in `subnets`.",
	Example: lint.Example{
		Bad:  eksctlCluster("", "    availabilityZones: [\"eu-west-1a\"]\n"),
		Good: eksctlCluster("", "    availabilityZones: [\"eu-west-1a\", \"eu-west-1b\", \"eu-west-1c\"]\n"),
	},
	Check: func(p *lint.Pass) {
		o := clusterConfig(p)
		if o == nil {
			return
		}
		for _, ng := range o.NodeGroups() {
			if ng.Get("efaEnabled").IsTrue() {
				continue
			}
			for _, f := range []string{"availabilityZones", "subnets"} {
				if l := ng.Get(f); l.Len() == 1 && l.IsList() {
					p.Report(l, "node group %q runs in a single availability zone (%s: %s); a zone outage takes all its nodes",
						ng.Get("name").Str(), f, l.Items()[0].Str())
				}
			}
		}
	},
}

// nodeGroups are the G4 rules in catalogue order.
var nodeGroups = []*lint.Rule{
	NodegroupSSHEnabled,
	NodegroupSSHOpenToInternet,
	NodegroupSingleAZ,
}
