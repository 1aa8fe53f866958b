package rules

import (
	"strings"

	"github.com/ekslint/ekslint/lint"
)

// CloudFormation rules read one resource at a time (Kind is the resource type) and follow Ref and
// GetAtt to other resources of the same template. A value written with an intrinsic function
// (`!If`, `!Ref Param`, `Fn::Sub`) is known only at deploy time: rules treat it as unknown, never
// as a violation, and a default applies only where a field is really absent.

// cfnResource returns the properties of p's object when it is a CloudFormation resource of type typ.
func cfnResource(p *lint.Pass, typ string) (props lint.Node, ok bool) {
	if o := p.Object; o.Format == lint.CloudFormation && o.Kind() == typ {
		return o.Properties(), true
	}
	return lint.Node{}, false
}

// cfnField follows keys from n. known is false when n, a field on the way or the field itself is
// an intrinsic function: what it holds is decided at deploy time. It is false too when something
// on the way is not a mapping (`AccessConfig: [API]`): CloudFormation rejects that template, and
// the field is not "absent, so its default applies".
func cfnField(n lint.Node, keys ...string) (field lint.Node, known bool) {
	for _, k := range keys {
		if n.IsIntrinsic() || n.Exists() && !n.IsMap() {
			return n, false
		}
		n = n.Get(k)
	}
	return n, !n.IsIntrinsic()
}

