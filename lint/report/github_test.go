package report

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/linttest"
	"github.com/ekslint/ekslint/lint/load"
)

// Rules and a run that exercise every part of the reports: a security rule and another, files
// inside the source root (also reached through ../), outside it, with spaces and a '#', standard
// input, a multi-line range, variants, a related location, suppressed and baselined findings,
// input problems with and without a position, and hostile text in a message.
var (
	secretRule = &lint.Rule{
		ID: "eks-test-secret-in-env", Level: lint.Error, DefaultOn: true, Title: "Secret in a plain environment variable",
		Tags: []lint.Tag{lint.TagSecurity, lint.TagEKS}, Rationale: "Anyone who can read the pod spec reads the secret.",
		Fix: "Use `valueFrom.secretKeyRef`.", Example: lint.Example{Bad: "env: [{name: TOKEN, value: abc}]\n", Good: "env: []\n"},
		Equivalents: []string{"kube-linter env-var-secret"},
	}
	probeRule = &lint.Rule{
		ID: "k8s-test-probe-missing", Level: lint.Warning, DefaultOn: true, Title: "Container has no probe",
		Tags: []lint.Tag{lint.TagReliability, lint.TagKubernetes}, Rationale: "A hung process is never restarted.", Fix: "Add a livenessProbe.",
	}
	noteRule = &lint.Rule{
		ID: "k8s-test-note", Level: lint.Note, Title: "Something worth knowing", Tags: []lint.Tag{lint.TagCost, lint.TagKubernetes},
		Rationale: "It costs money.", Fix: "Consider it.",
	}
)

func testRun() *Run {
	deploy := &lint.ObjectRef{ObjectID: lint.ObjectID{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop", Name: "web"}}
	f := func(r *lint.Rule, l lint.Level, msg string, p lint.Pos) engine.Finding {
		return engine.Finding{Rule: r, Level: l, Message: msg, Place: lint.Place{Pos: p, Object: deploy, Path: "spec.template"}}
	}
	findings := []engine.Finding{
		f(probeRule, lint.Warning, `container "web" has no livenessProbe`, lint.Pos{File: "../../outside.yaml", Line: 3, Column: 1, EndLine: 3, EndColumn: 9}),
		f(probeRule, lint.Warning, `container "api" has no livenessProbe`, lint.Pos{File: "../shared/base.yaml", Line: 7, Column: 9, EndLine: 12, EndColumn: 1}),
		f(probeRule, lint.Warning, `container "<img src=x onerror=alert(1)>" has no probe: [click](https://evil.example) | @admin **now**`+"\n::error::forged %0A 100%", lint.Pos{File: "deploy/app.yaml", Line: 12, Column: 9, EndLine: 12, EndColumn: 12}),
		f(secretRule, lint.Error, `env TOKEN holds a literal secret; use secretKeyRef`, lint.Pos{File: "deploy/app.yaml", Line: 20, Column: 13, EndLine: 20, EndColumn: 18}),
		f(noteRule, lint.Note, `replicas: 30 on m5.24xlarge`, lint.Pos{File: "deploy/my dir/x #1.yaml", Line: 2, Column: 1, EndLine: 2, EndColumn: 9}),
		f(probeRule, lint.Warning, `container "sidecar" has no livenessProbe`, lint.Pos{File: load.StdinName, Line: 5, Column: 7, EndLine: 5, EndColumn: 14}),
	}
	findings[3].Related = []lint.Location{{Pos: lint.Pos{File: "chart/values.yaml", Line: 4, Column: 3}, Message: "value set here"}}
	findings[1].Variants = []string{"overlays/dev", "overlays/prod"}
	suppressed := f(secretRule, lint.Error, `env KEY holds a literal secret`, lint.Pos{File: "deploy/app.yaml", Line: 30, Column: 13, EndLine: 30, EndColumn: 16})
	suppressed.Suppression = &engine.Suppression{Kind: "comment", Justification: "test credentials, rotated daily"}
	unchanged := f(probeRule, lint.Warning, `container "old" has no livenessProbe`, lint.Pos{File: "deploy/old.yaml", Line: 8, Column: 9, EndLine: 8, EndColumn: 12})
	unchanged.Baseline = engine.BaselineUnchanged
	fresh := f(probeRule, lint.Warning, `container "new" has no livenessProbe`, lint.Pos{File: "deploy/old.yaml", Line: 18, Column: 9, EndLine: 18, EndColumn: 12})
	fresh.Baseline = engine.BaselineNew
	findings = append(findings, suppressed, unchanged, fresh)
	return &Run{
		Result: &engine.Result{
			Findings: findings,
			Problems: []lint.Problem{
				{Pos: lint.Pos{File: "deploy/broken.yaml", Line: 4, Column: 2}, Level: lint.Error, Message: "mapping values are not allowed here"},
				{Pos: lint.Pos{File: "deploy/notes.yaml"}, Level: lint.Note, Message: "skipped: a Helm values file, not a manifest"},
				{Level: lint.Error, Message: "internal error in rule k8s-test-probe-missing: boom\ngoroutine 1 [running]:\n..."},
			},
			Objects: 7,
		},
		Rules:      []*lint.Rule{secretRule, probeRule, noteRule},
		Version:    "v1.2.3",
		WorkDir:    "/repo/src",
		SourceRoot: "/repo",
	}
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *linttest.Update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./lint/report -update rewrites it); got:\n%s", path, got)
	}
}

