package rules

import (
	"reflect"
	"strings"
	"sync"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/ekslint/ekslint/lint"
)

// A workload's pod as the Pod Security checks read it. Decoding every pod template into corev1
// through JSON would cost eight times as much (BenchmarkPodSecurityRead), a third of a lint run;
// instead the template is read once into sites, the fields the checks read as they are written, each with its Node. A site can be
// put into a corev1 pod alone, which is how a failing check is traced to its fields: the library
// is asked about a pod holding that one field. TestPodSecurityAgreement holds the sites to a full
// decode of every workload of the corpus.

// field is one field of a pod that a check reads.
type field uint8

const (
	fHostNetwork field = iota
	fHostPID
	fHostIPC
	fPodSeccomp // spec.securityContext.seccompProfile
	fPodAppArmor
	fPodSELinuxType
	fPodSELinuxUser
	fPodSELinuxRole
	fPodHostProcess
	fPodRunAsNonRoot
	fPodRunAsUser
	fSysctl     // one entry of spec.securityContext.sysctls
	fVolume     // one entry of spec.volumes
	fAnnotation // one annotation of the pod template
	fPrivileged // container securityContext.privileged, and so on
	fAllowPrivilegeEscalation
	fRunAsNonRoot
	fRunAsUser
	fSeccomp
	fAppArmor
	fSELinuxType
	fSELinuxUser
	fSELinuxRole
	fHostProcess
	fProcMount
	fCapAdd   // one entry of capabilities.add
	fCapDrop  // capabilities.drop as a whole
	fHostPort // one entry of ports with a hostPort
	// fHostNetworkPort is a port of an init or app container of a hostNetwork pod whose hostPort
	// is unset or equals its containerPort: the API server sets it to the containerPort before
	// admission (SetDefaults_Pod), so the pod binds that port of the node whether the manifest
	// says so or not. It lands on hostNetwork, the field whose removal unbinds it.
	fHostNetworkPort
	fProbeHost
	numFields
	// fUnlocated marks a failure the locator could not trace to a field (it is reported at the
	// pod spec with the library's own words); tests require that it never happens on real input.
	fUnlocated = numFields
)

// fieldSet is a set of fields.
type fieldSet uint64

func fields(fs ...field) fieldSet {
	var s fieldSet
	for _, f := range fs {
		s |= 1 << f
	}
	return s
}

const allFields fieldSet = 1<<numFields - 1

func (s fieldSet) has(f field) bool { return s&(1<<f) != 0 }

// podLevel says which fields belong to the pod rather than a container.
func (f field) podLevel() bool { return f < fPrivileged }

// required are the container fields the restricted standard wants set. A probe pod gives every
// container the value that meets them (build's fills), so that a failing check is traced to one
// field at a time. inherits is the pod-level field a container falls back on, if any; path is
// where the field goes in a container.
var required = []struct {
	field    field
	inherits field // numFields: none
	path     []string
}{
	{fAllowPrivilegeEscalation, numFields, []string{"securityContext", "allowPrivilegeEscalation"}},
	{fRunAsNonRoot, fPodRunAsNonRoot, []string{"securityContext", "runAsNonRoot"}},
	{fSeccomp, fPodSeccomp, []string{"securityContext", "seccompProfile"}},
	{fCapDrop, numFields, []string{"securityContext", "capabilities", "drop"}},
}

// podPaths are where the inherited fields go in the pod spec.
var podPaths = map[field][]string{
	fPodRunAsNonRoot: {"securityContext", "runAsNonRoot"},
	fPodSeccomp:      {"securityContext", "seccompProfile"},
}

// A site is one field of the pod as written: its value, kept typed as the corev1 field it goes
// into, and the Node a finding about it lands on.
type site struct {
	field     field
	container int // index into psPod.containers; -1 for a pod field
	at        lint.Node
	b         bool
	n         int64
	s, s2     string   // a string value; for pairs (seccomp type and profile, sysctl name and value) both
	list      []string // capabilities.drop; a volume's source types
}

type containerKind uint8

const (
	initContainer containerKind = iota
	appContainer
	ephemeralContainer
)

// psContainer is one container, in the order the library visits them: init, app, ephemeral.
type psContainer struct {
	kind containerKind
	name string
	node lint.Node
}

