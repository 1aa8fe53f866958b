package rules

import (
	"fmt"
	"iter"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/distribution/reference"

	"github.com/ekslint/ekslint/lint"
)

// G5: workloads. Each rule reads the pod template of any workload kind through the lint helpers.
// Per-container rules check the containers that run for the pod's lifetime (app containers and
// sidecars); image rules check every container, init containers included.

var ReadinessProbeMissing = &lint.Rule{
	ID:        "k8s-readiness-probe-missing",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Container has no readiness probe",
	Inputs:    lint.WorkloadInput | lint.ServiceInput,
	Tags:      []lint.Tag{lint.TagReliability, lint.TagKubernetes},
	Sources:   []lint.Source{bpgUseReadinessProbeDetectPartial, k8sConfigureLivenessReadinessStartupProbes, bpgUseReadinessProbes},
	Rationale: "Without a readiness probe a pod receives Service traffic as soon as its containers start, " +
		"before the application can answer, and keeps receiving it when the application stops answering; " +
		"rolling updates also cannot tell a broken new version from a working one. EKS Best Practices " +
		"(reliability, applications) recommend readiness probes on every long-running container.",
	Fix: "Add a `readinessProbe` that succeeds only when the container can serve requests " +
		"(an HTTP endpoint that checks its dependencies, or a TCP check on the serving port).",
	Example: lint.Example{
		Bad: deployment("", "          ports:\n            - containerPort: 8080\n") + "---\n" + clusterIPService,
		Good: deployment("", "          ports:\n            - containerPort: 8080\n"+
			"          readinessProbe:\n            httpGet:\n              path: /ready\n              port: 8080\n") + "---\n" + clusterIPService,
	},
	Equivalents: []string{"kube-linter no-readiness-probe", "kube-score pod-probes", "Polaris readinessProbeMissing", "Checkov CKV_K8S_9"},
	Notes: "What a missing probe breaks depends on who reads readiness, so the rule reads Services too. Where a " +
		"Service of the deployment selects the pods, the warning names it, on each unprobed container that serves " +
		"one of its target ports (by number or name): the Service sends it traffic before it can serve. When no " +
		"container declares a target port (pod ports are informational), the unprobed containers are reported if " +
		"no container of the pod has a readiness probe. A container that serves no Service while another container " +
		"of the pod does (a config reloader beside the server), or while a probed container holds the pod back, is " +
		"not reported: the pod's readiness waits on the server. " +
		"Where no Service selects the pods and no container of the pod has a readiness probe, a Deployment, " +
		"StatefulSet or DaemonSet (and kinds rolled out like them) is reported as a note: nothing sends it Service " +
		"traffic here, but its rolling updates count a pod ready as soon as it starts, so a new version that cannot " +
		"work replaces the old one. Bare Pods and ReplicaSets that no Service selects are not reported: nothing " +
		"reads their readiness. Jobs, CronJobs and Pods with `restartPolicy: Never` or `OnFailure` run to " +
		"completion and are skipped, as are init containers, sidecars included. kube-linter no-readiness-probe " +
		"(off by default) checks the app containers of every deployment-like kind, Jobs and CronJobs included. " +
		"kube-score pod-probes skips Jobs and CronJobs, is satisfied by one readiness probe anywhere in the pod " +
		"(init containers included) rather than one per container, skips pods that no Service in the input selects " +
		"(a pod with a `serviceAccountName` counts as selected), and also fails a readiness probe identical to the " +
		"liveness probe. " + pauseNotes + controllerLabels + perDeployment,
	Set: readiness.Gather(func(items []readinessItem, s *lint.SetPass) {
		var services []indexedSelector[*selectingService]
		for _, it := range items {
			if svc := it.service; svc != nil {
				services = append(services, indexedSelector[*selectingService]{namespace: svc.namespace, selector: lint.SelectorFromLabels(svc.selector), value: svc})
			}
		}
		// By name, so that a message names the same Service in every run.
		slices.SortStableFunc(services, func(a, b indexedSelector[*selectingService]) int { return strings.Compare(a.value.name, b.value.name) })
		selectedBy := newSelectorIndex(services)
		for _, it := range items {
			w := it.workload
			if w == nil {
				continue
			}
			selecting := selectedBy.selectingInOrder(w.namespace, w.labels, w.controller)
			for _, c := range w.unprobed {
				switch svc, serves, any := w.servedBy(c, selecting); {
				case serves:
					s.Report(c.at, "container %q has no readinessProbe, so Service %s sends it traffic before it can serve; add one",
						c.name, lint.QuoteName(svc.name))
				case !any && w.rollsOut && !w.probed:
					s.ReportLevel(lint.Note, c.at, "container %q has no readinessProbe: no Service here sends it traffic, but a "+
						"rolling update counts its pod ready as soon as it starts, so a new version that cannot work still "+
						"replaces the old one; add one", c.name)
				}
			}
		}
	}),
}

// readiness is the readiness rule's collect step: a Service sends traffic to the pods of its own
// namespace only.
var readiness = lint.Collect(collectReadiness).ByNamespace(func(it readinessItem) (string, bool) {
	if it.service != nil {
		return it.service.namespace, false
	}
	return it.workload.namespace, false
})

// readinessItem is what the readiness rule keeps: a Service that selects pods, or a workload with
// the containers that have no readiness probe.
type readinessItem struct {
	service  *selectingService
	workload *unprobedWorkload
}

type unprobedWorkload struct {
	namespace  string
	labels     lint.Labels
	controller podController
	// rollsOut says whether the workload's controller rolls out new versions pod by pod, waiting on
	// readiness (Deployments, StatefulSets, DaemonSets).
	rollsOut bool
	// probed says whether some app container has a readiness probe, which the pod's readiness waits on.
	probed   bool
	unprobed []unprobedContainer
	// ports are the ports every app container declares, by number and by name.
	ports []string
}

type unprobedContainer struct {
	name  string
	at    lint.Place
	ports []string
}

// servedBy returns the Service among selecting (in name order) that sends container c traffic
// before c is ready: one with a target port c declares. When no container of the pod declares a
// target port of any of them (ports in a pod spec are informational), any container may be the one
// listening, and traffic comes as soon as the pod starts unless some container's probe holds the
// pod back: then the first Service is returned if no container has a readiness probe. any says
// whether some Service selects the pods at all.
func (w *unprobedWorkload) servedBy(c unprobedContainer, selecting iter.Seq[*selectingService]) (svc *selectingService, serves, any bool) {
	targets := func(svc *selectingService, ports []string) bool {
		return slices.ContainsFunc(svc.targetPorts, func(p string) bool { return slices.Contains(ports, p) })
	}
	first, any := firstOf(selecting)
	if !any {
		return nil, false, false
	}
	// Without ports no Service targets them: the scans stop at once on the first Service, or are
	// skipped (thousands of Services selecting thousands of workloads).
	if len(c.ports) > 0 {
		for svc := range selecting {
			if targets(svc, c.ports) {
				return svc, true, true
			}
		}
	}
	if w.probed {
		return nil, false, true // a probe holds the pod back
	}
	if len(w.ports) > 0 {
		for svc := range selecting {
			if targets(svc, w.ports) {
				return nil, false, true // another container serves the pod's Services
			}
		}
	}
	return first, true, true
}

func collectReadiness(p *lint.Pass) (readinessItem, bool) {
	o := p.Object
	if svc, ok := selectingServiceOf(o); ok {
		return readinessItem{service: svc}, true
	}
	if !o.IsWorkload() || o.RunsToCompletion() {
		return readinessItem{}, false
	}
	k := o.WorkloadKind()
	w := &unprobedWorkload{namespace: o.Namespace(), labels: o.PodLabels(), controller: podControllerOf(o),
		rollsOut: k == "Deployment" || k == "StatefulSet" || k == "DaemonSet"}
	for _, c := range o.Containers() {
		ports := containerPorts(c)
		w.ports = append(w.ports, ports...)
		if c.Get("readinessProbe").Exists() {
			w.probed = true
		} else if !runsPause(c) && !injectedByIstio(c) {
			w.unprobed = append(w.unprobed, unprobedContainer{containerName(c), c.Place(), ports})
		}
	}
	return readinessItem{workload: w}, len(w.unprobed) > 0
}

