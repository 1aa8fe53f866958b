package rules

import (
	"path"
	"slices"
	"strings"

	"github.com/ekslint/ekslint/lint"
)

// G3: add-ons, network policy support and runtime monitoring (eksctl and CloudFormation).

// clusterAddon is one add-on of a cluster: an eksctl addons[] entry or an AWS::EKS::Addon.
type clusterAddon struct {
	// node is the addons[] entry, or the resource's Properties.
	node lint.Node
	// version and config are version and configurationValues (AddonVersion, ConfigurationValues).
	version, config lint.Node
	// cluster is the ClusterConfig, or the AWS::EKS::Cluster of the same template the add-on's
	// ClusterName refers to; nil when the cluster is elsewhere.
	cluster *lint.Object
}

// addonsNamed returns the add-ons called name that p's object declares: a ClusterConfig's addons[]
// entries (eksctl compares names in lower case), or the object itself when it is an
// AWS::EKS::Addon of that name.
func addonsNamed(p *lint.Pass, name string) []clusterAddon {
	if o := clusterConfig(p); o != nil {
		var out []clusterAddon
		for _, a := range o.Get("addons").Items() {
			if strings.EqualFold(a.Get("name").Str(), name) {
				out = append(out, clusterAddon{node: a, version: a.Get("version"), config: a.Get("configurationValues"), cluster: o})
			}
		}
		return out
	}
	if props, ok := cfnResource(p, "AWS::EKS::Addon"); ok {
		if n, ok := cfnString(props.Get("AddonName")); ok && strings.EqualFold(n, name) {
			return []clusterAddon{{node: props, version: props.Get("AddonVersion"), config: props.Get("ConfigurationValues"), cluster: cfnClusterOf(p.Object)}}
		}
	}
	return nil
}

// cfnClusterHasAddon reports whether c's template declares add-on name for c. An add-on whose
// name is an intrinsic counts: it may be the one.
func cfnClusterHasAddon(c *lint.Object, name string) bool {
	addons := lint.TemplateIndex(c.Template(), cfnAddonsKey{}, cfnAddonsByCluster)[c]
	return addons[strings.ToLower(name)] || addons[""]
}

type cfnAddonsKey struct{}

// cfnAddonsByCluster maps each cluster of a template to the lower-cased names of its add-ons,
// "" standing for an add-on whose name is only known at deploy time. One pass over the add-ons
// instead of one per cluster.
func cfnAddonsByCluster(t *lint.Template) map[*lint.Object]map[string]bool {
	out := map[*lint.Object]map[string]bool{}
	for _, a := range t.Resources("AWS::EKS::Addon") {
		c := cfnClusterOf(a)
		if c == nil {
			continue
		}
		if out[c] == nil {
			out[c] = map[string]bool{}
		}
		n, known := cfnString(a.Properties().Get("AddonName"))
		if !known {
			n = ""
		}
		out[c][strings.ToLower(n)] = true
	}
	return out
}

// eksctlAutoMode reports whether EKS Auto Mode runs the cluster's nodes and networking.
func eksctlAutoMode(o *lint.Object) bool { return o.Get("autoModeConfig", "enabled").IsTrue() }

// eksctlWithoutEC2Nodes reports whether the cluster's pods run only on Fargate or on hybrid nodes
// (remoteNetworkConfig): no node groups, no Karpenter, no Auto Mode. The VPC CNI's network policy
// and the GuardDuty agent do not apply to Fargate pods, and hybrid nodes run another CNI.
func eksctlWithoutEC2Nodes(o *lint.Object) bool {
	return (o.Get("fargateProfiles").Len() > 0 || o.Get("remoteNetworkConfig").Exists()) &&
		len(o.NodeGroups()) == 0 && !o.Get("karpenter").Exists() && !eksctlAutoMode(o)
}

// addonGap is what the add-on presence rules keep from an object to decide, once the whole run is
// seen, which clusters lack the add-on.
type addonGap struct {
	// eksctl is what the rule reported about an eksctl ClusterConfig, held until it is known
	// whether the config is the one judged for its cluster.
	eksctl *heldReports
	// at and message describe a CloudFormation cluster without the add-on; message is "" for
	// other items.
	at      lint.Place
	message string
	// cfn marks a CloudFormation cluster; name is its literal Name ("" when unknown).
	cfn  bool
	name string
	// elsewhere marks an AWS::EKS::Addon whose cluster is not in its template; target is its
	// literal ClusterName ("" when unknown).
	elsewhere bool
	target    string
	// dir is the folder of the template, for add-ons and CloudFormation clusters.
	dir string
	// coversAll marks something that provides the add-on to every cluster (GuardDuty managing its
	// agent for the account).
	coversAll bool
}

