package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ekslint/ekslint/lint/engine"
	"github.com/ekslint/ekslint/lint/filter"
	"github.com/ekslint/ekslint/lint/load"
)

// defaultBaselineName is where the baseline goes when neither --output nor the config says.
const defaultBaselineName = ".ekslint-baseline.json"

func baselineCommand() *cobra.Command {
	var (
		flags  lintFlags
		output string
	)
	cmd := &cobra.Command{
		Use:   "baseline [paths...]",
		Short: "Record the current findings, so that lint --baseline fails only on new ones",
		Long: "Lint as `ekslint lint` does and record every finding that is not suppressed in a baseline file.\n" +
			"`ekslint lint --baseline FILE` (or `baseline: FILE` in .ekslint.yaml) then counts only findings that\n" +
			"are not in it. Findings are matched by rule, file, object and field path, not by line, so edits\n" +
			"elsewhere in a file keep them matched. Record the baseline again to drop findings that were fixed.\n" +
			"Exit status: 0 when the baseline was written, 2 on usage errors or inputs that could not be read\n" +
			"(the baseline is still written for the rest).",
		Example: "  ekslint baseline\n" +
			"  ekslint baseline deploy/ --output deploy/.ekslint-baseline.json",
		RunE: func(cmd *cobra.Command, paths []string) error {
			flags.noBaseline = true
			res, err := flags.lintRun(cmd.Context(), paths, cmd.InOrStdin())
			if err != nil {
				return err
			}
			stderr := cmd.ErrOrStderr()
			for _, p := range res.Problems {
				msg, _, _ := strings.Cut(p.Message, "\n")
				fmt.Fprintf(stderr, "%s: %s: %s\n", p.Pos, p.Level, msg)
			}
			if res.Config == nil {
				return exitCode(engine.ExitInput) // the config file is broken: nothing was linted
			}
			path := output
			switch {
			case path != "" && !filepath.IsAbs(path):
				path = filepath.Join(res.WorkDir, path)
			case path == "" && res.Config.Baseline != "":
				path = res.Config.Baseline
			case path == "":
				path = filepath.Join(res.Root, defaultBaselineName)
			}
			b := filter.NewBaseline(res.Result, res.Root, res.WorkDir)
			if err := writeFileAtomic(path, b.Write); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "ekslint: recorded %d findings in %s\n", len(b.Findings), load.DisplayPath(path, res.WorkDir))
			if res.Count().InputErrors > 0 {
				return exitCode(engine.ExitInput)
			}
			return nil
		},
	}
	flags.register(cmd)
	cmd.Flags().StringVarP(&output, "output", "o", "", "baseline file to write (default: the config's baseline, else "+defaultBaselineName+" in the lint root)")
	return cmd
}

// writeFileAtomic writes a file through a temporary one in the same folder, so that a failed
// write never leaves half a baseline behind.
func writeFileAtomic(path string, write func(w io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
