package rules

import (
	"slices"
	"strconv"
	"strings"

	"github.com/ekslint/ekslint/lint"
)

// Helpers shared by the access (G2) and node group (G4) rules: CloudFormation values that may be
// intrinsic functions, references between resources of one template, IAM policy ARNs and policy
// documents, and the parts of an eksctl ClusterConfig those rules read.

// referencedResource is the resource of type typ that n names with Ref or GetAtt in o's template
// (`NodeRole: !GetAtt NodeRole.Arn`), or nil when n names a parameter, another type or nothing.
func referencedResource(o *lint.Object, n lint.Node, typ string) *lint.Object {
	id := n.RefTarget()
	if id == "" {
		return nil
	}
	if r := o.Template().Resource(id); r != nil && r.Kind() == typ {
		return r
	}
	return nil
}

// cfnFunction names the intrinsic function n applies ("Ref", "Fn::Sub", "Fn::If", ...) and
// returns its argument, for the short form (`!Sub ...`, where the argument is n itself) and the
// long form (`{"Fn::Sub": ...}`). fn is "" for a plain value.
func cfnFunction(n lint.Node) (fn string, arg lint.Node) {
	if !n.IsIntrinsic() {
		return "", n
	}
	if t := n.Tag(); t != "" {
		name := strings.TrimPrefix(t, "!")
		if name != "Ref" && name != "Condition" {
			name = "Fn::" + name
		}
		return name, n
	}
	e := n.Entries()[0]
	return e.Key(), e
}

// cfnAlternatives lists the values n may take: the branches of Fn::If (recursively), without
// `!Ref AWS::NoValue`, which removes the field; any other value is its only alternative.
func cfnAlternatives(n lint.Node) []lint.Node {
	fn, arg := cfnFunction(n)
	switch {
	case fn == "Fn::If" && arg.Len() == 3:
		branches := arg.Items()
		return append(cfnAlternatives(branches[1]), cfnAlternatives(branches[2])...)
	case fn == "Ref" && arg.Str() == "AWS::NoValue":
		return nil
	}
	return []lint.Node{n}
}

// cfnList returns the items a list field may hold, with each Fn::If item (or a Fn::If around the
// whole list) expanded to the values of its branches. opaque is true when some items cannot be
// told offline (`!Ref ListParameter`, `!Split`, `!FindInMap`), so "the list lacks X" cannot be
// concluded. A plain list of strings (eksctl) is its own items.
func cfnList(n lint.Node) (items []lint.Node, opaque bool) {
	for _, alt := range cfnAlternatives(n) {
		if !alt.Exists() {
			continue
		}
		if !alt.IsList() || alt.IsIntrinsic() {
			opaque = true
			continue
		}
		for _, it := range alt.Items() {
			items = append(items, cfnAlternatives(it)...)
		}
	}
	return items, opaque
}

// unknownPart stands for a part of a string only known at deploy time.
const unknownPart = "${?}"

// cfnText returns the text of a string value, with the parts only known at deploy time left as
// `${...}`: a plain string, `!Sub` (either form) or `!Join` of strings and references. ok is false
// for anything else (`!Ref`, `!If`, `!ImportValue`).
func cfnText(n lint.Node) (text string, ok bool) {
	fn, arg := cfnFunction(n)
	switch fn {
	case "":
		return n.Str(), n.IsScalar()
	case "Fn::Sub":
		if arg.IsList() {
			if arg.Len() == 0 {
				return "", false
			}
			return arg.Items()[0].Str(), arg.Items()[0].IsScalar()
		}
		return arg.Str(), arg.IsScalar()
	case "Fn::Join":
		args := arg.Items()
		if len(args) != 2 || !args[1].IsList() || args[1].IsIntrinsic() {
			return "", false
		}
		var parts []string
		for _, part := range args[1].Items() {
			if s, ok := cfnString(part); ok {
				parts = append(parts, s)
			} else {
				parts = append(parts, unknownPart)
			}
		}
		return strings.Join(parts, args[0].Str()), true
	}
	return "", false
}

// cfnInt reads an integer written as a number or a string ("22"), as CloudFormation accepts both.
func cfnInt(n lint.Node) (int64, bool) {
	if v, ok := n.Int(); ok {
		return v, true
	}
	s, ok := cfnString(n)
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return v, err == nil
}

// templateFact names a fact about a whole CloudFormation template that rules index once per
// template (lint.TemplateIndex) instead of searching the template from every resource.
type templateFact int

const (
	factNodeRoles templateFact = iota
	factVPCCNIRole
	factIngressByGroup
	factLaunchTemplatesByName
	factLaunchTemplateUsers
	factEKSNodes
	factFargateClusters
)

// A policyRef is one managed policy ARN in a list: where it is written, the policy's name when the
// ARN's literal text names it (`arn:${AWS::Partition}:iam::aws:policy/AmazonEKSWorkerNodePolicy`),
// and whether it is an AWS managed policy (account "aws").
type policyRef struct {
	at         lint.Node
	name       string
	awsManaged bool
}

// policyRefs reads a list of managed policy ARNs (eksctl attachPolicyARNs, CloudFormation
// ManagedPolicyArns). opaque is true when some entry's policy cannot be told offline (a reference
// in !Sub, a placeholder of a templating step), so that a policy missing from the list may still
// be attached.
func policyRefs(list lint.Node) (refs []policyRef, opaque bool) {
	items, opaque := cfnList(list)
	for _, it := range items {
		text, ok := cfnText(it)
		name := text[strings.LastIndex(text, "/")+1:]
		if !ok || name == "" || lint.HasPlaceholder(name) {
			opaque = true
			continue
		}
		refs = append(refs, policyRef{at: it, name: name, awsManaged: strings.Contains(text, ":iam::aws:policy/")})
	}
	return refs, opaque
}