func TestGitHubAnnotationsGolden(t *testing.T) {
	var b bytes.Buffer
	if err := GitHubAnnotations(&b, testRun()); err != nil {
		t.Fatal(err)
	}
	golden(t, "github-annotations.txt", b.Bytes())

	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	// Hostile text never makes a line of its own: every line but the summary is one command.
	for _, l := range lines[:len(lines)-1] {
		if !strings.HasPrefix(l, "::error ") && !strings.HasPrefix(l, "::warning ") && !strings.HasPrefix(l, "::notice ") {
			t.Errorf("line is not an annotation: %q", l)
		}
	}
	if want := "1 error, 5 warnings, 1 note in 7 objects; 2 input errors; 1 input note; 1 suppressed; 1 in baseline"; lines[len(lines)-1] != want {
		t.Errorf("last line %q, want %q", lines[len(lines)-1], want)
	}
	// The most serious first: errors (findings and inputs), then warnings, then notices.
	var order []string
	for _, l := range lines[:len(lines)-1] {
		order = append(order, l[2:strings.IndexByte(l, ' ')])
	}
	if got := strings.Join(order, " "); got != "error error error warning warning warning warning warning notice notice" {
		t.Errorf("annotation order %s", got)
	}
}

func TestGitHubSummaryGolden(t *testing.T) {
	var b bytes.Buffer
	if err := GitHubSummary(&b, testRun(), true); err != nil {
		t.Fatal(err)
	}
	golden(t, "github-summary.md", b.Bytes())
	md := b.String()
	for _, bad := range []string{"[click](", "**now**", "\n::error"} {
		if strings.Contains(md, bad) {
			t.Errorf("summary carries %q from the linted files as markup", bad)
		}
	}
	if strings.Contains(strings.ReplaceAll(md, `\<`, ""), "<") {
		t.Errorf("summary has an unescaped <")
	}
}

func TestSetPosition(t *testing.T) {
	for _, tc := range []struct {
		pos  lint.Pos
		want string
	}{
		{lint.Pos{Line: 3, Column: 5, EndLine: 3, EndColumn: 9}, "col=5,endColumn=9,line=3"},
		{lint.Pos{Line: 3, Column: 5, EndLine: 7, EndColumn: 2}, "endLine=7,line=3"}, // GitHub takes columns on one line only
		{lint.Pos{Line: 3, Column: 5}, "col=5,line=3"},
		{lint.Pos{Line: 3}, "line=3"},
		{lint.Pos{}, ""},
	} {
		props := map[string]string{}
		setPosition(props, tc.pos)
		var got []string
		for _, k := range []string{"col", "endColumn", "endLine", "line"} {
			if v, ok := props[k]; ok {
				got = append(got, k+"="+v)
			}
		}
		if g := strings.Join(got, ","); g != tc.want {
			t.Errorf("%+v: %s, want %s", tc.pos, g, tc.want)
		}
	}
}

func TestMDText(t *testing.T) {
	for _, tc := range []struct {
		in    string
		limit int
		want  string
	}{
		{"plain words", 100, "plain words"},
		{"a|b", 100, `a\|b`},
		{"<script>alert(1)</script>", 100, `\<script\>alert\(1\)\<\/script\>`},
		{"![x](http://t/p.png)", 100, `\!\[x\]\(http\:\/\/t\/p\.png\)`},
		{"line\nbreak\r\tand\x00nul", 100, "line break  and nul"},
		{"bidi \u202eevil\u2066", 100, "bidi  evil "},
		{"naïve ünïcode", 100, "naïve ünïcode"},
		{"abcdefghijkl", 10, "abcdefghij…"},
		{"a.b.c", 3, `a\.b…`},
	} {
		if got := mdText(tc.in, tc.limit); got != tc.want {
			t.Errorf("mdText(%q, %d) = %q, want %q", tc.in, tc.limit, got, tc.want)
		}
	}
}

// The summary stays small however many findings there are, and says what it left out.
func TestGitHubSummaryLimits(t *testing.T) {
	var fs []engine.Finding
	for i := range 5000 {
		fs = append(fs, engine.Finding{Rule: probeRule, Level: lint.Warning, Message: strings.Repeat("long message ", 200),
			Place: lint.Place{Pos: lint.Pos{File: fmt.Sprintf("deploy/%04d.yaml", i), Line: 1, Column: 1}}})
	}
	var b bytes.Buffer
	if err := GitHubSummary(&b, &Run{Result: &engine.Result{Findings: fs}, Rules: []*lint.Rule{probeRule}}, true); err != nil {
		t.Fatal(err)
	}
	if b.Len() > summaryBudget+4096 {
		t.Errorf("summary is %d bytes, budget %d", b.Len(), summaryBudget)
	}
	for _, want := range []string{"4900 more findings are not shown here", "so 4990 warning annotations are only in the log"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("summary does not say %q", want)
		}
	}
}
