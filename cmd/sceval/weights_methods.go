package main

import (
	"fmt"
	"math"

	"github.com/sceval/sceval/engine/weight"
	"github.com/spf13/cobra"
)

func newWeightsEntropyCmd() *cobra.Command {
	var in weightsData
	var opt weight.EntropyOptions
	cmd := &cobra.Command{
		Use:   "entropy --data FILE",
		Short: "Entropy weights from the data (more dispersion, more weight)",
		Long: `Entropy computes entropy weights: p_ij = y_ij/Σ_i y_ij,
e_j = −(1/ln n) Σ p ln p, d_j = 1 − e_j, w_j = d_j/Σ d. y is the
direction-aware min-max of the data (--preprocess minmax, the default) or
the raw non-negative values (--preprocess proportion, higher-is-better
indicators only). --shift adds a constant before proportions (some papers
use 0.0001); the default 0 uses 0·ln 0 = 0. Missing values are skipped per
indicator; a constant indicator gets weight 0 with a warning.

JSON: {"method":"entropy","weights":{"CODE":w,…},"entropy":{…},
"divergence":{…},"units":n,"preprocess":…,"shift":…,"warnings":[…]}`,
		Example: `  sceval weights entropy --data towns.csv --attr province
  sceval weights entropy --data towns.xlsx --attr province --framework mohurd-2012 --format json
  sceval weights entropy --data d.csv --preprocess proportion --shift 0.0001`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := in.load(cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			opt.Directions, opt.Codes = d.dirs, d.codes
			r, err := weight.EntropyDetail(d.cols, opt)
			if err != nil {
				return fmt.Errorf("%s: %w", in.data, err)
			}
			pre := opt.Preprocess
			if pre == "" {
				pre = weight.PreprocessMinMax
			}
			t := methodTable{codes: d.codes, weights: r.Weights,
				columns: []string{"entropy", "divergence"}, extra: [][]float64{r.Entropy, r.Divergence},
				notes:    []string{fmt.Sprintf("\nentropy weights, %s preprocessing, shift %g, %d units", pre, opt.Shift, d.units)},
				warnings: r.Warnings}
			return t.write(cmd.OutOrStdout(), cmd.ErrOrStderr(), in.format, map[string]any{
				"method": "entropy", "preprocess": pre, "shift": opt.Shift, "units": d.units,
				"weights":    wtCodeValues{d.codes, r.Weights},
				"entropy":    wtCodeValues{d.codes, r.Entropy},
				"divergence": wtCodeValues{d.codes, r.Divergence},
				"warnings":   wtNonNil(r.Warnings),
			})
		},
	}
	in.register(cmd)
	cmd.Flags().StringVar(&opt.Preprocess, "preprocess", weight.PreprocessMinMax, "minmax (direction-aware, default) or proportion (raw values ≥ 0)")
	cmd.Flags().Float64Var(&opt.Shift, "shift", 0, "constant added before proportions to avoid ln 0 (default 0: 0·ln0 = 0)")
	return cmd
}

