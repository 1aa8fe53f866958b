package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/ekslint/ekslint/lint"
)

// G6: namespace-wide network policy (Kubernetes).
//
// The four rules are set rules over the same items: what each workload, Namespace and
// NetworkPolicy of the run says about its namespace's isolation. Items are grouped by effective
// namespace (metadata.namespace, else the input's default namespace, else "default"), pooling
// every input and variant of the run: a namespace is what gets deployed into it.
//
// A finding about a namespace as a whole lands on its Namespace object's metadata.name when the
// input declares one, else on the metadata.name of the first workload in the namespace that
// NetworkPolicy governs (in input order). A finding caused by one policy lands on that policy.

var NamespaceWithoutNetworkPolicy = &lint.Rule{
	ID:        "k8s-namespace-without-networkpolicy",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Namespace runs workloads but has no NetworkPolicy",
	Inputs:    lint.NamespaceInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS, lint.TagKubernetes},
	Sources:   []lint.Source{bpgNetworkPolicy, eksGuideLimitPodTrafficKubernetesNetwork, k8sNetworkPolicies},
	Rationale: "A pod that no NetworkPolicy selects accepts connections from every pod in the cluster and can reach " +
		"anything, so one compromised pod can probe every service. On EKS, the VPC CNI enforces NetworkPolicy " +
		"once `enableNetworkPolicy` is on; a namespace without any policy gets no isolation from it.",
	Fix: "Add a default-deny NetworkPolicy to the namespace (`podSelector: {}`, `policyTypes: [Ingress, Egress]`) " +
		"and policies that allow what each workload needs, DNS included.",
	Example: lint.Example{
		Bad:  netpolDeployment("shop", "web", "app: web"),
		Good: netpolDeployment("shop", "web", "app: web") + "---\n" + defaultDeny("shop") + "---\n" + allowDNS("shop", "{}"),
	},
	Equivalents: []string{"kube-linter non-isolated-pod", "kube-score pod-networkpolicy", "Polaris missingNetworkPolicy", "Checkov CKV2_K8S_6"},
	Notes: "A namespace that is not a namespace name, but a placeholder a templating step or an operator fills in " +
		"(`${NAMESPACE}`, NVIDIA's `FILLED BY THE OPERATOR`), is not judged by this rule or the other three. " +
		"A namespace without any NetworkPolicy gets one finding, not one per workload as in kube-linter, " +
		"kube-score, Polaris and Checkov: the fix (a default-deny policy) is made once per namespace; it lands on the " +
		"Namespace object when the input has one, else on the first workload of the namespace. In a namespace that " +
		"has policies, each workload whose pods none of them selects is reported on its own, under the same id and " +
		"naming the workload (argo-cd's policies select every component but the ApplicationSet controller): its pods " +
		"stay open however many policies its neighbours have. A policy of any policyTypes counts as selecting; " +
		"k8s-namespace-without-default-deny and k8s-networkpolicy-selects-nothing look closer. kube-system is left " +
		"out (EKS add-ons run there), and so are workloads with `hostNetwork: true`, which NetworkPolicy does not " +
		"govern. " + pooledNamespaces + " " + otherEngines,
	Set: networkFacts.Gather(func(items []netItem, s *lint.SetPass) {
		run := groupNamespaces(items)
		for _, ns := range run.namespaces {
			governed := run.governed(ns)
			if ns.name == "kube-system" || len(governed) == 0 || run.otherEngine(ns) {
				continue
			}
			if len(ns.policies) == 0 {
				s.Report(run.place(ns), "namespace %q has no NetworkPolicy, so the pods of %s accept traffic from any pod "+
					"and reach anything; add a default-deny policy and allow what each workload needs",
					ns.name, describeWorkloads(governed))
				continue
			}
			for _, w := range ns.unselected(governed) {
				s.Report(w.at, "no NetworkPolicy of namespace %q selects the pods of %s, so they accept traffic from any "+
					"pod and reach anything, though the namespace has %s; add one that selects them, or a default deny",
					ns.name, w.describe(), quantity(len(ns.policies), "NetworkPolicy object"))
			}
		}
	}),
}

