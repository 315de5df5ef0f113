package weight

import (
	"fmt"
	"math"
)

// Preprocessing choices for the entropy weight method.
const (
	// PreprocessMinMax rescales each column direction-aware to [0, 1]
	// before taking proportions (the default).
	PreprocessMinMax = "minmax"
	// PreprocessProportion takes proportions of the raw, non-negative
	// values of benefit-type (higher is better) indicators.
	PreprocessProportion = "proportion"
)

// EntropyOptions selects the variant of the entropy weight method.
// Published variants differ in exactly these choices.
type EntropyOptions struct {
	// Preprocess is PreprocessMinMax ("" means the same) or
	// PreprocessProportion.
	Preprocess string
	// Shift is a non-negative constant added to every preprocessed value
	// before proportions are taken, a device some papers use to avoid
	// ln 0 (e.g. 0.0001). The default 0 uses the convention 0·ln 0 = 0.
	Shift float64
	// Directions holds +1 (higher is better) or −1 (lower is better) per
	// column; nil means all +1.
	Directions []float64
	// Codes optionally names the columns in errors and warnings.
	Codes []string
}

// EntropyResult details an entropy weighting.
type EntropyResult struct {
	// Weights w_j = d_j / Σ_k d_k, summing to 1.
	Weights []float64
	// Entropy e_j ∈ [0, 1] of each column.
	Entropy []float64
	// Divergence d_j = 1 − e_j of each column.
	Divergence []float64
	// Observed is the number of non-missing values of each column.
	Observed []int
	// Warnings lists constant columns (weight 0).
	Warnings []string
}

// Entropy returns entropy weights; see EntropyDetail for the method.
func Entropy(cols [][]float64, opt EntropyOptions) ([]float64, error) {
	r, err := EntropyDetail(cols, opt)
	return r.Weights, err
}

// EntropyDetail computes entropy weights (Shannon entropy of each
// indicator's distribution across units; e.g. Zou, Yun & Sun 2006,
// J. Environmental Sciences 18(5):1020–1023):
//
//	y_ij = preprocessed value (+ Shift)
//	p_ij = y_ij / Σ_i y_ij
//	e_j  = −(1/ln n_j) Σ_i p_ij ln p_ij      (0·ln 0 = 0)
//	d_j  = 1 − e_j,   w_j = d_j / Σ_k d_k
//
// Preprocessing is direction-aware min-max to [0, 1] by default, or raw
// proportions (values must be ≥ 0 and directions +1: the raw-proportion
// variant has no standard treatment of lower-is-better indicators, so
// those are rejected rather than guessed).
//
// Missing values (NaN) are skipped: n_j is the number of observed values
// of column j, which must be at least 2. A constant column has e_j = 1,
// d_j = 0, so weight 0, and a warning; all columns constant is an error.
//
// The sum is computed in one pass per column without allocation, using
// Σ p ln p = (Σ y ln y)/S − ln S with S = Σ y.
func EntropyDetail(cols [][]float64, opt EntropyOptions) (EntropyResult, error) {
	if err := checkEntropyOptions(cols, opt); err != nil {
		return EntropyResult{}, fmt.Errorf("entropy weights: %w", err)
	}
	k := len(cols)
	res := EntropyResult{
		Weights:    make([]float64, k),
		Entropy:    make([]float64, k),
		Divergence: make([]float64, k),
		Observed:   make([]int, k),
	}
	proportion := opt.Preprocess == PreprocessProportion
	lows, highs := make([]float64, k), make([]float64, k)
	constant := make([]bool, k)
	for j, col := range cols { // cheap pass: ranges, checks, warnings
		lo, hi, n := observedRange(col)
		res.Observed[j], lows[j], highs[j], constant[j] = n, lo, hi, hi == lo
		if proportion && lo < 0 {
			return EntropyResult{}, fmt.Errorf("entropy weights: %s has negative value %v; proportion preprocessing needs values ≥ 0 (use minmax)", label(opt.Codes, j), lo)
		}
		if constant[j] {
			res.Entropy[j] = 1
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s is constant (%v): it gets weight 0", label(opt.Codes, j), lo))
		}
	}
	// The logarithms dominate: columns are independent, so spread them
	// over the available cores (results do not depend on the schedule).
	parallelFor(k, func(j int) {
		if constant[j] {
			return
		}
		e := columnEntropy(cols[j], lows[j], highs[j], res.Observed[j], direction(opt.Directions, j), proportion, opt.Shift)
		res.Entropy[j] = e
		res.Divergence[j] = 1 - e
	})
	copy(res.Weights, res.Divergence)
	if !normaliseSum(res.Weights) {
		if len(res.Warnings) == k {
			return EntropyResult{}, fmt.Errorf("entropy weights: all %d indicators are constant", k)
		}
		return EntropyResult{}, fmt.Errorf("entropy weights: every indicator has entropy 1 (no variation to weight by)")
	}
	return res, nil
}

// columnEntropy returns e_j for a non-constant column with observed range
// [lo, hi] and n ≥ 2 observed values, clamped to [0, 1] against rounding.
func columnEntropy(col []float64, lo, hi float64, n int, dir float64, proportion bool, shift float64) float64 {
	span := hi - lo
	// y = a + b·x covers every preprocessing: minmax up, minmax down, raw.
	a, b := -lo/span+shift, 1/span
	switch {
	case proportion:
		a, b = shift, 1
	case dir < 0:
		a, b = hi/span+shift, -1/span
	}
	var s, t float64
	for _, x := range col {
		if x != x {
			continue
		}
		y := a + b*x
		if y > 0 {
			s += y
			t += y * math.Log(y)
		}
	}
	e := -(t/s - math.Log(s)) / math.Log(float64(n))
	return math.Max(0, math.Min(1, e))
}

// checkEntropyOptions validates the data and the options.
func checkEntropyOptions(cols [][]float64, opt EntropyOptions) error {
	switch opt.Preprocess {
	case "", PreprocessMinMax, PreprocessProportion:
	default:
		return fmt.Errorf("unknown preprocessing %q (want %s or %s)", opt.Preprocess, PreprocessMinMax, PreprocessProportion)
	}
	if !(opt.Shift >= 0) || math.IsInf(opt.Shift, 0) {
		return fmt.Errorf("shift %v: want a finite number ≥ 0", opt.Shift)
	}
	if err := checkColumns(cols, opt.Directions, opt.Codes, 2); err != nil {
		return err
	}
	if opt.Preprocess == PreprocessProportion {
		for j := range cols {
			if direction(opt.Directions, j) < 0 {
				return fmt.Errorf("%s is lower-is-better; proportion preprocessing takes higher-is-better indicators only (use minmax)", label(opt.Codes, j))
			}
		}
	}
	return nil
}
