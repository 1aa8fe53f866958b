package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/ekslint/ekslint/lint"
)

// G1: the cluster control plane (eksctl ClusterConfig and AWS::EKS::Cluster).

// eksctlOnOutposts reports whether the control plane runs on AWS Outposts (a local cluster):
// eksctl then makes the endpoint private-only and rejects KMS encryption, add-ons and zones.
func eksctlOnOutposts(o *lint.Object) bool {
	return o.Get("outpost", "controlPlaneOutpostARN").Str() != ""
}

// eksctlEndpoints returns vpc.clusterEndpoints, or ok false when eksctl decides the endpoint
// access itself: a fully private cluster (privateCluster.enabled) and a cluster on Outposts end up
// private-only, and eksctl rejects clusterEndpoints there.
func eksctlEndpoints(o *lint.Object) (endpoints lint.Node, ok bool) {
	if o.Get("privateCluster", "enabled").IsTrue() || eksctlOnOutposts(o) {
		return lint.Node{}, false
	}
	return o.Get("vpc", "clusterEndpoints"), true
}

// cfnEndpoints returns an AWS::EKS::Cluster's ResourcesVpcConfig, or ok false when its endpoint
// access cannot be told: an intrinsic, or a local cluster on Outposts (OutpostConfig), whose
// endpoint is private-only.
func cfnEndpoints(props lint.Node) (vpcConfig lint.Node, ok bool) {
	if props.Get("OutpostConfig").Exists() {
		return lint.Node{}, false
	}
	return cfnField(props, "ResourcesVpcConfig")
}

// publicEndpoint finds a cluster with a public API endpoint: the field that makes it public (a
// missing field when the default does) and how to name it in a message. ok is false for private
// endpoints and when it cannot be told.
func publicEndpoint(p *lint.Pass) (at lint.Node, what string, ok bool) {
	if o := clusterConfig(p); o != nil {
		ep, ok := eksctlEndpoints(o)
		if !ok {
			return lint.Node{}, "", false
		}
		at = ep.Get("publicAccess")
		if at.IsTrue() {
			return at, "publicAccess: true", true
		}
		return at, "eksctl defaults vpc.clusterEndpoints.publicAccess to true", !at.Exists()
	}
	if props, ok := cfnResource(p, "AWS::EKS::Cluster"); ok {
		vpc, ok := cfnEndpoints(props)
		if !ok {
			return lint.Node{}, "", false
		}
		at, known := cfnField(vpc, "EndpointPublicAccess")
		if !at.Exists() {
			return at, "EndpointPublicAccess is unset and EKS defaults it to true", known
		}
		public, known := cfnBool(at)
		return at, "EndpointPublicAccess: " + at.Str(), known && public
	}
	return lint.Node{}, "", false
}

var EndpointPublicAccess = &lint.Rule{
	ID:        "eks-endpoint-public-access",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Cluster API endpoint is public",
	Inputs:    lint.EksctlInput | lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgMakeClusterEndpointPrivate, eksGuideClusterAPIServerEndpoint, eksctlClusterAccess},
	Rationale: "A public endpoint exposes the Kubernetes API server to the internet: every leaked credential and " +
		"every API server vulnerability is then reachable from anywhere. eksctl and the EKS API make the endpoint " +
		"public unless told otherwise. EKS Best Practices: make the endpoint private and reach it over the VPC, a " +
		"VPN or PrivateLink, or at least restrict who can reach it.",
	Fix: "Set `vpc.clusterEndpoints.privateAccess: true` and `publicAccess: false` (CloudFormation: " +
		"`ResourcesVpcConfig.EndpointPrivateAccess: true`, `EndpointPublicAccess: false`); if the endpoint must " +
		"stay public, restrict it with `vpc.publicAccessCIDRs` (`PublicAccessCidrs`).",
	Example: lint.Example{
		Bad:  eksctlCluster("vpc:\n  publicAccessCIDRs: [\"203.0.113.0/24\"]\n", ""),
		Good: eksctlCluster("vpc:\n  clusterEndpoints:\n    privateAccess: true\n    publicAccess: false\n", ""),
	},
	Equivalents: []string{"Checkov CKV_AWS_39 (Terraform only)", "Trivy AWS-0040"},
	Notes: "A public endpoint that admits the whole internet (no `publicAccessCIDRs`, or 0.0.0.0/0 among them) is " +
		"left to eks-endpoint-public-cidr-unrestricted, whose error names the public default too: one gap, one " +
		"finding, where a config without `vpc` used to get both. So this rule reports public endpoints restricted to " +
		"some CIDRs, or whose CIDRs are known only at deploy time. A fully private eksctl cluster " +
		"(`privateCluster.enabled: true`) and a cluster whose control plane runs on Outposts " +
		"(`outpost.controlPlaneOutpostARN`, CloudFormation `OutpostConfig`) are private-only: eksctl sets the endpoint " +
		"access itself and rejects `vpc.clusterEndpoints` there, so they are not reported. " + eksctlClusterNote,
	Set: clusterLevel(func(p *lint.Pass) {
		at, what, ok := publicEndpoint(p)
		if !ok {
			return
		}
		switch cidrs, openings, known := endpointWorldOpenings(p); {
		case !known:
			p.Report(at, "the cluster API endpoint is public (%s); make it private, or restrict who can reach it", what)
		case len(openings) == 0:
			p.Report(at, "the cluster API endpoint is public (%s), though only to the CIDRs in %s; make it private and "+
				"reach it over the VPC, a VPN or PrivateLink", what, fieldName(cidrs))
		}
	}),
}

// isWorld reports whether a CIDR is the whole IPv4 or IPv6 internet.
func isWorld(cidr string) bool { return cidr == "0.0.0.0/0" || cidr == "::/0" }

