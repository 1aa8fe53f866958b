package rules

import (
	"fmt"
	"iter"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/ekslint/ekslint/lint"
)

// G7: Services and load balancers (Kubernetes and the AWS Load Balancer Controller). Annotation
// names and defaults are from the controller's docs (RULES.md appendix C); where the in-tree AWS
// cloud provider, which still handles Services the controller does not take, behaves differently,
// the rules say so.

// Service annotations read by the AWS Load Balancer Controller (and, for the scheme, internal and
// source-range annotations, by the in-tree cloud provider).
const (
	annScheme            = "service.beta.kubernetes.io/aws-load-balancer-scheme"
	annInternal          = "service.beta.kubernetes.io/aws-load-balancer-internal"
	annType              = "service.beta.kubernetes.io/aws-load-balancer-type"
	annSourceRanges      = "service.beta.kubernetes.io/load-balancer-source-ranges"
	annSecurityGroups    = "service.beta.kubernetes.io/aws-load-balancer-security-groups"
	annPrefixLists       = "service.beta.kubernetes.io/aws-load-balancer-security-group-prefix-lists"
	annManageBackendInSG = "service.beta.kubernetes.io/aws-load-balancer-manage-backend-security-group-rules"
	annIPAddressType     = "service.beta.kubernetes.io/aws-load-balancer-ip-address-type"

	internetFacing = "internet-facing"
)

// awsLoadBalancerClasses are the loadBalancerClass values AWS controllers reconcile: the AWS Load
// Balancer Controller's and EKS Auto Mode's. A Service with any other class is left to another
// controller, and the in-tree cloud provider ignores Services that name a class.
var awsLoadBalancerClasses = map[string]bool{"service.k8s.aws/nlb": true, "eks.amazonaws.com/nlb": true}

// awsLoadBalancer reports whether a Service is of type LoadBalancer and may be reconciled into an
// AWS load balancer.
func awsLoadBalancer(o *lint.Object) bool {
	if o.Format != lint.Kubernetes || o.Kind() != "Service" || o.Get("spec", "type").Str() != "LoadBalancer" {
		return false
	}
	class := o.Get("spec", "loadBalancerClass")
	return !class.Exists() || awsLoadBalancerClasses[class.Str()]
}

// lbScheme returns a LoadBalancer Service's scheme as its annotations set it ("internet-facing",
// "internal", or "" when neither says) and the annotation that decides. The scheme annotation wins
// over the deprecated internal one; `internal: "false"` means internet-facing to both controllers.
func lbScheme(o *lint.Object) (string, lint.Node) {
	if s := o.Annotation(annScheme); s.Exists() {
		return strings.ToLower(strings.TrimSpace(s.Str())), s
	}
	in := o.Annotation(annInternal)
	if !in.Exists() {
		return "", in
	}
	if internal, err := strconv.ParseBool(strings.TrimSpace(in.Str())); err == nil && !internal {
		return internetFacing, in
	}
	return "internal", in
}

// sourceRange is one CIDR a load balancer admits, with the field that says it.
type sourceRange struct {
	cidr string
	at   lint.Node
}

// lbSourceRanges returns the CIDRs a load balancer admits as its Service sets them:
// spec.loadBalancerSourceRanges when it is not empty, else the source-ranges annotation (a comma
// separated list), as Kubernetes' GetLoadBalancerSourceRanges reads them. None means the default,
// 0.0.0.0/0.
func lbSourceRanges(o *lint.Object) []sourceRange {
	var out []sourceRange
	for _, it := range o.Get("spec", "loadBalancerSourceRanges").Items() {
		if cidr := strings.TrimSpace(it.Str()); cidr != "" {
			out = append(out, sourceRange{cidr, it})
		}
	}
	if len(out) > 0 {
		return out
	}
	ann := o.Annotation(annSourceRanges)
	for _, cidr := range strings.Split(ann.Str(), ",") {
		if cidr = strings.TrimSpace(cidr); cidr != "" {
			out = append(out, sourceRange{cidr, ann})
		}
	}
	return out
}

// annotationSet reports whether an annotation holds a non-blank value.
func annotationSet(o *lint.Object, key string) bool {
	return strings.TrimSpace(o.Annotation(key).Str()) != ""
}

// worldRange names the default a load balancer without source ranges admits.
func worldRange(o *lint.Object) string {
	if strings.EqualFold(strings.TrimSpace(o.Annotation(annIPAddressType).Str()), "dualstack") {
		return "0.0.0.0/0 and ::/0"
	}
	return "0.0.0.0/0"
}

