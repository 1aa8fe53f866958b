package load_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/linttest"
	"github.com/ekslint/ekslint/lint/load"
)

// everyObject lints with no rules: every object is read and counted.
var everyObject = linttest.Only()

// billionLaughs is the alias bomb of corpus/bad: 446 bytes, 387,420,489 strings expanded.
func billionLaughs() string {
	lines := []string{"apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: lol-bomb", "x-anchors:",
		`  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]`}
	prev := "a"
	for _, name := range "bcdefghi" {
		lines = append(lines, fmt.Sprintf("  %c: &%c [%s]", name, name, strings.TrimSuffix(strings.Repeat("*"+prev+",", 9), ",")))
		prev = string(name)
	}
	return strings.Join(append(lines, "data:", "  bomb: *i", ""), "\n")
}

// TestHostileInput checks that each kind of broken or hostile file ends with one clear message
// at the right line, and that the files next to it are still linted.
func TestHostileInput(t *testing.T) {
	cases := []struct {
		name, content string
		line          int
		want          string
	}{
		{"truncated.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - args: [\"--flag\", \"unterminated\n", 7, "invalid YAML: found unexpected end of stream"},
		{"tabs.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n", 4, "invalid YAML: found character that cannot start any token"},
		{"duplicate.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n    app: a\n    app: b\nmetadata: {}\n", 7, `duplicate key "app" (first at line 6)`},
		{"bomb.yaml", billionLaughs(), 12, "alias *f takes the document past 1000000 nodes"},
		// Few nodes, but every parser that expands aliases copies the megabyte each time.
		{"big-alias.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n  annotations:\n    a: &a " + strings.Repeat("x", 1<<20) +
			"\ndata:\n  l: [" + strings.Repeat("*a, ", 999) + "*a]\n", 8, "alias *a takes the document past 1000000 nodes"},
		{"cycle.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cycle\ndata: &a\n  b: *a\n", 6, "alias *a is inside the node &a it repeats"},
		{"merge-cycle.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: &m\n  name: cycle\n  labels:\n    <<: *m\n", 6, "alias *m is inside the node &m it repeats"},
		{"deep.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\ndata:\n  x: " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "\n", 6, "exceeded max depth"},
		{"binary.yaml", "\x7fELF\x02\x01\x01\x00\x00\x00garbage", 1, "binary file"},
		{"utf32.yaml", "\xff\xfe\x00\x00a\x00\x00\x00:\x00\x00\x00", 1, "binary file (NUL bytes): UTF-32 text"},
		{"utf16-no-mark.yaml", "\x00a\x00p\x00i\x00:\x00 \x00v\x001\x00\n", 1, "binary file (NUL bytes): UTF-16 text without a byte order mark"},
		{"latin1.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: latin1\ndata:\n  k: \"caf\xe9\"\n", 6, "not valid UTF-8 (byte 0xE9)"},
		{"nokind.yaml", "apiVersion: v1\nmetadata:\n  name: nokind\n", 1, "has apiVersion but no kind"},
		{"types.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ok\nspec:\n  replicas: \"three\"\n  template:\n    spec:\n      containers: [{name: a, image: b}]\n", 6, `spec.replicas must be an integer, not the string "three"`},
	}
	files := map[string]string{"ok.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n"}
	for _, c := range cases {
		files[c.name] = c.content
	}
	res := linttest.LintFiles(t, files, everyObject)
	if res.Objects != 1 {
		t.Errorf("linted %d objects, want only ok.yaml's", res.Objects)
	}
	for _, c := range cases {
		var got []lint.Problem
		for _, p := range res.Problems {
			if p.Pos.File == c.name {
				got = append(got, p)
			}
		}
		if len(got) != 1 {
			t.Errorf("%s: %d problems, want one: %v", c.name, len(got), got)
			continue
		}
		if p := got[0]; p.Level != lint.Error || p.Pos.Line != c.line || !strings.Contains(p.Message, c.want) {
			t.Errorf("%s: got %s %q, want line %d with %q", c.name, p.Level, p, c.line, c.want)
		}
	}
	if res.ExitCode(lint.Error) != engine.ExitInput {
		t.Errorf("exit code %d, want %d", res.ExitCode(lint.Error), engine.ExitInput)
	}
}

