package lint

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// parseObjects reads src as a file named test.yaml and returns its objects.
func parseObjects(t *testing.T, src string) []*Object {
	t.Helper()
	text := NewText("test.yaml", []byte(src))
	var objs []*Object
	dec := yaml.NewDecoder(strings.NewReader(src))
	for {
		var doc yaml.Node
		if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
			return objs
		} else if err != nil {
			t.Fatal(err)
		}
		os, ps, _ := NewObjectReader().Objects(&Document{Text: text, Root: doc.Content[0]})
		for _, p := range ps {
			t.Fatalf("unexpected problem: %s", p)
		}
		objs = append(objs, os...)
	}
}

func parseObject(t *testing.T, src string) *Object {
	t.Helper()
	objs := parseObjects(t, src)
	if len(objs) != 1 {
		t.Fatalf("got %d objects, want 1", len(objs))
	}
	return objs[0]
}

const deploymentSrc = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web, tier: "front"}
spec:
  replicas: 3
  paused: false
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: "nginx:1.27"
          args: [--port, "8080"]
          resources:
            requests:
              cpu: 100m
          command:
            - /bin/sh
          env:
          - name: X
            value: |
              line one
              line two

        - {name: side, image: 'busy''box'}
`

func TestNodeNavigation(t *testing.T) {
	o := parseObject(t, deploymentSrc)
	if o.ID.Kind != "Deployment" || o.ID.Name != "web" || o.Namespace() != "shop" {
		t.Fatalf("identity: %+v ns %q", o.ID, o.Namespace())
	}
	if n, ok := o.Get("spec", "replicas").Int(); !ok || n != 3 {
		t.Errorf("replicas = %d, %v", n, ok)
	}
	if !o.Get("spec", "paused").IsFalse() || o.Get("spec", "paused").IsTrue() {
		t.Error("paused: false not read as false")
	}
	if got := o.Labels(); got.String() != "app=web,tier=front" {
		t.Errorf("labels = %v", got)
	}
	cs := o.Containers()
	if len(cs) != 2 || cs[1].Get("image").Str() != "busy'box" {
		t.Fatalf("containers = %d, second image %q", len(cs), cs[1].Get("image").Str())
	}
	if p := cs[0].Get("resources", "requests", "cpu").Path(); p != "spec.template.spec.containers[0].resources.requests.cpu" {
		t.Errorf("path = %q", p)
	}
	if got := cs[0].Get("args").Strings(); strings.Join(got, " ") != "--port 8080" {
		t.Errorf("args = %q", got)
	}
	if o.Get("spec", "replicas", "deeper").Exists() {
		t.Error("a field under a scalar exists")
	}
	if _, ok := o.Get("metadata", "name").Int(); ok {
		t.Error("a string read as an integer")
	}
	if got := o.Annotation("eks.amazonaws.com/role-arn").Path(); got != "metadata.annotations['eks.amazonaws.com/role-arn']" {
		t.Errorf("dotted key path = %q", got)
	}
}

// TestPlaces pins the position conventions: a present field lands on its key, a list item on
// its first character, a missing field on the nearest enclosing field that exists, a field
// missing from the whole object on metadata.name; ranges end after the value.
func TestPlaces(t *testing.T) {
	o := parseObject(t, deploymentSrc)
	c := o.Containers()[0]
	cases := []struct {
		name string
		n    Node
		want Pos
	}{
		{"scalar key", o.Get("spec", "replicas"), Pos{"test.yaml", 8, 3, 8, 14}},
		{"quoted value", c.Get("image"), Pos{"test.yaml", 17, 11, 17, 30}},
		{"flow list", c.Get("args"), Pos{"test.yaml", 18, 11, 18, 33}},
		{"list item", c, Pos{"test.yaml", 16, 11, 28, 23}},
		{"flow item", o.Containers()[1], Pos{"test.yaml", 30, 11, 30, 43}},
		{"missing in present mapping", c.Get("resources", "requests", "memory"), Pos{"test.yaml", 20, 13, 21, 24}},
		{"missing mapping", c.Get("readinessProbe", "httpGet"), Pos{"test.yaml", 16, 11, 28, 23}},
		{"missing from object", o.Get("status", "replicas"), Pos{"test.yaml", 4, 3, 4, 12}},
		{"block scalar", c.Get("env").Items()[0].Get("value"), Pos{"test.yaml", 26, 13, 28, 23}},
		{"flow mapping", o.Get("metadata", "labels"), Pos{"test.yaml", 6, 3, 6, 36}},
	}
	for _, c := range cases {
		if got := c.n.Place().Pos; got != c.want {
			t.Errorf("%s: got %s, want %s", c.name, span(got), span(c.want))
		}
	}
}

func TestMergeKeysAndAliases(t *testing.T) {
	o := parseObject(t, `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
  - &base
    name: a
    image: img:1
    resources: &res {limits: {memory: 1Gi}}
  - <<: *base
    name: b
    resources: *res