var LBInternetFacingUnrestricted = &lint.Rule{
	ID:        "k8s-lb-internet-facing-unrestricted",
	Level:     lint.Error,
	DefaultOn: true,
	Title:     "Internet-facing load balancer admits the whole internet",
	Inputs:    lint.ServiceInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{eksGuideRouteTCPUDPTrafficNetwork, lbcLoadBalancerSourceRanges, lbcAwsLoadBalancerScheme},
	Rationale: "An internet-facing NLB for a Service that sets neither source ranges nor its own security groups " +
		"admits 0.0.0.0/0 (and ::/0 when dualstack): the AWS Load Balancer Controller opens its security group, or " +
		"the node security group for instance targets, to everyone. EKS Best Practices: restrict load balancer " +
		"sources with security groups or `loadBalancerSourceRanges`.",
	Fix: "Set `spec.loadBalancerSourceRanges` to the CIDRs of the clients, or give the load balancer security " +
		"groups (`service.beta.kubernetes.io/aws-load-balancer-security-groups`) or prefix lists that admit only them; " +
		"make it `internal` if only the VPC needs it.",
	Example: lint.Example{
		Bad:  loadBalancerService("    "+annScheme+": internet-facing\n", ""),
		Good: loadBalancerService("    "+annScheme+": internet-facing\n", "  loadBalancerSourceRanges:\n    - 203.0.113.0/24\n"),
	},
	Equivalents: []string{"kube-linter exposed-services"},
	Notes: "Only an explicit internet-facing scheme (`aws-load-balancer-scheme: internet-facing`, or the deprecated " +
		"`aws-load-balancer-internal: \"false\"`) is reported; a Service that sets no scheme is " +
		"k8s-lb-scheme-unspecified's business. Services with a `loadBalancerClass` that is not an AWS one are left " +
		"to their controller. kube-linter exposed-services (off by default) flags every LoadBalancer and NodePort " +
		"Service by type alone.",
	Check: func(p *lint.Pass) {
		o := p.Object
		if !awsLoadBalancer(o) {
			return
		}
		scheme, at := lbScheme(o)
		if scheme != internetFacing || len(lbSourceRanges(o)) > 0 || annotationSet(o, annSecurityGroups) || annotationSet(o, annPrefixLists) {
			return
		}
		p.Report(at, "%s is an internet-facing load balancer with no source ranges or security groups, so it admits %s; "+
			"set spec.loadBalancerSourceRanges to the clients' CIDRs", describeObject(o), worldRange(o))
	},
}

var LBSourceRangeWorld = &lint.Rule{
	ID:      "k8s-lb-source-range-world",
	Level:   lint.Warning,
	Title:   "Load balancer source ranges include the whole internet",
	Inputs:  lint.ServiceInput,
	Tags:    []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources: []lint.Source{lbcLoadBalancerSourceRanges, k8sRestrictAccessForLoadBalancerService},
	Rationale: "A source range of 0.0.0.0/0 or ::/0 on an internet-facing load balancer admits everyone, which is " +
		"what the ranges exist to prevent; it is often left over from testing. EKS Best Practices: restrict load " +
		"balancer sources.",
	Fix: "Replace 0.0.0.0/0 and ::/0 with the CIDRs of the clients, or remove the ranges and say in a comment that the " +
		"service is public on purpose.",
	Example: lint.Example{
		Bad:  loadBalancerService("    "+annScheme+": internet-facing\n", "  loadBalancerSourceRanges:\n    - 0.0.0.0/0\n"),
		Good: loadBalancerService("    "+annScheme+": internet-facing\n", "  loadBalancerSourceRanges:\n    - 203.0.113.0/24\n"),
	},
	Notes: "Reads the ranges Kubernetes applies: `spec.loadBalancerSourceRanges` when set, else the " +
		"`service.beta.kubernetes.io/load-balancer-source-ranges` annotation. Skipped when " +
		"`aws-load-balancer-security-groups` is set, because the controller then ignores source ranges.",
	Check: func(p *lint.Pass) {
		o := p.Object
		if !awsLoadBalancer(o) || annotationSet(o, annSecurityGroups) {
			return
		}
		if scheme, _ := lbScheme(o); scheme != internetFacing {
			return
		}
		for _, r := range lbSourceRanges(o) {
			if isWorld(r.cidr) {
				p.Report(r.at, "source range %s on internet-facing %s admits the whole internet; list the clients' CIDRs instead",
					r.cidr, describeObject(o))
			}
		}
	},
}

var LBSchemeUnspecified = &lint.Rule{
	ID:      "k8s-lb-scheme-unspecified",
	Level:   lint.Note,
	Title:   "LoadBalancer Service does not say whether it is internet-facing",
	Inputs:  lint.ServiceInput,
	Tags:    []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources: []lint.Source{eksGuideRouteTCPUDPTrafficNetwork, lbcAwsLoadBalancerScheme, lbcAwsLoadBalancerInternalDeprecated},
	Rationale: "Without `aws-load-balancer-scheme`, whether a Service's load balancer is reachable from the internet " +
		"depends on which controller reconciles it: the AWS Load Balancer Controller makes it internal, the in-tree " +
		"AWS cloud provider (which handles Services the controller does not take, such as " +
		"`aws-load-balancer-type: nlb`) makes it internet-facing. The same manifest can be private on one cluster " +
		"and public on the next.",
	Fix: "Set `service.beta.kubernetes.io/aws-load-balancer-scheme` to `internal` or `internet-facing`.",
	Example: lint.Example{
		Bad:  loadBalancerService("    "+annType+": nlb\n", ""),
		Good: loadBalancerService("    "+annType+": external\n    "+annScheme+": internal\n", ""),
	},
	Notes: "Not reported when the Service names the AWS Load Balancer Controller (`loadBalancerClass: " +
		"service.k8s.aws/nlb`, or `aws-load-balancer-type: external` or `nlb-ip`), whose documented default is " +
		"internal. The in-tree provider's default (internet-facing unless `aws-load-balancer-internal` is set to " +
		"anything but \"false\") was read in its source, legacy-cloud-providers/aws.",
	Check: func(p *lint.Pass) {
		o := p.Object
		if !awsLoadBalancer(o) {
			return
		}
		if scheme, _ := lbScheme(o); scheme != "" {
			return
		}
		if o.Get("spec", "loadBalancerClass").Str() == "service.k8s.aws/nlb" {
			return
		}
		switch strings.TrimSpace(o.Annotation(annType).Str()) {
		case "external", "nlb-ip":
			return
		}
		p.Report(o.Annotation(annScheme), "%s of type LoadBalancer sets no %s, so it is internal under the AWS Load "+
			"Balancer Controller but internet-facing under the in-tree cloud provider; set the scheme", describeObject(o), annScheme)
	},
}

