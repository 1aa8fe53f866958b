package rules

import (
	"regexp"
	"strings"

	"github.com/ekslint/ekslint/lint"
)

// G1: the cluster control plane (eksctl ClusterConfig and AWS::EKS::Cluster).

// eksctlPublicAccess says whether the API endpoint is public: vpc.clusterEndpoints.publicAccess,
// default true (eksctl ClusterEndpointAccessDefaults); a fully private cluster makes it false.
func eksctlPublicAccess(o *lint.Object) bool {
	if o.Get("privateCluster", "enabled").IsTrue() {
		return false
	}
	return !o.Get("vpc", "clusterEndpoints", "publicAccess").IsFalse()
}

var EndpointPublicAccess = &lint.Rule{
	ID:        "eks-endpoint-public-access",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Cluster API endpoint is public",
	Inputs:    "eksctl, cloudformation",
	Tags:      []string{"security", "eks"},
	Rationale: "A public endpoint exposes the Kubernetes API server to the internet; every credential leak or API " +
		"server vulnerability is then reachable from anywhere. eksctl makes the endpoint public unless told " +
		"otherwise. EKS Best Practices: make the endpoint private, or restrict who can reach it (A2, B7).",
	Fix: "Set `vpc.clusterEndpoints.privateAccess: true` and `publicAccess: false` (reach the API over the VPC, a " +
		"VPN or PrivateLink); if it must stay public, restrict `vpc.publicAccessCIDRs`.",
	Example: lint.Example{
		Bad:  eksctlCluster("", ""),
		Good: eksctlCluster("vpc:\n  clusterEndpoints:\n    privateAccess: true\n    publicAccess: false\n", ""),
	},
	Equivalents: []string{"Checkov CKV_AWS_39 (Terraform only)", "Trivy AWS-0040"},
	Check: func(p *lint.Pass) {
		o := clusterConfig(p)
		if o == nil || !eksctlPublicAccess(o) {
			return
		}
		at := o.Get("vpc", "clusterEndpoints", "publicAccess")
		if at.Exists() {
			p.Report(at, "the cluster API endpoint is public (publicAccess: true); make it private or restrict vpc.publicAccessCIDRs")
			return
		}
		p.Report(at, "the cluster API endpoint is public: eksctl defaults vpc.clusterEndpoints.publicAccess to true; set it to false with privateAccess: true")
	},
}

var EndpointPublicCIDRUnrestricted = &lint.Rule{
	ID:        "eks-endpoint-public-cidr-unrestricted",
	Level:     lint.Error,
	DefaultOn: true,
	Title:     "Public API endpoint is open to the whole internet",
	Inputs:    "eksctl, cloudformation",
	Tags:      []string{"security", "eks"},
	Rationale: "With a public endpoint and no `publicAccessCIDRs`, EKS accepts API connections from 0.0.0.0/0. " +
		"EKS Best Practices: restrict the public endpoint to known CIDRs (A2).",
	Fix: "Set `vpc.publicAccessCIDRs` to the ranges that need the API (office, VPN, CI runners), or make the endpoint private.",
	Example: lint.Example{
		Bad:  eksctlCluster("vpc:\n  publicAccessCIDRs: [\"0.0.0.0/0\"]\n", ""),
		Good: eksctlCluster("vpc:\n  publicAccessCIDRs: [\"203.0.113.0/24\"]\n", ""),
	},
	Equivalents: []string{"Checkov CKV_AWS_38 (Terraform only)", "Trivy AWS-0041"},
	Check: func(p *lint.Pass) {
		o := clusterConfig(p)
		if o == nil || !eksctlPublicAccess(o) {
			return
		}
		cidrs := o.Get("vpc", "publicAccessCIDRs")
		if !cidrs.Exists() {
			p.Report(cidrs, "the public API endpoint accepts connections from anywhere: vpc.publicAccessCIDRs is unset, so EKS allows 0.0.0.0/0")
			return
		}
		for _, c := range cidrs.Items() {
			if isWorld(c.Str()) {
				p.Report(c, "the public API endpoint accepts connections from anywhere (%s in vpc.publicAccessCIDRs)", c.Str())
			}
		}
	},
}