// containerPorts lists the ports a container declares, by number and by name, as a Service's
// targetPort may name them.
func containerPorts(c lint.Node) []string {
	var out []string
	for _, port := range c.Get("ports").Items() {
		for _, f := range []string{"containerPort", "name"} {
			if v := port.Get(f).Str(); v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

var LivenessProbeMissing = &lint.Rule{
	ID:        "k8s-liveness-probe-missing",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Container has no liveness probe",
	Inputs:    lint.WorkloadInput,
	Tags:      []lint.Tag{lint.TagReliability, lint.TagKubernetes},
	Sources:   []lint.Source{bpgUseLivenessProbeRemoveUnhealthy, k8sConfigureLivenessReadinessStartupProbes},
	Rationale: "Without a liveness probe the kubelet restarts a container only when its process exits; " +
		"a deadlocked or wedged process keeps running and failing requests. EKS Best Practices recommend " +
		"liveness probes on long-running containers.",
	Fix: "Add a `livenessProbe` that fails only when the process cannot recover by itself; keep it cheaper and " +
		"more tolerant than the readiness probe so a slow dependency does not restart every pod.",
	Example: lint.Example{
		Bad: deployment("", "          ports:\n            - containerPort: 8080\n"),
		Good: deployment("", "          ports:\n            - containerPort: 8080\n"+
			"          livenessProbe:\n            httpGet:\n              path: /healthz\n              port: 8080\n"),
	},
	Equivalents: []string{"kube-linter no-liveness-probe", "kube-score pod-probes", "Polaris livenessProbeMissing", "Checkov CKV_K8S_8"},
	Notes: pauseNotes + " Checks app containers and sidecars (init containers with `restartPolicy: Always`), which run for the " +
		"pod's lifetime and hang like any other container; skips Jobs, CronJobs and run-to-completion Pods. " +
		"kube-linter no-liveness-probe (off by default) checks the app containers of every deployment-like kind, " +
		"Jobs included, but not sidecars. kube-score pod-probes skips Jobs and CronJobs, wants one liveness probe " +
		"anywhere in the pod, and grades its absence only as \"almost OK\".",
	Check: func(p *lint.Pass) {
		if p.Object.RunsToCompletion() {
			return
		}
		for _, c := range p.Object.LongRunningContainers() {
			if !c.Get("livenessProbe").Exists() && !runsPause(c) && !injectedByIstio(c) {
				p.Report(c, "%s has no livenessProbe, so a hung process is never restarted; add one", describeContainer(c))
			}
		}
	},
}

// perDeployment is said in the docs of the rules that match objects with each other.
const perDeployment = " Objects are matched within one deployment: a Kustomize overlay, a Helm chart with one value " +
	"set, or the run's raw manifests, which every deployment sees; the config's `deployments` groups charts and overlays " +
	"applied together (docs/config.md)."

// resourcesNotes explains, once for the three resource rules, which containers they check.
const resourcesNotes = "Pod-level `spec.resources` (Kubernetes 1.34+, beta) satisfies the rule for every container. " +
	"Checks app containers and sidecars (init containers with `restartPolicy: Always`). Other " +
	"init containers run one at a time before the app, and the scheduler reserves the larger of their requests " +
	"and the sum of the long-running containers' requests, so they are skipped. A zero quantity (`cpu: 0`) " +
	"counts as unset, as in kube-score. kube-score container-resources also checks plain init containers and " +
	"fails the pod for a missing limit; kube-linter's unset-*-requirements checks flag a value that is unset or " +
	"zero in every container of every deployment-like kind, plain init containers and Jobs included."

var ResourceRequestsMissing = &lint.Rule{
	ID:        "k8s-resource-requests-missing",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Container has no CPU or memory request",
	Inputs:    lint.WorkloadInput,
	Tags:      []lint.Tag{lint.TagReliability, lint.TagCost, lint.TagKubernetes},
	Sources:   []lint.Source{bpgSetRequestsLimitsEachContainer, k8sResourceManagementPodsContainers, bpgSectionConfigureSizeResourceRequests},
	Rationale: "The scheduler places pods by their requests. Without them pods pack onto nodes that cannot " +
		"serve them, are evicted first under memory pressure (BestEffort QoS), and Cluster Autoscaler and Karpenter " +
		"cannot size nodes for them. EKS Best Practices ask for CPU and memory requests on every container.",
	Fix: "Set `resources.requests.cpu` and `resources.requests.memory` to what the container uses under normal load.",
	Example: lint.Example{
		Bad:  deployment("", "          resources:\n            limits:\n              memory: 256Mi\n"),
		Good: deployment("", "          resources:\n            requests:\n              cpu: 100m\n              memory: 256Mi\n            limits:\n              memory: 256Mi\n"),
	},
	Equivalents: []string{"kube-linter unset-cpu-requirements", "kube-linter unset-memory-requirements", "kube-score container-resources",
		"Polaris cpuRequestsMissing", "Polaris memoryRequestsMissing", "Checkov CKV_K8S_10", "Checkov CKV_K8S_12", "Trivy KSV-0015", "Trivy KSV-0016"},
	Notes: resourcesNotes + " A limit without a request is a request too: Kubernetes sets a missing request to the " +
		"limit (for the container, and for the pod's own resources), so `limits: {cpu: 500m, memory: 256Mi}` alone " +
		"is not reported. kube-linter and Polaris read the requests as written and report it.",
	Check: func(p *lint.Pass) {
		podResources := p.Object.PodSpec().Get("resources")
		for _, c := range p.Object.LongRunningContainers() {
			requests := c.Get("resources", "requests")
			var missing []string
			at := requests
			for _, r := range []string{"cpu", "memory"} {
				if q := requests.Get(r); isUnsetQuantity(q) && !requested(c.Get("resources"), r) && !requested(podResources, r) {
					if len(missing) == 0 {
						at = q
					}
					missing = append(missing, r)
				}
			}
			if len(missing) > 0 {
				p.Report(at, "%s has no %s request, so the scheduler cannot place it by what it uses; set resources.requests.%s",
					describeContainer(c), strings.Join(missing, " or "), strings.Join(missing, " and "))
			}
		}
	},
}

var MemoryLimitMissing = &lint.Rule{
	ID:        "k8s-memory-limit-missing",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Container has no memory limit",
	Inputs:    lint.WorkloadInput,
	Tags:      []lint.Tag{lint.TagReliability, lint.TagKubernetes},
	Sources:   []lint.Source{bpgSetRequestsLimitsEachContainer, k8sResourceManagementPodsContainers, bpgSectionConfigureSizeResourceRequests},
	Rationale: "Memory is not compressible: a container without a memory limit can take a node's memory until the " +
		"kernel kills other pods. EKS Best Practices ask for memory limits.",
	Fix: "Set `resources.limits.memory`, usually equal to the memory request.",
	Example: lint.Example{
		Bad:  deployment("", "          resources:\n            requests:\n              cpu: 100m\n              memory: 256Mi\n"),
		Good: deployment("", "          resources:\n            requests:\n              cpu: 100m\n              memory: 256Mi\n            limits:\n              memory: 256Mi\n"),
	},
	Equivalents: []string{"kube-linter unset-memory-requirements", "Polaris memoryLimitsMissing", "Checkov CKV_K8S_13", "Trivy KSV-0018"},
	Notes:       resourcesNotes + " kube-score can drop the memory limit requirement with --ignore-container-memory-limit.",
	Check:       limitCheck("memory", "it can take the node's memory from other pods"),
}

var CPULimitMissing = &lint.Rule{
	ID:      "k8s-cpu-limit-missing",
	Level:   lint.Note,
	Title:   "Container has no CPU limit",
	Inputs:  lint.WorkloadInput,
	Tags:    []lint.Tag{lint.TagReliability, lint.TagCost, lint.TagKubernetes},
	Sources: []lint.Source{bpgSetRequestsLimitsEachContainer, k8sResourceManagementPodsContainers, bpgSectionConfigureSizeResourceRequests},
	Rationale: "Without a CPU limit a busy container can use every idle core of its node, and neighbours whose " +
		"requests are met still see latency when they burst. EKS Best Practices list CPU limits with requests " +
		"; many teams leave them off on purpose because CFS throttling hurts latency-sensitive services, " +
		"which is why this rule is a note and off by default.",
	Fix: "Set `resources.limits.cpu`, or leave it off deliberately and rely on CPU requests for fair sharing.",
	Example: lint.Example{
		Bad:  deployment("", "          resources:\n            requests:\n              cpu: 250m\n              memory: 256Mi\n"),
		Good: deployment("", "          resources:\n            requests:\n              cpu: 250m\n              memory: 256Mi\n            limits:\n              cpu: \"1\"\n              memory: 256Mi\n"),
	},
	Equivalents: []string{"kube-linter unset-cpu-requirements", "Polaris cpuLimitsMissing", "Checkov CKV_K8S_11", "Trivy KSV-0011"},
	Notes:       resourcesNotes + " kube-score requires CPU limits unless run with --ignore-container-cpu-limit.",
	Check:       limitCheck("cpu", "a busy container can starve its neighbours of spare CPU"),
}

// limitCheck reports long-running containers without a limit on resource.
func limitCheck(resource, why string) func(*lint.Pass) {
	return func(p *lint.Pass) {
		if !isUnsetQuantity(p.Object.PodSpec().Get("resources", "limits", resource)) {
			return // a pod-level limit caps all containers together
		}
		for _, c := range p.Object.LongRunningContainers() {
			if limit := c.Get("resources", "limits", resource); isUnsetQuantity(limit) {
				p.Report(limit, "%s has no %s limit, so %s; set resources.limits.%s", describeContainer(c), resource, why, resource)
			}
		}
	}
}

// requested reports whether resources (a container's or the pod's) request some of resource: as a
// request, or as a limit, which Kubernetes copies into a missing request.
func requested(resources lint.Node, resource string) bool {
	return !isUnsetQuantity(resources.Get("requests", resource)) || !isUnsetQuantity(resources.Get("limits", resource))
}

// isUnsetQuantity reports whether a resource quantity is absent or zero (`0`, `"0"`, `0m`, `0Mi`):
// a zero request reserves nothing and a zero limit is rejected, so both mean "not set".
func isUnsetQuantity(q lint.Node) bool {
	if !q.Exists() {
		return true
	}
	s := strings.TrimSpace(q.Str())
	end := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' && r != '+' && r != '-' })
	if end >= 0 {
		s = s[:end]
	}
	f, err := strconv.ParseFloat(s, 64)
	return err == nil && f == 0
}

var ReplicasNoAntiAffinity = &lint.Rule{
	ID:        "k8s-replicas-no-anti-affinity",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Replicas can all land on one node",
	Inputs:    lint.WorkloadInput | lint.NamespaceInput,
	Tags:      []lint.Tag{lint.TagReliability, lint.TagKubernetes},
	Sources:   []lint.Source{bpgScheduleReplicasAcrossNodes, k8sInterPodAffinityAntiAffinity},
	Rationale: "Replicas exist to survive the loss of one of them, but the scheduler may put them all on one node, " +
		"and that node's failure, drain or Spot interruption takes every replica down at once. EKS Best Practices " +
		"recommend pod anti-affinity or topology spread across nodes.",
	Fix: "Add a `topologySpreadConstraints` entry with `topologyKey: kubernetes.io/hostname`, or a preferred pod " +
		"anti-affinity term on `kubernetes.io/hostname`, whose label selector matches the pod's own labels.",
	Example: lint.Example{
		Bad: deployment("", ""),
		Good: deployment("      topologySpreadConstraints:\n        - maxSkew: 1\n          topologyKey: kubernetes.io/hostname\n"+
			"          whenUnsatisfiable: ScheduleAnyway\n          labelSelector:\n            matchLabels:\n              app: web\n", ""),
	},
	Equivalents: []string{"kube-linter no-anti-affinity", "kube-score deployment-has-host-podantiaffinity",
		"kube-score statefulset-has-host-podantiaffinity"},
	Notes: "A `topologySpreadConstraints` entry on `kubernetes.io/hostname` counts as spreading; neither kube-linter " +
		"nor kube-score accepts one (kube-score issue #613). An anti-affinity term (required or preferred) or a " +
		"constraint counts only when its labelSelector matches the pod's own labels and, for anti-affinity, its " +
		"`namespaces` include the pod's namespace (as kube-linter checks). A *required* anti-affinity term on the zone " +
		"or region key (`topology.kubernetes.io/zone` or `/region`, or their deprecated failure-domain forms) counts " +
		"too: it allows one replica per zone (or region), and every EKS node carries exactly one zone and one region " +
		"label, so no two replicas share a node. Preferred terms and spread constraints on those keys do not count, " +
		"since they still let two replicas share a node within a zone (zone spread is k8s-replicas-no-zone-spread), " +
		"nor do required terms on other keys, which nodes may lack (the scheduler then ignores the term). kube-score " +
		"accepts zone and region keys whether required or preferred. Required anti-affinity on region also leaves all " +
		"but one replica pending, as a cluster lives in one region; this rule does not report that. " + replicationNotes +
		" kube-score also warns when replicas is unset (the workload may be under an HPA), kube-linter checks every " +
		"deployment-like kind with 2 or more replicas. " + templatedReplicas + perDeployment,
	Set: scaling.Gather(func(items []scalingItem, s *lint.SetPass) {
		reportUnspread(items, s, func(w *replicatedWorkload) bool { return w.spreadOverNodes },
			"no pod anti-affinity or topology spread on "+hostnameKey+", so all replicas can land on one node; spread them across nodes")
	}),
}

var ReplicasNoZoneSpread = &lint.Rule{
	ID:      "k8s-replicas-no-zone-spread",
	Level:   lint.Note,
	Title:   "Replicas can all land in one Availability Zone",
	Inputs:  lint.WorkloadInput | lint.NamespaceInput,
	Tags:    []lint.Tag{lint.TagReliability, lint.TagEKS, lint.TagKubernetes},
	Sources: []lint.Source{bpgSpreadWorkerNodesWorkloadsAcross, bpgUsingPodTopologySpreadConstraints},
	Rationale: "Node groups span Availability Zones so that a zone outage leaves capacity, but the scheduler does " +
		"not spread a workload's replicas over zones by itself beyond a default soft preference; all replicas can " +
		"end up in one zone and go down with it. EKS Best Practices recommend spreading replicas across zones.",
	Fix: "Add a `topologySpreadConstraints` entry with `topologyKey: topology.kubernetes.io/zone` (and " +
		"`whenUnsatisfiable: ScheduleAnyway` unless zones must be balanced strictly) whose label selector matches the pod's labels.",
	Example: lint.Example{
		Bad: deployment("", ""),
		Good: deployment("      topologySpreadConstraints:\n        - maxSkew: 1\n          topologyKey: topology.kubernetes.io/zone\n"+
			"          whenUnsatisfiable: ScheduleAnyway\n          labelSelector:\n            matchLabels:\n              app: web\n", ""),
	},
	Equivalents: []string{"Polaris topologySpreadConstraint", "kube-score pod-topology-spread-constraints"},
	Notes: "Only spreading on `topology.kubernetes.io/zone` (or the deprecated `failure-domain.beta.kubernetes.io/zone`) " +
		"by a topology spread constraint or anti-affinity term selecting the pod's own labels counts. Polaris " +
		"topologySpreadConstraint is satisfied by any constraint, on any key; kube-score " +
		"pod-topology-spread-constraints only validates constraints that exist and passes when there are none. " +
		replicationNotes + " " + templatedReplicas + perDeployment,
	Set: scaling.Gather(func(items []scalingItem, s *lint.SetPass) {
		reportUnspread(items, s, func(w *replicatedWorkload) bool { return w.spreadOverZones },
			"no topology spread or pod anti-affinity on "+zoneKeys[0]+", so a zone outage can take every replica; spread them across zones")
	}),
}

// replicationNotes says in the docs of the rules about replicated workloads which workloads are.
const replicationNotes = "Deployments and StatefulSets are checked when they run more than one pod: when `replicas` " +
	"is above 1, or when a HorizontalPodAutoscaler (or a KEDA ScaledObject, which makes one) in their namespace keeps " +
	"at least 2 (an autoscaled workload often leaves `replicas` unset). The finding lands on the number that makes " +
	"the pods many: `replicas`, else the autoscaler's `minReplicas` (`minReplicaCount`), with the workload as a " +
	"related location. " + pauseNotes

// pauseNotes says which workloads the replica and probe rules leave alone as placeholders.
const pauseNotes = "Containers that run a pause image (`registry.k8s.io/pause`, EKS Distro's) are not asked for probes, " +
	"nor is an Istio proxy its injection fills in (" + istioAuto + "), " +
	"and workloads whose containers all do are not asked for replicas, spreading or a PodDisruptionBudget: they are " +
	"the placeholder pods of cluster overprovisioning, which hold capacity at a negative priority until real pods " +
	"preempt them; a probe on them checks nothing, and a budget would only make drains wait on them."

// reportUnspread reports each workload that runs more than one pod (replication) and whose pods
// spreads says are not spread: "<replication> but <problem>".
func reportUnspread(items []scalingItem, s *lint.SetPass, spreads func(*replicatedWorkload) bool, problem string) {
	scalers := scalersOf(items)
	for _, it := range items {
		w := it.workload
		if w == nil || spreads(w) {
			continue
		}
		if r, ok := w.replication(scalers[w.target]); ok {
			s.Report(r.at, "%s but %s", r.how, problem)
		}
	}
}

const hostnameKey = "kubernetes.io/hostname"

// zoneKeys are the node labels naming a node's Availability Zone, current first.
var zoneKeys = []string{"topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone"}

// nodeDomainKeys are the node labels coarser than a node that every EKS node carries exactly one
// value of (the kubelet and the cloud provider set them): its zone and its region. Pods that
// required anti-affinity keeps one per zone, or one per region, never share a node, since two on one
// node would share its zone and region. A key that some nodes lack gives no such guarantee: the
// scheduler lets a pod onto a node without the label whatever its anti-affinity says.
var nodeDomainKeys = append(slices.Clone(zoneKeys), "topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/region")

// spreadsOn reports whether a workload's pods spread over one of topologyKeys, by a topology spread
// constraint or a (required or preferred) pod anti-affinity term that counts (ownAntiAffinity).
func spreadsOn(o *lint.Object, topologyKeys ...string) bool {
	labels := o.PodLabels()
	for _, c := range o.PodSpec().Get("topologySpreadConstraints").Items() {
		if slices.Contains(topologyKeys, c.Get("topologyKey").Str()) && lint.Selects(c.Get("labelSelector"), labels) {
			return true
		}
	}
	anti := o.PodSpec().Get("affinity", "podAntiAffinity")
	terms := anti.Get("requiredDuringSchedulingIgnoredDuringExecution").Items()
	for _, w := range anti.Get("preferredDuringSchedulingIgnoredDuringExecution").Items() {
		terms = append(terms, w.Get("podAffinityTerm"))
	}
	return slices.ContainsFunc(terms, func(t lint.Node) bool { return ownAntiAffinity(o, t, topologyKeys) })
}

// requiresOnePerDomain reports whether a required pod anti-affinity term keeps the workload to one
// pod per value of one of topologyKeys.
func requiresOnePerDomain(o *lint.Object, topologyKeys ...string) bool {
	terms := o.PodSpec().Get("affinity", "podAntiAffinity", "requiredDuringSchedulingIgnoredDuringExecution").Items()
	return slices.ContainsFunc(terms, func(t lint.Node) bool { return ownAntiAffinity(o, t, topologyKeys) })
}

// ownAntiAffinity reports whether an anti-affinity term keeps the workload's pods apart over one of
// topologyKeys: its selector must match the pods' own labels (one that matches other pods spreads
// nothing of this workload), and it applies to the namespaces it lists (or selects), with neither
// to the pod's own.
func ownAntiAffinity(o *lint.Object, t lint.Node, topologyKeys []string) bool {
	namespaces := t.Get("namespaces").Strings()
	ownNamespace := len(namespaces) == 0 || slices.Contains(namespaces, o.Namespace()) || t.Get("namespaceSelector").IsMap()
	return slices.Contains(topologyKeys, t.Get("topologyKey").Str()) && ownNamespace && lint.Selects(t.Get("labelSelector"), o.PodLabels())
}

var SingleReplica = &lint.Rule{
	ID:      "k8s-single-replica",
	Level:   lint.Note,
	Title:   "Workload runs a single replica",
	Inputs:  lint.WorkloadInput | lint.NamespaceInput,
	Tags:    []lint.Tag{lint.TagReliability, lint.TagKubernetes},
	Sources: []lint.Source{bpgAvoidRunningSingletonPods},
	Rationale: "One replica means downtime whenever its pod restarts, is evicted, or its node is drained, upgraded " +
		"or interrupted, which on EKS happens at every node group or AMI update. EKS Best Practices recommend " +
		"several replicas spread across nodes and zones.",
	Fix: "Set `replicas: 2` or more (with anti-affinity and a PodDisruptionBudget), or scale the workload with a " +
		"HorizontalPodAutoscaler whose `minReplicas` is at least 2.",
	Example: lint.Example{
		Bad:  strings.Replace(deployment("", ""), "replicas: 3", "replicas: 1", 1),
		Good: deployment("", ""),
	},
	Equivalents: []string{"kube-score deployment-replicas", "Polaris deploymentMissingReplicas", "kube-linter minimum-three-replicas"},
	Notes: "A HorizontalPodAutoscaler, or a KEDA ScaledObject (which creates one), targeting the workload in its " +
		"namespace exempts it whatever its `replicas`; `replicas: 0` (scaled down on purpose) is not reported. " +
		"kube-linter minimum-three-replicas (off by default) asks for 3. " + pauseNotes + " " + templatedReplicas + perDeployment,
	Set: scaling.Gather(func(items []scalingItem, s *lint.SetPass) {
		scalers := scalersOf(items)
		for _, it := range items {
			w := it.workload
			if w == nil || w.replicas > 1 || w.replicas == 0 && w.replicasSet || scalers[w.target] != nil {
				continue
			}
			if w.replicasSet {
				s.Report(w.replicasAt, "replicas: 1 and no HorizontalPodAutoscaler scales %s %s, so any restart or node drain "+
					"takes it offline; run 2 or more replicas", w.target.kind, lint.QuoteName(w.target.name))
			} else {
				s.Report(w.replicasAt, "%s %s sets no replicas (1 pod) and no HorizontalPodAutoscaler scales it, so any restart or "+
					"node drain takes it offline; set replicas: 2 or more", w.target.kind, lint.QuoteName(w.target.name))
			}
		}
	}),
}

// templatedReplicas is said in the docs of the rules that count replicas.
const templatedReplicas = "`replicas` that a templating step fills in (`replicas: ${REPLICAS}`) is unknown, so the " +
	"workload is not judged."

// scaleTarget names a workload an autoscaler can target: namespace, kind and name.
type scaleTarget struct{ namespace, kind, name string }

// scalingItem is what the replica rules keep from an object: a Deployment or StatefulSet with its
// replicas and pod labels, an autoscaler with its target, or a PodDisruptionBudget.
type scalingItem struct {
	workload *replicatedWorkload
	scaler   *autoscaler
	pdb      *disruptionBudget
}

type replicatedWorkload struct {
	target      scaleTarget
	namedAt     lint.Pos // its metadata.name, for related locations
	replicas    int64    // 1 when unset
	replicasSet bool
	replicasAt  lint.Place
	labels      lint.Labels
	controller  podController
	selector    string // spec.selector, for messages: what a PodDisruptionBudget would copy
	// spreadOverNodes and spreadOverZones say whether the pods are kept apart over nodes (a spread
	// constraint or anti-affinity on the hostname, or required anti-affinity on the zone or region)
	// and over zones.
	spreadOverNodes, spreadOverZones bool
}

type autoscaler struct {
	target        scaleTarget
	kind          string // HorizontalPodAutoscaler or ScaledObject
	name          string
	minReplicas   int64
	minReplicasAt lint.Place
}

// scalersOf indexes the autoscalers among items by the workload they scale.
func scalersOf(items []scalingItem) map[scaleTarget]*autoscaler {
	scalers := map[scaleTarget]*autoscaler{}
	for _, it := range items {
		if it.scaler != nil {
			scalers[it.scaler.target] = it.scaler
		}
	}
	return scalers
}

// replication is how a workload comes to run more than one pod, for a finding about it.
type replication struct {
	how string     // "replicas: 3", or the autoscaler that keeps at least that many
	at  lint.Place // where that number is written
}

// replication says how a workload runs more than one pod: by its replicas, else by the minimum of
// the autoscaler that scales it (nil when none does). ok is false when neither asks for more than
// one. The replica rules agree on it, so a workload they judge is judged by each of them alike.
func (w *replicatedWorkload) replication(scaler *autoscaler) (r replication, ok bool) {
	switch {
	case w.replicasSet && w.replicas > 1:
		return replication{fmt.Sprintf("replicas: %d", w.replicas), w.replicasAt}, true
	case scaler != nil && scaler.minReplicas > 1:
		at := scaler.minReplicasAt
		at.Related = append(slices.Clone(at.Related), lint.Location{Pos: w.namedAt,
			Message: fmt.Sprintf("%s %s, which it scales", w.target.kind, lint.QuoteName(w.target.name))})
		return replication{fmt.Sprintf("%s %s keeps at least %d replicas of %s %s", scaler.kind, lint.QuoteName(scaler.name),
			scaler.minReplicas, w.target.kind, lint.QuoteName(w.target.name)), at}, true
	}
	return replication{}, false
}

type disruptionBudget struct {
	namespace, name string
	selector        lint.LabelSelector
}

// replicated reports whether o runs a number of interchangeable pods from its own pod template, as
// Deployments and StatefulSets do (Argo Rollouts, OpenKruise CloneSets and OpenShift
// DeploymentConfigs too).
func replicated(o *lint.Object) bool {
	k := o.WorkloadKind()
	return (k == "Deployment" || k == "StatefulSet") && !o.RunsReferencedPods()
}

// scaling is the collect step the replica rules share. A workload is judged by the autoscalers
// and PodDisruptionBudgets of its own namespace; when none of these selects it, its finding names a
// budget of another namespace that would, so a deployment's check reads every budget of the raw
// manifests, wherever it is.
var scaling = lint.Collect(collectScaling).ByNamespace(func(it scalingItem) (string, bool) {
	switch {
	case it.workload != nil:
		return it.workload.target.namespace, false
	case it.scaler != nil:
		return it.scaler.target.namespace, false
	}
	return it.pdb.namespace, false
}).AlsoElsewhere(func([]scalingItem) func(scalingItem) bool {
	return func(it scalingItem) bool { return it.pdb != nil }
})

// collectScaling keeps Deployments, StatefulSets, PodDisruptionBudgets and the autoscalers that
// may target the workloads (HorizontalPodAutoscaler, and KEDA ScaledObject, which creates one).
func collectScaling(p *lint.Pass) (scalingItem, bool) {
	o := p.Object
	if o.Format != lint.Kubernetes {
		return scalingItem{}, false
	}
	switch {
	case replicated(o) && !holdsCapacity(o):
		replicas := o.Get("spec", "replicas")
		if lint.IsPlaceholder(replicas.Str()) {
			return scalingItem{}, false // a templating step sets the count: unknown here
		}
		n, set := replicas.Int()
		if !set {
			n = 1
		}
		w := &replicatedWorkload{
			target: scaleTarget{o.Namespace(), o.Kind(), o.Name()}, namedAt: o.Place().Pos,
			replicas: n, replicasSet: set, replicasAt: replicas.Place(),
			labels: o.PodLabels(), controller: podControllerOf(o),
			spreadOverNodes: spreadsOn(o, hostnameKey) || requiresOnePerDomain(o, nodeDomainKeys...),
			spreadOverZones: spreadsOn(o, zoneKeys...),
		}
		if sel := lint.SelectorOf(o.Get("spec", "selector")); sel.String() != "" {
			w.selector = sel.String()
		} else {
			w.selector = w.labels.String()
		}
		return scalingItem{workload: w}, true
	case o.Kind() == "HorizontalPodAutoscaler":
		ref := o.Get("spec", "scaleTargetRef")
		minReplicas := o.Get("spec", "minReplicas")
		least, ok := minReplicas.Int()
		if !ok {
			least = 1 // the API default
		}
		return scalingItem{scaler: &autoscaler{
			target: scaleTarget{o.Namespace(), ref.Get("kind").Str(), ref.Get("name").Str()},
			kind:   o.Kind(), name: o.Name(), minReplicas: least, minReplicasAt: minReplicas.Place(),
		}}, true
	case o.Kind() == "ScaledObject" && lint.APIGroup(o.ID.APIVersion) == "keda.sh":
		ref := o.Get("spec", "scaleTargetRef")
		kind := ref.Get("kind").Str()
		if kind == "" {
			kind = "Deployment" // KEDA's default
		}
		minReplicas := o.Get("spec", "minReplicaCount")
		least, ok := minReplicas.Int()
		if !ok {
			least = 0 // KEDA's default: scale to zero when idle
		}
		return scalingItem{scaler: &autoscaler{
			target: scaleTarget{o.Namespace(), kind, ref.Get("name").Str()},
			kind:   o.Kind(), name: o.Name(), minReplicas: least, minReplicasAt: minReplicas.Place(),
		}}, true
	case o.Kind() == "PodDisruptionBudget":
		sel := lint.SelectorOf(o.Get("spec", "selector"))
		if o.ID.APIVersion == "policy/v1beta1" && sel.SelectsAll() {
			sel = lint.LabelSelector{} // in policy/v1beta1 an empty selector selects no pods
		}
		return scalingItem{pdb: &disruptionBudget{namespace: o.Namespace(), name: o.Name(), selector: sel}}, true
	}
	return scalingItem{}, false
}

var PDBMissing = &lint.Rule{
	ID:        "k8s-pdb-missing",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Replicated workload has no PodDisruptionBudget",
	Inputs:    lint.NamespaceInput,
	Tags:      []lint.Tag{lint.TagReliability, lint.TagEKS, lint.TagKubernetes},
	Sources:   []lint.Source{bpgConfigurePodDisruptionBudgets, k8sSpecifyingDisruptionBudgetApplication},
	Rationale: "Node drains (managed node group updates, Karpenter consolidation and expiry, Spot interruptions " +
		"handled by the node termination handler) evict pods through the eviction API, which only holds back when " +
		"a PodDisruptionBudget protects them; without one a drain can evict every replica at once. EKS Best " +
		"Practices recommend a PodDisruptionBudget for replicated workloads.",
	Fix: "Add a PodDisruptionBudget in the workload's namespace whose `selector` matches its pod labels, with " +
		"`maxUnavailable: 1` (or a `minAvailable` below the replica count, so drains can still proceed).",
	Example: lint.Example{
		Bad: deployment("", ""),
		Good: deployment("", "") + `---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: web
  namespace: shop
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app: web
`,
	},
	Equivalents: []string{"kube-score deployment-has-poddisruptionbudget", "kube-score statefulset-has-poddisruptionbudget",
		"Polaris missingPodDisruptionBudget"},
	Notes: replicationNotes + " kube-score also checks Deployments that leave `replicas` unset without an autoscaler. " +
		"A PodDisruptionBudget counts only in the workload's " +
		"effective namespace (a Helm release or Kustomize namespace applies). In `policy/v1beta1` an empty " +
		"selector selects no pods; in `policy/v1` it selects every pod of the namespace." + controllerLabels + " " +
		templatedReplicas + perDeployment,
	Set: scaling.Gather(func(items []scalingItem, s *lint.SetPass) {
		scalers := scalersOf(items)
		var pdbs []indexedSelector[*disruptionBudget]
		for _, it := range items {
			if it.pdb != nil {
				pdbs = append(pdbs, indexedSelector[*disruptionBudget]{namespace: it.pdb.namespace, selector: it.pdb.selector, value: it.pdb})
			}
		}
		budgets := newSelectorIndex(pdbs)
		for _, it := range items {
			w := it.workload
			if w == nil {
				continue
			}
			r, ok := w.replication(scalers[w.target])
			if !ok {
				continue
			}
			if _, ok := firstOf(budgets.selecting(w.target.namespace, w.labels, w.controller)); ok {
				continue
			}
			if w.labels.Len() == 0 {
				s.Report(r.at, "%s but the pods have no labels, so no PodDisruptionBudget can select them; label them and add one", r.how)
				continue
			}
			hint := "add one with maxUnavailable: 1"
			var elsewhere *disruptionBudget
			for b := range budgets.selectingElsewhere(w.target.namespace, w.labels, w.controller) {
				if elsewhere == nil || b.namespace+"/"+b.name < elsewhere.namespace+"/"+elsewhere.name {
					elsewhere = b
				}
			}
			if elsewhere != nil {
				hint = fmt.Sprintf("PodDisruptionBudget %s in namespace %s matches but only protects pods of its own namespace",
					lint.QuoteName(elsewhere.name), elsewhere.namespace)
			}
			s.Report(r.at, "%s but no PodDisruptionBudget in namespace %s selects %s; %s", r.how, w.target.namespace, w.selector, hint)
		}
	}),
}

var HostNetwork = &lint.Rule{
	ID:        "k8s-host-network",
	Level:     lint.Error,
	DefaultOn: true,
	Title:     "Pod uses the node's network namespace",
	Inputs:    lint.WorkloadInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS, lint.TagKubernetes},
	Sources:   []lint.Source{bpgRestrictAccessInstanceProfileAssigned, k8sBaseline},
	Rationale: "A `hostNetwork: true` pod shares the node's network stack: it can reach the instance metadata " +
		"service and take the node's IAM role even when IMDS is blocked for pods (eksctl `disablePodIMDS`, hop " +
		"limit 1, which only blocks non-host-network pods), and it bypasses NetworkPolicy.",
	Fix: "Remove `hostNetwork: true`; expose ports with a Service, or `hostPort` only if the workload truly needs it. " +
		"Node agents (CNI, kube-proxy, node exporters) that need the host network should get their own IAM role " +
		"through Pod Identity or IRSA and a suppression with a reason.",
	Example: lint.Example{
		Bad:  deployment("      hostNetwork: true\n", ""),
		Good: deployment("", ""),
	},
	Equivalents: []string{"kube-linter host-network", "Polaris hostNetworkSet", "Checkov CKV_K8S_19", "Trivy KSV-0009"},
	Notes: "A DaemonSet (or a kind that runs pods as one does) is reported as a note, not an error: a DaemonSet is " +
		"how node agents run, and the CNI (aws-node), kube-proxy, node exporters and the node termination handler " +
		"need the host network by design, so standard EKS add-ons would otherwise fail every CI run. The note still " +
		"says that the agent can act as the node, so that each one is given an IAM role of its own. Every other " +
		"kind stays an error, unless its pods tolerate every taint (`operator: Exists` without a key, for every effect): " +
		"what must run before pod networking does, such as a network plugin's operator (Calico's tigera-operator, " +
		"cilium-operator), is a note too. kube-linter, Polaris, Checkov and Trivy report every kind alike. Such a pod also binds " +
		"each container port on the node (the API server sets its hostPort to its containerPort), which " +
		"k8s-host-port leaves to this rule, whether hostPort is written or not.",
	Check: func(p *lint.Pass) {
		o := p.Object
		hn := o.PodSpec().Get("hostNetwork")
		switch {
		case !hn.IsTrue():
		case o.WorkloadKind() == "DaemonSet":
			p.ReportLevel(lint.Note, hn, "%s shares the node's network, so its pods reach the instance metadata service and "+
				"the node's IAM role; usual for a node agent: run only agents you trust there, and give each an IAM role of its "+
				"own (Pod Identity or IRSA) rather than the node's", describeObject(o))
		case toleratesEveryTaint(o.PodSpec()):
			p.ReportLevel(lint.Note, hn, "%s shares the node's network, so its pods reach the instance metadata service and "+
				"the node's IAM role; usual for what runs before pod networking does, as it tolerates every taint (a network "+
				"plugin's operator): give it an IAM role of its own (Pod Identity or IRSA) rather than the node's", describeObject(o))
		default:
			p.Report(hn, "%s shares the node's network, so its pods reach the instance metadata service and the node's IAM "+
				"role; remove hostNetwork: true unless it is a node agent", describeObject(o))
		}
	},
}

// toleratesEveryTaint reports whether a pod spec's tolerations admit it to a node whatever its
// taints: an `operator: Exists` toleration without a key, for every effect or for NoSchedule and
// NoExecute both (node.kubernetes.io/not-ready, node.cilium.io/agent-not-ready and the rest).
func toleratesEveryTaint(spec lint.Node) bool {
	effects := map[string]bool{}
	for _, t := range spec.Get("tolerations").Items() {
		if t.Get("operator").Str() == "Exists" && t.Get("key").Str() == "" {
			effects[t.Get("effect").Str()] = true
		}
	}
	return effects[""] || effects["NoSchedule"] && effects["NoExecute"]
}

var IRSARoleARNInvalid = &lint.Rule{
	ID:        "k8s-irsa-role-arn-invalid",
	Level:     lint.Error,
	DefaultOn: true,
	Title:     "ServiceAccount role-arn annotation is not an IAM role ARN",
	Inputs:    lint.RBACInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources:   []lint.Source{eksGuideAssignIAMRolesKubernetesService, eksctlIAMRolesServiceAccounts},
	Rationale: "The EKS Pod Identity Webhook gives pods of a ServiceAccount AWS credentials for the role named in " +
		"its `eks.amazonaws.com/role-arn` annotation. A malformed value (a placeholder left in, a user ARN, a " +
		"short account id) fails only at run time, when the SDK's AssumeRoleWithWebIdentity call is refused and " +
		"the application runs without its permissions or falls back to the node role.",
	Fix: "Set the annotation to the role's full ARN, `arn:aws:iam::<12-digit account id>:role/<path/><name>` " +
		"(`arn:aws-cn:` or `arn:aws-us-gov:` in those partitions), or remove it when the pod uses Pod Identity.",
	Example: lint.Example{
		Bad:  serviceAccount("web", "    eks.amazonaws.com/role-arn: arn:aws:iam::ACCOUNT_ID:role/web\n"),
		Good: serviceAccount("web", "    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/web\n"),
	},
	Notes: "Role paths are accepted (`role/team/web`): unlike aws-auth entries, IRSA passes the ARN to STS, which " +
		"needs the path. All AWS partitions are accepted (aws, aws-cn, aws-us-gov, the ISO partitions and " +
		"aws-eusc), not only the three RULES.md names. An empty value is reported: the webhook then skips the pod. " +
		placeholderNote("role ARN", "`ACCOUNT_ID`, `<account-id>`"),
	Check: func(p *lint.Pass) {
		o := p.Object
		if o.Format != lint.Kubernetes || o.Kind() != "ServiceAccount" {
			return
		}
		arn := o.Annotation(roleARNAnnotation)
		if !arn.Exists() {
			return
		}
		if why := roleARNProblem(arn.Str()); why != "" {
			p.Report(arn, "%s %q is not an IAM role ARN (%s); use arn:aws:iam::<12-digit account id>:role/<name>",
				roleARNAnnotation, arn.Str(), why)
		}
	},
}

const roleARNAnnotation = "eks.amazonaws.com/role-arn"

var (
	arnPartition = regexp.MustCompile(`^(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-[a-z]|aws-eusc)$`)
	accountID    = regexp.MustCompile(`^[0-9]{12}$`)
	// roleName is an IAM role name; path segments between role/ and the name use printable ASCII.
	roleName = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	rolePath = regexp.MustCompile(`^[\x21-\x2E\x30-\x7E]+$`)
)

// roleARNProblem says what is wrong with an IAM role ARN, or "" when it is well formed or holds a
// placeholder of a templating step, which assembles it before it is applied.
func roleARNProblem(arn string) string {
	switch {
	case arn == "":
		return "it is empty, so the webhook skips the pods"
	case strings.TrimSpace(arn) != arn:
		return "it has spaces around it"
	case lint.HasPlaceholder(arn):
		return ""
	case strings.ContainsAny(arn, "<>{}$"):
		return "it still holds a placeholder"
	}
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return "it does not have the form arn:partition:iam::account:role/name"
	}
	partition, service, region, account, resource := parts[1], parts[2], parts[3], parts[4], parts[5]
	switch {
	case !arnPartition.MatchString(partition):
		return fmt.Sprintf("unknown partition %q", partition)
	case service != "iam":
		return fmt.Sprintf("service %q, not iam", service)
	case region != "":
		return "IAM ARNs have no region"
	case !accountID.MatchString(account):
		return fmt.Sprintf("account id %q is not 12 digits", account)
	}
	typ, name, _ := strings.Cut(resource, "/")
	if typ != "role" {
		return fmt.Sprintf("it names a %s, not a role", typ)
	}
	segments := strings.Split(name, "/")
	for _, seg := range segments[:len(segments)-1] {
		if !rolePath.MatchString(seg) {
			return fmt.Sprintf("path %q is malformed", name)
		}
	}
	if !roleName.MatchString(segments[len(segments)-1]) {
		return fmt.Sprintf("role name %q is malformed", segments[len(segments)-1])
	}
	return ""
}

var WorkloadNoAWSIdentity = &lint.Rule{
	ID:      "k8s-workload-no-aws-identity",
	Level:   lint.Note,
	Title:   "Pods have no AWS identity of their own",
	Inputs:  lint.NamespaceInput | lint.EksctlInput | lint.CloudFormationInput,
	Tags:    []lint.Tag{lint.TagSecurity, lint.TagEKS},
	Sources: []lint.Source{bpgIdentitiesCredentialsPods, eksGuideGrantKubernetesWorkloadsAccessAWS, eksGuideLearnHowPodIdentityGrants},
	Rationale: "A pod whose ServiceAccount has neither an IRSA role (`eks.amazonaws.com/role-arn`) nor an EKS Pod " +
		"Identity association gets AWS credentials only from the node's instance role, when IMDS is reachable: " +
		"every pod on the node shares them, and least privilege is lost. EKS Best Practices: give each workload " +
		"its own role, preferably with Pod Identity, and keep pods off the node role. Off by default: " +
		"most workloads never call AWS.",
	Fix: "Create a Pod Identity association for the namespace and ServiceAccount (eksctl " +
		"`iam.podIdentityAssociations`, CloudFormation `AWS::EKS::PodIdentityAssociation`), or annotate the " +
		"ServiceAccount with `eks.amazonaws.com/role-arn`.",
	Example: lint.Example{
		Bad: deployment("      serviceAccountName: web\n", "") + "---\n" + serviceAccount("web", "    team: shop\n"),
		Good: deployment("      serviceAccountName: web\n", "") + "---\n" +
			serviceAccount("web", "    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/web\n"),
	},
	Notes: "Identity is looked up in the whole run: ServiceAccount annotations, eksctl `iam.podIdentityAssociations`, " +
		"`addons[].podIdentityAssociations` and `iam.serviceAccounts` (eksctl annotates those ServiceAccounts itself " +
		"unless `roleOnly` is set), and CloudFormation `AWS::EKS::PodIdentityAssociation`, whose namespace or " +
		"ServiceAccount given by a parameter matches any." + perDeployment,
	Set: lint.Gather(collectIdentity, func(items []identityItem, s *lint.SetPass) {
		var wildcards []serviceAccountRef
		known := map[serviceAccountRef]bool{}
		for _, it := range items {
			for _, r := range it.identities {
				if r.namespace == "*" || r.name == "*" {
					wildcards = append(wildcards, r)
				} else {
					known[r] = true
				}
			}
		}
		hasIdentity := func(r serviceAccountRef) bool {
			if known[r] {
				return true
			}
			return slices.ContainsFunc(wildcards, func(w serviceAccountRef) bool {
				return (w.namespace == "*" || w.namespace == r.namespace) && (w.name == "*" || w.name == r.name)
			})
		}
		for _, it := range items {
			if w := it.pods; w != nil && !hasIdentity(w.serviceAccount) {
				s.Report(w.at, "pods of %s run as ServiceAccount %s/%s, which has no %s annotation and no Pod Identity "+
					"association in this input, so AWS SDKs fall back to the node role; give it a role of its own",
					w.describe, w.serviceAccount.namespace, w.serviceAccount.name, roleARNAnnotation)
			}
		}
	}),
}

// serviceAccountRef names a ServiceAccount; "*" matches any namespace or name.
type serviceAccountRef struct{ namespace, name string }

// identityItem is what the identity rule keeps: the ServiceAccount a workload's pods run as, or
// the ServiceAccounts an object gives an AWS identity.
type identityItem struct {
	pods       *podServiceAccount
	identities []serviceAccountRef
}

type podServiceAccount struct {
	serviceAccount serviceAccountRef
	describe       string
	at             lint.Place
}

// podServiceAccountOf returns the ServiceAccount a workload's pods run as and the field naming it:
// serviceAccountName, else the deprecated serviceAccount, else "default".
func podServiceAccountOf(o *lint.Object) (serviceAccountRef, lint.Node) {
	spec := o.PodSpec()
	at := spec.Get("serviceAccountName")
	if !at.Exists() && spec.Get("serviceAccount").Exists() {
		at = spec.Get("serviceAccount")
	}
	name := at.Str()
	if name == "" {
		name = "default"
	}
	return serviceAccountRef{o.Namespace(), name}, at
}

func collectIdentity(p *lint.Pass) (identityItem, bool) {
	o := p.Object
	switch {
	case o.IsWorkload():
		sa, at := podServiceAccountOf(o)
		return identityItem{pods: &podServiceAccount{serviceAccount: sa, describe: describeObject(o), at: at.Place()}}, true
	case o.Format == lint.Kubernetes && o.Kind() == "ServiceAccount":
		if roleARNProblem(o.Annotation(roleARNAnnotation).Str()) != "" {
			return identityItem{}, false
		}
		return identityItem{identities: []serviceAccountRef{{o.Namespace(), o.Name()}}}, true
	case o.Format == lint.Eksctl && o.Kind() == "ClusterConfig":
		var refs []serviceAccountRef
		for _, a := range o.Get("iam", "podIdentityAssociations").Items() {
			refs = append(refs, serviceAccountRef{a.Get("namespace").Str(), a.Get("serviceAccountName").Str()})
		}
		for _, sa := range o.Get("iam", "serviceAccounts").Items() {
			if sa.Get("roleOnly").IsTrue() {
				continue // eksctl creates the role but leaves the ServiceAccount to you
			}
			ns := sa.Get("metadata", "namespace").Str()
			if ns == "" {
				ns = "default"
			}
			refs = append(refs, serviceAccountRef{ns, sa.Get("metadata", "name").Str()})
		}
		for _, addon := range o.Get("addons").Items() {
			for _, a := range addon.Get("podIdentityAssociations").Items() {
				ns := a.Get("namespace").Str()
				if ns == "" {
					ns = "*" // the add-on's own namespace, which eksctl knows and the manifests do not say
				}
				refs = append(refs, serviceAccountRef{ns, a.Get("serviceAccountName").Str()})
			}
		}
		return identityItem{identities: refs}, len(refs) > 0
	case o.Format == lint.CloudFormation && o.Kind() == "AWS::EKS::PodIdentityAssociation":
		known := func(n lint.Node) string {
			if n.IsString() {
				return n.Str()
			}
			return "*" // a parameter or another intrinsic: known only at deploy time
		}
		props := o.Properties()
		return identityItem{identities: []serviceAccountRef{{known(props.Get("Namespace")), known(props.Get("ServiceAccount"))}}}, true
	}
	return identityItem{}, false
}

var SATokenAutomount = &lint.Rule{
	ID:      "k8s-sa-token-automount",
	Level:   lint.Note,
	Title:   "Pods get a Kubernetes API token they may not need",
	Inputs:  lint.WorkloadInput | lint.RBACInput,
	Tags:    []lint.Tag{lint.TagSecurity, lint.TagKubernetes},
	Sources: []lint.Source{bpgDisableAutoMountingServiceAccount, k8sOptOutAPICredentialAutomounting, bpgDisableServiceAccountTokenMounts},
	Rationale: "Unless `automountServiceAccountToken: false` is set on the pod or its ServiceAccount, every " +
		"container gets a token for the Kubernetes API; an attacker who gets code execution in the container gets " +
		"the ServiceAccount's RBAC permissions with it. EKS Best Practices: restrict RBAC and do not hand out " +
		"credentials pods do not use. IRSA and Pod Identity project their own tokens and work without it.",
	Fix: "Set `automountServiceAccountToken: false` on the ServiceAccount (or the pod spec) of workloads that do not " +
		"call the Kubernetes API; set it to `true` explicitly on those that do.",
	Example: lint.Example{
		Bad:  deployment("      serviceAccountName: web\n", "") + "---\n" + serviceAccount("web", "    team: shop\n"),
		Good: deployment("      serviceAccountName: web\n", "") + "---\n" + serviceAccount("web", "    team: shop\n") + "automountServiceAccountToken: false\n",
	},
	Equivalents: []string{"Polaris automountServiceAccountToken", "Checkov CKV_K8S_38", "Trivy KSV-0036"},
	Notes: "The pod spec's setting wins over the ServiceAccount's, as in Kubernetes. Only the silent default is " +
		"reported: an explicit `true` on either is taken as a deliberate choice. A ServiceAccount not in the input " +
		"counts as unset. Polaris, Checkov and Trivy look at the pod spec alone, so they also report pods whose " +
		"ServiceAccount already disables the token." + perDeployment,
	Set: lint.Gather(collectAutomount, func(items []automountItem, s *lint.SetPass) {
		accounts := map[serviceAccountRef]bool{} // ServiceAccounts that set automountServiceAccountToken
		for _, it := range items {
			if it.pods == nil && it.set {
				accounts[it.serviceAccount] = true
			}
		}
		for _, it := range items {
			if it.pods != nil && !it.set && !accounts[it.serviceAccount] {
				s.Report(it.pods.at, "neither the pod spec of %s nor ServiceAccount %s/%s sets automountServiceAccountToken, so "+
					"every container gets a Kubernetes API token; set it to false where the pods do not call the API",
					it.pods.describe, it.serviceAccount.namespace, it.serviceAccount.name)
			}
		}
	}),
}

// automountItem is a workload's pods or a ServiceAccount, and whether it sets
// automountServiceAccountToken either way.
type automountItem struct {
	serviceAccount serviceAccountRef
	set            bool
	pods           *podServiceAccount
}

func collectAutomount(p *lint.Pass) (automountItem, bool) {
	o := p.Object
	switch {
	case o.IsWorkload():
		sa, _ := podServiceAccountOf(o)
		automount := o.PodSpec().Get("automountServiceAccountToken")
		return automountItem{serviceAccount: sa, set: automount.Exists(),
			pods: &podServiceAccount{describe: describeObject(o), at: automount.Place()}}, true
	case o.Format == lint.Kubernetes && o.Kind() == "ServiceAccount":
		return automountItem{serviceAccount: serviceAccountRef{o.Namespace(), o.Name()},
			set: o.Get("automountServiceAccountToken").Exists()}, true
	}
	return automountItem{}, false
}

// imageNotes explains how both image rules read references.
const imageNotes = "Image references are read as the container runtime does, with the grammar Docker and " +
	"containerd use (github.com/distribution/reference): a registry port is not a tag (`registry:5000/app` has " +
	"none), and a digest (`app:1.2@sha256:...`) pins the image whatever the tag says. Init containers are checked " +
	"too. An image that is wholly a placeholder of a templating step (`${IMAGE}`, `{{ .Values.image }}`, ko's " +
	"`ko://github.com/org/app/cmd/app`) is not judged; one that holds a placeholder is judged by its literal parts " +
	"(`${REGISTRY}/app:latest` uses latest, `app:${TAG}` has a tag). A value that is no image reference at all " +
	"(`{IMAGE}`, `<IMAGE>`, `IMAGE_PLACEHOLDER`: braces and angle brackets are not allowed, and repository names " +
	"are lower case) is a stand-in for an image someone or something fills in: it has no tag or digest to judge, " +
	"so it is not reported (the kubelet refuses to pull it: InvalidImageName). Nor is " + istioAuto + ": Istio's " +
	"injection webhook sets its image at admission. Nor is an image that a Skaffold config of the deployment " +
	"(`skaffold.yaml`: `build.artifacts`, its profiles' too) builds: Skaffold replaces it with the image it built, " +
	"tag and digest included, when it deploys the manifests. A path named inside a Skaffold project (an overlay, the " +
	"files pre-commit passes) brings the Skaffold configs of the folders above it, so it is judged as the whole " +
	"repository is."

// istioAuto names the container injectedByIstio recognises, for the docs.
const istioAuto = "a container named `istio-proxy` with `image: auto`, as Istio's gateway chart writes it"

var ImageTagMutable = &lint.Rule{
	ID:        "k8s-image-tag-mutable",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Container image has no tag or uses latest",
	Inputs:    lint.NamespaceInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagReliability, lint.TagKubernetes},
	Sources:   []lint.Source{bpgUseImmutableTagsECR, k8sImagesAvoidUsingLatestTag},
	Rationale: "An image without a tag means `latest`, and `latest` moves: two nodes can run different code for the " +
		"same pod spec, a rollback does not roll back, and signature verification cannot bind to what runs.",
	Fix: "Pin the image to a release tag (`nginx:1.27.3`), or better to a digest (`nginx@sha256:...`).",
	Example: lint.Example{
		Bad:  strings.Replace(deployment("", ""), "nginx:1.27.3", "nginx:latest", 1),
		Good: deployment("", ""),
	},
	Equivalents: []string{"kube-linter latest-tag", "kube-score container-image-tag", "Polaris tagNotSpecified", "Checkov CKV_K8S_14", "Trivy KSV-0013"},
	Notes: imageNotes + " kube-score container-image-tag takes everything after the last `:` as the tag, so it " +
		"passes `registry:5000/app` (tag \"5000/app\"); kube-linter latest-tag's default patterns treat it as untagged, as here.",
	Set: mutableImages.Gather(func(items []imageItem, s *lint.SetPass) {
		for use := range unbuilt(items) {
			switch {
			case use.ref.tag == "":
				s.Report(use.at, "image %q has no tag, so it runs whatever latest is at pull time; pin a version or digest", use.image)
			case use.ref.tag == "latest":
				s.Report(use.at, "image %q uses the mutable tag latest; pin a version or digest", use.image)
			}
		}
	}),
}

