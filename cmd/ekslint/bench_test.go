//go:build unix

package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkCLI times `ekslint lint` as a user waits for it, in-process: flags, the plan,
// discovery, reading, rendering and building, the rules, the filter and the text report (written
// to /dev/null), on the corpus beside the repository:
//
//   - charts: the 17 charts of corpus/helm in one command;
//   - kube-prometheus-stack: the largest chart alone;
//   - raw: corpus/raw (396 files, with the charts and overlays among kube-linter's fixtures).
//
// Start-up (the binary's package initialisation) and the collector's setting are not in it:
// docs/performance.md times the whole process, side by side with kube-linter and helm template.
// Besides time per run it reports CPU time per run (cpu-ms/op), which on a machine shared with
// other work varies much less than wall time.
//
//	go test ./cmd/ekslint -run '^$' -bench CLI -count 5
func BenchmarkCLI(b *testing.B) {
	if _, err := os.Stat(corpus); err != nil {
		b.Skip("../shared/corpus not present")
	}
	for _, c := range []struct{ name, path string }{
		{"charts", "helm"},
		{"kube-prometheus-stack", "helm/kube-prometheus-stack"},
		{"raw", "raw"},
	} {
		b.Run(c.name, func(b *testing.B) {
			// How the collector is set (linter.Plan.SetCollector) is for the start of a process:
			// here it would find the heap the runs before left, so the runs keep Go's default
			// pacing, as a GOGC the user sets does. docs/performance.md times whole processes.
			b.Setenv("GOGC", "100")
			args := []string{"lint", "--root", corpus, "--fail-on", "none", "--output", os.DevNull, filepath.Join(corpus, c.path)}
			start := cpuTime(b)
			for b.Loop() {
				// The corpus has input errors (exit 2); a usage error would say so on stderr.
				var stderr strings.Builder
				run(args, strings.NewReader(""), io.Discard, &stderr)
				if stderr.Len() > 0 {
					b.Fatal(stderr.String())
				}
			}
			b.ReportMetric(float64((cpuTime(b)-start).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
}

// cpuTime is the CPU time the process has used so far, in user and system mode.
func cpuTime(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
