package engine

import (
	"fmt"
	"slices"
	"testing"

	"github.com/ekslint/ekslint/lint"
)

func TestSortProblems(t *testing.T) {
	at := func(file string, line, col int) lint.Pos { return lint.Pos{File: file, Line: line, Column: col} }
	typeErr := func(pos lint.Pos, name string) lint.Problem {
		subject := "Deployment " + name
		return lint.Problem{Pos: pos, Level: lint.Error, Subject: subject, Message: subject + ": spec.replicas must be an integer"}
	}
	got := SortProblems([]lint.Problem{
		typeErr(at("base/deploy.yaml", 6, 3), "o2-d"),
		{Pos: at("a.yaml", 4, 0), Level: lint.Error, Message: "invalid YAML: found character that cannot start any token"},
		typeErr(at("base/deploy.yaml", 6, 3), "o3-d"),
		typeErr(at("base/deploy.yaml", 6, 3), "o1-d"),
		// The same message at another place, or another message at the same place, is another problem.
		typeErr(at("base/deploy.yaml", 6, 4), "o2-d"),
		{Pos: at("base/deploy.yaml", 6, 3), Level: lint.Error, Subject: "Deployment o2-d", Message: "Deployment o2-d: spec.replicas is too large"},
		{Pos: at("a.yaml", 4, 0), Level: lint.Error, Message: "invalid YAML: found character that cannot start any token"},
	})
	var lines []string
	for _, p := range got {
		lines = append(lines, fmt.Sprintf("%s: %s", p.Pos, p.Message))
	}
	want := []string{
		"a.yaml:4: invalid YAML: found character that cannot start any token",
		"base/deploy.yaml:6:3: Deployment o1-d: spec.replicas must be an integer",
		"base/deploy.yaml:6:3: Deployment o2-d: spec.replicas is too large",
		"base/deploy.yaml:6:4: Deployment o2-d: spec.replicas must be an integer",
	}
	if !slices.Equal(lines, want) {
		t.Errorf("got\n%q\nwant\n%q", lines, want)
	}
}