var LBCustomSGWithoutBackendRules = &lint.Rule{
	ID:      "k8s-lb-custom-sg-without-backend-rules",
	Level:   lint.Note,
	Title:   "Load balancer security groups given, backend rules not managed",
	Inputs:  lint.ServiceInput,
	Tags:    []lint.Tag{lint.TagReliability, lint.TagEKS},
	Sources: []lint.Source{lbcAwsLoadBalancerSecurityGroups, lbcManageBackendSecurityGroupRules, lbcSecurityGroupsLoadBalancers},
	Rationale: "When a Service names its own load balancer security groups, the AWS Load Balancer Controller stops " +
		"adding the rules that let the load balancer reach the nodes or pods (`manage-backend-security-group-rules` " +
		"defaults to false then). Unless someone adds them by hand, health checks fail and the Service gets no " +
		"traffic.",
	Fix: "Set `service.beta.kubernetes.io/aws-load-balancer-manage-backend-security-group-rules: \"true\"`, or add " +
		"ingress rules from the load balancer's security groups to the node or pod security groups yourself.",
	Example: lint.Example{
		Bad: loadBalancerService("    "+annScheme+": internal\n    "+annSecurityGroups+": sg-0123456789abcdef0\n", ""),
		Good: loadBalancerService("    "+annScheme+": internal\n    "+annSecurityGroups+": sg-0123456789abcdef0\n"+
			"    "+annManageBackendInSG+": \"true\"\n", ""),
	},
	Check: func(p *lint.Pass) {
		o := p.Object
		if !awsLoadBalancer(o) || !annotationSet(o, annSecurityGroups) {
			return
		}
		if manage, err := strconv.ParseBool(strings.TrimSpace(o.Annotation(annManageBackendInSG).Str())); err == nil && manage {
			return
		}
		p.Report(o.Annotation(annSecurityGroups), "%s sets its own load balancer security groups, so the controller no "+
			"longer opens the node or pod security groups to the load balancer; set %s: \"true\" or add those rules yourself",
			describeObject(o), annManageBackendInSG)
	},
}

// Ingress annotations of the AWS Load Balancer Controller.
const (
	annALBScheme         = "alb.ingress.kubernetes.io/scheme"
	annALBInboundCIDRs   = "alb.ingress.kubernetes.io/inbound-cidrs"
	annALBSecurityGroups = "alb.ingress.kubernetes.io/security-groups"
	annALBGroup          = "alb.ingress.kubernetes.io/group.name"
	annALBAuthType       = "alb.ingress.kubernetes.io/auth-type"
	annALBAuthOnUnauth   = "alb.ingress.kubernetes.io/auth-on-unauthenticated-request"
)

var ALBInternetFacingUnrestricted = &lint.Rule{
	ID:        "k8s-alb-internet-facing-unrestricted",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Internet-facing ALB admits the whole internet",
	Inputs:    lint.ServiceInput | lint.NamespaceInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{eksGuideRouteApplicationHTTPTrafficApplication, lbcScheme, lbcInboundCidrs},
	Rationale: "An internet-facing ALB whose Ingress sets neither `inbound-cidrs` nor its own security groups admits " +
		"0.0.0.0/0 and ::/0 on every listener. That is right for a public website and wrong for an admin UI, an " +
		"internal API or a preview environment. EKS Best Practices: restrict load balancer sources.",
	Fix: "Set `alb.ingress.kubernetes.io/inbound-cidrs` to the clients' CIDRs (or security groups with " +
		"`alb.ingress.kubernetes.io/security-groups`), or use `scheme: internal`; for a public site, suppress the " +
		"finding with a reason.",
	Example: lint.Example{
		Bad:  albIngress("    " + annALBScheme + ": internet-facing\n"),
		Good: albIngress("    " + annALBScheme + ": internet-facing\n    " + annALBInboundCIDRs + ": 203.0.113.0/24\n"),
	},
	Notes: "The load balancer is what matters: Ingresses sharing an IngressGroup (`group.name`) share one ALB, and " +
		"`inbound-cidrs`, `security-groups` and `scheme` set on any of them apply to all, so an Ingress is reported " +
		"only when no member of its group restricts sources. IngressClassParams in the input are read too: their " +
		"`scheme` overrides the annotation and their `inboundCIDRs` restrict every Ingress of the class. An Ingress " +
		"whose rules the ALB authenticates (`auth-type: cognito` or `oidc`, unauthenticated requests not allowed) is " +
		"published to users wherever they are, and not reported; the other Ingresses of its group still are." + perDeployment,
	Set: lint.Gather(collectALB, func(items []albItem, s *lint.SetPass) {
		restrictedGroups := map[string]bool{}
		classParams := map[string]string{} // IngressClass → IngressClassParams name
		params := map[string]*albClassParams{}
		for _, it := range items {
			switch {
			case it.ingress != nil && it.ingress.restricted:
				restrictedGroups[it.ingress.group] = true
			case it.class != nil:
				classParams[it.class.name] = it.class.params
			case it.params != nil:
				params[it.params.name] = it.params
			}
		}
		for _, it := range items {
			ing := it.ingress
			if ing == nil {
				continue
			}
			scheme, at, how := ing.scheme, ing.schemeAt, annALBScheme+": "+ing.scheme
			p := params[classParams[ing.class]]
			if p != nil && p.scheme != "" {
				scheme, at = p.scheme, ing.classAt
				how = fmt.Sprintf("IngressClassParams %q sets scheme: %s", p.name, p.scheme)
			}
			if scheme != internetFacing || ing.authenticated || restrictedGroups[ing.group] || p != nil && p.restricted {
				continue
			}
			s.Report(at, "Ingress %s makes an internet-facing ALB (%s) with no inbound-cidrs or security-groups, so it admits "+
				"0.0.0.0/0 and ::/0; set %s to the clients' CIDRs", lint.QuoteName(ing.name), how, annALBInboundCIDRs)
		}
	}),
}

