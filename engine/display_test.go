package engine

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// DisplayScore is the value that strconv's 'f' formatting with two decimals
// prints: at halves, next to halves and on random scores.
func TestDisplayScoreAgreesWithFormatting(t *testing.T) {
	check := func(v float64) {
		t.Helper()
		want, _ := strconv.ParseFloat(strconv.FormatFloat(v, 'f', ScoreDecimals, 64), 64)
		if got := DisplayScore(v); got != want {
			t.Fatalf("DisplayScore(%v) = %v, want %v (printed %s)", v, got, want, strconv.FormatFloat(v, 'f', 2, 64))
		}
	}
	for _, v := range []float64{0, 75, 74.99999999999994, 74.995, 74.985, 0.125, 0.375, 1.005, 2.675,
		-0.004, -74.995, 99.99999, 100, 59.994999999, 59.995, 1e12 + 0.125} {
		check(v)
		check(math.Nextafter(v, math.Inf(1)))
		check(math.Nextafter(v, math.Inf(-1)))
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200000 {
		check(100 * rng.Float64())
		check(float64(rng.IntN(20001))/200 + (rng.Float64()-0.5)*1e-12) // near halves of a cent
	}
	if v := DisplayScore(math.NaN()); v == v {
		t.Errorf("DisplayScore(NaN) = %v", v)
	}
}

// A score that is 75 in exact arithmetic but computed just below it is
// rated and ranked as the 75.00 it is shown as, under every aggregation.
// Each case was found by searching for inputs whose float64 result falls
// below the threshold (TestStarsOnThreshold failed on all five before the
// rule was applied); unit 1 scores 75 by other numbers (or the same ones,
// under TOPSIS, whose scores are relative) and must share its rank.
func TestStarsOnThreshold(t *testing.T) {
	manual := func(w ...float64) Weighting {
		m := map[string]float64{}
		for i, v := range w {
			m[string(rune('a'+i))] = v
		}
		return Weighting{Method: WeightManual, Weights: m}
	}
	tests := []struct {
		method string
		w      Weighting
		rows   [][]float64
		unit   int // the unit whose exact score is 75
		rank   int32
	}{
		// 0.3·26 + 0.7·96 = 75
		{AggArithmetic, manual(0.3, 0.7), [][]float64{{26, 96}, {75, 75}}, 0, 1},
		// √(75·75) = 75 = √(100·56.25)
		{AggGeometric, Weighting{}, [][]float64{{75, 75}, {100, 56.25}}, 0, 1},
		// 5/(5/75) = 75 = 5/(1/60 + 1/100 + 3/75)
		{AggHarmonic, Weighting{}, [][]float64{{75, 75, 75, 75, 75}, {60, 100, 75, 75, 75}}, 0, 1},
		// in [70, 80] the default grades give 67.5 + 1.5·(Σ w'x − 70): 0.2·72.6 + 0.8·75.6 = 75
		{AggFuzzy, manual(0.2, 0.8), [][]float64{{72.6, 75.6}, {75, 75}}, 0, 1},
		// equal columns: C = (x − min)/(max − min) = (0.7 − 0.1)/0.8 = 0.75
		{AggTOPSIS, Weighting{}, [][]float64{{0.7, 0.7}, {0.7, 0.7}, {0.1, 0.1}, {0.9, 0.9}}, 0, 2},
	}
	for _, tc := range tests {
		t.Run(tc.method, func(t *testing.T) {
			codes := make([]string, len(tc.rows[0]))
			for i := range codes {
				codes[i] = string(rune('a' + i))
			}
			fw := expertFlat(codes...)
			if tc.method == AggTOPSIS {
				fw = flat(codes...) // raw values, as TOPSIS takes them
			}
			s := DefaultScheme()
			s.Weighting = tc.w
			s.Aggregation.Method = tc.method
			s.Normalisation = Normalisation{Method: NormPassthrough}
			r := mustScore(t, fw, dataOf(codes, tc.rows...), s)
			v := r.At(tc.unit, 0)
			if v >= 75 || 75-v > 1e-9 {
				t.Fatalf("overall %.17g: the case no longer computes 75 just below it", v)
			}
			if got := strconv.FormatFloat(v, 'f', 2, 64); got != "75.00" {
				t.Fatalf("overall shown as %s", got)
			}
			if r.Stars[tc.unit] != 2 || r.Stars[1] != 2 {
				t.Errorf("stars %v for overall %.17g and %.17g, want 2 (threshold 75)", r.Stars, v, r.At(1, 0))
			}
			if r.RankAt(tc.unit, 0) != tc.rank || r.RankAt(1, 0) != tc.rank {
				t.Errorf("ranks %d and %d for %.17g and %.17g, want both %d", r.RankAt(tc.unit, 0), r.RankAt(1, 0), v, r.At(1, 0), tc.rank)
			}
		})
	}
}

func TestRatingStars(t *testing.T) {
	r := Rating{Thresholds: DefaultStarThresholds()}
	for _, tc := range []struct {
		v    float64
		want int
	}{{59.994, 0}, {59.995, 0} /* 59.99499… in binary, shown 59.99 */, {59.9951, 1}, {60, 1}, {74.99499, 1}, {74.99999999999994, 2}, {89.996, 3}, {math.NaN(), -1}} {
		if got := r.Stars(tc.v); got != tc.want {
			t.Errorf("Stars(%v) = %d, want %d", tc.v, got, tc.want)
		}
	}
}