// cfnBool reads a CloudFormation boolean, which templates write as a boolean or as the string
// "true" or "false". ok is false for anything else, intrinsics included.
func cfnBool(n lint.Node) (v, ok bool) {
	if b, ok := n.Bool(); ok {
		return b, true
	}
	if n.IsString() && !n.IsIntrinsic() {
		switch strings.ToLower(n.Str()) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

// cfnString reads a literal string; ok is false for intrinsics and non-strings.
func cfnString(n lint.Node) (s string, ok bool) {
	if !n.IsScalar() || n.IsIntrinsic() {
		return "", false
	}
	return n.Str(), true
}

// cfnClusterOf returns the AWS::EKS::Cluster a resource names in its ClusterName (an add-on, an
// access entry, a node group), when that cluster is in the same template: `!Ref Cluster`, or the
// literal name a cluster of the template is given. It returns nil when the cluster is elsewhere
// (a parameter, an import, another stack).
func cfnClusterOf(o *lint.Object) *lint.Object {
	name := o.Properties().Get("ClusterName")
	t := o.Template()
	if id := name.RefTarget(); id != "" {
		if c := t.Resource(id); c != nil && c.Kind() == "AWS::EKS::Cluster" {
			return c
		}
		return nil
	}
	if s, ok := cfnString(name); ok && s != "" {
		return lint.TemplateIndex(t, cfnClustersByNameKey{}, cfnClustersByName)[s]
	}
	return nil
}

type cfnClustersByNameKey struct{}

// cfnClustersByName maps the literal Name of each cluster of a template to the cluster; the
// first wins, as a later one with the same name could not be created.
func cfnClustersByName(t *lint.Template) map[string]*lint.Object {
	out := map[string]*lint.Object{}
	for _, c := range t.Resources("AWS::EKS::Cluster") {
		if n, ok := cfnString(c.Properties().Get("Name")); ok && n != "" && out[n] == nil {
			out[n] = c
		}
	}
	return out
}

var CFNClusterRolePolicy = &lint.Rule{
	ID:        "cfn-eks-cluster-role-policy",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Cluster role lacks AmazonEKSClusterPolicy",
	Inputs:    lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagReliability, lint.TagEKS},
	Sources:   []lint.Source{eksGuideClusterIAMRole, eksGuideAWSManagedPoliciesElasticKubernetes},
	Rationale: "The EKS control plane acts in your account (network interfaces, load balancers, node registration) " +
		"with the cluster IAM role; EKS documents AmazonEKSClusterPolicy as the policy that role needs. Without it " +
		"cluster creation or later operations fail. EKS Best Practices: the cluster role carries " +
		"AmazonEKSClusterPolicy.",
	Fix: "Add `!Sub arn:${AWS::Partition}:iam::aws:policy/AmazonEKSClusterPolicy` to the role's ManagedPolicyArns.",
	Example: lint.Example{
		Bad: templateWith(cfnClusterWithRole("        - !Sub arn:${AWS::Partition}:iam::aws:policy/AmazonEKSServicePolicy\n")),
		Good: templateWith(cfnClusterWithRole("        - !Sub arn:${AWS::Partition}:iam::aws:policy/AmazonEKSClusterPolicy\n" +
			"        - !Sub arn:${AWS::Partition}:iam::aws:policy/AmazonEKSVPCResourceController\n")),
	},
	Notes: "Only roles defined in the same template are checked; a role passed in as a parameter or ARN cannot be " +
		"read offline. Entries whose policy is only known at deploy time (`!Ref PolicyArn`) make the role's list " +
		"unknown, and it is not reported.",
	Check: func(p *lint.Pass) {
		if _, ok := cfnResource(p, "AWS::EKS::Cluster"); !ok {
			return
		}
		o := p.Object
		role := referencedResource(o, o.Properties().Get("RoleArn"), "AWS::IAM::Role")
		if role == nil {
			return
		}
		policies, known := cfnField(role.Properties(), "ManagedPolicyArns")
		refs, opaque := policyRefs(policies)
		if known && !opaque && !hasPolicy(refs, clusterPolicy) {
			p.Report(policies, "role %s (RoleArn of cluster %s) lacks AmazonEKSClusterPolicy in ManagedPolicyArns; add arn:${AWS::Partition}:iam::aws:policy/AmazonEKSClusterPolicy",
				role.Name(), o.Name())
		}
	},
}

var CFNNodeRolePolicies = &lint.Rule{
	ID:        "cfn-eks-node-role-policies",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Node role lacks a policy nodes need",
	Inputs:    lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagReliability, lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{eksGuideNodeIAMRole, eksGuideAWSManagedPoliciesElasticKubernetes, eksGuideConfigureVPCCNIPluginUse},
	Rationale: "Nodes join the cluster with AmazonEKSWorkerNodePolicy, pull images with ECR read access " +
		"(AmazonEC2ContainerRegistryPullOnly, or the broader ReadOnly) and, unless the VPC CNI has a role of its " +
		"own, manage pod networking with AmazonEKS_CNI_Policy. A node role without them gives nodes that never " +
		"become Ready or pods stuck pulling images. EKS Best Practices: a least-privilege node role with exactly " +
		"these.",
	Fix: "Add the missing policies to the node role's ManagedPolicyArns; for the CNI, prefer giving the vpc-cni " +
		"add-on its own role (`ServiceAccountRoleArn` or `PodIdentityAssociations`).",
	Example: lint.Example{
		Bad: templateWith(cfnNodegroupWithRole("        - !Sub arn:${AWS::Partition}:iam::aws:policy/AmazonEKSWorkerNodePolicy\n")),
		Good: templateWith(cfnNodegroupWithRole("        - !Sub arn:${AWS::Partition}:iam::aws:policy/AmazonEKSWorkerNodePolicy\n" +
			"        - !Sub arn:${AWS::Partition}:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly\n" +
			"        - !Sub arn:${AWS::Partition}:iam::aws:policy/AmazonEKS_CNI_Policy\n")),
	},
	Notes: "Only node roles defined in the same template are checked. A Pod Identity association for " +
		"kube-system/aws-node (AWS::EKS::PodIdentityAssociation) also gives the CNI its own role.",
	Check: func(p *lint.Pass) {
		if _, ok := cfnResource(p, "AWS::EKS::Nodegroup"); !ok {
			return
		}
		o := p.Object
		role := nodeRoleOf(o)
		if role == nil {
			return
		}
		policies, known := cfnField(role.Properties(), "ManagedPolicyArns")
		refs, opaque := policyRefs(policies)
		if !known || opaque {
			return
		}
		var missing []string
		if !hasPolicy(refs, workerNodePolicy) {
			missing = append(missing, workerNodePolicy)
		}
		if !hasPolicy(refs, ecrPullOnlyPolicy, ecrReadOnlyPolicy) {
			missing = append(missing, ecrPullOnlyPolicy+" (or "+ecrReadOnlyPolicy+")")
		}
		if !hasPolicy(refs, cniPolicy) && !vpcCNIHasOwnIdentityInTemplate(o.Template()) {
			missing = append(missing, cniPolicy+" (or a vpc-cni add-on role)")
		}
		if len(missing) > 0 {
			p.Report(policies, "node role %s (NodeRole of node group %s) lacks %s in ManagedPolicyArns; add %s",
				role.Name(), o.Name(), strings.Join(missing, ", "), pluralIt(len(missing)))
		}
	},
}

var GuardDutyEKSFeaturesDisabled = &lint.Rule{
	ID:        "cfn-guardduty-eks-features-disabled",
	Level:     lint.Note,
	DefaultOn: false,
	Title:     "GuardDuty detector does not monitor EKS",
	Inputs:    lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgUseGuardDutyRuntimeMonitoringDetecting, eksGuideDetectThreatsGuardDuty, guardDutyProtection},
	Rationale: "GuardDuty watches EKS through two features: EKS audit log monitoring (EKS_AUDIT_LOGS) reads the " +
		"Kubernetes audit log for suspicious API use, and runtime monitoring (RUNTIME_MONITORING, formerly " +
		"EKS_RUNTIME_MONITORING) watches the nodes through its agent. A detector without them misses attacks " +
		"on the cluster. EKS Best Practices: GuardDuty EKS protection and runtime monitoring.",
	Fix: "Add `{Name: EKS_AUDIT_LOGS, Status: ENABLED}` and `{Name: RUNTIME_MONITORING, Status: ENABLED}` (with " +
		"`AdditionalConfiguration: [{Name: EKS_ADDON_MANAGEMENT, Status: ENABLED}]` to let GuardDuty manage its " +
		"agent) to the detector's `Features`.",
	Example: lint.Example{
		Bad: "Resources:\n  Detector:\n    Type: AWS::GuardDuty::Detector\n    Properties:\n      Enable: true\n" +
			"      Features:\n        - Name: S3_DATA_EVENTS\n          Status: ENABLED\n",
		Good: "Resources:\n  Detector:\n    Type: AWS::GuardDuty::Detector\n    Properties:\n      Enable: true\n" +
			"      Features:\n        - Name: EKS_AUDIT_LOGS\n          Status: ENABLED\n" +
			"        - Name: RUNTIME_MONITORING\n          Status: ENABLED\n          AdditionalConfiguration:\n" +
			"            - Name: EKS_ADDON_MANAGEMENT\n              Status: ENABLED\n",
	},
	Notes: "GuardDuty replaced EKS_RUNTIME_MONITORING with RUNTIME_MONITORING, which covers EKS (the API rejects " +
		"both together), so either one counts; so does the older `DataSources.Kubernetes.AuditLogs.Enable: true` " +
		"for audit logs. A detector with `Enable: false` is reported as such. Only detectors in the templates " +
		"linted are checked: GuardDuty is usually set up per account, elsewhere.",
	Check: func(p *lint.Pass) {
		props, ok := cfnResource(p, "AWS::GuardDuty::Detector")
		if !ok {
			return
		}
		if enable, ok := cfnBool(props.Get("Enable")); ok && !enable {
			p.Report(props.Get("Enable"), "the GuardDuty detector is disabled (Enable: %s), so it monitors nothing; set it to true", props.Get("Enable").Str())
			return
		}
		f, known := detectorFeatures(props)
		if !known {
			return
		}
		var missing []string
		var at lint.Node
		if !f.enabled("EKS_AUDIT_LOGS") && !f.legacyAuditLogs {
			missing, at = append(missing, "EKS_AUDIT_LOGS"), f.byName["EKS_AUDIT_LOGS"]
		}
		if !f.enabled("RUNTIME_MONITORING") && !f.enabled("EKS_RUNTIME_MONITORING") {
			missing = append(missing, "RUNTIME_MONITORING")
			if n, ok := f.byName["RUNTIME_MONITORING"]; ok {
				at = n
			} else if n, ok := f.byName["EKS_RUNTIME_MONITORING"]; ok {
				at = n
			}
		}
		if len(missing) == 0 {
			return
		}
		if len(missing) > 1 || !at.Exists() {
			at = props.Get("Features")
		}
		p.Report(at, "the GuardDuty detector does not enable %s for EKS; add them to Features with Status: ENABLED", strings.Join(missing, " and "))
	},
}