// albItem is what the ALB rule keeps: an Ingress, an IngressClass naming its parameters, or the
// AWS Load Balancer Controller's IngressClassParams.
type albItem struct {
	ingress *albIngressItem
	class   *albClass
	params  *albClassParams
}

type albIngressItem struct {
	name       string
	group      string // the IngressGroup: explicit group.name, else the Ingress alone
	class      string
	scheme     string
	schemeAt   lint.Place
	classAt    lint.Place
	restricted bool // sets inbound-cidrs or security-groups
	// authenticated says the ALB authenticates every request to the Ingress's rules (Cognito or
	// OIDC, unauthenticated requests not allowed): it is published to users, wherever they are.
	authenticated bool
}

type albClass struct{ name, params string }

type albClassParams struct {
	name       string
	scheme     string
	restricted bool
}

func collectALB(p *lint.Pass) (albItem, bool) {
	o := p.Object
	if o.Format != lint.Kubernetes {
		return albItem{}, false
	}
	switch o.Kind() {
	case "Ingress":
		ing := &albIngressItem{name: o.Name(), group: "ingress " + o.Namespace() + "/" + o.Name()}
		if g := strings.TrimSpace(o.Annotation(annALBGroup).Str()); g != "" {
			ing.group = "group " + g // IngressGroups span namespaces
		}
		class := o.Get("spec", "ingressClassName")
		if !class.Exists() {
			class = o.Annotation("kubernetes.io/ingress.class")
		}
		ing.class, ing.classAt = class.Str(), class.Place()
		scheme := o.Annotation(annALBScheme)
		ing.scheme, ing.schemeAt = strings.ToLower(strings.TrimSpace(scheme.Str())), scheme.Place()
		ing.restricted = annotationSet(o, annALBInboundCIDRs) || annotationSet(o, annALBSecurityGroups)
		auth := strings.ToLower(strings.TrimSpace(o.Annotation(annALBAuthType).Str()))
		ing.authenticated = (auth == "cognito" || auth == "oidc") &&
			!strings.EqualFold(strings.TrimSpace(o.Annotation(annALBAuthOnUnauth).Str()), "allow")
		return albItem{ingress: ing}, true
	case "IngressClass":
		if ref := o.Get("spec", "parameters"); ref.Get("kind").Str() == "IngressClassParams" {
			return albItem{class: &albClass{name: o.Name(), params: ref.Get("name").Str()}}, true
		}
	case "IngressClassParams":
		if strings.HasPrefix(o.ID.APIVersion, "elbv2.k8s.aws/") {
			return albItem{params: &albClassParams{
				name:       o.Name(),
				scheme:     strings.ToLower(o.Get("spec", "scheme").Str()),
				restricted: o.Get("spec", "inboundCIDRs").Len() > 0,
			}}, true
		}
	}
	return albItem{}, false
}