// reportAddonGaps reports the clusters that lack an add-on. A CloudFormation cluster is left out
// when an add-on in another template of its folder may belong to it: a cluster stack with a
// separate add-on stack next to it is common, and that add-on is checked where it is.
func reportAddonGaps(items []addonGap, s *lint.SetPass) {
	if slices.ContainsFunc(items, func(it addonGap) bool { return it.coversAll }) {
		return
	}
	var eksctl []heldReports
	for _, gap := range items {
		if gap.eksctl != nil {
			eksctl = append(eksctl, *gap.eksctl)
		}
		if gap.message == "" {
			continue
		}
		mayBelong := func(it addonGap) bool {
			return it.elsewhere && it.dir == gap.dir && (it.target == "" || gap.name == "" || it.target == gap.name)
		}
		if gap.cfn && slices.ContainsFunc(items, mayBelong) {
			continue
		}
		s.Report(gap.at, "%s", gap.message)
	}
	reportJudged(eksctl, s)
}

// templateDir is the folder of the file a CloudFormation resource is written in.
func templateDir(o *lint.Object) string { return path.Dir(o.Place().Pos.File) }

// cfnAddonElsewhere is the item an AWS::EKS::Addon keeps when its cluster is not in its template.
func cfnAddonElsewhere(p *lint.Pass, a clusterAddon) (addonGap, bool) {
	if a.cluster != nil {
		return addonGap{}, false
	}
	target, _ := cfnString(a.node.Get("ClusterName"))
	return addonGap{elsewhere: true, target: target, dir: templateDir(p.Object)}, true
}

// cfnClusterGap is the item an AWS::EKS::Cluster keeps when its template has no add-on name for it.
// A cluster whose template gives it only Fargate profiles is left out: node add-ons do not apply.
func cfnClusterGap(o *lint.Object, name, message string) (addonGap, bool) {
	if cfnClusterHasAddon(o, name) || cfnFargateOnly(o) {
		return addonGap{}, false
	}
	n, _ := cfnString(o.Properties().Get("Name"))
	return addonGap{at: o.Place(), message: message, cfn: true, name: n, dir: templateDir(o)}, true
}

// cfnFargateOnly reports whether a cluster's template gives it Fargate profiles and no EC2 nodes:
// no node group, no Auto Scaling group.
func cfnFargateOnly(c *lint.Object) bool {
	t := c.Template()
	if len(t.Resources("AWS::EKS::Nodegroup")) > 0 || len(t.Resources("AWS::AutoScaling::AutoScalingGroup")) > 0 {
		return false
	}
	return lint.TemplateIndex(t, factFargateClusters, func(t *lint.Template) map[*lint.Object]bool {
		clusters := map[*lint.Object]bool{}
		for _, fp := range t.Resources("AWS::EKS::FargateProfile") {
			clusters[cfnClusterOf(fp)] = true
		}
		return clusters
	})[c]
}

// vpcCNINetworkPolicy reads enableNetworkPolicy from a vpc-cni add-on's configuration values (a
// string of JSON or YAML); setting is the field inside the string, missing when it is not set.
// known is false when the configuration cannot be read offline: an intrinsic, or text that is
// neither JSON nor YAML (EKS rejects that itself).
func vpcCNINetworkPolicy(a clusterAddon) (enabled bool, setting lint.Node, known bool) {
	if !a.config.Exists() {
		return false, a.config, true
	}
	if !a.config.IsString() || a.config.IsIntrinsic() {
		return false, a.config, false
	}
	root, err := a.config.Embedded()
	if err != nil {
		return false, a.config, false
	}
	setting = root.Get("enableNetworkPolicy")
	on, ok := cfnBool(setting)
	return ok && on, setting, true
}

