package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ekslint/ekslint/lint"
)

// G4: node groups (eksctl nodeGroups and managedNodeGroups, AWS::EKS::Nodegroup, launch
// templates, security groups).

// sshState is what eksctl does with SSH for a node group: allowed when ssh.allow is true, or when
// it is unset and a public key is given (eksctl setSSHDefaults turns allow on; with allow true and
// no key it imports ~/.ssh/id_rsa.pub). at is the field that makes it so.
func sshState(ng lint.NodeGroup) (enabled bool, at lint.Node) {
	ssh := ng.Get("ssh")
	allow := ssh.Get("allow")
	if _, set := allow.Bool(); set {
		return allow.IsTrue(), allow
	}
	for _, k := range []string{"publicKey", "publicKeyName", "publicKeyPath"} {
		if strings.TrimSpace(ssh.Get(k).Str()) != "" {
			return true, ssh
		}
	}
	return false, allow
}

// ngName is how messages name an eksctl node group.
func ngName(ng lint.NodeGroup) string { return fmt.Sprintf("%q", ng.Get("name").Str()) }

// eksctlLaunchTemplate reports whether a managed node group uses a launch template of its own:
// eksctl then generates neither the instance metadata options nor SSH rules (and rejects ssh,
// disableIMDSv1: false and disablePodIMDS with one).
func eksctlLaunchTemplate(ng lint.NodeGroup) bool {
	return ng.Managed && ng.Get("launchTemplate").Exists()
}

// remoteAccessPort is what a managed node group's RemoteAccess opens: SSH, or RDP for Windows.
func remoteAccessPort(ng *lint.Object) string {
	if t, _ := cfnString(ng.Properties().Get("AmiType")); strings.HasPrefix(strings.ToUpper(t), "WINDOWS") {
		return "RDP (port 3389)"
	}
	return "SSH (port 22)"
}

// launchTemplateOf is the in-template launch template a managed node group names by Id or Name.
func launchTemplateOf(ng *lint.Object) *lint.Object {
	spec := ng.Properties().Get("LaunchTemplate")
	if lt := referencedResource(ng, spec.Get("Id"), "AWS::EC2::LaunchTemplate"); lt != nil {
		return lt
	}
	name, ok := cfnString(spec.Get("Name"))
	if !ok {
		return nil
	}
	return lint.TemplateIndex(ng.Template(), factLaunchTemplatesByName, func(t *lint.Template) map[string]*lint.Object {
		byName := map[string]*lint.Object{}
		for _, lt := range t.Resources("AWS::EC2::LaunchTemplate") {
			if n, ok := cfnString(lt.Properties().Get("LaunchTemplateName")); ok && byName[n] == nil {
				byName[n] = lt
			}
		}
		return byName
	})[name]
}

var NodegroupSSHEnabled = &lint.Rule{
	ID:        "eks-nodegroup-ssh-enabled",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Node group allows SSH",
	Inputs:    lint.EksctlInput | lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgMinimizeAccessWorkerNodes},
	Rationale: "SSH keys on nodes are long-lived credentials and an open port; Systems Manager Session Manager " +
		"(built into eksctl nodes) gives audited shell access without either. EKS Best Practices: block SSH " +
		"access to nodes. eksctl turns SSH on when any public key is given, even without `allow: true`; on " +
		"Windows nodes the key decrypts the RDP password.",
	Fix: "Remove the `ssh` block (or set `ssh.allow: false`) and use `aws ssm start-session` to reach nodes; in " +
		"CloudFormation remove `RemoteAccess` (and `KeyName` from the node group's launch template).",
	Example: lint.Example{
		Bad:  eksctlCluster("", "    ssh:\n      publicKeyName: ops\n"),
		Good: eksctlCluster("", ""),
	},
	Notes: "Besides the catalogue's RemoteAccess, a literal `KeyName` in the launch template an AWS::EKS::Nodegroup " +
		"uses is reported too: it installs the same key.",
	Check: func(p *lint.Pass) {
		if o := clusterConfig(p); o != nil {
			for _, ng := range o.NodeGroups() {
				on, at := sshState(ng)
				switch {
				case !on:
				case at.Key() == "allow":
					p.Report(at, "node group %s allows SSH (ssh.allow: true); remove the ssh block and use SSM Session Manager", ngName(ng))
				default:
					p.Report(at, "node group %s allows SSH: eksctl turns ssh.allow on when a public key is given; remove the key or set allow: false", ngName(ng))
				}
			}
			return
		}
		if _, ok := cfnResource(p, "AWS::EKS::Nodegroup"); !ok {
			return
		}
		o := p.Object
		if ra, known := cfnField(o.Properties(), "RemoteAccess"); known && ra.IsMap() {
			p.Report(ra, "node group %s allows %s through RemoteAccess; remove it and use SSM Session Manager", o.Name(), remoteAccessPort(o))
		}
		if lt := launchTemplateOf(o); lt != nil {
			key := lt.Properties().Get("LaunchTemplateData", "KeyName")
			if name, ok := cfnString(key); ok && name != "" {
				p.Report(key, "launch template %s of node group %s installs EC2 key pair %q on the nodes; remove KeyName and use SSM Session Manager", lt.Name(), o.Name(), name)
			}
		}
	},
}

