// Package audit is the statistical audit of an indicator set, as in the
// OECD/JRC Handbook on Constructing Composite Indicators (2008, §4
// "Multivariate analysis") and the COINr functions get_corr, get_cronbach
// and get_PCA: correlation matrices, internal consistency and the variance
// structure of the indicators.
//
// Every function takes cols [][]float64 with cols[j] the values of indicator
// j across units; all columns have the same length (a mismatch is a
// programming error and panics, as in gonum). NaN marks a missing value.
// Correlations use pairwise-complete observations; Cronbach's alpha and the
// principal-component variances use complete cases (units observed on every
// indicator). The package does no I/O.
package audit

import "math"

// CompleteCases returns the columns restricted to the units that are
// observed (not NaN) on every column, in their original order. The result
// is a copy, except that when no unit has a missing value the columns
// themselves are returned (callers must not modify them).
func CompleteCases(cols [][]float64) [][]float64 {
	if len(cols) == 0 {
		return nil
	}
	n := len(cols[0])
	keep := make([]bool, n)
	count := 0
	for i := 0; i < n; i++ {
		keep[i] = true
		for _, c := range cols {
			if math.IsNaN(c[i]) {
				keep[i] = false
				break
			}
		}
		if keep[i] {
			count++
		}
	}
	if count == n {
		return cols
	}
	out := make([][]float64, len(cols))
	buf := make([]float64, count*len(cols))
	for j, c := range cols {
		dst := buf[j*count : (j+1)*count : (j+1)*count]
		k := 0
		for i, ok := range keep {
			if ok {
				dst[k] = c[i]
				k++
			}
		}
		out[j] = dst
	}
	return out
}

// checkLengths panics when the columns differ in length.
func checkLengths(cols [][]float64) {
	for j := 1; j < len(cols); j++ {
		if len(cols[j]) != len(cols[0]) {
			panic("audit: columns of different length")
		}
	}
}

// hasNaN reports whether x contains a NaN.
func hasNaN(x []float64) bool {
	for _, v := range x {
		if v != v {
			return true
		}
	}
	return false
}
