package lint

import (
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestBuiltinVersions keeps the built-in data readable and consistent with EKS-VERSIONS.md.
func TestBuiltinVersions(t *testing.T) {
	v := BuiltinVersions()
	if v.Source != BuiltinVersionsSource || v.AsOf.IsZero() {
		t.Fatalf("source %q, as_of %v", v.Source, v.AsOf)
	}
	if got := v.EksctlDefault.String(); got != "1.34" {
		t.Errorf("eksctl default %s, want 1.34", got)
	}
	for i := 1; i < len(v.Kubernetes); i++ {
		if v.Kubernetes[i-1].Version.Compare(v.Kubernetes[i].Version) <= 0 {
			t.Errorf("versions not newest first at %d", i)
		}
	}
	k := v.Lookup(Version{1, 31, 0})
	if k == nil {
		t.Fatal("no 1.31")
	}
	for _, c := range []struct {
		day  string
		want Support
	}{
		{"2025-11-25", StandardSupport},
		{"2025-11-26", ExtendedSupport}, // billing starts at 00:00 UTC on the end of standard support
		{"2026-11-25", ExtendedSupport},
		{"2026-11-26", EndOfSupport},
	} {
		if got := k.SupportOn(day(c.day)); got != c.want {
			t.Errorf("1.31 on %s: %v, want %v", c.day, got, c.want)
		}
	}
	if got := v.OldestInStandardSupport(day("2026-11-23")).Version.String(); got != "1.34" {
		t.Errorf("oldest in standard support on 2026-11-23: %s, want 1.34", got)
	}
	if got := v.CoreDNSUsers(Version{1, 11, 0}); len(got) != 4 || got[0].String() != "1.29" || got[3].String() != "1.32" {
		t.Errorf("CoreDNS 1.11 users %v, want 1.29-1.32", got)
	}
	if got := string(BuiltinVersionsYAML()); !strings.Contains(got, "as_of: "+v.AsOf.Format(time.DateOnly)) {
		t.Error("BuiltinVersionsYAML is not the data file")
	}
}

func TestParseVersion(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Version
		ok   bool
	}{
		{"1.34", Version{1, 34, 0}, true},
		{"v1.34.6-eksbuild.13", Version{1, 34, 6}, true},
		{"v1.11.4-eksbuild.40", Version{1, 11, 4}, true},
		{"1.14.0+build", Version{1, 14, 0}, true},
		{" 1.30 ", Version{1, 30, 0}, true},
		{"latest", Version{}, false},
		{"auto", Version{}, false},
		{"", Version{}, false},
		{"1", Version{}, false},
		{"1.2.3.4", Version{}, false},
		{"1.x", Version{}, false},
		{"1.-2", Version{}, false},
	} {
		got, ok := ParseVersion(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("ParseVersion(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestParseVersionsErrors(t *testing.T) {
	good := string(BuiltinVersionsYAML())
	for _, c := range []struct {
		name, data, want string
	}{
		{"empty", "", "empty"},
		{"unknown field", strings.Replace(good, "as_of:", "asof: 2026-01-01\nas_of:", 1), "field asof not found"},
		{"bad date", strings.Replace(good, "as_of: 2026-11-23", "as_of: 23.11.2026", 1), `as_of: want a date YYYY-MM-DD, not "23.11.2026"`},
		{"bad default", strings.Replace(good, `eksctl_default_version: "1.34"`, `eksctl_default_version: "1.99"`, 1), "1.99 is not in the kubernetes list"},
		{"patch version", strings.Replace(good, `version: "1.36"`, `version: "1.36.1"`, 1), `kubernetes[0].version: want a Kubernetes minor version`},
		{"dates out of order", strings.Replace(good, "end_of_standard_support: 2027-08-02", "end_of_standard_support: 2029-08-02", 1), "want eks_release < end_of_standard_support"},
		{"duplicate", strings.Replace(good, `version: "1.36"`, `version: "1.35"`, 1), "Kubernetes 1.35 is listed twice"},
		{"not a mapping", "- 1\n", "cannot unmarshal"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseVersions("x.yaml", []byte(c.data))
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "x.yaml: ") {
				t.Errorf("error %v, want x.yaml: ...%s...", err, c.want)
			}
		})
	}
}

func TestStaleVersionsNote(t *testing.T) {
	asOf := BuiltinVersions().AsOf
	env := &Env{Today: asOf.AddDate(0, 7, 0)}
	if env.StaleVersionsNote() != nil {
		t.Error("note although no rule read the data")
	}
	env.EKS()
	n := env.StaleVersionsNote()
	if n == nil || n.Level != Note || !strings.Contains(n.Message, "built-in EKS version data is as of") {
		t.Fatalf("note %+v", n)
	}
	fresh := &Env{Today: asOf.AddDate(0, 5, 0)}
	fresh.EKS()
	if fresh.StaleVersionsNote() != nil {
		t.Error("note for five-month-old data")
	}
	if got := (&Env{}).Day(); !got.Equal(asOf) {
		t.Errorf("Day without Today: %v, want as_of %v", got, asOf)
	}
}