var ImageNotDigestPinned = &lint.Rule{
	ID:      "k8s-image-not-digest-pinned",
	Level:   lint.Note,
	Title:   "Container image is not pinned by digest",
	Inputs:  lint.NamespaceInput,
	Tags:    []lint.Tag{lint.TagSecurity, lint.TagKubernetes},
	Sources: []lint.Source{bpgSignImagesSBOMsPipelineRuns, eksGuideValidateContainerImageSignaturesDuring, k8sImagesAvoidUsingLatestTag},
	Rationale: "Tags can be moved to other content by anyone who can push to the repository; a digest names exactly " +
		"one image. Image signature verification (Sigstore, Notation with AWS Signer) binds signatures to digests, " +
		"and admission policies can only guarantee what runs when the manifest names the digest.",
	Fix: "Reference images by digest, keeping the tag for readers: `nginx:1.27.3@sha256:<digest>` " +
		"(`crane digest`, `docker buildx imagetools inspect`, or Renovate's pinDigests keep them current).",
	Example: lint.Example{
		Bad: deployment("", ""),
		Good: strings.Replace(deployment("", ""), "nginx:1.27.3",
			"nginx:1.27.3@sha256:0a0a7e3a46ad3cbd8e0ad3d3e6f5a0e7b0c5bfbd0a8de6c4b1ec0f1c5ad1a8b2", 1),
	},
	Equivalents: []string{"Checkov CKV_K8S_43", "kube-linter image-not-pinned-by-digest"},
	Notes:       imageNotes,
	Set: undigestedImages.Gather(func(items []imageItem, s *lint.SetPass) {
		for use := range unbuilt(items) {
			s.Report(use.at, "image %q is not pinned by digest, so the tag can move to other content; use %s@sha256:<digest>",
				use.image, use.image)
		}
	}),
}