var EndpointPublicCIDRUnrestricted = &lint.Rule{
	ID:        "eks-endpoint-public-cidr-unrestricted",
	Level:     lint.Error,
	DefaultOn: true,
	Title:     "Public API endpoint is open to the whole internet",
	Inputs:    lint.EksctlInput | lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgMakeClusterEndpointPrivate, eksGuideModifyingClusterEndpointAccess, eksctlClusterAccess},
	Rationale: "With a public endpoint and no `publicAccessCIDRs`, EKS accepts API connections from 0.0.0.0/0: " +
		"anyone can probe the API server and try stolen credentials. EKS Best Practices: restrict the public " +
		"endpoint to the CIDR blocks that need it.",
	Fix: "List the ranges that need the API (office, VPN, CI runners) in `vpc.publicAccessCIDRs` " +
		"(CloudFormation: `ResourcesVpcConfig.PublicAccessCidrs`), or make the endpoint private.",
	Example: lint.Example{
		Bad:  eksctlCluster("vpc:\n  publicAccessCIDRs: [\"0.0.0.0/0\"]\n", ""),
		Good: eksctlCluster("vpc:\n  publicAccessCIDRs: [\"203.0.113.0/24\"]\n", ""),
	},
	Equivalents: []string{"Checkov CKV_AWS_38 (Terraform only)", "Trivy AWS-0041"},
	Notes: "An empty list is treated as unset, as eksctl and EKS do. Private-only clusters (fully private, on " +
		"Outposts) are not reported. The message also says what makes the endpoint public (eksctl's and EKS's " +
		"default, or `publicAccess: true`), which eks-endpoint-public-access then does not report again. " + eksctlClusterNote,
	Set: clusterLevel(func(p *lint.Pass) {
		_, what, public := publicEndpoint(p)
		if !public {
			return
		}
		_, openings, _ := endpointWorldOpenings(p)
		for _, o := range openings {
			p.Report(o.at, "the cluster API endpoint is public (%s) and accepts connections from anywhere (%s); make it "+
				"private, or list the CIDRs that need the API", what, o.how)
		}
	}),
}

// A worldOpening is where a public API endpoint admits the whole internet, and how to say so.
type worldOpening struct {
	at  lint.Node
	how string
}

// endpointWorldOpenings reads a cluster's public access CIDRs (eksctl vpc.publicAccessCIDRs,
// CloudFormation ResourcesVpcConfig.PublicAccessCidrs) and finds where they admit the whole
// internet: the list itself when it is unset or empty (EKS then allows 0.0.0.0/0), else each
// 0.0.0.0/0 or ::/0 in it. known is false when the list is only known at deploy time.
func endpointWorldOpenings(p *lint.Pass) (cidrs lint.Node, openings []worldOpening, known bool) {
	if o := clusterConfig(p); o != nil {
		cidrs = o.Get("vpc", "publicAccessCIDRs")
	} else if props, ok := cfnResource(p, "AWS::EKS::Cluster"); ok {
		if cidrs, known = cfnField(props, "ResourcesVpcConfig", "PublicAccessCidrs"); !known {
			return cidrs, nil, false
		}
	} else {
		return cidrs, nil, false
	}
	if cidrs.Len() == 0 {
		state := "unset"
		if cidrs.Exists() {
			state = "empty"
		}
		return cidrs, []worldOpening{{cidrs, fmt.Sprintf("%s is %s, so EKS allows 0.0.0.0/0", fieldName(cidrs), state)}}, true
	}
	for _, c := range cidrs.Items() {
		if s, ok := cfnString(c); ok && isWorld(s) {
			openings = append(openings, worldOpening{c, fmt.Sprintf("%s in %s", s, fieldName(cidrs))})
		}
	}
	return cidrs, openings, true
}

// fieldName is how a message names a field: its path, without CloudFormation's "Properties.".
func fieldName(n lint.Node) string { return strings.TrimPrefix(n.Path(), "Properties.") }

var EndpointPrivateAccessDisabled = &lint.Rule{
	ID:        "eks-endpoint-private-access-disabled",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Cluster API endpoint has no private access",
	Inputs:    lint.EksctlInput | lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgMakeClusterEndpointPrivate, eksGuideClusterPrivateEndpoint, eksctlClusterAccess},
	Rationale: "Without private endpoint access, nodes and pods reach the Kubernetes API through the public endpoint: " +
		"the traffic leaves the VPC, the public endpoint cannot be closed or narrowed without cutting the nodes " +
		"off, and the API cannot be reached over PrivateLink. eksctl and the EKS API leave private access off " +
		"unless told. EKS Best Practices: enable the private endpoint.",
	Fix: "Set `vpc.clusterEndpoints.privateAccess: true` (CloudFormation: `ResourcesVpcConfig.EndpointPrivateAccess: true`).",
	Example: lint.Example{
		Bad:  eksctlCluster("vpc:\n  publicAccessCIDRs: [\"203.0.113.0/24\"]\n", ""),
		Good: eksctlCluster("vpc:\n  clusterEndpoints:\n    privateAccess: true\n  publicAccessCIDRs: [\"203.0.113.0/24\"]\n", ""),
	},
	Notes: "Fully private clusters and clusters on Outposts have private access by construction and are not reported. " +
		"This finding stands beside eks-endpoint-public-cidr-unrestricted even for a config without `vpc`, where both " +
		"land on the same line: private access is a setting of its own with a fix of its own (`privateAccess: true`), " +
		"needed whether the public endpoint stays open, is restricted to some CIDRs (the nodes' NAT addresses must " +
		"then be among them, or the nodes cannot join) or is closed. " + eksctlClusterNote,
	Set: clusterLevel(func(p *lint.Pass) {
		if o := clusterConfig(p); o != nil {
			ep, ok := eksctlEndpoints(o)
			if !ok {
				return
			}
			switch at := ep.Get("privateAccess"); {
			case at.IsFalse():
				p.Report(at, "private access to the cluster API endpoint is off (privateAccess: false), so nodes reach the API over the internet; set it to true")
			case !at.Exists():
				p.Report(at, "private access to the cluster API endpoint is off: eksctl defaults vpc.clusterEndpoints.privateAccess to false; set it to true")
			}
			return
		}
		props, ok := cfnResource(p, "AWS::EKS::Cluster")
		if !ok {
			return
		}
		vpc, ok := cfnEndpoints(props)
		if !ok {
			return
		}
		at, known := cfnField(vpc, "EndpointPrivateAccess")
		if !at.Exists() {
			if known {
				p.Report(at, "private access to the cluster API endpoint is off: EndpointPrivateAccess is unset and EKS defaults it to false; set it to true")
			}
			return
		}
		if private, ok := cfnBool(at); ok && !private {
			p.Report(at, "private access to the cluster API endpoint is off (EndpointPrivateAccess: %s), so nodes reach the API over the internet; set it to true", at.Str())
		}
	}),
}