// psPod is a workload's pod template read into sites. Only what a check reads is kept: whether a
// securityContext is written without the fields a check looks for, say, changes no verdict.
type psPod struct {
	tmpl, spec lint.Node
	hostUsers  *bool
	os         string
	containers []psContainer
	sites      []site
	// keyBuf holds the pod's key (psPod.key) while its verdict is looked up.
	keyBuf []byte
}

// readPod reads a workload's pod template. Fields of the wrong type are left out, as if absent:
// the API server would refuse such a pod before Pod Security looks at it.
func readPod(tmpl lint.Node) *psPod {
	p := &psPod{}
	p.read(tmpl)
	return p
}

// pods are reused between workloads, with the room their sites, containers and key took.
var pods = sync.Pool{New: func() any { return &psPod{} }}

// read reads a workload's pod template into p, as readPod does, reusing p's room.
func (p *psPod) read(tmpl lint.Node) {
	p.reset()
	p.tmpl = tmpl
	spec := tmpl.Get("spec")
	p.spec = spec
	if v, ok := spec.Get("hostUsers").Bool(); ok {
		p.hostUsers = &v
	}
	p.os, _ = str(spec.Get("os", "name"))
	for _, f := range []struct {
		field field
		key   string
	}{{fHostNetwork, "hostNetwork"}, {fHostPID, "hostPID"}, {fHostIPC, "hostIPC"}} {
		if n := spec.Get(f.key); n.IsTrue() {
			p.add(site{field: f.field, container: -1, at: n, b: true})
		}
	}
	sc := spec.Get("securityContext")
	if sc.IsMap() {
		p.readSecurityContext(sc, -1)
	}
	for _, it := range sc.Get("sysctls").Items() {
		name, ok1 := str(it.Get("name"))
		value, ok2 := str(it.Get("value"))
		if ok1 && ok2 && it.IsMap() {
			p.add(site{field: fSysctl, container: -1, at: it, s: name, s2: value})
		}
	}
	for _, it := range spec.Get("volumes").Items() {
		p.readVolume(it)
	}
	for _, e := range tmpl.Get("metadata", "annotations").Entries() {
		if v, ok := str(e); ok && e.Exists() {
			p.add(site{field: fAnnotation, container: -1, at: e, s: e.Key(), s2: v})
		}
	}
	for kind, key := range []string{initContainer: "initContainers", appContainer: "containers", ephemeralContainer: "ephemeralContainers"} {
		for _, c := range spec.Get(key).Items() {
			p.readContainer(containerKind(kind), c)
		}
	}
}

func (p *psPod) add(s site) { p.sites = append(p.sites, s) }

// reset empties p, keeping the room of its slices but no node of the pod it held.
func (p *psPod) reset() {
	clear(p.sites)
	clear(p.containers)
	*p = psPod{containers: p.containers[:0], sites: p.sites[:0], keyBuf: p.keyBuf[:0]}
}

// str reads a string field: ok is false when it is written with another type.
func str(n lint.Node) (string, bool) {
	if !n.Exists() {
		return "", true
	}
	return n.Str(), n.IsString()
}

// readSecurityContext reads the fields a pod's and a container's securityContext share;
// container is -1 for the pod's.
func (p *psPod) readSecurityContext(sc lint.Node, container int) {
	pod := container < 0
	pick := func(podField, containerField field) field {
		if pod {
			return podField
		}
		return containerField
	}
	if n := sc.Get("runAsNonRoot"); n.Exists() {
		if v, ok := n.Bool(); ok {
			p.add(site{field: pick(fPodRunAsNonRoot, fRunAsNonRoot), container: container, at: n, b: v})
		}
	}
	if n := sc.Get("runAsUser"); n.Exists() {
		if v, ok := n.Int(); ok {
			p.add(site{field: pick(fPodRunAsUser, fRunAsUser), container: container, at: n, n: v})
		}
	}
	if hp := sc.Get("windowsOptions"); hp.IsMap() {
		hp = hp.Get("hostProcess")
		if v, ok := hp.Bool(); ok {
			p.add(site{field: pick(fPodHostProcess, fHostProcess), container: container, at: hp, b: v})
		}
	}
	for _, prof := range []struct {
		key                string
		podField, conField field
	}{{"seccompProfile", fPodSeccomp, fSeccomp}, {"appArmorProfile", fPodAppArmor, fAppArmor}} {
		n := sc.Get(prof.key)
		if !n.IsMap() {
			continue
		}
		typ, ok1 := str(n.Get("type"))
		local, ok2 := str(n.Get("localhostProfile"))
		if ok1 && ok2 {
			at := n
			if t := n.Get("type"); t.Exists() {
				at = t
			}
			p.add(site{field: pick(prof.podField, prof.conField), container: container, at: at, s: typ, s2: local})
		}
	}
	opts := sc.Get("seLinuxOptions")
	if !opts.IsMap() {
		return
	}
	for _, o := range []struct {
		key                string
		podField, conField field
	}{{"type", fPodSELinuxType, fSELinuxType}, {"user", fPodSELinuxUser, fSELinuxUser}, {"role", fPodSELinuxRole, fSELinuxRole}} {
		if n := opts.Get(o.key); n.Exists() {
			if v, ok := str(n); ok {
				p.add(site{field: pick(o.podField, o.conField), container: container, at: n, s: v})
			}
		}
	}
}

