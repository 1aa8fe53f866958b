package linter_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/linttest"
)

// TestNothingToLint: a folder named in which nothing can be linted is an input error, so that CI
// pointed at the wrong folder fails; files named that are not manifests are skipped, exit 0, as
// pre-commit passes every changed YAML file.
func TestNothingToLint(t *testing.T) {
	dir := linttest.WriteFiles(t, map[string]string{
		"ansible/site.yml":                "- hosts: all\n  roles: [web]\n",
		"ansible/group_vars/all.yml":      "port: 8080\n",
		"docs/index.md":                   "# Docs\n",
		"deploy/cm.yaml":                  "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
		"deploy/values.yaml":              "replicas: 2\n",
		"chart/Chart.yaml":                "apiVersion: v2\nname: c\nversion: 1.0.0\n",
		"chart/templates/empty.yaml":      "{{- if .Values.never }}\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n{{- end }}\n",
		"templates/deploy.yaml":           "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n",
		"components/c/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n",
	})
	for _, c := range []struct {
		paths []string
		want  string // the error, "" for none
	}{
		{[]string{"ansible"}, "ansible: holds 2 YAML and JSON files, none of them a Kubernetes manifest"},
		{[]string{"ansible/group_vars"}, "ansible/group_vars: holds one YAML or JSON file, which is not a Kubernetes manifest"},
		{[]string{"docs"}, "docs: holds no Kubernetes manifest, eksctl config, CloudFormation template, Helm chart or Kustomize overlay"},
		{[]string{"deploy"}, ""},
		{[]string{"chart"}, ""},        // a chart that renders nothing is still a chart
		{[]string{"templates"}, ""},    // a note says why the template was skipped
		{[]string{"components/c"}, ""}, // a note says a component is linted through its overlays
		{[]string{"ansible/site.yml", "ansible/group_vars/all.yml", "docs/index.md"}, ""},
	} {
		req := linttest.Only()
		req.Paths, req.Root, req.WorkDir = c.paths, dir, dir
		res := linttest.Lint(t, req)
		var errs []string
		for _, p := range res.Problems {
			if p.Level == lint.Error {
				errs = append(errs, p.String())
			}
		}
		switch {
		case c.want == "" && (len(errs) > 0 || res.ExitCode(lint.Error) != engine.ExitClean):
			t.Errorf("%v: errors %v", c.paths, errs)
		case c.want != "" && (len(errs) != 1 || !strings.HasPrefix(errs[0], c.want)):
			t.Errorf("%v: errors %v, want %q", c.paths, errs, c.want)
		}
	}
}

// TestSkippedListed: what a run leaves out on purpose is listed, with why, and is not a problem.
func TestSkippedListed(t *testing.T) {
	dir := linttest.WriteFiles(t, map[string]string{
		".gitignore":              "generated/\n*.local.yaml\n",
		"cm.yaml":                 "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
		"play.yml":                "- hosts: all\n",
		".github/workflows/x.yml": "on: push\n",
		".pre-commit-hooks.yaml":  "- id: x\n",
		"node_modules/p/x.json":   "{}\n",
		"vendor/m/x.yaml":         "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: vendored}\n",
		"generated/x.yaml":        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: generated}\n",
		"dev.local.yaml":          "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: local}\n",
	})
	req := linttest.Only()
	req.Paths, req.Root, req.WorkDir = []string{"."}, dir, dir
	res := linttest.Lint(t, req)
	if len(res.Problems) > 0 || res.Objects != 1 {
		t.Fatalf("objects %d, problems %v: want cm.yaml alone linted", res.Objects, res.Problems)
	}
	var got []string
	for _, s := range res.Skipped {
		got = append(got, s.String())
	}
	for _, want := range []string{
		".github: hidden; not walked",
		".pre-commit-hooks.yaml: hidden file",
		"dev.local.yaml: excluded by .gitignore",
		"generated: excluded by .gitignore",
		"node_modules: node_modules folder",
		"play.yml:1:1: not a Kubernetes manifest, eksctl config or CloudFormation template: no apiVersion, kind or CloudFormation key in it",
		"vendor: vendor folder",
	} {
		if !strings.Contains(strings.Join(got, "\n"), want) {
			t.Errorf("skipped does not list %q:\n%s", want, strings.Join(got, "\n"))
		}
	}
	for _, s := range res.Skipped {
		if filepath.IsAbs(s.Pos.File) {
			t.Errorf("%s: absolute path", s)
		}
	}
}
