package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/ekslint/ekslint/lint"
)

// G8: RBAC and aws-auth (Kubernetes).

var AWSAuthSystemMasters = &lint.Rule{
	ID:        "k8s-aws-auth-system-masters",
	Level:     lint.Error,
	DefaultOn: true,
	Title:     "aws-auth maps an IAM identity to system:masters",
	Inputs:    lint.RBACInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgClusterAccessRecommendations, eksGuideGrantIAMUsersAccessKubernetes2, k8sLeastPrivilege},
	Rationale: "Members of `system:masters` are cluster administrators: the API server lets them do anything before " +
		"RBAC is even consulted, and no RoleBinding can take that away. Mapping an IAM role or user to it in aws-auth " +
		"hands the whole cluster to everyone who can assume that role. EKS Best Practices: grant the least " +
		"privilege through RBAC groups or access entries.",
	Fix: "Map the identity to a group of your own (`eks-admins`) bound to the ClusterRole it needs, or create an EKS " +
		"access entry with a scoped access policy instead.",
	Example: lint.Example{
		Bad:  awsAuthExample("    - rolearn: arn:aws:iam::111122223333:role/ops\n      username: ops\n      groups:\n        - system:masters\n"),
		Good: awsAuthExample("    - rolearn: arn:aws:iam::111122223333:role/ops\n      username: ops\n      groups:\n        - eks-admins\n"),
	},
	Notes: "Keys are matched case-insensitively (`rolearn`, `roleARN`), as the authenticator does. A mapRoles or " +
		"mapUsers string that does not parse is reported by k8s-aws-auth-arn-invalid, not here.",
	Check: func(p *lint.Pass) {
		var found embeddedFindings
		for _, e := range awsAuthEntries(p.Object).entries {
			for _, g := range fieldFold(e.item, "groups").Items() {
				if g.Str() == "system:masters" {
					found.add(g, e.list, e.identity())
				}
			}
		}
		found.report(func(at lint.Node, list string, identities []string) {
			p.Report(at, "aws-auth %s maps %s to system:masters, which bypasses RBAC; map it to a group bound to "+
				"a narrower ClusterRole, or use an access entry", list, joinAnd(identities))
		})
	},
}

var AWSAuthDeprecated = &lint.Rule{
	ID:        "k8s-aws-auth-deprecated",
	Level:     lint.Note,
	DefaultOn: false,
	Title:     "aws-auth ConfigMap is deprecated",
	Inputs:    lint.RBACInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgSectionsTheAwsAuthConfigMap, eksGuideGrantIAMUsersAccessKubernetes2, eksGuideMigratingExistingAwsAuthConfigMap},
	Rationale: "AWS documents the aws-auth ConfigMap as deprecated in favour of EKS access entries, which are managed " +
		"through the EKS API (and IAM), audited in CloudTrail, and cannot lock everyone out of the cluster with one " +
		"bad edit.",
	Fix: "Move each mapping to an access entry (eksctl `accessConfig.accessEntries`, CloudFormation " +
		"`AWS::EKS::AccessEntry`), set the cluster's authentication mode to `API_AND_CONFIG_MAP` and then `API`, and " +
		"delete the ConfigMap.",
	Example: lint.Example{
		Bad: awsAuthExample("    - rolearn: arn:aws:iam::111122223333:role/ops\n      username: ops\n      groups:\n        - eks-admins\n"),
		Good: eksctlCluster("accessConfig:\n  authenticationMode: API\n  accessEntries:\n"+
			"    - principalARN: arn:aws:iam::111122223333:role/ops\n      kubernetesGroups: [eks-admins]\n", ""),
	},
	Check: func(p *lint.Pass) {
		if o := p.Object; isAWSAuth(o) {
			p.Report(o.Get("metadata", "name"), "the aws-auth ConfigMap is deprecated; move its mappings to EKS access "+
				"entries and set the cluster's authentication mode to API")
		}
	},
}

