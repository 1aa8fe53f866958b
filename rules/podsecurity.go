package rules

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"

	"github.com/ekslint/ekslint/lint"
)

// G9: pod security. Rules 75-86 are controls of the Kubernetes Pod Security Standards, decided by
// the API server's own code (k8s.io/pod-security-admission) and located by ekslint
// (podsecurity_*.go); 87 and 88 are plain field checks; 89 predicts what PodSecurity admission
// does in the namespaces the input labels.

// bestPractices and standards name the two sources every rule of the group cites.
const (
	bestPractices = "The EKS Best Practices Guide (Security, Pod Security)"
	standards     = "the Kubernetes Pod Security Standards"
)

// libraryNote is said in the Notes of every rule the library decides.
const libraryNote = "Whether a pod breaks the control is decided by k8s.io/pod-security-admission, the code the API " +
	"server's PodSecurity admission runs, at the policy version of the newest Kubernetes version in the EKS version " +
	"data (`ekslint rules --data`); ekslint only finds the field to edit. Containers are init, app and ephemeral " +
	"containers; a container's own setting wins over the pod's, and the finding lands where the value in force is " +
	"written (or, when it is missing, on the securityContext or container that should hold it)."

// infrastructureNote is said in the Notes of the baseline rules.
const infrastructureNote = " Pods in a namespace the input labels `pod-security.kubernetes.io/enforce: privileged` " +
	"are declared node infrastructure: their findings are notes."

var PrivilegedContainer = &lint.Rule{
	ID:        "k8s-privileged-container",
	Level:     lint.Error,
	DefaultOn: true,
	Title:     "Container runs privileged or as a Windows host process",
	Inputs:    lint.WorkloadInput | lint.NamespaceInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagKubernetes},
	Sources:   []lint.Source{bpgRestrictContainersThatCanRun, k8sBaseline},
	Rationale: "A privileged container has every capability and the node's devices, with no seccomp, AppArmor or " +
		"cgroup device limits: whoever controls it controls the node, its kubelet credentials and every pod on it. " +
		"A Windows HostProcess container runs directly on the Windows node. " + bestPractices + " says to restrict " +
		"the containers that can run as privileged; " + standards + " forbid both at the baseline level " +
		"(\"Privileged Containers\", \"HostProcess\").",
	Fix: "Remove `securityContext.privileged: true` (and `windowsOptions.hostProcess: true`); grant the one " +
		"capability the container needs with `capabilities.add` instead. Node agents that must be privileged belong " +
		"in a namespace labelled `pod-security.kubernetes.io/enforce: privileged`.",
	Example: lint.Example{
		Bad:  deployment("", "          securityContext:\n            privileged: true\n"),
		Good: deployment("", "          securityContext:\n            privileged: false\n"),
	},
	Equivalents: []string{"kube-linter privileged-container", "kube-linter scc-deny-privileged-container",
		"Polaris runAsPrivileged", "Polaris hostProcess", "Trivy KSV-0017", "Checkov CKV_K8S_16"},
	Notes: libraryNote + infrastructureNote,
	Set: standard{level: api.LevelBaseline, checks: checkIDs("privileged", "windowsHostProcess"),
		why: "whoever controls the container controls the node; the baseline Pod Security Standard forbids it"}.set(),
}

var HostPIDIPC = &lint.Rule{
	ID:        "k8s-host-pid-ipc",
	Level:     lint.Error,
	DefaultOn: true,
	Title:     "Pod shares the node's process or IPC namespace",
	Inputs:    lint.WorkloadInput | lint.NamespaceInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagKubernetes},
	Sources:   []lint.Source{bpgPodSecurity, k8sBaseline},
	Rationale: "With `hostPID: true` a pod sees every process of the node, can read their environment and, with " +
		"ptrace or a privileged container, enter them; with `hostIPC: true` it shares the node's shared memory and " +
		"semaphores. " + bestPractices + " recommends Pod Security Standards, whose baseline level forbids host " +
		"namespaces (" + standards + ", \"Host Namespaces\").",
	Fix: "Remove `hostPID: true` and `hostIPC: true`; node agents that need them belong in a namespace labelled " +
		"`pod-security.kubernetes.io/enforce: privileged`.",
	Example: lint.Example{
		Bad:  deployment("      hostPID: true\n", ""),
		Good: deployment("", ""),
	},
	Equivalents: []string{"kube-linter host-pid", "kube-linter host-ipc", "Polaris hostPIDSet", "Polaris hostIPCSet",
		"Trivy KSV-0010", "Trivy KSV-0008"},
	Notes: libraryNote + infrastructureNote + " The same control forbids `hostNetwork: true`, which k8s-host-network " +
		"reports: it is not reported twice.",
	Set: standard{level: api.LevelBaseline, checks: checkIDs("hostNamespaces"), fields: fields(fHostPID, fHostIPC),
		why: "its processes reach the node's processes or shared memory; the baseline Pod Security Standard forbids it"}.set(),
}

