package lint_test

import (
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/linttest"
	"github.com/ekslint/ekslint/lint/load"
)

// FuzzObjects reads any bytes as eksctl configs and CloudFormation templates are read: parsed,
// split into objects, then every field of every object visited as rules visit them (Get, Entries,
// Items, scalars, intrinsics and references, Place). No input may crash, hang, or place a field
// outside the input.
//
//	go test ./lint -run '^$' -fuzz FuzzObjects -fuzztime 5m
func FuzzObjects(f *testing.F) {
	for _, seed := range linttest.Seeds(64<<10, "../fixtures", "../../shared/corpus/eksctl", "../../shared/corpus/cloudformation") {
		f.Add(seed)
	}
	f.Add([]byte("Resources:\n  R:\n    Type: AWS::EKS::Cluster\n    Properties:\n      <<: &p {Name: !Ref N}\n      RoleArn: !GetAtt [Role, Arn]\n"))
	lim := load.Limits{MaxFileSize: 1 << 20, MaxAliasNodes: 100_000}
	f.Fuzz(func(t *testing.T, data []byte) {
		text := lint.NewText("x.yaml", data)
		if load.CheckText(text) != nil {
			return
		}
		linttest.Within(t, 10*time.Second, "reading the objects", func() {
			reader := lint.NewObjectReader()
			load.ParseYAML(text, lim, func(root *yaml.Node) {
				objs, problems, _ := reader.Objects(&lint.Document{Text: text, Root: root})
				for _, p := range problems {
					checkPos(t, text, "problem "+p.Message, p.Pos)
				}
				for _, o := range objs {
					budget := 10_000
					visit(t, text, o.Root(), &budget)
					checkPos(t, text, "object", o.Place().Pos)
					if tmpl := o.Template(); tmpl != nil {
						tmpl.Resource(o.Properties().Get("RoleArn").RefTarget())
					}
				}
			})
		})
	})
}

// visit reads n and every field below it, as many as budget allows, and checks where each lands.
func visit(t *testing.T, text *lint.Text, n lint.Node, budget *int) {
	if *budget--; *budget < 0 {
		return
	}
	checkPos(t, text, n.Path(), n.Place().Pos)
	n.Str()
	n.Int()
	n.Bool()
	n.IsIntrinsic()
	n.RefTarget()
	n.Get("missing").Place()
	for _, e := range n.Entries() {
		visit(t, text, e, budget)
	}
	for _, it := range n.Items() {
		visit(t, text, it, budget)
	}
}

func checkPos(t *testing.T, text *lint.Text, what string, p lint.Pos) {
	p.File = text.Name
	linttest.CheckPos(t, text, what, p)
}
