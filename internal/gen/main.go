// Command gen writes the files generated from the rules, run by `go generate ./...` from
// internal/ruledoc: docs/rules.md, docs/ekslint-config.schema.json and the rule counts in
// README.md. TestGenerated fails when one of them is out of date.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/ekslint/ekslint/internal/ruledoc"
	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/config"
	"github.com/ekslint/ekslint/lint/filter"
	"github.com/ekslint/ekslint/rules"
)

func main() {
	root, err := moduleRoot()
	if err == nil {
		err = write(root)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func write(root string) error {
	files, err := generated(root)
	if err != nil {
		return err
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(root, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// generated returns every generated file, by path relative to the module root, as it should be.
func generated(root string) (map[string][]byte, error) {
	checks := rules.All()
	own := []*lint.Rule{filter.UnusedIgnore}
	var sections []ruledoc.Section
	for _, s := range rules.DocSections() {
		sections = append(sections, ruledoc.Section{First: s.First, Title: s.Title, Text: s.Text})
	}
	reference, err := ruledoc.Reference(checks, own, sections)
	if err != nil {
		return nil, err
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		return nil, err
	}
	if readme, err = readmeCounts(readme, checks); err != nil {
		return nil, err
	}
	return map[string][]byte{
		"docs/rules.md":                   reference,
		"docs/ekslint-config.schema.json": config.Schema(append(checks, own...), rules.Presets()),
		"README.md":                       readme,
	}, nil
}

// The counts README.md gives, rewritten from the rules.
var (
	ruleCount      = regexp.MustCompile(`\[\d+ rules\]\(docs/rules\.md\)`)
	defaultOnCount = regexp.MustCompile(`\d+ are on by default`)
)

func readmeCounts(readme []byte, checks []*lint.Rule) ([]byte, error) {
	for _, re := range []*regexp.Regexp{ruleCount, defaultOnCount} {
		if !re.Match(readme) {
			return nil, fmt.Errorf("README.md: no %q to keep up to date", re)
		}
	}
	readme = ruleCount.ReplaceAll(readme, fmt.Appendf(nil, "[%d rules](docs/rules.md)", len(checks)))
	return defaultOnCount.ReplaceAll(readme, fmt.Appendf(nil, "%d are on by default", ruledoc.DefaultOn(checks))), nil
}

// moduleRoot is the folder of go.mod, from the working directory up.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Lstat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		if filepath.Dir(dir) == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = filepath.Dir(dir)
	}
}
