package rules

import (
	"fmt"
	"strings"

	"github.com/ekslint/ekslint/lint"
)

// G2: cluster access and identity (eksctl and CloudFormation).

// Authentication modes (EKS API AuthenticationMode).
const (
	modeConfigMap       = "CONFIG_MAP"
	modeAPIAndConfigMap = "API_AND_CONFIG_MAP"
)

// authMode is a cluster's effective authentication mode and the field that sets it (missing when
// a default applies). known is false when it cannot be told offline (a CloudFormation intrinsic),
// and for a local cluster on Outposts, which supports nothing but the ConfigMap, so there is
// nothing to choose.
type authMode struct {
	mode    string
	at      lint.Node
	known   bool
	eksctl  bool
	cluster string // the CloudFormation resource's logical id
}

// clusterAuthMode reads the authentication mode of an eksctl ClusterConfig (default
// API_AND_CONFIG_MAP) or an AWS::EKS::Cluster (the EKS API and CloudFormation default is
// CONFIG_MAP). ok is false for other objects.
func clusterAuthMode(p *lint.Pass) (m authMode, ok bool) {
	if o := clusterConfig(p); o != nil {
		at := o.Get("accessConfig", "authenticationMode")
		m = authMode{mode: strings.ToUpper(at.Str()), at: at, known: !eksctlOnOutposts(o), eksctl: true}
		if !at.Exists() {
			m.mode = modeAPIAndConfigMap
		}
		return m, true
	}
	if props, ok := cfnResource(p, "AWS::EKS::Cluster"); ok {
		at, known := cfnField(props, "AccessConfig", "AuthenticationMode")
		local := props.Get("OutpostConfig").Exists()
		m = authMode{mode: strings.ToUpper(at.Str()), at: at, known: known && !local, cluster: p.Object.Name()}
		if !at.Exists() {
			m.mode = modeConfigMap
		}
		return m, true
	}
	return m, false
}

var AuthModeConfigMapOnly = &lint.Rule{
	ID:        "eks-auth-mode-configmap-only",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Cluster access is managed only through the aws-auth ConfigMap",
	Inputs:    lint.EksctlInput | lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgClusterAccessManager, eksGuideGrantIAMUsersAccessKubernetes, eksctlAccessEntries},
	Rationale: "With authenticationMode CONFIG_MAP, IAM principals get into the cluster only through the aws-auth " +
		"ConfigMap: a YAML string inside the cluster that one bad edit breaks for everyone, that anyone who can " +
		"write ConfigMaps in kube-system can change, and that AWS documents as deprecated. Access entries are " +
		"managed through the EKS API, audited in CloudTrail and can be granted per namespace. The EKS API and " +
		"CloudFormation default to CONFIG_MAP; eksctl defaults to API_AND_CONFIG_MAP. EKS Best Practices: " +
		"manage access with access entries and restrict who is cluster admin.",
	Fix: "Set `accessConfig.authenticationMode: API` (eksctl) or `AccessConfig.AuthenticationMode: API` " +
		"(CloudFormation); use API_AND_CONFIG_MAP while moving aws-auth entries to access entries. The mode can " +
		"only move from CONFIG_MAP towards API, never back.",
	Example: lint.Example{
		Bad:  eksctlCluster("accessConfig:\n  authenticationMode: CONFIG_MAP\n", ""),
		Good: eksctlCluster("accessConfig:\n  authenticationMode: API\n", ""),
	},
	Notes: "Local clusters on AWS Outposts (eksctl `outpost.controlPlaneOutpostARN`, CloudFormation `OutpostConfig`) " +
		"support only the ConfigMap, so they are not reported. " + eksctlClusterNote,
	Set: clusterLevel(func(p *lint.Pass) {
		m, ok := clusterAuthMode(p)
		if !ok || !m.known || m.mode != modeConfigMap {
			return
		}
		switch {
		case m.at.Exists():
			p.Report(m.at, "%s is CONFIG_MAP, so cluster access is managed only through the aws-auth ConfigMap; set it to API (or API_AND_CONFIG_MAP while migrating)", fieldName(m.at))
		default:
			p.Report(m.at, "cluster %s has no AccessConfig.AuthenticationMode, and CloudFormation defaults it to CONFIG_MAP (aws-auth ConfigMap only); set it to API", m.cluster)
		}
	}),
}

