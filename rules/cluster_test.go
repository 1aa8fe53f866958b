package rules_test

import (
	"testing"

	"github.com/ekslint/ekslint/lint/linttest"
	"github.com/ekslint/ekslint/rules"
)

// With metadata.version unset, the version is whatever the eksctl release that creates the cluster
// defaults to: no support date applies to it however far the calendar moves, and only
// eks-version-unpinned speaks.
func TestUnsetVersionIsNotJudged(t *testing.T) {
	src := "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\nmetadata:\n  name: c\n  region: eu-west-1\n"
	for _, years := range []int{0, 1, 3} {
		req := only(rules.VersionExtendedSupport, rules.VersionUnsupported, rules.VersionSupportEndingSoon, rules.VersionUnpinned)
		req.Today = fixtureDate.AddDate(years, 0, 0)
		res := linttest.LintString(t, src, req)
		if len(res.Findings) != 1 || res.Findings[0].Rule != rules.VersionUnpinned {
			t.Errorf("%s: got %v, want one eks-version-unpinned finding", req.Today.Format("2006-01-02"), res.Findings)
		}
	}
}