var NamespaceWithoutDefaultDeny = &lint.Rule{
	ID:        "k8s-namespace-without-default-deny",
	Level:     lint.Note,
	DefaultOn: false,
	Title:     "Namespace has no default-deny NetworkPolicy",
	Inputs:    lint.NamespaceInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS, lint.TagKubernetes},
	Sources:   []lint.Source{bpgCreateDefaultDenyPolicy, k8sDefaultDenyAllIngressAll},
	Rationale: "NetworkPolicy is allow-list only for the pods a policy selects; every other pod stays open. A " +
		"default-deny policy (`podSelector: {}` for Ingress and Egress) makes every pod of the namespace, " +
		"including the ones added later, closed until a policy allows its traffic. EKS Best Practices " +
		"recommend a default-deny policy per namespace.",
	Fix: "Add a NetworkPolicy with `podSelector: {}` and `policyTypes: [Ingress, Egress]` and no rules, plus a " +
		"policy that allows egress to CoreDNS (UDP and TCP 53 to kube-system pods labelled k8s-app: kube-dns).",
	Example: lint.Example{
		Bad: netpolDeployment("shop", "web", "app: web") + `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-from-gateway
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: web}
  ingress:
    - from:
        - podSelector: {matchLabels: {app: gateway}}
`,
		Good: netpolDeployment("shop", "web", "app: web") + "---\n" + defaultDeny("shop") + "---\n" + allowDNS("shop", "{}"),
	},
	Notes: "The default deny may be split over two policies (one for Ingress, one for Egress); a direction counts " +
		"as denied when some `podSelector: {}` policy isolates it and none allows all of it (a rule with no peers " +
		"and no ports). A policy that allows everything is reported at that rule, and a namespace that denies one " +
		"direction only at the `policyTypes` of the policy that denies it, the line to add the other to. kube-system and namespaces " +
		"without governed workloads are left out. " + otherEngines,
	Set: networkFacts.Gather(func(items []netItem, s *lint.SetPass) {
		run := groupNamespaces(items)
		for _, ns := range run.namespaces {
			if ns.name == "kube-system" || len(run.governed(ns)) == 0 || run.otherEngine(ns) {
				continue
			}
			var missing []direction
			for _, dir := range []direction{ingress, egress} {
				isolated, open := ns.defaultDeny(dir)
				switch {
				case open != nil:
					s.Report(open.at, "NetworkPolicy %s allows all %s traffic to every pod of namespace %q, which "+
						"undoes the default deny; allow only the peers and ports the pods need", lint.QuoteName(open.policy), dir, ns.name)
				case !isolated:
					missing = append(missing, dir)
				}
			}
			switch len(missing) {
			case 2:
				s.Report(run.place(ns), "namespace %q has no default-deny NetworkPolicy: add one with podSelector: {} "+
					"and policyTypes [Ingress, Egress] so pods are closed until a policy allows their traffic", ns.name)
			case 1:
				// The fix is one line of the policy that denies the other direction: say it there,
				// once for every deployment that shares the policy.
				denied := missing[0].other()
				pol := ns.isolating(denied)
				s.Report(pol.policy.typesAt, "namespace %q denies %s by default but not %s: add %s to the policyTypes "+
					"of NetworkPolicy %s", ns.name, denied, missing[0], missing[0], lint.QuoteName(pol.name))
			}
		}
	}),
}

var DefaultDenyBlocksDNS = &lint.Rule{
	ID:        "k8s-default-deny-blocks-dns",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Default-deny egress blocks DNS",
	Inputs:    lint.NamespaceInput,
	Tags:      []lint.Tag{lint.TagReliability, lint.TagEKS, lint.TagKubernetes},
	Sources:   []lint.Source{bpgCreateRuleAllowDNSQueries, k8sNetworkPolicies},
	Rationale: "A default-deny Egress policy blocks every connection a policy does not allow, DNS included: pods " +
		"then fail to resolve any name (Services too) and time out instead of failing fast. Default deny " +
		"must come with a policy that allows egress to CoreDNS, which on EKS runs in kube-system with the label " +
		"`k8s-app: kube-dns` and serves UDP and TCP port 53.",
	Fix: "Add an egress rule to the pods of the namespace (`podSelector: {}`) that allows UDP and TCP port 53 to " +
		"`namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}` with " +
		"`podSelector: {matchLabels: {k8s-app: kube-dns}}`.",
	Example: lint.Example{
		Bad:  defaultDeny("shop"),
		Good: defaultDeny("shop") + "---\n" + allowDNS("shop", "{}"),
	},
	Notes: "DNS is allowed when an egress rule reaches the CoreDNS pods (no `to`, an `ipBlock` (the cluster's DNS " +
		"addresses cannot be known offline, so any ipBlock counts, NodeLocal DNSCache included), or a " +
		"namespaceSelector matching kube-system's labels (`kubernetes.io/metadata.name`, plus any labels of a " +
		"kube-system Namespace in the input) with a podSelector matching `k8s-app: kube-dns`) on UDP port 53 (no " +
		"ports, 53, a range over 53, or the CoreDNS port name `dns`). The catalogue accepts UDP or TCP; ekslint " +
		"requires UDP, since resolvers query over UDP and use TCP only for truncated answers: a rule for port 53 " +
		"without `protocol` allows only TCP and breaks DNS. Only `podSelector: {}` Egress policies count as " +
		"default deny. A DNS policy for some pods only is enough: which pods need DNS cannot be told from a run " +
		"that may pool unrelated charts and overlays into one namespace. The finding lands on the rule that tries to allow DNS and fails, else on the Egress entry of " +
		"the default-deny policy. " + otherEngines,
	Set: networkFacts.Gather(func(items []netItem, s *lint.SetPass) {
		run := groupNamespaces(items)
		kubeSystem := kubeSystemLabels(run.namespaces)
		for _, ns := range run.namespaces {
			deny := ns.denyAllEgress()
			if deny == nil || run.otherEngine(ns) {
				continue
			}
			dns := false
			var nearMiss *egressRule
			var nearMissPolicy, why string
			for _, pol := range ns.policies {
				for i := range pol.policy.egressRules {
					r := &pol.policy.egressRules[i]
					ok, reason := r.allowsDNS(ns.name, kubeSystem)
					if ok && !pol.policy.egress {
						ok, reason = false, fmt.Sprintf("the policyTypes of NetworkPolicy %s leave out Egress, so its "+
							"egress rules are ignored; add Egress to policyTypes", lint.QuoteName(pol.name))
					}
					if ok {
						dns = true
						break
					}
					if nearMiss == nil && reason != "" {
						nearMiss, nearMissPolicy, why = r, pol.name, reason
					}
				}
			}
			switch {
			case !dns && nearMiss != nil:
				s.Report(nearMiss.at, "this egress rule of NetworkPolicy %s does not allow DNS, which NetworkPolicy %s "+
					"blocks in namespace %q: %s", lint.QuoteName(nearMissPolicy), lint.QuoteName(deny.name), ns.name, why)
			case !dns:
				s.Report(deny.policy.egressAt, "NetworkPolicy %s denies all egress in namespace %q and no policy allows "+
					"DNS, so pods cannot resolve names; allow UDP and TCP 53 to kube-system pods labelled k8s-app: kube-dns",
					lint.QuoteName(deny.name), ns.name)
			}
		}
	}),
}

