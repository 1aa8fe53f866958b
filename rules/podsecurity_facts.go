package rules

import (
	"cmp"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"

	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"

	"github.com/ekslint/ekslint/lint"
)

// What the pod security rules keep of each workload and Namespace between collecting and
// checking, and the check they share.
//
// Every version of every check is run when a workload is collected (or the answer is taken from
// the cache), and each failure is kept traced to its field, with the versions it fails at as a
// bit mask: rule 89 needs the verdict at the version a namespace pins, and the namespace may come
// later in the input than its workloads. Kept this way, a workload costs the Places of its fields
// at fault (usually one) and a pointer to the shape its template shares; keeping what it takes to
// evaluate again would be a pod spec per workload, and evaluating every version up front costs a
// few microseconds per new shape (31 check functions in the library today).

// psItem is a workload with breaches (pod.shape set) or a Namespace (ns set). Items are kept by
// value, one per workload with breaches, which with the restricted checks in the library's
// verdicts is nearly every workload: a run of 100,000 workloads keeps 100,000.
type psItem struct {
	pod podItem
	ns  *nsItem
}

// podItem is what the rules need of a workload: its namespace, how it breaks the checks, and
// where. Most workloads' breaches land on one field (a container missing the fields the
// restricted standard wants), so one position is kept in the item and more only when needed.
type podItem struct {
	namespace string
	shape     *psShape
	object    *lint.ObjectRef
	first     psPlace
	more      *psPlaces // nil when every node of the shape is at first
}

// psPlaces are the distinct positions of a shape's nodes, and at gives each node's.
type psPlaces struct {
	places []psPlace
	at     []uint16
	// related are, by node, the related locations of a node whose differ from those of its
	// position's place (nil when none does): fields a template writes on one line with one
	// toYaml come from different values keys, and each finding names its own.
	related []*[]lint.Location
}

// psPlace is a Place without what its item holds once for all (the object) and what each breach
// gives (the field's path), its position in 32 bits.
type psPlace struct {
	file                             string
	line, column, endLine, endColumn int32
	related                          *[]lint.Location // rare: a pointer keeps the common case small
}

func compactPlace(at lint.Place) psPlace {
	p := psPlace{file: at.Pos.File, line: int32(at.Pos.Line), column: int32(at.Pos.Column),
		endLine: int32(at.Pos.EndLine), endColumn: int32(at.Pos.EndColumn)}
	if len(at.Related) > 0 {
		p.related = &at.Related
	}
	return p
}

func (p psPlace) place(object *lint.ObjectRef, path string) lint.Place {
	at := lint.Place{Pos: lint.Pos{File: p.file, Line: int(p.line), Column: int(p.column), EndLine: int(p.endLine),
		EndColumn: int(p.endColumn)}, Object: object, Path: path}
	if p.related != nil {
		at.Related = *p.related
	}
	return at
}

// A psShape is how a pod breaks the checks, all but where: what the messages and fingerprints
// need. Pods that ask the library the same question (psPod.key) share one, so a run of 100,000
// workloads from a few templates keeps a few shapes and a Place or two per workload.
type psShape struct {
	breaches []psBreach
	// nodes are the distinct fields the breaches land on, each as a breach landing there: its
	// Node is found again in every pod of the shape (psPod.at).
	nodes []breach
}

// psBreach is a breach as kept: what a message needs, with the field as an index into the
// shape's nodes.
type psBreach struct {
	check, versions uint8
	field           field
	missing         bool          // the field is absent (or, for fUnlocated, unknown)
	kind            containerKind // for container fields
	place           uint16
	path            string // the field's path, for the finding's fingerprint
	name            string // the container, volume or annotation the field belongs to
	value           string // the value as written, for messages
	reason          string // the library's ForbiddenReason (the ForbiddenDetail for fUnlocated)
}

type nsItem struct {
	name    string
	labels  map[string]string     // the pod-security.kubernetes.io/ labels
	labelAt map[string]lint.Place // where each of them is written
}

