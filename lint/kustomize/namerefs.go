package kustomize

import (
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// Kustomize follows every name reference of every object after a build, even when nothing was
// renamed (its nameReference transformer), and refuses an object in which a field on the way to a
// reference is a scalar, or a reference written as a mapping (a subject) has no name. An overlay
// taken as written must not hold such an object: referencesKept checks the fields kustomize
// follows. (It also refuses a subject that could name objects in two namespaces; asWritten sends
// overlays with two objects of one kind and name to kustomize.)

// nameReferencePaths are the paths of the fields that hold names kustomize's nameReference
// configuration follows, for any kind (kustomize's own configuration, in
// sigs.k8s.io/kustomize/api's internal/konfig/builtinpluginconsts/namereference.go, says which
// kinds each path is followed in; following each in every kind only sends more overlays to
// kustomize). TestNameReferencePaths holds the list to kustomize's.
const nameReferencePaths = `
imagePullSecrets/name
metadata/annotations/ingress.kubernetes.io\/auth-secret
metadata/annotations/nginx.ingress.kubernetes.io\/auth-secret
metadata/annotations/nginx.ingress.kubernetes.io\/auth-tls-secret
metadata/annotations/nginx.ingress.kubernetes.io\/fastcgi-params-configmap
parameters/adminSecretName
parameters/secretName
parameters/secretRef
parameters/userSecretName
roleRef/name
rules/resourceNames
spec/azureFile/secretName
spec/backend/serviceName
spec/configSource/configMap
spec/containers/env/valueFrom/configMapKeyRef/name
spec/containers/env/valueFrom/secretKeyRef/name
spec/containers/envFrom/configMapRef/name
spec/containers/envFrom/secretRef/name
spec/defaultBackend/service/name
spec/imagePullSecrets/name
spec/ingressClassName
spec/initContainers/env/valueFrom/configMapKeyRef/name
spec/initContainers/env/valueFrom/secretKeyRef/name
spec/initContainers/envFrom/configMapRef/name
spec/initContainers/envFrom/secretRef/name
spec/jobTemplate/spec/template/spec/containers/env/valueFrom/configMapKeyRef/name
spec/jobTemplate/spec/template/spec/containers/env/valueFrom/secretKeyRef/name
spec/jobTemplate/spec/template/spec/containers/envFrom/configMapRef/name
spec/jobTemplate/spec/template/spec/containers/envFrom/secretRef/name
spec/jobTemplate/spec/template/spec/imagePullSecrets/name
spec/jobTemplate/spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name
spec/jobTemplate/spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name
spec/jobTemplate/spec/template/spec/initContainers/envFrom/configMapRef/name
spec/jobTemplate/spec/template/spec/initContainers/envFrom/secretRef/name
spec/jobTemplate/spec/template/spec/priorityClassName
spec/jobTemplate/spec/template/spec/serviceAccountName
spec/jobTemplate/spec/template/spec/volumes/configMap/name
spec/jobTemplate/spec/template/spec/volumes/persistentVolumeClaim/claimName
spec/jobTemplate/spec/template/spec/volumes/projected/sources/configMap/name
spec/jobTemplate/spec/template/spec/volumes/projected/sources/secret/name
spec/jobTemplate/spec/template/spec/volumes/secret/secretName
spec/policyName
spec/priorityClassName
spec/rules/http/paths/backend/service/name
spec/rules/http/paths/backend/serviceName
spec/scaleTargetRef/name
spec/service/name
spec/serviceAccountName
spec/serviceName
spec/storageClassName
spec/template/spec/containers/env/valueFrom/configMapKeyRef/name
spec/template/spec/containers/env/valueFrom/secretKeyRef/name
spec/template/spec/containers/envFrom/configMapRef/name
spec/template/spec/containers/envFrom/secretRef/name
spec/template/spec/imagePullSecrets/name
spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name
spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name
spec/template/spec/initContainers/envFrom/configMapRef/name
spec/template/spec/initContainers/envFrom/secretRef/name
spec/template/spec/priorityClassName
spec/template/spec/serviceAccountName
spec/template/spec/volumes/configMap/name
spec/template/spec/volumes/persistentVolumeClaim/claimName
spec/template/spec/volumes/projected/sources/configMap/name
spec/template/spec/volumes/projected/sources/secret/name
spec/template/spec/volumes/secret/secretName
spec/tls/secretName
spec/volumeClaimTemplates/spec/storageClassName
spec/volumeName
spec/volumes/configMap/name
spec/volumes/persistentVolumeClaim/claimName
spec/volumes/projected/sources/configMap/name
spec/volumes/projected/sources/secret/name
spec/volumes/secret/secretName
subjects
template/spec/containers/env/valueFrom/configMapKeyRef/name
template/spec/containers/env/valueFrom/secretKeyRef/name
template/spec/containers/envFrom/configMapRef/name
template/spec/containers/envFrom/secretRef/name
template/spec/imagePullSecrets/name
template/spec/initContainers/env/valueFrom/configMapKeyRef/name
template/spec/initContainers/env/valueFrom/secretKeyRef/name
template/spec/initContainers/envFrom/configMapRef/name
template/spec/initContainers/envFrom/secretRef/name
template/spec/volumes/configMap/name
template/spec/volumes/projected/sources/configMap/name
template/spec/volumes/projected/sources/secret/name
template/spec/volumes/secret/secretName
webhooks/clientConfig/service
`

// referenceTrie is a node of nameReferencePaths as a trie of field names.
type referenceTrie struct {
	fields map[string]*referenceTrie
	name   bool // a path ends here: the field holds a name, or names
}

// references is nameReferencePaths as a trie, made when an overlay is first taken as written.
var references = sync.OnceValue(func() *referenceTrie {
	root := &referenceTrie{}
	for _, p := range strings.Fields(nameReferencePaths) {
		t := root
		for _, f := range splitPath(p) {
			if t.fields == nil {
				t.fields = map[string]*referenceTrie{}
			}
			if t.fields[f] == nil {
				t.fields[f] = &referenceTrie{}
			}
			t = t.fields[f]
		}
		t.name = true
	}
	return root
})

// splitPath splits a kustomize field path at its slashes, but not at those escaped (`\/`).
func splitPath(p string) []string {
	var out []string
	for _, f := range strings.Split(p, "/") {
		if n := len(out); n > 0 && strings.HasSuffix(out[n-1], `\`) {
			out[n-1] = strings.TrimSuffix(out[n-1], `\`) + "/" + f
			continue
		}
		out = append(out, f)
	}
	return out
}

// referencesKept reports whether kustomize follows the name references of obj without refusing
// it.
func referencesKept(obj *yaml.Node) bool {
	return references().kept(obj)
}

func (t *referenceTrie) kept(n *yaml.Node) bool {
	if isNullNode(n) {
		return true
	}
	if t.name && !nameKept(n) {
		return false
	}
	if t.fields == nil {
		return true
	}
	switch n.Kind {
	case yaml.SequenceNode:
		for _, it := range n.Content {
			if !t.kept(it) {
				return false
			}
		}
	case yaml.MappingNode:
		for f, next := range t.fields {
			if v := rawValue(n, f); v != nil && !next.kept(v) {
				return false
			}
		}
	default:
		return false // a scalar where kustomize looks for fields
	}
	return true
}

// nameKept reports whether kustomize takes n as a name reference: a name, a list of names, or a
// mapping with a name (a subject).
func nameKept(n *yaml.Node) bool {
	switch n.Kind {
	case yaml.ScalarNode:
		return true
	case yaml.MappingNode:
		return rawValue(n, "name") != nil
	case yaml.SequenceNode:
		for _, it := range n.Content {
			if it.Kind == yaml.SequenceNode || !nameKept(it) {
				return false
			}
		}
		return true
	}
	return false
}
