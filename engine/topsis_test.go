package engine

import (
	"testing"
)

// Textbook TOPSIS on raw values: the fighter-aircraft example of Hwang &
// Yoon (1981), Multiple Attribute Decision Making, Springer, §III.1.2.4
// (also Yoon & Hwang 1995, Sage, ch. 5). Four aircraft, six criteria
// (maximum speed, ferry range, maximum payload, acquisition cost,
// reliability, manoeuvrability), cost a cost criterion, weights 0.2, 0.1,
// 0.1, 0.1, 0.2, 0.3. Published relative closeness (3 decimals): 0.643,
// 0.268, 0.613, 0.312. With no normalisation in the scheme, --aggregate
// topsis must give them (× 100) from the raw values, the cost criterion's
// direction −1 choosing its minimum as ideal (issue 9, item 10: before,
// the values were min-max normalised first and every criterion treated as
// a benefit).
func TestTOPSISTextbookFighterAircraft(t *testing.T) {
	codes := []string{"speed", "range", "payload", "cost", "reliability", "manoeuvrability"}
	fw := flat(codes...)
	fw.Indicators[3].Direction = -1
	d := dataOf(codes,
		[]float64{2.0, 1500, 20000, 5.5, 5, 9},
		[]float64{2.5, 2700, 18000, 6.5, 3, 5},
		[]float64{1.8, 2000, 21000, 4.5, 7, 7},
		[]float64{2.2, 1800, 20000, 5.0, 5, 5})
	w := []float64{0.2, 0.1, 0.1, 0.1, 0.2, 0.3}
	s := DefaultScheme()
	s.Weighting = Weighting{Method: WeightManual, Weights: map[string]float64{}}
	for i, c := range codes {
		s.Weighting.Weights[c] = w[i]
	}
	s.OverrideAll(nil, &Aggregation{Method: AggTOPSIS})
	r := mustScore(t, fw, d, s)
	// The book rounds intermediate results to 4 decimals (d⁺₃ = 0.0580,
	// d⁻₃ = 0.0920 give 0.613; unrounded, C₃ = 0.61354), hence 10⁻³.
	assertNear(t, "closeness", column(r, "flat"), []float64{64.3, 26.8, 61.3, 31.2}, 0.1)
	ranks := []int32{1, 4, 2, 3}
	for u, want := range ranks {
		if got := r.RankAt(u, 0); got != want {
			t.Errorf("unit %d: rank %d, want %d", u, got, want)
		}
	}
	// The leaves keep their raw values; the cost criterion ranks lowest first.
	if got := r.At(2, r.NodeIndex("cost")); got != 4.5 {
		t.Errorf("cost of unit 3 = %g, want the raw 4.5", got)
	}
	if got := r.RankAt(2, r.NodeIndex("cost")); got != 1 {
		t.Errorf("cost rank of the cheapest unit = %d, want 1", got)
	}

	// An explicit normalisation is applied first; TOPSIS then treats the
	// (higher-is-better) scores as benefit criteria and vector-normalises
	// them again, which gives other closeness values (A2: 36.6, not 26.8).
	s.Normalisation = Normalisation{Method: NormMinMax, High: 100}
	r = mustScore(t, fw, d, s)
	if got := r.At(1, 0); near(got, 26.8, 1) {
		t.Errorf("min-max then TOPSIS: A2 scores %g, the raw-value closeness", got)
	}
}

// Sensitivity analysis cannot vary the aggregation of a scheme that relies
// on TOPSIS's raw values: the other aggregations need normalised scores.
func TestUncertaintyRefusesRawTOPSISWithAggregations(t *testing.T) {
	fw := flat("a", "b")
	d := dataOf([]string{"a", "b"}, []float64{1, 2}, []float64{3, 1}, []float64{2, 2})
	s := DefaultScheme()
	s.Aggregation.Method = AggTOPSIS
	_, err := Uncertainty(fw, d, s, UncertaintyConfig{Runs: 40, Seed: 1,
		Aggregations: []Aggregation{{Method: AggArithmetic}, {Method: AggTOPSIS}}})
	if err == nil {
		t.Fatal("want an error: raw values cannot be aggregated by amean")
	}
	s.Normalisation = Normalisation{Method: NormMinMax}
	if _, err := Uncertainty(fw, d, s, UncertaintyConfig{Runs: 40, Seed: 1,
		Aggregations: []Aggregation{{Method: AggArithmetic}, {Method: AggTOPSIS}}}); err != nil {
		t.Fatal(err)
	}
}