// mutableImages and undigestedImages are the collect steps of the image rules: the images of each
// workload's containers, and the images a Skaffold config of the run builds. Each rule keeps only
// the images it may report, so that a run of 100,000 workloads with pinned images keeps next to
// nothing.
var (
	mutableImages = lint.Collect(collectImages(func(r imageRef) bool {
		return r.digest == "" && (r.tag == "" || r.tag == "latest")
	}))
	undigestedImages = lint.Collect(collectImages(func(r imageRef) bool { return r.digest == "" }))
)

// imageItem is what the image rules keep of an object: the images its containers run, or, for a
// Skaffold config, the names of the images it builds.
type imageItem struct {
	uses  []imageUse
	built []string
}

// imageUse is a container's image, read (parseImage).
type imageUse struct {
	at    lint.Place
	image string
	ref   imageRef
}

// collectImages makes a collect step keeping the images keep accepts, and Skaffold configs.
func collectImages(keep func(imageRef) bool) func(p *lint.Pass) (imageItem, bool) {
	return func(p *lint.Pass) (imageItem, bool) {
		o := p.Object
		if built := skaffoldArtifacts(o); len(built) > 0 {
			return imageItem{built: built}, true
		}
		var it imageItem
		for _, c := range o.AllContainers() {
			image := c.Get("image")
			if ref, ok := parseImage(image.Str()); ok && keep(ref) && !injectedByIstio(c) {
				it.uses = append(it.uses, imageUse{image.Place(), image.Str(), ref})
			}
		}
		return it, len(it.uses) > 0
	}
}

