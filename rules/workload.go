package rules

import (
	"fmt"
	"strings"

	"github.com/ekslint/ekslint/lint"
)

// G5: workloads. Each rule reads the pod template of any workload kind through the lint helpers.

var ReadinessProbeMissing = &lint.Rule{
	ID:        "k8s-readiness-probe-missing",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Container has no readiness probe",
	Inputs:    "workload",
	Tags:      []string{"reliability", "kubernetes"},
	Rationale: "Without a readiness probe a pod receives Service traffic as soon as its containers start, " +
		"before the application can answer, and keeps receiving it when the application stops answering. " +
		"EKS Best Practices (reliability, applications) recommend readiness probes on every long-running container (A14).",
	Fix: "Add a `readinessProbe` that succeeds only when the container can serve requests " +
		"(an HTTP endpoint that checks its dependencies, or a TCP check on the serving port).",
	Example: lint.Example{
		Bad: deployment("", "          ports:\n          - containerPort: 8080\n"),
		Good: deployment("", "          ports:\n          - containerPort: 8080\n"+
			"          readinessProbe:\n            httpGet:\n              path: /ready\n              port: 8080\n"),
	},
	Equivalents: []string{"kube-linter no-readiness-probe", "kube-score pod-probes", "Polaris readinessProbeMissing", "Checkov CKV_K8S_9"},
	Check: func(p *lint.Pass) {
		if batchKinds[p.Object.Kind()] {
			return // Jobs run to completion and are not behind Services.
		}
		for _, c := range p.Object.Containers() {
			if !c.Get("readinessProbe").Exists() {
				p.Report(c, "container %q has no readinessProbe; it gets Service traffic before it is ready", c.Get("name").Str())
			}
		}
	},
}

var LivenessProbeMissing = &lint.Rule{
	ID:        "k8s-liveness-probe-missing",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Container has no liveness probe",
	Inputs:    "workload",
	Tags:      []string{"reliability", "kubernetes"},
	Rationale: "Without a liveness probe the kubelet restarts a container only when its process exits; " +
		"a deadlocked or wedged process keeps running and failing requests. EKS Best Practices recommend " +
		"liveness probes on long-running containers (A14).",
	Fix: "Add a `livenessProbe` that fails only when the process cannot recover by itself; keep it cheaper and " +
		"more tolerant than the readiness probe so a slow dependency does not restart every pod.",
	Example: lint.Example{
		Bad: deployment("", "          ports:\n          - containerPort: 8080\n"),
		Good: deployment("", "          ports:\n          - containerPort: 8080\n"+
			"          livenessProbe:\n            httpGet:\n              path: /healthz\n              port: 8080\n"),
	},
	Equivalents: []string{"kube-linter no-liveness-probe", "kube-score pod-probes", "Polaris livenessProbeMissing", "Checkov CKV_K8S_8"},
	Check: func(p *lint.Pass) {
		if batchKinds[p.Object.Kind()] {
			return
		}
		for _, c := range p.Object.Containers() {
			if !c.Get("livenessProbe").Exists() {
				p.Report(c, "container %q has no livenessProbe; a hung process is never restarted", c.Get("name").Str())
			}
		}
	},
}

var ResourceRequestsMissing = &lint.Rule{
	ID:        "k8s-resource-requests-missing",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Container has no CPU or memory request",
	Inputs:    "workload",
	Tags:      []string{"reliability", "cost", "kubernetes"},
	Rationale: "The scheduler places pods by their requests. Without them pods pack onto nodes that cannot " +
		"serve them, are evicted first under memory pressure (BestEffort QoS), and cluster autoscaling cannot " +
		"size node groups. EKS Best Practices ask for CPU and memory requests on every container (A16).",
	Fix: "Set `resources.requests.cpu` and `resources.requests.memory` to what the container uses under normal load.",
	Example: lint.Example{
		Bad:  deployment("", "          resources:\n            limits:\n              memory: 256Mi\n"),
		Good: deployment("", "          resources:\n            requests:\n              cpu: 100m\n              memory: 256Mi\n            limits:\n              memory: 256Mi\n"),
	},
	Equivalents: []string{"kube-linter unset-cpu-requirements", "kube-linter unset-memory-requirements", "kube-score container-resources",
		"Polaris cpuRequestsMissing", "Polaris memoryRequestsMissing", "Checkov CKV_K8S_10", "Checkov CKV_K8S_12", "Trivy KSV-0015", "Trivy KSV-0016"},
	Check: func(p *lint.Pass) {
		for _, c := range p.Object.Containers() {
			requests := c.Get("resources", "requests")
			var missing []string
			for _, r := range []string{"cpu", "memory"} {
				if !requests.Get(r).Exists() {
					missing = append(missing, r)
				}
			}
			if len(missing) > 0 {
				p.Report(requests.Get(missing[0]), "container %q has no %s request; the scheduler cannot place it by what it uses",
					c.Get("name").Str(), strings.Join(missing, " or "))
			}
		}
	},
}