var NetworkPolicySelectsNothing = &lint.Rule{
	ID:        "k8s-networkpolicy-selects-nothing",
	Level:     lint.Note,
	DefaultOn: false,
	Title:     "NetworkPolicy selects no pods",
	Inputs:    lint.NamespaceInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagKubernetes},
	Sources:   []lint.Source{eksGuideConsiderations, k8sNetworkPolicies},
	Rationale: "A NetworkPolicy applies to the pods its podSelector matches in its own namespace. A selector " +
		"that matches no pod (a typo in a label, labels changed in the workload but not in the policy) " +
		"protects nothing while looking like it does.",
	Fix: "Make `spec.podSelector` match the labels of the pod template it is meant to protect, or delete the policy.",
	Example: lint.Example{
		Bad:  netpolDeployment("shop", "web", "app: web") + "---\n" + allowDNS("shop", "{matchLabels: {app: webb}}"),
		Good: netpolDeployment("shop", "web", "app: web") + "---\n" + allowDNS("shop", "{matchLabels: {app: web}}"),
	},
	Equivalents: []string{"kube-linter dangling-networkpolicy", "kube-score networkpolicy-targets-pod"},
	Notes: "Only namespaces with at least one workload in the input are checked: when a namespace's workloads are " +
		"deployed from elsewhere the policy cannot be judged (kube-linter reports those too). `podSelector: {}` " +
		"selects every pod and is never reported. Pods count by their pod template, whatever the kind (Argo " +
		"Rollouts and other kinds with one at spec.template included). Nor is a policy whose podSelector names a custom " +
		"resource of its namespace (a label value equal to its name): an operator makes that resource's pods and " +
		"labels them so (kube-prometheus' policies select `app.kubernetes.io/instance: k8s`, the Prometheus named k8s). " +
		"Nor is a chart's policy when a template of the chart that writes a pod spec renders none with the values " +
		"given: the pods it protects may be the ones left out. " +
		"A policy of the raw manifests is judged with " +
		"the raw manifests alone: beside one chart it may select nothing and still protect another's pods." +
		controllerLabels + " " + pooledNamespaces,
	Set: networkFacts.Gather(func(items []netItem, s *lint.SetPass) {
		run := groupNamespaces(items)
		for _, ns := range run.namespaces {
			if len(ns.workloads) == 0 {
				continue
			}
			for _, pol := range ns.policies {
				sel := pol.policy.pods
				// A raw policy is judged with the raw manifests alone: beside one chart it may
				// select nothing and still protect the pods of another.
				if !run.own(pol) || pol.policy.selectsAll() || pol.policy.podsLeftOut || ns.anySelected(sel) ||
					run.customResources.names(sel.MatchLabels(), ns.name) {
					continue
				}
				s.Report(pol.policy.podsAt, "podSelector %s of NetworkPolicy %s matches no pod template of the %s in "+
					"namespace %q, so the policy protects nothing; fix the labels", sel, lint.QuoteName(pol.name), quantity(len(ns.workloads), "workload"), ns.name)
			}
		}
	}),
}

