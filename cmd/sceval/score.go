package main

import (
	"fmt"
	"io"

	"github.com/sceval/sceval/dataset"
	"github.com/sceval/sceval/engine"
	"github.com/spf13/cobra"
)

func newScoreCmd() *cobra.Command {
	var (
		in      scoreInputs
		format  string
		out     string
		verbose bool
	)
	cmd := &cobra.Command{
		Use:   "score",
		Short: "Score units on a framework: every level, ranks and stars",
		Long: `Score reads a data file (one row per unit, one column per leaf indicator),
normalises, weights and aggregates it up the framework under a scoring scheme,
and writes the score and rank of every unit at every node, with star ratings.

Without --scheme the default scheme applies: the framework's weights (equal
among siblings unless the file says otherwise), direction-aware min-max to
[0,100], weighted arithmetic mean with weights renormalised over the children
a unit reports. --normalise and --aggregate replace the scheme's method at
every level.

Formats: table (first-level scores, best first), csv (long: one row per unit
per node, header unit,code,level,score,rank,coverage,contribution,stars),
json and xlsx (needs --out). Without --format the --out extension decides;
otherwise a table on a terminal and CSV in a pipe. Warnings go to stderr.`,
		Example: `  sceval score --data towns.csv --attr province
  sceval score --framework mohurd-2012 --data towns.xlsx --attr province --format csv --out scores.csv
  sceval score --framework my-index.yaml --data d.csv --scheme ahp.yaml --aggregate gmean --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := pickFormat(format, out, cmd.OutOrStdout(), "table", "csv", "json", "xlsx")
			if err != nil {
				return err
			}
			stderr := cmd.ErrOrStderr()
			res, l, err := scoreLoaded(&in, stderr)
			if err != nil {
				return err
			}
			if verbose {
				fmt.Fprintf(stderr, "result hash %s (%d units × %d nodes)\n", res.Hash, len(res.Units), len(res.Nodes))
			}
			ctx := xlsxContext(&in, l)
			return writeOutput(out, cmd.OutOrStdout(), func(w io.Writer) error { return writeResult(w, res, f, ctx) })
		},
	}
	in.register(cmd)
	cmd.Flags().StringVar(&format, "format", "", "output format: table, csv, json or xlsx (default: see above)")
	cmd.Flags().StringVarP(&out, "out", "o", "", "output file (default: stdout)")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "print the result hash and size on stderr")
	return cmd
}

// runScore loads the inputs and scores them, printing warnings to stderr.
func runScore(in *scoreInputs, stderr io.Writer) (*engine.Result, error) {
	res, _, err := scoreLoaded(in, stderr)
	return res, err
}

// scoreLoaded is runScore that also returns the inputs it loaded.
func scoreLoaded(in *scoreInputs, stderr io.Writer) (*engine.Result, *loaded, error) {
	l, err := in.load(stderr)
	if err != nil {
		return nil, nil, err
	}
	res, err := engine.Score(l.fw, l.data, l.scheme)
	if err != nil {
		return nil, nil, err
	}
	printWarnings(stderr, res.Warnings)
	return res, l, nil
}

// xlsxContext is what the XLSX output says beyond the numbers: indicator
// names, the --attr columns, the scheme and the program.
func xlsxContext(in *scoreInputs, l *loaded) *dataset.XLSXContext {
	scheme := in.scheme
	if scheme == "" {
		scheme = "default (sceval's default scheme)"
	}
	if in.normalise != "" || in.aggregate != "" {
		scheme += fmt.Sprintf(" with --normalise %q --aggregate %q", in.normalise, in.aggregate)
	}
	return &dataset.XLSXContext{Framework: l.fw, Attrs: in.attrs, Data: l.data, Scheme: scheme,
		SchemeJSON: l.scheme.Canonical(), Generator: "sceval " + buildVersion()}
}

// writeResult writes res in the given format; ctx is used by XLSX only.
func writeResult(w io.Writer, res *engine.Result, format string, ctx *dataset.XLSXContext) error {
	switch format {
	case "table":
		return dataset.WriteTable(w, res)
	case "json":
		return dataset.WriteJSON(w, res)
	case "xlsx":
		return dataset.WriteXLSX(w, res, ctx)
	default:
		return dataset.WriteLongCSV(w, res)
	}
}