var AuthModeNotAPIOnly = &lint.Rule{
	ID:        "eks-auth-mode-not-api-only",
	Level:     lint.Note,
	DefaultOn: false,
	Title:     "Cluster still honours the aws-auth ConfigMap",
	Inputs:    lint.EksctlInput | lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgClusterAccessManagement, eksGuideChangeAuthenticationModeUseAccess, eksGuideSetClusterAuthenticationMode},
	Rationale: "API_AND_CONFIG_MAP is a migration mode: access entries work, but so does every entry in the aws-auth " +
		"ConfigMap, so anyone who can edit that ConfigMap can still grant cluster access outside the EKS API. eksctl " +
		"creates clusters in this mode unless told otherwise. EKS Best Practices: use access entries.",
	Fix: "Move the remaining aws-auth entries to access entries, then set `authenticationMode: API`.",
	Example: lint.Example{
		Bad:  eksctlCluster("accessConfig:\n  authenticationMode: API_AND_CONFIG_MAP\n", ""),
		Good: eksctlCluster("accessConfig:\n  authenticationMode: API\n", ""),
	},
	Notes: eksctlClusterNote,
	Set: clusterLevel(func(p *lint.Pass) {
		m, ok := clusterAuthMode(p)
		if !ok || !m.known || m.mode != modeAPIAndConfigMap {
			return
		}
		if m.at.Exists() {
			p.Report(m.at, "%s is API_AND_CONFIG_MAP, so the aws-auth ConfigMap still grants cluster access; set it to API once its entries are access entries", fieldName(m.at))
			return
		}
		p.Report(m.at, "eksctl defaults accessConfig.authenticationMode to API_AND_CONFIG_MAP, so the aws-auth ConfigMap still grants cluster access; set it to API")
	}),
}

var CreatorAdminBootstrap = &lint.Rule{
	ID:        "eks-creator-admin-bootstrap",
	Level:     lint.Note,
	DefaultOn: false,
	Title:     "Cluster creator becomes cluster admin",
	Inputs:    lint.EksctlInput | lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgRemoveClusterAdminPermissionsFrom, eksGuideGrantIAMUsersAccessKubernetes, eksctlAccessEntries},
	Rationale: "Unless bootstrapClusterCreatorAdminPermissions is false, EKS gives whoever created the cluster (often a " +
		"CI role or a person's SSO role) an access entry with AmazonEKSClusterAdminPolicy. That admin is not in the " +
		"configuration under review and outlives the person's need. The API default is true. EKS Best Practices: " +
		"grant cluster admin explicitly, to few principals.",
	Fix: "Set `accessConfig.bootstrapClusterCreatorAdminPermissions: false` (CloudFormation: " +
		"`AccessConfig.BootstrapClusterCreatorAdminPermissions: false`) and list the admins as access entries.",
	Example: lint.Example{
		Bad: eksctlCluster("accessConfig:\n  authenticationMode: API\n", ""),
		Good: eksctlCluster("accessConfig:\n  authenticationMode: API\n  bootstrapClusterCreatorAdminPermissions: false\n"+
			"  accessEntries:\n    - principalARN: arn:aws:iam::111122223333:role/platform-admins\n"+
			"      accessPolicies:\n        - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy\n"+
			"          accessScope: {type: cluster}\n", ""),
	},
	Notes: "Clusters in CONFIG_MAP mode are not reported: EKS requires the creator to stay admin there, and " +
		"eks-auth-mode-configmap-only reports the mode itself. Local clusters on Outposts are not reported either. " + eksctlClusterNote,
	Set: clusterLevel(func(p *lint.Pass) {
		m, ok := clusterAuthMode(p)
		if !ok || !m.known || m.mode == modeConfigMap {
			return
		}
		var at lint.Node
		if m.eksctl {
			at = p.Object.Get("accessConfig", "bootstrapClusterCreatorAdminPermissions")
		} else if at, ok = cfnField(p.Object.Properties(), "AccessConfig", "BootstrapClusterCreatorAdminPermissions"); !ok {
			return
		}
		switch {
		case at.IsTrue():
			p.Report(at, "%s is true: the creator's IAM principal gets a permanent cluster-admin access entry; set it to false and list admins as access entries", fieldName(at))
		case !at.Exists():
			p.Report(at, "%s is unset and defaults to true: the creator's IAM principal gets a permanent cluster-admin access entry; set it to false and list admins as access entries", fieldName(at))
		}
	}),
}