var VPCCNINetworkPolicyDisabled = &lint.Rule{
	ID:        "eks-vpc-cni-network-policy-disabled",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "VPC CNI does not enforce Kubernetes network policies",
	Inputs:    lint.EksctlInput | lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgNetworkPolicy, eksGuideLimitPodTrafficKubernetesNetwork, k8sNetworkPolicies},
	Rationale: "The Amazon VPC CNI enforces NetworkPolicy objects only when its add-on configuration sets " +
		"`enableNetworkPolicy: \"true\"`; otherwise every policy is accepted by the API server and silently " +
		"ignored, and every pod can reach every other pod. eksctl and EKS install the VPC CNI without it. EKS Best " +
		"Practices: enforce network policies with the VPC CNI.",
	Fix: "Declare the vpc-cni add-on with `configurationValues: '{\"enableNetworkPolicy\": \"true\"}'` (CloudFormation: " +
		"an `AWS::EKS::Addon` with `AddonName: vpc-cni` and that `ConfigurationValues`).",
	Example: lint.Example{
		Bad:  eksctlCluster("addons:\n  - name: vpc-cni\n    version: latest\n", ""),
		Good: eksctlCluster("addons:\n  - name: vpc-cni\n    version: latest\n    configurationValues: '{\"enableNetworkPolicy\": \"true\"}'\n", ""),
	},
	Notes: "Not reported: clusters on Outposts (no add-ons), EKS Auto Mode (network policy is configured on the " +
		"node class), eksctl clusters whose pods run only on Fargate or hybrid nodes (network policies do not " +
		"apply to Fargate pods; hybrid nodes run Cilium or Calico), eksctl clusters with `addonsConfig.disableDefaultAddons: true` and no vpc-cni (another CNI), and " +
		"CloudFormation clusters with `BootstrapSelfManagedAddons: false` and no vpc-cni add-on, or whose template " +
		"gives them Fargate profiles and no EC2 nodes. A CloudFormation cluster without a vpc-cni add-on in its " +
		"template is not reported when a template in the same folder holds a vpc-cni add-on whose cluster is " +
		"outside that template (a separate add-on stack); that add-on is checked itself. " + eksctlClusterNote,
	Set: lint.Gather(func(p *lint.Pass) (addonGap, bool) {
		if o := clusterConfig(p); o != nil {
			held := holdReports(p, func(p *lint.Pass) {
				if eksctlOnOutposts(o) || eksctlAutoMode(o) || eksctlWithoutEC2Nodes(o) {
					return
				}
				cnis := addonsNamed(p, "vpc-cni")
				if len(cnis) == 0 && !o.Get("addonsConfig", "disableDefaultAddons").IsTrue() {
					p.Report(o.Get("addons"), "eksctl installs the VPC CNI without network policy, so NetworkPolicy objects are ignored; "+
						`add the vpc-cni add-on with configurationValues: '{"enableNetworkPolicy": "true"}'`)
				}
				for _, a := range cnis {
					reportNetworkPolicyOff(p, a)
				}
			})
			return addonGap{eksctl: &held}, true
		}
		if cnis := addonsNamed(p, "vpc-cni"); len(cnis) > 0 {
			reportNetworkPolicyOff(p, cnis[0])
			return cfnAddonElsewhere(p, cnis[0])
		}
		props, ok := cfnResource(p, "AWS::EKS::Cluster")
		if !ok || props.Get("ComputeConfig", "Enabled").IsTrue() {
			return addonGap{}, false
		}
		if bootstrap, ok := cfnBool(props.Get("BootstrapSelfManagedAddons")); ok && !bootstrap {
			return addonGap{}, false
		}
		return cfnClusterGap(p.Object, "vpc-cni", "no vpc-cni add-on of this template enables network policy, so EKS installs the VPC CNI without it and NetworkPolicy objects are ignored; "+
			`add an AWS::EKS::Addon with AddonName: vpc-cni and ConfigurationValues: '{"enableNetworkPolicy": "true"}'`)
	}, reportAddonGaps),
}

// reportNetworkPolicyOff reports a vpc-cni add-on that does not turn network policy on: at the
// setting inside its configuration values, else at the configuration values, else at the add-on.
func reportNetworkPolicyOff(p *lint.Pass, a clusterAddon) {
	enabled, setting, known := vpcCNINetworkPolicy(a)
	switch config := fieldName(a.config); {
	case enabled || !known:
	case !a.config.Exists():
		p.Report(a.config, `the vpc-cni add-on does not enable network policy, so NetworkPolicy objects are ignored; add %s: '{"enableNetworkPolicy": "true"}'`,
			config[strings.LastIndex(config, ".")+1:])
	case !setting.Exists():
		p.Report(a.config, `%s does not set enableNetworkPolicy, so NetworkPolicy objects are ignored; add "enableNetworkPolicy": "true"`, config)
	default:
		p.Report(setting, `enableNetworkPolicy is %q, so NetworkPolicy objects are ignored; set it to "true"`, setting.Str())
	}
}