// psaLabelPrefix starts every label Pod Security admission reads on a namespace.
const psaLabelPrefix = "pod-security.kubernetes.io/"

// podSecurityFacts is the collect step the pod security rules share. A workload is judged by the
// labels of its own namespace only.
var podSecurityFacts = lint.Collect(collectPodSecurity).ByNamespace(func(it psItem) (string, bool) {
	if it.ns != nil {
		return it.ns.name, false
	}
	return it.pod.namespace, false
})

// probes are reused between workloads: a probe pod is rebuilt a few dozen times per workload.
var probes = sync.Pool{New: func() any { return &podProbe{} }}

func collectPodSecurity(p *lint.Pass) (psItem, bool) {
	o := p.Object
	if o.Format != lint.Kubernetes {
		return psItem{}, false
	}
	if o.Kind() == "Namespace" && o.ID.APIVersion == "v1" {
		ns := &nsItem{name: o.Name(), labels: map[string]string{}, labelAt: map[string]lint.Place{}}
		for _, e := range o.Get("metadata", "labels").Entries() {
			if strings.HasPrefix(e.Key(), psaLabelPrefix) {
				ns.labels[e.Key()], ns.labelAt[e.Key()] = e.Str(), e.Place()
			}
		}
		return psItem{ns: ns}, true
	}
	if !o.IsWorkload() || !o.PodSpec().IsMap() {
		return psItem{}, false
	}
	pod := pods.Get().(*psPod)
	defer func() {
		pod.reset()
		pods.Put(pod)
	}()
	pod.read(o.PodTemplate())
	pr := probes.Get().(*podProbe)
	shape := pod.evaluate(pr)
	probes.Put(pr)
	if len(shape.breaches) == 0 {
		return psItem{}, false
	}
	item := podItem{namespace: o.Namespace(), shape: shape, object: o.Ref()}
	var places []psPlace
	var related []*[]lint.Location
	at := make([]uint16, len(shape.nodes))
	for i := range shape.nodes {
		place := pod.at(&shape.nodes[i]).Place()
		p := compactPlace(place)
		j := slices.IndexFunc(places, func(q psPlace) bool { return q.samePos(p) })
		if j < 0 {
			j = len(places)
			places = append(places, p)
		} else if !sameRelated(places[j].related, p.related) {
			if related == nil {
				related = make([]*[]lint.Location, len(shape.nodes))
			}
			related[i] = &place.Related
		}
		at[i] = uint16(j)
	}
	if len(places) > 0 {
		item.first = places[0]
	}
	if len(places) > 1 || related != nil {
		item.more = &psPlaces{places: places, at: at, related: related}
	}
	return psItem{pod: item}, true
}

// sameRelated reports whether two places' related locations are the same.
func sameRelated(a, b *[]lint.Location) bool {
	if a == nil || b == nil {
		return a == b
	}
	return slices.Equal(*a, *b)
}

func (p psPlace) samePos(q psPlace) bool {
	return p.file == q.file && p.line == q.line && p.column == q.column && p.endLine == q.endLine && p.endColumn == q.endColumn
}

// shape keeps what the messages need of the breaches of a pod.
func (p *psPod) shape(breaches []breach) *psShape {
	sh := &psShape{}
	var paths []string
	for _, b := range breaches {
		path := p.at(&b).Path()
		i := slices.Index(paths, path)
		if i < 0 {
			if len(paths) == 1<<16 {
				break // a pod this broken has said enough
			}
			i = len(paths)
			paths = append(paths, path)
			sh.nodes = append(sh.nodes, b)
		}
		kept := psBreach{check: b.check, versions: b.versions, field: b.field, missing: b.site < 0,
			place: uint16(i), path: path, reason: b.reason}
		if b.container >= 0 {
			c := p.containers[b.container]
			kept.kind, kept.name = c.kind, c.name
		}
		if b.site >= 0 {
			s := &p.sites[b.site]
			kept.value = valueOf(s)
			if s.field == fVolume || s.field == fAnnotation {
				kept.name = s.s
			}
		}
		if b.field == fUnlocated {
			kept.reason = b.reason + ": " + b.detail
		}
		sh.breaches = append(sh.breaches, kept)
	}
	return sh
}