// logTypesNote is said in the docs of both logging rules.
const logTypesNote = "A list of log types holding a placeholder of a templating step (`[\"${LOG_TYPES}\"]`) may " +
	"name any of them and is not judged, like a CloudFormation list holding an intrinsic."

// logTypes are the control-plane log types EKS can send to CloudWatch.
var logTypes = []string{"api", "audit", "authenticator", "controllerManager", "scheduler"}

// clusterLogTypes returns the control-plane log types a cluster turns on and the field that lists
// them. eksctl's cloudWatch.clusterLogging.enableTypes takes "*" and "all" for every type;
// CloudFormation's Logging.ClusterLogging.EnabledTypes is a list of {Type: ...} naming one each. ok is false when
// p's object is no cluster or an intrinsic hides a type.
func clusterLogTypes(p *lint.Pass) (enabled map[string]bool, at lint.Node, ok bool) {
	if p.Object.Format == lint.Kubernetes {
		return nil, at, false // most objects of a run: no map to make
	}
	enabled = map[string]bool{}
	enable := func(t string, all bool) {
		for _, lt := range logTypes {
			if all || strings.EqualFold(t, lt) {
				enabled[lt] = true
			}
		}
	}
	if o := clusterConfig(p); o != nil {
		at = o.Get("cloudWatch", "clusterLogging", "enableTypes")
		for _, t := range at.Strings() {
			if lint.HasPlaceholder(t) {
				return nil, at, false // may stand for any type, or all of them
			}
			enable(t, t == "*" || t == "all")
		}
		return enabled, at, true
	}
	props, ok := cfnResource(p, "AWS::EKS::Cluster")
	if !ok {
		return nil, at, false
	}
	if at, ok = cfnField(props, "Logging", "ClusterLogging", "EnabledTypes"); !ok {
		return nil, at, false
	}
	for _, it := range at.Items() {
		t, known := cfnField(it, "Type")
		if !known {
			return nil, at, false
		}
		enable(t.Str(), false) // CloudFormation takes the five names only: no "*"
	}
	return enabled, at, true
}

// logTypesOff lists the log types other than audit that a cluster leaves off.
func logTypesOff(enabled map[string]bool) []string {
	var off []string
	for _, t := range logTypes {
		if t != "audit" && !enabled[t] {
			off = append(off, t)
		}
	}
	return off
}

var ControlPlaneAuditLogDisabled = &lint.Rule{
	ID:        "eks-control-plane-audit-log-disabled",
	Level:     lint.Error,
	DefaultOn: true,
	Title:     "Control-plane audit log is off",
	Inputs:    lint.EksctlInput | lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgEnableAuditLogs, eksGuideSendControlPlaneLogsCloudWatch, eksctlCloudWatchLogging},
	Rationale: "The audit log is the record of who did what through the Kubernetes API; without it an incident " +
		"cannot be investigated. EKS sends no control-plane logs to CloudWatch unless asked. EKS Best Practices " +
		"recommend the control-plane logs, and GuardDuty's EKS audit log monitoring builds on them.",
	Fix: "Add `audit` to `cloudWatch.clusterLogging.enableTypes` (or use `[\"*\"]` for all five types); in " +
		"CloudFormation add `{Type: audit}` to `Logging.ClusterLogging.EnabledTypes`.",
	Example: lint.Example{
		Bad:  eksctlCluster("cloudWatch:\n  clusterLogging:\n    enableTypes: [\"api\"]\n", ""),
		Good: eksctlCluster("cloudWatch:\n  clusterLogging:\n    enableTypes: [\"*\"]\n", ""),
	},
	Equivalents: []string{"Checkov CKV_AWS_37 (Terraform only)", "Trivy AWS-0038"},
	Notes: "When the audit log is off, the finding also names the other log types that are off, and " +
		"eks-control-plane-logging-incomplete stays quiet: `[\"*\"]` turns them all on in one fix, where a config " +
		"without `cloudWatch` used to get a finding from each rule. " + logTypesNote + " " + eksctlClusterNote,
	Set: clusterLevel(func(p *lint.Pass) {
		enabled, at, ok := clusterLogTypes(p)
		if !ok || enabled["audit"] {
			return
		}
		if others := logTypesOff(enabled); len(others) > 0 {
			all := `, or "*" for all five`
			if p.Object.Format == lint.CloudFormation {
				all = ", and the four others for all five" // {Type: ...} each: CloudFormation has no "*"
			}
			p.Report(at, "control-plane audit logging is off, and so are %s: add audit to %s%s", strings.Join(others, ", "), fieldName(at), all)
			return
		}
		p.Report(at, "control-plane audit logging is off: add audit to %s", fieldName(at))
	}),
}