var AccessEntryClusterAdmin = &lint.Rule{
	ID:        "eks-access-entry-cluster-admin",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Access entry grants cluster admin",
	Inputs:    lint.EksctlInput | lint.CloudFormationInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgClusterAccessRecommendations, eksGuideReviewAccessPolicyPermissions, k8sLeastPrivilege},
	Rationale: "AmazonEKSClusterAdminPolicy on the cluster scope, like the system:masters group, allows every action " +
		"on every resource, including RBAC and the cluster's own access. Every such principal is a full compromise " +
		"of the cluster when its credentials leak. EKS Best Practices: least privilege for cluster access.",
	Fix: "Grant AmazonEKSAdminPolicy, AmazonEKSEditPolicy or AmazonEKSViewPolicy, scoped to the namespaces the " +
		"principal needs (`accessScope: {type: namespace, namespaces: [...]}`), or Kubernetes groups bound by RBAC; " +
		"keep cluster admin to a break-glass role.",
	Example: lint.Example{
		Bad: eksctlCluster("accessConfig:\n  authenticationMode: API\n  accessEntries:\n"+
			"    - principalARN: arn:aws:iam::111122223333:role/developers\n      accessPolicies:\n"+
			"        - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy\n"+
			"          accessScope: {type: cluster}\n", ""),
		Good: eksctlCluster("accessConfig:\n  authenticationMode: API\n  accessEntries:\n"+
			"    - principalARN: arn:aws:iam::111122223333:role/developers\n      accessPolicies:\n"+
			"        - policyARN: arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy\n"+
			"          accessScope: {type: namespace, namespaces: [team-a]}\n", ""),
	},
	Notes: eksctlClusterNote,
	Set: clusterLevel(func(p *lint.Pass) {
		if o := clusterConfig(p); o != nil {
			for _, e := range o.Get("accessConfig", "accessEntries").Items() {
				who := "access entry for " + orUnnamed(e.Get("principalARN").Str(), "an unnamed principal")
				checkAccessEntry(p, who, e.Get("accessPolicies"), "policyARN", "accessScope", "type", e.Get("kubernetesGroups"))
			}
			return
		}
		if props, ok := cfnResource(p, "AWS::EKS::AccessEntry"); ok {
			who := "access entry " + p.Object.Name()
			if arn, ok := cfnString(props.Get("PrincipalArn")); ok {
				who = "access entry for " + arn
			}
			checkAccessEntry(p, who, props.Get("AccessPolicies"), "PolicyArn", "AccessScope", "Type", props.Get("KubernetesGroups"))
		}
	}),
}

// checkAccessEntry reports the cluster-admin grants of one access entry (who names it in
// messages), whose fields are named the eksctl way (policyARN) or the CloudFormation way
// (PolicyArn).
func checkAccessEntry(p *lint.Pass, who string, policies lint.Node, arnKey, scopeKey, typeKey string, groups lint.Node) {
	items, _ := cfnList(policies)
	for _, ap := range items {
		arn, ok := cfnText(ap.Get(arnKey))
		if !ok || !strings.HasSuffix(arn, clusterAdminAccessPolicy) {
			continue
		}
		if scope, ok := cfnString(ap.Get(scopeKey, typeKey)); ok && strings.EqualFold(scope, "cluster") {
			p.Report(ap.Get(arnKey), "%s grants AmazonEKSClusterAdminPolicy on the whole cluster; grant a narrower policy or scope it to namespaces", who)
		}
	}
	groupItems, _ := cfnList(groups)
	for _, g := range groupItems {
		if s, ok := cfnString(g); ok && s == systemMastersGroup {
			p.Report(g, "%s puts its principal in system:masters, which is cluster admin and bypasses RBAC; use a group bound by RBAC to what it needs", who)
		}
	}
}