var NodegroupSSHOpenToInternet = &lint.Rule{
	ID:        "eks-nodegroup-ssh-open-to-internet",
	Level:     lint.Error,
	DefaultOn: true,
	Title:     "Node group SSH is open to the internet",
	Inputs:    lint.EksctlInput | lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgMinimizeAccessWorkerNodes, eksGuideViewSecurityGroupRequirementsClusters, bpgSecurityGroups},
	Rationale: "When SSH is on, the node group is in public subnets (no `privateNetworking`) and no " +
		"`sourceSecurityGroupIds` are given, eksctl adds security group rules allowing port 22 from 0.0.0.0/0 " +
		"and ::/0 (makeSSHIngressRules). A managed node group with RemoteAccess and no SourceSecurityGroups gets " +
		"port 22 (3389 on Windows) opened to 0.0.0.0/0 by EKS. EKS Best Practices: no SSH from the internet.",
	Fix: "Turn SSH off, or set `ssh.sourceSecurityGroupIds` (CloudFormation: `RemoteAccess.SourceSecurityGroups`) " +
		"to a bastion's security group, or `privateNetworking: true`.",
	Example: lint.Example{
		Bad:  eksctlCluster("", "    ssh:\n      allow: true\n      publicKeyName: ops\n"),
		Good: eksctlCluster("", "    privateNetworking: true\n    ssh:\n      allow: true\n      publicKeyName: ops\n"),
	},
	Equivalents: []string{"Checkov CKV_AWS_100"},
	Notes: "An unmanaged node group with `securityGroups.withLocal: false` gets no security group from eksctl, so " +
		"no SSH rule either (the rules are part of that group), and is not reported.",
	Check: func(p *lint.Pass) {
		if o := clusterConfig(p); o != nil {
			for _, ng := range o.NodeGroups() {
				on, at := sshState(ng)
				if !on || listLen(ng.Get("ssh", "sourceSecurityGroupIds")) > 0 || ng.Get("privateNetworking").IsTrue() ||
					!ng.Managed && ng.Get("securityGroups", "withLocal").IsFalse() {
					continue
				}
				p.Report(at, "node group %s opens SSH (port 22) to 0.0.0.0/0 and ::/0 (no ssh.sourceSecurityGroupIds, no privateNetworking); turn SSH off or set ssh.sourceSecurityGroupIds to a bastion's group", ngName(ng))
			}
			return
		}
		if _, ok := cfnResource(p, "AWS::EKS::Nodegroup"); !ok {
			return
		}
		o := p.Object
		ra, known := cfnField(o.Properties(), "RemoteAccess")
		if !known || !ra.Get("Ec2SshKey").Exists() {
			return
		}
		sources := ra.Get("SourceSecurityGroups")
		if !sources.Exists() || sources.IsList() && !sources.IsIntrinsic() && sources.Len() == 0 {
			p.Report(sources, "node group %s has RemoteAccess without SourceSecurityGroups, so EKS opens %s to 0.0.0.0/0; list a bastion's security group or remove RemoteAccess",
				o.Name(), remoteAccessPort(o))
		}
	},
}

// bottlerocket reports whether a node group runs Bottlerocket.
func bottlerocket(ng lint.NodeGroup) bool {
	family := ng.Get("amiFamily").Str()
	return strings.EqualFold(family, "Bottlerocket") || strings.EqualFold(family, "BottlerocketFips")
}

var NodegroupBottlerocketAdminContainer = &lint.Rule{
	ID:        "eks-nodegroup-bottlerocket-admin-container",
	Level:     lint.Warning,
	DefaultOn: false,
	Title:     "Bottlerocket admin container is enabled",
	Inputs:    lint.EksctlInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgMinimizeAccessWorkerNodes},
	Rationale: "Bottlerocket has no shell or SSH server; the admin container adds both, running privileged with " +
		"root access to the host. eksctl enables it whenever SSH is on and enableAdminContainer is unset. EKS Best " +
		"Practices: no interactive access to nodes; the control container gives SSM access without it.",
	Fix: "Set `bottlerocket.enableAdminContainer: false` and turn SSH off; use the control container " +
		"(`aws ssm start-session`) and enable the admin container only to debug.",
	Example: lint.Example{
		Bad:  eksctlCluster("", "    amiFamily: Bottlerocket\n    bottlerocket:\n      enableAdminContainer: true\n"),
		Good: eksctlCluster("", "    amiFamily: Bottlerocket\n    bottlerocket:\n      enableAdminContainer: false\n"),
	},
	Check: func(p *lint.Pass) {
		o := clusterConfig(p)
		if o == nil {
			return
		}
		for _, ng := range o.NodeGroups() {
			if !bottlerocket(ng) {
				continue
			}
			admin := ng.Get("bottlerocket", "enableAdminContainer")
			if admin.IsTrue() {
				p.Report(admin, "node group %s enables the Bottlerocket admin container (privileged root shell on the host); set enableAdminContainer: false", ngName(ng))
			} else if on, _ := sshState(ng); on && !admin.Exists() {
				p.Report(admin, "node group %s gets the Bottlerocket admin container because SSH is on and bottlerocket.enableAdminContainer is unset; turn SSH off or set it to false", ngName(ng))
			}
		}
	},
}

var NodegroupPublicSubnets = &lint.Rule{
	ID:        "eks-nodegroup-public-subnets",
	Level:     lint.Warning,
	DefaultOn: false,
	Title:     "Node group runs in public subnets",
	Inputs:    lint.EksctlInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgDeployWorkersOntoPrivateSubnets, bpgDeployNodesPrivateSubnets},
	Rationale: "Without `privateNetworking: true` (default false) eksctl places nodes in the cluster's public " +
		"subnets, where they get public IP addresses and are one security group rule away from the internet. " +
		"EKS Best Practices: run nodes in private subnets.",
	Fix: "Set `privateNetworking: true` (the VPC needs NAT or VPC endpoints for egress), or list private `subnets`.",
	Example: lint.Example{
		Bad:  eksctlCluster("", ""),
		Good: eksctlCluster("", "    privateNetworking: true\n"),
	},
	Notes: "Node groups with `subnets` are not reported (the subnets may be private; which they are cannot be told " +
		"offline), nor node groups on Outposts or in a fully private cluster (`privateCluster.enabled`).",
	Check: func(p *lint.Pass) {
		o := clusterConfig(p)
		if o == nil || o.Get("privateCluster", "enabled").IsTrue() {
			return
		}
		for _, ng := range o.NodeGroups() {
			private := ng.Get("privateNetworking")
			if private.IsTrue() || listLen(ng.Get("subnets")) > 0 || ng.Get("outpostARN").Exists() {
				continue
			}
			if private.Exists() {
				p.Report(private, "node group %s runs in public subnets (privateNetworking: false, no subnets); set privateNetworking: true", ngName(ng))
			} else {
				p.Report(private, "node group %s runs in public subnets: eksctl defaults privateNetworking to false and no subnets are given; set privateNetworking: true", ngName(ng))
			}
		}
	},
}

