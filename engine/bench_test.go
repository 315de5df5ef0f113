package engine

import (
	"testing"

	"github.com/sceval/sceval/framework"
)

// benchUnits is the number of towns and subdistricts in the registry
// (DESIGN §2).
const benchUnits = 41352

// benchFramework is the built-in MOHURD 2012 framework (4/11/57), or the
// same shape built in code.
func benchFramework() *framework.Framework {
	if fw, ok := framework.Builtin("mohurd-2012"); ok {
		return fw
	}
	return seedShape()
}

// BenchmarkScore scores 41,352 units × 57 indicators at every level with
// the default scheme (ranks, coverage, contributions, hash included).
func BenchmarkScore(b *testing.B) {
	fw := benchFramework()
	d := Synthetic(fw, benchUnits, 1)
	s := DefaultScheme()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Score(fw, d, s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUncertainty: 1,000 runs (k = 3 inputs: weight noise ±25%,
// normalisation minmax/rank/percentile, aggregation amean/gmean/hmean) on
// 41,352 units × 57 indicators.
func BenchmarkUncertainty(b *testing.B) {
	fw := benchFramework()
	d := Synthetic(fw, benchUnits, 1)
	cfg := UncertaintyConfig{Runs: 1000, Seed: 1, WeightNoise: 0.25,
		Normalisations: []Normalisation{{Method: NormMinMax}, {Method: NormRank}, {Method: NormPercentile}},
		Aggregations:   []Aggregation{{Method: AggArithmetic}, {Method: AggGeometric}, {Method: AggHarmonic}},
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Uncertainty(fw, d, DefaultScheme(), cfg); err != nil {
			b.Fatal(err)
		}
	}
}