var DangerousCapabilities = &lint.Rule{
	ID:        "k8s-dangerous-capabilities",
	Level:     lint.Error,
	DefaultOn: true,
	Title:     "Container adds a capability outside the baseline set",
	Inputs:    lint.WorkloadInput | lint.NamespaceInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagKubernetes},
	Sources:   []lint.Source{bpgLinuxCapabilities, k8sBaseline},
	Rationale: "Capabilities beyond the container runtime's default set (SYS_ADMIN, NET_ADMIN, SYS_PTRACE, ALL, ...) " +
		"are pieces of root on the node: mounting filesystems, reconfiguring the node's network, reading other " +
		"processes; NET_RAW, in the runtimes' default set, lets a container spoof packets. " + bestPractices +
		" recommends Pod Security Standards; their baseline level allows adding only the default set without NET_RAW " +
		"(" + standards + ", \"Capabilities\").",
	Fix: "Remove the capability from `securityContext.capabilities.add`; if the container needs one, find the " +
		"narrower one in capabilities(7) or move the work to a node agent in a privileged namespace.",
	Example: lint.Example{
		Bad:  deployment("", "          securityContext:\n            capabilities:\n              add: [NET_ADMIN]\n"),
		Good: deployment("", "          securityContext:\n            capabilities:\n              add: [NET_BIND_SERVICE]\n"),
	},
	Equivalents: []string{"kube-linter drop-net-raw-capability", "Polaris dangerousCapabilities", "Trivy KSV-0005", "Trivy KSV-0022"},
	Notes: libraryNote + infrastructureNote + " Each capability added is its own finding, on its entry of " +
		"`capabilities.add`. kube-linter drop-net-raw-capability asks every container to drop NET_RAW, which the " +
		"runtime grants by default; ekslint reports what is added, and dropping ALL is k8s-capabilities-not-dropped.",
	Set: standard{level: api.LevelBaseline, checks: checkIDs("capabilities_baseline"),
		why: "the baseline Pod Security Standard allows only the container runtime's default capabilities"}.set(),
}

var HostPathVolume = &lint.Rule{
	ID:        "k8s-host-path-volume",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Pod mounts a path of the node",
	Inputs:    lint.WorkloadInput | lint.NamespaceInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagKubernetes},
	Sources:   []lint.Source{bpgRestrictUseHostPathOrIf, k8sBaseline},
	Rationale: "A hostPath volume reaches past the container's filesystem into the node's. Some paths hand over the " +
		"node outright: a container runtime's socket (`/var/run/docker.sock`, `/run/containerd/containerd.sock`, " +
		"`/var/run/crio/crio.sock`, Bottlerocket's `/run/host-containerd/containerd.sock`, Podman's) starts privileged " +
		"containers, `/` and `/etc` rewrite the node, `/var/lib/kubelet` and its `pods` folder hold every pod's secrets. " + bestPractices + " says to restrict hostPath and never to mount the runtime " +
		"socket; the baseline level of " + standards + " forbids hostPath volumes (\"HostPath Volumes\").",
	Fix: "Use an `emptyDir`, a ConfigMap, a Secret or a PersistentVolumeClaim instead; a node agent that needs the " +
		"node's files belongs in a namespace labelled `pod-security.kubernetes.io/enforce: privileged`, with the " +
		"narrowest path, `readOnly: true` in its volumeMounts.",
	Example: lint.Example{
		Bad: deployment("      volumes:\n        - name: docker\n          hostPath:\n            path: /var/run/docker.sock\n",
			"          volumeMounts:\n            - name: docker\n              mountPath: /var/run/docker.sock\n"),
		Good: deployment("      volumes:\n        - name: cache\n          emptyDir: {}\n",
			"          volumeMounts:\n            - name: cache\n              mountPath: /cache\n"),
	},
	Equivalents: []string{"kube-linter sensitive-host-mounts", "kube-linter writable-host-mount", "kube-linter docker-sock",
		"Polaris hostPathSet", "Trivy KSV-0023", "Trivy KSV-0121", "Checkov CKV_K8S_27"},
	Notes: libraryNote + infrastructureNote + " The finding lands on the volume's entry in `spec.volumes`, once per " +
		"volume however many containers mount it. A runtime socket, `/`, `/etc`, `/var/lib/kubelet`, or a folder " +
		"holding one of them (`/run`, `/var`, `/var/lib`), is an error, read-only or not: a read-only mount of a " +
		"socket still lets the container talk to it. On Windows nodes the same holds for a drive's root, " +
		"`C:\\var\\lib\\kubelet` and the named pipes of Docker, containerd and CSI Proxy (`\\\\.\\pipe\\…`), compared " +
		"without regard to case or slashes. kube-linter's sensitive-host-mounts checks a fixed list (`/`, " +
		"`/boot`, `/dev`, `/etc`, `/lib`, `/proc`, `/sys`, `/usr`), docker-sock (off by default) paths ending in " +
		"docker.sock, and writable-host-mount (off by default) mounts without readOnly.",
	Set: standard{level: api.LevelBaseline, checks: checkIDs("hostPathVolumes"),
		why: "the baseline Pod Security Standard forbids hostPath volumes",
		severity: func(b *psBreach) (lint.Level, string) {
			if what := nodeTakeover(b.value); what != "" {
				return lint.Error, what + ", which hands over the node"
			}
			return lint.None, ""
		}}.set(),
}