var VPCCNITooOldForNetworkPolicy = &lint.Rule{
	ID:        "eks-vpc-cni-too-old-for-network-policy",
	Level:     lint.Error,
	DefaultOn: true,
	Title:     "Network policy is enabled on a VPC CNI or cluster too old to enforce it",
	Inputs:    lint.EksctlInput | lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagReliability, lint.TagEKS},
	Sources:   []lint.Source{eksGuideLimitPodTrafficKubernetesNetwork, eksGuideRestrictPodNetworkTrafficKubernetes},
	Rationale: "The VPC CNI enforces Kubernetes network policies from add-on v1.14.0-eksbuild.3 and on clusters " +
		"1.25 and newer. With an older add-on or cluster the setting does not take effect, and policies the " +
		"team relies on for isolation are not enforced. EKS Best Practices: enforce network policies with the VPC CNI.",
	Fix: "Update the vpc-cni add-on `version` to v1.14.0-eksbuild.3 or newer (or `latest`), and the cluster to " +
		"Kubernetes 1.25 or newer.",
	Example: lint.Example{
		Bad: eksctlCluster("addons:\n  - name: vpc-cni\n    version: v1.13.4-eksbuild.1\n"+
			"    configurationValues: '{\"enableNetworkPolicy\": \"true\"}'\n", ""),
		Good: eksctlCluster("addons:\n  - name: vpc-cni\n    version: v1.19.2-eksbuild.1\n"+
			"    configurationValues: '{\"enableNetworkPolicy\": \"true\"}'\n", ""),
	},
	Notes: "The minimum versions come from the EKS version data (`network_policy`). An add-on without `version` " +
		"or with `latest` gets the default build for the cluster version, which is new enough on 1.25 and later. " + eksctlClusterNote,
	Set: clusterLevel(func(p *lint.Pass) {
		vs := p.Env.EKS()
		for _, a := range addonsNamed(p, "vpc-cni") {
			enabled, setting, _ := vpcCNINetworkPolicy(a)
			if !enabled {
				continue
			}
			if written, ok := cfnString(a.version); ok {
				if v, ok := lint.ParseVersion(written); ok && v.Compare(vs.NetworkPolicyMinVPCCNI) < 0 {
					p.Report(a.version, "vpc-cni %s cannot enforce network policy (it needs v%s or newer), so enableNetworkPolicy has no effect; update %s",
						written, vs.NetworkPolicyMinVPCCNI.Full(), fieldName(a.version))
				}
			}
			if a.cluster == nil {
				continue
			}
			if kv, ok := clusterVersionOf(a.cluster); ok && kv.parsed && kv.Compare(vs.NetworkPolicyMinKubernetes) < 0 {
				p.Report(setting, "enableNetworkPolicy needs Kubernetes %s or newer, but the cluster runs %s, so policies are not enforced; upgrade the cluster",
					vs.NetworkPolicyMinKubernetes, kv)
			}
		}
	}),
}

// guardDutyAgent is the EKS add-on of the GuardDuty Runtime Monitoring security agent.
const guardDutyAgent = "aws-guardduty-agent"

