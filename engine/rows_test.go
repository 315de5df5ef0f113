package engine

import (
	"math"
	"runtime"
	"slices"
	"testing"
)

// Score gives the same bits on one goroutine as on several: ranks,
// leaves and rows are computed in parallel (rows.go), with and without
// cover columns (imputation makes the reported values differ from the
// scores).
func TestScoreIndependentOfWorkers(t *testing.T) {
	fw := benchFramework()
	d := Synthetic(fw, 3000, 7)
	for _, imp := range []string{ImputeNone, ImputeMean} {
		s := DefaultScheme()
		s.Imputation.Method = imp
		prev := runtime.GOMAXPROCS(1)
		one := mustScore(t, fw, d, s)
		runtime.GOMAXPROCS(3)
		three := mustScore(t, fw, d, s)
		runtime.GOMAXPROCS(prev)
		same := func(a, b []float64) bool {
			return slices.EqualFunc(a, b, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) })
		}
		if !same(one.Score, three.Score) || !same(one.Coverage, three.Coverage) ||
			!same(one.Contribution, three.Contribution) || !slices.Equal(one.Rank, three.Rank) ||
			!slices.Equal(one.Stars, three.Stars) || one.Hash != three.Hash {
			t.Fatalf("imputation %s: results differ between 1 and 3 goroutines", imp)
		}
	}
}