var IdentityMappingSystemMasters = &lint.Rule{
	ID:        "eks-identity-mapping-system-masters",
	Level:     lint.Error,
	DefaultOn: true,
	Title:     "IAM identity mapping grants system:masters",
	Inputs:    lint.EksctlInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgSectionsTheAwsAuthConfigMap, eksGuideAddIAMPrincipalsCluster, k8sLeastPrivilege},
	Rationale: "eksctl writes iamIdentityMappings into the aws-auth ConfigMap. The system:masters group is hard-wired " +
		"to cluster admin: no RBAC binding grants it and none can take it away, so a mapped role keeps full control " +
		"of the cluster for as long as the entry exists. EKS Best Practices: never map IAM principals to " +
		"system:masters; restrict RBAC.",
	Fix: "Map the principal to a group bound by RBAC to what it needs, or replace the mapping with an access entry " +
		"(`accessConfig.accessEntries`).",
	Example: lint.Example{
		Bad: eksctlCluster("iamIdentityMappings:\n  - arn: arn:aws:iam::111122223333:role/ops\n"+
			"    username: ops\n    groups: [\"system:masters\"]\n", ""),
		Good: eksctlCluster("iamIdentityMappings:\n  - arn: arn:aws:iam::111122223333:role/ops\n"+
			"    username: ops\n    groups: [\"ops-readers\"]\n", ""),
	},
	Notes: "k8s-aws-auth-system-masters reports the same grant written into the aws-auth ConfigMap directly. " + eksctlClusterNote,
	Set: clusterLevel(func(p *lint.Pass) {
		o := clusterConfig(p)
		if o == nil {
			return
		}
		for _, m := range o.Get("iamIdentityMappings").Items() {
			for _, g := range m.Get("groups").Items() {
				if g.Str() == systemMastersGroup {
					p.Report(g, "identity mapping for %s puts it in system:masters (irrevocable cluster admin through aws-auth); map it to an RBAC-bound group or use an access entry",
						orUnnamed(m.Get("arn").Str(), "an IAM principal"))
				}
			}
		}
	}),
}

// orUnnamed is s, or what to call the thing when s is empty.
func orUnnamed(s, unnamed string) string {
	if s == "" {
		return unnamed
	}
	return s
}

var IRSAWithoutOIDC = &lint.Rule{
	ID:        "eks-irsa-without-oidc",
	Level:     lint.Error,
	DefaultOn: true,
	Title:     "IRSA service accounts without an OIDC provider",
	Inputs:    lint.EksctlInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgIAMRolesServiceAccountsIRSA, eksGuideCreateIAMOIDCProviderCluster, eksctlIAMRolesServiceAccounts},
	Rationale: "IAM roles for service accounts trust the cluster's IAM OIDC provider; eksctl creates it only with " +
		"`iam.withOIDC: true` (default false) and rejects `iam.serviceAccounts` without it, so the cluster cannot " +
		"be created as written. EKS Best Practices: IRSA needs the OIDC provider.",
	Fix: "Set `iam.withOIDC: true`, or move the service accounts to `iam.podIdentityAssociations` (no OIDC provider needed).",
	Example: lint.Example{
		Bad: eksctlCluster("iam:\n  serviceAccounts:\n    - metadata: {name: s3-reader, namespace: apps}\n"+
			"      attachPolicyARNs: [\"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess\"]\n", ""),
		Good: eksctlCluster("iam:\n  withOIDC: true\n  serviceAccounts:\n    - metadata: {name: s3-reader, namespace: apps}\n"+
			"      attachPolicyARNs: [\"arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess\"]\n", ""),
	},
	Notes: eksctlClusterNote,
	Set: clusterLevel(func(p *lint.Pass) {
		o := clusterConfig(p)
		if o == nil || withOIDC(o) {
			return
		}
		if n := listLen(o.Get("iam", "serviceAccounts")); n > 0 {
			p.Report(o.Get("iam", "withOIDC"), "iam.serviceAccounts defines %d IRSA service account(s) but iam.withOIDC is not true, and eksctl rejects that; set iam.withOIDC: true", n)
		}
	}),
}

// podIdentityUse returns the first field of an eksctl config that asks for EKS Pod Identity
// associations; ok is false when none does.
func podIdentityUse(o *lint.Object) (use lint.Node, ok bool) {
	if a := o.Get("iam", "podIdentityAssociations"); listLen(a) > 0 {
		return a, true
	}
	for _, addon := range o.Get("addons").Items() {
		if a := addon.Get("podIdentityAssociations"); listLen(a) > 0 {
			return a, true
		}
		if a := addon.Get("useDefaultPodIdentityAssociations"); a.IsTrue() {
			return a, true
		}
	}
	a := o.Get("addonsConfig", "autoApplyPodIdentityAssociations")
	return a, a.IsTrue()
}

