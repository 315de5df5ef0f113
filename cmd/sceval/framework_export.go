package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sceval/sceval/framework"
)

func newFrameworkExportCmd() *cobra.Command {
	var format, out string
	cmd := &cobra.Command{
		Use:   "export ID|FILE",
		Short: "Write a framework file with every weight and direction resolved / 导出指标体系",
		Long: `Write a framework in the file format, JSON or YAML, with every implicit value
made explicit: each indicator's weight among its siblings (normalised, equal
when absent) and each leaf's direction. Edit the output and use it as your
own framework; reading it back gives exactly the same framework.`,
		Example: `  sceval framework export mohurd-2012 --format json
  sceval framework export mohurd-2012 --out my-variant.yaml
  sceval framework export my-index.json --format yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("format") && out != "" {
				if ext := strings.ToLower(filepath.Ext(out)); ext == ".yaml" || ext == ".yml" {
					format = "yaml"
				}
			}
			if format != "json" && format != "yaml" {
				return fmt.Errorf("unknown --format %q: want json or yaml", format)
			}
			f, err := loadFramework(args[0], cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := framework.Export(&buf, f, format); err != nil {
				return err
			}
			if out == "" {
				_, err = cmd.OutOrStdout().Write(buf.Bytes())
				return err
			}
			if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
				return fmt.Errorf("export framework %s: %w", f.ID, outputError(out, err))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "json", "json or yaml (default from the --out extension, else json)")
	cmd.Flags().StringVarP(&out, "out", "o", "", "write to this file instead of standard output")
	return cmd
}

func newFrameworkDiffCmd() *cobra.Command {
	var format string
	var effective bool
	cmd := &cobra.Command{
		Use:   "diff A B",
		Short: "Compare two frameworks indicator by indicator / 比较两个指标体系",
		Long: `Compare framework A (old) with B (new), matching indicators by code. One line
per change:
  + CODE name                 added
  - CODE name                 removed
  ~ CODE renamed: old → new   name changed ("renamed (en)" for English);
                              also redefined, kind, direction, unit,
                              goalposts, target and rubric changes
  > CODE moved from P to Q    different parent (or order among siblings)
  w CODE weight a → b, share c → d
                              the declared weight changed ("equal" when
                              absent; c and d are its share among siblings)
With --effective, also the weights that move only as a consequence (a
sibling added or re-weighted, an ancestor re-weighted):
  e CODE share a → b, effective c → d
Weights are compared as displayed (four decimals): no line shows equal
values. The exit status is 0 whether or not the frameworks differ.`,
		Example: `  sceval framework diff mohurd-2012 my-variant.yaml
  sceval framework diff mohurd-2012 my-variant.yaml --effective
  sceval framework diff old.yaml new.yaml --format json`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return fmt.Errorf("unknown --format %q: want text or json", format)
			}
			a, err := loadFramework(args[0], cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			b, err := loadFramework(args[1], cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			changes := framework.Diff(a, b)
			if effective {
				changes = append(changes, framework.WeightShifts(a, b)...)
			}
			if format == "json" {
				if changes == nil {
					changes = []framework.Change{}
				}
				return writeFrameworkJSON(cmd.OutOrStdout(), changes)
			}
			for _, c := range changes {
				fmt.Fprintln(cmd.OutOrStdout(), c.String())
			}
			if len(changes) == 0 {
				fmt.Fprintln(cmd.ErrOrStderr(), "no differences")
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().BoolVar(&effective, "effective", false, "also list derived share and effective-weight shifts")
	return cmd
}
