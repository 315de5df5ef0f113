package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/sceval/sceval/engine"
	"github.com/spf13/cobra"
)

// The uncertain inputs sensitivity can vary, in documentation order.
var varyInputs = []string{"weights", "normalisation", "aggregation", "imputation", "exclusion"}

// sensitivityFlags are sensitivity's own flags.
type sensitivityFlags struct {
	runs           int
	seed           uint64
	workers        int
	vary           []string
	noise          float64
	normalisations string
	aggregations   string
	imputations    string
	format, out    string
	indices        string
}

func newSensitivityCmd() *cobra.Command {
	var (
		in scoreInputs
		sf sensitivityFlags
	)
	cmd := &cobra.Command{
		Use:   "sensitivity",
		Short: "Monte Carlo uncertainty and sensitivity analysis of the ranks",
		Long: `Sensitivity re-scores the data many times, each run drawing the uncertain
inputs at random, and reports per unit the nominal overall rank (the one
"sceval score" gives with the same options) and the median, 5th and 95th
percentile of its rank over the runs; with --format json or --indices, also
the first-order and total sensitivity index of each input (Saltelli design).

Inputs (--vary): weights (every sibling weight × U(1−noise, 1+noise),
renormalised, at every level), normalisation (drawn from --normalisations),
aggregation (from --aggregations), imputation (from --imputations) and
exclusion (one leaf indicator dropped, or none). Geometric and harmonic means
are undefined for scores of 0 and below: a score of 0 counts as 0.01 (with a
warning), and plain zscore cannot be drawn with them (use zscore:50,10).
Default: weights and
aggregation, plus any input whose list flag is given. The same --seed gives
byte-identical output whatever --workers. A progress bar is drawn on stderr
when it is a terminal.`,
		Example: `  sceval sensitivity --data towns.csv --attr province --runs 2000 --seed 7
  sceval sensitivity --data towns.csv --attr province --vary weights,normalisation --normalisations minmax,zscore,rank --indices si.csv
  sceval sensitivity --framework my-index.yaml --data d.csv --scheme s.yaml --format json --out mc.json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSensitivity(cmd, &in, &sf)
		},
	}
	in.register(cmd)
	f := cmd.Flags()
	f.IntVar(&sf.runs, "runs", 1000, "number of model runs (the Saltelli design rounds it to a multiple of inputs+2)")
	f.Uint64Var(&sf.seed, "seed", 1, "random seed")
	f.IntVar(&sf.workers, "workers", 0, "parallel workers (0 = number of CPUs); the output does not depend on it")
	f.StringSliceVar(&sf.vary, "vary", nil, "inputs to vary: "+strings.Join(varyInputs, ", ")+" (default weights,aggregation)")
	f.Float64Var(&sf.noise, "noise", 0.25, "relative weight noise: each weight × U(1−noise, 1+noise), 0 < noise < 1")
	f.StringVar(&sf.normalisations, "normalisations", "", "normalisations to draw from, e.g. minmax,zscore:50,10,rank (default minmax,rank)")
	f.StringVar(&sf.aggregations, "aggregations", "", "aggregations to draw from (default amean,gmean)")
	f.StringVar(&sf.imputations, "imputations", "", "imputations to draw from: none, mean, median, group_mean:ATTR (default none,mean,median)")
	f.StringVar(&sf.format, "format", "", "output format: csv or json (default: from --out's extension, else csv)")
	f.StringVarP(&sf.out, "out", "o", "", "output file (default: stdout)")
	f.StringVar(&sf.indices, "indices", "", "also write the sensitivity indices as CSV (input,first_order,total_order) to this file")
	return cmd
}

func runSensitivity(cmd *cobra.Command, in *scoreInputs, sf *sensitivityFlags) error {
	format, err := pickFormat(sf.format, sf.out, cmd.OutOrStdout(), "csv", "json")
	if err != nil {
		return err
	}
	if sf.runs < 1 {
		return fmt.Errorf("--runs %d: want at least 1", sf.runs)
	}
	if sf.workers < 0 {
		return fmt.Errorf("--workers %d: want 0 (the number of CPUs) or more", sf.workers)
	}
	vary, err := resolveVary(cmd, sf)
	if err != nil {
		return err
	}
	cfg, err := uncertaintyConfig(sf, vary)
	if err != nil {
		return err
	}
	stderr := cmd.ErrOrStderr()
	l, err := in.load(stderr)
	if err != nil {
		return err
	}
	if isTerminal(stderr) {
		bar := newProgressBar(stderr)
		cfg.Progress = bar.update
		defer bar.finish()
	}
	rep, err := engine.Uncertainty(l.fw, l.data, l.scheme, cfg)
	if err != nil {
		return err
	}
	printWarnings(stderr, rep.Warnings)
	if sf.indices != "" {
		if err := writeOutput(sf.indices, cmd.OutOrStdout(), func(w io.Writer) error { return writeIndicesCSV(w, rep) }); err != nil {
			return err
		}
	}
	return writeOutput(sf.out, cmd.OutOrStdout(), func(w io.Writer) error {
		if format == "json" {
			return writeUncertaintyJSON(w, l.fw.ID, vary, rep)
		}
		return writeUncertaintyCSV(w, rep)
	})
}

// resolveVary returns the inputs to vary: --vary, or by default weights and
// aggregation plus those whose list flag was given.
func resolveVary(cmd *cobra.Command, sf *sensitivityFlags) ([]string, error) {
	lists := map[string]string{"normalisation": "normalisations", "aggregation": "aggregations", "imputation": "imputations"}
	if !cmd.Flags().Changed("vary") {
		vary := []string{"weights", "aggregation"}
		for _, input := range []string{"normalisation", "imputation"} {
			if cmd.Flags().Changed(lists[input]) {
				vary = append(vary, input)
			}
		}
		return vary, nil
	}
	var vary []string
	for _, v := range sf.vary {
		v = strings.TrimSpace(v)
		if !slices.Contains(varyInputs, v) {
			return nil, fmt.Errorf("--vary %q: want some of %s", v, strings.Join(varyInputs, ", "))
		}
		if !slices.Contains(vary, v) {
			vary = append(vary, v)
		}
	}
	for input, flag := range lists {
		if cmd.Flags().Changed(flag) && !slices.Contains(vary, input) {
			return nil, fmt.Errorf("--%s given, but %s is not in --vary", flag, input)
		}
	}
	if cmd.Flags().Changed("noise") && !slices.Contains(vary, "weights") {
		return nil, fmt.Errorf("--noise given, but weights is not in --vary")
	}
	return vary, nil
}

// uncertaintyConfig turns the flags into the engine's configuration.
func uncertaintyConfig(sf *sensitivityFlags, vary []string) (engine.UncertaintyConfig, error) {
	cfg := engine.UncertaintyConfig{Runs: sf.runs, Seed: sf.seed, Workers: sf.workers}
	for _, v := range vary {
		switch v {
		case "weights":
			if !(sf.noise > 0 && sf.noise < 1) {
				return cfg, fmt.Errorf("--noise %v: want 0 < noise < 1", sf.noise)
			}
			cfg.WeightNoise = sf.noise
		case "normalisation":
			for _, spec := range splitSpecs(firstNonEmpty(sf.normalisations, "minmax,rank")) {
				n, err := engine.ParseNormalisation(spec)
				if err != nil {
					return cfg, fmt.Errorf("--normalisations: %w", err)
				}
				cfg.Normalisations = append(cfg.Normalisations, n)
			}
		case "aggregation":
			for _, spec := range splitSpecs(firstNonEmpty(sf.aggregations, "amean,gmean")) {
				a, err := engine.ParseAggregation(spec)
				if err != nil {
					return cfg, fmt.Errorf("--aggregations: %w", err)
				}
				cfg.Aggregations = append(cfg.Aggregations, a)
			}
		case "imputation":
			imps, err := parseImputations(firstNonEmpty(sf.imputations, "none,mean,median"))
			if err != nil {
				return cfg, err
			}
			cfg.Imputations = imps
		case "exclusion":
			cfg.ExcludeOne = true
		}
	}
	return cfg, nil
}

// parseImputations parses "none,mean,median,group_mean:province".
func parseImputations(list string) ([]engine.Imputation, error) {
	known := []string{engine.ImputeNone, engine.ImputeMean, engine.ImputeMedian, engine.ImputeGroupMean}
	var out []engine.Imputation
	for _, spec := range splitSpecs(list) {
		method, group, _ := strings.Cut(spec, ":")
		if !slices.Contains(known, method) {
			return nil, fmt.Errorf("--imputations %q: want some of %s", spec, strings.Join(known, ", "))
		}
		if (method == engine.ImputeGroupMean) != (group != "") {
			return nil, fmt.Errorf("--imputations %q: group_mean needs an attribute (group_mean:ATTR), other methods none", spec)
		}
		out = append(out, engine.Imputation{Method: method, Group: group})
	}
	return out, nil
}

// splitSpecs splits a comma-separated list of method specs, keeping the
// comma of a parameter pair: "minmax:1,100,zscore" → ["minmax:1,100",
// "zscore"].
func splitSpecs(list string) []string {
	var out []string
	for _, part := range strings.Split(list, ",") {
		part = strings.TrimSpace(part)
		if n := len(out); n > 0 && strings.Contains(out[n-1], ":") && !strings.Contains(out[n-1], ",") && isNumber(part) {
			out[n-1] += "," + part
			continue
		}
		if part != "" {
			out = append(out, part)
		}
	}
	return out
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}
