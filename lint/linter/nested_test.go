package linter_test

import (
	"testing"

	"github.com/ekslint/ekslint/lint/linttest"
	"github.com/ekslint/ekslint/rules"
)

// TestManifestInChartFolder: a Pod kept in app/deploy/ beside app/Chart.yaml is not part of the
// chart, and its finding is reported whether the repository, the chart's folder or the file
// (as pre-commit passes it) is named.
func TestManifestInChartFolder(t *testing.T) {
	dir := linttest.WriteFiles(t, map[string]string{
		"app/Chart.yaml":      "apiVersion: v2\nname: app\nversion: 0.1.0\n",
		"app/deploy/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {hostNetwork: true, containers: [{name: c, image: \"a:1\"}]}\n",
	})
	for _, path := range []string{".", "app", "app/deploy/pod.yaml"} {
		req := linttest.Only(linttest.Rule(t, rules.All(), "k8s-host-network"))
		req.Paths, req.Root, req.WorkDir = []string{path}, dir, dir
		res := linttest.Lint(t, req)
		for _, p := range res.Problems {
			t.Errorf("%s: problem: %s", path, p)
		}
		if len(res.Findings) != 1 || res.Findings[0].Pos.File != "app/deploy/pod.yaml" || res.Findings[0].Pos.Line != 4 {
			t.Errorf("%s: findings %v, want k8s-host-network at app/deploy/pod.yaml:4", path, res.Findings)
		}
	}
}