func (p *psPod) readVolume(v lint.Node) {
	name, ok := str(v.Get("name"))
	if !ok || !v.IsMap() {
		return
	}
	s := site{field: fVolume, container: -1, at: v, s: name}
	for _, e := range v.Entries() {
		if _, known := volumeSources()[e.Key()]; !known || !e.Exists() {
			continue
		}
		if !e.IsMap() {
			return
		}
		s.list = append(s.list, e.Key())
	}
	if len(s.list) == 0 {
		// The API server's defaulting makes a volume without a source an emptyDir before
		// admission sees it.
		s.list = []string{"emptyDir"}
	}
	s.s2, _ = str(v.Get("hostPath", "path"))
	p.add(s)
}

// probeHandlers are the probes and lifecycle hooks whose host the standards restrict.
var probeHandlers = [][]string{{"livenessProbe"}, {"readinessProbe"}, {"startupProbe"}, {"lifecycle", "postStart"}, {"lifecycle", "preStop"}}

func (p *psPod) readContainer(kind containerKind, c lint.Node) {
	name, ok := str(c.Get("name"))
	if !c.IsMap() || !ok {
		return
	}
	i := len(p.containers)
	p.containers = append(p.containers, psContainer{kind: kind, name: name, node: c})
	if sc := c.Get("securityContext"); sc.IsMap() {
		p.readSecurityContext(sc, i)
		for _, f := range []struct {
			key   string
			field field
		}{{"privileged", fPrivileged}, {"allowPrivilegeEscalation", fAllowPrivilegeEscalation}} {
			if n := sc.Get(f.key); n.Exists() {
				if v, ok := n.Bool(); ok {
					p.add(site{field: f.field, container: i, at: n, b: v})
				}
			}
		}
		if n := sc.Get("procMount"); n.Exists() {
			if v, ok := str(n); ok {
				p.add(site{field: fProcMount, container: i, at: n, s: v})
			}
		}
		if caps := sc.Get("capabilities"); caps.IsMap() {
			p.readCapabilities(caps, i)
		}
	}
	hostNetwork := p.podSite(fHostNetwork)
	for _, port := range c.Get("ports").Items() {
		host, _ := port32(port.Get("hostPort"))
		if hostNetwork >= 0 && kind != ephemeralContainer {
			if cp, ok := port32(port.Get("containerPort")); ok && cp != 0 && (host == 0 || host == cp) {
				p.add(site{field: fHostNetworkPort, container: i, at: p.sites[hostNetwork].at, n: cp})
				continue
			}
		}
		if host != 0 {
			p.add(site{field: fHostPort, container: i, at: port.Get("hostPort"), n: host})
		}
	}
	for hi, path := range probeHandlers {
		h := c.Get(path...)
		if !h.IsMap() {
			continue
		}
		for _, action := range []string{"httpGet", "tcpSocket"} {
			if host := h.Get(action).Get("host"); host.Exists() {
				if v, ok := str(host); ok && v != "" {
					p.add(site{field: fProbeHost, container: i, at: host, n: int64(hi), s: action, s2: v})
				}
			}
		}
	}
}

