package engine

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/sceval/sceval/framework"
)

func ptr(v float64) *float64 { return &v }

// Hand-calculated normalisations of small columns.
func TestNormalise(t *testing.T) {
	sdz := math.Sqrt(32.0 / 7) // sample SD of 2,4,4,4,5,5,7,9 (mean 5)
	tests := []struct {
		name string
		norm Normalisation
		ind  framework.Indicator
		x    []float64
		want []float64
	}{
		{"minmax", Normalisation{Method: NormMinMax, High: 100}, framework.Indicator{}, []float64{10, 20, 30, 40, nan}, []float64{0, 100.0 / 3, 200.0 / 3, 100, nan}},
		{"minmax 1..100", Normalisation{Method: NormMinMax, Low: 1, High: 100}, framework.Indicator{}, []float64{0, 5, 10}, []float64{1, 50.5, 100}},
		{"minmax direction -1", Normalisation{Method: NormMinMax, High: 100}, framework.Indicator{Direction: -1}, []float64{10, 20, 30}, []float64{100, 50, 0}},
		{"minmax constant → midpoint", Normalisation{Method: NormMinMax, High: 100}, framework.Indicator{}, []float64{7, 7, nan}, []float64{50, 50, nan}},
		{"zscore", Normalisation{Method: NormZScore}, framework.Indicator{}, []float64{2, 4, 4, 4, 5, 5, 7, 9}, []float64{-3 / sdz, -1 / sdz, -1 / sdz, -1 / sdz, 0, 0, 2 / sdz, 4 / sdz}},
		{"zscore 50,10 direction -1", Normalisation{Method: NormZScore, Mean: 50, SD: 10}, framework.Indicator{Direction: -1}, []float64{2, 5, 9, 4, 4, 4, 5, 7}, []float64{50 + 30/sdz, 50, 50 - 40/sdz, 50 + 10/sdz, 50 + 10/sdz, 50 + 10/sdz, 50, 50 - 20/sdz}},
		{"rank ties averaged", Normalisation{Method: NormRank}, framework.Indicator{}, []float64{10, 20, 20, 40, nan}, []float64{0, 50, 50, 100, nan}},
		{"percentile ties min", Normalisation{Method: NormPercentile}, framework.Indicator{}, []float64{10, 20, 20, 40}, []float64{0, 100.0 / 3, 100.0 / 3, 100}},
		{"rank direction -1", Normalisation{Method: NormRank}, framework.Indicator{Direction: -1}, []float64{10, 20, 30}, []float64{100, 50, 0}},
		{"target capped", Normalisation{Method: NormTarget}, framework.Indicator{Target: ptr(50)}, []float64{10, 30, 50, 70}, []float64{0, 50, 100, 100}},
		{"target direction -1", Normalisation{Method: NormTarget}, framework.Indicator{Target: ptr(20), Direction: -1}, []float64{60, 40, 20, 10}, []float64{0, 50, 100, 100}},
		{"goalposts", Normalisation{Method: NormGoalposts}, framework.Indicator{Goalposts: &framework.Goalposts{Low: 0, High: 200}}, []float64{50, 250, -10}, []float64{25, 100, 0}},
		{"goalposts direction -1", Normalisation{Method: NormGoalposts}, framework.Indicator{Goalposts: &framework.Goalposts{Low: 0, High: 200}, Direction: -1}, []float64{50, 250, -10}, []float64{75, 0, 100}},
		{"passthrough", Normalisation{Method: NormPassthrough}, framework.Indicator{}, []float64{-3, 7}, []float64{-3, 7}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sp := leafSpec{target: tc.ind.Target, goalposts: tc.ind.Goalposts, sign: tc.ind.Sign()}
			got := make([]float64, len(tc.x))
			if _, err := normalise(got, tc.x, tc.norm, leafContext{code: "x", sign: sp.sign, ind: sp}); err != nil {
				t.Fatal(err)
			}
			assertNear(t, tc.name, got, tc.want, 1e-9)
		})
	}
}

