package lint

import "slices"

// IsSidecar reports whether an init container is a sidecar: with `restartPolicy: Always`
// (Kubernetes 1.29+) it starts before the app containers and keeps running beside them for the
// pod's lifetime, so what applies to app containers (resources, liveness) applies to it too.
func IsSidecar(c Node) bool { return c.Get("restartPolicy").Str() == "Always" }

// LongRunningContainers are the containers that run for the pod's lifetime: the app containers and
// the sidecars among the init containers. Other init containers run to completion, one at a time,
// before the app starts.
func (o *Object) LongRunningContainers() []Node {
	out := slices.Clone(o.Containers())
	for _, c := range o.InitContainers() {
		if IsSidecar(c) {
			out = append(out, c)
		}
	}
	return out
}

// AllContainers are the init containers followed by the app containers: every image the pod pulls
// (ephemeral containers are added by kubectl debug, never written in manifests).
func (o *Object) AllContainers() []Node {
	return slices.Concat(o.InitContainers(), o.Containers())
}

// RunsToCompletion reports whether the workload's pods are meant to finish rather than serve: Jobs,
// CronJobs (and kinds that run pods as they do), and Pods whose restartPolicy is Never or OnFailure.
func (o *Object) RunsToCompletion() bool {
	switch o.WorkloadKind() {
	case "Job", "CronJob":
		return true
	case "Pod":
		switch o.PodSpec().Get("restartPolicy").Str() {
		case "Never", "OnFailure":
			return true
		}
	}
	return false
}