func newWeightsCRITICCmd() *cobra.Command {
	var in weightsData
	var opt weight.CRITICOptions
	cmd := &cobra.Command{
		Use:   "critic --data FILE",
		Short: "CRITIC weights (contrast × conflict, Diakoulaki et al. 1995)",
		Long: `Critic computes CRITIC weights: min-max normalise each indicator
(direction-aware), σ_j its standard deviation, r_jk Pearson correlations,
C_j = σ_j Σ_k (1 − r_jk), w_j = C_j/Σ C. --sd chooses the divisor of σ
(sample n−1, the default, or population n); without missing values both give
the same weights. Missing values: σ over the observed values, correlations
pairwise-complete. A constant indicator gets weight 0 with a warning.

JSON: {"method":"critic","weights":{"CODE":w,…},"sd":{…},"conflict":{…},
"information":{…},"units":n,"sd_divisor":…,"warnings":[…]}`,
		Example: `  sceval weights critic --data towns.csv --attr province
  sceval weights critic --data towns.csv --attr province --framework mohurd-2012 --sd population --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := in.load(cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			opt.Directions, opt.Codes = d.dirs, d.codes
			r, err := weight.CRITICDetail(d.cols, opt)
			if err != nil {
				return fmt.Errorf("%s: %w", in.data, err)
			}
			sd := opt.SD
			if sd == "" {
				sd = weight.SDSample
			}
			t := methodTable{codes: d.codes, weights: r.Weights,
				columns: []string{"sd", "conflict", "information"}, extra: [][]float64{r.SD, r.Conflict, r.Information},
				notes:    []string{fmt.Sprintf("\nCRITIC weights, %s standard deviation, %d units", sd, d.units)},
				warnings: r.Warnings}
			return t.write(cmd.OutOrStdout(), cmd.ErrOrStderr(), in.format, map[string]any{
				"method": "critic", "sd_divisor": sd, "units": d.units,
				"weights":     wtCodeValues{d.codes, r.Weights},
				"sd":          wtCodeValues{d.codes, r.SD},
				"conflict":    wtCodeValues{d.codes, r.Conflict},
				"information": wtCodeValues{d.codes, r.Information},
				"warnings":    wtNonNil(r.Warnings),
			})
		},
	}
	in.register(cmd)
	cmd.Flags().StringVar(&opt.SD, "sd", weight.SDSample, "standard deviation divisor: sample (n−1) or population (n)")
	return cmd
}

func newWeightsPCACmd() *cobra.Command {
	var in weightsData
	var opt weight.PCAOptions
	cmd := &cobra.Command{
		Use:   "pca --data FILE",
		Short: "PCA-based weights (OECD/JRC Handbook 2008, §6.1)",
		Long: `Pca derives weights from principal components as in the OECD/JRC
Handbook on Constructing Composite Indicators (2008): correlation matrix of
the complete cases, keep the components with eigenvalue > 1 that each explain
> 10 % of the variance (adding more until 60 % is explained), varimax-rotate
the loadings, assign each indicator to the factor it loads on most, weight it
by its squared loading scaled to the factor's explained variance times the
factor's share of the explained variance, normalise to sum 1.

Units with any missing value are dropped. --components forces the number of
factors; --no-rotation skips varimax.

JSON: {"method":"pca","weights":{"CODE":w,…},"factor":{"CODE":f,…},
"eigenvalues":[…],"explained_variance":[…],"retained":m,"units":n,"warnings":[…]}`,
		Example: `  sceval weights pca --data towns.csv --attr province
  sceval weights pca --data towns.csv --attr province --framework mohurd-2012 --components 4 --format json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			d, err := in.load(cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			opt.Codes = d.codes
			r, err := weight.PCADetail(d.cols, opt)
			if err != nil {
				return fmt.Errorf("%s: %w", in.data, err)
			}
			factor := make([]float64, len(r.Factor))
			loading := make([]float64, len(r.Factor))
			for j, f := range r.Factor {
				factor[j], loading[j] = math.NaN(), math.NaN() // constant: no factor
				if f >= 0 {
					factor[j], loading[j] = float64(f+1), r.Loadings[j][f]
				}
			}
			t := methodTable{codes: d.codes, weights: r.Weights,
				columns: []string{"factor", "loading"}, extra: [][]float64{factor, loading}, integer: []bool{true, false},
				notes: []string{fmt.Sprintf("\nPCA weights: factors kept %d, complete units %d of %d", r.Retained, r.Units, d.units),
					fmt.Sprintf("eigenvalues %s", wtFmtList(r.Eigenvalues)),
					fmt.Sprintf("explained variance of the factors %s", wtFmtList(r.ExplainedVariance))},
				warnings: r.Warnings}
			return t.write(cmd.OutOrStdout(), cmd.ErrOrStderr(), in.format, map[string]any{
				"method": "pca", "units": r.Units, "retained": r.Retained,
				"weights":            wtCodeValues{d.codes, r.Weights},
				"factor":             wtCodeValues{d.codes, factor},
				"eigenvalues":        r.Eigenvalues,
				"explained_variance": r.ExplainedVariance,
				"warnings":           wtNonNil(r.Warnings),
			})
		},
	}
	in.register(cmd)
	cmd.Flags().IntVar(&opt.Components, "components", 0, "number of factors to keep (default: the Handbook rule)")
	cmd.Flags().BoolVar(&opt.NoRotation, "no-rotation", false, "skip the varimax rotation")
	return cmd
}

// wtFmtList formats numbers with 4 decimals, space-separated.
func wtFmtList(v []float64) string {
	s := ""
	for i, x := range v {
		if i > 0 {
			s += " "
		}
		s += wtFmt(x)
	}
	return s
}
