package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func rulesCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "rules",
		Short: "List every rule with its level, default state and title",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
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
}
