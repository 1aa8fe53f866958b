package lint

import (
	"bytes"
	"cmp"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"
)

// Versions is the EKS version data version rules compare against: the support calendar of each
// Kubernetes version, which CoreDNS and kube-proxy add-ons go with it, and feature minimums. These
// facts change every few months, so they are data with an as-of date, built in from
// data/eks-versions.yaml and replaceable with a newer file (`--data`), never constants.
type Versions struct {
	// AsOf is the day the facts were last checked.
	AsOf time.Time
	// Source names where the data was read from: a file's path, or BuiltinVersionsSource.
	Source string
	// EksctlDefault is the version eksctl creates when metadata.version is unset or "auto".
	EksctlDefault Version
	// StandardPerHour and ExtendedPerHour are the control plane's price per cluster-hour (USD).
	StandardPerHour, ExtendedPerHour float64
	// NetworkPolicyMinKubernetes and NetworkPolicyMinVPCCNI are the cluster and VPC CNI versions
	// that enforce Kubernetes NetworkPolicy (enableNetworkPolicy).
	NetworkPolicyMinKubernetes, NetworkPolicyMinVPCCNI Version
	// KubeProxyMaxOlderMinors is how many minor versions kube-proxy may lag the control plane.
	KubeProxyMaxOlderMinors int
	// Kubernetes lists the versions EKS has released, newest first.
	Kubernetes []KubernetesVersion
}

// KubernetesVersion is one Kubernetes minor version as EKS ships it.
type KubernetesVersion struct {
	Version Version
	// EKSRelease, EndOfStandardSupport and EndOfExtendedSupport are days (UTC). Extended support
	// is billed from 00:00 UTC on EndOfStandardSupport; at EndOfExtendedSupport EKS upgrades the
	// control plane by itself.
	EKSRelease, EndOfStandardSupport, EndOfExtendedSupport time.Time
	// CoreDNSMinors are the CoreDNS minor versions the EKS add-on has used for this version.
	CoreDNSMinors []Version
	// CoreDNSLatest and KubeProxyLatest are the newest add-on builds seen ("" when unknown).
	CoreDNSLatest, KubeProxyLatest string
}

// BuiltinVersionsSource is the Source of the data built into ekslint.
const BuiltinVersionsSource = "built-in"

//go:embed data/eks-versions.yaml
var builtinVersionsYAML []byte

// BuiltinVersions returns the data built into ekslint (lint/data/eks-versions.yaml).
var BuiltinVersions = sync.OnceValue(func() *Versions {
	v, err := ParseVersions(BuiltinVersionsSource, builtinVersionsYAML)
	if err != nil {
		panic("built-in EKS version data: " + err.Error()) // TestBuiltinVersions keeps this from shipping
	}
	return v
})

// BuiltinVersionsYAML is the built-in data file as written, a starting point for a newer one.
func BuiltinVersionsYAML() []byte { return slices.Clone(builtinVersionsYAML) }

// The file's shape. Dates and versions are read as strings and checked one by one, so a mistake
// names the field and value.
type versionsFile struct {
	AsOf          string `yaml:"as_of"`
	EksctlDefault string `yaml:"eksctl_default_version"`
	Pricing       struct {
		Standard float64 `yaml:"standard_support_per_hour"`
		Extended float64 `yaml:"extended_support_per_hour"`
	} `yaml:"pricing"`
	NetworkPolicy struct {
		MinKubernetes string `yaml:"min_kubernetes"`
		MinVPCCNI     string `yaml:"min_vpc_cni"`
	} `yaml:"network_policy"`
	KubeProxy struct {
		MaxOlderMinors *int `yaml:"max_older_minors"`
	} `yaml:"kube_proxy"`
	Kubernetes []struct {
		Version       string `yaml:"version"`
		EKSRelease    string `yaml:"eks_release"`
		EndOfStandard string `yaml:"end_of_standard_support"`
		EndOfExtended string `yaml:"end_of_extended_support"`
		CoreDNS       struct {
			Minors []string `yaml:"minors"`
			Latest string   `yaml:"latest"`
		} `yaml:"coredns"`
		KubeProxy struct {
			Latest string `yaml:"latest"`
		} `yaml:"kube_proxy"`
	} `yaml:"kubernetes"`
}

