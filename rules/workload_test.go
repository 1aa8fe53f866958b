package rules_test

import (
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/linttest"
	"github.com/ekslint/ekslint/rules"
)

// A DaemonSet on the host network is how node agents run, and what tolerates every taint runs
// before pod networking does: notes. Every other workload stays an error.
func TestHostNetworkLevelByKind(t *testing.T) {
	res := linttest.Run(t, fixtures+"/k8s-host-network", only(rules.HostNetwork))
	for _, f := range res.Findings {
		want := lint.Error
		if f.Object.Kind == "DaemonSet" || strings.Contains(f.Message, "tolerates every taint") {
			want = lint.Note
		}
		if f.Level != want {
			t.Errorf("%s: %s %s is a %s, want a %s", f.Pos, f.Object.Kind, f.Object.Name, f.Level, want)
		}
	}
}

// A missing readiness probe is a warning where a Service sends the pods traffic, and a note where
// only a rolling update reads readiness.
func TestReadinessLevelByService(t *testing.T) {
	res := linttest.Run(t, fixtures+"/k8s-readiness-probe-missing", only(rules.ReadinessProbeMissing))
	for _, f := range res.Findings {
		want := lint.Note
		if strings.Contains(f.Message, ", so Service ") {
			want = lint.Warning
		}
		if f.Level != want {
			t.Errorf("%s: %q is a %s, want a %s", f.Pos, f.Message, f.Level, want)
		}
	}
}