// TestNoContainers: a pod without containers (a file cut short, a partial test manifest) is
// valid YAML: a warning, and the object is still linted.
func TestNoContainers(t *testing.T) {
	res := linttest.LintFiles(t, map[string]string{"cut.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n"}, everyObject)
	if len(res.Problems) != 1 || res.Problems[0].Level != lint.Warning || res.Problems[0].Pos.Line != 7 ||
		!strings.Contains(res.Problems[0].Message, "spec.template.spec has no containers") {
		t.Fatalf("problems = %v", res.Problems)
	}
	if res.Objects != 1 || res.ExitCode(lint.Error) != engine.ExitClean {
		t.Errorf("objects %d, exit %d: the object should be linted and the run clean", res.Objects, res.ExitCode(lint.Error))
	}
}

// TestEmptyNodeGroup: an empty item of an eksctl node group list is an input error at its line,
// as eksctl refuses the config, not a node group named "" for the rules to judge.
func TestEmptyNodeGroup(t *testing.T) {
	res := linttest.LintFiles(t, map[string]string{"cluster.yaml": "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\n" +
		"metadata: {name: c, region: us-west-2}\nnodeGroups:\n  - name: a\n    disablePodIMDS: true\n  -\n"}, everyObject)
	if len(res.Problems) != 1 || res.Problems[0].Level != lint.Error || res.Problems[0].Pos.Line != 7 ||
		!strings.Contains(res.Problems[0].Message, "nodeGroups[1] must be a mapping (a node group), not null") {
		t.Fatalf("problems = %v", res.Problems)
	}
	if len(res.Findings) != 0 {
		t.Errorf("findings = %v", res.Findings)
	}
}

// TestNoName: a problem about an object without a name names it `Pod (no name)`, not `Pod :`.
func TestNoName(t *testing.T) {
	res := linttest.LintFiles(t, map[string]string{"partial.yaml": "apiVersion: v1\nkind: Pod\nspec:\n  containers: []\n"}, everyObject)
	if len(res.Problems) != 1 || !strings.HasPrefix(res.Problems[0].Message, "Pod (no name): spec has no containers") {
		t.Fatalf("problems = %v", res.Problems)
	}
}

// TestRecordedStates: an object with a status and no spec (a kuttl or Chainsaw assertion) is a state,
// not an object to apply: it is skipped, with why, and no rule sees it. An empty status, or one beside
// a spec, is how generated manifests and kubectl's output look, and those are linted.
func TestRecordedStates(t *testing.T) {
	res := linttest.LintFiles(t, map[string]string{
		"ready.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\n  namespace: e2e\nstatus:\n  readyReplicas: 1\n" +
			"---\napiVersion: v1\nkind: Pod\nmetadata: {name: app-0}\nstatus: {phase: Running}\n" +
			"---\napiVersion: v1\nkind: Namespace\nmetadata: {name: e2e}\nstatus: {phase: Active}\n",
		"list.yaml": "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n" +
			"- apiVersion: v1\n  kind: Service\n  metadata: {name: b}\n  status: {loadBalancer: {ingress: [{hostname: b.example.com}]}}\n",
		"dry-run.yaml": "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\nstatus: {}\n---\n" +
			"apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\nstatus: {loadBalancer: {}}\n",
	}, everyObject)
	if len(res.Problems) != 0 {
		t.Errorf("problems %v, want none", res.Problems)
	}
	if res.Objects != 3 {
		t.Errorf("%d objects, want 3: the List's ConfigMap and dry-run.yaml's two", res.Objects)
	}
	var skipped []string
	for _, s := range res.Skipped {
		skipped = append(skipped, s.String())
	}
	want := []string{
		"list.yaml:1:1: " + lint.NotAManifest + ": Service b has a status and no spec: the state a test asserts (kuttl, Chainsaw) or one written down, not an object to apply",
		"ready.yaml:1:1: " + lint.NotAManifest + ": Deployment e2e/app has a status and no spec: the state a test asserts (kuttl, Chainsaw) or one written down, not an object to apply",
		"ready.yaml:9:1: " + lint.NotAManifest + ": Pod app-0 has a status and no spec: the state a test asserts (kuttl, Chainsaw) or one written down, not an object to apply",
		"ready.yaml:14:1: " + lint.NotAManifest + ": Namespace e2e has a status and no spec: the state a test asserts (kuttl, Chainsaw) or one written down, not an object to apply",
	}
	if !slices.Equal(skipped, want) {
		t.Errorf("skipped:\n%s\nwant:\n%s", strings.Join(skipped, "\n"), strings.Join(want, "\n"))
	}
}

