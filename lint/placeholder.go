package lint

import (
	"regexp"
	"strings"
)

// Manifests that go through a templating step before they are applied (envsubst, Flux post-build
// substitution, Kustomize vars, a CI pipeline's token replacement, an unrendered Go or Jinja
// template) carry the step's variable references in plain YAML: `${CARTS_IAM_ROLE}`, `$IMAGE`,
// `{{ .Values.image }}`. Such a reference is a placeholder: it stands for a value known only once
// the step has run, as a CloudFormation intrinsic does. A rule that judges a value says nothing
// about a placeholder, and about a value that holds one only as far as its literal parts tell.
//
// Placeholders are the variable references of those steps, and nothing else:
//
//   - `${NAME}`, with any shell modifier (`${NAME:-default}`): envsubst, shells, Flux, Docker Compose;
//   - `$NAME`: envsubst and shells;
//   - `$(NAME)`: Kustomize vars, Kubernetes' own dependent variables, Azure Pipelines macros;
//   - `{{ ... }}` and `${{ ... }}`: Helm and Go templates, Jinja and Ansible, mustache, Argo
//     Workflows, GitHub Actions and Azure Pipelines expressions;
//   - `%NAME%`, `#{NAME}#` (or `#{NAME}`), and `__NAME__`, `--NAME--` and `@NAME@` with a name in
//     capitals: token replacement steps of CI systems and deployment tools (Azure Pipelines'
//     replace-tokens task, Octopus Deploy, a `sed` over `%K8S_VERSION%` or `--EKS_VERSION--`,
//     autoconf's `@NAME@`), and Windows' variables;
//   - `ko://` and a Go import path, as a whole value: ko (`ko resolve`, `ko apply`) builds the
//     program and writes its image reference, by digest, in its place. ko replaces only a whole
//     value, so `ko://` inside a longer one is not a placeholder.
//
// Values written for a person to replace by hand (`ACCOUNT_ID`, `<account-id>`, `xxxxxxxxxxxx`)
// are not placeholders: nothing replaces them, so rules still report them.
var placeholder = regexp.MustCompile(`^\s*ko://\S+\s*$|\$\{\{.*?\}\}|\{\{.*?\}\}|\$\{[A-Za-z_][^{}]*\}|\$\([A-Za-z_][A-Za-z0-9_.]*\)|\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%|#\{[A-Za-z_][^{}]*\}#?|__[A-Z][A-Z0-9_]*__|--[A-Z][A-Z0-9_]*--|@[A-Z][A-Z0-9_]*@`)

// IsPlaceholder reports whether s, spaces around it aside, is one placeholder and nothing else: a
// value only known once a templating step has run.
func IsPlaceholder(s string) bool {
	s = strings.TrimSpace(s)
	loc := placeholder.FindStringIndex(s)
	return loc != nil && loc[0] == 0 && loc[1] == len(s)
}

// HasPlaceholder reports whether s holds a placeholder anywhere, so that part of it is only known
// once a templating step has run.
func HasPlaceholder(s string) bool { return placeholder.MatchString(s) }

// FillPlaceholders replaces each placeholder in s with text, so that a parser can read the literal
// parts around them: what a step fills in is unknown, the rest is as written.
func FillPlaceholders(s, text string) string { return placeholder.ReplaceAllLiteralString(s, text) }