// pooledNamespaces is said in the docs of the G6 rules whose result depends on what else the run
// holds.
const pooledNamespaces = "A namespace is judged per deployment (a chart's value set, an overlay's build, or a group " +
	"the config's `deployments:` lists), with the run's raw manifests beside it, since they are applied beside " +
	"everything: their NetworkPolicies protect every deployment's pods. A finding names and lands on the " +
	"deployment's own workloads; the raw manifests' own workloads are reported once, by the raw manifests."

// otherEngines is said in the docs of the G6 rules that stay quiet where other policy engines
// may decide.
const otherEngines = "Namespaces holding policies of another engine (Calico, Cilium, Antrea), and every namespace " +
	"when the run holds a cluster-wide one (GlobalNetworkPolicy, CiliumClusterwideNetworkPolicy, AdminNetworkPolicy, " +
	"ClusterNetworkPolicy), are left out: those may isolate pods or allow traffic in ways this rule does not read."

// networkPolicy are the G6 rules in catalogue order.
var networkPolicy = []*lint.Rule{
	NamespaceWithoutNetworkPolicy,
	NamespaceWithoutDefaultDeny,
	DefaultDenyBlocksDNS,
	NetworkPolicySelectsNothing,
}

// netItem is what the G6 rules keep of a workload, a Namespace or a NetworkPolicy.
type netItem struct {
	kind      string      // "workload", "Namespace", "NetworkPolicy", "other policy", "cluster-wide policy" or "custom resource"
	shared    bool        // one of the raw manifests, seen beside every deployment (lint.Pass.Shared)
	namespace string      // the namespace the object is in; for a Namespace, its own name
	name      string      // a policy's or Namespace's name; a workload is named by describe
	at        lint.Place  // metadata.name
	labels    lint.Labels // a workload's pod labels; a Namespace's labels
	// controller adds labels to a workload's pods that selectors may name (podLabelsFor).
	controller podController
	// hostNetwork pods use the node's network; NetworkPolicy does not apply to them.
	hostNetwork bool
	policy      *policyItem
	// resourceKind is a custom resource's kind.
	resourceKind string
}

// describe names a workload in messages, `Deployment "web"`, from the object its place holds.
func (it *netItem) describe() string { return describeRef(it.at.Object) }

// policyItem is what the G6 rules keep of a NetworkPolicy's spec.
type policyItem struct {
	pods     lint.LabelSelector // spec.podSelector
	everyPod bool               // spec.podSelector is missing, which the API decodes as {}
	podsAt   lint.Place
	// podsLeftOut is set when the policy's input left out pod specs it writes
	// (lint.Document.PodsLeftOut): the pods it selects may be among them.
	podsLeftOut bool
	// ingress and egress are the effective policyTypes: as written, else Ingress, plus Egress when
	// the policy has egress rules (the API's defaulting).
	ingress, egress bool
	egressAt        lint.Place // the Egress entry of policyTypes, else spec.egress
	typesAt         lint.Place // spec.policyTypes, where a direction is added (spec when absent)
	allowAll        [2]*allowAll
	egressRules     []egressRule
}

// allowAll is a rule with no peers and no ports: it allows all traffic in its direction.
type allowAll struct {
	policy string
	at     lint.Place
}

type direction int

const (
	ingress direction = iota
	egress
)

func (d direction) String() string { return [...]string{"Ingress", "Egress"}[d] }

// other is the opposite direction.
func (d direction) other() direction { return 1 - d }

// selectsAll reports whether the policy applies to every pod of its namespace.
func (p *policyItem) selectsAll() bool { return p.everyPod || p.pods.SelectsAll() }

// egressRule is one spec.egress[] rule.
type egressRule struct {
	to    []peer     // empty: every destination
	ports []portSpec // empty: every port
	at    lint.Place
}

// peer is one `to` entry of an egress rule.
type peer struct {
	ipBlock    bool
	namespaces *lint.LabelSelector // nil: the policy's own namespace
	pods       *lint.LabelSelector // nil: every pod of the selected namespaces
}

// portSpec is one `ports` entry: a protocol and a port number, a range, a port name, or every port.
type portSpec struct {
	protocol string
	number   int64 // 0 with name "": every port of the protocol
	end      int64 // endPort, 0 when absent
	name     string
	mentions bool // names DNS: port 53 (or a range over it), or the port name dns or dns-tcp
}