// valueOf is a site's value as a message shows it.
func valueOf(s *site) string {
	switch s.field {
	case fHostNetwork, fHostPID, fHostIPC, fPodHostProcess, fPodRunAsNonRoot, fPrivileged,
		fAllowPrivilegeEscalation, fRunAsNonRoot, fHostProcess:
		return strconv.FormatBool(s.b)
	case fPodRunAsUser, fRunAsUser, fHostPort, fHostNetworkPort:
		return strconv.FormatInt(s.n, 10)
	case fVolume:
		if slices.Contains(s.list, "hostPath") {
			return s.s2
		}
		return strings.Join(s.list, ", ")
	case fAnnotation:
		return s.s2
	case fCapDrop:
		return "[" + strings.Join(s.list, ", ") + "]"
	case fProbeHost:
		return strings.Join(probeHandlers[s.n], ".") + "." + s.s + ".host: " + s.s2
	}
	return s.s
}

// position is the index of the distinct position a breach lands on.
func (p *podItem) position(b *psBreach) uint16 {
	if p.more == nil {
		return 0
	}
	return p.more.at[b.place]
}

// place is where a breach is reported.
func (p *podItem) place(b *psBreach) lint.Place {
	at := p.first
	if p.more != nil {
		at = p.more.places[p.more.at[b.place]]
		if p.more.related != nil && p.more.related[b.place] != nil {
			at.related = p.more.related[b.place]
		}
	}
	return at.place(p.object, b.path)
}

// sameAs reports whether two breaches say the same: the same field, subject and value, failing
// the same check for the same reason.
func (b *psBreach) sameAs(o *psBreach) bool {
	return b.check == o.check && b.field == o.field && b.missing == o.missing && b.kind == o.kind &&
		b.name == o.name && b.value == o.value && b.reason == o.reason
}

// subject names what a container field belongs to.
func (b *psBreach) subject() string { return describeKind(b.kind, b.name) }

// describeKind names a container of a kind for a message.
func describeKind(kind containerKind, name string) string {
	switch kind {
	case initContainer:
		return "init container " + strconv.Quote(name)
	case ephemeralContainer:
		return "ephemeral container " + strconv.Quote(name)
	}
	return "container " + strconv.Quote(name)
}