var ServiceSelectsNoPods = &lint.Rule{
	ID:        "k8s-service-selects-no-pods",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Service selects no pods",
	Inputs:    lint.NamespaceInput,
	Tags:      []lint.Tag{lint.TagReliability, lint.TagKubernetes},
	Sources:   []lint.Source{k8sService},
	Rationale: "A Service routes to the pods its selector matches in its own namespace. A selector that matches no " +
		"pod template (a typo, a renamed label, a chart value that changed one side only) gives a Service with no " +
		"endpoints: clients get connection refused, and a load balancer in front of it fails its health checks.",
	Fix: "Make `spec.selector` match the pod template labels of the workload it fronts, in the same namespace.",
	Example: lint.Example{
		Bad:  deployment("", "") + "---\n" + strings.Replace(clusterIPService, "app: web", "app: website", 1),
		Good: deployment("", "") + "---\n" + clusterIPService,
	},
	Equivalents: []string{"kube-linter dangling-service", "kube-score service-targets-pod"},
	Notes: "The finding lands on the one selector entry that no pod template of the namespace carries (the " +
		"patch's line when a Kustomize patch set it), else on the selector (several entries are wrong, or each is " +
		"carried but by different pods). Only Services whose pods ekslint can see are judged. Not reported: a chart's " +
		"Service when a template of the chart that writes a pod spec renders none with the values given (a Deployment " +
		"behind a value that is empty by default: Bitnami's Ghost renders its Deployment only once a host name is " +
		"set, its Service always), since its pods may be the ones left out; a Service in a namespace where its " +
		"own deployment (its chart or overlay; for a raw Service, the raw manifests of its folder, of the folders in it " +
		"and of those above it, since a repository's raw files are not all applied together) has no workload, since its " +
		"workload comes from elsewhere (raw manifests that every deployment sees do not count, but their pods may " +
		"still be the ones a Service with workloads of its own selects); a Service whose selector names a " +
		"custom resource of its namespace (a label value equal to the name of an object of an API group Kubernetes " +
		"does not serve itself, to its namespace and name joined by a dot, or to its name and the last word of its " +
		"kind joined by a dash), since operators label the pods they make for a resource after it (the " +
		"Prometheus Operator's `prometheus` and `alertmanager` labels on the pods of kube-prometheus-stack's " +
		"Prometheus and Alertmanager, Strimzi's `strimzi.io/cluster`, CloudNativePG's `cnpg.io/cluster`, the " +
		"OpenTelemetry Operator's `obs.otel` and `otel-collector` for the OpenTelemetryCollector otel); and any " +
		"Service in kube-system, where EKS runs its add-ons (CoreDNS, kube-proxy, the VPC CNI) outside any manifest, " +
		"so Services that charts add for them there select pods no input shows. Skipping every namespace that holds " +
		"a custom resource would also skip most application namespaces, which hold ServiceMonitors, Certificates or " +
		"ExternalSecrets, so only a resource the selector names counts. Pod " +
		"templates of custom kinds that keep one at `spec.template` count as pods. Services without a selector " +
		"(hand-made EndpointSlices) and ExternalName Services are skipped; kube-linter dangling-service reports a " +
		"missing selector, and kube-score service-targets-pod passes an empty one. Namespaces are effective ones " +
		"(Helm release, Kustomize namespace), where kube-linter and kube-score compare metadata.namespace as written. " +
		"Services alike but for the value of one label that no pod template carries, while the rest of their selector " +
		"selects pods, are one per role of an application that labels its own pods (Vault's `vault-active`, " +
		"Patroni's `spilo-role`) and are not reported, nor is one whose selector adds such a label with a value naming " +
		"a role (`\"true\"`, `leader`, `primary`, `active`...) to another Service's (Bitnami's Vault: vault-server and " +
		"vault-server-active, no standby); a lone Service selecting such a label is. Nor is a Service " +
		"whose selector is one label of a vendor's domain that no pod template of its namespace carries, with the " +
		"Service's own name as value: an operator labels the pods it picks for that Service at run time (Longhorn's " +
		"`longhorn.io/admission-webhook: longhorn-admission-webhook`). Nor is a Service whose selector names pods and adds " +
		"one label saying leader (`operator: leader`, `role: leader`) that no pod template carries: leader election " +
		"puts it on the pod that wins (MinIO's operator). Nor is a selector holding a templating step's placeholder " +
		"(`gamepod: $POD_NAME`), which selects what the step fills in." + controllerLabels + perDeployment,
	Set: selecting.Gather(func(items []selectingItem, s *lint.SetPass) {
		// withPods are the namespaces where the deployment has workloads of its own. A Service whose
		// own deployment has none gets its pods from elsewhere, even when raw manifests visible to
		// every deployment put workloads there. rawPods are the folders of the raw manifests'
		// workloads, by namespace: a raw Service is judged by the raw workloads of its own folder,
		// the folders in it and those above it, since a repository's raw files are not all applied
		// together (a test fixture's Job says nothing of an OLM bundle's Services).
		withPods := map[string]bool{}
		rawPods := map[string]rawFolders{}
		crs := customResources{}
		pods := lint.NewLabelIndex[*podTemplateItem]()
		var services []*selectingService
		for _, it := range items {
			switch {
			case it.service != nil:
				services = append(services, it.service)
			case it.pods != nil && it.shared:
				if rawPods[it.pods.namespace] == nil {
					rawPods[it.pods.namespace] = rawFolders{}
				}
				rawPods[it.pods.namespace].add(it.dir)
				pods.Add(it.pods.namespace, it.pods.labels, it.pods)
			case it.pods != nil:
				withPods[it.pods.namespace] = true
				pods.Add(it.pods.namespace, it.pods.labels, it.pods)
			case it.customResource != nil:
				crs.add(it.customResource.namespace, it.customResource.name, it.customResource.kind)
			}
		}
		judged := func(svc *selectingService, it selectingItem) bool {
			if !it.shared {
				return withPods[svc.namespace]
			}
			return rawPods[svc.namespace].nested(it.dir)
		}
		// A raw Service is judged with the raw manifests alone, not again beside each chart or
		// overlay, where other pods would place the finding on another line.
		ownOnly := slices.ContainsFunc(items, func(it selectingItem) bool { return !it.shared })
		for _, it := range items {
			svc := it.service
			if svc == nil || it.shared && ownOnly || svc.namespace == "kube-system" || svc.podsLeftOut || !judged(svc, it) ||
				crs.names(svc.selector, svc.namespace) || templated(svc.selector) {
				continue
			}
			sel := lint.SelectorFromLabels(svc.selector)
			required := templatePairs(sel)
			selects := func(labels lint.Labels, pods *podTemplateItem) bool { return selectsPods(sel, labels, pods.controller) }
			if _, found := firstOf(pods.Search(svc.namespace, required, selects)); found || labelledAtRuntime(svc, services, pods) || labelledForItself(svc, pods) || selectsLeader(svc, pods) {
				continue
			}
			// None in its namespace, so any match is elsewhere.
			elsewhere, _ := firstOf(pods.Search(lint.AnyNamespace, required, selects))
			hint := "fix the selector or the pod labels"
			if elsewhere != nil {
				hint = fmt.Sprintf("%s in namespace %s has these labels, but a Service only selects pods of its own namespace",
					describeRef(elsewhere.object), elsewhere.namespace)
			}
			s.Report(blamedEntry(svc, pods), "Service %s selects %s, which matches no pod template in namespace %s; %s",
				lint.QuoteName(svc.name), svc.selector.String(), svc.namespace, hint)
		}
	}),
}