var ControlPlaneLoggingIncomplete = &lint.Rule{
	ID:        "eks-control-plane-logging-incomplete",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Not every control-plane log type is on",
	Inputs:    lint.EksctlInput | lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgEnableAuditLogs, eksGuideSendControlPlaneLogsCloudWatch, eksctlCloudWatchLogging},
	Rationale: "Besides the audit log, the api, authenticator, controllerManager and scheduler logs explain failed " +
		"requests, IAM authentication (which role became which Kubernetes user) and scheduling decisions. EKS " +
		"Best Practices recommend all five log types.",
	Fix: "Set `cloudWatch.clusterLogging.enableTypes: [\"*\"]` and a `logRetentionInDays` to bound the cost; in " +
		"CloudFormation list all five types in `Logging.ClusterLogging.EnabledTypes`.",
	Example: lint.Example{
		Bad:  eksctlCluster("cloudWatch:\n  clusterLogging:\n    enableTypes: [\"audit\"]\n", ""),
		Good: eksctlCluster("cloudWatch:\n  clusterLogging:\n    enableTypes: [\"*\"]\n    logRetentionInDays: 90\n", ""),
	},
	Equivalents: []string{"Checkov CKV_AWS_37 (Terraform only)", "Trivy AWS-0038"},
	Notes: "Reported only when the audit log is on: when it is off, eks-control-plane-audit-log-disabled reports it " +
		"as an error and names the other types that are off, so one gap gives one finding (Trivy reports one result " +
		"per missing type). " + logTypesNote + " " + eksctlClusterNote,
	Set: clusterLevel(func(p *lint.Pass) {
		enabled, at, ok := clusterLogTypes(p)
		if !ok || !enabled["audit"] {
			return
		}
		if missing := logTypesOff(enabled); len(missing) > 0 {
			p.Report(at, "control-plane log types %s are off: add them to %s", strings.Join(missing, ", "), fieldName(at))
		}
	}),
}

// secretsKeyMissing finds a cluster whose secrets are not envelope-encrypted with a KMS key it
// names: the field to report at, or ok false when it is, when it cannot be told, or when the
// cluster cannot have one (a control plane on Outposts).
func secretsKeyMissing(p *lint.Pass) (at lint.Node, ok bool) {
	if o := clusterConfig(p); o != nil {
		key := o.Get("secretsEncryption", "keyARN")
		return key, !eksctlOnOutposts(o) && strings.TrimSpace(key.Str()) == ""
	}
	props, ok := cfnResource(p, "AWS::EKS::Cluster")
	if !ok || props.Get("OutpostConfig").Exists() {
		return at, false
	}
	enc, known := cfnField(props, "EncryptionConfig")
	if !known {
		return at, false
	}
	for _, it := range enc.Items() {
		resources, known := cfnField(it, "Resources")
		provider, knownProvider := cfnField(it, "Provider")
		if !known || !knownProvider {
			return at, false
		}
		key := provider.Get("KeyArn")
		arn, literal := cfnString(key)
		hasKey := key.Exists() && (!literal || strings.TrimSpace(arn) != "")
		for _, r := range resources.Items() {
			if s, ok := cfnString(r); !ok || s == "secrets" && hasKey {
				return at, false
			}
		}
	}
	return enc, true
}

var SecretsKMSCMKMissing = &lint.Rule{
	ID:        "eks-secrets-kms-cmk-missing",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Secrets are not encrypted with a customer-managed KMS key",
	Inputs:    lint.EksctlInput | lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgUseAWSKMSEnvelopeEncryption, eksGuideDefaultEnvelopeEncryptionAllKubernetes, eksctlKMSEnvelopeEncryptionClusters},
	Rationale: "EKS encrypts all Kubernetes API data at rest with an AWS-owned key on clusters 1.28 and newer; " +
		"envelope encryption of secrets with your own KMS key adds a layer you control, audit in CloudTrail and " +
		"can revoke. A warning, not an error, because the default encryption exists.",
	Fix: "Add `secretsEncryption.keyARN` with the ARN of a customer-managed KMS key (CloudFormation: an " +
		"`EncryptionConfig` item with `Resources: [secrets]` and `Provider.KeyArn`).",
	Example: lint.Example{
		Bad:  eksctlCluster("", ""),
		Good: eksctlCluster("secretsEncryption:\n  keyARN: arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\n", ""),
	},
	Equivalents: []string{"Checkov CKV_AWS_58", "Trivy AWS-0039"},
	Notes: "Clusters whose control plane runs on Outposts are not reported: EKS local clusters do not support KMS " +
		"envelope encryption and eksctl rejects `secretsEncryption` there. " + eksctlClusterNote,
	Set: clusterLevel(func(p *lint.Pass) {
		at, ok := secretsKeyMissing(p)
		switch {
		case !ok:
		case clusterConfig(p) != nil:
			p.Report(at, "Kubernetes secrets are not envelope-encrypted with your own KMS key: set secretsEncryption.keyARN")
		default:
			p.Report(at, "Kubernetes secrets are not envelope-encrypted with your own KMS key: add an EncryptionConfig item with Resources: [secrets] and Provider.KeyArn")
		}
	}),
}

// kubeVersion is the Kubernetes version a cluster is created with.
type kubeVersion struct {
	lint.Version
	// at is metadata.version or Version.
	at lint.Node
	// written is the version as written.
	written string
	// parsed says whether written reads as a version.
	parsed bool
}

// clusterVersionOf returns the version of an eksctl ClusterConfig or an AWS::EKS::Cluster. ok is
// false when it is only known at create time: an eksctl version left unset, "" or "auto" (the
// default of whichever eksctl release creates the cluster, which eks-version-unpinned reports),
// "latest" (the newest then), a placeholder of a templating step, a CloudFormation intrinsic, or
// a CloudFormation cluster without Version (EKS's default then).
func clusterVersionOf(o *lint.Object) (kv kubeVersion, ok bool) {
	switch {
	case o.Format == lint.Eksctl && o.Kind() == "ClusterConfig":
		kv.at = o.Get("metadata", "version")
		switch s := strings.TrimSpace(kv.at.Str()); {
		case s == "", s == "auto", s == "latest", lint.HasPlaceholder(s):
			return kv, false
		}
	case o.Format == lint.CloudFormation && o.Kind() == "AWS::EKS::Cluster":
		var known bool
		if kv.at, known = cfnField(o.Properties(), "Version"); !known || !kv.at.Exists() {
			return kv, false
		}
	default:
		return kv, false
	}
	kv.written = strings.TrimSpace(kv.at.Str())
	kv.Version, kv.parsed = lint.ParseVersion(kv.written)
	return kv, true
}