// unbuilt yields the images of items that no Skaffold config of the deployment builds: Skaffold
// replaces an image its config builds (`image: adservice` in microservices-demo's manifests) with
// the one it built, tag and digest included, when it deploys the manifests.
func unbuilt(items []imageItem) iter.Seq[imageUse] {
	built := map[string]bool{}
	for _, it := range items {
		for _, name := range it.built {
			built[name] = true
		}
	}
	return func(yield func(imageUse) bool) {
		for _, it := range items {
			for _, use := range it.uses {
				if !built[use.ref.name] && !yield(use) {
					return
				}
			}
		}
	}
}

// skaffoldArtifacts returns the names of the images a Skaffold config builds (build.artifacts,
// its profiles' too), as parseImage names them.
func skaffoldArtifacts(o *lint.Object) []string {
	if o.Format != lint.Kubernetes || o.Kind() != "Config" || !strings.HasPrefix(o.ID.APIVersion, "skaffold/") {
		return nil
	}
	var names []string
	builds := []lint.Node{o.Get("build")}
	for _, profile := range o.Get("profiles").Items() {
		builds = append(builds, profile.Get("build"))
	}
	for _, b := range builds {
		for _, a := range b.Get("artifacts").Items() {
			if ref, ok := parseImage(a.Get("image").Str()); ok {
				names = append(names, ref.name)
			}
		}
	}
	return names
}

