package rules

import (
	"strings"

	"github.com/ekslint/ekslint/lint"
)

// Controllers label the pods they make with labels no pod template carries: a StatefulSet's pods
// get their own name and ordinal, a Job's pods the Job's name and uid, a Deployment's the hash of
// its template. Selectors use them (a Service per StatefulSet pod, the headless Service of an
// Indexed Job), so the rules that match selectors with pod templates read them too: a selector pair
// on one of these keys counts as carried when the workload's controller sets the key and the value
// is one it could set.

// controllerLabels is said in the docs of the rules that match selectors with pod templates.
const controllerLabels = " Selectors may name the labels controllers add to the pods they make, which no pod template " +
	"carries: a pair on one counts as carried by the pods of a workload whose controller sets it to such a value " +
	"(StatefulSet: `statefulset.kubernetes.io/pod-name` `<name>-<ordinal>`, `apps.kubernetes.io/pod-index`, " +
	"`controller-revision-hash`; Job: `job-name` and `batch.kubernetes.io/job-name` equal to its name, or " +
	"`<cronjob>-<suffix>` for a CronJob's Jobs, `controller-uid`, `batch.kubernetes.io/controller-uid`, and " +
	"`batch.kubernetes.io/job-completion-index` for Indexed Jobs; Deployment: `pod-template-hash`; DaemonSet: " +
	"`controller-revision-hash`, `pod-template-generation`). Hashes and uids may be any value, ordinals and indexes " +
	"are digits."

// controllerLabelKeys are the labels the built-in controllers add to their pods.
var controllerLabelKeys = map[string]bool{
	"statefulset.kubernetes.io/pod-name": true, "apps.kubernetes.io/pod-index": true, "controller-revision-hash": true,
	"pod-template-hash": true, "pod-template-generation": true,
	"job-name": true, "batch.kubernetes.io/job-name": true, "controller-uid": true, "batch.kubernetes.io/controller-uid": true,
	"batch.kubernetes.io/job-completion-index": true,
}

// podController is what a workload's controller gives its pods' labels: its kind and the
// workload's name. Set rules keep one in the item of every workload of a run, so it is kept small.
type podController struct {
	name    string
	kind    controllerKind
	indexed bool // a Job (or a CronJob's Jobs) with completionMode: Indexed
}

// controllerKind is a built-in controller that labels its pods; noController for a workload whose
// controller adds none of these labels.
type controllerKind uint8

const (
	noController controllerKind = iota
	deploymentController
	statefulSetController
	daemonSetController
	jobController
	cronJobController
)

var controllerKinds = map[string]controllerKind{"Deployment": deploymentController, "StatefulSet": statefulSetController,
	"DaemonSet": daemonSetController, "Job": jobController, "CronJob": cronJobController}

// podControllerOf returns the controller of a workload's pods. Only kinds named as the built-in
// kind they follow count (OpenKruise's Advanced StatefulSet and DaemonSet keep their labels): an
// Argo Rollout labels its pods rollouts-pod-template-hash, not pod-template-hash.
func podControllerOf(o *lint.Object) podController {
	kind := o.WorkloadKind()
	if kind != o.Kind() {
		return podController{}
	}
	c := podController{kind: controllerKinds[kind], name: o.Name()}
	switch c.kind {
	case jobController:
		c.indexed = o.Get("spec", "completionMode").Str() == "Indexed"
	case cronJobController:
		c.indexed = o.Get("spec", "jobTemplate", "spec", "completionMode").Str() == "Indexed"
	}
	return c
}

// sets reports whether the controller gives its pods the label key=value.
func (c podController) sets(key, value string) bool {
	jobs := c.kind == jobController || c.kind == cronJobController
	switch {
	case c.kind == deploymentController && key == "pod-template-hash",
		(c.kind == statefulSetController || c.kind == daemonSetController) && key == "controller-revision-hash",
		jobs && (key == "controller-uid" || key == "batch.kubernetes.io/controller-uid"):
		return value != ""
	case c.kind == statefulSetController && key == "statefulset.kubernetes.io/pod-name":
		ordinal, ok := strings.CutPrefix(value, c.name+"-")
		return ok && digits(ordinal)
	case c.kind == statefulSetController && key == "apps.kubernetes.io/pod-index",
		c.kind == daemonSetController && key == "pod-template-generation":
		return digits(value)
	case c.kind == jobController && (key == "job-name" || key == "batch.kubernetes.io/job-name"):
		return value == c.name
	case c.kind == cronJobController && (key == "job-name" || key == "batch.kubernetes.io/job-name"):
		// The CronJob names each Job it starts <cronjob>-<scheduled time>; a Job made by hand
		// from it (kubectl create job --from) has any name after the prefix.
		suffix, ok := strings.CutPrefix(value, c.name+"-")
		return ok && suffix != ""
	case jobs && key == "batch.kubernetes.io/job-completion-index":
		return c.indexed && digits(value)
	}
	return false
}

// digits reports whether s is a non-empty run of decimal digits (an ordinal, an index).
func digits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// podLabelsFor are the labels of a workload's pods as sel sees them: the template's labels, plus
// each matchLabels pair of sel on a controller key that the controller sets. The template's
// labels are returned as they are when sel names no such pair, which is nearly always.
func podLabelsFor(sel lint.LabelSelector, template lint.Labels, c podController) lint.Labels {
	var added map[string]string
	for k, v := range sel.MatchLabels().All() {
		if controllerLabelKeys[k] && c.sets(k, v) {
			if added == nil {
				added = map[string]string{}
			}
			added[k] = v
		}
	}
	if added == nil {
		return template
	}
	all := map[string]string{}
	for k, v := range template.All() {
		all[k] = v
	}
	for k, v := range added {
		all[k] = v // the controller's value replaces one a template sets
	}
	return lint.LabelsOf(all)
}

// selectsPods reports whether sel selects the pods of a workload with the template labels given
// and the controller c.
func selectsPods(sel lint.LabelSelector, template lint.Labels, c podController) bool {
	return sel.Matches(podLabelsFor(sel, template, c))
}

// templatePairs are the matchLabels pairs of sel that pod templates themselves must carry (those
// on controller keys may come from the controller): what indexes of pod templates look sel up by.
func templatePairs(sel lint.LabelSelector) lint.Labels {
	required := sel.MatchLabels()
	for k := range required.All() {
		if controllerLabelKeys[k] {
			kept := map[string]string{}
			for k, v := range required.All() {
				if !controllerLabelKeys[k] {
					kept[k] = v
				}
			}
			return lint.LabelsOf(kept)
		}
	}
	return required
}