var AWSAuthARNInvalid = &lint.Rule{
	ID:        "k8s-aws-auth-arn-invalid",
	Level:     lint.Error,
	DefaultOn: true,
	Title:     "aws-auth entry is malformed or can never match",
	Inputs:    lint.RBACInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagReliability, lint.TagEKS},
	Sources:   []lint.Source{bpgSectionsTheAwsAuthConfigMap, eksGuideAddIAMPrincipalsCluster},
	Rationale: "The authenticator matches the canonical ARN of the caller against aws-auth. A role ARN with a path " +
		"(`role/team/name`) never matches, because canonical role ARNs carry no path (AWS docs: the role ARN \"can't " +
		"include a path\"); a malformed ARN never matches either; and a mapRoles or mapUsers string that does not " +
		"parse is dropped whole, so the nodes and people it maps lose access at the next change.",
	Fix: "Write role ARNs as `arn:aws:iam::<account>:role/<name>` without the path, user ARNs as " +
		"`arn:aws:iam::<account>:user/<name>`, give every entry a `username` (nodes: " +
		"`system:node:{{EC2PrivateDNSName}}`), and keep mapRoles/mapUsers valid YAML lists.",
	Example: lint.Example{
		Bad:  awsAuthExample("    - rolearn: arn:aws:iam::111122223333:role/teams/ops\n      username: ops\n      groups:\n        - eks-admins\n"),
		Good: awsAuthExample("    - rolearn: arn:aws:iam::111122223333:role/ops\n      username: ops\n      groups:\n        - eks-admins\n"),
	},
	Notes: "A mapRoles or mapUsers value that is not a string or does not parse as YAML is reported here, on the " +
		"field, as an error: the authenticator drops the whole list (the ConfigMap itself applies fine, so it is a " +
		"finding, not an input error). `groups` is optional upstream (the identity then gets what bindings of its " +
		"username grant), so unlike the catalogue a missing `groups` is not reported; a missing `username` is, as the " +
		"identity would act with an empty user name. `{{EC2PrivateDNSName}}`, `{{AccountID}}` and `{{SessionName}}` " +
		"in usernames are the authenticator's own templates. Role ARNs in mapUsers and user ARNs in mapRoles " +
		"still match, so they are not reported. " + placeholderNote("role or user ARN", "`ACCOUNT_ID`"),
	Check: func(p *lint.Pass) {
		auth := awsAuthEntries(p.Object)
		for _, bad := range auth.bad {
			p.Report(bad.field, "aws-auth %s %s", bad.field.Key(), bad.problem)
		}
		var found embeddedFindings
		for _, e := range auth.entries {
			arn := fieldFold(e.item, e.arnKey)
			user := fieldFold(e.item, "username")
			noUser := !user.Exists() || user.Str() == ""
			switch {
			case !e.item.IsMap():
				what := "an entry"
				if e.item.IsScalar() {
					what = fmt.Sprintf("entry %q", e.item.Str())
				}
				found.add(e.item, e.list, fmt.Sprintf("%s is not a mapping; write it as {%s: ..., username: ..., "+
					"groups: [...]}", what, e.arnKey))
				continue
			case !arn.Exists() && noUser:
				found.add(e.item, e.list, fmt.Sprintf("entry has neither %s nor username, so it maps nothing; add both", e.arnKey))
				continue
			case !arn.Exists():
				found.add(e.item, e.list, fmt.Sprintf("entry for username %q has no %s, so it matches no identity; add "+
					"the IAM ARN it maps", user.Str(), e.arnKey))
			case !arn.IsString():
				found.add(arn, e.list, fmt.Sprintf("%s must be a string ARN", e.arnKey))
			default:
				if why := checkAWSAuthARN(arn.Str(), strings.TrimSuffix(e.arnKey, "arn")); why != "" {
					found.add(arn, e.list, fmt.Sprintf("%s %q %s", e.arnKey, arn.Str(), why))
				}
			}
			if noUser {
				found.add(e.item, e.list, fmt.Sprintf("entry for %s has no username, so it acts with an empty Kubernetes "+
					"user name; set username (nodes use system:node:{{EC2PrivateDNSName}})", e.identity()))
			}
			if groups := fieldFold(e.item, "groups"); groups.Exists() && (!groups.IsList() || len(groups.Strings()) != groups.Len()) {
				found.add(groups, e.list, fmt.Sprintf("groups of %s must be a list of group names; the authenticator "+
					"ignores anything else", e.identity()))
			}
		}
		found.report(func(at lint.Node, list string, problems []string) {
			msg := problems[0]
			if n := len(problems) - 1; n > 0 {
				more := "problem"
				if n > 1 {
					more = "problems"
				}
				msg += fmt.Sprintf(" (and %d more %s in %s; write it as a block scalar, %s: |, to see each on its line)",
					n, more, list, list)
			}
			p.Report(at, "aws-auth %s %s", list, msg)
		})
	},
}