`)
	cs := o.Containers()
	if cs[1].Get("name").Str() != "b" || cs[1].Get("image").Str() != "img:1" {
		t.Errorf("merge: name %q image %q", cs[1].Get("name").Str(), cs[1].Get("image").Str())
	}
	if cs[1].Get("resources", "limits", "memory").Str() != "1Gi" {
		t.Error("alias not followed")
	}
	keys := []string{}
	for _, e := range cs[1].Entries() {
		keys = append(keys, e.Key())
	}
	if strings.Join(keys, ",") != "name,resources,image" {
		t.Errorf("entries = %v", keys)
	}
}

func TestEmbeddedPlaces(t *testing.T) {
	o := parseObject(t, `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/a/b
      username: x
      groups:
        - system:masters
  mapUsers: "[{userarn: bad, groups: [g]}]"
`)
	roles, err := o.Get("data", "mapRoles").Embedded()
	if err != nil {
		t.Fatal(err)
	}
	group := roles.Items()[0].Get("groups").Items()[0]
	if got, want := group.Place().Pos, (Pos{"test.yaml", 11, 11, 11, 25}); got != want {
		t.Errorf("inner line: got %s, want %s", span(got), span(want))
	}
	users, err := o.Get("data", "mapUsers").Embedded()
	if err != nil {
		t.Fatal(err)
	}
	// A quoted string has no line structure to map into: findings land on the field.
	if got, want := users.Items()[0].Get("userarn").Place().Pos, (Pos{"test.yaml", 12, 3, 12, 44}); got != want {
		t.Errorf("quoted string: got %s, want %s", span(got), span(want))
	}
	if _, err := o.Get("metadata", "name").Embedded(); err != nil {
		t.Errorf("a plain string is YAML too: %v", err)
	}
	if _, err := o.Get("data").Embedded(); err == nil {
		t.Error("a mapping embedded")
	}
}

func TestSelects(t *testing.T) {
	o := parseObject(t, `apiVersion: v1
kind: X
metadata: {name: a}
sel: {matchLabels: {app: web}}
`)
	labels := LabelsOf(map[string]string{"app": "web", "tier": "front"})
	if !Selects(o.Get("sel"), labels) {
		t.Error("matchLabels")
	}
	objs := parseObjects(t, `apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: X, metadata: {name: b}, sel: {matchExpressions: [{key: tier, operator: In, values: [front, back]}, {key: canary, operator: DoesNotExist}]}}
- {apiVersion: v1, kind: X, metadata: {name: c}, sel: {}}
- {apiVersion: v1, kind: X, metadata: {name: d}}
`)
	want := []bool{true, true, false}
	for i, o := range objs {
		if got := Selects(o.Get("sel"), labels); got != want[i] {
			t.Errorf("%s: Selects = %v, want %v", o.Name(), got, want[i])
		}
	}
}

func TestCloudFormationObjects(t *testing.T) {
	objs := parseObjects(t, `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Role:
    Type: AWS::IAM::Role
  Cluster:
    Type: AWS::EKS::Cluster
    Properties:
      RoleArn: !GetAtt Role.Arn
      Version: !Ref K8sVersion
      Logging: {"Fn::If": [Prod, {ClusterLogging: {}}, !Ref AWS::NoValue]}
