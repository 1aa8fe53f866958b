package rules

import (
	"encoding/binary"
	"sync"

	"k8s.io/pod-security-admission/policy"

	"github.com/ekslint/ekslint/lint"
)

// A breach is one check failing on a pod, traced to one field: what a finding reports. It names
// the field by its place in the pod (a site, or a required field a container or the pod leaves
// out), not by Node, so that pods asking the same question share the answer.
type breach struct {
	check    uint8 // index into psChecks
	versions uint8 // bit i: the check's versions[i] fails this way
	field    field
	site     int // index into psPod.sites; -1 when the field is missing
	// container is the index of the container concerned, -1 for the pod.
	container int
	reason    string // the library's ForbiddenReason
	detail    string // the library's ForbiddenDetail, kept only for fUnlocated
}

// at is the Node a breach lands on: the site, else where the missing field goes.
func (p *psPod) at(b *breach) lint.Node {
	switch {
	case b.field == fUnlocated:
		return p.spec
	case b.site >= 0:
		return p.sites[b.site].at
	case b.container < 0:
		return p.spec.Get(podPaths[b.field]...)
	}
	for _, req := range required {
		if req.field == b.field {
			return p.containers[b.container].node.Get(req.path...)
		}
	}
	return p.containers[b.container].node
}

// verdicts caches evaluate's answers by everything build puts into a probe pod. Workloads written
// from one template (a chart's, a generator's) ask the library the same questions, and the
// answer costs dozens of check runs; the cache is bounded, and a run past the bound evaluates.
var verdicts = struct {
	sync.RWMutex
	m map[string]*psShape
}{m: map[string]*psShape{}}

const maxVerdicts = 1 << 12

// evaluate returns how the pod breaks the checks, from the cache or by asking the library.
func (p *psPod) evaluate(pr *podProbe) *psShape {
	p.keyBuf = p.appendKey(p.keyBuf[:0])
	verdicts.RLock()
	sh, ok := verdicts.m[string(p.keyBuf)]
	verdicts.RUnlock()
	if ok {
		return sh
	}
	sh = p.shape(p.ask(pr))
	verdicts.Lock()
	if len(verdicts.m) < maxVerdicts {
		verdicts.m[string(p.keyBuf)] = sh
	}
	verdicts.Unlock()
	return sh
}

// appendKey appends the pod's key to b. The key encodes what build reads of the pod, whether the
// pod has a securityContext (where locate puts a field every container leaves out), and the paths
// of the template, containers and sites (which the shape's fingerprints name).
func (p *psPod) appendKey(b []byte) []byte {
	str := func(s string) { b = binary.AppendUvarint(b, uint64(len(s))); b = append(b, s...) }
	flag := func(v bool) {
		if v {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
	}
	flag(p.hostUsers != nil)
	flag(p.hostUsers != nil && *p.hostUsers)
	flag(p.spec.Get("securityContext").IsMap())
	str(p.os)
	str(p.tmpl.Path())
	b = binary.AppendUvarint(b, uint64(len(p.containers)))
	for _, c := range p.containers {
		b = append(b, byte(c.kind))
		str(c.name)
		str(c.node.Path())
	}
	for i := range p.sites {
		s := &p.sites[i]
		str(s.at.Path())
		b = append(b, byte(s.field))
		b = binary.AppendVarint(b, int64(s.container))
		flag(s.b)
		b = binary.AppendVarint(b, s.n)
		str(s.s)
		str(s.s2)
		b = binary.AppendUvarint(b, uint64(len(s.list)))
		for _, l := range s.list {
			str(l)
		}
	}
	return b
}

// maxTracedContainers bounds the containers of a pod whose failures are traced to their fields:
// tracing asks the library about a pod per field and container, each pod as large as the pod, so
// its work grows with the square of the containers (20,000 ran for more than ten minutes). A pod
// with more has each failure reported at its spec, with the library's words.
const maxTracedContainers = 100

// ask runs every version of every check of the library on the pod and traces each failure to the
// fields that cause it. Versions of a check that fail with the same reason and detail are traced
// once.
func (p *psPod) ask(pr *podProbe) []breach {
	checks := psChecks()
	type failure struct {
		check, version int
		result         policy.CheckResult
	}
	var failures []failure
	p.build(pr, func(int) bool { return true }, noFill)
	for ci, c := range checks {
		for vi, v := range c.versions {
			if r := v.CheckPod(&pr.meta, &pr.spec); !r.Allowed {
				failures = append(failures, failure{ci, vi, r})
			}
		}
	}
	var out []breach
	for i, f := range failures {
		mask := uint8(1) << f.version
		seen := false
		for _, g := range failures[:i] {
			if g.check == f.check && g.result == f.result {
				seen = true
				break
			}
		}
		if seen {
			continue
		}
		for _, g := range failures[i+1:] {
			if g.check == f.check && g.result == f.result {
				mask |= 1 << g.version
			}
		}
		c := checks[f.check]
		var located []breach
		if len(p.containers) <= maxTracedContainers {
			located = p.locate(pr, c.versions[f.version].CheckPod, c.reads)
		}
		if len(located) == 0 {
			located = []breach{{field: fUnlocated, site: -1, container: -1, detail: f.result.ForbiddenDetail}}
		}
		for _, b := range located {
			b.check, b.versions, b.reason = uint8(f.check), mask, f.result.ForbiddenReason
			out = append(out, b)
		}
	}
	return out
}

// locate traces a failing check to the fields that make it fail, asking the library about pods
// that differ from a compliant one in one field. The compliant pod keeps the pod's context
// (containers, operating system, user namespace) and gives every container the values the
// restricted standard requires; then
//   - a field as written is a cause when the compliant pod with that field alone fails;
//   - a required field a container leaves out is a cause when the compliant pod without that
//     container's value fails, with the pod-level value it falls back on as written (unless that
//     value is itself a cause, which is where the fix goes).
//
// It returns nothing when the compliant pod already fails, which only a library with new
// requirements can do; ask then reports the failure at the pod spec.
func (p *psPod) locate(pr *podProbe, check policy.CheckPodFn, reads fieldSet) []breach {
	fails := func(keep func(int) bool, fills fill) bool {
		p.build(pr, keep, fills)
		return !check(&pr.meta, &pr.spec).Allowed
	}
	none := func(int) bool { return false }
	if fails(none, allFill) {
		return nil
	}
	var out []breach
	var podCauses fieldSet
	for i := range p.sites {
		s := &p.sites[i]
		if reads.has(s.field) && fails(func(j int) bool { return j == i }, allFill) {
			out = append(out, breach{field: s.field, site: i, container: s.container})
			if s.container < 0 {
				podCauses |= fields(s.field)
			}
		}
	}
	for _, req := range required {
		if !reads.has(req.field) || podCauses.has(req.inherits) {
			continue
		}
		podValue := p.podSite(req.inherits)
		var missing []breach
		for c := range p.containers {
			if p.hasSite(c, req.field) {
				continue
			}
			without := func(cc int, f field) bool { return cc != c || f != req.field }
			if fails(func(j int) bool { return j == podValue }, without) {
				missing = append(missing, breach{field: req.field, site: -1, container: c})
			}
		}
		// When no container says anything and the pod has a securityContext, one line there
		// fixes every container: report that instead of each container.
		if _, ok := podPaths[req.inherits]; ok && len(missing) == len(p.containers) && len(missing) > 0 &&
			p.spec.Get("securityContext").IsMap() {
			missing = []breach{{field: req.inherits, site: -1, container: -1}}
		}
		out = append(out, missing...)
	}
	return out
}