var RBACCanWriteAWSAuth = &lint.Rule{
	ID:        "k8s-rbac-can-write-aws-auth",
	Level:     lint.Error,
	DefaultOn: true,
	Title:     "Role can change the aws-auth ConfigMap",
	Inputs:    lint.RBACInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{bpgEmployLeastPrivilegedAccessWhen, k8sLeastPrivilege},
	Rationale: "Whoever can update kube-system/aws-auth can map any IAM role, their own included, to system:masters: " +
		"write access to it is cluster-admin in disguise, and deleting it locks nodes and people out. EKS Best " +
		"Practices: restrict who can change aws-auth.",
	Fix: "Remove update, patch and delete on configmaps from the role, or limit them with `resourceNames` to the " +
		"ConfigMaps it manages (never aws-auth); manage cluster access with EKS access entries.",
	Example: lint.Example{
		Bad: rbacRole("Role", "kube-system", "leader-election",
			"  - apiGroups: [\"\"]\n    resources: [configmaps]\n    verbs: [get, update]\n"),
		Good: rbacRole("Role", "kube-system", "leader-election",
			"  - apiGroups: [\"\"]\n    resources: [configmaps]\n    resourceNames: [my-controller-leader]\n    verbs: [get, update]\n"),
	},
	Equivalents: []string{"Trivy KSV-0115"},
	Notes: "Counted: ClusterRoles, and Roles in kube-system, whose rule covers core (`\"\"` or `*`) configmaps (or `*`) " +
		"and either names aws-auth in resourceNames or has no resourceNames at all: a ClusterRole that may update " +
		"every ConfigMap may update aws-auth too once bound cluster-wide (Trivy only looks at rules naming aws-auth; " +
		"rbac-police counts both). Verbs counted: update, patch, delete and `*`, plus deletecollection without " +
		"resourceNames (RBAC cannot restrict create or deletecollection by name, so those rules never allow them). " +
		"create is not counted: it cannot change an existing aws-auth, and counting it would flag every " +
		"leader-election Role in kube-system; impersonate means nothing on configmaps. A ClusterRole whose every " +
		"binding in the input is a RoleBinding outside kube-system is not reported: a RoleBinding grants the " +
		"ClusterRole's rules in its own namespace only (an operator's leader-election ClusterRole bound in the " +
		"operator's namespace). One with no binding in the input is, since it may be bound elsewhere; so is one " +
		"aggregated into other ClusterRoles (a label `<group>/aggregate-to-<role>`, as the built-in admin, edit and " +
		"view select, or an aggregationRule of the input that selects it), whose bindings the input may not hold. " +
		"A RoleBinding's namespace is its effective one, as for a Role (`default` for a raw manifest without one)." +
		perDeployment,
	Set: lint.Gather(collectAWSAuthGrants, func(items []awsAuthGrant, s *lint.SetPass) {
		clusterWide := map[string]bool{} // ClusterRoles bound cluster-wide or in kube-system
		bound := map[string]bool{}       // ClusterRoles bound at all
		var aggregators []lint.LabelSelector
		for _, it := range items {
			if b := it.binding; b != nil {
				bound[b.role] = true
				clusterWide[b.role] = clusterWide[b.role] || b.clusterWide
			}
			aggregators = append(aggregators, it.aggregates...)
		}
		for _, it := range items {
			r := it.role
			if r == nil {
				continue
			}
			aggregated := r.aggregatedByConvention || slices.ContainsFunc(aggregators, func(sel lint.LabelSelector) bool {
				return sel.Matches(r.labels)
			})
			if bound[r.name] && !clusterWide[r.name] && !aggregated {
				continue // granted in namespaces other than kube-system only
			}
			for _, d := range r.reports {
				s.Emit(d)
			}
		}
	}),
}

// awsAuthGrant is what k8s-rbac-can-write-aws-auth keeps of an object: a ClusterRole that can
// change aws-auth, with what the rule reports about it; a binding of a ClusterRole; or the
// selectors of a ClusterRole that aggregates others (an item may be a ClusterRole of both kinds).
type awsAuthGrant struct {
	role       *awsAuthWriter
	binding    *clusterRoleBinding
	aggregates []lint.LabelSelector
}

// awsAuthWriter is a ClusterRole that can change aws-auth once bound cluster-wide.
type awsAuthWriter struct {
	name    string
	labels  lint.Labels
	reports []lint.Diagnostic
	// aggregatedByConvention says a label asks for its rules to be aggregated into another
	// ClusterRole (rbac.authorization.k8s.io/aggregate-to-edit), which the input need not hold.
	aggregatedByConvention bool
}