// port32 reads a port number field as corev1 holds it (an int32): 0 when it is missing, and 0 with
// ok false when it is not an int32, which readPod takes as missing.
func port32(n lint.Node) (int64, bool) {
	if !n.Exists() {
		return 0, true
	}
	if v, ok := n.Int(); ok && v == int64(int32(v)) {
		return v, true
	}
	return 0, false
}

// readCapabilities reads container i's securityContext.capabilities.
func (p *psPod) readCapabilities(caps lint.Node, i int) {
	for _, it := range caps.Get("add").Items() {
		if v, ok := str(it); ok && it.Exists() {
			p.add(site{field: fCapAdd, container: i, at: it, s: v})
		}
	}
	if drop := caps.Get("drop"); drop.IsList() {
		s := site{field: fCapDrop, container: i, at: drop, list: []string{}}
		for _, it := range drop.Items() {
			if v, ok := str(it); ok && it.Exists() {
				s.list = append(s.list, v)
			}
		}
		p.add(s)
	}
}

// hasSite reports whether container c writes field f.
func (p *psPod) hasSite(c int, f field) bool {
	for i := range p.sites {
		if p.sites[i].container == c && p.sites[i].field == f {
			return true
		}
	}
	return false
}

// podSite returns the index of the pod-level site of f, or -1.
func (p *psPod) podSite(f field) int {
	for i := range p.sites {
		if p.sites[i].container < 0 && p.sites[i].field == f {
			return i
		}
	}
	return -1
}

// volumeSources maps the JSON name of each corev1.VolumeSource field to its index, so that a
// volume is decoded with the sources it names, whatever the API version adds.
var volumeSources = sync.OnceValue(func() map[string]int {
	t := reflect.TypeFor[corev1.VolumeSource]()
	m := map[string]int{}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && t.Field(i).Type.Kind() == reflect.Pointer {
			m[name] = i
		}
	}
	return m
})

// A podProbe is the corev1 pod the checks are run on, rebuilt for every question the locator
// asks. Its storage is reused between questions: a workload asks a few dozen.
type podProbe struct {
	meta        metav1.ObjectMeta
	spec        corev1.PodSpec
	os          corev1.PodOS
	podSC       corev1.PodSecurityContext
	sc          []corev1.SecurityContext
	caps        []corev1.Capabilities
	annotations map[string]string
	// The container lists and pointers into them, kept between questions: a corev1.Container
	// is a kilobyte.
	init, app  []corev1.Container
	ephemeral  []corev1.EphemeralContainer
	containers []*corev1.Container
}

// fill says whether the probe gives container c the value that meets required field f.
type fill func(c int, f field) bool

var (
	noFill  fill = func(int, field) bool { return false }
	allFill fill = func(int, field) bool { return true }
)

var (
	yes, no        = true, false
	runtimeDefault = corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault}
	dropAll        = []corev1.Capability{"ALL"}
)

