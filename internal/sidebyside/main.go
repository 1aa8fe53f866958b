//go:build unix

// Command sidebyside times whole commands side by side, as docs/performance.md compares ekslint
// with kube-linter and helm template: each command runs n times, the commands taking turns so
// that a change in the machine's load falls on all of them, and each gets the medians of its wall
// time, CPU time (user and system) and peak RSS. Times are taken to the microsecond from the
// process's own accounting (wait4), where /usr/bin/time rounds to 10 ms, a tenth of a run here.
//
//	go build -o /tmp/bin/sidebyside ./internal/sidebyside
//	cd ../shared/corpus && /tmp/bin/sidebyside -n 11 '/tmp/bin/kube-linter lint raw' '/tmp/bin/ekslint lint raw'
//
// A command is split at spaces and run without a shell, its output discarded; its exit code is
// not looked at (a lint with findings exits 1).
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	n := flag.Int("n", 11, "runs of each command")
	flag.Parse()
	cmds := flag.Args()
	if len(cmds) == 0 {
		fmt.Fprintln(os.Stderr, "usage: sidebyside [-n runs] 'command args' ...")
		os.Exit(2)
	}
	runs := make([][]sample, len(cmds))
	for range *n {
		for i, c := range cmds {
			s, err := run(c)
			if err != nil {
				fmt.Fprintf(os.Stderr, "%s: %v\n", c, err)
				os.Exit(1)
			}
			runs[i] = append(runs[i], s)
		}
	}
	for i, c := range cmds {
		fmt.Printf("%8.1f ms wall %8.1f ms CPU %6.0f MiB  %s\n",
			median(runs[i], func(s sample) float64 { return s.wall }),
			median(runs[i], func(s sample) float64 { return s.cpu }),
			median(runs[i], func(s sample) float64 { return s.rss }), c)
	}
}

// sample is one run: wall and CPU time in milliseconds, peak RSS in MiB.
type sample struct{ wall, cpu, rss float64 }

func run(command string) (sample, error) {
	args := strings.Fields(command)
	cmd := exec.Command(args[0], args[1:]...)
	start := time.Now()
	if err := cmd.Run(); err != nil {
		if _, exited := err.(*exec.ExitError); !exited {
			return sample{}, err
		}
	}
	wall := time.Since(start)
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return sample{
		wall: float64(wall.Microseconds()) / 1000,
		cpu:  float64(cpu.Microseconds()) / 1000,
		rss:  float64(ru.Maxrss) / maxrssPerMiB,
	}, nil
}

// maxrssPerMiB is how many units of Rusage.Maxrss make a MiB: macOS counts bytes, the others KiB.
var maxrssPerMiB = map[bool]float64{true: 1 << 20, false: 1 << 10}[runtime.GOOS == "darwin"]

func median(ss []sample, of func(sample) float64) float64 {
	vs := make([]float64, len(ss))
	for i, s := range ss {
		vs[i] = of(s)
	}
	slices.Sort(vs)
	return vs[len(vs)/2]
}
