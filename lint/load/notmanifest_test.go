package load_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/linttest"
)

// otherTools are YAML and JSON files of other tools, as repositories hold them beside manifests.
var otherTools = map[string]string{
	"playbook.yml": "- name: Install nginx\n  hosts: web\n  become: true\n  tasks:\n    - name: install\n      ansible.builtin.apt: {name: nginx, state: present}\n",
	"ci.yml":       "name: CI\non: {push: {branches: [main]}}\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v5\n      - run: go test ./...\n",
	"compose.yaml": "x-common: &common\n  restart: always\nservices:\n  web:\n    <<: *common\n    image: nginx:1.27\n    ports: [\"8080:80\"]\n",
	"openapi.yaml": "openapi: 3.0.3\ninfo: {title: Shop, version: \"1.0\"}\npaths:\n  /orders:\n    get:\n      responses: {\"200\": {description: ok}}\n",
	"array.json":   "[{\"name\": \"a\"}, {\"name\": \"b\"}]\n",
	"scalar.json":  "\"just a string\"\n",
	"hooks.yaml":   "- id: ekslint\n  name: ekslint\n  entry: ekslint lint\n  language: golang\n  types_or: [yaml, json]\n",
	"mkdocs.yml": "site_name: Shop\ntheme: {name: material}\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n" +
		"      emoji_generator: !!python/name:material.extensions.emoji.to_svg\n",
	"values.yaml":            "replicaCount: 2\nimage:\n  repository: nginx\n  tag: \"1.27\"\nservice: {type: ClusterIP, port: 80}\n",
	"broken-play.yml":        "- hosts: web\n  tasks:\n    - name: \"unterminated\n",
	"jinja.yml":              "- hosts: web\n  vars:\n    port: {{ port }}\n",
	"dup-keys.yml":           "name: CI\non: push\non: pull_request\n",
	"latin1.yml":             "name: caf\xe9\n",
	"compose-bomb.yaml":      "x-a: &a [1,1,1,1,1,1,1,1,1,1]\nx-b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nx-c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nx-d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\nx-e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nx-f: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
	"list-of-manifests.yaml": "- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: in-a-list}\n",
	"list-of-manifests.json": "[{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"in-a-list\"}}]\n",
	// Configs that borrow apiVersion or kind, as they are, broken and with duplicate keys.
	"grafana-datasources.yaml": "apiVersion: 1\ndatasources:\n  - name: Prometheus\n    type: prometheus\n    url: http://prometheus:9090\n",
	"grafana-dashboards.yaml":  "apiVersion: 1\nproviders:\n  - name: default\n    options: {path: /var/lib/grafana/dashboards}\n",
	"grafana-broken.yaml":      "apiVersion: 1\ndatasources:\n  - name: \"unterminated\n",
	"grafana-dup.yaml":         "apiVersion: 1\ndatasources: []\ndatasources: []\n",
	"index.yaml":               "apiVersion: v1\nentries:\n  web:\n  - name: web\n    version: 0.1.0\n    urls: [web-0.1.0.tgz]\ngenerated: \"2025-01-01T00:00:00Z\"\n",
	"chart-copy.yaml":          "apiVersion: v2\nname: web\nversion: 0.1.0\ndependencies:\n  - {name: redis, version: 19.x.x}\n",
	"drone.yml":                "kind: pipeline\ntype: docker\nname: default\nsteps:\n  - {name: test, image: golang}\n",
	"index.json":               "{\"apiVersion\": \"v1\", \"entries\": {}, \"generated\": \"2025-01-01T00:00:00Z\"}\n",
	// operator-sdk's scorecard config, whose keys it reads in any case.
	"scorecard.yaml": "apiversion: scorecard.operatorframework.io/v1alpha3\nkind: Configuration\nmetadata:\n  name: config\nstages: []\n",
}

// TestNotManifestsAreSkipped: files that are not Kubernetes manifests, eksctl configs or
// CloudFormation templates, broken or not, are skipped without a problem, and listed as skipped;
// the manifests beside them are linted.
func TestNotManifestsAreSkipped(t *testing.T) {
	files := map[string]string{
		"ok.yaml":   "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n",
		"list.yaml": "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: b}\n",
	}
	for name, content := range otherTools {
		files[name] = content
	}
	res := linttest.LintFiles(t, files, everyObject)
	for _, p := range res.Problems {
		t.Errorf("unexpected problem: %s", p)
	}
	if res.Objects != 3 || res.ExitCode(lint.Error) != engine.ExitClean {
		t.Errorf("%d objects, exit %d: want ok.yaml's and the List's two, exit 0", res.Objects, res.ExitCode(lint.Error))
	}
	var skipped []string
	for _, s := range res.Skipped {
		if !strings.HasPrefix(s.Reason, lint.NotAManifest) {
			t.Errorf("%s: reason does not say what was skipped", s)
		}
		skipped = append(skipped, filepath.Base(s.Pos.File))
	}
	for name := range otherTools {
		if !slices.Contains(skipped, name) {
			t.Errorf("%s: not listed as skipped (skipped: %v)", name, res.Skipped)
		}
	}
}

