package linter_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/ekslint/ekslint/lint/linter"
	"github.com/ekslint/ekslint/rules"
)

// The speed target of the core: linting a realistic set of manifests takes at most 1.5x the time
// of only decoding the same bytes into yaml.v3 Nodes, with both cores busy. Compare
//
//	go test -run '^$' -bench 'Decode|Lint' -benchtime 5x ./lint/linter
//
// BenchmarkDecodeOnly and BenchmarkLint work on the same generated files (docs/performance.md).

// benchApp is one application's manifests as teams write them: a Deployment with probes,
// resources and env, its Service, ConfigMap, HPA, PDB, ServiceAccount, Role and binding, and a
// NetworkPolicy.
const benchApp = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-%[1]d
  namespace: team-%[2]d
  labels: {app: app-%[1]d, team: team-%[2]d, app.kubernetes.io/part-of: shop}
  annotations:
    deployment.kubernetes.io/revision: "%[3]d"
spec:
  replicas: %[4]d
  selector:
    matchLabels: {app: app-%[1]d}
  strategy:
    rollingUpdate: {maxSurge: 25%%, maxUnavailable: 0}
  template:
    metadata:
      labels: {app: app-%[1]d, team: team-%[2]d}
    spec:
      serviceAccountName: app-%[1]d
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: kubernetes.io/hostname
        whenUnsatisfiable: ScheduleAnyway
        labelSelector: {matchLabels: {app: app-%[1]d}}
      containers:
      - name: app
        image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/app-%[1]d:1.%[3]d.0
        ports:
        - {name: http, containerPort: 8080}
        env:
        - {name: LOG_LEVEL, value: info}
        - name: DB_PASSWORD
          valueFrom: {secretKeyRef: {name: app-%[1]d-db, key: password}}
        - {name: FEATURE_FLAGS, value: "search,checkout,recommendations"}
        readinessProbe:
          httpGet: {path: /ready, port: http}
          periodSeconds: 5
        livenessProbe:
          httpGet: {path: /healthz, port: http}
          initialDelaySeconds: 10
        resources:
          requests: {cpu: 250m, memory: 256Mi}
          limits: {memory: 512Mi}
        securityContext:
          runAsNonRoot: true
          readOnlyRootFilesystem: true
          allowPrivilegeEscalation: false
          capabilities: {drop: [ALL]}
      - name: proxy
        image: envoyproxy/envoy:v1.31.%[3]d
        args: ["--config-path", "/etc/envoy/envoy.yaml", "--log-level", "warn"]
        resources:
          requests: {cpu: 50m, memory: 64Mi}
---
apiVersion: v1
kind: Service
metadata:
  name: app-%[1]d
  namespace: team-%[2]d
spec:
  selector: {app: app-%[1]d}
  ports:
  - {name: http, port: 80, targetPort: http}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-%[1]d-config
  namespace: team-%[2]d
data:
  envoy.yaml: |
    static_resources:
      listeners:
      - name: listener_0
        address: {socket_address: {address: 0.0.0.0, port_value: 10000}}
  settings.json: '{"cacheSeconds": 30, "region": "eu-west-1"}'
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: app-%[1]d
  namespace: team-%[2]d
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: app-%[1]d}
  minReplicas: 2
  maxReplicas: 10
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: app-%[1]d
  namespace: team-%[2]d
spec:
  minAvailable: 1
  selector:
    matchLabels: {app: app-%[1]d}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: app-%[1]d
  namespace: team-%[2]d
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/app-%[1]d
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: app-%[1]d
  namespace: team-%[2]d
rules:
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: app-%[1]d
  namespace: team-%[2]d
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: app-%[1]d}
subjects:
- {kind: ServiceAccount, name: app-%[1]d, namespace: team-%[2]d}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: app-%[1]d
  namespace: team-%[2]d
spec:
  podSelector: {matchLabels: {app: app-%[1]d}}
  policyTypes: [Ingress]
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress}}
`

var benchSet struct {
	once  sync.Once
	dir   string
	bytes int64
	files []string
}

// benchApps is how many applications the benchmark set has: 8,000 files, 72,000 objects, 29 MB.
const benchApps = 8000

// benchFiles writes the benchmark set: one file per application, in a folder per team,
// once per test binary.
func benchFiles(b *testing.B) (dir string, size int64, files []string) {
	benchSet.once.Do(func() {
		dir, err := os.MkdirTemp("", "ekslint-bench-")
		if err != nil {
			b.Fatal(err)
		}
		for i := range benchApps {
			src := fmt.Sprintf(benchApp, i, i%60, i%10, 2+i%3)
			path := filepath.Join(dir, fmt.Sprintf("team-%d", i%60), fmt.Sprintf("app-%d.yaml", i))
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
				b.Fatal(err)
			}
			benchSet.files = append(benchSet.files, path)
			benchSet.bytes += int64(len(src))
		}
		benchSet.dir = dir
	})
	return benchSet.dir, benchSet.bytes, benchSet.files
}

// BenchmarkDecodeOnly is the floor: read every file and decode it into yaml.v3 Nodes, one file
// per worker per CPU, doing nothing else.
func BenchmarkDecodeOnly(b *testing.B) {
	_, size, files := benchFiles(b)
	b.SetBytes(size)
	for b.Loop() {
		jobs := make(chan string)
		var wg sync.WaitGroup
		for range runtime.NumCPU() {
			wg.Go(func() {
				for path := range jobs {
					data, err := os.ReadFile(path)
					if err != nil {
						b.Error(err)
						return
					}
					dec := yaml.NewDecoder(bytes.NewReader(data))
					for {
						var n yaml.Node
						if err := dec.Decode(&n); errors.Is(err, io.EOF) {
							break
						} else if err != nil {
							b.Error(err)
							break
						}
					}
				}
			})
		}
		for _, f := range files {
			jobs <- f
		}
		close(jobs)
		wg.Wait()
	}
}

// BenchmarkLint is the whole run over the same files, as `ekslint lint` does it: discovery,
// loading with all checks, every rule that is on by default, sorting, filtering.
func BenchmarkLint(b *testing.B) {
	dir, size, _ := benchFiles(b)
	b.SetBytes(size)
	for b.Loop() {
		res, err := linter.Lint(context.Background(), linter.Request{Paths: []string{dir}, Root: dir, WorkDir: dir, Rules: rules.All()})
		if err != nil {
			b.Fatal(err)
		}
		if res.Objects != 9*benchApps {
			b.Fatalf("linted %d objects, want %d", res.Objects, 9*benchApps)
		}
	}
}