// metadataOptions returns the MetadataOptions (possibly missing) of an AWS::EC2::LaunchTemplate,
// or of an AWS::AutoScaling::LaunchConfiguration, which self-managed node groups of older
// templates use, and names the resource ("launch template X"). ok is false for other objects,
// when the options cannot be told offline, or when the instance metadata service is turned off
// (HttpEndpoint: disabled), which leaves nothing to reach.
func metadataOptions(p *lint.Pass) (what string, mo lint.Node, ok bool) {
	var known bool
	switch {
	case isCfnResource(p, "AWS::EC2::LaunchTemplate"):
		what = "launch template " + p.Object.Name()
		mo, known = cfnField(p.Object.Properties(), "LaunchTemplateData", "MetadataOptions")
	case isCfnResource(p, "AWS::AutoScaling::LaunchConfiguration"):
		what = "launch configuration " + p.Object.Name()
		mo, known = cfnField(p.Object.Properties(), "MetadataOptions")
	default:
		return "", mo, false
	}
	if endpoint, set := cfnString(mo.Get("HttpEndpoint")); !known || mo.Exists() && !mo.IsMap() || set && strings.EqualFold(endpoint, "disabled") || !eksNodes(p.Object) {
		return "", mo, false
	}
	return what, mo, true
}

// eksNodes reports whether the launch template or configuration lt may launch EKS nodes: its
// template declares EKS resources, or names what EKS nodes run or are given (the bootstrap script,
// nodeadm, the EKS AMIs' parameters, the kubelet, the worker node policy, the cluster's tag). A
// self-managed node group's template holds no EKS resource, and eksctl's compresses its user data,
// but its role and tags say what it is; the launch templates of ECS container instances, a Batch
// environment or a web server's Auto Scaling group are not nodes of a cluster.
func eksNodes(lt *lint.Object) bool {
	return lint.TemplateIndex(lt.Template(), factEKSNodes, func(t *lint.Template) bool {
		return slices.ContainsFunc(t.Resources(""), func(r *lint.Object) bool {
			return strings.HasPrefix(r.Kind(), "AWS::EKS::") || namesEKSNode(r.Properties(), 0)
		})
	})
}

// eksNodeMarks are what a template that runs EKS nodes names, in lower case.
var eksNodeMarks = []string{"/etc/eks/", "nodeadm", "node.eks.aws", "/aws/service/eks/", "amazon-eks", "kubernetes.io/cluster/",
	"kubelet", "amazoneksworkernodepolicy", "eks.amazonaws.com", "eksctl"}

// namesEKSNode reports whether a string in n names what EKS nodes run or are given (eksNodeMarks).
func namesEKSNode(n lint.Node, depth int) bool {
	if n.IsScalar() {
		s := strings.ToLower(n.Str())
		return slices.ContainsFunc(eksNodeMarks, func(m string) bool { return strings.Contains(s, m) })
	}
	if depth == maxRefDepth*2 {
		return false
	}
	return slices.ContainsFunc(append(n.Items(), n.Entries()...), func(c lint.Node) bool { return namesEKSNode(c, depth+1) })
}

func isCfnResource(p *lint.Pass, typ string) bool {
	_, ok := cfnResource(p, typ)
	return ok
}

var NodegroupIMDSv1Enabled = &lint.Rule{
	ID:        "eks-nodegroup-imdsv1-enabled",
	Level:     lint.Error,
	DefaultOn: true,
	Title:     "Nodes accept IMDSv1",
	Inputs:    lint.EksctlInput | lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgRestrictAccessInstanceProfileAssigned, ec2ConfigureInstanceMetadataServiceOptions},
	Rationale: "IMDSv1 answers plain GET requests, so a server-side request forgery in any pod or host process can " +
		"read the node role's credentials; IMDSv2 needs a session token obtained with a PUT. eksctl requires " +
		"IMDSv2 unless `disableIMDSv1: false`; EC2 launch templates allow IMDSv1 unless `HttpTokens: required`. " +
		"EKS Best Practices: require IMDSv2.",
	Fix: "Remove `disableIMDSv1: false` (eksctl) or set `MetadataOptions.HttpTokens: required` in the launch template or configuration.",
	Example: lint.Example{
		Bad:  eksctlCluster("", "    disableIMDSv1: false\n"),
		Good: eksctlCluster("", "    disableIMDSv1: true\n"),
	},
	Equivalents: []string{"Checkov CKV_AWS_79", "Trivy AWS-0028 / AWS-0130"},
	Notes: "eksctl requires IMDSv2 when disablePodIMDS is true even with disableIMDSv1: false, so that is not " +
		"reported. CloudFormation: every AWS::EC2::LaunchTemplate and AWS::AutoScaling::LaunchConfiguration of a template that runs EKS " +
		"nodes is checked: one with EKS resources, or that names what EKS nodes run or are given (the bootstrap script, nodeadm, the " +
		"EKS AMIs' parameters, the kubelet, AmazonEKSWorkerNodePolicy, the kubernetes.io/cluster tag, eksctl), since self-managed node " +
		"templates carry no EKS resource; an unset HttpTokens is reported because EC2 " +
		"defaults it to optional (an AMI or account default may say otherwise, which cannot be read offline).",
	Check: func(p *lint.Pass) {
		if o := clusterConfig(p); o != nil {
			for _, ng := range o.NodeGroups() {
				if v1 := ng.Get("disableIMDSv1"); v1.IsFalse() && !eksctlLaunchTemplate(ng) && !ng.Get("disablePodIMDS").IsTrue() {
					p.Report(v1, "node group %s sets disableIMDSv1: false, so its nodes answer IMDSv1 requests; remove it (eksctl then requires IMDSv2)", ngName(ng))
				}
			}
			return
		}
		what, mo, ok := metadataOptions(p)
		if !ok {
			return
		}
		tokens := mo.Get("HttpTokens")
		switch v, literal := cfnString(tokens); {
		case !tokens.Exists():
			p.Report(tokens, "%s does not set MetadataOptions.HttpTokens, and EC2 defaults it to optional (IMDSv1 allowed); set HttpTokens: required", what)
		case literal && !strings.EqualFold(v, "required"):
			p.Report(tokens, "%s sets HttpTokens: %s, so its instances answer IMDSv1 requests; set it to required", what, v)
		}
	},
}

