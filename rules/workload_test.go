package rules_test

import (
	"testing"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/linttest"
	"github.com/ekslint/ekslint/rules"
)

// A DaemonSet on the host network is how node agents run: a note. Every other kind stays an error.
func TestHostNetworkLevelByKind(t *testing.T) {
	res := linttest.Run(t, fixtures+"/k8s-host-network", only(rules.HostNetwork))
	for _, f := range res.Findings {
		want := lint.Error
		if f.Object.Kind == "DaemonSet" {
			want = lint.Note
		}
		if f.Level != want {
			t.Errorf("%s: %s %s is a %s, want a %s", f.Pos, f.Object.Kind, f.Object.Name, f.Level, want)
		}
	}
}