// networkFacts is the collect step the G6 rules share: it runs once per object. They judge each
// namespace by its own objects, and by two that the checks of every namespace read: a cluster-wide
// policy of another engine, which leaves every namespace to it, and kube-system's Namespace, whose
// labels say which peers reach CoreDNS.
var networkFacts = lint.Collect(collectNetwork).ByNamespace(func(it netItem) (string, bool) {
	return it.namespace, it.kind == "cluster-wide policy" || it.kind == "Namespace" && it.namespace == "kube-system"
})

// collectNetwork keeps what the G6 rules need of each workload, Namespace and NetworkPolicy.
func collectNetwork(p *lint.Pass) (netItem, bool) {
	it, ok := networkFact(p.Object)
	it.shared = p.Shared
	return it, ok
}

// networkFact is what collectNetwork keeps of o, before it knows whether o is shared.
func networkFact(o *lint.Object) (netItem, bool) {
	if o.Format != lint.Kubernetes {
		return netItem{}, false
	}
	if tmpl, ok := podOwnerTemplate(o); ok {
		return netItem{kind: "workload", namespace: o.Namespace(), at: o.Place(),
			labels: tmpl.Get("metadata", "labels").Labels(), controller: podControllerOf(o),
			hostNetwork: tmpl.Get("spec", "hostNetwork").IsTrue()}, true
	}
	switch {
	case o.Kind() == "Namespace" && o.ID.APIVersion == "v1":
		return netItem{kind: "Namespace", namespace: o.Name(), name: o.Name(), at: o.Place(), labels: o.Labels()}, true
	case o.Kind() == "NetworkPolicy" && isNetworkingAPI(o.ID.APIVersion):
		pol, ok := readPolicy(o)
		if !ok {
			return netItem{}, false
		}
		return netItem{kind: "NetworkPolicy", namespace: o.Namespace(), name: o.Name(), at: o.Place(), policy: pol}, true
	case clusterWidePolicies[o.Kind()]:
		return netItem{kind: "cluster-wide policy"}, true
	case strings.HasSuffix(o.Kind(), "NetworkPolicy"):
		return netItem{kind: "other policy", namespace: o.Namespace()}, true
	case o.IsCustomResource():
		return netItem{kind: "custom resource", namespace: o.Namespace(), name: o.Name(), resourceKind: o.Kind()}, true
	}
	return netItem{}, false
}

// clusterWidePolicies are the kinds of other policy engines that apply across namespaces: Calico,
// Cilium, the Kubernetes network policy API (AdminNetworkPolicy, ClusterNetworkPolicy) and the
// EKS VPC CNI's ClusterNetworkPolicy.
var clusterWidePolicies = map[string]bool{"GlobalNetworkPolicy": true, "StagedGlobalNetworkPolicy": true,
	"CiliumClusterwideNetworkPolicy": true, "AdminNetworkPolicy": true, "BaselineAdminNetworkPolicy": true,
	"ClusterNetworkPolicy": true}

// podOwnerTemplate returns the pod template of anything that makes pods: a workload, or an object
// of a kind lint does not know whose spec.template holds containers (a Knative Service, another
// operator's CRD). NetworkPolicies and Services select those pods as well, so the namespace-wide
// rules count them; leaving them out would report what selects them as selecting nothing.
func podOwnerTemplate(o *lint.Object) (lint.Node, bool) {
	if o.IsWorkload() {
		return o.PodTemplate(), true
	}
	t := o.Get("spec", "template")
	return t, o.Format == lint.Kubernetes && t.Get("spec", "containers").IsList()
}

// isNetworkingAPI tells Kubernetes NetworkPolicy from the CRDs of the same kind (Calico's
// projectcalico.org, Antrea's), whose semantics differ.
func isNetworkingAPI(apiVersion string) bool {
	return strings.HasPrefix(apiVersion, "networking.k8s.io/") || apiVersion == "extensions/v1beta1"
}

func readPolicy(o *lint.Object) (*policyItem, bool) {
	spec := o.Get("spec")
	podSelector := spec.Get("podSelector")
	pol := &policyItem{pods: lint.SelectorOf(podSelector), podsAt: podSelector.Place(), everyPod: !podSelector.Exists(),
		podsLeftOut: o.Document() != nil && o.Document().PodsLeftOut}
	if podSelector.Exists() && !podSelector.IsMap() {
		return nil, false // the API rejects it
	}
	egressRules := spec.Get("egress")
	pol.typesAt = spec.Get("policyTypes").Place()
	if types := spec.Get("policyTypes"); types.Len() > 0 {
		for _, t := range types.Items() {
			switch t.Str() {
			case "Ingress":
				pol.ingress = true
			case "Egress":
				pol.egress, pol.egressAt = true, t.Place()
			}
		}
	} else {
		pol.ingress = true
		pol.egress, pol.egressAt = egressRules.Len() > 0, egressRules.Place()
	}
	for d, fields := range [...][2]string{ingress: {"ingress", "from"}, egress: {"egress", "to"}} {
		for _, r := range spec.Get(fields[0]).Items() {
			if r.Get(fields[1]).Len() == 0 && r.Get("ports").Len() == 0 {
				pol.allowAll[d] = &allowAll{policy: o.Name(), at: r.Place()}
				break
			}
		}
	}
	for _, r := range egressRules.Items() {
		rule := egressRule{at: r.Place()}
		for _, t := range r.Get("to").Items() {
			rule.to = append(rule.to, readPeer(t))
		}
		for _, pt := range r.Get("ports").Items() {
			rule.ports = append(rule.ports, readPort(pt))
		}
		pol.egressRules = append(pol.egressRules, rule)
	}
	return pol, true
}

