package main

import (
	"fmt"
	"io"
	"slices"

	"github.com/sceval/sceval/dataset"
	"github.com/sceval/sceval/engine/weight"
	"github.com/sceval/sceval/termtable"
	"github.com/spf13/cobra"
)

func newWeightsAHPCmd() *cobra.Command {
	var format string
	cmd := &cobra.Command{
		Use:   "ahp MATRIX.csv [MATRIX2.csv …]",
		Short: "AHP weights from pairwise comparison matrices (Saaty eigenvector, CR)",
		Long: `Ahp reads an n×n pairwise comparison matrix (entry i,j: how much more
important i is than j on Saaty's 1–9 scale; a_ji = 1/a_ij) and prints the
principal-eigenvector weights, λmax, CI = (λmax−n)/(n−1), Saaty's random
index RI and CR = CI/RI (Saaty 1980). CR < 0.1 is consistent.

The CSV may have a header row of codes and/or a first column of codes;
entries are decimals or fractions (1/3). An entry below the diagonal within
5 % of the reciprocal of the one above it (0.3333 for 3) is replaced by the
exact reciprocal, with a warning. UTF-8, UTF-16 and GB18030 files are read. With several files (one per expert,
same codes in the same order) the matrices are combined by element-wise
geometric mean (Aczél & Saaty 1983) and the combined matrix is weighted.

Inconsistent judgements (CR ≥ 0.1) still exit 0: the table says NOT
consistent and the JSON has "consistent": false. Malformed input exits 1.

JSON: {"codes":[…],"weights":[…],"lambda_max":…,"ci":…,"cr":…,"consistent":…}`,
		Example: `  sceval weights ahp criteria.csv
  sceval weights ahp expert1.csv expert2.csv --format json

  # criteria.csv
  ,1,2,3,4
  1,1,3,5,7
  2,1/3,1,3,5
  3,1/5,1/3,1,3
  4,1/7,1/5,1/3,1`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := wtCheckFormat(format); err != nil {
				return err
			}
			res, err := runAHP(args, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			if format == "json" {
				return wtWriteJSON(cmd.OutOrStdout(), res.json())
			}
			return res.writeTable(cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "output format: table or json")
	return cmd
}

// ahpRun is the outcome of `weights ahp`.
type ahpRun struct {
	codes   []string
	result  weight.AHPResult
	experts []expertCR // one per file when there are several
}

// expertCR is the consistency of one expert's own matrix.
type expertCR struct {
	path string
	cr   float64
}

// ahpJSON is the documented JSON shape; field order is part of it.
type ahpJSON struct {
	Codes      []string  `json:"codes"`
	Weights    []float64 `json:"weights"`
	LambdaMax  float64   `json:"lambda_max"`
	CI         float64   `json:"ci"`
	CR         float64   `json:"cr"`
	Consistent bool      `json:"consistent"`
}

func (r *ahpRun) json() ahpJSON {
	return ahpJSON{Codes: r.codes, Weights: r.result.Weights, LambdaMax: r.result.LambdaMax,
		CI: r.result.CI, CR: r.result.CR, Consistent: r.result.Consistent}
}

// runAHP reads and validates every matrix file and weights the (combined)
// matrix.
func runAHP(paths []string, warn io.Writer) (*ahpRun, error) {
	var files []*dataset.PairwiseMatrix
	for _, p := range paths {
		pf, warnings, err := dataset.ReadPairwiseFile(p)
		if err != nil {
			return nil, err
		}
		printWarnings(warn, warnings)
		var codes []string // name rows and columns by code only when the file has codes
		if pf.Labelled {
			codes = pf.Codes
		}
		exact, adj, err := weight.ReciprocalMatrix(pf.Values, codes)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		for _, a := range adj {
			fmt.Fprintf(warn, "warning: %s: %s (the exact reciprocal of the entry above the diagonal; within %g %%)\n", p, a, weight.ReciprocalTolerance*100)
		}
		pf.Values = exact
		if len(files) > 0 && !slices.Equal(pf.Codes, files[0].Codes) {
			return nil, fmt.Errorf("%s: codes %v differ from %s's %v; every expert must compare the same indicators in the same order",
				p, pf.Codes, files[0].File, files[0].Codes)
		}
		files = append(files, pf)
	}
	run := &ahpRun{codes: files[0].Codes}
	m := files[0].Values
	if len(files) > 1 {
		ms := make([][][]float64, len(files))
		for k, pf := range files {
			ms[k] = pf.Values
			own, err := weight.AHP(pf.Values)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", pf.File, err)
			}
			run.experts = append(run.experts, expertCR{path: pf.File, cr: own.CR})
		}
		var err error
		if m, err = weight.GroupAHP(ms); err != nil {
			return nil, err
		}
	}
	res, err := weight.AHP(m)
	if err != nil { // the files are valid, so only the size can be at fault
		return nil, fmt.Errorf("%s: %w", files[0].File, err)
	}
	run.result = res
	return run, nil
}

// writeTable prints the weights, the consistency figures and a verdict.
func (r *ahpRun) writeTable(w io.Writer) error {
	t := termtable.Table{Header: []string{"code", "weight"}, Right: []bool{false, true}}
	for i, c := range r.codes {
		t.Rows = append(t.Rows, []string{c, wtFmt(r.result.Weights[i])})
	}
	if _, err := t.WriteTo(w); err != nil {
		return err
	}
	res := r.result
	fmt.Fprintf(w, "\nλmax %s   CI %s   RI %.2f   CR %s\n", wtFmt(res.LambdaMax), wtFmt(res.CI), res.RI, wtFmt(res.CR))
	if len(r.experts) > 0 {
		fmt.Fprintf(w, "combined %d experts by geometric mean; their own CR:", len(r.experts))
		for _, e := range r.experts {
			fmt.Fprintf(w, " %s %s", e.path, wtFmt(e.cr))
		}
		fmt.Fprintln(w)
	}
	var err error
	if res.Consistent {
		_, err = fmt.Fprintf(w, "consistent: CR %s < %.1f\n", wtFmt(res.CR), weight.ConsistencyThreshold)
	} else {
		_, err = fmt.Fprintf(w, "NOT consistent: CR %s ≥ %.1f — revise the judgements\n", wtFmt(res.CR), weight.ConsistencyThreshold)
	}
	return err
}