// imageRef is what the image rules read of an image reference: its repository's full name
// (docker.io/library/nginx), and its tag and digest, "" when absent.
type imageRef struct{ name, tag, digest string }

// parseImage reads an image reference as the container runtime does. A placeholder of a templating
// step inside it is read as literal text ("0" is a valid host, port, path component and tag), so
// the literal parts are judged as written; ok is false for an image that is wholly a placeholder,
// and for a value that is no image reference at all (`{IMAGE}`, `<IMAGE>`, `IMAGE_PLACEHOLDER`).
//
// Readings are kept, up to maxImagesRead: a repository runs the same few images in many workloads
// (ingress-nginx's controller in each provider's manifests), and reading one is several regular
// expressions over it, 6 of the raw corpus's 89 ms of CPU read each time.
func parseImage(image string) (imageRef, bool) {
	if read, ok := imagesRead.Load(image); ok {
		r := read.(imageReading)
		return r.ref, r.ok
	}
	var r imageReading
	r.ref, r.ok = readImage(image)
	if imagesKept.Add(1) <= maxImagesRead {
		imagesRead.Store(image, r)
	}
	return r.ref, r.ok
}

// imagesRead are the images parseImage read, by reference as written; imagesKept counts them.
var (
	imagesRead sync.Map
	imagesKept atomic.Int64
)