// clusterRoleBinding is a RoleBinding or ClusterRoleBinding of a ClusterRole, and whether it
// grants the role's rules where aws-auth is: cluster-wide, or in kube-system.
type clusterRoleBinding struct {
	role        string
	clusterWide bool
}

func collectAWSAuthGrants(p *lint.Pass) (awsAuthGrant, bool) {
	o := p.Object
	switch {
	case isRBACKind(o, "Role"):
		if o.Namespace() == "kube-system" {
			reportAWSAuthWrites(p)
		}
	case isRBACKind(o, "ClusterRole"):
		var g awsAuthGrant
		for _, sel := range o.Get("aggregationRule", "clusterRoleSelectors").Items() {
			g.aggregates = append(g.aggregates, lint.SelectorOf(sel))
		}
		if reports := holdDiagnostics(p, reportAWSAuthWrites); len(reports) > 0 {
			labels := o.Labels()
			g.role = &awsAuthWriter{name: o.Name(), labels: labels, reports: reports}
			for k := range labels.All() {
				name := k[strings.LastIndex(k, "/")+1:]
				g.role.aggregatedByConvention = g.role.aggregatedByConvention || strings.HasPrefix(name, "aggregate-to-")
			}
		}
		return g, g.role != nil || g.aggregates != nil
	case isRBACKind(o, "RoleBinding", "ClusterRoleBinding"):
		ref := o.Get("roleRef")
		if ref.Get("kind").Str() != "ClusterRole" {
			break
		}
		return awsAuthGrant{binding: &clusterRoleBinding{role: ref.Get("name").Str(),
			clusterWide: o.Kind() == "ClusterRoleBinding" || o.Namespace() == "kube-system"}}, true
	}
	return awsAuthGrant{}, false
}

// reportAWSAuthWrites reports each rule of a Role or ClusterRole that can change aws-auth.
func reportAWSAuthWrites(p *lint.Pass) {
	o := p.Object
	for _, r := range o.Get("rules").Items() {
		if !hasAny(r.Get("apiGroups").Strings(), "", "*") || !hasAny(r.Get("resources").Strings(), "configmaps", "*") {
			continue
		}
		names := r.Get("resourceNames")
		named := names.Len() > 0
		if named && !slices.Contains(names.Strings(), "aws-auth") {
			continue
		}
		writes := []string{"update", "patch", "delete", "*"}
		if !named {
			writes = append(writes, "deletecollection")
		}
		var found []string
		var first lint.Node
		for _, v := range r.Get("verbs").Items() {
			if slices.Contains(writes, v.Str()) {
				if found == nil {
					first = v
				}
				found = append(found, v.Str())
			}
		}
		if found == nil {
			continue
		}
		how := "on every ConfigMap, as the rule has no resourceNames"
		if named {
			how = "on aws-auth by name"
		}
		verbs := "verb "
		if len(found) > 1 {
			verbs = "verbs "
		}
		harm := "can map any IAM identity to system:masters"
		if !hasAny(found, "update", "patch", "*") {
			harm = "can delete it, cutting the nodes and IAM identities it maps off the cluster"
		}
		p.Report(first, "%s can change kube-system/aws-auth (%s%s %s), so whoever holds it %s; limit resourceNames "+
			"to the ConfigMaps it manages", describeObject(o), verbs, strings.ReplaceAll(joinAnd(found), "*", `"*"`), how, harm)
	}
}

var RBACBindingSystemMasters = &lint.Rule{
	ID:        "k8s-rbac-binding-system-masters",
	Level:     lint.Error,
	DefaultOn: true,
	Title:     "Binding names the system:masters group",
	Inputs:    lint.RBACInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagKubernetes},
	Sources:   []lint.Source{bpgEmployLeastPrivilegedAccessWhen, k8sLeastPrivilege},
	Rationale: "`system:masters` is the break-glass group the API server lets do anything without RBAC. A binding to it " +
		"adds nothing and shows that identities are expected to be in it; on EKS that means an aws-auth mapping or " +
		"access entry to system:masters, which no RBAC change can take back.",
	Fix: "Bind the role to a group of your own (`platform-admins`) and map identities to that group.",
	Example: lint.Example{
		Bad:  rbacBinding("ClusterRoleBinding", "", "admins", "ClusterRole", "admin", "  - kind: Group\n    name: system:masters\n    apiGroup: rbac.authorization.k8s.io\n"),
		Good: rbacBinding("ClusterRoleBinding", "", "admins", "ClusterRole", "admin", "  - kind: Group\n    name: platform-admins\n    apiGroup: rbac.authorization.k8s.io\n"),
	},
	Equivalents: []string{"Trivy KSV-0123"},
	Notes:       "The finding lands on the subject's name.",
	Check: func(p *lint.Pass) {
		o := p.Object
		if !isRBACKind(o, "RoleBinding", "ClusterRoleBinding") {
			return
		}
		for _, s := range o.Get("subjects").Items() {
			if s.Get("kind").Str() == "Group" && s.Get("name").Str() == "system:masters" {
				p.Report(s.Get("name"), "%s binds %s %q to the system:masters group, which already bypasses RBAC; "+
					"bind it to a group of your own", describeObject(o), o.Get("roleRef", "kind").Str(), o.Get("roleRef", "name").Str())
			}
		}
	},
}