// String names the version for a message.
func (kv kubeVersion) String() string { return "Kubernetes " + kv.Version.String() }

// clusterRelease returns p's cluster version and its entry in the version data; ok is false when
// the version cannot be told or the data does not list it.
func clusterRelease(p *lint.Pass) (kv kubeVersion, k *lint.KubernetesVersion, ok bool) {
	kv, ok = clusterVersionOf(p.Object)
	if !ok || !kv.parsed {
		return kv, nil, false
	}
	k = p.Env.EKS().Lookup(kv.Version)
	return kv, k, k != nil
}

func date(t time.Time) string { return t.Format(time.DateOnly) }

var VersionExtendedSupport = &lint.Rule{
	ID:        "eks-version-extended-support",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Kubernetes version is in extended support",
	Inputs:    lint.EksctlInput | lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagCost, lint.TagReliability, lint.TagEKS},
	Sources:   []lint.Source{bpgKeepClusterUpDate, eksGuideUnderstandKubernetesVersionLifecycle, blogExtendedSupportKubernetesVersionsPricing},
	Rationale: "EKS supports a Kubernetes version for 14 months of standard support, then 12 months of extended " +
		"support at six times the control-plane price ($0.60 instead of $0.10 per cluster-hour). A version in " +
		"extended support gets fewer upstream fixes and leaves less time to upgrade. EKS Best Practices: run a " +
		"current Kubernetes version.",
	Fix: "Upgrade `metadata.version` (CloudFormation: `Version`) to a version in standard support, one minor " +
		"version at a time.",
	Example: lint.Example{
		Bad:  eksctlVersionCluster("1.32"),
		Good: eksctlVersionCluster("1.35"),
	},
	Equivalents: []string{"Checkov CKV_AWS_339 (Terraform only; a fixed list of versions)"},
	Notes: "Support dates come from ekslint's EKS version data (`ekslint rules --data` shows it; `--data` " +
		"replaces it) and are compared with today's date (`--date` pins it), not with the data's as_of date. " +
		unknownVersions + " " + eksctlClusterNote,
	Set: clusterLevel(func(p *lint.Pass) {
		kv, k, ok := clusterRelease(p)
		day := p.Env.Day()
		if !ok || k.SupportOn(day) != lint.ExtendedSupport {
			return
		}
		vs := p.Env.EKS()
		p.Report(kv.at, "%s has been in extended support since %s (until %s), at $%.2f instead of $%.2f per cluster-hour; upgrade to %s or newer",
			kv, date(k.EndOfStandardSupport), date(k.EndOfExtendedSupport), vs.ExtendedPerHour, vs.StandardPerHour,
			vs.OldestInStandardSupport(day).Version)
	}),
}

var VersionUnsupported = &lint.Rule{
	ID:        "eks-version-unsupported",
	Level:     lint.Error,
	DefaultOn: true,
	Title:     "Kubernetes version is past end of support or unknown to EKS",
	Inputs:    lint.EksctlInput | lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagReliability, lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgKeepClusterUpDate, eksGuideReleaseCalendar, eksGuideFAQs},
	Rationale: "At the end of extended support EKS upgrades the control plane by itself and no longer creates " +
		"clusters of that version, so the configuration no longer describes what runs; a version EKS does not " +
		"offer cannot be created at all. EKS Best Practices: run a current Kubernetes version.",
	Fix: "Set `metadata.version` (CloudFormation: `Version`) to a version EKS supports, and upgrade existing " +
		"clusters one minor version at a time.",
	Example: lint.Example{
		Bad:  eksctlVersionCluster("1.29"),
		Good: eksctlVersionCluster("1.35"),
	},
	Equivalents: []string{"Checkov CKV_AWS_339 (Terraform only; a fixed list of versions)"},
	Notes: "A version newer than every version in the data is reported too: it may be a typo, or the data may be " +
		"older than the release; pass newer data with `--data`. " + unknownVersions + " " + eksctlClusterNote,
	Set: clusterLevel(func(p *lint.Pass) {
		kv, ok := clusterVersionOf(p.Object)
		if !ok {
			return
		}
		vs, day := p.Env.EKS(), p.Env.Day()
		target := vs.OldestInStandardSupport(day).Version
		if !kv.parsed {
			p.Report(kv.at, "%q is not a Kubernetes version; set a version EKS supports, such as %q", kv.written, target.String())
			return
		}
		k := vs.Lookup(kv.Version)
		switch {
		case k != nil && k.SupportOn(day) == lint.EndOfSupport:
			p.Report(kv.at, "%s reached the end of extended support on %s: EKS upgrades such clusters by itself and no longer creates them; upgrade to %s or newer",
				kv, date(k.EndOfExtendedSupport), target)
		case k != nil:
		case kv.Compare(vs.Oldest().Version) < 0:
			p.Report(kv.at, "%s is older than every version EKS still lists (oldest %s, as of %s) and is long past end of support; upgrade to %s or newer",
				kv, vs.Oldest().Version, date(vs.AsOf), target)
		default:
			p.Report(kv.at, "%s is not an EKS version in ekslint's data (newest %s, as of %s); check the version, or pass newer data with --data if EKS has released it since",
				kv, vs.Newest().Version, date(vs.AsOf))
		}
	}),
}

// unknownVersions is said in the docs of the rules that judge a cluster's Kubernetes version.
const unknownVersions = "Versions known only at create time are not checked: an eksctl `metadata.version` left " +
	"unset or \"auto\" (the default of whichever eksctl release creates the cluster, so a finding would change " +
	"with the calendar and the release; eks-version-unpinned reports it), \"latest\", a version a templating step " +
	"fills in (`${EKS_VERSION}`), and a CloudFormation cluster without `Version` (EKS picks the version then)."