// String says what is wrong, in terms of the field a person edits.
func (b *psBreach) String() string {
	who := b.subject()
	switch b.field {
	case fHostNetwork:
		return "the pod sets hostNetwork: true"
	case fHostPID:
		return "the pod sets hostPID: true"
	case fHostIPC:
		return "the pod sets hostIPC: true"
	case fPodSeccomp:
		if b.missing {
			return "neither the pod nor its containers set a seccompProfile"
		}
		return "the pod sets seccompProfile type " + quoteEmpty(b.value)
	case fPodAppArmor:
		return "the pod sets appArmorProfile type " + quoteEmpty(b.value)
	case fPodSELinuxType, fSELinuxType, fPodSELinuxUser, fSELinuxUser, fPodSELinuxRole, fSELinuxRole:
		key := map[field]string{fPodSELinuxType: "type", fSELinuxType: "type", fPodSELinuxUser: "user",
			fSELinuxUser: "user", fPodSELinuxRole: "role", fSELinuxRole: "role"}[b.field]
		if b.field.podLevel() {
			who = "the pod"
		}
		return who + " sets seLinuxOptions." + key + ": " + quoteEmpty(b.value)
	case fPodHostProcess:
		return "the pod sets windowsOptions.hostProcess: true"
	case fPodRunAsNonRoot:
		if b.missing {
			return "neither the pod nor its containers set runAsNonRoot: true"
		}
		return "the pod sets runAsNonRoot: " + b.value
	case fPodRunAsUser:
		return "the pod sets runAsUser: " + b.value
	case fSysctl:
		return "the pod sets sysctl " + b.value
	case fVolume:
		if isHostPath(b.value) {
			return "volume " + strconv.Quote(b.name) + " mounts the node's " + b.value
		}
		return "volume " + strconv.Quote(b.name) + " is of type " + b.value
	case fAnnotation:
		return "annotation " + b.name + ": " + b.value
	case fPrivileged:
		return who + " sets privileged: true"
	case fAllowPrivilegeEscalation:
		if b.missing {
			return who + " does not set allowPrivilegeEscalation: false"
		}
		return who + " sets allowPrivilegeEscalation: " + b.value
	case fRunAsNonRoot:
		if b.missing {
			return who + " does not set runAsNonRoot: true, and neither does the pod"
		}
		return who + " sets runAsNonRoot: " + b.value
	case fRunAsUser:
		return who + " sets runAsUser: " + b.value
	case fSeccomp:
		if b.missing {
			return who + " has no seccompProfile, and neither does the pod"
		}
		return who + " sets seccompProfile type " + quoteEmpty(b.value)
	case fAppArmor:
		return who + " sets appArmorProfile type " + quoteEmpty(b.value)
	case fHostProcess:
		return who + " sets windowsOptions.hostProcess: true"
	case fProcMount:
		return who + " sets procMount: " + quoteEmpty(b.value)
	case fCapAdd:
		if b.value == "NET_RAW" || b.value == "CAP_NET_RAW" {
			// Runtimes grant it by default; the baseline standard leaves it out of their defaults.
			return who + addsCapability + b.value + " (a runtime default that the standard leaves out: it lets a container forge packets)"
		}
		if name, prefixed := strings.CutPrefix(b.value, "CAP_"); prefixed && defaultCapabilities[name] {
			// Runtimes take either spelling; admission compares the name as written.
			return who + addsCapability + b.value + " (Pod Security compares names as written: the default capability is spelt " + name + ")"
		}
		return who + addsCapability + b.value
	case fCapDrop:
		if b.missing {
			return who + " does not drop ALL capabilities"
		}
		return who + " drops " + b.value + ", not ALL"
	case fHostPort:
		return who + " binds hostPort " + b.value
	case fHostNetworkPort:
		return who + " binds hostPort " + b.value + " through hostNetwork"
	case fProbeHost:
		return who + " sets " + b.value
	}
	return "the pod fails the check " + b.reason
}

// addsCapability joins a container and a capability it adds, in messages.
const addsCapability = " adds capability "

// defaultCapabilities are the container runtime's defaults, which the baseline Pod Security
// Standard allows a container to add.
var defaultCapabilities = map[string]bool{"AUDIT_WRITE": true, "CHOWN": true, "DAC_OVERRIDE": true, "FOWNER": true,
	"FSETID": true, "KILL": true, "MKNOD": true, "NET_BIND_SERVICE": true, "SETFCAP": true, "SETGID": true,
	"SETPCAP": true, "SETUID": true, "SYS_CHROOT": true}

func quoteEmpty(s string) string {
	if s == "" {
		return `""`
	}
	return s
}

// newestVersion is the policy version rules 75-88 judge by: the newest Kubernetes version of the
// EKS version data in use.
func newestVersion(env *lint.Env) api.Version {
	v := env.EKS().Newest().Version
	return api.MajorMinorVersion(v.Major, v.Minor)
}

// inPlan reports whether a breach happens at one of the check versions of plan.
func inPlan(plan []psFn, b *psBreach) bool {
	for _, fn := range plan {
		if fn.check == b.check && b.versions&(1<<fn.version) != 0 {
			return true
		}
	}
	return false
}

// privilegedNamespaces are the namespaces the input labels pod-security.kubernetes.io/enforce:
// privileged: declared to run node-level infrastructure.
func privilegedNamespaces(items []psItem) map[string]bool {
	out := map[string]bool{}
	for _, it := range items {
		if it.ns != nil && it.ns.labels[api.EnforceLevelLabel] == string(api.LevelPrivileged) {
			out[it.ns.name] = true
		}
	}
	return out
}