// templated reports whether a selector holds a placeholder a templating step fills in
// (`gamepod: $POD_NAME`): what it selects is only known once the step has run.
func templated(selector lint.Labels) bool {
	for k, v := range selector.All() {
		if lint.HasPlaceholder(k) || lint.HasPlaceholder(v) {
			return true
		}
	}
	return false
}

// customResources are the custom resources of an input, by namespace and name, each with its
// kind in lower case: operators label the pods they make for one after it (see names).
type customResources map[objectName]string

func (c customResources) add(namespace, name, kind string) {
	c[objectName{namespace, name}] = strings.ToLower(kind)
}

// names reports whether a selector's labels name a custom resource of namespace: a label value
// that is its name (the Prometheus Operator's `prometheus: k8s`, Strimzi's `strimzi.io/cluster`),
// its namespace and name (the OpenTelemetry Operator's `app.kubernetes.io/instance: obs.otel`), or
// its name and the last word of its kind (`otel-collector` for an OpenTelemetryCollector,
// Strimzi's `my-cluster-kafka`). Operators label the pods they make for a resource so, and the
// input shows no pod template of them.
func (c customResources) names(selector lint.Labels, namespace string) bool {
	for _, v := range selector.All() {
		if _, ok := c[objectName{namespace, v}]; ok {
			return true
		}
		if name, ok := strings.CutPrefix(v, namespace+"."); ok {
			if _, ok := c[objectName{namespace, name}]; ok {
				return true
			}
		}
		for i := strings.IndexByte(v, '-'); i > 0; i = next(v, i) {
			if kind, ok := c[objectName{namespace, v[:i]}]; ok && len(v)-i > 3 && strings.HasSuffix(kind, v[i+1:]) {
				return true
			}
		}
	}
	return false
}

// next is the index of the next '-' in v after i, or -1.
func next(v string, i int) int {
	if j := strings.IndexByte(v[i+1:], '-'); j >= 0 {
		return i + 1 + j
	}
	return -1
}

// labelledAtRuntime reports whether svc is one of a set of Services of its namespace whose
// selectors differ only by one key that the pod templates do not carry (roleKey), while the
// rest of the selector selects pods: the application labels its own pods by role, and each Service
// reaches one role (Vault's vault-active "true" and "false", Patroni's spilo-role master and
// replica). A lone Service selecting a label no template has is still reported: it may be a typo.
func labelledAtRuntime(svc *selectingService, services []*selectingService, pods *lint.LabelIndex[*podTemplateItem]) bool {
	for _, other := range services {
		if other == svc || other.namespace != svc.namespace {
			continue
		}
		key, ok := roleKey(svc.selector, other.selector)
		if !ok || controllerLabelKeys[key] {
			continue // a controller's label says which pod, and selectsPods knows its values
		}
		if selectsWithout(svc, key, pods) {
			return true
		}
	}
	return false
}

// selectsWithout reports whether the selector of svc, key left out, selects pod templates of its
// namespace that do not carry key: the pods that get key at run time.
func selectsWithout(svc *selectingService, key string, pods *lint.LabelIndex[*podTemplateItem]) bool {
	rest := map[string]string{}
	for k, v := range svc.selector.All() {
		if k != key {
			rest[k] = v
		}
	}
	sel := lint.SelectorFromLabels(lint.LabelsOf(rest))
	selects := func(labels lint.Labels, p *podTemplateItem) bool {
		_, carried := labels.Get(key)
		return !carried && selectsPods(sel, labels, p.controller)
	}
	_, found := firstOf(pods.Search(svc.namespace, templatePairs(sel), selects))
	return found
}