// isWorld reports whether a CIDR is the whole IPv4 or IPv6 internet.
func isWorld(cidr string) bool { return cidr == "0.0.0.0/0" || cidr == "::/0" }

// logTypes are the control-plane log types EKS can send to CloudWatch.
var logTypes = []string{"api", "audit", "authenticator", "controllerManager", "scheduler"}

// eksctlLogTypes returns the log types cloudWatch.clusterLogging.enableTypes turns on ("*" and
// "all" mean every type) and the field to report at.
func eksctlLogTypes(o *lint.Object) (enabled map[string]bool, at lint.Node) {
	at = o.Get("cloudWatch", "clusterLogging", "enableTypes")
	enabled = map[string]bool{}
	for _, t := range at.Strings() {
		if t == "*" || t == "all" {
			for _, lt := range logTypes {
				enabled[lt] = true
			}
		}
		for _, lt := range logTypes {
			if strings.EqualFold(t, lt) {
				enabled[lt] = true
			}
		}
	}
	return enabled, at
}

var ControlPlaneAuditLogDisabled = &lint.Rule{
	ID:        "eks-control-plane-audit-log-disabled",
	Level:     lint.Error,
	DefaultOn: true,
	Title:     "Control-plane audit log is off",
	Inputs:    "eksctl, cloudformation",
	Tags:      []string{"security", "eks"},
	Rationale: "The audit log is the record of who did what through the Kubernetes API; without it an incident " +
		"cannot be investigated. EKS sends no control-plane logs unless asked. EKS Best Practices (A11) and " +
		"GuardDuty EKS audit log monitoring (A12) need it.",
	Fix: "Add `audit` to `cloudWatch.clusterLogging.enableTypes` (or use `[\"*\"]` for all five types).",
	Example: lint.Example{
		Bad:  eksctlCluster("cloudWatch:\n  clusterLogging:\n    enableTypes: [\"api\"]\n", ""),
		Good: eksctlCluster("cloudWatch:\n  clusterLogging:\n    enableTypes: [\"*\"]\n", ""),
	},
	Equivalents: []string{"Checkov CKV_AWS_37 (Terraform only)", "Trivy AWS-0038"},
	Check: func(p *lint.Pass) {
		o := clusterConfig(p)
		if o == nil {
			return
		}
		if enabled, at := eksctlLogTypes(o); !enabled["audit"] {
			p.Report(at, "control-plane audit logging is off: add \"audit\" to cloudWatch.clusterLogging.enableTypes")
		}
	},
}

var ControlPlaneLoggingIncomplete = &lint.Rule{
	ID:        "eks-control-plane-logging-incomplete",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Not every control-plane log type is on",
	Inputs:    "eksctl, cloudformation",
	Tags:      []string{"security", "eks"},
	Rationale: "The api, authenticator, controllerManager and scheduler logs explain failed requests, IAM " +
		"authentication and scheduling decisions. EKS Best Practices recommend all five log types (A11).",
	Fix: "Set `cloudWatch.clusterLogging.enableTypes: [\"*\"]` (and a `logRetentionInDays` to bound the cost).",
	Example: lint.Example{
		Bad:  eksctlCluster("cloudWatch:\n  clusterLogging:\n    enableTypes: [\"audit\"]\n", ""),
		Good: eksctlCluster("cloudWatch:\n  clusterLogging:\n    enableTypes: [\"*\"]\n    logRetentionInDays: 90\n", ""),
	},
	Equivalents: []string{"Checkov CKV_AWS_37 (Terraform only)", "Trivy AWS-0038"},
	Check: func(p *lint.Pass) {
		o := clusterConfig(p)
		if o == nil {
			return
		}
		enabled, at := eksctlLogTypes(o)
		var missing []string
		for _, t := range logTypes {
			if t != "audit" && !enabled[t] {
				missing = append(missing, t)
			}
		}
		if len(missing) > 0 {
			p.Report(at, "control-plane log types %s are off: add them to cloudWatch.clusterLogging.enableTypes", strings.Join(missing, ", "))
		}
	},
}