func readPeer(t lint.Node) peer {
	var pr peer
	if t.Get("ipBlock").Exists() {
		pr.ipBlock = true
	}
	if ns := t.Get("namespaceSelector"); ns.Exists() {
		sel := lint.SelectorOf(ns)
		pr.namespaces = &sel
	}
	if pods := t.Get("podSelector"); pods.Exists() {
		sel := lint.SelectorOf(pods)
		pr.pods = &sel
	}
	return pr
}

func readPort(pt lint.Node) portSpec {
	ps := portSpec{protocol: "TCP"}
	if proto := pt.Get("protocol"); proto.Exists() {
		ps.protocol = strings.ToUpper(proto.Str())
	}
	port := pt.Get("port")
	if n, err := strconv.ParseInt(port.Str(), 10, 32); err == nil {
		ps.number = n
	} else if port.Exists() {
		ps.name = port.Str()
	}
	if end, ok := pt.Get("endPort").Int(); ok {
		ps.end = end
	}
	ps.mentions = ps.number == 53 || ps.number < 53 && ps.end >= 53 || coreDNSPorts[ps.name] != ""
	return ps
}

// CoreDNS on EKS: pods in kube-system labelled k8s-app: kube-dns (and
// eks.amazonaws.com/component: coredns), serving port 53 named dns (UDP) and dns-tcp (TCP).
var (
	coreDNSLabels = lint.LabelsOf(map[string]string{"k8s-app": "kube-dns", "eks.amazonaws.com/component": "coredns"})
	coreDNSPorts  = map[string]string{"dns": "UDP", "dns-tcp": "TCP"}
)

// allowsDNS reports whether the rule, in a policy of namespace ns, allows DNS queries to CoreDNS
// (UDP port 53). When it does not but plainly tries to (it names port 53 or the CoreDNS pods),
// reason says what is wrong.
func (r *egressRule) allowsDNS(ns string, kubeSystem lint.Labels) (ok bool, reason string) {
	reaches, peerWhy := r.reachesCoreDNS(ns, kubeSystem)
	udp, tcp := r.allowsPort53("UDP"), r.allowsPort53("TCP")
	if reaches && udp {
		return true, ""
	}
	mentions := false
	for _, p := range r.ports {
		mentions = mentions || p.mentions
	}
	for _, p := range r.to {
		mentions = mentions || p.pods != nil && !p.pods.SelectsAll() && p.pods.Matches(coreDNSLabels)
	}
	if !mentions {
		return false, ""
	}
	switch {
	case !reaches:
		return false, peerWhy
	case tcp:
		return false, "it allows port 53 over TCP only (protocol defaults to TCP), and resolvers query over UDP; add the port with protocol: UDP"
	}
	return false, "its ports do not include UDP 53; allow port 53 with protocol: UDP"
}

// reachesCoreDNS reports whether the rule's destinations include the CoreDNS pods; when not, why.
func (r *egressRule) reachesCoreDNS(ns string, kubeSystem lint.Labels) (bool, string) {
	if len(r.to) == 0 {
		return true, ""
	}
	why := "its destinations do not include the CoreDNS pods (kube-system, k8s-app: kube-dns)"
	for _, p := range r.to {
		switch {
		case p.ipBlock:
			return true, "" // may well hold the cluster DNS address: offline, give the benefit of the doubt
		case p.namespaces == nil && p.pods == nil:
			continue // an empty peer: the API rejects it
		case p.namespaces == nil && ns != "kube-system":
			why = fmt.Sprintf("a podSelector without namespaceSelector selects pods of namespace %q, not of kube-system; "+
				"add namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}", ns)
			continue
		case p.namespaces != nil && !p.namespaces.Matches(kubeSystem):
			why = fmt.Sprintf("namespaceSelector %s does not select kube-system, whose only guaranteed label is "+
				"kubernetes.io/metadata.name=kube-system", p.namespaces)
			continue
		}
		if p.pods == nil || p.pods.Matches(coreDNSLabels) {
			return true, ""
		}
		why = fmt.Sprintf("podSelector %s does not select the CoreDNS pods (k8s-app: kube-dns)", p.pods)
	}
	return false, why
}