var NodegroupPodIMDSReachable = &lint.Rule{
	ID:        "eks-nodegroup-pod-imds-reachable",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Pods can reach the node's instance metadata",
	Inputs:    lint.EksctlInput | lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgRestrictAccessInstanceProfileAssigned, eksctlNodeGroupsDisablePodIMDS},
	Rationale: "With a metadata hop limit of 2 (eksctl's default unless `disablePodIMDS: true`) a container can " +
		"fetch the node role's credentials from IMDS and act as the node: pull any image, describe the VPC and, " +
		"with the CNI policy, rewire pod networking. Pods that need AWS should use IRSA or Pod Identity. EKS " +
		"Best Practices: block pod access to IMDS, hop limit 1.",
	Fix: "Set `disablePodIMDS: true` on the node group, or `MetadataOptions.HttpPutResponseHopLimit: 1` in the launch " +
		"template. eksctl refuses `disablePodIMDS: true` beside `iam.withAddonPolicies`, whose add-ons get their " +
		"permissions through IMDS: give those add-ons' service accounts roles of their own first " +
		"(`iam.podIdentityAssociations` with `wellKnownPolicies`, an `addons[]` entry's `podIdentityAssociations`, " +
		"or IRSA with `iam.serviceAccounts`), then remove `withAddonPolicies`.",
	Example: lint.Example{
		Bad:  eksctlCluster("", ""),
		Good: eksctlCluster("", "    disablePodIMDS: true\n"),
	},
	Notes: "Pods with `hostNetwork: true` still reach IMDS (see k8s-host-network). CloudFormation launch templates are " +
		"those of EKS nodes, as for eks-nodegroup-imdsv1-enabled. A launch template " +
		"without a hop limit gets EC2's default of 1 and is not reported, nor is one only standalone instances " +
		"(AWS::EC2::Instance: a bastion) use, which run no pods. For a node group with " +
		"`iam.withAddonPolicies` the message says to move those add-ons to Pod Identity or IRSA before setting " +
		"`disablePodIMDS: true`, since eksctl refuses the two together.",
	Check: func(p *lint.Pass) {
		if o := clusterConfig(p); o != nil {
			for _, ng := range o.NodeGroups() {
				podIMDS := ng.Get("disablePodIMDS")
				fix := "set disablePodIMDS: true"
				if on := enabledAddonPolicies(ng); len(on) > 0 {
					fix = fmt.Sprintf("eksctl refuses disablePodIMDS beside iam.withAddonPolicies (%s), so first give those "+
						"add-ons' service accounts roles of their own with Pod Identity or IRSA and remove withAddonPolicies, "+
						"then set disablePodIMDS: true", strings.Join(on, ", "))
				}
				switch {
				case podIMDS.IsTrue() || eksctlLaunchTemplate(ng):
				case podIMDS.Exists():
					p.Report(podIMDS, "node group %s lets pods reach IMDS and the node role's credentials (disablePodIMDS is not true, hop limit 2); %s", ngName(ng), fix)
				default:
					p.Report(podIMDS, "node group %s lets pods reach IMDS and the node role's credentials: eksctl defaults disablePodIMDS to false (hop limit 2); %s", ngName(ng), fix)
				}
			}
			return
		}
		what, mo, ok := metadataOptions(p)
		if !ok {
			return
		}
		hops := mo.Get("HttpPutResponseHopLimit")
		if v, ok := cfnInt(hops); ok && v > 1 && !onlyStandalone(p.Object) {
			p.Report(hops, "%s sets HttpPutResponseHopLimit: %d, so containers can reach IMDS and the node role's credentials; set it to 1", what, v)
		}
	},
}

// onlyStandalone reports whether the launch template lt is used in its template, and only by
// standalone instances (AWS::EC2::Instance: a bastion): no node runs pods with it.
func onlyStandalone(lt *lint.Object) bool {
	if lt.Kind() != "AWS::EC2::LaunchTemplate" {
		return false
	}
	users := lint.TemplateIndex(lt.Template(), factLaunchTemplateUsers, func(t *lint.Template) map[string][]string {
		users := map[string][]string{}
		for _, r := range t.Resources("") {
			for id := range refsIn(r.Properties()) {
				users[id] = append(users[id], r.Kind())
			}
		}
		return users
	})[lt.Name()]
	return len(users) > 0 && !slices.ContainsFunc(users, func(kind string) bool { return kind != "AWS::EC2::Instance" })
}

// refsIn returns the logical ids the Refs and GetAtts in n name.
func refsIn(n lint.Node) map[string]bool {
	ids := map[string]bool{}
	var walk func(n lint.Node, depth int)
	walk = func(n lint.Node, depth int) {
		if id := n.RefTarget(); id != "" {
			ids[id] = true
			return
		}
		if depth == maxRefDepth {
			return
		}
		for _, c := range append(n.Items(), n.Entries()...) {
			walk(c, depth+1)
		}
	}
	walk(n, 0)
	return ids
}

// maxRefDepth bounds how deep refsIn looks: a launch template is named a few levels down
// (LaunchTemplate.LaunchTemplateId, MixedInstancesPolicy...LaunchTemplateSpecification).
const maxRefDepth = 8

// singleValued reports whether a list item stands for exactly one value (a subnet id, a
// reference, a selected element), not for a list (`!Split`, `!GetAZs`, `!If`).
func singleValued(item lint.Node) bool {
	fn, _ := cfnFunction(item)
	switch fn {
	case "":
		return item.IsScalar()
	case "Ref", "Fn::GetAtt", "Fn::Select", "Fn::ImportValue", "Fn::Sub", "Fn::Join":
		return true
	}
	return false
}