var CFNSGIngressOpenWorld = &lint.Rule{
	ID:        "cfn-sg-ingress-open-world",
	Level:     lint.Error,
	DefaultOn: true,
	Title:     "Security group opens SSH, RDP or all ports to the internet",
	Inputs:    lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgMinimizeAccessWorkerNodes, eksGuideViewSecurityGroupRequirementsClusters, bpgSecurityGroups},
	Rationale: "An ingress rule from 0.0.0.0/0 or ::/0 on port 22, port 3389 or every port exposes nodes to " +
		"internet-wide scanning and credential brute force within minutes of launch. EKS Best Practices: no " +
		"SSH/RDP from the internet, no all-port rules.",
	Fix: "Restrict `CidrIp`/`CidrIpv6` to known ranges or use `SourceSecurityGroupId` (a bastion's group); reach " +
		"nodes with SSM Session Manager instead of SSH.",
	Example: lint.Example{
		Bad: templateWith("  NodeSecurityGroup:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n" +
			"      GroupDescription: nodes\n      VpcId: vpc-0a1b2c3d\n      SecurityGroupIngress:\n" +
			"        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}\n"),
		Good: templateWith("  NodeSecurityGroup:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n" +
			"      GroupDescription: nodes\n      VpcId: vpc-0a1b2c3d\n      SecurityGroupIngress:\n" +
			"        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, SourceSecurityGroupId: sg-0bastion0}\n"),
	},
	Equivalents: []string{"Checkov CKV_AWS_24 (22), CKV_AWS_25 (3389), CKV_AWS_277 (all ports, Terraform)", "Trivy AWS-0107"},
	Notes: "Every security group of the template is checked, not only node groups': port 22, 3389 and all-port " +
		"rules from the internet are dangerous on any instance. A CIDR given as a parameter (`!Ref SSHLocation`) " +
		"is unknown offline and not reported.",
	Check: func(p *lint.Pass) {
		o := p.Object
		if o.Format != lint.CloudFormation {
			return
		}
		for _, r := range ingressRules(o) {
			proto, from, to, ok := r.ports()
			if !ok {
				continue
			}
			tcpOrUDP := proto == "tcp" || proto == "udp"
			var what string
			switch {
			case proto == "all":
				what = "all traffic"
			case tcpOrUDP && from == 0 && to >= 65535:
				what = "every " + proto + " port"
			case proto == "tcp" && from <= 22 && 22 <= to:
				what = "SSH (" + r.describe(proto, from, to) + ")"
			case tcpOrUDP && from <= 3389 && 3389 <= to:
				what = "RDP (" + r.describe(proto, from, to) + ")"
			default:
				continue
			}
			for _, f := range []string{"CidrIp", "CidrIpv6"} {
				if cidr, ok := cfnString(r.Get(f)); ok && isWorld(cidr) {
					p.Report(r.Get(f), "%s allows %s from %s; restrict the source to known CIDRs or a bastion's security group", o.Name(), what, cidr)
				}
			}
		}
	},
}