// TestSpeclessWorkload: a workload with no spec at all (a linter's test input, a Chainsaw existence
// check, a patch) runs no pods: it is skipped, with why, and no rule sees it, so it is not one of
// its namespace's workloads.
func TestSpeclessWorkload(t *testing.T) {
	res := linttest.LintFiles(t, map[string]string{
		"partial.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  annotations: {team: a}\n",
		"cm.yaml":      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
	}, everyObject)
	if len(res.Problems) != 0 || res.Objects != 1 || res.ExitCode(lint.Error) != engine.ExitClean {
		t.Errorf("problems %v, objects %d, exit %d: want none, the ConfigMap alone and the run clean", res.Problems, res.Objects, res.ExitCode(lint.Error))
	}
	if len(res.Skipped) != 1 || res.Skipped[0].String() != "partial.yaml:1:1: "+lint.NotAManifest+
		": Deployment web has no spec, so no pods: a partial object (a test's assertion or input, an existence check), not an object to apply" {
		t.Errorf("skipped %v", res.Skipped)
	}
}

// TestDuplicateKeys: a key written twice with the same YAML value (resolved, whatever the style,
// the order of a mapping's keys, aliases and merge keys) is a warning at the second, and the object
// is linted; with two values it is an error, and the object is not: which counts is ambiguous.
func TestDuplicateKeys(t *testing.T) {
	for _, c := range []struct {
		first, second string
		same          bool
	}{
		{"1", "0x1", true},
		{"a", `"a"`, true},
		{"~", "null", true},
		{"|\n  x", `"x\n"`, true},
		{"{a: 1, b: 2}", "{b: 2, a: 1}", true},
		{"[1, 2]", "*list", true},
		{"{<<: *map, b: 2}", "{a: 1, b: 2}", true},
		{"1", `"1"`, false},
		{"true", `"true"`, false},
		{"1", "1.0", false},
		{"[1, 2]", "[2, 1]", false},
		{"{a: 1}", "{a: 1, b: 2}", false},
	} {
		t.Run(c.first+" and "+c.second, func(t *testing.T) {
			src := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\nanchors: [&list [1, 2], &map {a: 1}]\nv: " + c.first + "\nv: " + c.second + "\n"
			line := 7 + strings.Count(c.first, "\n")
			res := linttest.LintFiles(t, map[string]string{"x.yaml": src}, everyObject)
			want, objects, exit := lint.Warning, 1, engine.ExitClean
			if !c.same {
				want, objects, exit = lint.Error, 0, engine.ExitInput
			}
			if len(res.Problems) != 1 || res.Problems[0].Level != want || res.Problems[0].Pos.Line != line ||
				!strings.HasPrefix(res.Problems[0].Message, `duplicate key "v" (first at line 6)`) {
				t.Fatalf("problems %v, want one %s at line %d", res.Problems, want, line)
			}
			if res.Objects != objects || res.ExitCode(lint.Error) != exit {
				t.Errorf("%d objects linted, exit %d: want %d and %d", res.Objects, res.ExitCode(lint.Error), objects, exit)
			}
		})
	}
	t.Run("several", func(t *testing.T) {
		res := linttest.LintFiles(t, map[string]string{
			"same.yaml":     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: x\ndata:\n  a: 1\n  a: 1\n  a: 1\n",
			"differ.yaml":   "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: x\ndata:\n  a: 1\n  a: 1\n  a: 2\n  b: 1\n  b: 2\n",
			"pipeline.yaml": "kind: pipeline\nname: a\nname: a\n",
		}, everyObject)
		var got []string
		for _, p := range res.Problems {
			got = append(got, fmt.Sprintf("%s %s", p.Level, p))
		}
		want := []string{
			`error differ.yaml:9:3: duplicate key "a" (first at line 7): which of the two values counts is ambiguous; not linted`,
			`warning same.yaml:5:3: duplicate key "name" (first at line 4) with the same value; YAML allows each key once: remove one`,
			`warning same.yaml:8:3: duplicate key "a" (first at line 7) with the same value; YAML allows each key once: remove one`,
			`warning same.yaml:9:3: duplicate key "a" (first at line 7) with the same value; YAML allows each key once: remove one`,
		}
		if !slices.Equal(got, want) {
			t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if res.Objects != 1 || res.ExitCode(lint.Error) != engine.ExitInput {
			t.Errorf("%d objects, exit %d: want same.yaml's object linted, and exit %d for differ.yaml", res.Objects, res.ExitCode(lint.Error), engine.ExitInput)
		}
	})
}

func TestQuietSkips(t *testing.T) {
	res := linttest.LintFiles(t, map[string]string{
		"empty.yaml":      "",
		"comments.yaml":   "# only comments\n---\n# more\n",
		"separators.yaml": "---\n---\n...\n---\n",
		"values.yaml":     "replicaCount: 3\nimage: {repository: nginx}\n",
		"ksm.yaml":        "kind: CustomResourceStateMetrics\nspec:\n  resources:\n    - groupVersionKind: {group: example.com, kind: Foo, version: v1}\n",
		"userdata.yaml":   "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"//\"\n\n--//\nContent-Type: application/node.eks.aws\n\n---\napiVersion: node.eks.aws/v1alpha1\nkind: NodeConfig\nspec:\n  cluster: {name: c}\n\n--//--\n",
		"alerts.yaml":     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: alerts\ndata:\n  rule: \"{{ $labels.instance }} is down\"\n",
		"bom.yaml":        "\ufeffapiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: crlf\r\n",
	}, everyObject)
	for _, p := range res.Problems {
		t.Errorf("unexpected problem: %s", p)
	}
	if res.Objects != 2 {
		t.Errorf("linted %d objects, want 2 (the ConfigMaps)", res.Objects)
	}
}

func TestHelmTemplateOutsideChart(t *testing.T) {
	res := linttest.LintFiles(t, map[string]string{
		"deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  replicas: {{ .Values.replicas }}\n",
	}, everyObject)
	if len(res.Problems) != 1 || res.Problems[0].Level != lint.Note || res.Problems[0].Pos.Line != 4 ||
		!strings.Contains(res.Problems[0].Message, "looks like a template") {
		t.Fatalf("problems = %v", res.Problems)
	}
	if res.ExitCode(lint.Error) != engine.ExitClean {
		t.Error("a skipped template is not an input error")
	}
}

// TestOtherTemplates: a manifest that does not read as YAML because of a Jinja tag, a
// substitution step's placeholder or a shell variable that starts a line is another step's input, noted and skipped at that line; a
// broken manifest with a placeholder that reads as a string is the error it is.
func TestOtherTemplates(t *testing.T) {
	for _, c := range []struct {
		name, text, has string
		line            int
	}{
		{"jinja", "{% raw %}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n{% endraw %}\n", "{% %}", 1},
		{"percent", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\nstringData:\n  code: %ACTIVATION_CODE%\n", "%ACTIVATION_CODE%", 6},
		{"braces", "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  clusterIP: {IP_PREFIX}.16\n", "{IP_PREFIX}", 6},
		{"braces of mixed case", "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  clusterIP: {IPv6}/128\n", "{IPv6}", 6},
		{"at signs", "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: @STS_NAME@\n", "@STS_NAME@", 4},
		{"printf verbs", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n", "%s", 4},
		{"freemarker", "<#if !config.openshift>\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${config.prefix}staging\n</#if>\n", "<# >", 1},
		{"python format fields", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers:\n  - name: x\n    image: {images[kat-server]}\n", "{images[kat-server]}", 8},
		{"a python format field alone", "apiVersion: v1\nkind: Service\nmetadata:\n  name: {self.path.k8s}\n", "{self.path.k8s}", 4},
		// envsubst fills in a whole block at the start of a line.
		{"a variable for a block", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ca\ndata:\n  ca.crt: |\n$CA_CERT\n", "$CA_CERT", 7},
		{"a braced variable for a block", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ca\ndata:\n  ca.crt: |\n${CA_CERT}\n", "${CA_CERT}", 7},
		// YAML reads {NAME} alone as a mapping: the file is noted whole, not an error here and a
		// note on the next document.
		{"braces alone", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {TENANT_ID}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {TENANT_ID}-x\n", "{TENANT_ID}", 4},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := linttest.LintFiles(t, map[string]string{"x.yaml": c.text}, everyObject)
			if len(res.Problems) != 1 || res.Problems[0].Level != lint.Note || res.Problems[0].Pos.Line != c.line ||
				!strings.Contains(res.Problems[0].Message, "looks like a template (has "+c.has+")") {
				t.Fatalf("problems = %v", res.Problems)
			}
		})
	}
	res := linttest.LintFiles(t, map[string]string{
		"x.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  clusterIP: ${IP_PREFIX}.16\n  ports: [\n",
	}, everyObject)
	if len(res.Problems) != 1 || res.Problems[0].Level != lint.Error {
		t.Errorf("problems = %v, want the syntax error", res.Problems)
	}
	// A template kept as data reads as YAML: the ConfigMap is linted.
	res = linttest.LintFiles(t, map[string]string{
		"x.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  page.ftl: |\n    <#if user??>\n    Hello ${user}\n    </#if>\n",
	}, everyObject)
	if len(res.Problems) != 0 || res.Objects != 1 {
		t.Errorf("problems = %v, %d objects; want the ConfigMap linted", res.Problems, res.Objects)
	}
}

// TestBracesInABrokenManifest: braces in a string (an Argo expression) do not make a manifest with a
// key written twice a template: it is the error it is, not a note.
func TestBracesInABrokenManifest(t *testing.T) {
	res := linttest.LintFiles(t, map[string]string{
		"wf.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {a: b}\n  labels: {c: d}\nspec:\n  containers:\n" +
			"  - name: c\n    image: busybox:1.37\n    args: [\"--name={{workflow.name}}\"]\n",
	}, everyObject)
	if len(res.Problems) != 1 || res.Problems[0].Level != lint.Error || res.Problems[0].Pos.Line != 6 ||
		!strings.Contains(res.Problems[0].Message, `duplicate key "labels"`) {
		t.Fatalf("problems = %v, want the duplicate key at line 6", res.Problems)
	}
}

// TestHelmTemplateInChartFolder: a template in a chart's folder but outside templates/ is one the
// chart reads with .Files (`tpl (.Files.Get "files/x.yaml") .`): skipped quietly, listed as skipped,
// with no note telling to lint the chart, which the same run lints.
func TestHelmTemplateInChartFolder(t *testing.T) {
	dir := linttest.WriteFiles(t, map[string]string{
		"app/Chart.yaml":        "apiVersion: v2\nname: app\nversion: 0.1.0\n",
		"app/files/extra.yaml":  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-extra\n",
		"app/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n",
	})
	for _, paths := range [][]string{{"."}, {"app/files/extra.yaml"}} {
		req := everyObject
		req.Paths, req.Root, req.WorkDir = paths, dir, dir
		res := linttest.Lint(t, req)
		if len(res.Problems) != 0 {
			t.Errorf("%v: problems %v", paths, res.Problems)
		}
		if !slices.ContainsFunc(res.Skipped, func(s lint.Skip) bool {
			return s.Pos.File == "app/files/extra.yaml" && s.Pos.Line == 4 && strings.Contains(s.Reason, "reads with .Files")
		}) {
			t.Errorf("%v: skipped %v, want app/files/extra.yaml:4 as a template the chart reads", paths, res.Skipped)
		}
	}
}

func TestFileSizeLimit(t *testing.T) {
	big := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  x: " + strings.Repeat("a", 4096) + "\n"
	small := everyObject
	small.Limits = load.Limits{MaxFileSize: 1024, MaxAliasNodes: 10}
	res := linttest.LintFiles(t, map[string]string{"big.yaml": big}, small)
	if len(res.Problems) != 1 || !strings.Contains(res.Problems[0].Message, "over the 1.0 KiB limit") {
		t.Fatalf("problems = %v", res.Problems)
	}
	res = linttest.LintString(t, big, small)
	if len(res.Problems) != 1 || res.Problems[0].Pos.File != load.StdinName || !strings.Contains(res.Problems[0].Message, "more than 1.0 KiB") {
		t.Fatalf("stdin problems = %v", res.Problems)
	}
}

// TestLargeFile lints a generated 9 MB manifest like corpus/bad's large-9mb.yaml: every object is
// loaded and checked.
func TestLargeFile(t *testing.T) {
	if testing.Short() {
		t.Skip("large input")
	}
	var b strings.Builder
	n := 0
	for b.Len() < 9<<20 {
		if n > 0 {
			b.WriteString("---\n")
		}
		fmt.Fprintf(&b, "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-%d\n  namespace: team-%d\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27.%d\n        resources:\n          requests: {cpu: 100m, memory: 128Mi}\n", n, n%50, n%10)
		n++
	}
	counted := 0
	rule := &lint.Rule{ID: "count", Level: lint.Note, Inputs: lint.WorkloadInput, Check: func(p *lint.Pass) { counted++ }}
	req := linttest.Only(rule)
	req.Workers = 1
	res := linttest.LintFiles(t, map[string]string{"large.yaml": b.String()}, req)
	if len(res.Problems) != 0 || res.Objects != n || counted != n {
		t.Errorf("objects %d, checked %d, want %d; problems %v", res.Objects, counted, n, res.Problems)
	}
}

// TestLargeStreamPieces: in a stream larger than a piece, a broken document hides no other, in
// its piece or after it, and lines are numbered as in the file.
func TestLargeStreamPieces(t *testing.T) {
	filler := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  x: " + strings.Repeat("a", load.MinPiece) + "\n"
	stream := filler + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: bad\n" +
		"---\n" + filler + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
	// Old Mac line ends (a CR alone) cut pieces at the same markers.
	for _, eol := range []string{"\n", "\r\n", "\r"} {
		res := linttest.LintFiles(t, map[string]string{"x.yaml": strings.ReplaceAll(stream, "\n", eol)}, everyObject)
		// Pieces: the first filler; the broken document with the second filler; the last document.
		if res.Objects != 3 || len(res.Problems) != 1 || res.Problems[0].Pos.Line != 10 {
			t.Errorf("%q: objects %d, problems %v: want 3 objects and the tab at line 10", eol, res.Objects, res.Problems)
		}
	}
}

// TestDocumentTooLarge: a document holding more values than any object the API server stores is
// refused before the parser holds them all (4.5 GB for 25 million list items); the document
// before it is linted.
func TestDocumentTooLarge(t *testing.T) {
	res := linttest.LintFiles(t, map[string]string{
		"big.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\ndata: {a: [" +
			strings.Repeat("0,", 1_100_000) + "0]}\n",
	}, everyObject)
	if res.Objects != 1 || len(res.Problems) != 1 || res.Problems[0].Pos.String() != "big.yaml:8" ||
		!strings.Contains(res.Problems[0].Message, "more than ekslint reads in one document") {
		t.Errorf("%d objects, problems %v: want a linted, b refused at its line 8", res.Objects, res.Problems)
	}
}