var NodegroupSingleAZ = &lint.Rule{
	ID:        "eks-nodegroup-single-az",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Node group is in one availability zone",
	Inputs:    lint.EksctlInput | lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagReliability, lint.TagEKS},
	Sources:   []lint.Source{bpgSpreadWorkerNodesWorkloadsAcross, bpgConsiderMultiAZDeployment},
	Rationale: "A node group in one availability zone loses every node when that zone fails, and pods that " +
		"must spread across zones cannot. EKS Best Practices: spread worker nodes over several AZs. " +
		"EFA node groups are exempt: EFA needs one AZ.",
	Fix: "List at least two (preferably three) zones in `availabilityZones`, or subnets in several zones in " +
		"`subnets` (CloudFormation: `Subnets`).",
	Example: lint.Example{
		Bad:  eksctlCluster("", "    availabilityZones: [\"eu-west-1a\"]\n"),
		Good: eksctlCluster("", "    availabilityZones: [\"eu-west-1a\", \"eu-west-1b\", \"eu-west-1c\"]\n"),
	},
	Notes: "Node groups on Outposts (`outpostARN`, or a control plane on Outposts) live in the Outpost's one zone " +
		"and are not reported. A zone listed twice counts once. Node groups alike but for their zone (the same kind, " +
		"instance types, spot setting and labels), each in one zone and together in two or more, are one node group " +
		"per zone, as the Cluster Autoscaler asks for volumes bound to a zone (`--balance-similar-node-groups`): they " +
		"are not reported; the same holds for groups alike but for their one subnet.",
	Check: func(p *lint.Pass) {
		if o := clusterConfig(p); o != nil {
			perZone := zonesOfAlike(o.NodeGroups())
			for _, ng := range o.NodeGroups() {
				if ng.Get("efaEnabled").IsTrue() || ng.Get("outpostARN").Exists() || eksctlOnOutposts(o) {
					continue
				}
				if azs := ng.Get("availabilityZones"); azs.IsList() && len(uniq(azs.Strings())) == 1 && len(perZone[alikeKey(ng, "availabilityZones")]) < 2 {
					p.Report(azs, "node group %s runs in a single availability zone (availabilityZones: %s), so a zone outage takes all its nodes; list at least two zones",
						ngName(ng), azs.Strings()[0])
				}
				if subnets := ng.Get("subnets"); subnets.IsList() && subnets.Len() == 1 && len(perZone[alikeKey(ng, "subnets")]) < 2 {
					p.Report(subnets, "node group %s runs in a single subnet, so a single availability zone (subnets: %s); list subnets in at least two zones",
						ngName(ng), subnets.Items()[0].Str())
				}
			}
			return
		}
		if _, ok := cfnResource(p, "AWS::EKS::Nodegroup"); !ok {
			return
		}
		o := p.Object
		if subnets, known := cfnField(o.Properties(), "Subnets"); known && subnets.IsList() && subnets.Len() == 1 && singleValued(subnets.Items()[0]) {
			p.Report(subnets, "node group %s has a single subnet, so a single availability zone; list subnets in at least two zones", o.Name())
		}
	},
}

// zonesOfAlike collects, for the node groups placed in one zone (availabilityZones) or one subnet
// (subnets), the zones or subnets of the groups alike but for them, by alikeKey.
func zonesOfAlike(ngs []lint.NodeGroup) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, ng := range ngs {
		for _, field := range []string{"availabilityZones", "subnets"} {
			if where := uniq(ng.Get(field).Strings()); len(where) == 1 {
				key := alikeKey(ng, field)
				if out[key] == nil {
					out[key] = map[string]bool{}
				}
				out[key][where[0]] = true
			}
		}
	}
	return out
}

// alikeKey says what node groups placed by field share when they are one group per zone: the
// kind of group, its instance types, spot setting and node labels, as the Cluster Autoscaler's
// --balance-similar-node-groups compares them.
func alikeKey(ng lint.NodeGroup, field string) string {
	return fmt.Sprint(field, ng.Managed, ng.Get("instanceType").Str(), ng.Get("instanceTypes").Strings(),
		ng.Get("instancesDistribution", "instanceTypes").Strings(), ng.Get("spot").IsTrue(), ng.Get("labels").Labels())
}

// addonPolicies are eksctl's iam.withAddonPolicies, each of which puts an add-on's permissions on
// the node role (pkg/cfn/builder/iam_helper.go).
var addonPolicies = []string{"autoScaler", "externalDNS", "certManager", "ebs", "efs", "fsx", "awsLoadBalancerController",
	"albIngress", "cloudWatch", "xRay", "appMesh", "appMeshPreview", "imageBuilder"}

// enabledAddonPolicies are the iam.withAddonPolicies a node group turns on. eksctl refuses
// disablePodIMDS: true beside any of them (validation.go: "disablePodIMDS and
// iam.withAddonPolicies cannot be set at the same time"): the add-ons reach their permissions
// through IMDS.
func enabledAddonPolicies(ng lint.NodeGroup) []string {
	var on []string
	for _, f := range addonPolicies {
		if ng.Get("iam", "withAddonPolicies", f).IsTrue() {
			on = append(on, f)
		}
	}
	return on
}

var NodegroupAddonPoliciesOnNodeRole = &lint.Rule{
	ID:        "eks-nodegroup-addon-policies-on-node-role",
	Level:     lint.Warning,
	DefaultOn: false,
	Title:     "Add-on permissions granted to the node role",
	Inputs:    lint.EksctlInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgRestrictAccessInstanceProfileAssigned, eksGuideGrantKubernetesWorkloadsAccessAWS, bpgIdentitiesCredentialsPodsRecommendations},
	Rationale: "`iam.withAddonPolicies` attaches an add-on's permissions (Route 53 changes for externalDNS, " +
		"volume creation for ebs, ECR push for imageBuilder via AmazonEC2ContainerRegistryPowerUser, ...) to the " +
		"node role, so every pod on those nodes can use them through IMDS, not only the add-on. EKS Best " +
		"Practices: least-privilege node role; give add-ons their own role with Pod Identity or IRSA.",
	Fix: "Remove `iam.withAddonPolicies` and give the add-on its own role: an `addons[]` entry with " +
		"`podIdentityAssociations`/`useDefaultPodIdentityAssociations`, or `iam.podIdentityAssociations` with " +
		"`wellKnownPolicies`.",
	Example: lint.Example{
		Bad: eksctlCluster("", "    iam:\n      withAddonPolicies:\n        externalDNS: true\n"),
		Good: eksctlCluster("iam:\n  podIdentityAssociations:\n    - namespace: kube-system\n      serviceAccountName: external-dns\n"+
			"      wellKnownPolicies: {externalDNS: true}\naddons:\n  - name: eks-pod-identity-agent\n", ""),
	},
	Check: func(p *lint.Pass) {
		o := clusterConfig(p)
		if o == nil {
			return
		}
		for _, ng := range o.NodeGroups() {
			for _, f := range addonPolicies {
				n := ng.Get("iam", "withAddonPolicies", f)
				switch {
				case !n.IsTrue():
				case f == "imageBuilder":
					p.Report(n, "node group %s attaches AmazonEC2ContainerRegistryPowerUser (push to ECR) to its node role, for every pod on its nodes; give the image builder its own role", ngName(ng))
				default:
					p.Report(n, "node group %s grants the %s add-on policy to its node role, so every pod on its nodes gets it; give the add-on its own role with Pod Identity or IRSA", ngName(ng), f)
				}
			}
		}
	},
}