// build makes pr the pod holding the sites keep selects and the fills: the pod's context
// (containers by name, operating system, user namespace) is always there.
func (p *psPod) build(pr *podProbe, keep func(i int) bool, fills fill) {
	pr.spec = corev1.PodSpec{HostUsers: p.hostUsers}
	if p.os != "" {
		pr.os = corev1.PodOS{Name: corev1.OSName(p.os)}
		pr.spec.OS = &pr.os
	}
	pr.podSC = corev1.PodSecurityContext{}
	if pr.annotations == nil {
		pr.annotations = map[string]string{}
	}
	clear(pr.annotations)
	pr.meta = metav1.ObjectMeta{Annotations: pr.annotations}
	pr.sc = resize(pr.sc, len(p.containers))
	pr.caps = resize(pr.caps, len(p.containers))
	// The lists are sized first and filled in place: sites reach their container through
	// pr.containers.
	var counts [3]int
	for _, c := range p.containers {
		counts[c.kind]++
	}
	pr.init, pr.app, pr.ephemeral = resize(pr.init, counts[initContainer]), resize(pr.app, counts[appContainer]),
		resize(pr.ephemeral, counts[ephemeralContainer])
	pr.containers = resize(pr.containers, len(p.containers))
	counts = [3]int{}
	for i := range p.containers {
		c := &p.containers[i]
		var con *corev1.Container
		switch n := counts[c.kind]; c.kind {
		case initContainer:
			pr.init[n] = corev1.Container{Name: c.name}
			con = &pr.init[n]
		case appContainer:
			pr.app[n] = corev1.Container{Name: c.name}
			con = &pr.app[n]
		default:
			pr.ephemeral[n] = corev1.EphemeralContainer{EphemeralContainerCommon: corev1.EphemeralContainerCommon{Name: c.name}}
			con = (*corev1.Container)(&pr.ephemeral[n].EphemeralContainerCommon)
		}
		counts[c.kind]++
		pr.containers[i] = con
		pr.sc[i], pr.caps[i] = corev1.SecurityContext{}, corev1.Capabilities{}
		if fills(i, fAllowPrivilegeEscalation) {
			p.containerSC(pr, con, i).AllowPrivilegeEscalation = &no
		}
		if fills(i, fRunAsNonRoot) {
			p.containerSC(pr, con, i).RunAsNonRoot = &yes
		}
		if fills(i, fSeccomp) {
			p.containerSC(pr, con, i).SeccompProfile = &runtimeDefault
		}
		if fills(i, fCapDrop) {
			p.capabilities(pr, con, i).Drop = dropAll
		}
	}
	if len(pr.init) > 0 {
		pr.spec.InitContainers = pr.init
	}
	if len(pr.app) > 0 {
		pr.spec.Containers = pr.app
	}
	if len(pr.ephemeral) > 0 {
		pr.spec.EphemeralContainers = pr.ephemeral
	}
	for i := range p.sites {
		if keep(i) {
			p.apply(pr, &p.sites[i])
		}
	}
}

// resize returns s with length n, reusing its storage; the elements are the caller's to set.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

func (p *psPod) containerSC(pr *podProbe, con *corev1.Container, i int) *corev1.SecurityContext {
	con.SecurityContext = &pr.sc[i]
	return con.SecurityContext
}

func (p *psPod) capabilities(pr *podProbe, con *corev1.Container, i int) *corev1.Capabilities {
	sc := p.containerSC(pr, con, i)
	sc.Capabilities = &pr.caps[i]
	return sc.Capabilities
}

func (p *psPod) podSecurityContext(pr *podProbe) *corev1.PodSecurityContext {
	pr.spec.SecurityContext = &pr.podSC
	return &pr.podSC
}