var RBACClusterAdminBinding = &lint.Rule{
	ID:        "k8s-rbac-cluster-admin-binding",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Binding grants cluster-admin",
	Inputs:    lint.RBACInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagKubernetes},
	Sources:   []lint.Source{bpgEmployLeastPrivilegedAccessWhen, k8sLeastPrivilege, k8sUsingRBACAuthorization},
	Rationale: "cluster-admin allows every verb on every resource. Bound with a ClusterRoleBinding it is the whole " +
		"cluster, with a RoleBinding everything in the namespace, Secrets and RBAC included; a leaked token of such " +
		"a subject is a full compromise. EKS Best Practices: grant least privilege.",
	Fix: "Bind a ClusterRole that lists only what the subject needs (or the built-in admin, edit or view); keep " +
		"cluster-admin for break-glass access outside the manifests.",
	Example: lint.Example{
		Bad:  rbacBinding("ClusterRoleBinding", "", "ci", "ClusterRole", "cluster-admin", "  - kind: ServiceAccount\n    name: deployer\n    namespace: ci\n"),
		Good: rbacBinding("ClusterRoleBinding", "", "ci", "ClusterRole", "deployer", "  - kind: ServiceAccount\n    name: deployer\n    namespace: ci\n"),
	},
	Equivalents: []string{"kube-linter cluster-admin-role-binding", "Polaris clusterrolebindingClusterAdmin", "Trivy KSV-0111"},
	Notes: "Kubernetes' own subjects are left out: the group system:masters (reported by " +
		"k8s-rbac-binding-system-masters) and `system:` users such as system:kube-controller-manager. The catalogue " +
		"leaves out every `system:` subject; ekslint still reports system:anonymous, ServiceAccounts (they " +
		"authenticate as `system:serviceaccount:...`; a workload's ServiceAccount bound to cluster-admin is the case " +
		"this rule exists for) and the `system:` groups that stand for many identities (system:authenticated, " +
		"system:unauthenticated, system:serviceaccounts, system:nodes), where cluster-admin is worst. RoleBindings to cluster-admin are reported too (kube-linter and Polaris " +
		"look at ClusterRoleBindings only). One finding per subject, on its name.",
	Check: func(p *lint.Pass) {
		o := p.Object
		if !isRBACKind(o, "RoleBinding", "ClusterRoleBinding") {
			return
		}
		ref := o.Get("roleRef")
		if ref.Get("kind").Str() != "ClusterRole" || ref.Get("name").Str() != "cluster-admin" {
			return
		}
		scope := "the whole cluster"
		if o.Kind() == "RoleBinding" {
			scope = fmt.Sprintf("everything in namespace %q, Secrets and RBAC included", o.Namespace())
		}
		for _, s := range o.Get("subjects").Items() {
			kind, name := s.Get("kind").Str(), s.Get("name").Str()
			if isKubernetesComponent(kind, name) {
				continue
			}
			who := fmt.Sprintf("%s %q", kind, name)
			switch {
			case kind == "ServiceAccount":
				ns := s.Get("namespace").Str()
				if ns == "" {
					ns = o.Namespace()
				}
				who = fmt.Sprintf("ServiceAccount %q", ns+"/"+name)
			case kind == "Group" && strings.HasPrefix(name, "system:serviceaccounts:"):
				who += fmt.Sprintf(" (every ServiceAccount of namespace %q)", strings.TrimPrefix(name, "system:serviceaccounts:"))
			case systemPopulations[name] != "":
				who += " (" + systemPopulations[name] + ")"
			}
			p.Report(s.Get("name"), "%s grants cluster-admin to %s: %s; bind a ClusterRole with only the permissions it needs",
				describeObject(o), who, scope)
		}
	},
}