var HostPort = &lint.Rule{
	ID:        "k8s-host-port",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Container binds a port of the node",
	Inputs:    lint.WorkloadInput | lint.NamespaceInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagKubernetes},
	Sources:   []lint.Source{k8sBaseline},
	Rationale: "A hostPort opens a port on the node's own addresses, bypassing Services and most NetworkPolicy " +
		"enforcement, and pins the pod to nodes where the port is free. " + bestPractices + " recommends Pod " +
		"Security Standards; their baseline level forbids host ports (" + standards + ", \"Host Ports\").",
	Fix: "Remove `hostPort` and expose the container through a Service (a NodePort or LoadBalancer Service if it " +
		"must be reached from outside the cluster).",
	Example: lint.Example{
		Bad:  deployment("", "          ports:\n            - containerPort: 8080\n              hostPort: 8080\n"),
		Good: deployment("", "          ports:\n            - containerPort: 8080\n"),
	},
	Equivalents: []string{"Polaris hostPortSet", "Trivy KSV-0024"},
	Notes: libraryNote + infrastructureNote + " A `hostNetwork: true` pod binds every port of its init and app " +
		"containers on the node: the API server sets each hostPort to its containerPort before admission (and " +
		"refuses any other value), so `hostPort` written equal to `containerPort` there changes nothing, and " +
		"removing it would not either. Such ports are not reported here, written or not; k8s-host-network reports " +
		"the pod, since `hostNetwork` is the field to remove. The Pod Security verdict does not change: the library " +
		"refuses those host ports at exactly the levels and versions where it refuses `hostNetwork`, and " +
		"k8s-pss-admission-rejected names both on the `hostNetwork` line. A hostPort that differs from " +
		"`containerPort` on such a pod is still reported (the API server refuses the pod; removing it is the fix).",
	Set: standard{level: api.LevelBaseline, checks: checkIDs("hostPorts"), fields: fields(fHostPort),
		why: "the baseline Pod Security Standard forbids host ports"}.set(),
}

var UnconfinedProfile = &lint.Rule{
	ID:        "k8s-unconfined-profile",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Pod turns off seccomp, AppArmor, /proc masking or SELinux confinement",
	Inputs:    lint.WorkloadInput | lint.NamespaceInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagKubernetes},
	Sources:   []lint.Source{bpgSeccomp, k8sBaseline, k8sConfigureSecurityContextPodOr},
	Rationale: "The container runtime confines every container by default: a seccomp profile filters system calls, " +
		"AppArmor and SELinux limit what a process may touch, and /proc is partly masked. Setting seccomp or " +
		"AppArmor to `Unconfined`, `procMount: Unmasked`, or a custom SELinux type, user or role removes one of " +
		"those layers, the ones that stop many container escapes. " + bestPractices + " recommends Pod Security " +
		"Standards; their baseline level forbids all four (" + standards + ", \"Seccomp\", \"AppArmor\", " +
		"\"/proc Mount Type\", \"SELinux\").",
	Fix: "Remove the setting, or set `seccompProfile.type` and `appArmorProfile.type` to `RuntimeDefault` (or " +
		"`Localhost` with a profile of your own); leave `procMount` at `Default` and `seLinuxOptions` at the " +
		"container types.",
	Example: lint.Example{
		Bad:  deployment("      securityContext:\n        seccompProfile:\n          type: Unconfined\n", ""),
		Good: deployment("      securityContext:\n        seccompProfile:\n          type: RuntimeDefault\n", ""),
	},
	Equivalents: []string{"kube-linter unsafe-proc-mount", "Polaris procMount", "Polaris linuxHardening",
		"Trivy KSV-0002", "Trivy KSV-0025", "Trivy KSV-0104"},
	Notes: libraryNote + infrastructureNote + " The AppArmor annotations " +
		"(`container.apparmor.security.beta.kubernetes.io/<container>`) count as the library counts them. " +
		"`procMount: Unmasked` is allowed at baseline in a pod with `hostUsers: false` from policy version 1.35; the " +
		"restricted level forbids it even then, which only k8s-pss-admission-rejected reports.",
	Set: standard{level: api.LevelBaseline, checks: checkIDs("seccompProfile_baseline", "appArmorProfile", "procMount", "seLinuxOptions"),
		why: "this removes a layer of confinement the baseline Pod Security Standard requires"}.set(),
}