// TestBrokenManifests: a file meant as a manifest that cannot be read is an input error, however
// it is broken; only files that are not meant as manifests are skipped.
func TestBrokenManifests(t *testing.T) {
	for name, src := range map[string]string{
		"syntax.yaml":        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"unterminated\n",
		"indented.yaml":      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: tab\n",
		"only-kind.yaml":     "kind: Deployment\nspec: [\n",
		"flow.yaml":          "{apiVersion: v1, kind: ConfigMap, metadata: {name: x}\n",
		"json.json":          "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"ConfigMap\",\n  \"metadata\": {\"name\": \"x\"},\n}\n}\n",
		"cfn.yaml":           "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  R: [\n",
		"latin1.yaml":        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\xe9\n",
		"dup.yaml":           "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\n",
		"second-doc.yaml":    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: b\n",
		"binary.yaml":        "\x7fELF\x02\x01\x01\x00",
		"wrong-kind.yaml":    "apiVersion: v1\nkind: [Pod]\nmetadata: {name: x}\n",
		"missing-kind.yml":   "apiVersion: v1\nmetadata: {name: x}\n",
		"spec-no-kind.yml":   "apiVersion: apps/v1\nspec: {replicas: 1}\n",
		"no-apiversion.yml":  "kind: Deployment\nmetadata: {name: x}\n",
		"miscased.yml":       "apiversion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n",
		"number-api.yml":     "apiVersion: 1\nkind: Deployment\nmetadata: {name: x}\n",
		"dup-no-kind.yml":    "apiVersion: v1\nmetadata: {name: x}\nspec: {}\nspec: {}\n",
		"broken-no-kind.yml": "apiVersion: v1\nmetadata:\n  name: \"unterminated\n",
	} {
		t.Run(name, func(t *testing.T) {
			res := linttest.LintFiles(t, map[string]string{name: src}, everyObject)
			if len(res.Problems) == 0 || res.Problems[0].Level != lint.Error || res.ExitCode(lint.Error) != engine.ExitInput {
				t.Errorf("problems %v, skipped %v: want an input error", res.Problems, res.Skipped)
			}
		})
	}
}

// TestTaggedScalars: Kubernetes reads a date or a value with a tag of its own as a string, and so
// does ekslint; a value that is not a string is described as what it is.
func TestTaggedScalars(t *testing.T) {
	res := linttest.LintFiles(t, map[string]string{
		"str.yaml":    "apiVersion: v1\nkind: !!str ConfigMap\nmetadata:\n  name: a\n",
		"custom.yaml": "apiVersion: v1\nkind: !custom ConfigMap\nmetadata:\n  name: b\n",
		"date.yaml":   "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 2024-01-01\n",
		"int.yaml":    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: !!int 12\n",
	}, everyObject)
	if res.Objects != 3 || len(res.Problems) != 1 {
		t.Fatalf("%d objects, problems %v: want 3 and one problem", res.Objects, res.Problems)
	}
	if p := res.Problems[0]; p.Pos.File != "int.yaml" || !strings.Contains(p.Message, "metadata.name must be a string, not the number 12") {
		t.Errorf("got %s", p)
	}
}

// TestBorrowedKeysReason: a document that has apiVersion or kind but is not an object is skipped
// with what it has and lacks, so --verbose shows why it was not linted, also when its file is
// named alone, as pre-commit names the files it checks.
func TestBorrowedKeysReason(t *testing.T) {
	for name, c := range map[string]struct{ src, want string }{
		"grafana.yaml": {"apiVersion: 1\nproviders: []\n", "apiVersion is the number 1, no kind, no metadata or spec"},
		"index.yaml":   {"apiVersion: v1\nentries: {}\n", `apiVersion is the string "v1", no kind, no metadata or spec`},
		"odd.yaml":     {"apiVersion: \"1.0\"\nmetadata: {name: x}\n", `apiVersion is the string "1.0", not of the form v1 or group/v1, no kind`},
		"drone.yml":    {"kind: pipeline\nsteps: []\n", `no apiVersion, kind is the string "pipeline", not of the form Deployment, no metadata or spec`},
	} {
		req := everyObject
		req.Root = linttest.WriteFiles(t, map[string]string{name: c.src})
		req.WorkDir, req.Paths = req.Root, []string{name}
		res := linttest.Lint(t, req)
		if len(res.Problems) != 0 || len(res.Skipped) != 1 || res.Skipped[0].Reason != lint.NotAManifest+": "+c.want {
			t.Errorf("%s: problems %v, skipped %v; want skipped with %q", name, res.Problems, res.Skipped, c.want)
		}
	}
}
