package agreement

import (
	"errors"
	"fmt"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/sceval/sceval/engine/audit"
)

// KendallW returns Kendall's coefficient of concordance for m raters
// ranking n items (Kendall & Babington Smith 1939, "The problem of m
// rankings", Ann. Math. Statist. 10(3):275–287), with the correction for
// ties (Kendall 1948, Rank Correlation Methods):
//
//	r_ij = average rank of item j among rater i's scores
//	R_j  = Σ_i r_ij,   S = Σ_j (R_j − m(n+1)/2)²
//	T_i  = Σ over rater i's groups of t tied scores of (t³ − t)
//	W    = 12 S / (m²(n³ − n) − m Σ_i T_i)
//
// W is 1 for identical rankings and 0 for no agreement. The significance
// test is Friedman's: χ² = m(n − 1)W with df = n − 1 degrees of freedom
// and p the upper-tail chi-square probability (a large-sample
// approximation, fair for n > 7). Raw scores may be given: they are
// ranked per rater. At least 2 raters and 2 items are needed and no
// score may be missing; if every rater ties every item W is undefined and
// an error is returned.
func KendallW(scores [][]float64) (w, chi2, df, p float64, err error) {
	m, n, err := checkComplete(scores, 2, 2)
	if err != nil {
		//lint:ignore ST1005 Kendall is a proper name
		return 0, 0, 0, 0, fmt.Errorf("Kendall's W: %w", err)
	}
	rankSum := make([]float64, n)
	var ties float64
	for _, row := range scores {
		r := audit.AverageRanks(row)
		for j, v := range r {
			rankSum[j] += v
		}
		ties += tieCorrection(r)
	}
	fm, fn := float64(m), float64(n)
	mean := fm * (fn + 1) / 2
	var s float64
	for _, rj := range rankSum {
		s += (rj - mean) * (rj - mean)
	}
	den := fm*fm*(fn*fn*fn-fn) - fm*ties
	if den <= 0 {
		//lint:ignore ST1005 Kendall is a proper name
		return 0, 0, 0, 0, errors.New("Kendall's W: every rater gave all items the same score")
	}
	w = 12 * s / den
	df = fn - 1
	chi2 = fm * df * w
	p = distuv.ChiSquared{K: df}.Survival(chi2)
	return w, chi2, df, p, nil
}

// tieCorrection returns Σ (t³ − t) over the groups of t equal values in
// the average ranks r (equal scores share an equal average rank).
func tieCorrection(r []float64) float64 {
	counts := make(map[float64]int, len(r))
	for _, v := range r {
		counts[v]++
	}
	var t float64
	for _, c := range counts {
		if c > 1 {
			fc := float64(c)
			t += fc*fc*fc - fc
		}
	}
	return t
}