var PodIdentityAgentMissing = &lint.Rule{
	ID:        "eks-pod-identity-agent-missing",
	Level:     lint.Error,
	DefaultOn: true,
	Title:     "Pod Identity associations without the Pod Identity agent",
	Inputs:    lint.EksctlInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{eksGuideSetUpPodIdentityAgent, eksGuideLearnHowPodIdentityGrants},
	Rationale: "EKS Pod Identity hands credentials to pods through the eks-pod-identity-agent DaemonSet. Without the " +
		"add-on, associations exist but no pod receives their credentials (eksctl rejects the config at create " +
		"time). EKS Auto Mode runs the agent itself. EKS Best Practices: use Pod Identity for workload access to " +
		"AWS.",
	Fix: "Add `{name: eks-pod-identity-agent}` to `addons`.",
	Example: lint.Example{
		Bad: eksctlCluster("iam:\n  podIdentityAssociations:\n    - namespace: apps\n      serviceAccountName: s3-reader\n"+
			"      roleARN: arn:aws:iam::111122223333:role/s3-reader\n", ""),
		Good: eksctlCluster("addons:\n  - name: eks-pod-identity-agent\niam:\n  podIdentityAssociations:\n"+
			"    - namespace: apps\n      serviceAccountName: s3-reader\n      roleARN: arn:aws:iam::111122223333:role/s3-reader\n", ""),
	},
	Notes: eksctlClusterNote,
	Set: clusterLevel(func(p *lint.Pass) {
		o := clusterConfig(p)
		if o == nil || eksctlAutoMode(o) {
			return
		}
		if _, ok := eksctlAddon(p, podIdentityAgent); ok {
			return
		}
		if use, ok := podIdentityUse(o); ok {
			p.Report(use, "%s needs the eks-pod-identity-agent add-on, which is not in addons; add {name: eks-pod-identity-agent}", use.Path())
		}
	}),
}

var PreferPodIdentity = &lint.Rule{
	ID:        "eks-prefer-pod-identity",
	Level:     lint.Note,
	DefaultOn: false,
	Title:     "IRSA used where EKS Pod Identity would do",
	Inputs:    lint.EksctlInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgPodIdentitiesComparedIRSA, eksGuideGrantKubernetesWorkloadsAccessAWS, eksGuideLearnHowPodIdentityGrants},
	Rationale: "IAM roles for service accounts need an OIDC provider per cluster and a trust policy naming each " +
		"cluster's issuer, so roles cannot be reused across clusters without editing them. EKS Pod Identity needs " +
		"neither, supports session tags for ABAC and is the approach EKS Best Practices recommend for new " +
		"workloads.",
	Fix: "Replace `iam.serviceAccounts` with `iam.podIdentityAssociations` (and add the eks-pod-identity-agent " +
		"add-on); for add-ons use `podIdentityAssociations` or `useDefaultPodIdentityAssociations: true` instead of " +
		"`serviceAccountRoleARN`/`attachPolicyARNs`.",
	Example: lint.Example{
		Bad: eksctlCluster("addons:\n  - name: vpc-cni\n"+
			"    serviceAccountRoleARN: arn:aws:iam::111122223333:role/vpc-cni\n", ""),
		Good: eksctlCluster("addons:\n  - name: eks-pod-identity-agent\n  - name: vpc-cni\n"+
			"    useDefaultPodIdentityAssociations: true\n", ""),
	},
	Notes: "Besides the catalogue's serviceAccountRoleARN and attachPolicyARNs, an add-on's attachPolicy and " +
		"wellKnownPolicies are IRSA fields too (eksctl: IRSA and pod identity fields are mutually exclusive), so " +
		"they are reported alike. " + eksctlClusterNote,
	Set: clusterLevel(func(p *lint.Pass) {
		o := clusterConfig(p)
		if o == nil {
			return
		}
		if sas := o.Get("iam", "serviceAccounts"); listLen(sas) > 0 {
			p.Report(sas, "iam.serviceAccounts uses IRSA for %d service account(s); EKS Pod Identity (iam.podIdentityAssociations) needs no OIDC provider or per-cluster trust policy", sas.Len())
		}
		for _, a := range o.Get("addons").Items() {
			for _, f := range []string{"serviceAccountRoleARN", "attachPolicyARNs", "attachPolicy", "wellKnownPolicies"} {
				if n := a.Get(f); n.Exists() {
					p.Report(n, "add-on %q gets its AWS permissions through IRSA (%s); use podIdentityAssociations or useDefaultPodIdentityAssociations: true", a.Get("name").Str(), f)
					break
				}
			}
		}
	}),
}

