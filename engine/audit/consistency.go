package audit

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// CronbachAlpha returns Cronbach's (1951) coefficient alpha of the k
// columns taken as items of one scale,
//
//	α = k/(k−1) · (1 − Σ_j σ²_j / σ²_T),
//
// where σ²_j is the variance of item j and σ²_T the variance of the unit
// totals Σ_j x_ij (sample variances; the ratio does not depend on the
// divisor). Only complete cases are used, as COINr's get_cronbach does. It
// returns NaN when k < 2, fewer than two complete cases remain, or the
// totals are constant.
func CronbachAlpha(cols [][]float64) float64 {
	checkLengths(cols)
	k := len(cols)
	if k < 2 {
		return math.NaN()
	}
	cc := CompleteCases(cols)
	n := len(cc[0])
	if n < 2 {
		return math.NaN()
	}
	total := make([]float64, n)
	var sumVar float64
	for _, c := range cc {
		sumVar += stat.Variance(c, nil)
		for i, v := range c {
			total[i] += v
		}
	}
	vt := stat.Variance(total, nil)
	if vt == 0 {
		return math.NaN()
	}
	fk := float64(k)
	return fk / (fk - 1) * (1 - sumVar/vt)
}

// PCAVariance returns the eigenvalues λ_1 ≥ … ≥ λ_k of the correlation
// matrix of the columns (complete cases) and the share of the total
// variance each principal component explains, λ_m / Σλ (Σλ = k for a
// correlation matrix). This is the variance table of the OECD/JRC Handbook
// (2008, §4.1, Table 4.3 style) and of COINr's get_PCA. It returns nil, nil
// when fewer than two complete cases remain or a column is constant over
// them (its correlations are undefined).
func PCAVariance(cols [][]float64) (eigenvalues, explainedShare []float64) {
	checkLengths(cols)
	r, ok := CompleteCorrelation(cols)
	if !ok {
		return nil, nil
	}
	var eig mat.EigenSym
	if !eig.Factorize(r, false) {
		return nil, nil
	}
	ev := eig.Values(nil)
	sort.Sort(sort.Reverse(sort.Float64Slice(ev)))
	var sum float64
	for _, v := range ev {
		sum += v
	}
	share := make([]float64, len(ev))
	for i, v := range ev {
		share[i] = v / sum
	}
	return ev, share
}

// CompleteCorrelation returns the Pearson correlation matrix of the
// complete cases as a gonum symmetric matrix; ok is false when it is
// undefined (no columns, fewer than two complete cases, or a constant
// column).
func CompleteCorrelation(cols [][]float64) (r *mat.SymDense, ok bool) {
	if len(cols) == 0 {
		return nil, false
	}
	cc := CompleteCases(cols)
	if len(cc[0]) < 2 {
		return nil, false
	}
	return SymCorrelation(correlate(cc))
}

// SymCorrelation converts a correlation matrix such as Pearson's result to
// a gonum symmetric matrix; ok is false when an entry is NaN.
func SymCorrelation(p [][]float64) (r *mat.SymDense, ok bool) {
	k := len(p)
	if k == 0 {
		return nil, false
	}
	r = mat.NewSymDense(k, nil)
	for j := 0; j < k; j++ {
		for l := j; l < k; l++ {
			if math.IsNaN(p[j][l]) {
				return nil, false
			}
			r.SetSym(j, l, p[j][l])
		}
	}
	return r, true
}
