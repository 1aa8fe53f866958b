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