// ParseVersions reads EKS version data; source names it in errors and in Versions.Source. Unknown
// fields are errors, so a misspelt key does not silently keep the old facts.
func ParseVersions(source string, data []byte) (*Versions, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f versionsFile
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty; want EKS version data like `ekslint rules --data` shows", source)
		}
		return nil, fmt.Errorf("%s: %s", source, YAMLMessage(err, data))
	}
	p := versionsParser{source: source}
	v := &Versions{
		Source:                     source,
		AsOf:                       p.date("as_of", f.AsOf),
		EksctlDefault:              p.minor("eksctl_default_version", f.EksctlDefault),
		StandardPerHour:            f.Pricing.Standard,
		ExtendedPerHour:            f.Pricing.Extended,
		NetworkPolicyMinKubernetes: p.minor("network_policy.min_kubernetes", f.NetworkPolicy.MinKubernetes),
		NetworkPolicyMinVPCCNI:     p.version("network_policy.min_vpc_cni", f.NetworkPolicy.MinVPCCNI),
	}
	if f.KubeProxy.MaxOlderMinors == nil || *f.KubeProxy.MaxOlderMinors < 0 {
		p.fail("kube_proxy.max_older_minors: want a number of minor versions (0 or more)")
	} else {
		v.KubeProxyMaxOlderMinors = *f.KubeProxy.MaxOlderMinors
	}
	if f.Pricing.Standard <= 0 || f.Pricing.Extended <= 0 {
		p.fail("pricing: want standard_support_per_hour and extended_support_per_hour (USD per cluster-hour)")
	}
	if len(f.Kubernetes) == 0 {
		p.fail("kubernetes: want the list of Kubernetes versions")
	}
	for i, k := range f.Kubernetes {
		at := fmt.Sprintf("kubernetes[%d]", i)
		kv := KubernetesVersion{
			Version:              p.minor(at+".version", k.Version),
			EKSRelease:           p.date(at+".eks_release", k.EKSRelease),
			EndOfStandardSupport: p.date(at+".end_of_standard_support", k.EndOfStandard),
			EndOfExtendedSupport: p.date(at+".end_of_extended_support", k.EndOfExtended),
			CoreDNSLatest:        k.CoreDNS.Latest,
			KubeProxyLatest:      k.KubeProxy.Latest,
		}
		if !kv.EKSRelease.Before(kv.EndOfStandardSupport) || !kv.EndOfStandardSupport.Before(kv.EndOfExtendedSupport) {
			p.fail("%s: Kubernetes %s: want eks_release < end_of_standard_support < end_of_extended_support", at, k.Version)
		}
		for j, m := range k.CoreDNS.Minors {
			kv.CoreDNSMinors = append(kv.CoreDNSMinors, p.minor(fmt.Sprintf("%s.coredns.minors[%d]", at, j), m))
		}
		if len(k.CoreDNS.Minors) == 0 {
			p.fail("%s: Kubernetes %s: want coredns.minors", at, k.Version)
		}
		if v.Lookup(kv.Version) != nil {
			p.fail("%s: Kubernetes %s is listed twice", at, k.Version)
		}
		v.Kubernetes = append(v.Kubernetes, kv)
	}
	if p.err == nil && v.Lookup(v.EksctlDefault) == nil {
		p.fail("eksctl_default_version: %s is not in the kubernetes list", f.EksctlDefault)
	}
	if p.err != nil {
		return nil, p.err
	}
	slices.SortFunc(v.Kubernetes, func(a, b KubernetesVersion) int { return b.Version.Compare(a.Version) })
	return v, nil
}

// versionsParser keeps the first error while the rest of the file is still read.
type versionsParser struct {
	source string
	err    error
}

func (p *versionsParser) fail(format string, args ...any) {
	if p.err == nil {
		p.err = fmt.Errorf("%s: %s", p.source, fmt.Sprintf(format, args...))
	}
}

func (p *versionsParser) date(field, s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		p.fail("%s: want a date YYYY-MM-DD, not %q", field, s)
	}
	return t
}