var UnsafeSysctls = &lint.Rule{
	ID:        "k8s-unsafe-sysctls",
	Level:     lint.Warning,
	DefaultOn: true,
	Title:     "Pod sets a sysctl outside the safe set",
	Inputs:    lint.WorkloadInput | lint.NamespaceInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagKubernetes},
	Sources:   []lint.Source{k8sBaseline},
	Rationale: "Most kernel parameters are not namespaced: set from one pod they change the whole node, or switch " +
		"off protections for every pod on it. " + bestPractices + " recommends Pod Security Standards; their " +
		"baseline level allows only the sysctls known to be isolated per pod (" + standards + ", \"Sysctls\").",
	Fix: "Remove the sysctl from `spec.securityContext.sysctls`; set node-wide parameters in the node's launch " +
		"template or user data instead.",
	Example: lint.Example{
		Bad:  deployment("      securityContext:\n        sysctls:\n          - name: net.core.somaxconn\n            value: \"4096\"\n", ""),
		Good: deployment("      securityContext:\n        sysctls:\n          - name: net.ipv4.ip_unprivileged_port_start\n            value: \"80\"\n", ""),
	},
	Equivalents: []string{"kube-linter unsafe-sysctls", "Trivy KSV-0026"},
	Notes: libraryNote + infrastructureNote + " The safe set grows with the policy version (1.27, 1.29, 1.32 and 1.37 " +
		"each added sysctls); ekslint follows the library's set for the newest EKS version. kube-linter unsafe-sysctls " +
		"flags every sysctl starting with kernel.msg, kernel.sem, kernel.shm, fs.mqueue. or net., the safe ones " +
		"included.",
	Set: standard{level: api.LevelBaseline, checks: checkIDs("sysctls"),
		why: "the baseline Pod Security Standard allows only sysctls isolated per pod"}.set(),
}

var PrivilegeEscalationAllowed = &lint.Rule{
	ID:      "k8s-privilege-escalation-allowed",
	Level:   lint.Note,
	Title:   "Container does not forbid privilege escalation",
	Inputs:  lint.WorkloadInput,
	Tags:    []lint.Tag{lint.TagSecurity, lint.TagKubernetes},
	Sources: []lint.Source{bpgDoNotAllowPrivilegedEscalation, k8sRestricted},
	Rationale: "Unless `allowPrivilegeEscalation` is false, a process in the container can gain more privileges " +
		"than its parent through setuid binaries or file capabilities. " + bestPractices + " recommends Pod " +
		"Security Standards; their restricted level requires `allowPrivilegeEscalation: false` (" + standards +
		", \"Privilege Escalation\").",
	Fix: "Set `securityContext.allowPrivilegeEscalation: false` on every container.",
	Example: lint.Example{
		Bad:  deployment("", ""),
		Good: deployment("", "          securityContext:\n            allowPrivilegeEscalation: false\n"),
	},
	Equivalents: []string{"kube-linter privilege-escalation-container", "Polaris privilegeEscalationAllowed",
		"Trivy KSV-0001", "Checkov CKV_K8S_20"},
	Notes: libraryNote + " Pods with `spec.os.name: windows` are exempt, as in the library.",
	Set: standard{level: api.LevelRestricted, checks: checkIDs("allowPrivilegeEscalation"),
		why: "a process could gain privileges through setuid binaries; the restricted Pod Security Standard requires false"}.set(),
}

var RunAsRoot = &lint.Rule{
	ID:      "k8s-run-as-root",
	Level:   lint.Note,
	Title:   "Container may run as root",
	Inputs:  lint.WorkloadInput,
	Tags:    []lint.Tag{lint.TagSecurity, lint.TagKubernetes},
	Sources: []lint.Source{bpgDoNotRunProcessesContainers, k8sRestricted},
	Rationale: "A container without `runAsNonRoot: true` runs as whatever user its image names, root for most " +
		"images, and root in a container is root on the node once anything else gives way. " + bestPractices +
		" says not to run processes in containers as root; the restricted level of " + standards + " requires " +
		"`runAsNonRoot: true` and forbids `runAsUser: 0` (\"Running as Non-root\", \"Running as Non-root user\").",
	Fix: "Set `runAsNonRoot: true` in the pod's `securityContext` (or each container's), with a non-zero " +
		"`runAsUser` if the image does not name a user.",
	Example: lint.Example{
		Bad:  deployment("      securityContext:\n        runAsUser: 0\n", ""),
		Good: deployment("      securityContext:\n        runAsNonRoot: true\n        runAsUser: 10001\n", ""),
	},
	Equivalents: []string{"kube-linter run-as-non-root", "kube-score container-security-context-user-group-id",
		"Polaris runAsRootAllowed", "Trivy KSV-0012", "Trivy KSV-0105"},
	Notes: libraryNote + " `runAsNonRoot: false` and `runAsUser: 0` are reported where they are written, even when " +
		"a container overrides the pod's value, as the library forbids them there. Pods with `hostUsers: false` " +
		"run in a user namespace and are exempt from policy version 1.35.",
	Set: standard{level: api.LevelRestricted, checks: checkIDs("runAsNonRoot", "runAsUser"),
		why: "the restricted Pod Security Standard requires runAsNonRoot: true and a user other than 0 (without them a container runs as its image's user, root for most images)"}.set(),
}