// A standard is a rule made of controls of the Pod Security Standards: it reports every breach
// of its checks that the library finds at the rule's level and the newest Kubernetes version.
type standard struct {
	level  api.Level
	checks []policy.CheckID
	// fields narrows the breaches reported to these fields (0: every field of the checks).
	fields fieldSet
	// why follows the breach in the message: what it allows and which standard forbids it.
	why string
	// severity gives a breach a level other than the rule's (lint.None: the rule's), and says
	// why in a word the message adds.
	severity func(b *psBreach) (lint.Level, string)
}

func (st standard) set() lint.SetCheck {
	return podSecurityFacts.Gather(func(items []psItem, s *lint.SetPass) {
		plan := psPlans().plan(api.LevelVersion{Level: st.level, Version: newestVersion(s.Env)})
		var checks []uint8
		for _, id := range st.checks {
			if i := checkIndex(id); i >= 0 {
				checks = append(checks, uint8(i))
			}
		}
		infrastructure := map[string]bool{}
		if st.level == api.LevelBaseline {
			infrastructure = privilegedNamespaces(items)
		}
		for i := range items {
			pod := &items[i].pod
			if pod.shape == nil {
				continue
			}
			pod.eachPlace(func(b *psBreach) int {
				if !slices.Contains(checks, b.check) || st.fields != 0 && !st.fields.has(b.field) || !inPlan(plan, b) {
					return -1
				}
				return 0
			}, func(at lint.Place, _ int, group []*psBreach) {
				level, what := lint.None, make([]string, 0, len(group))
				added := map[string]int{} // a container's capabilities: the index of its phrase in what
				for _, b := range group {
					phrase := b.String()
					if st.severity != nil {
						if l, says := st.severity(b); l != lint.None {
							level = max(level, l)
							phrase += " (" + says + ")"
						}
					}
					// The capabilities one line adds to a container (a values list printed by
					// toYaml) read as one phrase: adds capabilities SYS_ADMIN, NET_ADMIN.
					if who, capability, ok := strings.Cut(phrase, addsCapability); ok && b.field == fCapAdd {
						if j, seen := added[who]; seen {
							what[j] = strings.Replace(what[j], addsCapability, " adds capabilities ", 1) + ", " + capability
							continue
						}
						added[who] = len(what)
					}
					what = append(what, phrase)
				}
				msg := strings.Join(what, "; ") + "; " + st.why
				switch {
				case infrastructure[pod.namespace]:
					s.ReportLevel(lint.Note, at, "%s (a note: namespace %q is labelled %s: privileged)", msg, pod.namespace, api.EnforceLevelLabel)
				case level != lint.None:
					s.ReportLevel(level, at, "%s", msg)
				default:
					s.Report(at, "%s", msg)
				}
			})
		}
	})
}

// eachPlace calls report once per position with the breaches there that sort puts in the same
// class (sort returns -1 to leave a breach out): the engine keeps one finding per rule and
// position, so breaches at one position must make one finding. Breaches that say the same are
// given once: a container repeated by a YAML alias (`- *c`) breaks each control twice, on the
// anchor's lines, in the same words.
func (p *podItem) eachPlace(sort func(b *psBreach) int, report func(at lint.Place, class int, group []*psBreach)) {
	type sorted struct {
		b     *psBreach
		class int
	}
	var kept []sorted
	for i := range p.shape.breaches {
		if c := sort(&p.shape.breaches[i]); c >= 0 {
			kept = append(kept, sorted{&p.shape.breaches[i], c})
		}
	}
	slices.SortStableFunc(kept, func(a, b sorted) int {
		return cmp.Or(cmp.Compare(p.position(a.b), p.position(b.b)), cmp.Compare(a.class, b.class))
	})
	for len(kept) > 0 {
		n := 1
		for n < len(kept) && p.position(kept[n].b) == p.position(kept[0].b) && kept[n].class == kept[0].class {
			n++
		}
		group := make([]*psBreach, 0, n)
		for _, k := range kept[:n] {
			if !slices.ContainsFunc(group, k.b.sameAs) {
				group = append(group, k.b)
			}
		}
		report(p.place(kept[0].b), kept[0].class, group)
		kept = kept[n:]
	}
}