var MemoryLimitMissing = &lint.Rule{
	ID:        "k8s-memory-limit-missing",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Container has no memory limit",
	Inputs:    "workload",
	Tags:      []string{"reliability", "kubernetes"},
	Rationale: "Memory is not compressible: a container without a memory limit can take a node's memory until the " +
		"kernel kills other pods. EKS Best Practices ask for memory limits (A16).",
	Fix: "Set `resources.limits.memory`, usually equal to the memory request.",
	Example: lint.Example{
		Bad:  deployment("", "          resources:\n            requests:\n              cpu: 100m\n              memory: 256Mi\n"),
		Good: deployment("", "          resources:\n            requests:\n              cpu: 100m\n              memory: 256Mi\n            limits:\n              memory: 256Mi\n"),
	},
	Equivalents: []string{"kube-linter unset-memory-requirements", "Polaris memoryLimitsMissing", "Checkov CKV_K8S_13", "Trivy KSV-0018"},
	Check: func(p *lint.Pass) {
		for _, c := range p.Object.Containers() {
			if limit := c.Get("resources", "limits", "memory"); !limit.Exists() {
				p.Report(limit, "container %q has no memory limit; it can take the node's memory from other pods", c.Get("name").Str())
			}
		}
	},
}

var ReplicasNoAntiAffinity = &lint.Rule{
	ID:        "k8s-replicas-no-anti-affinity",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Replicas can all land on one node",
	Inputs:    "workload",
	Tags:      []string{"reliability", "kubernetes"},
	Rationale: "Replicas exist to survive the loss of one of them, but the scheduler may put them all on one node, " +
		"and that node's failure, drain or spot interruption takes every replica down at once. EKS Best Practices " +
		"recommend pod anti-affinity or topology spread across nodes (A15).",
	Fix: "Add a `topologySpreadConstraints` entry with `topologyKey: kubernetes.io/hostname`, or a preferred pod " +
		"anti-affinity term on `kubernetes.io/hostname`, whose label selector matches the pod's own labels.",
	Example: lint.Example{
		Bad: deployment("", ""),
		Good: deployment("      topologySpreadConstraints:\n      - maxSkew: 1\n        topologyKey: kubernetes.io/hostname\n"+
			"        whenUnsatisfiable: ScheduleAnyway\n        labelSelector:\n          matchLabels:\n            app: web\n", ""),
	},
	Equivalents: []string{"kube-linter no-anti-affinity", "kube-score deployment-has-host-podantiaffinity",
		"kube-score statefulset-has-host-podantiaffinity"},
	Check: func(p *lint.Pass) {
		o := p.Object
		if o.Kind() != "Deployment" && o.Kind() != "StatefulSet" {
			return
		}
		replicas := o.Get("spec", "replicas")
		n, ok := replicas.Int()
		if !ok || n <= 1 {
			return
		}
		if spreadsOn(o, hostnameKey) {
			return
		}
		p.Report(replicas, "replicas: %d but no pod anti-affinity or topology spread on %s; all replicas can land on one node", n, hostnameKey)
	},
}

const hostnameKey = "kubernetes.io/hostname"

// spreadsOn reports whether a workload's pods spread over topologyKey, by a topology spread
// constraint or a (required or preferred) pod anti-affinity term whose selector matches the pods'
// own labels: a selector that matches other pods spreads nothing of this workload.
func spreadsOn(o *lint.Object, topologyKey string) bool {
	spec := o.PodSpec()
	labels := o.PodLabels()
	for _, c := range spec.Get("topologySpreadConstraints").Items() {
		if c.Get("topologyKey").Str() == topologyKey && lint.Selects(c.Get("labelSelector"), labels) {
			return true
		}
	}
	anti := spec.Get("affinity", "podAntiAffinity")
	terms := anti.Get("requiredDuringSchedulingIgnoredDuringExecution").Items()
	for _, w := range anti.Get("preferredDuringSchedulingIgnoredDuringExecution").Items() {
		terms = append(terms, w.Get("podAffinityTerm"))
	}
	for _, t := range terms {
		if t.Get("topologyKey").Str() == topologyKey && lint.Selects(t.Get("labelSelector"), labels) {
			return true
		}
	}
	return false
}