// isNodeRole reports whether an in-template role is a node role: a managed node group runs with
// it, or it carries AmazonEKSWorkerNodePolicy (self-managed nodes) and nodes may run with it.
func isNodeRole(role *lint.Object) bool {
	return lint.TemplateIndex(role.Template(), factNodeRoles, func(t *lint.Template) map[*lint.Object]bool {
		roles := map[*lint.Object]bool{}
		for _, ng := range t.Resources("AWS::EKS::Nodegroup") {
			if r := nodeRoleOf(ng); r != nil {
				roles[r] = true
			}
		}
		uses := roleUsesOf(t)
		for _, r := range t.Resources("AWS::IAM::Role") {
			u := uses[r]
			if refs, _ := policyRefs(r.Properties().Get("ManagedPolicyArns")); hasPolicy(refs, workerNodePolicy) &&
				!u.onlyOnInstances() && !u.onlyForFunctions() && !assumedOnlyByOthers(r) {
				roles[r] = true
			}
		}
		return roles
	})[role]
}

// roleUses is where a template uses a role: through instance profiles that standalone instances
// (AWS::EC2::Instance: a bastion, say) or nodes (launch templates and configurations) boot with,
// and as a Lambda function's role.
type roleUses struct {
	profiles, instances, nodes, functions bool
}

// onlyOnInstances reports whether the role reaches EC2 only through instance profiles that only
// standalone instances use: no node boots with it, whatever policies it carries.
func (u roleUses) onlyOnInstances() bool { return u.instances && !u.nodes }

// onlyForFunctions reports whether the role is a Lambda function's and no instance profile holds
// it: the function's, whatever policies it carries (eksctl's custom resource that creates clusters
// carries the node policy).
func (u roleUses) onlyForFunctions() bool { return u.functions && !u.profiles }

// roleUsesOf finds the uses of every role of t, each resource read once: a template of thousands
// of roles, instance profiles and instances took minutes when each role searched the template.
func roleUsesOf(t *lint.Template) map[*lint.Object]roleUses {
	uses := map[*lint.Object]roleUses{}
	rolesOf := map[*lint.Object][]*lint.Object{} // by instance profile
	for _, ip := range t.Resources("AWS::IAM::InstanceProfile") {
		refs, _ := cfnList(ip.Properties().Get("Roles"))
		for _, n := range refs {
			if r := referencedResource(ip, n, "AWS::IAM::Role"); r != nil {
				rolesOf[ip] = append(rolesOf[ip], r)
				u := uses[r]
				u.profiles = true
				uses[r] = u
			}
		}
	}
	booted := func(o *lint.Object, n lint.Node, node bool) {
		for _, r := range rolesOf[referencedResource(o, n, "AWS::IAM::InstanceProfile")] {
			u := uses[r]
			u.nodes, u.instances = u.nodes || node, u.instances || !node
			uses[r] = u
		}
	}
	for _, o := range t.Resources("AWS::EC2::Instance") {
		booted(o, o.Properties().Get("IamInstanceProfile"), false)
	}
	for _, o := range t.Resources("AWS::EC2::LaunchTemplate") {
		p := o.Properties().Get("LaunchTemplateData", "IamInstanceProfile")
		booted(o, p.Get("Arn"), true)
		booted(o, p.Get("Name"), true)
	}
	for _, o := range t.Resources("AWS::AutoScaling::LaunchConfiguration") {
		booted(o, o.Properties().Get("IamInstanceProfile"), true)
	}
	for _, typ := range []string{"AWS::Lambda::Function", "AWS::Serverless::Function"} {
		for _, fn := range t.Resources(typ) {
			if r := referencedResource(fn, fn.Properties().Get("Role"), "AWS::IAM::Role"); r != nil {
				u := uses[r]
				u.functions = true
				uses[r] = u
			}
		}
	}
	return uses
}

// assumedOnlyByOthers reports whether the trust policy of role, as far as it can be read, lets no
// EC2 instance assume it: its statements allow only other services (Lambda) or accounts. A
// principal only known at deploy time, or `*`, may be EC2.
func assumedOnlyByOthers(role *lint.Object) bool {
	statements, opaque := cfnItems(role.Properties().Get("AssumeRolePolicyDocument", "Statement"))
	if opaque || len(statements) == 0 {
		return false
	}
	for _, st := range statements {
		if !st.IsMap() || st.IsIntrinsic() {
			return false
		}
		if st.Get("Effect").Str() == "Deny" {
			continue
		}
		principal := st.Get("Principal")
		if !principal.IsMap() || principal.IsIntrinsic() {
			return false
		}
		services, opaque := cfnItems(principal.Get("Service"))
		if opaque {
			return false
		}
		for _, svc := range services {
			text, ok := cfnText(svc)
			if !ok || strings.HasPrefix(text, "ec2.") || strings.HasPrefix(text, unknownPart) {
				return false
			}
		}
	}
	return true
}

// cfnItems is cfnList of a value that IAM lets be one item or a list of them.
func cfnItems(n lint.Node) (items []lint.Node, opaque bool) {
	switch {
	case !n.Exists():
		return nil, false
	case n.IsList() || n.IsIntrinsic():
		return cfnList(n)
	}
	return []lint.Node{n}, false
}

// attachesToNodeRole reports whether a standalone policy (AWS::IAM::Policy, ManagedPolicy or
// RolePolicy) is attached to a node role of its template, and names that role.
func attachesToNodeRole(o *lint.Object) (string, bool) {
	roles, _ := cfnList(o.Properties().Get("Roles"))
	roles = append(roles, o.Properties().Get("RoleName"))
	for _, r := range roles {
		if role := referencedResource(o, r, "AWS::IAM::Role"); role != nil && isNodeRole(role) {
			return role.Name(), true
		}
	}
	return "", false
}