// hasPolicy reports whether refs include an AWS managed policy with one of the names.
func hasPolicy(refs []policyRef, names ...string) bool {
	for _, r := range refs {
		for _, name := range names {
			if r.awsManaged && r.name == name {
				return true
			}
		}
	}
	return false
}

// Managed policies nodes need (EKS user guide "Amazon EKS node IAM role") and the cluster role's.
const (
	workerNodePolicy  = "AmazonEKSWorkerNodePolicy"
	cniPolicy         = "AmazonEKS_CNI_Policy"
	ecrReadOnlyPolicy = "AmazonEC2ContainerRegistryReadOnly"
	ecrPullOnlyPolicy = "AmazonEC2ContainerRegistryPullOnly"
	clusterPolicy     = "AmazonEKSClusterPolicy"
)

// Other names the access rules look for: the EKS access policy that is cluster admin (its ARN
// ends in cluster-access-policy/AmazonEKSClusterAdminPolicy), Kubernetes' unrestricted group, and
// add-ons.
const (
	clusterAdminAccessPolicy = "cluster-access-policy/AmazonEKSClusterAdminPolicy"
	systemMastersGroup       = "system:masters"
	podIdentityAgent         = "eks-pod-identity-agent"
	vpcCNI                   = "vpc-cni"
)

// broadManagedPolicy reports whether an AWS managed policy grants whole services or everything:
// AdministratorAccess (and its -Amplify, -AWSElasticBeanstalk variants), PowerUserAccess and the
// *FullAccess policies.
func broadManagedPolicy(name string) bool {
	return strings.HasPrefix(name, "AdministratorAccess") || name == "PowerUserAccess" || strings.HasSuffix(name, "FullAccess")
}

// A broadGrant is a statement of an IAM policy document that allows everything, or a whole
// service, on every resource.
type broadGrant struct {
	at   lint.Node // the Action (or NotAction) field
	what string    // e.g. `Action "s3:*" on Resource "*"`
}

// broadGrants finds the statements of a policy document (a mapping, or YAML or JSON kept in a
// string) that allow `*`, `service:*` or NotAction on `Resource: "*"`. Statements that allow
// named actions on `*` are not broad: many actions (ec2:Describe*, autoscaling) only take `*`.
func broadGrants(doc lint.Node) []broadGrant {
	if doc.IsScalar() && !doc.IsIntrinsic() {
		embedded, err := doc.Embedded()
		if err != nil {
			return nil // not a policy document; CloudFormation or eksctl reject it
		}
		doc = embedded
	}
	statements := doc.Get("Statement")
	if statements.IsMap() {
		return broadGrantsOf([]lint.Node{statements}) // a single statement, not a list
	}
	return broadGrantsOf(statements.Items())
}

func broadGrantsOf(statements []lint.Node) []broadGrant {
	var out []broadGrant
	for _, s := range statements {
		if effect, ok := cfnString(s.Get("Effect")); !ok || effect != "Allow" {
			continue
		}
		if !slices.Contains(scalarsOf(s.Get("Resource")), "*") {
			continue
		}
		if na := s.Get("NotAction"); na.Exists() {
			out = append(out, broadGrant{at: na, what: `NotAction on Resource "*"`})
			continue
		}
		for _, action := range scalarsOf(s.Get("Action")) {
			if action == "*" || strings.HasSuffix(action, ":*") {
				out = append(out, broadGrant{at: s.Get("Action"), what: `Action "` + action + `" on Resource "*"`})
				break
			}
		}
	}
	return out
}

// scalarsOf lists the plain strings of a field that holds one string or a list of them (IAM's
// Action and Resource), in order.
func scalarsOf(n lint.Node) []string {
	if n.IsIntrinsic() {
		return nil // only known at deploy time
	}
	if s, ok := cfnString(n); ok {
		return []string{s}
	}
	var out []string
	for _, it := range n.Items() {
		if s, ok := cfnString(it); ok {
			out = append(out, s)
		}
	}
	return out
}

// eksctl ClusterConfig parts the access and node group rules read.

// listLen is the number of items of a list field, 0 for anything else (eksctl rejects a mapping
// where it wants a list).
func listLen(n lint.Node) int {
	if !n.IsList() {
		return 0
	}
	return n.Len()
}

// withOIDC reports whether eksctl creates the IAM OIDC provider IRSA needs (default false).
func withOIDC(o *lint.Object) bool { return o.Get("iam", "withOIDC").IsTrue() }

// eksctlAddon returns a ClusterConfig's addons[] entry called name (eksctl compares names in lower
// case); ok is false when there is none.
func eksctlAddon(p *lint.Pass, name string) (addon lint.Node, ok bool) {
	if a := addonsNamed(p, name); len(a) > 0 {
		return a[0].node, true
	}
	return lint.Node{}, false
}

// vpcCNIHasOwnIdentity reports whether an eksctl vpc-cni add-on gets AWS credentials of its own
// (IRSA or Pod Identity) instead of the node role.
func vpcCNIHasOwnIdentity(cni lint.Node) bool {
	for _, f := range []string{"serviceAccountRoleARN", "attachPolicyARNs", "attachPolicy", "wellKnownPolicies", "podIdentityAssociations"} {
		if cni.Get(f).Exists() {
			return true
		}
	}
	return cni.Get("useDefaultPodIdentityAssociations").IsTrue()
}

// templateWith writes the CloudFormation templates in rule docs.
func templateWith(resources string) string {
	return "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n" + resources
}
