package config_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/config"
	"github.com/ekslint/ekslint/lint/filter"
	"github.com/ekslint/ekslint/lint/fsroot"
)

// testRules are the rule ids these tests know; the real list is rules.All().
var testRules = []*lint.Rule{
	{ID: "k8s-cpu-limit-missing", Level: lint.Warning},
	{ID: "k8s-host-network", Level: lint.Error, DefaultOn: true},
	{ID: "k8s-image-tag-mutable", Level: lint.Warning, DefaultOn: true},
	filter.UnusedIgnore,
}

func testOptions(t *testing.T) config.Options {
	t.Helper()
	return options(t, "testdata/root")
}

// options reads paths in the config relative to the folder root.
func options(t *testing.T, root string) config.Options {
	t.Helper()
	r, err := fsroot.New(root, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	return config.Options{Root: r, WorkDir: r.Dir(), Rules: testRules}
}

func parse(t *testing.T, src string) (*config.Config, []lint.Problem) {
	t.Helper()
	return config.Parse(lint.NewText(".ekslint.yaml", []byte(src)), testOptions(t))
}

func TestParse(t *testing.T) {
	opts := testOptions(t)
	cfg, problems := parse(t, `# every key
rules:
  all:
    enabled: false
  k8s-cpu-limit-missing:
    level: error
  k8s-host-network:
    enabled: true
  k8s-image-tag-mutable: {enabled: false, level: note}
ignore:
  - vendor/**
  - "*.generated.yaml"
charts:
  - path: charts/web/
    valueSets:
      - name: default
      - name: prod
        values:
          - environments/prod/web-values.yaml
          - charts/web/values-ingress.yaml
        set:
          image.tag: "1.4.2"
          replicaCount: 3
          resources: {limits: {memory: 256Mi}}
kubeVersion: "1.31"
dataFile: ci/eks-versions.yaml
failOn: warning
baseline: .ekslint-baseline.json
`)
	for _, p := range problems {
		t.Fatal(p)
	}
	on, off := true, false
	wantRules := map[string]filter.RuleConfig{
		"all":                   {Enabled: &off},
		"k8s-cpu-limit-missing": {Enabled: &on, Level: lint.Error}, // a level turns the rule on
		"k8s-host-network":      {Enabled: &on},
		"k8s-image-tag-mutable": {Enabled: &off, Level: lint.Note},
	}
	if len(cfg.Rules) != len(wantRules) {
		t.Errorf("rules %v", cfg.Rules)
	}
	for id, w := range wantRules {
		g, ok := cfg.Rules[id]
		if !ok || *g.Enabled != *w.Enabled || g.Level != w.Level {
			t.Errorf("rules[%s] = enabled %v level %s, want %v %s", id, *g.Enabled, g.Level, *w.Enabled, w.Level)
		}
	}
	if !cfg.IgnorePath("vendor/x/y.yaml") || !cfg.IgnorePath("deploy/app.generated.yaml") || cfg.IgnorePath("deploy/app.yaml") {
		t.Errorf("ignore patterns %v do not match as written", cfg.Ignore)
	}
	web := filepath.Join(opts.Root.Dir(), "charts", "web")
	c := cfg.Chart(web)
	if c == nil || c.Path != "charts/web" || len(c.ValueSets) != 2 {
		t.Fatalf("chart %+v", c)
	}
	prod := c.ValueSets[1]
	if c.ValueSets[0].Name != "default" || len(c.ValueSets[0].Values) != 0 || prod.Name != "prod" ||
		!slices.Equal(prod.Values, []string{filepath.Join(opts.Root.Dir(), "environments", "prod", "web-values.yaml"), filepath.Join(web, "values-ingress.yaml")}) {
		t.Errorf("value sets %+v", c.ValueSets)
	}
	var args []string
	for _, s := range prod.Set {
		a, err := s.JSONArg()
		if err != nil {
			t.Fatal(err)
		}
		args = append(args, a)
	}
	if want := []string{`image.tag="1.4.2"`, `replicaCount=3`, `resources={"limits":{"memory":"256Mi"}}`}; !slices.Equal(args, want) {
		t.Errorf("set %v, want %v (in order, typed as YAML typed them)", args, want)
	}
	if cfg.KubeVersion != "1.31" || cfg.DataFile != filepath.Join(opts.Root.Dir(), "ci", "eks-versions.yaml") ||
		cfg.FailOn == nil || *cfg.FailOn != lint.Warning || cfg.Baseline != filepath.Join(opts.Root.Dir(), ".ekslint-baseline.json") {
		t.Errorf("kubeVersion %q, dataFile %q, failOn %v, baseline %q", cfg.KubeVersion, cfg.DataFile, cfg.FailOn, cfg.Baseline)
	}
}

func TestParseEmpty(t *testing.T) {
	for _, src := range []string{"", "# nothing yet\n", "rules:\nignore:\n"} {
		cfg, problems := parse(t, src)
		if len(problems) > 0 || cfg == nil || cfg.FailOn != nil || len(cfg.Rules) != 0 || len(cfg.Ignore) != 0 {
			t.Errorf("%q: config %+v, problems %v; want an empty config", src, cfg, problems)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"rulez: {}\n", `.ekslint.yaml:1:1: unknown key "rulez" at the top level; did you mean rules?`},
		{"fail-on: error\n", `.ekslint.yaml:1:1: unknown key "fail-on" at the top level; did you mean failOn?`},
		{"colour: never\n", `.ekslint.yaml:1:1: unknown key "colour" at the top level (known keys: rules, ignore, charts, deployments, kubeVersion, dataFile, failOn, baseline)`},
		{"rules:\n  k8s-host-network:\n    levle: note\n", `.ekslint.yaml:3:5: unknown key "levle" in rules.k8s-host-network; did you mean level?`},
		{"rules:\n  k8s-hostnetwork: {enabled: false}\n", `.ekslint.yaml:2:3: unknown rule "k8s-hostnetwork" in rules; did you mean k8s-host-network?`},
		{"rules:\n  k8s-host-network: {enabled: \"no\"}\n", `.ekslint.yaml:2:31: rules.k8s-host-network.enabled: want true or false, not the string "no"`},
		{"rules:\n  k8s-host-network: {level: warn}\n", `.ekslint.yaml:2:29: rules.k8s-host-network.level: unknown level "warn" (want error, warning or note)`},
		{"rules:\n  k8s-host-network: {level: none}\n", `.ekslint.yaml:2:29: rules.k8s-host-network.level: unknown level "none" (want error, warning or note; to turn the rule off, write enabled: false)`},
		{"rules:\n  k8s-host-network:\n", `.ekslint.yaml:2:20: rules.k8s-host-network: want enabled and/or level (k8s-host-network: {enabled: true})`},
		{"rules:\n  all: {level: note}\n", `.ekslint.yaml:2:9: unknown key "level" in rules.all (known keys: enabled)`},
		{"rules: [k8s-host-network]\n", `.ekslint.yaml:1:8: rules: want a mapping, not a list`},
		{"ignore: vendor/**\n", `.ekslint.yaml:1:9: ignore: want a list, not the string "vendor/**"`},
		{"ignore: [\"!vendor\"]\n", `.ekslint.yaml:1:10: ignore[0]: negated patterns (!) are not supported; narrow the pattern instead`},
		{"ignore: [\"../x\"]\n", `.ekslint.yaml:1:10: ignore[0]: patterns are relative to the lint root; .. matches nothing`},
		{"kubeVersion: 1.30\n", `.ekslint.yaml:1:14: kubeVersion: want a string such as "1.31", not the number 1.30: quote it (YAML reads 1.30 as 1.3)`},
		{"kubeVersion: latest\n", `.ekslint.yaml:1:14: kubeVersion: "latest" is not a Kubernetes version such as "1.31"`},
		{"failOn: critical\n", `.ekslint.yaml:1:9: failOn: unknown level "critical" (want error, warning, note or none)`},
		{"baseline: /etc/passwd\n", `.ekslint.yaml:1:11: baseline: /etc/passwd is absolute; write it relative to the lint root`},
		{"dataFile: ../../config.go\n", `.ekslint.yaml:1:11: dataFile: ../../config.go leads outside the lint root`},
		{"dataFile: ci/missing.yaml\n", `.ekslint.yaml:1:11: dataFile: ci/missing.yaml: no such file or directory`},
		{"dataFile: ci\n", `.ekslint.yaml:1:11: dataFile: ci is a folder; want a file`},
		{"charts:\n  - valueSets: [{name: a}]\n", `.ekslint.yaml:2:5: charts[0]: path is required`},
		{"charts:\n  - path: charts/web\n", `.ekslint.yaml:2:5: charts[0]: valueSets is required: list the value sets to render charts/web with`},
		{"charts:\n  - path: ci\n    valueSets: [{name: a}]\n", `.ekslint.yaml:2:11: charts[0].path: ci has no Chart.yaml; want a chart folder`},
		{"charts:\n  - path: charts/web\n    valueSets: [{name: a}, {name: a}]\n", `.ekslint.yaml:3:28: charts[0].valueSets[1]: value set "a" is named twice`},
		{"charts:\n  - path: charts/web\n    valueSets: [{values: [charts/web/values.yaml]}]\n", `.ekslint.yaml:3:17: charts[0].valueSets[0]: name is required`},
		{"charts:\n  - path: charts/web\n    valueSets: [{name: a, value: [x]}]\n", `.ekslint.yaml:3:27: unknown key "value" in charts[0].valueSets[0]; did you mean values?`},
		{"charts:\n  - path: charts/web\n    valueSets: [{name: a}]\n  - path: charts/web/\n    valueSets: [{name: b}]\n", `.ekslint.yaml:4:5: charts[1]: chart charts/web is listed twice`},
		{"failOn: error\nfailOn: note\n", `.ekslint.yaml:2:1: duplicate key "failOn" (first at line 1)`},
		{"failOn: error\nfailOn: error\n", `.ekslint.yaml:2:1: duplicate key "failOn" (first at line 1) with the same value`},
		{"failOn: error\n---\nfailOn: note\n", `.ekslint.yaml:3:1: the config file holds more than one YAML document`},
		{"rules: {\n", `.ekslint.yaml:1: invalid YAML`},
		{"- rules\n", `.ekslint.yaml:1:1: the config: want a mapping, not a list`},
		{"base: &b {failOn: error}\n<<: *b\n", `.ekslint.yaml:1:1: unknown key "base"`},
	} {
		t.Run(strings.SplitN(c.src, "\n", 2)[0], func(t *testing.T) {
			cfg, problems := parse(t, c.src)
			if cfg != nil {
				t.Errorf("a config with problems was returned")
			}
			var got []string
			for _, p := range problems {
				if p.Level != lint.Error {
					t.Errorf("%s: level %s, want error (exit 2)", p, p.Level)
				}
				got = append(got, p.String())
			}
			if len(got) == 0 || !strings.HasPrefix(got[0], c.want) {
				t.Errorf("problems:\n%s\nwant the first to start with:\n%s", strings.Join(got, "\n"), c.want)
			}
		})
	}
}

func TestPatterns(t *testing.T) {
	for _, c := range []struct {
		glob     string
		match    []string
		noMatch  []string
		compiles bool
	}{
		{"vendor/**", []string{"vendor/a.yaml", "vendor/x/y/z.yaml"}, []string{"a/vendor/b.yaml", "vendored/a.yaml"}, true},
		{"vendor", []string{"vendor/a.yaml", "a/vendor/b.yaml"}, []string{"vendored/a.yaml"}, true},
		{"/vendor", []string{"vendor/a.yaml"}, []string{"a/vendor/b.yaml"}, true},
		{"vendor/", []string{"vendor/a.yaml", "a/vendor/b.yaml"}, nil, true},
		{"**/testdata/**", []string{"testdata/a.yaml", "x/testdata/b/c.yaml"}, []string{"testdata.yaml"}, true},
		{"*.generated.yaml", []string{"a.generated.yaml", "x/y/a.generated.yaml"}, []string{"a.yaml", "generated.yaml.bak"}, true},
		{"deploy/*.yaml", []string{"deploy/a.yaml"}, []string{"deploy/x/a.yaml", "x/deploy/a.yaml"}, true},
		{"deploy/**/*.yaml", []string{"deploy/a.yaml", "deploy/x/y/a.yaml"}, []string{"deploy/a.json"}, true},
		{"./charts/*/tests", []string{"charts/web/tests/t.yaml"}, []string{"charts/web/templates/t.yaml"}, true},
		{"env-[ab].yaml", []string{"env-a.yaml", "x/env-b.yaml"}, []string{"env-c.yaml"}, true},
		{"env-[!ab].yaml", []string{"env-c.yaml"}, []string{"env-a.yaml"}, true},
		{"file?.yaml", []string{"file1.yaml"}, []string{"file12.yaml", "file/.yaml"}, true},
		{`a\*.yaml`, []string{"a*.yaml"}, []string{"ab.yaml"}, true},
		{"a[b", nil, nil, false},
		// Matching costs the path's length times the wildcards: bounded.
		{"m/" + strings.Repeat("*", 33) + "x", nil, nil, false},
		{"m/" + strings.Repeat("*x", 32), []string{"m/" + strings.Repeat("ax", 32)}, nil, true},
		{strings.Repeat("a/", 2049), nil, nil, false},
	} {
		p, err := config.CompilePattern(c.glob)
		if (err == nil) != c.compiles {
			t.Errorf("%q: error %v", c.glob, err)
			continue
		}
		for _, m := range c.match {
			if !p.Match(m) {
				t.Errorf("%q does not match %s", c.glob, m)
			}
		}
		for _, m := range c.noMatch {
			if p.Match(m) {
				t.Errorf("%q matches %s", c.glob, m)
			}
		}
	}
}

// TestManyPatterns: the path patterns of a config are bounded as a whole, since each is matched
// against every path of the run; the one past the bound is reported, once.
func TestManyPatterns(t *testing.T) {
	src := "ignore:\n" + strings.Repeat("  - a/*\n", 1001) + "deployments:\n  - name: x\n    paths: [b/*]\n"
	_, problems := parse(t, src)
	if len(problems) != 1 || problems[0].Pos.Line != 1002 || !strings.Contains(problems[0].Message, "more than 1000 path patterns") {
		t.Errorf("problems %v; want one at line 1002", problems)
	}
}

func TestFind(t *testing.T) {
	dir := t.TempDir()
	root, err := fsroot.New(dir, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := config.Find(root); p != "" || err != nil {
		t.Errorf("empty folder: %q, %v", p, err)
	}
	yml := filepath.Join(dir, ".ekslint.yml")
	if err := os.WriteFile(yml, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if p, err := config.Find(root); p != yml || err != nil {
		t.Errorf("Find = %q, %v; want %s", p, err, yml)
	}
	if err := os.WriteFile(filepath.Join(dir, ".ekslint.yaml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := config.Find(root); err == nil || !strings.Contains(err.Error(), "keep one") {
		t.Errorf("both names: %v, want an error", err)
	}
}

func TestLoad(t *testing.T) {
	opts := testOptions(t)
	if _, _, problems := config.Load(opts.Root, filepath.Join(opts.Root.Dir(), "missing.yaml"), opts); len(problems) != 1 ||
		problems[0].String() != "missing.yaml: cannot read config: no such file or directory" {
		t.Errorf("problems %v", problems)
	}
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte(strings.Repeat("# padding\n", 200_000)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, problems := config.Load(options(t, dir).Root, big, opts); len(problems) != 1 || !strings.Contains(problems[0].Message, "over 1 MiB") {
		t.Errorf("problems %v", problems)
	}
}

// A symlink inside the root that leads out of it is refused like a path outside it.
func TestSymlinkOutOfRoot(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	secret := filepath.Join(outside, "secret.yaml")
	if err := os.WriteFile(secret, []byte("token: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(root, "values.yaml")); err != nil {
		t.Skip("no symlinks:", err)
	}
	_, problems := config.Parse(lint.NewText(".ekslint.yaml", []byte("dataFile: values.yaml\n")), options(t, root))
	if len(problems) != 1 || !strings.Contains(problems[0].Message, "outside the lint root") {
		t.Errorf("problems %v", problems)
	}
}