var NodegroupBroadIAMPolicy = &lint.Rule{
	ID:        "eks-nodegroup-broad-iam-policy",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Node role has a broad IAM policy",
	Inputs:    lint.EksctlInput | lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgIdentitiesCredentialsPodsRecommendations, eksGuideNodeIAMRole, eksGuideAWSManagedPoliciesElasticKubernetes},
	Rationale: "Whatever the node role may do, every pod on the node may do too (through IMDS unless it is " +
		"blocked). AdministratorAccess, PowerUserAccess, the *FullAccess policies and statements allowing `*` " +
		"or a whole service on every resource turn one compromised pod into a compromised account. EKS Best " +
		"Practices: least-privilege node role.",
	Fix: "Keep the node role to AmazonEKSWorkerNodePolicy, ECR pull and (if the CNI has no role of its own) " +
		"AmazonEKS_CNI_Policy; give workloads their own roles with Pod Identity or IRSA.",
	Example: lint.Example{
		Bad: eksctlCluster("", "    iam:\n      attachPolicyARNs:\n"+
			"        - arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy\n        - arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly\n"+
			"        - arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy\n        - arn:aws:iam::aws:policy/AmazonS3FullAccess\n"),
		Good: eksctlCluster("", "    iam:\n      attachPolicyARNs:\n"+
			"        - arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy\n        - arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly\n"+
			"        - arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy\n"),
	},
	Notes: "A statement allowing named actions on `Resource: \"*\"` is not reported: many actions (ec2:Describe*, " +
		"autoscaling) only take `*`. CloudFormation: node roles are roles an AWS::EKS::Nodegroup runs with or that " +
		"carry AmazonEKSWorkerNodePolicy, unless no node can run with them: their trust policy admits no EC2 instance " +
		"(only Lambda, say), they are a Lambda function's role that no instance profile holds, or only standalone " +
		"instances (AWS::EC2::Instance: a bastion) use them. Their inline Policies and AWS::IAM::Policy, ManagedPolicy " +
		"and RolePolicy resources attached to them are checked too.",
	Check: func(p *lint.Pass) {
		if o := clusterConfig(p); o != nil {
			for _, ng := range o.NodeGroups() {
				refs, _ := policyRefs(ng.Get("iam", "attachPolicyARNs"))
				reportBroadPolicies(p, "node group "+ngName(ng), refs, ng.Get("iam", "attachPolicy"))
			}
			return
		}
		o := p.Object
		if o.Format != lint.CloudFormation {
			return
		}
		switch o.Kind() {
		case "AWS::IAM::Role":
			if !isNodeRole(o) {
				return
			}
			refs, _ := policyRefs(o.Properties().Get("ManagedPolicyArns"))
			reportBroadPolicies(p, "node role "+o.Name(), refs)
			policies, _ := cfnList(o.Properties().Get("Policies"))
			for _, pol := range policies {
				reportBroadPolicies(p, "node role "+o.Name(), nil, pol.Get("PolicyDocument"))
			}
		case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy":
			if role, ok := attachesToNodeRole(o); ok {
				reportBroadPolicies(p, fmt.Sprintf("policy %s of node role %s", o.Name(), role), nil, o.Properties().Get("PolicyDocument"))
			}
		}
	},
}

// reportBroadPolicies reports the broad managed policies and policy document statements of one
// node role.
func reportBroadPolicies(p *lint.Pass, who string, refs []policyRef, docs ...lint.Node) {
	for _, r := range refs {
		if r.awsManaged && broadManagedPolicy(r.name) {
			p.Report(r.at, "%s attaches %s, which every pod on the node can use; attach only what nodes need and give workloads their own roles", who, r.name)
		}
	}
	for _, doc := range docs {
		for _, g := range broadGrants(doc) {
			p.Report(g.at, "%s allows %s, which every pod on the node can use; name the actions and resources nodes need", who, g.what)
		}
	}
}

var NodegroupMissingRequiredPolicies = &lint.Rule{
	ID:        "eks-nodegroup-missing-required-policies",
	Level:     lint.Error,
	DefaultOn: true,
	Title:     "attachPolicyARNs drops a policy nodes need",
	Inputs:    lint.EksctlInput,
	Tags:      []lint.Tag{lint.TagReliability, lint.TagEKS},
	Sources:   []lint.Source{eksGuideNodeIAMRole, eksGuideConfigureVPCCNIPluginUse},
	Rationale: "`iam.attachPolicyARNs` replaces eksctl's default node policies instead of adding to them. Without " +
		"AmazonEKSWorkerNodePolicy nodes cannot join, without ECR read (managed node groups; eksctl adds it to " +
		"unmanaged ones anyway) they cannot pull images, and without AmazonEKS_CNI_Policy, when the VPC CNI has " +
		"no role of its own, pods get no IP addresses. EKS Best Practices: node role policies.",
	Fix: "Add the missing ARNs to `iam.attachPolicyARNs` (for the CNI, prefer `iam.withOIDC: true` or a vpc-cni " +
		"add-on with its own role).",
	Example: lint.Example{
		Bad: eksctlCluster("", "    iam:\n      attachPolicyARNs:\n        - arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy\n"),
		Good: eksctlCluster("", "    iam:\n      attachPolicyARNs:\n"+
			"        - arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy\n        - arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly\n"+
			"        - arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy\n"),
	},
	Notes: "Node groups with `iam.instanceRoleARN` or `instanceProfileARN` use an existing role that cannot be read " +
		"offline and are not reported, nor are lists with an entry a templating step fills in (`$NODE_POLICY_ARN`), " +
		"which may be the policy that looks missing. The CNI policy is not required when vpc-cni has its own role " +
		"(serviceAccountRoleARN, attachPolicyARNs, podIdentityAssociations, useDefaultPodIdentityAssociations).",
	Check: func(p *lint.Pass) {
		o := clusterConfig(p)
		if o == nil {
			return
		}
		cni, _ := eksctlAddon(p, vpcCNI)
		cniHasRole := withOIDC(o) || vpcCNIHasOwnIdentity(cni)
		for _, ng := range o.NodeGroups() {
			list := ng.Get("iam", "attachPolicyARNs")
			if listLen(list) == 0 || ng.Get("iam", "instanceRoleARN").Exists() || ng.Get("iam", "instanceProfileARN").Exists() {
				continue
			}
			refs, opaque := policyRefs(list)
			if opaque {
				continue
			}
			var missing []string
			if !hasPolicy(refs, workerNodePolicy) {
				missing = append(missing, workerNodePolicy)
			}
			if ng.Managed && !hasPolicy(refs, ecrPullOnlyPolicy, ecrReadOnlyPolicy) {
				missing = append(missing, ecrPullOnlyPolicy)
			}
			if !cniHasRole && !hasPolicy(refs, cniPolicy) {
				missing = append(missing, cniPolicy)
			}
			if len(missing) > 0 {
				p.Report(list, "node group %s replaces eksctl's default node policies with iam.attachPolicyARNs, which lacks %s; add %s",
					ngName(ng), strings.Join(missing, ", "), pluralIt(len(missing)))
			}
		}
	},
}