// supportEndingSoonDays is how far ahead eks-version-support-ending-soon looks: a quarter is the
// usual planning horizon for a cluster upgrade.
const supportEndingSoonDays = 90

var VersionSupportEndingSoon = &lint.Rule{
	ID:        "eks-version-support-ending-soon",
	Level:     lint.Note,
	DefaultOn: false,
	Title:     "Standard support for the Kubernetes version ends soon",
	Inputs:    lint.EksctlInput | lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagCost, lint.TagReliability, lint.TagEKS},
	Sources:   []lint.Source{bpgReviewReleaseCalendar, eksGuideReleaseCalendar},
	Rationale: fmt.Sprintf("When standard support ends, EKS moves the cluster to extended support at six times the "+
		"control-plane price, or upgrades it by itself when the upgrade policy is STANDARD. Knowing %d days ahead "+
		"leaves time to test and roll out an upgrade. EKS Best Practices: run a current Kubernetes version.",
		supportEndingSoonDays),
	Fix: "Plan the upgrade of `metadata.version` (CloudFormation: `Version`) to the next minor version before the date.",
	Example: lint.Example{
		Bad:  eksctlVersionCluster("1.34"),
		Good: eksctlVersionCluster("1.35"),
	},
	Notes: fmt.Sprintf("The window is %d days before the end of standard support. ", supportEndingSoonDays) + unknownVersions + " " + eksctlClusterNote,
	Set: clusterLevel(func(p *lint.Pass) {
		kv, k, ok := clusterRelease(p)
		day := p.Env.Day()
		if !ok || k.SupportOn(day) != lint.StandardSupport || k.EndOfStandardSupport.After(day.AddDate(0, 0, supportEndingSoonDays)) {
			return
		}
		days := int(k.EndOfStandardSupport.Sub(day).Hours() / 24)
		next := "a newer version"
		if n := p.Env.EKS().Lookup(lint.Version{Major: kv.Major, Minor: kv.Minor + 1}); n != nil {
			next = n.Version.String()
		}
		p.Report(kv.at, "standard support for %s ends on %s, in %d days; plan the upgrade to %s before extended support pricing starts",
			kv, date(k.EndOfStandardSupport), days, next)
	}),
}

var VersionUnpinned = &lint.Rule{
	ID:        "eks-version-unpinned",
	Level:     lint.Note,
	DefaultOn: false,
	Title:     "eksctl cluster version is not pinned",
	Inputs:    lint.EksctlInput,
	Tags:      []lint.Tag{lint.TagReliability, lint.TagEKS},
	Sources:   []lint.Source{bpgKeepClusterUpDate, eksGuideUnderstandKubernetesVersionLifecycle},
	Rationale: "Without `metadata.version` (or with \"auto\" or \"latest\") the version depends on the eksctl " +
		"release or the day the cluster is created, so the same file creates different clusters and a review " +
		"cannot see which version will run. EKS Best Practices: know and plan the Kubernetes version.",
	Fix: "Set `metadata.version` to the version you mean, as a string (`version: \"1.34\"`).",
	Example: lint.Example{
		Bad:  strings.Replace(eksctlCluster("", ""), "  version: \"1.34\"\n", "", 1),
		Good: eksctlCluster("", ""),
	},
	Notes: "A version a templating step fills in (`version: \"${EKS_VERSION}\"`) is pinned by that step's input. " + eksctlClusterNote,
	Set: clusterLevel(func(p *lint.Pass) {
		o := clusterConfig(p)
		if o == nil {
			return
		}
		at := o.Get("metadata", "version")
		switch s := strings.TrimSpace(at.Str()); {
		case lint.HasPlaceholder(s):
			// A templating step pins it; which version is a matter for the step's input.
		case !at.Exists() || s == "":
			p.Report(at, "metadata.version is unset, so the cluster gets whatever version the eksctl release defaults to (%s as of %s); pin it, e.g. version: %q",
				p.Env.EKS().EksctlDefault, date(p.Env.EKS().AsOf), pinnable(p.Env))
		case s == "auto" || s == "latest":
			p.Report(at, "metadata.version: %s resolves when the cluster is created, so the same file creates different versions; pin it, e.g. version: %q",
				s, pinnable(p.Env))
		}
	}),
}

// pinnable is the version to suggest pinning: the newest EKS has released that is in standard
// support on the day of the run, not eksctl's default, which may already be in extended support.
func pinnable(env *lint.Env) string {
	day := env.Day()
	for _, k := range env.EKS().Kubernetes {
		if !k.EKSRelease.IsZero() && !k.EKSRelease.After(day) && k.SupportOn(day) == lint.StandardSupport {
			return k.Version.String()
		}
	}
	return env.EKS().EksctlDefault.String()
}

// addonClusterVersionNote is said in the docs of the rules that compare an add-on's version with
// its cluster's.
const addonClusterVersionNote = "A cluster whose version is only known at create time (an eksctl " +
	"`metadata.version` left unset, \"auto\" or \"latest\") is not compared with: its add-ons may match it."

// addonRelease returns an add-on's pinned version and the Kubernetes version of its cluster with
// its entry in the version data. ok is false when either is not pinned or cannot be told:
// "latest" or no version (eksctl and EKS pick the default build for the cluster), an intrinsic,
// a cluster outside the template, or a cluster version the data does not list.
func addonRelease(a clusterAddon, env *lint.Env) (av lint.Version, written string, kv kubeVersion, k *lint.KubernetesVersion, ok bool) {
	written, ok = cfnString(a.version)
	if !ok || a.cluster == nil {
		return av, written, kv, nil, false
	}
	if av, ok = lint.ParseVersion(written); !ok {
		return av, written, kv, nil, false
	}
	if kv, ok = clusterVersionOf(a.cluster); !ok || !kv.parsed {
		return av, written, kv, nil, false
	}
	k = env.EKS().Lookup(kv.Version)
	return av, written, kv, k, k != nil
}

