// Package lint is what a rule sees: objects (Kubernetes objects, eksctl configs, CloudFormation
// resources) and their fields with the positions a person edits, the Rule value a check is
// written as, the Pass and SetPass it reports through, and the EKS version data it reads. It is
// the only package of ekslint that package rules imports; the loaders, the engine and the
// reports build on it and rules never see them.
package lint