var CFNClusterSGNon443 = &lint.Rule{
	ID:        "cfn-eks-cluster-sg-non-443",
	Level:     lint.Warning,
	DefaultOn: false,
	Title:     "Cluster security group allows more than HTTPS",
	Inputs:    lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgSecurityGroups, eksGuideRestrictingClusterTraffic, bpgConfigureSecurityGroupsCarefully},
	Rationale: "The security groups in ResourcesVpcConfig.SecurityGroupIds are attached to the control plane's " +
		"network interfaces. The API server listens on 443; any other inbound port only widens what reaches the " +
		"control plane's interfaces. EKS Best Practices: the cluster security group needs tcp/443 from nodes and " +
		"admins.",
	Fix: "Remove ingress rules other than tcp/443 from the cluster's security groups; put node-to-node rules on " +
		"the nodes' security group.",
	Example: lint.Example{
		Bad:  templateWith(cfnClusterWithSG("tcp, FromPort: 0, ToPort: 65535")),
		Good: templateWith(cfnClusterWithSG("tcp, FromPort: 443, ToPort: 443")),
	},
	Notes: "Rules are read from the security group's SecurityGroupIngress and from AWS::EC2::SecurityGroupIngress " +
		"resources whose GroupId refers to it.",
	Check: func(p *lint.Pass) {
		if _, ok := cfnResource(p, "AWS::EKS::Cluster"); !ok {
			return
		}
		o := p.Object
		ids, _ := cfnList(o.Properties().Get("ResourcesVpcConfig").Get("SecurityGroupIds"))
		for _, id := range ids {
			sg := referencedResource(o, id, "AWS::EC2::SecurityGroup")
			if sg == nil {
				continue
			}
			rules := ingressRules(sg)
			for _, ing := range standaloneIngress(o.Template())[sg] {
				rules = append(rules, ingressRules(ing)...)
			}
			for _, r := range rules {
				proto, from, to, ok := r.ports()
				if ok && !(proto == "tcp" && from == 443 && to == 443) {
					p.Report(r.at(), "security group %s of cluster %s allows %s inbound%s; the control plane needs only tcp/443",
						sg.Name(), o.Name(), r.describe(proto, from, to), r.source(sg.Name()))
				}
			}
		}
	},
}