func (p *versionsParser) minor(field, s string) Version {
	v, ok := ParseVersion(s)
	if !ok || v.Patch != 0 || strings.Count(s, ".") != 1 {
		p.fail("%s: want a Kubernetes minor version such as \"1.34\", not %q", field, s)
	}
	return v
}

func (p *versionsParser) version(field, s string) Version {
	v, ok := ParseVersion(s)
	if !ok {
		p.fail("%s: want a version such as v1.14.0, not %q", field, s)
	}
	return v
}

// Lookup returns the Kubernetes version with v's major and minor, or nil when the data does not
// list it.
func (vs *Versions) Lookup(v Version) *KubernetesVersion {
	for i := range vs.Kubernetes {
		if vs.Kubernetes[i].Version.SameMinor(v) {
			return &vs.Kubernetes[i]
		}
	}
	return nil
}

// Newest and Oldest are the newest and oldest versions the data lists.
func (vs *Versions) Newest() *KubernetesVersion { return &vs.Kubernetes[0] }
func (vs *Versions) Oldest() *KubernetesVersion { return &vs.Kubernetes[len(vs.Kubernetes)-1] }

// OldestInStandardSupport is the oldest version in standard support on day: the least an upgrade
// should reach. It is the newest version when none is (the data is too old for day).
func (vs *Versions) OldestInStandardSupport(day time.Time) *KubernetesVersion {
	for i := len(vs.Kubernetes) - 1; i >= 0; i-- {
		if k := &vs.Kubernetes[i]; k.SupportOn(day) == StandardSupport {
			return k
		}
	}
	return vs.Newest()
}

// CoreDNSUsers lists the Kubernetes versions whose CoreDNS add-on uses minor m, oldest first.
func (vs *Versions) CoreDNSUsers(m Version) []Version {
	var out []Version
	for i := len(vs.Kubernetes) - 1; i >= 0; i-- {
		k := vs.Kubernetes[i]
		if slices.ContainsFunc(k.CoreDNSMinors, m.SameMinor) {
			out = append(out, k.Version)
		}
	}
	return out
}

// staleAfter is how old data may get before a run says so: AWS releases a version about every
// four months, so six-month-old data has likely missed one.
const staleAfterMonths = 6

// Stale reports whether the data is more than six months older than day.
func (vs *Versions) Stale(day time.Time) bool {
	return day.After(vs.AsOf.AddDate(0, staleAfterMonths, 0))
}

// Support is where a Kubernetes version is in its EKS life.
type Support int

const (
	StandardSupport Support = iota
	ExtendedSupport
	EndOfSupport
)

// SupportOn tells where k is on day.
func (k *KubernetesVersion) SupportOn(day time.Time) Support {
	switch {
	case !day.Before(k.EndOfExtendedSupport):
		return EndOfSupport
	case !day.Before(k.EndOfStandardSupport):
		return ExtendedSupport
	}
	return StandardSupport
}

// Version is a Kubernetes or add-on version: "1.34", "v1.34.6-eksbuild.13", "1.14.0". Only the
// numbers count; a build suffix is ignored.
type Version struct{ Major, Minor, Patch int }

// ParseVersion reads a version: an optional "v", two or three numbers separated by dots, and an
// optional suffix after "-" or "+". ok is false for anything else ("latest", "auto", "").
func ParseVersion(s string) (v Version, ok bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "v")
	if i := strings.IndexAny(s, "-+"); i >= 0 {
		s = s[:i]
	}
	parts := strings.Split(s, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return Version{}, false
	}
	nums := make([]int, 3)
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return Version{}, false
		}
		nums[i] = n
	}
	return Version{nums[0], nums[1], nums[2]}, true
}

// Compare orders versions by major, minor and patch.
func (v Version) Compare(w Version) int {
	return cmp.Or(cmp.Compare(v.Major, w.Major), cmp.Compare(v.Minor, w.Minor), cmp.Compare(v.Patch, w.Patch))
}

// SameMinor reports whether v and w share major and minor version.
func (v Version) SameMinor(w Version) bool { return v.Major == w.Major && v.Minor == w.Minor }

// String is the major and minor version, "1.34": Kubernetes versions are named so.
func (v Version) String() string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }

// Full is the version with its patch number, "1.14.0".
func (v Version) Full() string { return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch) }
