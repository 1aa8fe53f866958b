package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/fsroot"
	"github.com/ekslint/ekslint/lint/linter"
	"github.com/ekslint/ekslint/lint/load"
)

func rulesCommand() *cobra.Command {
	var data, date string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List every rule with its level, default state and title",
		Long: "List every rule with its level, default state and title.\n" +
			"With --data, print the EKS version data the version rules compare against instead: the support\n" +
			"calendar of each Kubernetes version and the add-on versions that go with it, with its as_of date.",
		Example: "  ekslint rules\n" +
			"  ekslint rules --data                      # the built-in data\n" +
			"  ekslint rules --data eks-versions.yaml    # check a newer file before passing it to lint --data",
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("data") {
				// --data alone shows the built-in data, so it takes a value only as --data=FILE:
				// in `--data FILE`, as lint --data is written, FILE arrives as an argument.
				if data == lint.BuiltinVersionsSource && len(args) == 1 {
					data, args = args[0], nil
				}
				if err := noArgs(args); err != nil {
					return err
				}
				v, err := loadVersions(data)
				if err != nil {
					return err
				}
				day, err := parseDate(date)
				if err != nil {
					return err
				}
				return printVersions(cmd.OutOrStdout(), v, day)
			}
			if err := noArgs(args); err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tLEVEL\tDEFAULT\tTITLE")
			for _, r := range knownRules() {
				state := "off"
				if r.DefaultOn {
					state = "on"
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", r.ID, r.Level, state, r.Title)
			}
			return w.Flush()
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&data, "data", "", "print the EKS version data instead of the rules: the built-in data, or that of `FILE` (--data FILE or --data=FILE)")
	fl.Lookup("data").NoOptDefVal = lint.BuiltinVersionsSource
	fl.StringVar(&date, "date", "", "with --data, the date support status is shown for, YYYY-MM-DD (default: today)")
	return cmd
}

// noArgs refuses the arguments left once the command has taken those it reads.
func noArgs(args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Errorf("unexpected argument %q (ekslint rules lists every rule; ekslint rules --data FILE shows the EKS version data in FILE)", args[0])}
	}
	return nil
}

// printVersions writes EKS version data as a table, with each version's support status on day.
func printVersions(out io.Writer, v *lint.Versions, day time.Time) error {
	fmt.Fprintf(out, "EKS version data: %s, as of %s\n", v.Source, v.AsOf.Format(time.DateOnly))
	if v.Stale(day) {
		fmt.Fprintf(out, "note: the data is %d days older than %s; support dates may be out of date: update ekslint or pass newer data with --data\n",
			int(day.Sub(v.AsOf).Hours()/24), day.Format(time.DateOnly))
	}
	fmt.Fprintf(out, "eksctl default version (metadata.version unset or \"auto\"): %s\n", v.EksctlDefault)
	fmt.Fprintf(out, "control plane price per cluster-hour: $%.2f in standard support, $%.2f in extended support\n", v.StandardPerHour, v.ExtendedPerHour)
	fmt.Fprintf(out, "network policy (VPC CNI enableNetworkPolicy): Kubernetes %s or newer, vpc-cni v%s or newer\n",
		v.NetworkPolicyMinKubernetes, v.NetworkPolicyMinVPCCNI.Full())
	fmt.Fprintf(out, "kube-proxy: the cluster's minor version, at most %d minor versions older, never newer\n\n", v.KubeProxyMaxOlderMinors)

	status := map[lint.Support]string{lint.StandardSupport: "standard", lint.ExtendedSupport: "extended", lint.EndOfSupport: "ended"}
	w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintf(w, "VERSION\tEKS RELEASE\tEND OF STANDARD\tEND OF EXTENDED\tON %s\tCOREDNS\tLATEST COREDNS\tLATEST KUBE-PROXY\n", day.Format(time.DateOnly))
	for _, k := range v.Kubernetes {
		var minors []string
		for _, m := range k.CoreDNSMinors {
			minors = append(minors, "v"+m.String())
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", k.Version, k.EKSRelease.Format(time.DateOnly),
			k.EndOfStandardSupport.Format(time.DateOnly), k.EndOfExtendedSupport.Format(time.DateOnly),
			status[k.SupportOn(day)], strings.Join(minors, ", "), orDash(k.CoreDNSLatest), orDash(k.KubeProxyLatest))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(out, "\nNewer data: copy the format of docs/rules.md#eks-version-data into a file and pass it with ekslint lint --data FILE.")
	return err
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// loadVersions reads --data of `ekslint rules`: a file of EKS version data, or the built-in data.
// The file is read like any other: bounded, and a regular file.
func loadVersions(path string) (*lint.Versions, error) {
	if path == "" || path == lint.BuiltinVersionsSource {
		return lint.BuiltinVersions(), nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, usageError{fmt.Errorf("--data: %w", err)}
	}
	root, err := fsroot.New(filepath.Dir(abs), load.DefaultMaxFileSize)
	if err == nil {
		var v *lint.Versions
		if v, err = linter.LoadVersions(root, abs, filepath.ToSlash(path)); err == nil {
			return v, nil
		}
	}
	return nil, usageError{fmt.Errorf("--data: %w", err)}
}