// An sgIngress is one inbound rule of a security group: an item of AWS::EC2::SecurityGroup's
// SecurityGroupIngress, or the Properties of an AWS::EC2::SecurityGroupIngress.
type sgIngress struct{ lint.Node }

// ingressRules lists a security group object's inline rules, or a standalone rule itself.
func ingressRules(o *lint.Object) []sgIngress {
	switch o.Kind() {
	case "AWS::EC2::SecurityGroup":
		items, _ := cfnList(o.Properties().Get("SecurityGroupIngress"))
		var out []sgIngress
		for _, it := range items {
			if it.IsMap() && !it.IsIntrinsic() {
				out = append(out, sgIngress{it})
			}
		}
		return out
	case "AWS::EC2::SecurityGroupIngress":
		return []sgIngress{{o.Properties()}}
	}
	return nil
}

// ports reads a rule's protocol ("all", "tcp", "udp", or as written: "icmp", "50") and port range
// (0-65535 for "all"). ok is false when they are only known at deploy time.
func (r sgIngress) ports() (proto string, from, to int64, ok bool) {
	proto, ok = cfnString(r.Get("IpProtocol"))
	if !ok {
		return "", 0, 0, false
	}
	switch proto = strings.ToLower(proto); proto {
	case "-1", "all":
		return "all", 0, 65535, true
	case "6":
		proto = "tcp"
	case "17":
		proto = "udp"
	}
	if proto != "tcp" && proto != "udp" {
		return proto, 0, 0, true
	}
	from, okFrom := cfnInt(r.Get("FromPort"))
	to, okTo := cfnInt(r.Get("ToPort"))
	if !okFrom || !okTo {
		return "", 0, 0, false
	}
	if from < 0 {
		from = 0
	}
	if to < 0 {
		to = 65535
	}
	return proto, from, to, true
}

// describe says what a rule lets in: "all traffic", "tcp 22", "udp 1024-65535", "icmp".
func (r sgIngress) describe(proto string, from, to int64) string {
	switch {
	case proto == "all":
		return "all traffic"
	case proto != "tcp" && proto != "udp":
		return proto
	case from == to:
		return fmt.Sprintf("%s %d", proto, from)
	}
	return fmt.Sprintf("%s %d-%d", proto, from, to)
}

// source says where a rule lets traffic in from (" from 0.0.0.0/0", " from itself", " from
// NodeSecurityGroup"), or "" when that is only known at deploy time. group is the logical id of
// the security group the rule belongs to.
func (r sgIngress) source(group string) string {
	for _, f := range []string{"CidrIp", "CidrIpv6", "SourcePrefixListId"} {
		if s, ok := cfnString(r.Get(f)); ok {
			return " from " + s
		}
	}
	src := r.Get("SourceSecurityGroupId")
	if id := src.RefTarget(); id == group {
		return " from itself"
	} else if id != "" {
		return " from " + id
	}
	if s, ok := cfnString(src); ok {
		return " from " + s
	}
	return ""
}

// at is where a finding about the rule's ports lands: FromPort, else IpProtocol.
func (r sgIngress) at() lint.Node {
	if f := r.Get("FromPort"); f.Exists() {
		return f
	}
	return r.Get("IpProtocol")
}

// standaloneIngress indexes a template's AWS::EC2::SecurityGroupIngress resources by the security
// group their GroupId names.
func standaloneIngress(t *lint.Template) map[*lint.Object][]*lint.Object {
	return lint.TemplateIndex(t, factIngressByGroup, func(t *lint.Template) map[*lint.Object][]*lint.Object {
		byGroup := map[*lint.Object][]*lint.Object{}
		for _, ing := range t.Resources("AWS::EC2::SecurityGroupIngress") {
			if sg := referencedResource(ing, ing.Properties().Get("GroupId"), "AWS::EC2::SecurityGroup"); sg != nil {
				byGroup[sg] = append(byGroup[sg], ing)
			}
		}
		return byGroup
	})
}

// cfnClusterWithSG writes an example cluster whose security group has one ingress rule with the
// given protocol and ports.
func cfnClusterWithSG(rule string) string {
	return "  ControlPlaneSecurityGroup:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n" +
		"      GroupDescription: control plane\n      VpcId: vpc-0a1b2c3d\n      SecurityGroupIngress:\n" +
		"        - {IpProtocol: " + rule + ", SourceSecurityGroupId: sg-0nodes0}\n" +
		"  Cluster:\n    Type: AWS::EKS::Cluster\n    Properties:\n" +
		"      RoleArn: arn:aws:iam::111122223333:role/eks-cluster\n      ResourcesVpcConfig:\n" +
		"        SubnetIds: [subnet-0a1b2c3d, subnet-0e1f2a3b, subnet-0c4d5e6f]\n" +
		"        SecurityGroupIds: [!Ref ControlPlaneSecurityGroup]\n"
}

// nodeGroups are the G4 rules in catalogue order.
var nodeGroups = []*lint.Rule{
	NodegroupSSHEnabled,
	NodegroupSSHOpenToInternet,
	NodegroupBottlerocketAdminContainer,
	NodegroupPublicSubnets,
	NodegroupIMDSv1Enabled,
	NodegroupPodIMDSReachable,
	NodegroupSingleAZ,
	NodegroupAddonPoliciesOnNodeRole,
	NodegroupBroadIAMPolicy,
	NodegroupMissingRequiredPolicies,
	CFNSGIngressOpenWorld,
	CFNClusterSGNon443,
}