// labelledForItself reports whether svc selects pods by one label of its own: a key of a
// vendor's domain that no pod template of its namespace carries, with the Service's own name as its
// value. An operator puts such a label on the pods it picks to serve that Service, at run time
// (Longhorn's manager labels itself longhorn.io/admission-webhook: longhorn-admission-webhook once
// that server is up). A typo'd selector names the labels the templates use, which they carry.
func labelledForItself(svc *selectingService, pods *lint.LabelIndex[*podTemplateItem]) bool {
	if svc.selector.Len() != 1 {
		return false
	}
	for key, value := range svc.selector.All() {
		domain, _, prefixed := strings.Cut(key, "/")
		if !prefixed || value != svc.name || strings.HasSuffix(domain, "kubernetes.io") || strings.HasSuffix(domain, "k8s.io") {
			return false
		}
		carries := func(labels lint.Labels, _ *podTemplateItem) bool { _, ok := labels.Get(key); return ok }
		_, carried := firstOf(pods.Search(svc.namespace, lint.Labels{}, carries))
		return !carried
	}
	return false
}

// rawFolders are the folders of raw workloads (true) and the folders above them (false), so that
// whether a folder holds one of them, or is in one, takes a lookup per folder above it rather
// than a look at every raw workload's folder for each raw Service.
type rawFolders map[string]bool

func (f rawFolders) add(dir string) {
	f[dir] = true
	for d := dir; d != "." && d != "/"; {
		d = path.Dir(d)
		if _, seen := f[d]; seen {
			return
		}
		f[d] = false
	}
}

// nested reports whether dir holds the folder of a raw workload, or is one or in one.
func (f rawFolders) nested(dir string) bool {
	if _, ok := f[dir]; ok {
		return true
	}
	for d := dir; d != "." && d != "/"; {
		d = path.Dir(d)
		if f[d] {
			return true
		}
	}
	return false
}

// selectsLeader reports whether svc reaches the leader of its pods: its selector names them, and
// adds one label that says leader (`operator: leader`, `role: leader`), which no pod template
// carries and leader election puts on the pod that wins it (MinIO's operator).
func selectsLeader(svc *selectingService, pods *lint.LabelIndex[*podTemplateItem]) bool {
	leader := ""
	for k, v := range svc.selector.All() {
		_, name, _ := strings.Cut(k, "/")
		if strings.EqualFold(v, "leader") || strings.EqualFold(name, "leader") || strings.EqualFold(k, "leader") {
			if leader != "" {
				return false
			}
			leader = k
		}
	}
	return leader != "" && selectsWithout(svc, leader, pods)
}

// roleKey returns the key by which selector a differs from b, when that is all they differ by:
// the value of one key both have (Vault's vault-active "true" and "false"), or one key a adds to
// b with a value that names a role (Vault's active Service, `vault-active: "true"`, beside the
// Service of all its servers). A key added with another value (`component: ui`) is more likely
// a label the pod templates lack by mistake.
func roleKey(a, b lint.Labels) (string, bool) {
	if a.Len() != b.Len() && a.Len() != b.Len()+1 {
		return "", false
	}
	differs := ""
	for k, v := range a.All() {
		w, ok := b.Get(k)
		switch {
		case w == v && ok:
		case differs != "" || !ok && (a.Len() == b.Len() || !roleValues[strings.ToLower(v)]):
			return "", false
		default:
			differs = k
		}
	}
	return differs, differs != ""
}

// roleValues are the values of the labels applications put on the pod that holds a role.
var roleValues = map[string]bool{"true": true, "false": true, "active": true, "standby": true, "leader": true,
	"follower": true, "master": true, "primary": true, "replica": true, "secondary": true}

// blamedEntry is where a finding about a Service that selects no pods lands: the one selector entry
// that no pod of its namespace carries, which is the line a person changed (the patch's line when
// a Kustomize patch set the value), else the selector.
func blamedEntry(svc *selectingService, pods *lint.LabelIndex[*podTemplateItem]) lint.Place {
	var blamed *selectorEntry
	for i, e := range svc.entries {
		sel := lint.SelectorFromLabels(lint.LabelsOf(map[string]string{e.key: e.value}))
		selects := func(labels lint.Labels, pods *podTemplateItem) bool { return selectsPods(sel, labels, pods.controller) }
		if _, carried := firstOf(pods.Search(svc.namespace, templatePairs(sel), selects)); carried {
			continue
		}
		if blamed != nil {
			return svc.at // more than one is wrong
		}
		blamed = &svc.entries[i]
	}
	if blamed == nil {
		return svc.at // each is carried, by different pods
	}
	return blamed.at
}

// firstOf returns the first value of seq.
func firstOf[T any](seq iter.Seq[T]) (T, bool) {
	for v := range seq {
		return v, true
	}
	var zero T
	return zero, false
}

// selectingItem is a Service with a selector, the pod template of a workload, or a custom resource,
// whose operator may make pods the input does not show.
type selectingItem struct {
	service        *selectingService
	pods           *podTemplateItem
	customResource *customResource
	shared         bool   // from the raw manifests (lint.Pass.Shared)
	dir            string // the folder of a raw object's file (folderOf)
}

// objectName names a namespaced object.
type objectName struct{ namespace, name string }

// customResource is an object of a kind Kubernetes does not serve itself.
type customResource struct {
	objectName
	kind string
}

type selectingService struct {
	namespace, name string
	selector        lint.Labels
	at              lint.Place
	// entries are the selector's entries with their places; only k8s-service-selects-no-pods,
	// which blames one, keeps them.
	entries []selectorEntry
	// targetPorts are the pod ports the Service sends traffic to: each port's targetPort, by number
	// or name, else its port.
	targetPorts []string
	// podsLeftOut is set when the Service's input left out pod specs it writes
	// (lint.Document.PodsLeftOut): its pods may be among them.
	podsLeftOut bool
}

