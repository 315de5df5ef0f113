package engine

import (
	"strings"
	"testing"
)

// A 2×2 pairwise matrix [[1,3],[1/3,1]] has the eigenvector (3/4, 1/4);
// two experts saying 3 and 1/3 combine (geometric mean) to 1: equal weights.
func TestAHPWeighting(t *testing.T) {
	fw := expertFlat("a", "b")
	d := dataOf([]string{"a", "b"}, []float64{80, 40}, []float64{20, 60})
	s := DefaultScheme()
	s.Weighting = Weighting{Method: WeightAHP, AHP: map[string][][][]float64{"": {{{1, 3}, {1.0 / 3, 1}}}}}
	r := mustScore(t, fw, d, s)
	assertNear(t, "weights", r.Weights, []float64{1, 0.75, 0.25}, 1e-9)
	assertNear(t, "overall", column(r, "flat"), []float64{70, 30}, 1e-9)
	s.Weighting.AHP = map[string][][][]float64{"flat": {{{1, 3}, {1.0 / 3, 1}}, {{1, 1.0 / 3}, {3, 1}}}}
	r = mustScore(t, fw, d, s)
	assertNear(t, "group weights", r.Weights, []float64{1, 0.5, 0.5}, 1e-9)
	s.Weighting.AHP = map[string][][][]float64{"a": {{{1}}}}
	if _, err := Score(fw, d, s); err == nil || !strings.Contains(err.Error(), `"a"`) {
		t.Errorf("AHP for a leaf: %v", err)
	}
}

// Data-driven weights sum to 1 in every group; identical children get equal
// weights under entropy (CRITIC rejects perfectly correlated children).
func TestDataDrivenWeighting(t *testing.T) {
	fw := seedShape()
	d := Synthetic(fw, 400, 2)
	for _, m := range []string{WeightEntropy, WeightCRITIC, WeightPCA} {
		s := DefaultScheme()
		s.Weighting.Method = m
		r, err := Score(fw, d, s)
		if err != nil {
			t.Errorf("%s: %v", m, err)
			continue
		}
		for k, nd := range r.Nodes {
			if len(nd.Children) == 0 {
				continue
			}
			sum := 0.0
			for _, c := range nd.Children {
				sum += r.Weights[c]
			}
			if !near(sum, 1, 1e-9) {
				t.Errorf("%s: weights under %s sum to %g", m, r.Nodes[k].Code, sum)
			}
		}
	}
	fw2 := flat("a", "b")
	d2 := dataOf([]string{"a", "b"}, []float64{1, 1}, []float64{2, 2}, []float64{5, 5}, []float64{3, 3})
	for _, m := range []string{WeightEntropy} {
		s := DefaultScheme()
		s.Weighting.Method = m
		r, err := Score(fw2, d2, s)
		if err != nil {
			t.Errorf("%s: %v", m, err)
			continue
		}
		assertNear(t, m, r.Weights[1:], []float64{0.5, 0.5}, 1e-9)
	}
}

// Every unknown code in manual weights and AHP matrices is reported, in
// sorted order, so that the message is the same on every run (it used to
// name whichever code map iteration gave first).
func TestWeightingUnknownCodesAllReported(t *testing.T) {
	fw := expertFlat("a", "b")
	d := dataOf([]string{"a", "b"}, []float64{80, 40}, []float64{20, 60})
	s := DefaultScheme()
	s.Weighting = Weighting{Method: WeightManual, Weights: map[string]float64{"a": 1, "zz": 2, "yy": 1, "xx": 1},
		AHP: map[string][][][]float64{"q": {{{1}}}, "p": {{{1}}}}}
	want := `weighting.weights: unknown indicator code "xx"` + "\n" +
		`weighting.weights: unknown indicator code "yy"` + "\n" +
		`weighting.weights: unknown indicator code "zz"` + "\n" +
		`weighting.ahp: "p" is not a parent indicator of framework flat` + "\n" +
		`weighting.ahp: "q" is not a parent indicator of framework flat`
	for range 20 {
		_, err := Score(fw, d, s)
		if err == nil || !strings.HasSuffix(err.Error(), want) {
			t.Fatalf("got %v\nwant the suffix\n%s", err, want)
		}
	}
}