// quantity writes a count of things: "1 minor version", "2 minor versions".
func quantity(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// minorList writes minor versions for a message: "v1.12 or v1.13".
func minorList(vs []lint.Version) string {
	var parts []string
	for _, v := range vs {
		parts = append(parts, "v"+v.String())
	}
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " or " + parts[len(parts)-1]
}

var CoreDNSVersionMismatch = &lint.Rule{
	ID:        "eks-coredns-version-mismatch",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "CoreDNS add-on version does not match the cluster version",
	Inputs:    lint.EksctlInput | lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagReliability, lint.TagEKS},
	Sources:   []lint.Source{bpgUpgradeAddOnsComponentsUsing, eksGuideCoreDNSVersions},
	Rationale: "Each Kubernetes version has its CoreDNS add-on line; a CoreDNS pinned to the line of an older or " +
		"newer cluster version is untested with this one and is typically left behind after a cluster upgrade, " +
		"when cluster DNS matters most. EKS Best Practices: keep CoreDNS at the version for the cluster.",
	Fix: "Set the coredns add-on's `version` (CloudFormation: `AddonVersion`) to a build for the cluster version, " +
		"or to `latest` (or leave it out) to get the default build for the cluster.",
	Example: lint.Example{
		Bad:  eksctlCluster("addons:\n  - name: coredns\n    version: v1.11.4-eksbuild.40\n", ""),
		Good: eksctlCluster("addons:\n  - name: coredns\n    version: v1.13.2-eksbuild.11\n", ""),
	},
	Notes: "EKS has moved the CoreDNS add-on of a Kubernetes version between CoreDNS minor versions (1.33 was on " +
		"v1.13 in one revision of the docs and on v1.12 in a newer one), so every minor version seen for a " +
		"Kubernetes version is accepted, not an exact build. A CloudFormation add-on is checked against the " +
		"`AWS::EKS::Cluster` its `ClusterName` refers to in the same template. " + addonClusterVersionNote + " " + eksctlClusterNote,
	Set: clusterLevel(func(p *lint.Pass) {
		vs := p.Env.EKS()
		for _, a := range addonsNamed(p, "coredns") {
			av, written, kv, k, ok := addonRelease(a, p.Env)
			if !ok || slices.ContainsFunc(k.CoreDNSMinors, av.SameMinor) {
				continue
			}
			built := "is not the CoreDNS of any Kubernetes version EKS lists"
			if users := vs.CoreDNSUsers(av); len(users) == 1 {
				built = "is the CoreDNS for Kubernetes " + users[0].String()
			} else if len(users) > 1 {
				built = fmt.Sprintf("is the CoreDNS for Kubernetes %s to %s", users[0], users[len(users)-1])
			}
			p.Report(a.version, "coredns %s %s, but the cluster runs %s, which takes CoreDNS %s (e.g. %s); set %s to such a build or to latest",
				written, built, kv, minorList(k.CoreDNSMinors), k.CoreDNSLatest, fieldName(a.version))
		}
	}),
}

var KubeProxyVersionMismatch = &lint.Rule{
	ID:        "eks-kube-proxy-version-mismatch",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "kube-proxy add-on version does not match the cluster version",
	Inputs:    lint.EksctlInput | lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagReliability, lint.TagEKS},
	Sources:   []lint.Source{bpgUpgradeAddOnsComponentsUsing, eksGuideKubeProxyVersions},
	Rationale: "kube-proxy follows the Kubernetes version skew policy: it must never be newer than the control " +
		"plane, and the EKS add-on for a cluster version carries that version's number. An older kube-proxy is " +
		"usually one left behind by a cluster upgrade; past the supported skew it breaks Service networking. " +
		"A kube-proxy newer than the cluster is an error. EKS Best Practices: keep add-ons at the cluster version.",
	Fix: "Set the kube-proxy add-on's `version` (CloudFormation: `AddonVersion`) to a build of the cluster's minor " +
		"version, or to `latest` (or leave it out) for the default build.",
	Example: lint.Example{
		Bad:  eksctlCluster("addons:\n  - name: kube-proxy\n    version: v1.33.10-eksbuild.13\n", ""),
		Good: eksctlCluster("addons:\n  - name: kube-proxy\n    version: v1.34.6-eksbuild.13\n", ""),
	},
	Notes: "An older kube-proxy is a warning, a newer one an error (as the catalogue asks). Kubernetes allows " +
		"kube-proxy to lag up to three minor versions (`kube_proxy.max_older_minors` in the version data); the " +
		"message says when the lag is beyond that. " + addonClusterVersionNote + " " + eksctlClusterNote,
	Set: clusterLevel(func(p *lint.Pass) {
		vs := p.Env.EKS()
		for _, a := range addonsNamed(p, "kube-proxy") {
			av, written, kv, k, ok := addonRelease(a, p.Env)
			if !ok || av.SameMinor(kv.Version) {
				continue
			}
			want := "a v" + k.Version.String() + " build"
			if k.KubeProxyLatest != "" {
				want += " (e.g. " + k.KubeProxyLatest + ")"
			}
			behind := kv.Minor - av.Minor
			switch {
			case av.Compare(kv.Version) > 0:
				p.ReportLevel(lint.Error, a.version, "kube-proxy %s is newer than the control plane (%s), which the version skew policy forbids; set %s to %s",
					written, kv, fieldName(a.version), want)
			case av.Major != kv.Major || behind > vs.KubeProxyMaxOlderMinors:
				p.Report(a.version, "kube-proxy %s is older than %s by more than the supported skew of %d minor versions; set %s to %s",
					written, kv, vs.KubeProxyMaxOlderMinors, fieldName(a.version), want)
			default:
				p.Report(a.version, "kube-proxy %s lags %s by %s; set %s to %s",
					written, kv, quantity(behind, "minor version"), fieldName(a.version), want)
			}
		}
	}),
}

