package engine

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint"
)

func TestDedupeNamesEveryObjectAtOnePlace(t *testing.T) {
	rule := &lint.Rule{ID: "k8s-pdb-missing"}
	at := lint.Pos{File: "overlay/scale.yaml", Line: 6, Column: 3}
	finding := func(name, variant string) Finding {
		ref := &lint.ObjectRef{ObjectID: lint.ObjectID{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop", Name: name}, Variant: variant}
		f := Finding{Rule: rule, Message: "replicas: 4 but no PodDisruptionBudget", Place: lint.Place{Pos: at, Object: ref}}
		if variant != "" {
			f.Variants = []string{variant}
		}
		return f
	}
	for _, c := range []struct {
		name     string
		findings []Finding
		object   string
		message  string
		variants []string
	}{{
		name:     "one patch line, several objects",
		findings: []Finding{finding("checkout", "prod"), finding("cart", "prod"), finding("cart", "prod")},
		object:   "Deployment shop/cart",
		message:  `replicas: 4 but no PodDisruptionBudget (the same holds for Deployment "checkout": this line applies to them too)`,
		variants: []string{"prod"},
	}, {
		name:     "one object built by several overlays",
		findings: []Finding{finding("prod-cart", "prod"), finding("staging-cart", "staging")},
		object:   "Deployment shop/prod-cart",
		message:  "replicas: 4 but no PodDisruptionBudget",
		variants: []string{"prod", "staging"},
	}, {
		// An overlay that puts the object in a namespace of its own says it otherwise: the message
		// kept says for which.
		name: "said otherwise by another overlay",
		findings: func() []Finding {
			shop, qa := finding("cart", "prod"), finding("cart", "qa")
			qa.Object.Namespace = "qa"
			shop.Message, qa.Message = "namespace shop has no NetworkPolicy", "namespace qa has no NetworkPolicy"
			return []Finding{shop, qa}
		}(),
		object:   "Deployment qa/cart",
		message:  "namespace qa has no NetworkPolicy (in qa)",
		variants: []string{"prod", "qa"},
	}, {
		// Each object with a generateName is created anew, so two that share one are two objects.
		name:     "two objects the API server names",
		findings: []Finding{finding("upgrade-*", ""), finding("upgrade-*", "")},
		object:   "Deployment shop/upgrade-*",
		message:  `replicas: 4 but no PodDisruptionBudget (the same holds for Deployment "upgrade-*": this line applies to them too)`,
	}, {
		name: "many objects",
		findings: func() []Finding {
			var fs []Finding
			for i := range 7 {
				fs = append(fs, finding(fmt.Sprintf("worker-%d", i), ""))
			}
			return fs
		}(),
		object: "Deployment shop/worker-0",
		message: `replicas: 4 but no PodDisruptionBudget (the same holds for Deployment "worker-1", Deployment "worker-2", ` +
			`Deployment "worker-3", Deployment "worker-4" and 2 more objects: this line applies to them too)`,
	}} {
		t.Run(c.name, func(t *testing.T) {
			got := Dedupe(c.findings)
			if len(got) != 1 {
				t.Fatalf("%d findings, want 1", len(got))
			}
			f := got[0]
			if f.Object.String() != c.object || f.Message != c.message || strings.Join(f.Variants, ",") != strings.Join(c.variants, ",") {
				t.Errorf("got %s %q %v, want %s %q %v", f.Object, f.Message, f.Variants, c.object, c.message, c.variants)
			}
			// Already one finding per place: another pass changes nothing (the filter dedupes again).
			if again := Dedupe(got); again[0].Message != f.Message {
				t.Errorf("a second pass changed the message to %q", again[0].Message)
			}
		})
	}
}

// TestDedupeKeepsLevels: overlays that give the same finding at one base line at different levels
// (one namespace allows privileged pods, where it is a note) keep a finding per level, so that no
// overlay is said to have an error it has not.
func TestDedupeKeepsLevels(t *testing.T) {
	rule := &lint.Rule{ID: "k8s-privileged-container"}
	at := lint.Pos{File: "base/deploy.yaml", Line: 13, Column: 27}
	finding := func(variant string, level lint.Level) Finding {
		ref := &lint.ObjectRef{ObjectID: lint.ObjectID{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop", Name: "web"}, Variant: variant}
		return Finding{Rule: rule, Message: "privileged", Place: lint.Place{Pos: at, Object: ref}, Variants: []string{variant}, Level: level}
	}
	got := Dedupe([]Finding{finding("dev", lint.Note), finding("prod", lint.Error), finding("staging", lint.Error)})
	var summary []string
	for _, f := range got {
		summary = append(summary, fmt.Sprintf("%v %v", f.Level, f.Variants))
	}
	if want := []string{"error [prod staging]", "note [dev]"}; !slices.Equal(summary, want) {
		t.Errorf("findings %q, want %q", summary, want)
	}
}

// TestDedupeIsOrderFree: one file built by two inputs (a chart linted alone and as another chart's
// dependency) gives a finding each at one place, related to the values each read; the one kept is
// the same whichever checker finished first.
func TestDedupeIsOrderFree(t *testing.T) {
	rule := &lint.Rule{ID: "k8s-memory-limit-missing"}
	at := lint.Pos{File: "zookeeper/templates/statefulset.yaml", Line: 189, Column: 11}
	finding := func(values string) Finding {
		ref := &lint.ObjectRef{ObjectID: lint.ObjectID{APIVersion: "apps/v1", Kind: "StatefulSet", Name: "zk"}}
		return Finding{Rule: rule, Message: "no memory limit", Place: lint.Place{Pos: at, Object: ref,
			Related: []lint.Location{{Pos: lint.Pos{File: values, Line: 3}, Message: "set by resources.limits"}}}}
	}
	for _, fs := range [][]Finding{{finding("zookeeper/values.yaml"), finding("clickhouse/values.yaml")},
		{finding("clickhouse/values.yaml"), finding("zookeeper/values.yaml")}} {
		if got := Dedupe(fs); len(got) != 1 || got[0].Related[0].Pos.File != "clickhouse/values.yaml" {
			t.Errorf("kept %v", got)
		}
	}
}
