package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/ekslint/ekslint/internal/ruledoc"
	"github.com/ekslint/ekslint/lint"
	"github.com/ekslint/ekslint/lint/filter"
	"github.com/ekslint/ekslint/lint/fsroot"
	"github.com/ekslint/ekslint/lint/linter"
	"github.com/ekslint/ekslint/lint/load"
	"github.com/ekslint/ekslint/rules"
)

func rulesCommand() *cobra.Command {
	var data, date, format string
	cmd := &cobra.Command{
		Use:   "rules [RULE-ID...]",
		Short: "List the rules, or explain one",
		Long: "List every rule with its level, default state and title; with rule ids, explain each: why it\n" +
			"matters, how to fix it, an example with ekslint's output, the same check in other linters (the\n" +
			"text of docs/rules.md). --format json lists every rule with its metadata, for tools.\n" +
			"With --data, print the EKS version data the version rules compare against instead: the support\n" +
			"calendar of each Kubernetes version and the add-on versions that go with it, with its as_of date.",
		Example: "  ekslint rules\n" +
			"  ekslint rules k8s-host-network\n" +
			"  ekslint rules --format json\n" +
			"  ekslint rules --data                      # the built-in data\n" +
			"  ekslint rules --data eks-versions.yaml    # check a newer file before passing it to lint --data",
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			if cmd.Flags().Changed("data") {
				// --data takes its file as --data=FILE or, like lint --data, as --data FILE.
				switch {
				case len(args) == 1 && data == lint.BuiltinVersionsSource:
					data = args[0]
				case len(args) > 0:
					return usageError{fmt.Errorf("--data shows version data, not rules: %s", strings.Join(args, " "))}
				}
				v, err := loadVersions(data)
				if err != nil {
					return err
				}
				day, err := parseDate(date)
				if err != nil {
					return err
				}
				return printVersions(out, v, day)
			}
			known := knownRules()
			shown := known
			if len(args) > 0 {
				shown = nil
				for _, id := range args {
					r, err := ruleByID(known, id)
					if err != nil {
						return err
					}
					shown = append(shown, r)
				}
			}
			switch format {
			case "json":
				b, err := ruledoc.JSON(shown)
				if err != nil {
					return err
				}
				_, err = out.Write(b)
				return err
			case "text":
			default:
				return usageError{fmt.Errorf("--format: want text or json, not %q", format)}
			}
			if len(args) > 0 {
				for i, r := range shown {
					text, err := ruledoc.Rule(r, rules.All())
					if err != nil {
						return err
					}
					if i > 0 {
						fmt.Fprintln(out)
					}
					fmt.Fprint(out, text)
				}
				return nil
			}
			w := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tLEVEL\tDEFAULT\tTITLE")
			for _, r := range known {
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
	fl.StringVar(&format, "format", "text", "text, or json: every rule (or those named) with its metadata")
	fl.StringVar(&data, "data", "", "print the EKS version data instead of the rules: the built-in data, or that of `FILE`")
	fl.Lookup("data").NoOptDefVal = lint.BuiltinVersionsSource
	fl.StringVar(&date, "date", "", "with --data, the date support status is shown for, YYYY-MM-DD (default: today)")
	return cmd
}

// ruleByID finds a rule, or says which id was meant.
func ruleByID(known []*lint.Rule, id string) (*lint.Rule, error) {
	ids := make([]string, 0, len(known))
	for _, r := range known {
		if r.ID == id {
			return r, nil
		}
		ids = append(ids, r.ID)
	}
	msg := fmt.Sprintf("unknown rule %q", id)
	if s := filter.Suggest(id, ids); s != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	}
	return nil, usageError{errors.New(msg + "; ekslint rules lists them")}
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
		if v, err = linter.LoadVersions(root, abs, path); err == nil {
			return v, nil
		}
	}
	return nil, usageError{fmt.Errorf("--data: %w", err)}
}
