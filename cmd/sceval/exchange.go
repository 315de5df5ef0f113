package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sceval/sceval/exchange"
	"github.com/sceval/sceval/platform"
)

func newImportCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "import", Short: "Import data into the platform / 导入数据"}
	cmd.AddCommand(newImportEntriesCmd())
	return cmd
}

func newImportEntriesCmd() *cobra.Command {
	var f accountFlags
	var cycle int64
	var dryRun, partial bool
	cmd := &cobra.Command{
		Use:   "entries FILE",
		Short: "Import a filled entries template or bulk file (XLSX or CSV) into a cycle / 导入填报数据",
		Long: `Check every row of a filled template (sceval export template) or a bulk
workbook or CSV file (UTF-8, UTF-16 or GB18030; title rows above the header
allowed) and write the changed entries in one transaction. Every problem is
printed with its cell (数据!D7) and reason; unless --partial, nothing is
written when any row is invalid. An unchanged file writes nothing. Progress
goes to stderr. Exit status 1 when any row is invalid.`,
		Example: `  sceval import entries filled.xlsx --cycle 1 --dry-run
  sceval import entries towns.csv --cycle 1 --partial --db postgres://…`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cycle <= 0 {
				return fmt.Errorf("--cycle is required")
			}
			svc, ctx, done, err := f.openAccounts(cmd)
			if err != nil {
				return err
			}
			defer done()
			file, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer file.Close()
			stderr := cmd.ErrOrStderr()
			opt := platform.EntryImportOptions{DryRun: dryRun, Partial: partial, Progress: func(pass string, rows int) {
				fmt.Fprintf(stderr, "\r%s: %d rows", map[string]string{"check": "检查 checking", "apply": "写入 writing"}[pass], rows)
			}}
			rep, err := svc.ImportEntries(ctx, cycle, filepath.Base(args[0]), file, opt)
			fmt.Fprintln(stderr)
			if err != nil {
				return err
			}
			return printImportReport(cmd.OutOrStdout(), rep)
		},
	}
	cmd.Flags().Int64Var(&cycle, "cycle", 0, "the cycle's ID (required)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "check and report only, write nothing")
	cmd.Flags().BoolVar(&partial, "partial", false, "write the valid rows even when others are invalid")
	f.add(cmd)
	return cmd
}

// printImportReport prints every problem, then the summary.
func printImportReport(w io.Writer, rep *platform.EntryImportReport) error {
	for _, n := range rep.Notices {
		fmt.Fprintln(w, n)
	}
	for _, p := range rep.Errors {
		fmt.Fprintf(w, "%s: %s\n", p.Cell, p.Message)
	}
	if rep.ErrorCount > len(rep.Errors) {
		fmt.Fprintf(w, "… %d more\n", rep.ErrorCount-len(rep.Errors))
	}
	what := "written"
	if rep.DryRun {
		what = "dry run, nothing written"
	}
	fmt.Fprintf(w, "%s: %d rows, %d changes, %d unchanged, %d invalid (%d errors); %d entries %s\n",
		rep.File, rep.Rows, rep.Changes, rep.Unchanged, rep.Invalid, rep.ErrorCount, rep.Applied, what)
	if !rep.OK() {
		if !rep.Partial && !rep.DryRun {
			fmt.Fprintln(w, "nothing was written: fix the cells above, or use --partial to write the valid rows")
		}
		return exitError{code: 1}
	}
	return nil
}

func newExportCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "export", Short: "Export templates, results, frameworks and submissions / 导出"}
	cmd.AddCommand(newExportTemplateCmd(), newExportResultsCmd(), newExportFrameworkCmd(), newExportSubmissionCmd())
	return cmd
}

// writeOut creates out and runs write on it.
func writeOut(out string, write func(io.Writer) error) error {
	if out == "" {
		return fmt.Errorf("--out is required")
	}
	file, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := write(file); err != nil {
		file.Close()
		os.Remove(out)
		return err
	}
	return file.Close()
}

