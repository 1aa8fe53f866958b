package config_test

import (
	"testing"
	"time"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/config"
	"github.com/ekslint/ekslint/lint/fsroot"
	"github.com/ekslint/ekslint/lint/linttest"
	"github.com/ekslint/ekslint/rules"
)

// FuzzConfig parses any bytes as .ekslint.yaml with every rule ekslint has: no input may crash
// the parser, hang, or report a problem outside the file. A config with problems is no config.
//
//	go test ./lint/config -run '^$' -fuzz FuzzConfig -fuzztime 5m
func FuzzConfig(f *testing.F) {
	for _, seed := range linttest.Seeds(64<<10, "testdata", "../../examples", "../../cmd/ekslint/testdata") {
		f.Add(seed)
	}
	f.Add([]byte("rules:\n  all: {enabled: false}\n  k8s-host-network: {level: warning}\nignore: [vendor/**]\nfailOn: note\nkubeVersion: \"1.31\"\n" +
		"charts:\n- path: charts/api\n  valueSets:\n  - name: prod\n    values: [values-prod.yaml]\n    set: {image.tag: \"1.2\", replicas: 3}\n" +
		"deployments:\n- name: prod\n  paths: [overlays/prod, charts/api]\n"))
	root, err := fsroot.New("testdata/root", 1<<20)
	if err != nil {
		f.Fatal(err)
	}
	opts := config.Options{Root: root, WorkDir: root.Dir(), Rules: rules.All()}
	f.Fuzz(func(t *testing.T, data []byte) {
		text := lint.NewText(".ekslint.yaml", data)
		linttest.Within(t, 10*time.Second, "parsing the config", func() {
			cfg, problems := config.Parse(text, opts)
			if cfg != nil && len(problems) > 0 {
				t.Errorf("a config with problems: %v", problems)
			}
			for _, p := range problems {
				if p.Pos.File != text.Name {
					t.Errorf("problem %q in %s, not in the config", p.Message, p.Pos.File)
				}
				linttest.CheckPos(t, text, "problem "+p.Message, p.Pos)
			}
		})
	})
}
