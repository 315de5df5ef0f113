package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/termtable"
)

func newFrameworkValidateCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check framework files and report every problem with its line / 校验指标体系文件",
		Long: `Check one or more framework files (or built-in ids) and print every problem
found — errors and warnings, each with file:line:column — on standard output,
followed by a summary line per file. The exit status is 0 when every file is
valid (warnings allowed) and 1 otherwise.`,
		Example: `  sceval framework validate my-index.yaml
  sceval framework validate *.yaml --format json`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return fmt.Errorf("unknown --format %q: want text or json", format)
			}
			results := make([]frameworkValidation, len(args))
			invalid := 0
			for i, ref := range args {
				results[i] = validateFrameworkRef(ref)
				if !results[i].Valid {
					invalid++
				}
			}
			out := cmd.OutOrStdout()
			if format == "json" {
				if err := writeFrameworkJSON(out, results); err != nil {
					return err
				}
			} else {
				writeFrameworkValidation(out, results)
			}
			if invalid > 0 {
				return exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// frameworkValidation is the outcome of validating one file.
type frameworkValidation struct {
	File        string                 `json:"file"`
	Valid       bool                   `json:"valid"`
	Error       string                 `json:"error,omitempty"` // the file could not be read
	Diagnostics []framework.Diagnostic `json:"diagnostics"`
}

func validateFrameworkRef(ref string) frameworkValidation {
	res := frameworkValidation{File: ref, Diagnostics: []framework.Diagnostic{}}
	if !looksLikePath(ref) {
		if f, ok := framework.Builtin(ref); ok {
			res.Diagnostics = append(res.Diagnostics, framework.Validate(f)...)
			res.Valid = !framework.Diagnostics(res.Diagnostics).HasErrors()
			return res
		}
	}
	data, err := os.ReadFile(ref)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			res.Error = "no such file or built-in framework"
		} else {
			res.Error = err.Error()
		}
		return res
	}
	_, diags := framework.Parse(ref, data)
	res.Diagnostics = append(res.Diagnostics, diags...)
	res.Valid = !diags.HasErrors()
	return res
}

func writeFrameworkValidation(w io.Writer, results []frameworkValidation) {
	for _, res := range results {
		if res.Error != "" {
			fmt.Fprintf(w, "%s: %s\n", res.File, res.Error)
			continue
		}
		diags := framework.Diagnostics(res.Diagnostics)
		for _, d := range diags {
			fmt.Fprintln(w, d.String())
		}
		status := "invalid"
		if res.Valid {
			status = "valid"
		}
		fmt.Fprintf(w, "%s: %s (%s)\n", res.File, status, diags.Summary())
	}
}

// writeFrameworkJSON writes v as indented JSON without HTML escaping.
func writeFrameworkJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}

// writeFrameworkColumns writes rows as left-aligned columns separated by two
// spaces, aligned by display width (Chinese characters take two columns).
func writeFrameworkColumns(w io.Writer, rows [][]string) error {
	table := termtable.Table{Rows: rows}
	_, err := table.WriteTo(w)
	return err
}
