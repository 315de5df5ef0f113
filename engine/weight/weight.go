// Package weight derives indicator weights: equal, AHP (Saaty's principal
// eigenvector with the consistency ratio, group judgements by geometric
// mean), and the data-driven entropy, CRITIC and PCA-based weights.
//
// Data-driven methods take cols [][]float64 with cols[j] the values of
// indicator j across units (all columns the same length) and NaN marking a
// missing value. How each method treats NaN is stated in its doc comment:
// entropy and CRITIC use every observed value of a column (available case,
// correlations pairwise-complete); PCA uses complete cases only. Returned
// weights are non-negative and sum to 1. The package does no I/O.
package weight

import (
	work "github.com/sceval/sceval/engine/internal/workers"

	"fmt"
	"math"
)

// Equal returns n equal weights 1/n (nil for n < 1).
func Equal(n int) []float64 {
	if n < 1 {
		return nil
	}
	w := make([]float64, n)
	for i := range w {
		w[i] = 1 / float64(n)
	}
	return w
}

// DirectionAwareMinMax rescales a column to [0, 1]:
//
//	y_i = (x_i − min)/(max − min)   for dir ≥ 0 (higher is better),
//	y_i = (max − x_i)/(max − min)   for dir < 0 (lower is better),
//
// with min and max over the observed values. NaN stays NaN. A constant
// column (max = min) carries no information and maps to 0 everywhere
// (callers that care detect it first).
func DirectionAwareMinMax(col []float64, dir float64) []float64 {
	lo, hi, _ := observedRange(col)
	out := make([]float64, len(col))
	span := hi - lo
	for i, x := range col {
		switch {
		case math.IsNaN(x):
			out[i] = x
		case span == 0:
			out[i] = 0
		case dir < 0:
			out[i] = (hi - x) / span
		default:
			out[i] = (x - lo) / span
		}
	}
	return out
}

// observedRange returns the minimum, the maximum and the number of the
// observed (non-NaN) values of x; min and max are NaN when none is.
func observedRange(x []float64) (lo, hi float64, n int) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range x {
		if v != v {
			continue
		}
		n++
		if v < lo {
			lo = v
		}
		if v > hi {
			hi = v
		}
	}
	if n == 0 {
		return math.NaN(), math.NaN(), 0
	}
	return lo, hi, n
}

// label names column j in messages: its code when codes has one, else its
// 1-based position.
func label(codes []string, j int) string {
	if j < len(codes) && codes[j] != "" {
		return fmt.Sprintf("indicator %s", codes[j])
	}
	return fmt.Sprintf("column %d", j+1)
}

// checkColumns validates the shape and values of a data matrix: at least
// one column, equal lengths, no infinities, and directions (when given)
// one per column. minObs is the fewest observed values a column needs.
func checkColumns(cols [][]float64, dirs []float64, codes []string, minObs int) error {
	if len(cols) == 0 {
		return fmt.Errorf("no indicator columns")
	}
	if dirs != nil && len(dirs) != len(cols) {
		return fmt.Errorf("%d directions for %d columns", len(dirs), len(cols))
	}
	n := len(cols[0])
	for j, c := range cols {
		if len(c) != n {
			return fmt.Errorf("%s has %d values, want %d (one per unit)", label(codes, j), len(c), n)
		}
		obs := 0
		for i, v := range c {
			if math.IsInf(v, 0) {
				return fmt.Errorf("%s, unit %d: infinite value", label(codes, j), i+1)
			}
			if v == v {
				obs++
			}
		}
		if obs < minObs {
			return fmt.Errorf("%s has %d observed values, need at least %d", label(codes, j), obs, minObs)
		}
	}
	return nil
}

// direction returns the direction of column j: dirs[j], or +1 when dirs is
// nil.
func direction(dirs []float64, j int) float64 {
	if dirs == nil {
		return 1
	}
	return dirs[j]
}

// normaliseSum scales w in place to sum 1; it reports false when the sum
// is not positive and finite.
func normaliseSum(w []float64) bool {
	var s float64
	for _, v := range w {
		s += v
	}
	if !(s > 0) || math.IsInf(s, 0) {
		return false
	}
	for i := range w {
		w[i] /= s
	}
	return true
}

// parallelFor runs fn(j) for j = 0..k−1 on up to GOMAXPROCS goroutines.
// fn must only write to its own index j.
func parallelFor(k int, fn func(j int)) {
	work.Each(k, 0, func(_, j int) { fn(j) })
}