var GuardDutyAgentAddonMissing = &lint.Rule{
	ID:        "eks-guardduty-agent-addon-missing",
	Level:     lint.Note,
	DefaultOn: false,
	Title:     "No GuardDuty runtime monitoring agent add-on",
	Inputs:    lint.EksctlInput | lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgUseGuardDutyRuntimeMonitoringDetecting, eksGuideDetectThreatsGuardDuty, guardDutyGuardDutyRuntimeMonitoring},
	Rationale: "GuardDuty Runtime Monitoring sees process, file and network activity on the nodes only through its " +
		"security agent, the `aws-guardduty-agent` add-on. Without it, runtime threats (a cryptominer, a reverse " +
		"shell in a container) go unseen. EKS Best Practices: run the GuardDuty runtime agent.",
	Fix: "Add the `aws-guardduty-agent` add-on (CloudFormation: an `AWS::EKS::Addon` with that `AddonName`), or let " +
		"GuardDuty manage the agent (Runtime Monitoring with `EKS_ADDON_MANAGEMENT` enabled).",
	Example: lint.Example{
		Bad:  eksctlCluster("", ""),
		Good: eksctlCluster("addons:\n  - name: aws-guardduty-agent\n", ""),
	},
	Notes: "A note, off by default: GuardDuty can install the agent itself (automated agent configuration), which " +
		"cannot be seen offline. When the run holds an `AWS::GuardDuty::Detector` with runtime monitoring and " +
		"`EKS_ADDON_MANAGEMENT` enabled, nothing is reported. Clusters on Outposts and eksctl clusters whose " +
		"pods run only on Fargate (which GuardDuty does not monitor on EKS) or hybrid nodes are not reported; split stacks are " +
		"handled as in eks-vpc-cni-network-policy-disabled. " + eksctlClusterNote,
	Set: lint.Gather(func(p *lint.Pass) (addonGap, bool) {
		if o := clusterConfig(p); o != nil {
			held := holdReports(p, func(p *lint.Pass) {
				if eksctlOnOutposts(o) || eksctlWithoutEC2Nodes(o) || len(addonsNamed(p, guardDutyAgent)) > 0 {
					return
				}
				p.Report(o.Get("addons"), "no aws-guardduty-agent add-on: GuardDuty Runtime Monitoring sees nothing on this cluster's nodes "+
					"unless GuardDuty manages the agent itself; add the add-on, or enable GuardDuty's automated agent management")
			})
			return addonGap{eksctl: &held}, true
		}
		if agents := addonsNamed(p, guardDutyAgent); len(agents) > 0 {
			return cfnAddonElsewhere(p, agents[0])
		}
		if props, ok := cfnResource(p, "AWS::GuardDuty::Detector"); ok {
			features, known := detectorFeatures(props)
			runtime := features.enabled("RUNTIME_MONITORING") || features.enabled("EKS_RUNTIME_MONITORING")
			return addonGap{coversAll: true}, known && runtime && features.addonManagement
		}
		if _, ok := cfnResource(p, "AWS::EKS::Cluster"); ok {
			return cfnClusterGap(p.Object, guardDutyAgent, "no aws-guardduty-agent add-on for this cluster in the template: GuardDuty Runtime Monitoring "+
				"sees nothing on its nodes unless GuardDuty manages the agent itself; add an AWS::EKS::Addon with AddonName: aws-guardduty-agent")
		}
		return addonGap{}, false
	}, reportAddonGaps),
}

// guardDutyFeatures are a detector's Features by name.
type guardDutyFeatures struct {
	byName map[string]lint.Node
	// addonManagement says whether runtime monitoring has EKS_ADDON_MANAGEMENT enabled: GuardDuty
	// then installs its agent on every cluster itself.
	addonManagement bool
	// legacyAuditLogs says whether DataSources.Kubernetes.AuditLogs.Enable, the older way to turn
	// on EKS audit log monitoring, is true.
	legacyAuditLogs bool
}

func (f guardDutyFeatures) enabled(name string) bool {
	s, _ := cfnString(f.byName[name].Get("Status"))
	return strings.EqualFold(s, "ENABLED")
}

// detectorFeatures reads an AWS::GuardDuty::Detector's Features; known is false when an intrinsic
// hides any of them.
func detectorFeatures(props lint.Node) (f guardDutyFeatures, known bool) {
	f.byName = map[string]lint.Node{}
	legacy, _ := cfnBool(props.Get("DataSources", "Kubernetes", "AuditLogs", "Enable"))
	f.legacyAuditLogs = legacy
	features, known := cfnField(props, "Features")
	if !known {
		return f, false
	}
	for _, it := range features.Items() {
		name, ok := cfnString(it.Get("Name"))
		if _, statusKnown := cfnField(it, "Status"); !ok || !statusKnown {
			return f, false
		}
		f.byName[name] = it
		if name == "RUNTIME_MONITORING" || name == "EKS_RUNTIME_MONITORING" {
			for _, c := range it.Get("AdditionalConfiguration").Items() {
				cn, _ := cfnString(c.Get("Name"))
				cs, _ := cfnString(c.Get("Status"))
				f.addonManagement = f.addonManagement || cn == "EKS_ADDON_MANAGEMENT" && strings.EqualFold(cs, "ENABLED")
			}
		}
	}
	return f, true
}

// addons are the G3 rules in catalogue order.
var addons = []*lint.Rule{
	VPCCNINetworkPolicyDisabled,
	VPCCNITooOldForNetworkPolicy,
	GuardDutyAgentAddonMissing,
	GuardDutyEKSFeaturesDisabled,
}
