// Command ekslint lints Kubernetes manifests, Helm charts, Kustomize overlays, eksctl configs
// and EKS CloudFormation templates for EKS misconfiguration, offline.
package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/ekslint/ekslint/lint/engine"
)

// version and commit are stamped at build time (-ldflags "-X main.version=v1.2.3 -X
// main.commit=<sha>", as .goreleaser.yaml does); `go install ...@v1.2.3` gets the version from the
// module instead, and a build in a git checkout gets the commit from the Go toolchain.
var version, commit = "", ""

func main() {
	stderr := os.Stderr
	// Libraries print warnings straight to os.Stderr: kustomize prints each deprecated field it
	// meets, once per kustomization per overlay built, with no file or line. What a user needs
	// from a run is in ekslint's report, so those prints go nowhere; ekslint's own messages use
	// the stderr handed to run.
	if null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0); err == nil {
		os.Stderr = null
	}
	// Helm's SDK logs warnings through the default slog logger ("returned non-bool value"); what
	// a user needs is in the report.
	slog.SetDefault(slog.New(slog.DiscardHandler))
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, stderr))
}

// usageError marks errors in how ekslint was called, which exit with 2.
type usageError struct{ error }

// exitCode carries a run's exit code out of cobra.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit %d", int(e)) }

// run is main without the process: tests call it with their own arguments and streams.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := &cobra.Command{
		Use:           "ekslint",
		Short:         "Lint Kubernetes and Amazon EKS configuration before it merges",
		Long:          "ekslint checks Kubernetes manifests, Helm charts, Kustomize overlays, eksctl ClusterConfig files and EKS\nCloudFormation templates for misconfiguration, offline, and reports each finding at the line to edit.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(lintCommand(), baselineCommand(), rulesCommand(), actionCommand(), versionCommand())

	err := root.Execute()
	var code exitCode
	switch {
	case err == nil:
		return engine.ExitClean
	case errors.As(err, &code):
		return int(code)
	}
	fmt.Fprintln(stderr, "ekslint:", err)
	return engine.ExitInput
}

func versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print ekslint's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			line := "ekslint " + buildVersion()
			if c := buildCommit(); c != "" {
				line += " (commit " + c + ")"
			}
			fmt.Fprintln(cmd.OutOrStdout(), line)
			return nil
		},
	}
}

// buildVersion is the stamped version, else the module version `go install` recorded, else "dev".
func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// buildCommit is the stamped commit, else the one the Go toolchain recorded from the git checkout
// it built in (none for `go install ...@v1.2.3`, which builds from the module zip), shortened to
// 12 hex digits: enough to be unambiguous, short enough for one line.
func buildCommit() string {
	c := commit
	if c == "" {
		if bi, ok := debug.ReadBuildInfo(); ok {
			for _, s := range bi.Settings {
				if s.Key == "vcs.revision" {
					c = s.Value
				}
			}
		}
	}
	return c[:min(len(c), 12)]
}