var RBACWildcard = &lint.Rule{
	ID:        "k8s-rbac-wildcard",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Role uses * in verbs, resources or apiGroups",
	Inputs:    lint.RBACInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagKubernetes},
	Sources:   []lint.Source{bpgEmployLeastPrivilegedAccessWhen, k8sLeastPrivilege},
	Rationale: "A `*` grants everything that exists now and everything added later: every verb (escalate, bind and " +
		"impersonate included), every resource (Secrets, new CRDs), every API group. Least privilege means " +
		"listing what the role needs.",
	Fix: "Replace `*` with the API groups, resources and verbs the role needs.",
	Example: lint.Example{
		Bad:  rbacRole("ClusterRole", "", "operator", "  - apiGroups: [apps]\n    resources: [deployments]\n    verbs: [\"*\"]\n"),
		Good: rbacRole("ClusterRole", "", "operator", "  - apiGroups: [apps]\n    resources: [deployments]\n    verbs: [get, list, watch, update, patch]\n"),
	},
	Equivalents: []string{"kube-linter wildcard-in-rules", "Checkov CKV_K8S_49", "Trivy KSV-0044", "Trivy KSV-0045", "Trivy KSV-0046"},
	Notes: "One finding per rule, on its first `*`, naming every field that has one. Only a `*` entry counts: " +
		"`pods/*` (every subresource) and nonResourceURLs are not reported.",
	Check: func(p *lint.Pass) {
		o := p.Object
		if !isRBACKind(o, "Role", "ClusterRole") {
			return
		}
		for i, r := range o.Get("rules").Items() {
			var fields []string
			var first lint.Node
			for _, f := range []string{"apiGroups", "resources", "verbs"} {
				for _, it := range r.Get(f).Items() {
					if it.Str() == "*" {
						if fields == nil {
							first = it
						}
						fields = append(fields, f)
						break
					}
				}
			}
			if fields != nil {
				p.Report(first, "rule %d of %s has \"*\" in %s, which grants everything there is and will be; list what it needs",
					i+1, describeObject(o), joinAnd(fields))
			}
		}
	},
}

// rbac are the G8 rules in catalogue order.
var rbac = []*lint.Rule{
	AWSAuthSystemMasters,
	AWSAuthDeprecated,
	AWSAuthARNInvalid,
	RBACCanWriteAWSAuth,
	RBACBindingSystemMasters,
	RBACClusterAdminBinding,
	RBACWildcard,
}

// isKubernetesComponent reports whether a subject is one of Kubernetes' own identities: the
// system:masters group (k8s-rbac-binding-system-masters covers it) and system: users such as
// system:kube-controller-manager. Not among them: system:anonymous, ServiceAccounts (also as
// system:serviceaccount:... users) and the system: groups that name whole populations.
func isKubernetesComponent(kind, name string) bool {
	switch {
	case kind == "Group":
		return name == "system:masters"
	case kind == "User":
		return strings.HasPrefix(name, "system:") && name != "system:anonymous" &&
			!strings.HasPrefix(name, "system:serviceaccount:")
	}
	return false
}

// systemPopulations are the system: groups (and the anonymous user) that stand for many identities.
var systemPopulations = map[string]string{
	"system:authenticated":   "every authenticated identity",
	"system:unauthenticated": "every anonymous request",
	"system:anonymous":       "every anonymous request",
	"system:serviceaccounts": "every ServiceAccount",
	"system:nodes":           "every node",
	"system:bootstrappers":   "every node joining the cluster",
}

// isAWSAuth reports whether o is the aws-auth ConfigMap. It lives in kube-system; one written
// without a namespace (and not given one by Helm or Kustomize) is taken to be applied there, the
// only place the authenticator reads it.
func isAWSAuth(o *lint.Object) bool {
	if o.Format != lint.Kubernetes || o.Kind() != "ConfigMap" || o.ID.APIVersion != "v1" || o.Name() != "aws-auth" {
		return false
	}
	ns := o.ID.Namespace
	if ns == "" {
		ns = o.Document().Namespace
	}
	return ns == "" || ns == "kube-system"
}

// awsAuthEntry is one item of aws-auth's mapRoles or mapUsers.
type awsAuthEntry struct {
	list   string // "mapRoles" or "mapUsers"
	arnKey string // "rolearn" or "userarn"
	item   lint.Node
}

// identity names the entry in messages: its ARN, else its position in the list.
func (e awsAuthEntry) identity() string {
	if arn := fieldFold(e.item, e.arnKey).Str(); arn != "" {
		return arn
	}
	return e.item.Path()
}