// allowsPort53 reports whether the rule's ports allow port 53 over protocol.
func (r *egressRule) allowsPort53(protocol string) bool {
	if len(r.ports) == 0 {
		return true
	}
	for _, p := range r.ports {
		switch {
		case p.protocol != protocol:
		case p.name != "":
			if coreDNSPorts[p.name] == protocol {
				return true
			}
		case p.number == 0, p.number == 53, p.number < 53 && p.end >= 53:
			return true
		}
	}
	return false
}

// kubeSystemLabels are the labels kube-system has in every cluster (the API server sets
// kubernetes.io/metadata.name on every namespace), plus those a kube-system Namespace of the input
// gives it.
func kubeSystemLabels(namespaces []*netNamespace) lint.Labels {
	labels := map[string]string{"kubernetes.io/metadata.name": "kube-system"}
	for _, ns := range namespaces {
		if ns.name == "kube-system" && ns.object != nil {
			for k, v := range ns.object.labels.All() {
				labels[k] = v
			}
			labels["kubernetes.io/metadata.name"] = "kube-system"
		}
	}
	return lint.LabelsOf(labels)
}

// netNamespace is one namespace of the run with its objects, in input order.
type netNamespace struct {
	name      string
	object    *netItem // its Namespace object, when the input has one
	workloads []*netItem
	policies  []*netItem
	// otherPolicies counts policies of other engines (Calico, Cilium, Antrea) in the namespace.
	otherPolicies int
	byLabel       map[label][]*netItem // workloads by pod label, built on first use
}

// netRun is every namespace of the run, in the order they first appear, and whether the run
// holds a cluster-wide policy of another engine.
type netRun struct {
	namespaces  []*netNamespace
	clusterWide bool
	// ownOnly is set when the deployment checked is a chart or an overlay (some item is not
	// shared): the raw manifests beside it are checked on their own, so the findings about
	// namespaces name and land on the deployment's own workloads and Namespace objects. Their
	// NetworkPolicies still protect them.
	ownOnly bool
	// customResources are the custom resources of the run: an operator labels the pods it makes
	// for one after it (see customResources.names).
	customResources customResources
}

// own reports whether a workload or Namespace is the checked deployment's own.
func (r netRun) own(it *netItem) bool { return !r.ownOnly || !it.shared }

// otherEngine reports whether policies of another engine may isolate the namespace's pods or
// allow their traffic. The rules cannot read those policies, so they stay quiet about the
// namespace rather than guess.
func (r netRun) otherEngine(ns *netNamespace) bool { return r.clusterWide || ns.otherPolicies > 0 }

// groupNamespaces groups items by namespace.
func groupNamespaces(items []netItem) netRun {
	var run netRun
	byName := map[string]*netNamespace{}
	for i := range items {
		it := &items[i]
		run.ownOnly = run.ownOnly || !it.shared
		switch it.kind {
		case "cluster-wide policy":
			run.clusterWide = true
			continue
		case "custom resource":
			if run.customResources == nil {
				run.customResources = customResources{}
			}
			run.customResources.add(it.namespace, it.name, it.resourceKind)
			continue
		}
		if len(validation.IsDNS1123Label(it.namespace)) > 0 {
			continue // a placeholder a templating step or an operator fills in: "FILLED BY THE OPERATOR", "${NAMESPACE}"
		}
		ns := byName[it.namespace]
		if ns == nil {
			ns = &netNamespace{name: it.namespace}
			byName[it.namespace] = ns
			run.namespaces = append(run.namespaces, ns)
		}
		switch it.kind {
		case "Namespace":
			if ns.object == nil {
				ns.object = it
			}
		case "NetworkPolicy":
			ns.policies = append(ns.policies, it)
		case "other policy":
			ns.otherPolicies++
		default:
			ns.workloads = append(ns.workloads, it)
		}
	}
	return run
}

// governed are the namespace's workloads of the checked deployment whose pods NetworkPolicy
// applies to (not hostNetwork).
func (r netRun) governed(ns *netNamespace) []*netItem {
	var out []*netItem
	for _, w := range ns.workloads {
		if !w.hostNetwork && r.own(w) {
			out = append(out, w)
		}
	}
	return out
}

// place is where a finding about the whole namespace lands: its Namespace object when the
// deployment has it, else its first governed workload.
func (r netRun) place(ns *netNamespace) lint.Place {
	if ns.object != nil && r.own(ns.object) {
		return ns.object.at
	}
	return r.governed(ns)[0].at
}