var SeccompProfileMissing = &lint.Rule{
	ID:      "k8s-seccomp-profile-missing",
	Level:   lint.Note,
	Title:   "Container runs without a seccomp profile",
	Inputs:  lint.WorkloadInput,
	Tags:    []lint.Tag{lint.TagSecurity, lint.TagKubernetes},
	Sources: []lint.Source{bpgSeccomp, k8sRestricted},
	Rationale: "Without a seccomp profile a container may make any system call, including the rarely used ones " +
		"most kernel exploits go through. " + bestPractices + " recommends Pod Security Standards; their restricted " +
		"level requires the `RuntimeDefault` or a `Localhost` profile (" + standards + ", \"Seccomp\").",
	Fix: "Set `securityContext.seccompProfile.type: RuntimeDefault` in the pod's securityContext (or each " +
		"container's).",
	Example: lint.Example{
		Bad:  deployment("", ""),
		Good: deployment("      securityContext:\n        seccompProfile:\n          type: RuntimeDefault\n", ""),
	},
	Equivalents: []string{"Trivy KSV-0104", "kube-score container-seccomp-profile", "Checkov CKV_K8S_31"},
	Notes: libraryNote + " When no container sets a profile and the pod has a securityContext, one finding lands " +
		"there: one line fixes every container. An `Unconfined` profile is also reported by k8s-unconfined-profile.",
	Set: standard{level: api.LevelRestricted, checks: checkIDs("seccompProfile_restricted"),
		why: "any system call is allowed; the restricted Pod Security Standard requires RuntimeDefault or Localhost"}.set(),
}

var CapabilitiesNotDropped = &lint.Rule{
	ID:      "k8s-capabilities-not-dropped",
	Level:   lint.Note,
	Title:   "Container keeps capabilities it does not need",
	Inputs:  lint.WorkloadInput,
	Tags:    []lint.Tag{lint.TagSecurity, lint.TagKubernetes},
	Sources: []lint.Source{bpgLinuxCapabilities, k8sRestricted},
	Rationale: "The container runtime gives every container a default set of capabilities (CHOWN, DAC_OVERRIDE, " +
		"SETUID, NET_RAW and more); few applications need any. " + bestPractices + " recommends Pod Security " +
		"Standards; their restricted level requires dropping ALL and adding back at most NET_BIND_SERVICE (" +
		standards + ", \"Capabilities\").",
	Fix: "Set `securityContext.capabilities.drop: [ALL]` on every container and add back only NET_BIND_SERVICE if " +
		"it binds a port below 1024.",
	Example: lint.Example{
		Bad:  deployment("", "          securityContext:\n            capabilities:\n              drop: [NET_RAW]\n"),
		Good: deployment("", "          securityContext:\n            capabilities:\n              drop: [ALL]\n"),
	},
	Equivalents: []string{"Polaris insecureCapabilities", "Trivy KSV-0003", "Trivy KSV-0106", "Checkov CKV_K8S_28"},
	Notes: libraryNote + " A capability added beyond NET_BIND_SERVICE is its own finding on its `capabilities.add` " +
		"entry (k8s-dangerous-capabilities also reports those outside the baseline set). Pods with " +
		"`spec.os.name: windows` are exempt, as in the library.",
	Set: standard{level: api.LevelRestricted, checks: checkIDs("capabilities_restricted"),
		why: "the restricted Pod Security Standard requires dropping ALL and adding back at most NET_BIND_SERVICE"}.set(),
}

var RestrictedVolumeType = &lint.Rule{
	ID:      "k8s-restricted-volume-type",
	Level:   lint.Note,
	Title:   "Pod uses a volume type outside the restricted set",
	Inputs:  lint.WorkloadInput,
	Tags:    []lint.Tag{lint.TagSecurity, lint.TagKubernetes},
	Sources: []lint.Source{k8sRestricted},
	Rationale: "Volume types other than ConfigMap, Secret, downward API, emptyDir, projected, CSI, ephemeral, " +
		"image and PersistentVolumeClaim reach outside the pod: the node's files, network filesystems or disks " +
		"mounted with the node's rights. " + bestPractices + " recommends Pod Security Standards; their restricted " +
		"level allows only those types (" + standards + ", \"Volume Types\").",
	Fix: "Use a PersistentVolumeClaim (backed by a CSI driver such as the EBS or EFS CSI driver) instead of an " +
		"in-line network or host volume.",
	Example: lint.Example{
		Bad: deployment("      volumes:\n        - name: shared\n          nfs:\n            server: fs.example.internal\n            path: /exports\n",
			"          volumeMounts:\n            - name: shared\n              mountPath: /shared\n"),
		Good: deployment("      volumes:\n        - name: shared\n          persistentVolumeClaim:\n            claimName: shared\n",
			"          volumeMounts:\n            - name: shared\n              mountPath: /shared\n"),
	},
	Equivalents: []string{"Trivy KSV-0028"},
	Notes: libraryNote + " hostPath volumes are reported too (k8s-host-path-volume reports them at baseline). A " +
		"volume that names no type is an emptyDir, as the API server's defaulting makes it before admission.",
	Set: standard{level: api.LevelRestricted, checks: checkIDs("restrictedVolumes"),
		why: "the restricted Pod Security Standard allows only volumes that stay inside the pod"}.set(),
}

