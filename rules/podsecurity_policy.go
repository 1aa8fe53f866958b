package rules

import (
	"fmt"
	"sync"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
)

// The Pod Security Standards as the API server's PodSecurity admission applies them, taken from
// k8s.io/pod-security-admission: the library decides whether a pod breaks a control, ekslint only
// finds the field to edit. This file is the glue: the library's checks, and which of them it runs
// at a level and version.

// psCheck is one check of the library (one control of the standards) with every version of it.
type psCheck struct {
	id       policy.CheckID
	level    api.Level
	versions []policy.VersionedCheck
	// reads are the fields the locator tries when the check fails: the "Restricted Fields" of
	// the check's documentation. A check the table below does not know (a newer library) reads
	// every field, which is slower to locate but never wrong.
	reads fieldSet
}

// psFn names one version of one check: index into psChecks, index into its versions.
type psFn struct{ check, version uint8 }

// checkReads are the fields each check of k8s.io/pod-security-admission v0.37 reads, from their
// documentation in policy/check_*.go.
var checkReads = map[policy.CheckID]fieldSet{
	"privileged":                 fields(fPrivileged),
	"windowsHostProcess":         fields(fPodHostProcess, fHostProcess),
	"hostNamespaces":             fields(fHostNetwork, fHostPID, fHostIPC),
	"capabilities_baseline":      fields(fCapAdd),
	"hostPathVolumes":            fields(fVolume),
	"hostPorts":                  fields(fHostPort, fHostNetworkPort),
	"seccompProfile_baseline":    fields(fAnnotation, fPodSeccomp, fSeccomp),
	"appArmorProfile":            fields(fAnnotation, fPodAppArmor, fAppArmor),
	"procMount":                  fields(fProcMount),
	"seLinuxOptions":             fields(fPodSELinuxType, fPodSELinuxUser, fPodSELinuxRole, fSELinuxType, fSELinuxUser, fSELinuxRole),
	"sysctls":                    fields(fSysctl),
	"hostProbesAndHostLifecycle": fields(fProbeHost),
	"allowPrivilegeEscalation":   fields(fAllowPrivilegeEscalation),
	"runAsNonRoot":               fields(fPodRunAsNonRoot, fRunAsNonRoot),
	"runAsUser":                  fields(fPodRunAsUser, fRunAsUser),
	"seccompProfile_restricted":  fields(fPodSeccomp, fSeccomp),
	"capabilities_restricted":    fields(fCapAdd, fCapDrop),
	"restrictedVolumes":          fields(fVolume),
	"procMount_restricted":       fields(fProcMount),
}

// psChecks are the library's default checks, the ones the API server runs.
var psChecks = sync.OnceValue(func() []psCheck {
	var out []psCheck
	for _, c := range policy.DefaultChecks() {
		reads, ok := checkReads[c.ID]
		if !ok {
			reads = allFields
		}
		if len(out) > 255 || len(c.Versions) > 8 {
			// psFn and the version masks of violations are bytes; the library has 19 checks of at
			// most 5 versions. TestPodSecurityChecks fails before a library like this ships.
			panic(fmt.Sprintf("k8s.io/pod-security-admission has more checks or versions than ekslint can hold (%s)", c.ID))
		}
		out = append(out, psCheck{id: c.ID, level: c.Level, versions: c.Versions, reads: reads})
	}
	return out
})

// checkIndex returns the index of the check with the given id in psChecks, or -1.
func checkIndex(id policy.CheckID) int {
	for i, c := range psChecks() {
		if c.id == id {
			return i
		}
	}
	return -1
}

// psPlans answers which versions of which checks the library runs for a level and version. The
// answer comes from the library's own evaluator (policy.NewEvaluator), built from the default
// checks with each check function replaced by one that records that it ran: version ranges,
// restricted checks overriding baseline ones, and versions newer than the library all stay the
// library's business.
var psPlans = sync.OnceValue(func() *planner {
	p := &planner{plans: map[api.LevelVersion][]psFn{}}
	var checks []policy.Check
	for ci, c := range psChecks() {
		pc := policy.Check{ID: c.id, Level: c.level}
		for vi, v := range c.versions {
			fn := psFn{uint8(ci), uint8(vi)}
			v.CheckPod = func(*metav1.ObjectMeta, *corev1.PodSpec) policy.CheckResult {
				p.ran = append(p.ran, fn)
				return policy.CheckResult{Allowed: true}
			}
			pc.Versions = append(pc.Versions, v)
		}
		checks = append(checks, pc)
	}
	eval, err := policy.NewEvaluator(checks, nil)
	if err != nil {
		panic("k8s.io/pod-security-admission rejects its own default checks: " + err.Error())
	}
	p.eval = eval
	return p
})

type planner struct {
	mu    sync.Mutex
	eval  policy.Evaluator
	ran   []psFn // what the recording check functions saw during one EvaluatePod
	plans map[api.LevelVersion][]psFn
}

// plan returns the check versions the API server runs for a pod at lv (none for privileged).
func (p *planner) plan(lv api.LevelVersion) []psFn {
	p.mu.Lock()
	defer p.mu.Unlock()
	if fns, ok := p.plans[lv]; ok {
		return fns
	}
	p.ran = nil
	p.eval.EvaluatePod(lv, &metav1.ObjectMeta{}, &corev1.PodSpec{})
	p.plans[lv] = p.ran
	return p.ran
}