var NoWorkloadIdentity = &lint.Rule{
	ID:        "eks-no-workload-identity",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Pods have no way to get AWS credentials of their own",
	Inputs:    lint.EksctlInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgIdentitiesCredentialsPods, eksGuideGrantKubernetesWorkloadsAccessAWS, bpgRestrictAccessInstanceProfileAssigned},
	Rationale: "Without an OIDC provider (IRSA) and without the Pod Identity agent, a pod that calls AWS can only use " +
		"the node's instance role, which every pod on the node shares, so each workload gets the union of what " +
		"all of them need. EKS Best Practices: give each workload its own role with IRSA or Pod Identity " +
		"and keep pods off the node role.",
	Fix: "Add the `eks-pod-identity-agent` add-on (and `iam.podIdentityAssociations` for workloads that call AWS), " +
		"or set `iam.withOIDC: true` to use IRSA.",
	Example: lint.Example{
		Bad:  eksctlCluster("", ""),
		Good: eksctlCluster("addons:\n  - name: eks-pod-identity-agent\n", ""),
	},
	Notes: "EKS Auto Mode clusters (`autoModeConfig.enabled: true`) run the Pod Identity agent themselves, and pods on " +
		"Fargate or hybrid nodes have no node role to fall back on, so clusters with only those are not reported. " + eksctlClusterNote,
	Set: clusterLevel(func(p *lint.Pass) {
		o := clusterConfig(p)
		if o == nil || withOIDC(o) || eksctlAutoMode(o) || eksctlWithoutEC2Nodes(o) ||
			listLen(o.Get("iam", "podIdentityAssociations")) > 0 {
			return
		}
		if _, ok := eksctlAddon(p, podIdentityAgent); ok {
			return
		}
		p.Report(o.Get("iam", "withOIDC"), "pods can only use the node role: iam.withOIDC is not true and there is no eks-pod-identity-agent add-on; add the add-on (or set iam.withOIDC: true)")
	}),
}

var VPCCNIUsesNodeRole = &lint.Rule{
	ID:        "eks-vpc-cni-uses-node-role",
	Level:     lint.Note,
	DefaultOn: false,
	Title:     "The VPC CNI runs with the node role",
	Inputs:    lint.EksctlInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgUpdateAwsNodeDaemonsetUse, eksGuideConfigureVPCCNIPluginUse, bpgUseSeparateIAMRoleCNI},
	Rationale: "When iam.withOIDC is off and the vpc-cni add-on has no role of its own, eksctl attaches " +
		"AmazonEKS_CNI_Policy to every node role, so every pod that can reach the instance metadata service may " +
		"create, attach and delete network interfaces. EKS Best Practices: give the CNI its own role and keep " +
		"pods off the node role.",
	Fix: "Give vpc-cni its own identity (`useDefaultPodIdentityAssociations: true` with the eks-pod-identity-agent " +
		"add-on, or `serviceAccountRoleARN`), or set `iam.withOIDC: true` so eksctl creates an IRSA role for it.",
	Example: lint.Example{
		Bad: eksctlCluster("addons:\n  - name: vpc-cni\n", ""),
		Good: eksctlCluster("addons:\n  - name: eks-pod-identity-agent\n  - name: vpc-cni\n"+
			"    useDefaultPodIdentityAssociations: true\n", ""),
	},
	Notes: "eksctl installs vpc-cni by default, so a config without a vpc-cni add-on is reported too, at iam.withOIDC " +
		"(unless `addonsConfig.disableDefaultAddons` is true, EKS Auto Mode provides the networking, or pods run only " +
		"on Fargate or hybrid nodes). It stands beside eks-no-workload-identity, which lands on the same field: " +
		"that rule is about the credentials of workload pods and is fixed by the Pod Identity agent alone, this one " +
		"about the CNI's own permission to change network interfaces, which stays on every node role until vpc-cni " +
		"has a role of its own. " + eksctlClusterNote,
	Set: clusterLevel(func(p *lint.Pass) {
		o := clusterConfig(p)
		if o == nil || withOIDC(o) || eksctlAutoMode(o) || eksctlWithoutEC2Nodes(o) {
			return
		}
		cni, declared := eksctlAddon(p, vpcCNI)
		switch {
		case declared && !vpcCNIHasOwnIdentity(cni):
			p.Report(cni, "vpc-cni has no role of its own and iam.withOIDC is not true, so eksctl grants AmazonEKS_CNI_Policy to every node role; set useDefaultPodIdentityAssociations: true or serviceAccountRoleARN")
		case !declared && !o.Get("addonsConfig", "disableDefaultAddons").IsTrue():
			p.Report(o.Get("iam", "withOIDC"), "the default vpc-cni add-on runs with the node role: iam.withOIDC is not true, so eksctl grants AmazonEKS_CNI_Policy to every node role; add vpc-cni with useDefaultPodIdentityAssociations: true")
		}
	}),
}

