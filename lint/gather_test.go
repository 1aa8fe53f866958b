package lint_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/ekslint/ekslint/lint"
)

// TestMergeByNamespace: a deployment's check reads its own items and, of the shared deployment's,
// those of its namespaces and of the namespaces of items read everywhere, and those AlsoElsewhere
// names; all of them when one of its own items is read everywhere, and all of them without
// ByNamespace. The shared deployment's own check reads all of its items.
func TestMergeByNamespace(t *testing.T) {
	const shared, dev, prod, ops, batch = 0, 1, 2, 3, 4
	// An item is "namespace/name"; a name starting with "*" is read everywhere.
	var next string
	collect := func(*lint.Pass) (string, bool) { return next, true }
	byNamespace := lint.Collect(collect).ByNamespace(func(it string) (string, bool) {
		ns, name, _ := strings.Cut(it, "/")
		return ns, strings.HasPrefix(name, "*")
	}).Gather(func([]string, *lint.SetPass) {})
	// AlsoElsewhere: beside a deployment's own items, the shared items of other namespaces named
	// like one of them.
	elsewhere := lint.Collect(collect).ByNamespace(func(it string) (string, bool) {
		ns, _, _ := strings.Cut(it, "/")
		return ns, false
	}).AlsoElsewhere(func(own []string) func(string) bool {
		return func(it string) bool {
			_, name, _ := strings.Cut(it, "/")
			return slices.ContainsFunc(own, func(o string) bool { return strings.HasSuffix(o, "/"+name) })
		}
	}).Gather(func([]string, *lint.SetPass) {})
	plain := lint.Gather(collect, func([]string, *lint.SetPass) {})
	items := []struct {
		deployment int
		item       string
	}{
		{shared, "shop/policy"}, {shared, "batch/job"}, {shared, "kube-system/*labels"}, {shared, "web/svc"},
		{dev, "shop/api"}, {prod, "other/api"}, {ops, "web/*global"}, {batch, "shop/job"},
	}
	for _, c := range []struct {
		check lint.SetCheck
		d     int
		want  []string
	}{
		{byNamespace, dev, []string{"shop/policy", "kube-system/*labels", "shop/api"}},
		{byNamespace, prod, []string{"kube-system/*labels", "other/api"}},
		{byNamespace, ops, []string{"shop/policy", "batch/job", "kube-system/*labels", "web/svc", "web/*global"}},
		{byNamespace, shared, []string{"shop/policy", "batch/job", "kube-system/*labels", "web/svc"}},
		{plain, prod, []string{"shop/policy", "batch/job", "kube-system/*labels", "web/svc", "other/api"}},
		{elsewhere, dev, []string{"shop/policy", "shop/api"}},
		{elsewhere, ops, []string{"web/svc", "web/*global"}},
		{elsewhere, batch, []string{"shop/policy", "batch/job", "shop/job"}},
	} {
		// Two checkers' buckets, the items dealt to them in turn.
		buckets := []lint.Bucket{c.check.NewBucket(), c.check.NewBucket()}
		for i, it := range items {
			next = it.item
			buckets[i%2].Collect(&lint.Pass{}, lint.ItemOrder{Deployment: it.deployment, Input: i})
		}
		if got := c.check.Merge(buckets, c.d, shared).([]string); !slices.Equal(got, c.want) {
			t.Errorf("deployment %d: merged %v, want %v", c.d, got, c.want)
		}
	}
}
