package platform

import (
	"math"
	"slices"
)

// CombineScores combines one indicator's expert scores (0–100) by method:
//
//   - mean: the arithmetic mean;
//   - median: the middle value (mean of the two middle ones for an even
//     count);
//   - trimmed_mean: the mean after cutting g = ⌊trim·n⌋ scores from each
//     end of the sorted scores (the definition of Wilcox, Introduction to
//     Robust Estimation and Hypothesis Testing, 3rd ed. 2012, §2.3, and of
//     scipy.stats.trim_mean); with g = 0 it is the mean.
//
// NaN for no scores.
func CombineScores(scores []float64, method CombineMethod, trim float64) float64 {
	n := len(scores)
	if n == 0 {
		return math.NaN()
	}
	x := slices.Clone(scores)
	slices.Sort(x)
	switch method {
	case CombineMedian:
		if n%2 == 1 {
			return x[n/2]
		}
		return (x[n/2-1] + x[n/2]) / 2
	case CombineTrimmedMean:
		g := int(math.Floor(trim * float64(n)))
		if 2*g >= n {
			g = (n - 1) / 2
		}
		x = x[g : n-g]
	}
	var sum float64
	for _, v := range x {
		sum += v
	}
	return sum / float64(len(x))
}

// Valid reports whether m is a known combination method.
func (m CombineMethod) Valid() bool {
	return m == CombineMean || m == CombineMedian || m == CombineTrimmedMean
}

// Valid reports whether m is a known expert mode.
func (m ExpertMode) Valid() bool { return m == ExpertIndicators || m == ExpertTotal }