`)
	if len(objs) != 2 {
		t.Fatalf("got %d objects", len(objs))
	}
	c := objs[1]
	if c.Kind() != "AWS::EKS::Cluster" || c.Name() != "Cluster" || c.Format != CloudFormation {
		t.Errorf("cluster: %+v", c.ID)
	}
	if got := c.Place().Pos; got.Line != 5 || got.Column != 3 {
		t.Errorf("resource placed at %+v, want its logical id", got)
	}
	if role := c.Template().Resource(c.Properties().Get("RoleArn").RefTarget()); role == nil || role.Kind() != "AWS::IAM::Role" {
		t.Error("GetAtt not resolved")
	}
	for _, f := range []string{"Version", "Logging", "RoleArn"} {
		if !c.Properties().Get(f).IsIntrinsic() {
			t.Errorf("%s not intrinsic", f)
		}
	}
	if got := c.Properties().Get("Missing").Place().Pos; got.Line != 7 {
		t.Errorf("missing property placed at line %d, want the Properties key", got.Line)
	}
}

// TestCloudFormationForEach: the resources of an Fn::ForEach loop (AWS::LanguageExtensions), nested
// or not, are objects of their own, named as written; a loop of the wrong shape is a problem.
func TestCloudFormationForEach(t *testing.T) {
	src := `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Topics:
    - Name
    - [A, B]
    - Topic${Name}:
        Type: AWS::SNS::Topic
      Fn::ForEach::Queues:
        - Q
        - [x]
        - Queue${Name}${Q}:
            Type: AWS::SQS::Queue
  Fn::ForEach::Broken: [Name]
  Role:
    Type: AWS::IAM::Role
`
	var root yaml.Node
	if err := yaml.Unmarshal([]byte(src), &root); err != nil {
		t.Fatal(err)
	}
	objs, problems, _ := NewObjectReader().Objects(&Document{Text: NewText("t.yaml", []byte(src)), Root: root.Content[0]})
	var got []string
	for _, o := range objs {
		got = append(got, fmt.Sprintf("%s %s %d:%d", o.Kind(), o.Name(), o.Place().Pos.Line, o.Place().Pos.Column))
	}
	want := []string{"AWS::SNS::Topic Topic${Name} 7:7", "AWS::SQS::Queue Queue${Name}${Q} 12:11", "AWS::IAM::Role Role 15:3"}
	if !slices.Equal(got, want) {
		t.Errorf("objects %q, want %q", got, want)
	}
	if len(problems) != 1 || problems[0].Pos.Line != 14 || !strings.Contains(problems[0].Message, "Fn::ForEach") {
		t.Errorf("problems %v, want one at line 14 about Fn::ForEach", problems)
	}
}

func span(p Pos) string {
	return fmt.Sprintf("%s:%d:%d-%d:%d", p.File, p.Line, p.Column, p.EndLine, p.EndColumn)
}

func TestBoolYAML11(t *testing.T) {
	o := parseObject(t, "apiVersion: v1\nkind: X\nmetadata: {name: x}\na: yes\nb: Off\nc: \"yes\"\nd: true\ne: maybe\nf: 1\n")
	for key, want := range map[string][2]bool{"a": {true, true}, "b": {false, true}, "c": {false, false}, "d": {true, true}, "e": {false, false}, "f": {false, false}} {
		if v, ok := o.Get(key).Bool(); v != want[0] || ok != want[1] {
			t.Errorf("%s: Bool() = %v, %v; want %v, %v", key, v, ok, want[0], want[1])
		}
	}
}

// TestLongLineColumns: columns on a long line, counted from the marks made once for it, are the
// characters before the offset, as on a short line; offsets of columns are their inverse.
func TestLongLineColumns(t *testing.T) {
	line := strings.Repeat("aé漢 ", 3000)
	text := NewText("x", []byte("short\n"+line+"\n"))
	for _, off := range []int{0, 1, 3, 1030, 4095, len(line) / 2, len(line) - 1, len(line)} { // each at a character
		col := text.Column(2, off)
		if want := utf8.RuneCountInString(line[:off]) + 1; col != want {
			t.Errorf("Column(2, %d) = %d, want %d", off, col, want)
		}
		if back := text.ByteOffset(2, col); back != off {
			t.Errorf("ByteOffset(2, %d) = %d, want %d", col, back, off)
		}
	}
	if w, want := text.LineWidth(2), utf8.RuneCountInString(line); w != want {
		t.Errorf("LineWidth = %d, want %d", w, want)
	}
}