func TestNormaliseMissingParameters(t *testing.T) {
	got := make([]float64, 2)
	_, err := normalise(got, []float64{1, 2}, Normalisation{Method: NormGoalposts}, leafContext{code: "2.1.3", sign: 1})
	if err == nil || !strings.Contains(err.Error(), "2.1.3") {
		t.Fatalf("want an error naming 2.1.3, got %v", err)
	}
	_, err = normalise(got, []float64{1, 2}, Normalisation{Method: NormTarget}, leafContext{code: "2.1.4", sign: 1})
	if err == nil || !strings.Contains(err.Error(), "2.1.4") {
		t.Fatalf("want an error naming 2.1.4, got %v", err)
	}
}

// Properties of min-max: results lie in [L,U], and scaling an indicator by
// a positive constant changes nothing.
func TestMinMaxProperties(t *testing.T) {
	x := []float64{3.2, -1, 8.5, 0, 4.4, nan, 12}
	for _, lu := range [][2]float64{{0, 100}, {1, 100}, {-5, 5}} {
		a := make([]float64, len(x))
		b := make([]float64, len(x))
		normMinMax(a, x, lu[0], lu[1], leafContext{sign: 1})
		scaled := make([]float64, len(x))
		for i, v := range x {
			scaled[i] = 37.5 * v
		}
		normMinMax(b, scaled, lu[0], lu[1], leafContext{sign: 1})
		for i := range a {
			if a[i] == a[i] && (a[i] < lu[0] || a[i] > lu[1]) {
				t.Errorf("[%g,%g]: value %g out of range", lu[0], lu[1], a[i])
			}
		}
		assertNear(t, "scaled", b, a, 1e-9)
	}
}

func TestRubricAndExpert(t *testing.T) {
	levels := []float64{0, 40, 70, 100}
	got := make([]float64, 4)
	if err := mapRubric(got, []float64{1, 4, 2, nan}, levels, "1.1.1", []string{"a", "b", "c", "d"}); err != nil {
		t.Fatal(err)
	}
	assertNear(t, "rubric", got, []float64{0, 100, 40, nan}, 0)
	for _, bad := range []float64{2.5, 0, 5} {
		err := mapRubric(got[:1], []float64{bad}, levels, "1.1.1", []string{"北京"})
		if err == nil || !strings.Contains(err.Error(), "北京") || !strings.Contains(err.Error(), "1.1.1") {
			t.Errorf("level %g: want error naming unit and code, got %v", bad, err)
		}
	}
	if err := checkExpert([]float64{50, 101}, "3.1.2", []string{"a", "b"}); err == nil || !strings.Contains(err.Error(), "unit b, indicator 3.1.2") {
		t.Errorf("expert 101: got %v", err)
	}
}

// passthrough cannot reverse a lower-is-better indicator: Score refuses it
// with a *DirectionError naming the indicator (issue 9, item 9; before, the
// values passed unchanged and the worst unit ranked first).
func TestPassthroughRefusesDirectionMinusOne(t *testing.T) {
	fw := flat("a", "b")
	fw.Indicators[1].Direction = -1
	d := dataOf([]string{"a", "b"}, []float64{10, 1}, []float64{20, 9})
	s := DefaultScheme()
	s.Normalisation = Normalisation{Method: NormPassthrough}
	_, err := Score(fw, d, s)
	var de *DirectionError
	if !errors.As(err, &de) || de.Code != "b" || !strings.Contains(err.Error(), "indicator b") ||
		!strings.Contains(err.Error(), "direction -1") {
		t.Fatalf("want a DirectionError naming b, got %v", err)
	}
	// An override by code normalising b another way is accepted.
	s.Overrides = []Override{{Codes: []string{"b"}, Normalisation: &Normalisation{Method: NormMinMax}}}
	r := mustScore(t, fw, d, s)
	assertNear(t, "b", column(r, "b"), []float64{100, 0}, 1e-12)
}
