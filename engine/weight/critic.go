package weight

import (
	"fmt"
	"math"

	"github.com/sceval/sceval/engine/audit"
)

// Standard-deviation divisors for CRITIC.
const (
	// SDSample divides by n − 1 (the default).
	SDSample = "sample"
	// SDPopulation divides by n.
	SDPopulation = "population"
)

// CRITICOptions selects the variant of the CRITIC method.
type CRITICOptions struct {
	// SD is SDSample ("" means the same) or SDPopulation. Diakoulaki et
	// al. (1995) say only "standard deviation". With no missing values
	// the choice cannot change the weights (every σ_j scales by the same
	// √(n/(n−1))); it matters only when columns have different numbers of
	// observed values.
	SD string
	// Directions holds +1 (higher is better) or −1 (lower is better) per
	// column; nil means all +1.
	Directions []float64
	// Codes optionally names the columns in errors and warnings.
	Codes []string
}

// CRITICResult details a CRITIC weighting.
type CRITICResult struct {
	// Weights w_j = C_j / Σ_k C_k, summing to 1.
	Weights []float64
	// SD is σ_j of each min-max normalised column (0 for constant ones).
	SD []float64
	// Conflict is Σ_k (1 − r_jk) over the non-constant columns.
	Conflict []float64
	// Information is C_j = σ_j · Conflict_j.
	Information []float64
	// Correlation is r_jk of the normalised columns (pairwise-complete);
	// rows and columns of constant indicators are NaN.
	Correlation [][]float64
	// Warnings lists constant columns (weight 0).
	Warnings []string
}

// CRITIC returns CRITIC weights; see CRITICDetail for the method.
func CRITIC(cols [][]float64, opt CRITICOptions) ([]float64, error) {
	r, err := CRITICDetail(cols, opt)
	return r.Weights, err
}

// CRITICDetail computes CRITIC weights, "CRiteria Importance Through
// Intercriteria Correlation" (Diakoulaki, Mavrotas & Papayannakis 1995,
// Computers & Operations Research 22(7):763–770):
//
//	x'_ij = direction-aware min-max of x_ij to [0, 1]
//	σ_j   = standard deviation of x'_·j
//	r_jk  = Pearson correlation of x'_·j and x'_·k
//	C_j   = σ_j · Σ_k (1 − r_jk),   w_j = C_j / Σ_k C_k
//
// Because r is invariant to positive affine maps, r_jk is computed on the
// raw columns and its sign flipped when exactly one of j, k is
// lower-is-better; σ_j is the raw standard deviation divided by the
// column's range. No normalised copy of the data is made.
//
// Missing values (NaN): σ_j uses the observed values of column j (at least
// 2), r_jk the units observed on both (pairwise-complete); a pair with
// fewer than two such units, or constant over them, is an error naming
// both. A constant column carries no information: it gets weight 0 and a
// warning, and the others are weighted as if it were absent. At least two
// non-constant columns are needed, and they must not all be perfectly
// correlated (then every C_j = 0).
func CRITICDetail(cols [][]float64, opt CRITICOptions) (CRITICResult, error) {
	if err := checkCRITICOptions(cols, opt); err != nil {
		return CRITICResult{}, fmt.Errorf("CRITIC weights: %w", err)
	}
	k := len(cols)
	res := CRITICResult{
		Weights:     make([]float64, k),
		SD:          make([]float64, k),
		Conflict:    make([]float64, k),
		Information: make([]float64, k),
	}
	// Column statistics are independent: compute them in parallel.
	lows, highs := make([]float64, k), make([]float64, k)
	parallelFor(k, func(j int) {
		lo, hi, n, mean := columnStats(cols[j])
		lows[j], highs[j] = lo, hi
		if hi > lo {
			res.SD[j] = stdDev(cols[j], mean, n, opt.SD == SDPopulation) / (hi - lo)
		}
	})
	var live []int // non-constant columns
	for j := range cols {
		if highs[j] == lows[j] {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s is constant (%v): it gets weight 0", label(opt.Codes, j), lows[j]))
			continue
		}
		live = append(live, j)
	}
	if len(live) < 2 {
		return CRITICResult{}, fmt.Errorf("CRITIC weights: %d of %d indicators vary; CRITIC needs at least 2", len(live), k)
	}
	sub := make([][]float64, len(live))
	for a, j := range live {
		sub[a] = cols[j]
	}
	rsub := audit.Pearson(sub)
	res.Correlation = nanMatrix(k)
	for a, j := range live {
		for b, l := range live {
			r := rsub[a][b]
			if math.IsNaN(r) {
				return CRITICResult{}, fmt.Errorf("CRITIC weights: correlation of %s and %s is undefined (fewer than 2 units observed on both, or constant over them)", label(opt.Codes, j), label(opt.Codes, l))
			}
			if direction(opt.Directions, j)*direction(opt.Directions, l) < 0 {
				r = -r
			}
			res.Correlation[j][l] = r
			res.Conflict[j] += 1 - r
		}
		res.Information[j] = res.SD[j] * res.Conflict[j]
	}
	copy(res.Weights, res.Information)
	maxConflict := 0.0
	for _, c := range res.Conflict {
		maxConflict = math.Max(maxConflict, c)
	}
	// Conflicts of rounding size (r = 1 up to ulps) are no information.
	if maxConflict < 1e-12 || !normaliseSum(res.Weights) {
		return CRITICResult{}, fmt.Errorf("CRITIC weights: the indicators are perfectly correlated, every C_j is 0")
	}
	return res, nil
}

// columnStats returns the minimum, maximum, count and mean of the
// observed (non-NaN) values of x in one pass.
func columnStats(x []float64) (lo, hi float64, n int, mean float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	var s float64
	for _, v := range x {
		if v != v {
			continue
		}
		n++
		s += v
		if v < lo {
			lo = v
		}
		if v > hi {
			hi = v
		}
	}
	return lo, hi, n, s / float64(n)
}

// stdDev is the standard deviation of the n observed values of x about
// their mean (the second pass of the two-pass algorithm); population
// divides by n, otherwise by n − 1.
func stdDev(x []float64, mean float64, n int, population bool) float64 {
	var ss float64
	for _, v := range x {
		if v == v {
			d := v - mean
			ss += d * d
		}
	}
	if population {
		return math.Sqrt(ss / float64(n))
	}
	return math.Sqrt(ss / float64(n-1))
}

// nanMatrix returns a k×k matrix of NaN.
func nanMatrix(k int) [][]float64 {
	flat := make([]float64, k*k)
	for i := range flat {
		flat[i] = math.NaN()
	}
	m := make([][]float64, k)
	for i := range m {
		m[i] = flat[i*k : (i+1)*k : (i+1)*k]
	}
	return m
}

// checkCRITICOptions validates the data and the options.
func checkCRITICOptions(cols [][]float64, opt CRITICOptions) error {
	switch opt.SD {
	case "", SDSample, SDPopulation:
	default:
		return fmt.Errorf("unknown standard deviation %q (want %s or %s)", opt.SD, SDSample, SDPopulation)
	}
	return checkColumns(cols, opt.Directions, opt.Codes, 2)
}