// awsAuth is what aws-auth's mapRoles and mapUsers hold: their entries, and the lists that are
// not YAML lists of entries.
type awsAuth struct {
	entries []awsAuthEntry
	bad     []badList
}

type badList struct {
	field   lint.Node
	problem string
}

// awsAuthEntries parses data.mapRoles and data.mapUsers of the aws-auth ConfigMap (nothing for
// any other object). Both are strings holding YAML lists; the authenticator skips empty ones.
func awsAuthEntries(o *lint.Object) awsAuth {
	var a awsAuth
	if !isAWSAuth(o) {
		return a
	}
	for _, l := range []struct{ list, arnKey string }{{"mapRoles", "rolearn"}, {"mapUsers", "userarn"}} {
		field := o.Get("data", l.list)
		if !field.Exists() {
			continue
		}
		if !field.IsString() {
			a.bad = append(a.bad, badList{field, "must be a string holding a YAML list (" + l.list + ": |); the API " +
				"server rejects a ConfigMap whose data is not strings"})
			continue
		}
		const dropped = "; the authenticator drops the whole list, so every identity in it loses access"
		root, err := field.Embedded()
		switch {
		case err != nil:
			msg := strings.TrimPrefix(err.Error(), field.Path()+": ")
			msg = innerLine.ReplaceAllString(msg, "line $1 of the string:")
			a.bad = append(a.bad, badList{field, "is not valid YAML (" + msg + ")" + dropped})
			continue
		case !root.Exists():
			continue
		case !root.IsList():
			a.bad = append(a.bad, badList{field, "must hold a YAML list of entries (- " + l.arnKey + ": ...)" + dropped})
			continue
		}
		for _, it := range root.Items() {
			a.entries = append(a.entries, awsAuthEntry{l.list, l.arnKey, it})
		}
	}
	return a
}

// embeddedFindings gathers findings inside aws-auth's strings by where they land. In a literal
// block scalar (`mapRoles: |`) each lands on its own line; in any other string all land on the
// field itself, and the engine keeps one finding per rule and place, so findings sharing a place
// are merged into one report rather than lost. A finding already there is not added again: an
// entry repeated by a YAML alias (`- *ops`) finds the same at the anchor's lines.
type embeddedFindings struct {
	order []embeddedFinding
	index map[embeddedKey]int
}

type embeddedKey struct {
	pos  lint.Pos
	list string
}

type embeddedFinding struct {
	at    lint.Node
	list  string
	items []string
}

func (f *embeddedFindings) add(at lint.Node, list, item string) {
	key := embeddedKey{at.Place().Pos, list}
	if i, ok := f.index[key]; ok {
		if !slices.Contains(f.order[i].items, item) {
			f.order[i].items = append(f.order[i].items, item)
		}
		return
	}
	if f.index == nil {
		f.index = map[embeddedKey]int{}
	}
	f.index[key] = len(f.order)
	f.order = append(f.order, embeddedFinding{at: at, list: list, items: []string{item}})
}

// report calls emit once per place, with everything found there.
func (f *embeddedFindings) report(emit func(at lint.Node, list string, items []string)) {
	for _, g := range f.order {
		emit(g.at, g.list, g.items)
	}
}

// fieldFold returns the field of n whose key equals key ignoring case, as the authenticator reads
// aws-auth entries (encoding/json matches keys that way: roleARN is rolearn).
func fieldFold(n lint.Node, key string) lint.Node {
	for _, e := range n.Entries() {
		if strings.EqualFold(e.Key(), key) {
			return e
		}
	}
	return n.Get(key)
}

var (
	awsPartition  = regexp.MustCompile(`^aws(-cn|-us-gov|-iso|-iso-[a-z]|-eusc)?$`)
	awsAccountID  = regexp.MustCompile(`^[0-9]{12}$`)
	iamName       = regexp.MustCompile(`^[\w+=,.@*?-]{1,128}$`)
	iamPathedName = regexp.MustCompile(`^(/?[\x21-\x7E]+/)*[\w+=,.@*?-]{1,128}$`)
	// innerLine finds the line number in a parse error of YAML kept in a string: it counts lines
	// of the string, not of the file.
	innerLine = regexp.MustCompile(`^line (\d+):`)
)

