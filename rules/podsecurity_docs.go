package rules

// A DocSection introduces a group of rules in docs/rules.md; it is written before the first of
// them.
type DocSection struct {
	// First is the id of the group's first rule.
	First string
	Title string
	// Text is Markdown.
	Text string
}

// DocSections are the group introductions of docs/rules.md, in catalogue order.
func DocSections() []DocSection {
	return []DocSection{{First: PrivilegedContainer.ID, Title: "Pod security", Text: podSecurityIntro}}
}

const podSecurityIntro = `The [Kubernetes Pod Security Standards](https://kubernetes.io/docs/concepts/security/pod-security-standards/)
define two levels above ` + "`privileged`" + ` (anything goes). **Baseline** forbids what lets a pod take over its node:
privileged and Windows HostProcess containers, the node's process, IPC and network namespaces, added capabilities
beyond the runtime's defaults, hostPath volumes, host ports, turning off seccomp, AppArmor, /proc masking or SELinux,
and sysctls that are not isolated per pod. **Restricted** adds hardening every application can live with: no
privilege escalation, non-root users, a seccomp profile, all capabilities dropped, and only volume types that stay
inside the pod. The EKS Best Practices Guide (Security, Pod Security) recommends enforcing them with Pod Security Admission; EKS turns the admission plugin on
but labels no namespace, so every pod is admitted until a namespace says otherwise.

ekslint does not re-implement the standards: every verdict comes from
[k8s.io/pod-security-admission](https://pkg.go.dev/k8s.io/pod-security-admission/policy), the code the API
server's PodSecurity admission runs, at the policy version of the newest Kubernetes version in the EKS version data
(rule k8s-pss-admission-rejected uses the namespace's own ` + "`enforce-version`" + `). ekslint finds the field to edit:
the container's setting, or the pod's when that is the value in force, or the securityContext that should hold a
missing field, in the manifest, the Helm template or the Kustomize base or patch. A test holds ekslint's reading of
every workload in its corpus to a full decode through the library, control by control, at both levels and every
policy version.

The baseline rules (k8s-privileged-container to k8s-unsafe-sysctls, with k8s-host-network for ` + "`hostNetwork`" + `)
run by default, as errors where the pod can take over its node and warnings otherwise; the restricted rules
(k8s-privilege-escalation-allowed to k8s-restricted-volume-type) are notes, off by default.
` + "`--enable pod-security-baseline`" + ` or ` + "`--enable pod-security-restricted`" + ` turns a whole profile on. Two
controls have no rule of their own and are reported only by k8s-pss-admission-rejected: ` + "`host`" + ` in probes and
lifecycle handlers (baseline, from policy version 1.34) and ` + "`procMount`" + ` in user-namespace pods (restricted,
from 1.35).

Node agents (the VPC CNI, kube-proxy, CSI node drivers, node exporters) break the baseline level by design. Label
their namespace ` + "`pod-security.kubernetes.io/enforce: privileged`" + ` in the input (the baseline rules then report their
pods as notes), or suppress a finding with a reason. What the default configuration reports on the charts of
ekslint's corpus (rendered with their default values, aws-load-balancer-controller and external-dns with the
corpus's values files), after review:

| chart | baseline findings | what they are |
|---|---|---|
| aws-vpc-cni | 11: 5 errors, 6 warnings | aws-node: host network, a privileged init container, NET_ADMIN and NET_RAW added; the network policy agent privileged with NET_ADMIN; six hostPath volumes (CNI binaries and config, BPF pins, logs, the xtables lock). All correct: it is the node's CNI and runs in kube-system with no Namespace in the chart. |
| prometheus, kube-prometheus-stack | 5 each: 3 errors, 2 warnings | the node-exporter subchart: host network and PID namespace, hostPath ` + "`/proc`" + `, ` + "`/sys`" + ` and ` + "`/`" + `. Correct; ` + "`/`" + ` is an error (the node's whole filesystem) although it is mounted read-only by a non-root user, which limits it to what that user can read. |
| aws-node-termination-handler | 2: 1 error, 1 warning | host network (IMDS mode) and hostPath ` + "`/proc/uptime`" + `. Correct; the uptime file is harmless, hence a warning. |
| aws-load-balancer-controller, bitnami-nginx, bitnami-postgresql, bitnami-redis, external-dns, grafana, helm-create-starter, helm-testdata-alpine, helm-testdata-subchart, ingress-nginx, karpenter-crd, metrics-server, microservices-demo-onlineboutique | 0 | |

(Counted with ` + "`ekslint lint <chart> --root ../shared/corpus --format json`" + `, rules k8s-host-network and
k8s-privileged-container to k8s-unsafe-sysctls.)`