// maxImagesRead bounds the images kept read: a hostile input of a million distinct images costs
// no more than reading each.
const maxImagesRead = 10_000

// imageReading is what parseImage returns for an image.
type imageReading struct {
	ref imageRef
	ok  bool
}

// readImage is parseImage without the readings kept.
func readImage(image string) (ref imageRef, ok bool) {
	if lint.IsPlaceholder(image) {
		return imageRef{}, false
	}
	named, err := reference.ParseNormalizedNamed(lint.FillPlaceholders(image, "0"))
	if err != nil {
		return imageRef{}, false
	}
	ref.name = named.Name()
	if t, isTagged := named.(reference.Tagged); isTagged {
		ref.tag = t.Tag()
	}
	if d, isDigested := named.(reference.Digested); isDigested {
		ref.digest = d.Digest().String()
	}
	return ref, true
}

// runsPause reports whether container c runs a pause image, which does nothing: the placeholder
// pods of cluster overprovisioning (the cluster-autoscaler FAQ, Karpenter's blueprints) run it at
// a negative priority to hold capacity until real pods preempt them. A probe on it checks nothing.
//
// Only the repository's last path component is read (`registry.k8s.io/pause:3.10`,
// `public.ecr.aws/eks-distro/kubernetes/pause@sha256:…`): every container of every workload is
// asked, and parsing each reference whole (parseImage) cost the raw corpus 3 ms.
func runsPause(c lint.Node) bool {
	image := c.Get("image").Str()
	if i := strings.IndexByte(image, '@'); i >= 0 {
		image = image[:i]
	}
	name := image[strings.LastIndexByte(image, '/')+1:]
	if i := strings.IndexByte(name, ':'); i >= 0 {
		name = name[:i]
	}
	return name == "pause"
}