// checkAWSAuthARN says what is wrong with an ARN in aws-auth ("" when nothing): it must be an
// IAM role without a path, an IAM user (with or without a path) or an account root. kind ("role"
// or "user") is what the entry's list expects, for the suggested fix.
func checkAWSAuthARN(arn, kind string) string {
	if lint.HasPlaceholder(arn) {
		return "" // filled in by a templating step before it is applied
	}
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return fmt.Sprintf("is not an ARN; write arn:aws:iam::<account>:%s/<name>", kind)
	}
	partition, service, region, account, resource := parts[1], parts[2], parts[3], parts[4], parts[5]
	switch {
	case !awsPartition.MatchString(partition):
		return fmt.Sprintf("has the unknown partition %q; use aws, aws-cn or aws-us-gov", partition)
	case service == "sts" && strings.HasPrefix(resource, "assumed-role/"):
		role, _, _ := strings.Cut(strings.TrimPrefix(resource, "assumed-role/"), "/")
		return fmt.Sprintf("is an STS session, which the authenticator turns into its role; map arn:%s:iam::%s:role/%s", partition, account, role)
	case service != "iam":
		return fmt.Sprintf("is a %s ARN, not an IAM role or user; map arn:%s:iam::<account>:%s/<name>", service, partition, kind)
	case region != "":
		return fmt.Sprintf("has the region %q, but IAM ARNs have none (arn:%s:iam::<account>:...)", region, partition)
	case !awsAccountID.MatchString(account):
		return fmt.Sprintf("has the account %q; an account ID is 12 digits", account)
	}
	typ, name, _ := strings.Cut(resource, "/")
	switch {
	case resource == "root":
		return ""
	case typ == "role" && strings.Contains(name, "/"):
		short := name[strings.LastIndex(name, "/")+1:]
		return fmt.Sprintf("includes the path %q, and aws-auth role ARNs can't include a path, so it never matches; "+
			"use arn:%s:iam::%s:role/%s", name[:strings.LastIndex(name, "/")+1], partition, account, short)
	case typ == "role" && iamName.MatchString(name), typ == "user" && iamPathedName.MatchString(name):
		return ""
	case typ == "role" || typ == "user":
		return fmt.Sprintf("has the invalid %s name %q", typ, name)
	}
	return fmt.Sprintf("is not an IAM role or user ARN (%s); map arn:%s:iam::%s:%s/<name>", resource, partition, account, kind)
}

// isRBACKind reports whether o is an RBAC object of one of kinds, leaving out Kubernetes' own
// bootstrap policy (labelled kubernetes.io/bootstrapping: rbac-defaults: the cluster-admin role and
// its binding to system:masters), which shows up in dumps of a cluster and is not the user's to fix.
func isRBACKind(o *lint.Object, kinds ...string) bool {
	return o.Format == lint.Kubernetes && strings.HasPrefix(o.ID.APIVersion, "rbac.authorization.k8s.io/") &&
		slices.Contains(kinds, o.Kind()) && !isBootstrapPolicy(o)
}

func isBootstrapPolicy(o *lint.Object) bool {
	v, _ := o.Labels().Get("kubernetes.io/bootstrapping")
	return v == "rbac-defaults"
}

func hasAny(list []string, items ...string) bool {
	for _, it := range items {
		if slices.Contains(list, it) {
			return true
		}
	}
	return false
}

// joinAnd writes "a", "a and b", "a, b and c".
func joinAnd(items []string) string {
	if len(items) == 1 {
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// awsAuthExample, rbacRole and rbacBinding write the G8 examples.
func awsAuthExample(mapRoles string) string {
	return `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/eks-nodes
      username: system:node:{{EC2PrivateDNSName}}
      groups:
        - system:bootstrappers
        - system:nodes
` + mapRoles
}

func rbacRole(kind, namespace, name, rules string) string {
	ns := ""
	if namespace != "" {
		ns = "\n  namespace: " + namespace
	}
	return fmt.Sprintf("apiVersion: rbac.authorization.k8s.io/v1\nkind: %s\nmetadata:\n  name: %s%s\nrules:\n%s", kind, name, ns, rules)
}

func rbacBinding(kind, namespace, name, roleKind, role, subjects string) string {
	ns := ""
	if namespace != "" {
		ns = "\n  namespace: " + namespace
	}
	return fmt.Sprintf("apiVersion: rbac.authorization.k8s.io/v1\nkind: %s\nmetadata:\n  name: %s%s\nroleRef:\n"+
		"  apiGroup: rbac.authorization.k8s.io\n  kind: %s\n  name: %s\nsubjects:\n%s", kind, name, ns, roleKind, role, subjects)
}