var FewAvailabilityZones = &lint.Rule{
	ID:        "eks-few-availability-zones",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Cluster spans fewer than three availability zones",
	Inputs:    lint.EksctlInput,
	Tags:      []lint.Tag{lint.TagReliability, lint.TagEKS},
	Sources:   []lint.Source{bpgSpreadWorkerNodesWorkloadsAcross, bpgConsiderMultiAZDeployment},
	Rationale: "With two zones, losing one halves capacity and leaves no majority for zone-spread workloads. " +
		"eksctl picks three zones when none are given (RecommendedAvailabilityZones), but accepts two, and even " +
		"the same zone twice. EKS Best Practices: spread the cluster over three zones.",
	Fix: "List three distinct zones in `availabilityZones` (or subnets in three zones under `vpc.subnets`).",
	Example: lint.Example{
		Bad:  eksctlCluster("availabilityZones: [\"eu-west-1a\", \"eu-west-1b\"]\n", ""),
		Good: eksctlCluster("availabilityZones: [\"eu-west-1a\", \"eu-west-1b\", \"eu-west-1c\"]\n", ""),
	},
	Notes: "Subnets given by id alone (zone unknown offline) are not counted. Clusters whose control plane runs on " +
		"Outposts are not reported: they live in the Outpost's zone and eksctl rejects `availabilityZones` there. " + eksctlClusterNote,
	Set: clusterLevel(func(p *lint.Pass) {
		o := clusterConfig(p)
		if o == nil || eksctlOnOutposts(o) {
			return
		}
		if azs := o.Get("availabilityZones"); azs.IsList() {
			if distinct := uniq(azs.Strings()); len(distinct) < 3 {
				p.Report(azs, "availabilityZones has %s (%s); use three so that losing one zone leaves two",
					quantity(len(distinct), "distinct zone"), strings.Join(distinct, ", "))
			}
		}
		for _, kind := range []string{"private", "public"} {
			subnets := o.Get("vpc", "subnets", kind)
			zones, known := subnetZones(subnets)
			if known && len(zones) < 3 {
				p.Report(subnets, "vpc.subnets.%s spans %s (%s); add subnets in a third zone", kind, quantity(len(zones), "availability zone"), strings.Join(zones, ", "))
			}
		}
	}),
}

var azName = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-\d+[a-z]$`)

// subnetZones lists the zones of an eksctl subnet map (keyed by zone, or by name with an az
// field). known is false when any subnet's zone cannot be told offline (given by id alone).
func subnetZones(subnets lint.Node) (zones []string, known bool) {
	entries := subnets.Entries()
	if len(entries) == 0 {
		return nil, false
	}
	for _, e := range entries {
		az := e.Get("az").Str()
		if az == "" && azName.MatchString(e.Key()) {
			az = e.Key()
		}
		if az == "" {
			return nil, false
		}
		zones = append(zones, az)
	}
	return uniq(zones), true
}

var UpgradePolicyExtended = &lint.Rule{
	ID:        "eks-upgrade-policy-extended",
	Level:     lint.Note,
	DefaultOn: false,
	Title:     "Cluster moves to paid extended support when standard support ends",
	Inputs:    lint.EksctlInput | lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagCost, lint.TagEKS},
	Sources:   []lint.Source{eksGuideViewCurrentClusterUpgradePolicy, blogExtendedSupportKubernetesVersionsPricing, eksGuideDisableExtendedSupport},
	Rationale: "With the upgrade policy EXTENDED (the default of eksctl and the EKS API) a cluster whose version " +
		"leaves standard support stays on it in extended support, at six times the control-plane price, until " +
		"someone upgrades it. STANDARD makes EKS upgrade it instead. EKS Best Practices: run a current version.",
	Fix: "Set `upgradePolicy.supportType: STANDARD` (CloudFormation: `UpgradePolicy.SupportType: STANDARD`), or " +
		"keep EXTENDED on purpose and plan upgrades before the end of standard support.",
	Example: lint.Example{
		Bad:  eksctlCluster("upgradePolicy:\n  supportType: EXTENDED\n", ""),
		Good: eksctlCluster("upgradePolicy:\n  supportType: STANDARD\n", ""),
	},
	Notes: eksctlClusterNote,
	Set: clusterLevel(func(p *lint.Pass) {
		var at lint.Node
		if o := clusterConfig(p); o != nil {
			at = o.Get("upgradePolicy", "supportType")
		} else if props, ok := cfnResource(p, "AWS::EKS::Cluster"); ok {
			var known bool
			if at, known = cfnField(props, "UpgradePolicy", "SupportType"); !known {
				return
			}
		} else {
			return
		}
		switch s := at.Str(); {
		case !at.Exists():
			p.Report(at, "%s is unset and defaults to EXTENDED: after standard support ends the cluster stays on its version at extended support prices; set it to STANDARD, or plan upgrades",
				fieldName(at))
		case strings.EqualFold(s, "EXTENDED"):
			p.Report(at, "%s: EXTENDED keeps the cluster on its version at extended support prices after standard support ends; set it to STANDARD, or plan upgrades",
				fieldName(at))
		}
	}),
}

// controlPlane are the G1 rules in catalogue order.
var controlPlane = []*lint.Rule{
	EndpointPublicAccess,
	EndpointPublicCIDRUnrestricted,
	EndpointPrivateAccessDisabled,
	ControlPlaneAuditLogDisabled,
	ControlPlaneLoggingIncomplete,
	SecretsKMSCMKMissing,
	VersionExtendedSupport,
	VersionUnsupported,
	VersionSupportEndingSoon,
	VersionUnpinned,
	CoreDNSVersionMismatch,
	KubeProxyVersionMismatch,
	FewAvailabilityZones,
	UpgradePolicyExtended,
}

// eksctlVersionCluster is a ClusterConfig example of a given Kubernetes version.
func eksctlVersionCluster(version string) string {
	return strings.Replace(eksctlCluster("", ""), `version: "1.34"`, fmt.Sprintf("version: %q", version), 1)
}