// injectedByIstio reports whether container c is a stand-in that Istio's injection webhook fills
// in at admission: named istio-proxy, with image "auto" (Istio's gateway chart and gateway
// injection). The proxy's image and probes come from the injection template, not from here.
func injectedByIstio(c lint.Node) bool {
	return c.Get("image").Str() == "auto" && containerName(c) == "istio-proxy"
}

// holdsCapacity reports whether every container of o runs a pause image: its pods exist to be
// preempted and evicted, so the rules about keeping replicas up (a PodDisruptionBudget, spreading,
// more than one replica) would only make node drains wait on them.
func holdsCapacity(o *lint.Object) bool {
	cs := o.LongRunningContainers()
	return len(cs) > 0 && !slices.ContainsFunc(cs, func(c lint.Node) bool { return !runsPause(c) })
}

func containerName(c lint.Node) string { return c.Get("name").Str() }

// describeContainer names a container for a message, saying when it is a sidecar.
func describeContainer(c lint.Node) string {
	if lint.IsSidecar(c) {
		return fmt.Sprintf("sidecar %q", containerName(c))
	}
	return fmt.Sprintf("container %q", containerName(c))
}

func describeObject(o *lint.Object) string { return describeRef(o.Ref()) }

// describeRef names an object as describeObject does, from what a set rule's item keeps of it: items
// keep the reference their Places already hold rather than a string per object.
func describeRef(r *lint.ObjectRef) string { return r.Kind + " " + lint.QuoteName(r.Name) }

// deployment writes the Deployment examples in rule docs: podExtra goes into the pod spec before
// the containers, containerExtra into the container after its image.
func deployment(podExtra, containerExtra string) string {
	return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
` + podExtra + `      containers:
        - name: web
          image: nginx:1.27.3
` + containerExtra
}

// serviceAccount writes the ServiceAccount examples in rule docs, with annotations (lines indented
// by four spaces) under metadata.annotations.
func serviceAccount(name, annotations string) string {
	return `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ` + name + `
  namespace: shop
  annotations:
` + annotations
}

// workloads are the G5 rules in catalogue order.
var workloads = []*lint.Rule{
	ReadinessProbeMissing,
	LivenessProbeMissing,
	ResourceRequestsMissing,
	MemoryLimitMissing,
	CPULimitMissing,
	ReplicasNoAntiAffinity,
	ReplicasNoZoneSpread,
	SingleReplica,
	PDBMissing,
	HostNetwork,
	IRSARoleARNInvalid,
	WorkloadNoAWSIdentity,
	SATokenAutomount,
	ImageTagMutable,
	ImageNotDigestPinned,
}