// defaultDeny reports whether some `podSelector: {}` policy isolates every pod of the namespace
// in dir, and the first rule of such a policy that allows all of dir again, if any.
func (ns *netNamespace) defaultDeny(dir direction) (isolated bool, open *allowAll) {
	for _, pol := range ns.policies {
		p := pol.policy
		if !p.selectsAll() || (dir == ingress && !p.ingress) || (dir == egress && !p.egress) {
			continue
		}
		isolated = true
		if open == nil {
			open = p.allowAll[dir]
		}
	}
	return isolated, open
}

// isolating returns the first `podSelector: {}` policy that isolates dir.
func (ns *netNamespace) isolating(dir direction) *netItem {
	for _, pol := range ns.policies {
		if p := pol.policy; p.selectsAll() && (dir == ingress && p.ingress || dir == egress && p.egress) {
			return pol
		}
	}
	return nil
}

// denyAllEgress returns the first `podSelector: {}` policy that isolates egress, when no such
// policy allows all egress again.
func (ns *netNamespace) denyAllEgress() *netItem {
	if isolated, open := ns.defaultDeny(egress); !isolated || open != nil {
		return nil
	}
	for _, pol := range ns.policies {
		if pol.policy.selectsAll() && pol.policy.egress {
			return pol
		}
	}
	return nil
}

// anySelected reports whether sel selects the pods of some workload of the namespace. Only the
// workloads carrying the rarest of sel's matchLabels are tried, so a namespace with many
// workloads and many policies costs the sizes of label buckets, not workloads times policies.
func (ns *netNamespace) anySelected(sel lint.LabelSelector) bool {
	candidates := ns.workloads
	if required := templatePairs(sel); required.Len() > 0 {
		if ns.byLabel == nil {
			ns.byLabel = map[label][]*netItem{}
			for _, w := range ns.workloads {
				for k, v := range w.labels.All() {
					ns.byLabel[label{k, v}] = append(ns.byLabel[label{k, v}], w)
				}
			}
		}
		for k, v := range required.All() {
			if bucket := ns.byLabel[label{k, v}]; len(bucket) < len(candidates) {
				candidates = bucket
			}
		}
	}
	for _, w := range candidates {
		if selectsPods(sel, w.labels, w.controller) {
			return true
		}
	}
	return false
}

// unselected returns the workloads among ws whose pods no NetworkPolicy of the namespace selects.
func (ns *netNamespace) unselected(ws []*netItem) []*netItem {
	var selectors []indexedSelector[bool]
	for _, pol := range ns.policies {
		if pol.policy.selectsAll() {
			return nil
		}
		selectors = append(selectors, indexedSelector[bool]{namespace: ns.name, selector: pol.policy.pods, value: true})
	}
	policies := newSelectorIndex(selectors)
	var out []*netItem
	for _, w := range ws {
		if _, selected := firstOf(policies.selecting(ns.name, w.labels, w.controller)); !selected {
			out = append(out, w)
		}
	}
	return out
}

// label is one key=value pair of a pod's labels.
type label struct{ key, value string }

// describeWorkloads names up to three workloads: `Deployment "web", Job "migrate" and 2 more`. A
// workload rendered by several Helm value sets or built by several overlays is named once.
func describeWorkloads(ws []*netItem) string {
	var distinct []string
	seen := make(map[string]bool, len(ws))
	for _, w := range ws {
		name := w.describe()
		key := name
		if w.at.Object.Generated() {
			// Objects the API server names are distinct even when they share a generateName; one
			// rendered several times is written at one place.
			key += "\x00" + w.at.Pos.String()
		}
		if !seen[key] {
			seen[key] = true
			distinct = append(distinct, name)
		}
	}
	names := distinct
	if len(distinct) > 3 {
		names = append(slices.Clone(distinct[:3]), fmt.Sprintf("%d more", len(distinct)-3))
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// netpolDeployment, defaultDeny and allowDNS write the G6 examples.
func netpolDeployment(namespace, name, labels string) string {
	return fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: %[2]s
  namespace: %[1]s
spec:
  selector:
    matchLabels: {%[3]s}
  template:
    metadata:
      labels: {%[3]s}
    spec:
      containers:
        - name: %[2]s
          image: nginx:1.27.3
`, namespace, name, labels)
}

func defaultDeny(namespace string) string {
	return fmt.Sprintf(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: %s
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
`, namespace)
}

func allowDNS(namespace, podSelector string) string {
	return fmt.Sprintf(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-dns
  namespace: %s
spec:
  podSelector: %s
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector:
            matchLabels: {kubernetes.io/metadata.name: kube-system}
          podSelector:
            matchLabels: {k8s-app: kube-dns}
      ports:
        - {protocol: UDP, port: 53}
        - {protocol: TCP, port: 53}
`, namespace, podSelector)
}