// isHostPath tells a hostPath volume's path from the names of other volume types, which a volume
// breach carries instead: a Linux path, a Windows path with a drive letter, or a Windows named
// pipe or share (`\\.\pipe\…`).
func isHostPath(v string) bool {
	return strings.HasPrefix(v, "/") || strings.HasPrefix(v, `\\`) || windowsDrive(v)
}

// windowsDrive reports whether v starts with a drive letter and a separator (`C:\`, `c:/`).
func windowsDrive(v string) bool {
	return len(v) >= 3 && ('a' <= v[0]|0x20 && v[0]|0x20 <= 'z') && v[1] == ':' && (v[2] == '\\' || v[2] == '/')
}

// nodeTakeover says what a hostPath hands over, or "" when it is not one of the paths that give
// the node away: a container runtime's socket, the node's root, its configuration or the
// kubelet's state, or a folder holding one of them. The kubelet resolves a hostPath on the node,
// where /var/run links to /run. On Windows nodes the runtimes listen on named pipes, and paths
// are compared as Windows does, without regard to case or the kind of slash.
func nodeTakeover(hostPath string) string {
	if strings.HasPrefix(hostPath, `\\`) || windowsDrive(hostPath) {
		return windowsTakeover(strings.ToLower(strings.ReplaceAll(hostPath, `\`, "/")))
	}
	p := path.Clean(hostPath)
	if p == "/var/run" || strings.HasPrefix(p, "/var/run/") {
		p = "/run" + strings.TrimPrefix(p, "/var/run")
	}
	if p == "/" {
		return "the node's whole filesystem"
	}
	return takeover(p, []hostTarget{
		{"/run/docker.sock", "Docker's socket"},
		{"/run/containerd/containerd.sock", "containerd's socket"},
		{"/run/host-containerd/containerd.sock", "the host containerd's socket (Bottlerocket)"},
		{"/run/k3s/containerd/containerd.sock", "k3s's containerd socket"},
		{"/run/crio/crio.sock", "CRI-O's socket"},
		{"/run/podman/podman.sock", "Podman's socket"},
		{"/run/cri-dockerd.sock", "cri-dockerd's socket"},
		{"/etc", "the node's configuration"},
		{"/var/lib/kubelet", "the kubelet's state, with every pod's secrets"},
		{"/var/lib/kubelet/pods", "every pod's volumes, with their secrets and tokens"},
	})
}

// windowsTakeover is nodeTakeover for a Windows path, lower case with forward slashes. The EKS
// Windows AMIs keep the kubelet's state in C:\var\lib\kubelet; CSI Proxy's pipes let a container
// format and mount the node's disks, which is how CSI node plugins on Windows do what a privileged
// container does on Linux.
func windowsTakeover(p string) string {
	if pipe, ok := strings.CutPrefix(p, "//./pipe/"); ok {
		switch {
		case pipe == "docker_engine":
			return "Docker's named pipe"
		case strings.HasPrefix(pipe, "containerd-containerd"):
			return "containerd's named pipe"
		case strings.HasPrefix(pipe, "csi-proxy"):
			return "a CSI Proxy pipe, for the node's disks and volumes"
		}
		return ""
	}
	if !windowsDrive(p) {
		return ""
	}
	drive, rest := p[:2], path.Clean("/"+p[3:])
	if rest == "/" {
		return "the node's whole drive " + strings.ToUpper(drive)
	}
	return takeover(rest, []hostTarget{{"/var/lib/kubelet", "the kubelet's state, with every pod's secrets"}})
}

// hostTarget is a path on the node that hands the node over, and what it is.
type hostTarget struct{ path, what string }

// takeover says which target p is or holds, or "".
func takeover(p string, targets []hostTarget) string {
	for _, t := range targets {
		if p == t.path {
			return t.what
		}
		if strings.HasPrefix(t.path, p+"/") {
			return "a folder holding " + t.what
		}
	}
	return ""
}