var ImageTagMutable = &lint.Rule{
	ID:        "k8s-image-tag-mutable",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Container image has no tag or uses latest",
	Inputs:    "workload",
	Tags:      []string{"security", "reliability", "kubernetes"},
	Rationale: "An image without a tag means `latest`, and `latest` moves: two nodes can run different code for the " +
		"same pod spec, a rollback does not roll back, and signature verification cannot bind to what runs (B9).",
	Fix: "Pin the image to a release tag (`nginx:1.27.3`), or better to a digest (`nginx@sha256:...`).",
	Example: lint.Example{
		Bad:  strings.Replace(deployment("", ""), "nginx:1.27.3", "nginx:latest", 1),
		Good: deployment("", ""),
	},
	Equivalents: []string{"kube-linter latest-tag", "kube-score container-image-tag", "Polaris tagNotSpecified", "Checkov CKV_K8S_14", "Trivy KSV-0013"},
	Check: func(p *lint.Pass) {
		for _, c := range append(p.Object.InitContainers(), p.Object.Containers()...) {
			image := c.Get("image")
			if !image.Exists() {
				continue
			}
			switch tag := imageTag(image.Str()); tag {
			case "":
				p.Report(image, "image %q has no tag, so it runs whatever latest is at pull time; pin a version or digest", image.Str())
			case "latest":
				p.Report(image, "image %q uses the mutable tag latest; pin a version or digest", image.Str())
			}
		}
	},
}

// imageTag returns the tag of an image reference, "" when it has none, and "@" when it is pinned
// by digest (a digest makes any tag irrelevant).
func imageTag(ref string) string {
	if strings.Contains(ref, "@") {
		return "@"
	}
	name := ref[strings.LastIndex(ref, "/")+1:]
	if i := strings.LastIndex(name, ":"); i >= 0 {
		return name[i+1:]
	}
	return ""
}

var HostNetwork = &lint.Rule{
	ID:        "k8s-host-network",
	Level:     lint.Error,
	DefaultOn: true,
	Title:     "Pod uses the node's network namespace",
	Inputs:    "workload",
	Tags:      []string{"security", "eks", "kubernetes"},
	Rationale: "A `hostNetwork: true` pod shares the node's network stack: it can reach the instance metadata " +
		"service and take the node's IAM role even when IMDS is blocked for pods (eksctl `disablePodIMDS`, hop " +
		"limit 1, which only blocks non-host-network pods), and it bypasses NetworkPolicy (B3, A4).",
	Fix: "Remove `hostNetwork: true`; expose ports with a Service or `hostPort` only if the workload truly needs it " +
		"(CNI or node agents), and give such workloads their own IAM role through Pod Identity or IRSA.",
	Example: lint.Example{
		Bad:  deployment("      hostNetwork: true\n", ""),
		Good: deployment("", ""),
	},
	Equivalents: []string{"kube-linter host-network", "Polaris hostNetworkSet", "Checkov CKV_K8S_19", "Trivy KSV-0009"},
	Check: func(p *lint.Pass) {
		if hn := p.Object.PodSpec().Get("hostNetwork"); hn.IsTrue() {
			p.Report(hn, "%s shares the node's network: its pods reach the instance metadata service and the node's IAM role",
				describeObject(p.Object))
		}
	},
}

// batchKinds run pods to completion; they are not behind Services and are not probed.
var batchKinds = map[string]bool{"Job": true, "CronJob": true}

func describeObject(o *lint.Object) string { return fmt.Sprintf("%s %q", o.Kind(), o.Name()) }

// deployment writes the Deployment examples in rule docs: podExtra goes into the pod spec before
// the containers, containerExtra into the container after its image.
func deployment(podExtra, containerExtra string) string {
	return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
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

// workloads are the G5 rules in catalogue order.
var workloads = []*lint.Rule{
	ReadinessProbeMissing,
	LivenessProbeMissing,
	ResourceRequestsMissing,
	MemoryLimitMissing,
	ReplicasNoAntiAffinity,
	HostNetwork,
	ImageTagMutable,
}
