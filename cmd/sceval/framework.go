package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sceval/sceval/framework"
)

// defaultFrameworkID is the framework commands use when none is named.
const defaultFrameworkID = "mohurd-2012"

func newFrameworkCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "framework",
		Short: "List, show, validate, export and compare indicator frameworks / 指标体系",
		Long: `Indicator frameworks (指标体系): the built-in MOHURD 2012 pilot indicator system
and any framework file you write in YAML or JSON (docs/framework-format.md).
A framework is named by a built-in id (sceval framework list) or a file path.`,
		Example: `  sceval framework list
  sceval framework show
  sceval framework show my-index.yaml --lang en --format table
  sceval framework validate my-index.yaml
  sceval framework export mohurd-2012 --format yaml --out mohurd-2012.yaml
  sceval framework diff mohurd-2012 my-variant.yaml
  sceval framework publish my-index.yaml --db sceval.db`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(newFrameworkListCmd(), newFrameworkShowCmd(), newFrameworkValidateCmd(),
		newFrameworkExportCmd(), newFrameworkDiffCmd(), newFrameworkSchemaCmd(), newFrameworkPublishCmd())
	return cmd
}

func newFrameworkListCmd() *cobra.Command {
	var lang string
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List the built-in frameworks / 内置指标体系",
		Example: "  sceval framework list\n  sceval framework list --lang en",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkLang(lang); err != nil {
				return err
			}
			rows := [][]string{{"id", "version", "name", "indicators"}}
			for _, id := range framework.BuiltinIDs() {
				f, _ := framework.Builtin(id)
				counts := make([]string, 0, 3)
				for _, n := range f.CountByLevel() {
					counts = append(counts, strconv.Itoa(n))
				}
				rows = append(rows, []string{id, f.Version, f.Name.In(lang), strings.Join(counts, " / ")})
			}
			return writeFrameworkColumns(cmd.OutOrStdout(), rows)
		},
	}
	cmd.Flags().StringVar(&lang, "lang", "zh", "language of names: zh or en")
	return cmd
}

func newFrameworkShowCmd() *cobra.Command {
	var lang, format string
	cmd := &cobra.Command{
		Use:   "show [ID|FILE]",
		Short: "Show a framework as a tree, table, Markdown, CSV, JSON or YAML / 显示指标体系",
		Long: `Show a framework (default mohurd-2012): its indicators with resolved weights
among siblings and effective (global) weights. Values marked * are sceval
defaults, not official (默认值，非官方).`,
		Example: `  sceval framework show
  sceval framework show mohurd-2012 --lang en --format table
  sceval framework show my-index.yaml --format md > docs/my-index.md
  sceval framework show --format csv > mohurd-2012.csv`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkLang(lang); err != nil {
				return err
			}
			if !slices.Contains(framework.RenderFormats, format) {
				return fmt.Errorf("unknown --format %q: want one of %s", format, strings.Join(framework.RenderFormats, ", "))
			}
			ref := defaultFrameworkID
			if len(args) == 1 {
				ref = args[0]
			}
			f, err := loadFramework(ref, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			return framework.Render(cmd.OutOrStdout(), f, format, lang)
		},
	}
	cmd.Flags().StringVar(&lang, "lang", "zh", "language of names: zh or en (English falls back to Chinese)")
	cmd.Flags().StringVar(&format, "format", "tree", "output format: "+strings.Join(framework.RenderFormats, ", "))
	return cmd
}

func newFrameworkSchemaCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of the framework file format / 文件格式的 JSON Schema",
		Long: `Print the JSON Schema (draft 2020-12) of framework files, for editors that
validate and complete YAML or JSON as you type. sceval framework validate
checks more than a schema can (unique codes, parents, rubric order).`,
		Example: "  sceval framework schema > framework.schema.json",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := cmd.OutOrStdout().Write(framework.JSONSchema())
			return err
		},
	}
}

func checkLang(lang string) error {
	if lang != "zh" && lang != "en" {
		return fmt.Errorf("unknown --lang %q: want zh or en", lang)
	}
	return nil
}