var RootFilesystemWritable = &lint.Rule{
	ID:      "k8s-root-filesystem-writable",
	Level:   lint.Note,
	Title:   "Container can write to its root filesystem",
	Inputs:  lint.WorkloadInput,
	Tags:    []lint.Tag{lint.TagSecurity, lint.TagKubernetes},
	Sources: []lint.Source{bpgConfigureImagesReadOnlyRoot, k8sConfigureSecurityContextPodOr},
	Rationale: "A writable root filesystem lets an intruder drop tools and change the application's own files; a " +
		"read-only one confines writes to the volumes the pod declares. " + bestPractices + " recommends a " +
		"read-only root filesystem. This is not a Pod Security Standards control, but every peer checks it.",
	Fix: "Set `securityContext.readOnlyRootFilesystem: true` and mount an `emptyDir` where the application must " +
		"write (/tmp, caches).",
	Example: lint.Example{
		Bad:  deployment("", ""),
		Good: deployment("", "          securityContext:\n            readOnlyRootFilesystem: true\n"),
	},
	Equivalents: []string{"kube-linter no-read-only-root-fs", "kube-score container-security-context-readonlyrootfilesystem",
		"Polaris notReadOnlyRootFilesystem", "Trivy KSV-0014"},
	Notes: "Checks init, app and ephemeral containers; Windows pods (`spec.os.name: windows`), where the field does " +
		"not exist, are skipped. A value of the wrong type is left to the API server, which refuses it.",
	Check: func(p *lint.Pass) {
		o := p.Object
		if !o.IsWorkload() || o.PodSpec().Get("os", "name").Str() == "windows" {
			return
		}
		for kind, list := range [][]lint.Node{initContainer: o.InitContainers(), appContainer: o.Containers(),
			ephemeralContainer: o.PodSpec().Get("ephemeralContainers").Items()} {
			for _, c := range list {
				ro := c.Get("securityContext", "readOnlyRootFilesystem")
				if v, ok := ro.Bool(); v || ro.Exists() && !ok {
					continue
				}
				p.Report(ro, "%s can write to its root filesystem; set securityContext.readOnlyRootFilesystem: true "+
					"and mount an emptyDir where it must write", describeKind(containerKind(kind), containerName(c)))
			}
		}
	},
}

var NamespacePSSUnlabelled = &lint.Rule{
	ID:      "k8s-namespace-pss-unlabelled",
	Level:   lint.Note,
	Title:   "Namespace does not enforce a Pod Security Standard",
	Inputs:  lint.NamespaceInput,
	Tags:    []lint.Tag{lint.TagSecurity, lint.TagEKS, lint.TagKubernetes},
	Sources: []lint.Source{bpgPodSecurityStandardsPSSPod, k8sPodSecurityAdmission, k8sEnforcePodSecurityStandardsNamespace},
	Rationale: "PodSecurity admission enforces a standard only in namespaces labelled " +
		"`pod-security.kubernetes.io/enforce`, and EKS sets no cluster-wide default: every pod is admitted, " +
		"privileged or not. " + bestPractices + " recommends Pod Security Admission with a label on every namespace " +
		"(" + standards + ").",
	Fix: "Label the namespace `pod-security.kubernetes.io/enforce: restricted` (or `baseline`), with " +
		"`pod-security.kubernetes.io/enforce-version` pinned if you want upgrades not to tighten it.",
	Example: lint.Example{
		Bad:  namespace("shop", ""),
		Good: namespace("shop", "    pod-security.kubernetes.io/enforce: restricted\n"),
	},
	Notes: "A namespace with only `warn` or `audit` labels is reported too: they never refuse a pod.",
	Check: func(p *lint.Pass) {
		o := p.Object
		if o.Format != lint.Kubernetes || o.Kind() != "Namespace" || o.ID.APIVersion != "v1" {
			return
		}
		if enforce := o.Get("metadata", "labels", api.EnforceLevelLabel); !enforce.Exists() {
			p.Report(enforce, "namespace %s has no %s label, so PodSecurity admission lets any pod in; label it baseline or restricted",
				lint.QuoteName(o.Name()), api.EnforceLevelLabel)
		}
	},
}

