package engine

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

func TestImpute(t *testing.T) {
	groups := []string{"A", "A", "B", "B", "C"}
	tests := []struct {
		name string
		imp  Imputation
		x    []float64
		want []float64
	}{
		{"none", Imputation{Method: ImputeNone}, []float64{1, nan, 3}, []float64{1, nan, 3}},
		{"mean", Imputation{Method: ImputeMean}, []float64{1, nan, 3, 8, nan}, []float64{1, 4, 3, 8, 4}},
		{"median even", Imputation{Method: ImputeMedian}, []float64{1, nan, 3, 8, 10}, []float64{1, 5.5, 3, 8, 10}},
		{"median odd", Imputation{Method: ImputeMedian}, []float64{1, nan, 3, 8, nan}, []float64{1, 3, 3, 8, 3}},
		// group C has no value: overall mean (2+4+6)/3 = 4
		{"group mean", Imputation{Method: ImputeGroupMean, Group: "province"}, []float64{2, nan, 4, 6, nan}, []float64{2, 2, 4, 6, 4}},
	}
	for _, tc := range tests {
		x := append([]float64(nil), tc.x...)
		w := impute(x, tc.imp, groups, "1.2.3")
		assertNear(t, tc.name, x, tc.want, 1e-12)
		if tc.imp.Method != ImputeNone && !strings.Contains(w, "1.2.3") {
			t.Errorf("%s: warning %q does not name the indicator", tc.name, w)
		}
		if tc.name == "group mean" && !strings.Contains(w, "C") {
			t.Errorf("group mean: warning %q does not name the empty group", w)
		}
	}
}

// Skewness and kurtosis of COINr's own example c(1:10, 30, 100), checked
// against an independent computation (Python, e1071 type-2 formulas):
// G1 = 3.0632410342, G2 = 9.7413908346.
func TestSkewKurt(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100}
	sk, ku, ok := skewKurt(x)
	if !ok || !near(sk, 3.0632410342394985, 1e-9) || !near(ku, 9.741390834569144, 1e-9) {
		t.Fatalf("skewKurt = %v, %v, %v", sk, ku, ok)
	}
	// Excel SKEW/KURT of 2,4,4,4,5,5,7,9: 0.818487553, 0.940625
	sk, ku, _ = skewKurt([]float64{2, 4, 4, 4, 5, 5, 7, 9})
	if !near(sk, 0.8184875533567997, 1e-9) || !near(ku, 0.940625, 1e-9) {
		t.Fatalf("skewKurt = %v, %v", sk, ku)
	}
}

// In c(1:10, 30, 100) only 100 fails the test: winsorised to the next
// highest value 30, after which |skew| = 1.71 < 2 and treatment stops.
func TestWinsorise(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100}
	units := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"}
	o := Outliers{Method: OutliersWinsorise}
	o.fillDefaults()
	ws := treatOutliers(x, o, "4.3.1", units)
	want := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 30}
	assertNear(t, "winsorised", x, want, 0)
	if len(ws) != 1 || !strings.Contains(ws[0], "l (100→30)") || !strings.Contains(ws[0], "4.3.1") {
		t.Fatalf("warnings = %q", ws)
	}
	// Negative skew: the minimum goes up to the next lowest.
	y := []float64{-100, -30, -1, -2, -3, -4, -5, -6, -7, -8, -9, -10}
	treatOutliers(y, o, "x", units)
	if y[0] != -30 {
		t.Fatalf("negative skew: y[0] = %g, want -30", y[0])
	}
	// A column within limits is left alone.
	z := []float64{2, 4, 4, 4, 5, 5, 7, 9}
	if ws := treatOutliers(z, o, "x", units); ws != nil || z[7] != 9 {
		t.Fatalf("untouched column changed: %v %v", z, ws)
	}
}