// nodeRoleOf is the in-template AWS::IAM::Role an AWS::EKS::Nodegroup runs with, or nil.
func nodeRoleOf(ng *lint.Object) *lint.Object {
	return referencedResource(ng, ng.Properties().Get("NodeRole"), "AWS::IAM::Role")
}

// cfnClusterWithRole writes an example cluster whose role has the given ManagedPolicyArns items.
func cfnClusterWithRole(policies string) string {
	return "  ClusterRole:\n    Type: AWS::IAM::Role\n    Properties:\n" +
		"      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n" +
		"            Principal: {Service: eks.amazonaws.com}\n            Action: sts:AssumeRole\n" +
		"      ManagedPolicyArns:\n" + policies +
		"  Cluster:\n    Type: AWS::EKS::Cluster\n    Properties:\n      RoleArn: !GetAtt ClusterRole.Arn\n" +
		"      ResourcesVpcConfig:\n        SubnetIds: [subnet-0a1b2c3d, subnet-0e1f2a3b, subnet-0c4d5e6f]\n"
}

// vpcCNIHasOwnIdentityInTemplate reports whether the template gives the VPC CNI credentials of its
// own: a vpc-cni AWS::EKS::Addon with ServiceAccountRoleArn or PodIdentityAssociations, or a
// Pod Identity association for kube-system/aws-node. Values only known at deploy time count as
// possibly doing so.
func vpcCNIHasOwnIdentityInTemplate(t *lint.Template) bool {
	return lint.TemplateIndex(t, factVPCCNIRole, vpcCNIRoleInTemplate)
}

func vpcCNIRoleInTemplate(t *lint.Template) bool {
	for _, a := range t.Resources("AWS::EKS::Addon") {
		props := a.Properties()
		if name, ok := cfnString(props.Get("AddonName")); ok && name != vpcCNI {
			continue
		}
		if props.Get("ServiceAccountRoleArn").Exists() || props.Get("PodIdentityAssociations").Exists() {
			return true
		}
	}
	for _, a := range t.Resources("AWS::EKS::PodIdentityAssociation") {
		ns, nsKnown := cfnString(a.Properties().Get("Namespace"))
		sa, saKnown := cfnString(a.Properties().Get("ServiceAccount"))
		if (!nsKnown || ns == "kube-system") && (!saKnown || sa == "aws-node") {
			return true
		}
	}
	return false
}

// pluralIt is "it" or "them".
func pluralIt(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}

// cfnNodegroupWithRole writes an example managed node group whose role has the given
// ManagedPolicyArns items.
func cfnNodegroupWithRole(policies string) string {
	return fmt.Sprintf("  NodeRole:\n    Type: AWS::IAM::Role\n    Properties:\n"+
		"      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n"+
		"            Principal: {Service: ec2.amazonaws.com}\n            Action: sts:AssumeRole\n"+
		"      ManagedPolicyArns:\n%s"+
		"  Nodes:\n    Type: AWS::EKS::Nodegroup\n    Properties:\n      ClusterName: prod\n"+
		"      NodeRole: !GetAtt NodeRole.Arn\n      Subnets: [subnet-0a1b2c3d, subnet-0e1f2a3b, subnet-0c4d5e6f]\n", policies)
}

// access are the G2 rules in catalogue order.
var access = []*lint.Rule{
	AuthModeConfigMapOnly,
	AuthModeNotAPIOnly,
	CreatorAdminBootstrap,
	AccessEntryClusterAdmin,
	IdentityMappingSystemMasters,
	IRSAWithoutOIDC,
	PodIdentityAgentMissing,
	PreferPodIdentity,
	NoWorkloadIdentity,
	VPCCNIUsesNodeRole,
	CFNClusterRolePolicy,
	CFNNodeRolePolicies,
}