func newExportTemplateCmd() *cobra.Command {
	var f accountFlags
	var cycle, pilot int64
	var out string
	cmd := &cobra.Command{
		Use:   "template",
		Short: "The entries template of a cycle (XLSX), for one pilot or all / 填报模板",
		Example: `  sceval export template --cycle 1 --pilot 7 --out 7.xlsx
  sceval export template --cycle 1 --out all.xlsx`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			svc, ctx, done, err := f.openAccounts(cmd)
			if err != nil {
				return err
			}
			defer done()
			sh, err := svc.EntrySheet(ctx, cycle, pilot)
			if err != nil {
				return err
			}
			return writeOut(out, func(w io.Writer) error { return exchange.WriteTemplate(w, sh) })
		},
	}
	cmd.Flags().Int64Var(&cycle, "cycle", 0, "the cycle's ID")
	cmd.Flags().Int64Var(&pilot, "pilot", 0, "one pilot's ID (default: every pilot of the cycle)")
	cmd.Flags().StringVar(&out, "out", "", "the XLSX file to write")
	f.add(cmd)
	return cmd
}

func newExportResultsCmd() *cobra.Command {
	var f accountFlags
	var cycle int64
	var out, format string
	cmd := &cobra.Command{
		Use:     "results",
		Short:   "A cycle's latest results: ranks, scores at every level, stars, coverage (XLSX, CSV with BOM, JSON) / 评价结果",
		Example: `  sceval export results --cycle 1 --out results.xlsx`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			svc, ctx, done, err := f.openAccounts(cmd)
			if err != nil {
				return err
			}
			defer done()
			t, err := exchange.CollectResults(ctx, svc, cycle)
			if err != nil {
				return err
			}
			if format == "" {
				format = strings.TrimPrefix(filepath.Ext(out), ".")
			}
			write := map[string]func(io.Writer, *exchange.ResultsTable) error{
				"xlsx": exchange.WriteResultsXLSX, "csv": exchange.WriteResultsCSV, "json": exchange.WriteResultsJSON}[format]
			if write == nil {
				return fmt.Errorf("--format %q: use xlsx, csv or json", format)
			}
			return writeOut(out, func(w io.Writer) error { return write(w, t) })
		},
	}
	cmd.Flags().Int64Var(&cycle, "cycle", 0, "the cycle's ID")
	cmd.Flags().StringVar(&out, "out", "", "the file to write")
	cmd.Flags().StringVar(&format, "format", "", "xlsx, csv or json (default: from --out)")
	f.add(cmd)
	return cmd
}

func newExportFrameworkCmd() *cobra.Command {
	var f accountFlags
	var version, out string
	cmd := &cobra.Command{
		Use:     "framework ID",
		Short:   "A framework's indicators as XLSX or Markdown (from --out's extension) / 指标体系",
		Example: `  sceval export framework mohurd-2012 --out mohurd.xlsx`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			svc, ctx, done, err := f.openAccounts(cmd)
			if err != nil {
				return err
			}
			defer done()
			fw, err := svc.GetFramework(ctx, args[0], version)
			if err != nil {
				return err
			}
			if strings.HasSuffix(out, ".md") {
				return writeOut(out, func(w io.Writer) error { return exchange.WriteFrameworkMarkdown(w, fw) })
			}
			return writeOut(out, func(w io.Writer) error { return exchange.WriteFrameworkXLSX(w, fw) })
		},
	}
	cmd.Flags().StringVar(&version, "version", "", "a published version (default: built-in, else the latest)")
	cmd.Flags().StringVar(&out, "out", "", "the .xlsx or .md file to write")
	f.add(cmd)
	return cmd
}

func newExportSubmissionCmd() *cobra.Command {
	var f accountFlags
	var out string
	cmd := &cobra.Command{
		Use:     "submission ID",
		Short:   "A submission with its entries as XLSX / 申报",
		Example: `  sceval export submission 12 --out 12.xlsx`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var id int64
			if _, err := fmt.Sscan(args[0], &id); err != nil {
				return fmt.Errorf("submission ID %q is not a number", args[0])
			}
			svc, ctx, done, err := f.openAccounts(cmd)
			if err != nil {
				return err
			}
			defer done()
			sub, fw, err := exchange.Submission(ctx, svc, id)
			if err != nil {
				return err
			}
			return writeOut(out, func(w io.Writer) error { return exchange.WriteSubmissionXLSX(w, sub, fw) })
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "the XLSX file to write")
	f.add(cmd)
	return cmd
}
