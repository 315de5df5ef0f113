package engine

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// SobolConfidence is the level of the bootstrap intervals of the
// sensitivity indices.
const SobolConfidence = 0.95

// sobolBootstraps is the number of bootstrap resamples of the base rows:
// enough for stable 2.5 % and 97.5 % percentiles (Efron & Tibshirani 1993,
// §13.3, recommend at least 1,000 for percentile intervals).
const sobolBootstraps = 1000

// sobolIntervals returns percentile bootstrap intervals (Efron &
// Tibshirani 1993, ch. 13) at level SobolConfidence for the first-order
// and total indices of the Saltelli design's outputs y (base size n, k
// inputs), as in Saltelli et al. (2008, Global Sensitivity Analysis: The
// Primer, §4.6) and SALib's sobol.analyze: the n base rows — each with its
// k+2 outputs f(A), f(B), f(A_B^(i)) — are resampled with replacement, and
// the estimators (sobolIndices, V included) recomputed on each resample.
// The resamples are drawn from a PCG stream seeded by seed, so the
// intervals are reproducible.
func sobolIntervals(y []float64, n, k int, seed uint64) (firstLo, firstHi, totalLo, totalHi []float64) {
	rng := rand.New(rand.NewPCG(seed, 0x5b0b01ba11a7e5)) // a stream of its own, apart from the design's
	fs := make([][]float64, k)
	ts := make([][]float64, k)
	yb := make([]float64, len(y))
	for range sobolBootstraps {
		for j := range n {
			src := rng.IntN(n)
			copy(yb[j*(k+2):(j+1)*(k+2)], y[src*(k+2):(src+1)*(k+2)])
		}
		f, t, _ := sobolIndices(yb, n, k)
		for i := range k {
			fs[i] = append(fs[i], f[i])
			ts[i] = append(ts[i], t[i])
		}
	}
	firstLo, firstHi = make([]float64, k), make([]float64, k)
	totalLo, totalHi = make([]float64, k), make([]float64, k)
	lo, hi := (1-SobolConfidence)/2, (1+SobolConfidence)/2
	for i := range k {
		slices.Sort(fs[i])
		slices.Sort(ts[i])
		firstLo[i], firstHi[i] = quantileFloat(fs[i], lo), quantileFloat(fs[i], hi)
		totalLo[i], totalHi[i] = quantileFloat(ts[i], lo), quantileFloat(ts[i], hi)
	}
	return firstLo, firstHi, totalLo, totalHi
}

// quantileFloat is R's type-7 quantile of sorted x.
func quantileFloat(x []float64, p float64) float64 {
	h := float64(len(x)-1) * p
	i := int(h)
	if i+1 >= len(x) {
		return x[len(x)-1]
	}
	return x[i] + (h-float64(i))*(x[i+1]-x[i])
}

// intervalNotice says which indices' intervals include 0 or 1, so that
// the analysis cannot tell them from "no effect" or "all the variance" at
// this N, and how the width shrinks with more runs; "" when none does.
func intervalNotice(idx []SensitivityIndex, n, runs int) string {
	var vague []string
	for _, si := range idx {
		for _, c := range []struct {
			name      string
			est       float64
			low, high float64
		}{{"first-order", si.First, si.FirstLow, si.FirstHigh}, {"total", si.Total, si.TotalLow, si.TotalHigh}} {
			switch {
			case c.low <= 0 && c.high >= 1:
				vague = append(vague, fmt.Sprintf("%s %s %.3g [%.3g, %.3g] includes 0 and 1", si.Input, c.name, c.est, c.low, c.high))
			case c.low <= 0:
				vague = append(vague, fmt.Sprintf("%s %s %.3g [%.3g, %.3g] includes 0", si.Input, c.name, c.est, c.low, c.high))
			case c.high >= 1:
				vague = append(vague, fmt.Sprintf("%s %s %.3g [%.3g, %.3g] includes 1", si.Input, c.name, c.est, c.low, c.high))
			}
		}
	}
	if len(vague) == 0 {
		return ""
	}
	return fmt.Sprintf("sensitivity indices: with N = %d base samples (%d runs) the %.0f %% intervals of %s: "+
		"the data cannot tell these indices from 0 (no effect) or 1 (all of the variance); "+
		"intervals narrow as 1/√N (4× the runs halve them); an input with no effect keeps 0 in its interval",
		n, runs, 100*SobolConfidence, strings.Join(vague, "; "))
}
