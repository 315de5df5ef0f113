package agreement

import (
	"math"
	"strings"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// Shrout & Fleiss (1979), Table 2: six targets rated by four judges,
// given here as judges × targets.
var shroutFleiss = [][]float64{
	{9, 6, 8, 7, 10, 6},
	{2, 1, 4, 1, 5, 2},
	{5, 3, 6, 2, 6, 4},
	{8, 2, 8, 6, 9, 7},
}

// Published: BMS = 11.24, WMS = 6.26, JMS = 32.49, EMS = 1.02 (Table 3)
// and ICC(1,1) = .17, ICC(2,1) = .29, ICC(3,1) = .71, ICC(1,4) = .44,
// ICC(2,4) = .62, ICC(3,4) = .91 (Table 4), all to two decimals.
func TestICCShroutFleiss(t *testing.T) {
	t.Parallel()
	a, err := MeanSquares(shroutFleiss)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"BMS", a.BMS, 11.24}, {"WMS", a.WMS, 6.26}, {"JMS", a.JMS, 32.49}, {"EMS", a.EMS, 1.02}} {
		if !near(c.got, c.want, 0.005) {
			t.Errorf("%s = %.4f, published %.2f", c.name, c.got, c.want)
		}
	}
	tests := []struct {
		model ICCModel
		want  float64
	}{
		{ICC11, .17}, {ICC21, .29}, {ICC31, .71}, {ICC1K, .44}, {ICC2K, .62}, {ICC3K, .91},
	}
	for _, tc := range tests {
		got, err := ICC(shroutFleiss, tc.model)
		if err != nil {
			t.Fatal(err)
		}
		if !near(got, tc.want, 0.005) {
			t.Errorf("%v = %.4f, published %.2f", tc.model, got, tc.want)
		}
	}
}

func TestICCErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		scores [][]float64
		model  ICCModel
		want   string
	}{
		{[][]float64{{1, 2}}, ICC21, "1 raters, need at least 2"},
		{[][]float64{{1, 2}, {1, math.NaN()}}, ICC21, "rater 2, item 2: score NaN"},
		{[][]float64{{1, 2}, {1}}, ICC21, "rater 2 scored 1 items"},
		{[][]float64{{3, 3}, {3, 3}}, ICC31, "ICC(3,1): undefined"},
		{shroutFleiss, ICCModel(9), "unknown model 9"},
	}
	for _, tc := range tests {
		_, err := ICC(tc.scores, tc.model)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %v, want %q", err, tc.want)
		}
	}
}

// chi2Survival3 is the closed form of the chi-square upper tail with 3
// degrees of freedom, erfc(√(x/2)) + √(2x/π)·e^(−x/2), independent of
// gonum's distuv.
func chi2Survival3(x float64) float64 {
	return math.Erfc(math.Sqrt(x/2)) + math.Sqrt(2*x/math.Pi)*math.Exp(-x/2)
}

// Hand calculations, 3 raters × 4 items.
// No ties: ranks (1,2,3,4), (2,1,3,4), (1,3,2,4); R = (4,6,8,12), mean
// 7.5, S = 12.25+2.25+0.25+20.25 = 35, W = 12·35/(9·60) = 7/9, χ² = 7.
// Ties: rater 1 scores (1,1,2,3) → ranks (1.5,1.5,3,4), T = 2³−2 = 6;
// with (1,2,3,4) and (2,1,4,3): R = (4.5,4.5,10,11), S = 36.5,
// W = 438/(540 − 18) = 438/522.
func TestKendallWHand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		scores  [][]float64
		w, chi2 float64
	}{
		{"no ties", [][]float64{{1, 2, 3, 4}, {2, 1, 3, 4}, {1, 3, 2, 4}}, 7. / 9, 7},
		{"raw scores", [][]float64{{10, 20, 30, 40}, {55, 50, 60, 90}, {0.1, 0.3, 0.2, 0.4}}, 7. / 9, 7},
		{"ties", [][]float64{{1, 1, 2, 3}, {1, 2, 3, 4}, {2, 1, 4, 3}}, 438. / 522, 9 * 438. / 522},
		{"perfect", [][]float64{{1, 2, 3, 4}, {1, 2, 3, 4}, {1, 2, 3, 4}}, 1, 9},
	}
	for _, tc := range tests {
		w, chi2, df, p, err := KendallW(tc.scores)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !near(w, tc.w, 1e-12) || !near(chi2, tc.chi2, 1e-12) || df != 3 {
			t.Errorf("%s: W %v χ² %v df %v, want %v %v 3", tc.name, w, chi2, df, tc.w, tc.chi2)
		}
		if want := chi2Survival3(tc.chi2); !near(p, want, 1e-10) {
			t.Errorf("%s: p = %v, want %v", tc.name, p, want)
		}
	}
	if _, _, _, _, err := KendallW([][]float64{{1, 1}, {2, 2}}); err == nil || !strings.Contains(err.Error(), "same score") {
		t.Errorf("all tied: error %v", err)
	}
}

// Six raters agree exactly and a seventh is 30 points off on every item:
// leave-one-out deviations are (0,…,0,30), whose z-score for the seventh
// is (m−1)/√m = 6/√7 ≈ 2.268, the largest possible with 7 raters.
func TestOutlierRaters(t *testing.T) {
	t.Parallel()
	base := []float64{60, 72, 85, 40, 90}
	var scores [][]float64
	for i := 0; i < 6; i++ {
		scores = append(scores, append([]float64(nil), base...))
	}
	off := make([]float64, len(base))
	for j, v := range base {
		off[j] = v + 30
	}
	scores = append(scores, off)
	d := RaterDeviations(scores)
	if d[6] != 30 || d[0] != 0 {
		t.Errorf("deviations %v", d)
	}
	if got := OutlierRaters(scores, 2); len(got) != 1 || got[0] != 6 {
		t.Errorf("z=2: outliers %v, want [6]", got)
	}
	if got := OutlierRaters(scores, 6/math.Sqrt(7)+1e-9); got != nil {
		t.Errorf("z above the maximum: outliers %v, want none", got)
	}
	// Missing scores are skipped: rater 3 scored only items 1 and 2, at
	// 10 and 20 from the others' medians; rater 4 scored nothing.
	nan := math.NaN()
	s2 := [][]float64{{50, 50, 50}, {50, 50, 50}, {60, 30, nan}, {nan, nan, nan}}
	d = RaterDeviations(s2)
	if !near(d[2], 15, 1e-12) || !math.IsNaN(d[3]) {
		t.Errorf("deviations with missing %v, want d[2] = 15, d[3] = NaN", d)
	}
	if got := OutlierRaters([][]float64{{1}, {2}}, 0); got != nil {
		t.Errorf("two raters: %v", got)
	}
}