var PSSAdmissionRejected = &lint.Rule{
	ID:        "k8s-pss-admission-rejected",
	Level:     lint.Error,
	DefaultOn: true,
	Title:     "PodSecurity admission will reject the workload's pods",
	Inputs:    lint.NamespaceInput,
	Tags:      []lint.Tag{lint.TagSecurity, lint.TagReliability, lint.TagKubernetes},
	Sources:   []lint.Source{bpgPodSecurityStandardsPSSPod, k8sPodSecurityAdmission, k8sEnforcePodSecurityStandardsNamespace},
	Rationale: "In a namespace labelled `pod-security.kubernetes.io/enforce: baseline` or `restricted`, the API " +
		"server refuses every pod that breaks the standard. For a Deployment, StatefulSet, DaemonSet, Job or " +
		"CronJob the workload itself is accepted and its pods are refused when its controller creates them: the " +
		"rollout hangs with nothing but events saying why. `warn` and `audit` labels do not refuse, but print a " +
		"warning on apply or write an audit event. " + bestPractices + " recommends Pod Security Admission; " +
		standards + " define what each level refuses.",
	Fix: "Fix the field the finding names, or, for node infrastructure, move the workload to a namespace whose " +
		"level allows it.",
	Example: lint.Example{
		Bad: namespace("shop", "    pod-security.kubernetes.io/enforce: baseline\n") + "---\n" +
			deployment("", "          securityContext:\n            privileged: true\n"),
		Good: namespace("shop", "    pod-security.kubernetes.io/enforce: baseline\n") + "---\n" + deployment("", ""),
	},
	Notes: "The workload's namespace must be in the input as a Namespace object: with `helm --create-namespace`, or " +
		"a Kustomize `namespace:` without a Namespace resource, the labels are unknown and nothing is predicted. " +
		"Each level is evaluated by k8s.io/pod-security-admission at the namespace's `enforce-version` (`warn-version`, " +
		"`audit-version`; default `latest`), with the labels read as the API server reads them (`api.PolicyToEvaluate`: " +
		"an `enforce` label makes `warn` default to the same level). Every control the pod breaks is a finding at its " +
		"field, with the library's reason, including the controls no other rule reports (probe and lifecycle " +
		"`host` fields, `procMount` at restricted in user-namespace pods); a finding refused by `enforce` is an error, " +
		"one only `warn` or `audit` flags is a warning. SARIF gives the namespace label as a related location. A " +
		"label with a value PodSecurity does not accept is an error on the label: the API server refuses to create " +
		"the Namespace. Exemptions in the API server's admission configuration (users, runtime classes, namespaces) " +
		"cannot be seen offline; EKS configures none.",
	Set: podSecurityFacts.Gather(checkAdmission),
}

// namespace writes the Namespace examples in rule docs, with labels (lines indented by four
// spaces).
func namespace(name, labels string) string {
	s := "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: " + name + "\n"
	if labels != "" {
		s += "  labels:\n" + labels
	}
	return s
}

// checkIDs are check ids of k8s.io/pod-security-admission; TestPodSecurityChecks makes sure the
// library has each.
func checkIDs(ids ...policy.CheckID) []policy.CheckID { return ids }

// modes are PodSecurity admission's three modes, strictest first: a breach is reported once, for
// the first mode that flags it.
var modes = [...]struct {
	label string
	level lint.Level
	of    func(p *api.Policy) api.LevelVersion
	does  string // what the API server does, given the object
}{
	{api.EnforceLevelLabel, lint.Error, func(p *api.Policy) api.LevelVersion { return p.Enforce }, "rejects"},
	{api.WarnLevelLabel, lint.Warning, func(p *api.Policy) api.LevelVersion { return p.Warn }, "warns about"},
	{api.AuditLevelLabel, lint.Warning, func(p *api.Policy) api.LevelVersion { return p.Audit }, "records an audit violation for"},
}

// everythingAllowed is the policy of a namespace without labels on EKS, which configures no
// cluster-wide default.
var everythingAllowed = api.Policy{
	Enforce: api.LevelVersion{Level: api.LevelPrivileged, Version: api.LatestVersion()},
	Audit:   api.LevelVersion{Level: api.LevelPrivileged, Version: api.LatestVersion()},
	Warn:    api.LevelVersion{Level: api.LevelPrivileged, Version: api.LatestVersion()},
}