var SecretsKMSCMKMissing = &lint.Rule{
	ID:        "eks-secrets-kms-cmk-missing",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Secrets are not encrypted with a customer-managed KMS key",
	Inputs:    "eksctl, cloudformation",
	Tags:      []string{"security", "eks"},
	Rationale: "EKS encrypts all Kubernetes API data at rest with an AWS-owned key on clusters 1.28 and newer; " +
		"envelope encryption with your own KMS key adds a layer you control, audit in CloudTrail and can revoke " +
		"(A10). A warning, not an error, because the default encryption exists.",
	Fix: "Add `secretsEncryption.keyARN` with the ARN of a customer-managed KMS key.",
	Example: lint.Example{
		Bad:  eksctlCluster("", ""),
		Good: eksctlCluster("secretsEncryption:\n  keyARN: arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab\n", ""),
	},
	Equivalents: []string{"Checkov CKV_AWS_58", "Trivy AWS-0039"},
	Check: func(p *lint.Pass) {
		o := clusterConfig(p)
		if o == nil {
			return
		}
		if key := o.Get("secretsEncryption", "keyARN"); strings.TrimSpace(key.Str()) == "" {
			p.Report(key, "Kubernetes secrets are not envelope-encrypted with your own KMS key: set secretsEncryption.keyARN")
		}
	},
}

var FewAvailabilityZones = &lint.Rule{
	ID:        "eks-few-availability-zones",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Cluster spans fewer than three availability zones",
	Inputs:    "eksctl",
	Tags:      []string{"reliability", "eks"},
	Rationale: "With two zones, losing one halves capacity and leaves no majority for zone-spread workloads. " +
		"eksctl picks three zones when none are given (RecommendedAvailabilityZones), but accepts two, and even " +
		"the same zone twice. EKS Best Practices: three zones (A17).",
	Fix: "List three distinct zones in `availabilityZones` (or subnets in three zones under `vpc.subnets`).",
	Example: lint.Example{
		Bad:  eksctlCluster("availabilityZones: [\"eu-west-1a\", \"eu-west-1b\"]\n", ""),
		Good: eksctlCluster("availabilityZones: [\"eu-west-1a\", \"eu-west-1b\", \"eu-west-1c\"]\n", ""),
	},
	Check: func(p *lint.Pass) {
		o := clusterConfig(p)
		if o == nil {
			return
		}
		if azs := o.Get("availabilityZones"); azs.IsList() {
			if distinct := uniq(azs.Strings()); len(distinct) < 3 {
				p.Report(azs, "availabilityZones has %d distinct zone(s) (%s); use three so one zone's loss leaves two",
					len(distinct), strings.Join(distinct, ", "))
			}
		}
		for _, kind := range []string{"private", "public"} {
			subnets := o.Get("vpc", "subnets", kind)
			zones, known := subnetZones(subnets)
			if known && len(zones) < 3 {
				p.Report(subnets, "vpc.subnets.%s spans %d availability zone(s) (%s); use three", kind, len(zones), strings.Join(zones, ", "))
			}
		}
	},
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

// controlPlane are the G1 rules in catalogue order.
var controlPlane = []*lint.Rule{
	EndpointPublicAccess,
	EndpointPublicCIDRUnrestricted,
	ControlPlaneAuditLogDisabled,
	ControlPlaneLoggingIncomplete,
	SecretsKMSCMKMissing,
	FewAvailabilityZones,
}