// apply puts one site into the probe pod.
func (p *psPod) apply(pr *podProbe, s *site) {
	var con *corev1.Container
	if s.container >= 0 {
		con = pr.containers[s.container]
	}
	switch s.field {
	case fHostNetwork:
		pr.spec.HostNetwork = s.b
	case fHostPID:
		pr.spec.HostPID = s.b
	case fHostIPC:
		pr.spec.HostIPC = s.b
	case fPodSeccomp:
		p.podSecurityContext(pr).SeccompProfile = &corev1.SeccompProfile{Type: corev1.SeccompProfileType(s.s), LocalhostProfile: optional(s.s2)}
	case fPodAppArmor:
		p.podSecurityContext(pr).AppArmorProfile = &corev1.AppArmorProfile{Type: corev1.AppArmorProfileType(s.s), LocalhostProfile: optional(s.s2)}
	case fPodSELinuxType, fPodSELinuxUser, fPodSELinuxRole:
		sc := p.podSecurityContext(pr)
		if sc.SELinuxOptions == nil {
			sc.SELinuxOptions = &corev1.SELinuxOptions{}
		}
		setSELinux(sc.SELinuxOptions, s)
	case fPodHostProcess:
		sc := p.podSecurityContext(pr)
		sc.WindowsOptions = &corev1.WindowsSecurityContextOptions{HostProcess: &s.b}
	case fPodRunAsNonRoot:
		p.podSecurityContext(pr).RunAsNonRoot = &s.b
	case fPodRunAsUser:
		p.podSecurityContext(pr).RunAsUser = &s.n
	case fSysctl:
		sc := p.podSecurityContext(pr)
		sc.Sysctls = append(sc.Sysctls, corev1.Sysctl{Name: s.s, Value: s.s2})
	case fVolume:
		vol := corev1.Volume{Name: s.s}
		src := reflect.ValueOf(&vol.VolumeSource).Elem()
		for _, key := range s.list {
			f := src.Field(volumeSources()[key])
			f.Set(reflect.New(f.Type().Elem()))
		}
		if vol.HostPath != nil {
			vol.HostPath.Path = s.s2
		}
		pr.spec.Volumes = append(pr.spec.Volumes, vol)
	case fAnnotation:
		pr.annotations[s.s] = s.s2
	case fPrivileged:
		p.containerSC(pr, con, s.container).Privileged = &s.b
	case fAllowPrivilegeEscalation:
		p.containerSC(pr, con, s.container).AllowPrivilegeEscalation = &s.b
	case fRunAsNonRoot:
		p.containerSC(pr, con, s.container).RunAsNonRoot = &s.b
	case fRunAsUser:
		p.containerSC(pr, con, s.container).RunAsUser = &s.n
	case fSeccomp:
		p.containerSC(pr, con, s.container).SeccompProfile = &corev1.SeccompProfile{Type: corev1.SeccompProfileType(s.s), LocalhostProfile: optional(s.s2)}
	case fAppArmor:
		p.containerSC(pr, con, s.container).AppArmorProfile = &corev1.AppArmorProfile{Type: corev1.AppArmorProfileType(s.s), LocalhostProfile: optional(s.s2)}
	case fSELinuxType, fSELinuxUser, fSELinuxRole:
		sc := p.containerSC(pr, con, s.container)
		if sc.SELinuxOptions == nil {
			sc.SELinuxOptions = &corev1.SELinuxOptions{}
		}
		setSELinux(sc.SELinuxOptions, s)
	case fHostProcess:
		p.containerSC(pr, con, s.container).WindowsOptions = &corev1.WindowsSecurityContextOptions{HostProcess: &s.b}
	case fProcMount:
		pm := corev1.ProcMountType(s.s)
		p.containerSC(pr, con, s.container).ProcMount = &pm
	case fCapAdd:
		caps := p.capabilities(pr, con, s.container)
		caps.Add = append(caps.Add, corev1.Capability(s.s))
	case fCapDrop:
		caps := p.capabilities(pr, con, s.container)
		caps.Drop = make([]corev1.Capability, len(s.list))
		for i, c := range s.list {
			caps.Drop[i] = corev1.Capability(c)
		}
	case fHostPort, fHostNetworkPort:
		con.Ports = append(con.Ports, corev1.ContainerPort{HostPort: int32(s.n)})
	case fProbeHost:
		httpGet, tcpSocket := handlerActions(con, int(s.n))
		if s.s == "tcpSocket" {
			*tcpSocket = &corev1.TCPSocketAction{Host: s.s2}
		} else {
			*httpGet = &corev1.HTTPGetAction{Host: s.s2}
		}
	}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func setSELinux(o *corev1.SELinuxOptions, s *site) {
	switch s.field {
	case fPodSELinuxType, fSELinuxType:
		o.Type = s.s
	case fPodSELinuxUser, fSELinuxUser:
		o.User = s.s
	default:
		o.Role = s.s
	}
}

// handlerActions returns the httpGet and tcpSocket actions of probeHandlers[handler] of a
// container, making the probe or hook if needed.
func handlerActions(con *corev1.Container, handler int) (**corev1.HTTPGetAction, **corev1.TCPSocketAction) {
	probe := func(p **corev1.Probe) (**corev1.HTTPGetAction, **corev1.TCPSocketAction) {
		if *p == nil {
			*p = &corev1.Probe{}
		}
		return &(*p).HTTPGet, &(*p).TCPSocket
	}
	hook := func(h **corev1.LifecycleHandler) (**corev1.HTTPGetAction, **corev1.TCPSocketAction) {
		if *h == nil {
			*h = &corev1.LifecycleHandler{}
		}
		return &(*h).HTTPGet, &(*h).TCPSocket
	}
	if handler >= 3 && con.Lifecycle == nil {
		con.Lifecycle = &corev1.Lifecycle{}
	}
	switch handler {
	case 0:
		return probe(&con.LivenessProbe)
	case 1:
		return probe(&con.ReadinessProbe)
	case 2:
		return probe(&con.StartupProbe)
	case 3:
		return hook(&con.Lifecycle.PostStart)
	default:
		return hook(&con.Lifecycle.PreStop)
	}
}