// checkAdmission is rule 89: it predicts PodSecurity admission for the workloads whose Namespace
// the input has.
func checkAdmission(items []psItem, s *lint.SetPass) {
	type nsPolicy struct {
		ns     *nsItem
		policy api.Policy
		plans  [len(modes)][]psFn // nil for a privileged mode
	}
	policies := map[string][]nsPolicy{}
	for _, it := range items {
		ns := it.ns
		if ns == nil || len(ns.labels) == 0 {
			continue
		}
		if invalidLabels(ns, s) {
			continue // the API server refuses the Namespace itself
		}
		pol, _ := api.PolicyToEvaluate(ns.labels, everythingAllowed)
		if slices.ContainsFunc(policies[ns.name], func(np nsPolicy) bool { return np.policy.Equivalent(&pol) }) {
			continue
		}
		np := nsPolicy{ns: ns, policy: pol}
		for i, m := range modes {
			if lv := m.of(&pol); lv.Level != api.LevelPrivileged {
				np.plans[i] = psPlans().plan(lv)
			}
		}
		policies[ns.name] = append(policies[ns.name], np)
	}
	if len(policies) == 0 {
		return
	}
	for i := range items {
		pod := &items[i].pod
		if pod.shape == nil {
			continue
		}
		for _, np := range policies[pod.namespace] {
			pod.eachPlace(func(b *psBreach) int {
				for mi := range modes {
					if inPlan(np.plans[mi], b) {
						return mi
					}
				}
				return -1
			}, func(at lint.Place, mi int, group []*psBreach) {
				m := modes[mi]
				label := m.label
				if _, ok := np.ns.labelAt[label]; !ok {
					label = api.EnforceLevelLabel // warn defaults to the enforce level
				}
				at.Related = append(slices.Clone(at.Related), lint.Location{Pos: np.ns.labelAt[label].Pos,
					Message: fmt.Sprintf("namespace %q: %s: %s", np.ns.name, label, np.ns.labels[label])})
				what := make([]string, len(group))
				for i, b := range group {
					what[i] = b.String() + " (" + b.reason + ")"
				}
				s.ReportLevel(m.level, at, "namespace %q is labelled %s: %s, so the API server %s %s: %s",
					np.ns.name, label, np.ns.labels[label], m.does, podsOf(at.Object, m.of(&np.policy)), strings.Join(what, "; "))
			})
		}
	}
}

// podsOf names what admission refuses or flags: a Pod, or the pods of a workload.
func podsOf(obj *lint.ObjectRef, lv api.LevelVersion) string {
	policy := "Pod Security " + strconv.Quote(lv.String())
	if obj.Kind == "Pod" {
		return describeRef(obj) + " under " + policy
	}
	return "the pods of " + describeRef(obj) + " under " + policy
}

// invalidLabels reports the pod-security labels of a namespace whose values PodSecurity admission
// does not accept, and whether there were any.
func invalidLabels(ns *nsItem, s *lint.SetPass) bool {
	invalid := false
	for _, key := range []string{api.EnforceLevelLabel, api.WarnLevelLabel, api.AuditLevelLabel,
		api.EnforceVersionLabel, api.WarnVersionLabel, api.AuditVersionLabel} {
		value, ok := ns.labels[key]
		if !ok {
			continue
		}
		var err error
		switch key {
		case api.EnforceLevelLabel, api.WarnLevelLabel, api.AuditLevelLabel:
			_, err = api.ParseLevel(value)
		default:
			_, err = api.ParseVersion(value)
		}
		if err != nil {
			invalid = true
			s.Report(ns.labelAt[key], "label %s: %q of namespace %q %s, so the API server refuses to create the namespace",
				key, value, ns.name, err)
		}
	}
	return invalid
}

// podSecurity are the G9 rules in catalogue order.
var podSecurity = []*lint.Rule{
	PrivilegedContainer,
	HostPIDIPC,
	DangerousCapabilities,
	HostPathVolume,
	HostPort,
	UnconfinedProfile,
	UnsafeSysctls,
	PrivilegeEscalationAllowed,
	RunAsRoot,
	SeccompProfileMissing,
	CapabilitiesNotDropped,
	RestrictedVolumeType,
	RootFilesystemWritable,
	NamespacePSSUnlabelled,
	PSSAdmissionRejected,
}

// Presets are named sets of rules that `--enable`, `--disable` and config can name at once, in
// catalogue order: the two Pod Security Standards profiles. The baseline profile includes
// k8s-host-network, the rule for the baseline control's `hostNetwork` (k8s-host-pid-ipc reports
// the rest of "Host Namespaces"), so that turning on a profile turns on every control it has.
func Presets() map[string][]string {
	ids := func(rs ...*lint.Rule) []string {
		out := make([]string, len(rs))
		for i, r := range rs {
			out[i] = r.ID
		}
		return out
	}
	baseline := ids(HostNetwork, PrivilegedContainer, HostPIDIPC, DangerousCapabilities, HostPathVolume, HostPort,
		UnconfinedProfile, UnsafeSysctls)
	return map[string][]string{
		"pod-security-baseline": baseline,
		"pod-security-restricted": slices.Concat(baseline, ids(PrivilegeEscalationAllowed, RunAsRoot,
			SeccompProfileMissing, CapabilitiesNotDropped, RestrictedVolumeType)),
	}
}