// selectorEntry is one key: value of a Service's selector.
type selectorEntry struct {
	key, value string
	at         lint.Place
}

type podTemplateItem struct {
	namespace  string
	object     *lint.ObjectRef // named in messages (describeRef)
	labels     lint.Labels
	controller podController
}

// selecting is the collect step of k8s-service-selects-no-pods. A Service is judged by the pod
// templates and custom resources of its own namespace; when none there matches, its finding names
// one of another namespace that does, so a deployment's check reads beside its own items the raw
// manifests' pod templates that may match one of its Services, wherever they are: those that
// carry a pair a template must carry to match (templatePairs; every pod template when a Service's
// selector holds only pairs that controllers add).
var selecting = lint.Collect(collectSelecting).ByNamespace(func(it selectingItem) (string, bool) {
	switch {
	case it.service != nil:
		return it.service.namespace, false
	case it.pods != nil:
		return it.pods.namespace, false
	}
	return it.customResource.namespace, false
}).AlsoElsewhere(func(own []selectingItem) func(selectingItem) bool {
	type pair struct{ key, value string }
	carried := map[pair]bool{} // one pair each Service's matches carry
	for _, it := range own {
		if it.service == nil {
			continue
		}
		required := templatePairs(lint.SelectorFromLabels(it.service.selector))
		if required.Len() == 0 {
			return func(it selectingItem) bool { return it.pods != nil }
		}
		for k, v := range required.All() {
			carried[pair{k, v}] = true
			break
		}
	}
	return func(it selectingItem) bool {
		if it.pods == nil || len(carried) == 0 {
			return false
		}
		for k, v := range it.pods.labels.All() {
			if carried[pair{k, v}] {
				return true
			}
		}
		return false
	}
})

func collectSelecting(p *lint.Pass) (selectingItem, bool) {
	o := p.Object
	if o.Format != lint.Kubernetes {
		return selectingItem{}, false
	}
	if o.Kind() == "Service" {
		svc, ok := selectingServiceOf(o)
		if ok {
			for _, e := range o.Get("spec", "selector").Entries() {
				if v, set := svc.selector.Get(e.Key()); set && v == e.Str() {
					svc.entries = append(svc.entries, selectorEntry{e.Key(), v, e.Place()})
				}
			}
		}
		return selectingItem{service: svc, shared: p.Shared, dir: folderOf(o)}, ok
	}
	template, ok := podOwnerTemplate(o)
	if !ok {
		if o.IsCustomResource() {
			return selectingItem{customResource: &customResource{objectName{o.Namespace(), o.Name()}, o.Kind()}, shared: p.Shared}, true
		}
		return selectingItem{}, false
	}
	return selectingItem{shared: p.Shared, dir: folderOf(o), pods: &podTemplateItem{namespace: o.Namespace(), object: o.Ref(),
		labels: template.Get("metadata", "labels").Labels(), controller: podControllerOf(o)}}, true
}

// folderOf is the folder of the file a raw object was read from, "." when it has none.
func folderOf(o *lint.Object) string {
	if d := o.Document(); d != nil && d.Text != nil {
		return path.Dir(d.Text.Name)
	}
	return "."
}

// selectingServiceOf returns a Service that routes to the pods its selector matches: not an
// ExternalName Service, nor one without a selector (its endpoints are made by hand).
func selectingServiceOf(o *lint.Object) (*selectingService, bool) {
	if o.Format != lint.Kubernetes || o.Kind() != "Service" {
		return nil, false
	}
	sel := o.Get("spec", "selector")
	if o.Get("spec", "type").Str() == "ExternalName" || sel.Len() == 0 {
		return nil, false
	}
	svc := &selectingService{namespace: o.Namespace(), name: o.Name(), selector: sel.Labels(), at: sel.Place(),
		podsLeftOut: o.Document() != nil && o.Document().PodsLeftOut}
	for _, port := range o.Get("spec", "ports").Items() {
		target := port.Get("targetPort")
		if !target.Exists() {
			target = port.Get("port")
		}
		if t := target.Str(); t != "" {
			svc.targetPorts = append(svc.targetPorts, t)
		}
	}
	return svc, true
}

// loadBalancerService writes the Service examples in rule docs: annotations under
// metadata.annotations, specExtra at the end of the spec.
func loadBalancerService(annotations, specExtra string) string {
	return `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  annotations:
` + annotations + `spec:
  type: LoadBalancer
  selector:
    app: web
  ports:
    - port: 443
      targetPort: 8443
` + specExtra
}

// albIngress writes the Ingress examples in rule docs, with annotations under metadata.annotations.
func albIngress(annotations string) string {
	return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
  annotations:
` + annotations + `spec:
  ingressClassName: alb
  rules:
    - http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80
`
}

// clusterIPService fronts the example deployment().
const clusterIPService = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
`

// services are the G7 rules in catalogue order.
var services = []*lint.Rule{
	LBInternetFacingUnrestricted,
	LBSourceRangeWorld,
	LBSchemeUnspecified,
	LBCustomSGWithoutBackendRules,
	ALBInternetFacingUnrestricted,
	ServiceSelectsNoPods,
}