// log_CT: log(x − min + 0.01·(max − min)).
func TestLogTransform(t *testing.T) {
	x := []float64{0, 1, 100}
	logTransform(x, true)
	want := []float64{0, 0.6931471805599453, 4.61512051684126} // ln 1, ln 2, ln 101
	assertNear(t, "log_CT", x, want, 1e-12)
}

// 1..20, 500, 1000 with at most one point: 1000 → 500 leaves G1 = 3.05,
// G2 = 8.05 (independent computation), still flagged, so with Log the
// original column is log_CT-transformed: ln(x − 1 + 9.99).
func TestOutliersLogFallback(t *testing.T) {
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 500, 1000}
	units := make([]string, len(x))
	for i := range units {
		units[i] = string(rune('a' + i))
	}
	orig := append([]float64(nil), x...)
	o := Outliers{Method: OutliersWinsorise, MaxPoints: 1, Log: true}
	o.fillDefaults()
	ws := treatOutliers(x, o, "2.1.1", units)
	for i, v := range orig {
		if want := math.Log(v - 1 + 9.99); !near(x[i], want, 1e-12) {
			t.Fatalf("x[%d] = %g, want %g", i, x[i], want)
		}
	}
	if len(ws) != 2 || !strings.Contains(ws[1], "log-transformed") {
		t.Fatalf("warnings %q", ws)
	}
}

// max_points counts distinct points, not moves (issue 9, item 8). Column
// 1, 2, …, 30, 150, 160, 170, 180 with max_points 5, by the Handbook's rule
// (G1 and G2 from the e1071 type-2 formulas, computed independently in
// Python):
//
//	start           G1 2.381, G2 4.256  flagged → 180 → 170 (unit 180: 1 point)
//	…, 150, 160, 170, 170  G1 2.363, G2 4.145  flagged → both 170 → 160 (2 points)
//	…, 150, 160, 160, 160  G1 2.342, G2 4.030  flagged → the three 160 → 150 (3 points)
//	…, 150, 150, 150, 150  G1 2.321, G2 3.947  flagged → the four 150 → 30 (4 points)
//	…, 30, 30, 30, 30      G1 −0.122, G2 −1.303 done
//
// Counting moves (1 + 2 + 3 = 6 ≥ 5) stopped after the third pass with the
// column still flagged and fell back to the log transform.
func TestWinsoriseCountsDistinctPoints(t *testing.T) {
	x := make([]float64, 0, 34)
	units := make([]string, 0, 34)
	for i := 1; i <= 30; i++ {
		x, units = append(x, float64(i)), append(units, fmt.Sprint("u", i))
	}
	x = append(x, 150, 160, 170, 180)
	units = append(units, "a", "b", "c", "d")
	o := Outliers{Method: OutliersWinsorise, MaxPoints: 5, Log: true}
	o.fillDefaults()
	ws := treatOutliers(x, o, "2.1.1", units)
	for i := range 30 {
		if x[i] != float64(i+1) {
			t.Fatalf("x[%d] = %g, want %d (untouched)", i, x[i], i+1)
		}
	}
	assertNear(t, "treated", x[30:], []float64{30, 30, 30, 30}, 0)
	want := "indicator 2.1.1: winsorised 4 point(s): d (180→30), c (170→30), b (160→30), a (150→30)"
	if len(ws) != 1 || ws[0] != want {
		t.Fatalf("warnings %q, want [%q]", ws, want)
	}
	// With max_points 3 the fourth pass would treat a fourth point: the
	// column stays flagged and, with Log, is log-transformed instead.
	y := append([]float64(nil), x[:30]...)
	y = append(y, 150, 160, 170, 180)
	o.MaxPoints = 3
	ws = treatOutliers(y, o, "2.1.1", units)
	if len(ws) != 2 || !strings.Contains(ws[0], "winsorised 3 point(s)") || !strings.Contains(ws[1], "log-transformed") {
		t.Fatalf("max_points 3: warnings %q", ws)
	}
}
