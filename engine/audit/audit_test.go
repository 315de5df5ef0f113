package audit

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat"
)

var nan = math.NaN()

func near(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol
}

// Hand calculations for the small examples below:
//
//	x = 1..5, y = (2,4,5,4,5): Σdxdy = 6, Σdx² = 10, Σdy² = 6, r = 6/√60.
//	z = (1,NaN,3,4,5) against y over units {1,3,4,5}: Σdzdy = 6,
//	Σdz² = 8.75, Σdy² = 6, r = 6/√52.5; against x, r = 1.
//	Spearman(x, y): midranks of y = (1,2.5,4.5,2.5,4.5), Σdxdy = 7,
//	Σdy² = 9, ρ = 7/√90.
func TestPearsonSpearmanHand(t *testing.T) {
	t.Parallel()
	x := []float64{1, 2, 3, 4, 5}
	y := []float64{2, 4, 5, 4, 5}
	z := []float64{1, nan, 3, 4, 5}
	c := []float64{7, 7, 7, 7, 7}
	p := Pearson([][]float64{x, y, z, c})
	s := Spearman([][]float64{x, y, z, c})
	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"pearson x,y", p[0][1], 6 / math.Sqrt(60)},
		{"pearson y,x symmetric", p[1][0], 6 / math.Sqrt(60)},
		{"pearson x,z pairwise", p[0][2], 1},
		{"pearson y,z pairwise", p[1][2], 6 / math.Sqrt(52.5)},
		{"pearson diag", p[2][2], 1},
		{"pearson constant", p[0][3], nan},
		{"pearson constant diag", p[3][3], nan},
		{"spearman x,y", s[0][1], 7 / math.Sqrt(90)},
		{"spearman x,z", s[0][2], 1},
		{"spearman diag", s[1][1], 1},
	}
	for _, tc := range tests {
		if !near(tc.got, tc.want, 1e-12) {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}

// With missing values a pair constant over its common units, or with
// fewer than two of them, has no correlation.
func TestPearsonMaskedUndefined(t *testing.T) {
	t.Parallel()
	x := []float64{1, 2, 3, nan}
	y := []float64{5, 5, nan, 7}
	z := []float64{nan, nan, nan, 4}
	p := Pearson([][]float64{x, y, z})
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"x,y constant over overlap", p[0][1], nan},
		{"x,z no overlap", p[0][2], nan},
		{"z diagonal, one value", p[2][2], nan},
		{"x diagonal", p[0][0], 1},
		{"y diagonal", p[1][1], 1},
	} {
		if !near(c.got, c.want, 0) {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
}

// Spearman on pairs with missing values ranks only the complete pairs:
// y over units {1,3,4,5} is (2,5,4,5) with midranks (1,3.5,2,3.5); z there
// is (1,3,4,5) with ranks (1,2,3,4): Σdd = 2.25−0.5−0.25+1.5 = 3,
// Σd² = 4.5 and 5,
// ρ = 3/√22.5.
func TestSpearmanPairwiseRanks(t *testing.T) {
	t.Parallel()
	y := []float64{2, 4, 5, 4, 5}
	z := []float64{1, nan, 3, 4, 5}
	s := Spearman([][]float64{y, z})
	if want := 3 / math.Sqrt(22.5); !near(s[0][1], want, 1e-12) {
		t.Errorf("spearman = %v, want %v", s[0][1], want)
	}
}

// Pearson agrees with gonum/stat.Correlation, an independent
// implementation, on random columns with and without missing values.
func TestPearsonMatchesGonum(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	const n, k = 2*corrBlock + 300, 6 // several blocks on the fast path
	cols := make([][]float64, k)
	for j := range cols {
		cols[j] = make([]float64, n)
		for i := range cols[j] {
			cols[j][i] = 1000 + rng.NormFloat64() + float64(j)*cols[0][i]*0.3
		}
	}
	cols[4][17], cols[4][90] = nan, nan
	p := Pearson(cols)
	for j := 0; j < k; j++ {
		for l := 0; l < k; l++ {
			var xs, ys []float64
			for i := 0; i < n; i++ {
				if !math.IsNaN(cols[j][i]) && !math.IsNaN(cols[l][i]) {
					xs, ys = append(xs, cols[j][i]), append(ys, cols[l][i])
				}
			}
			want := stat.Correlation(xs, ys, nil)
			if !near(p[j][l], want, 1e-12) {
				t.Errorf("r[%d][%d] = %v, gonum %v", j, l, p[j][l], want)
			}
		}
	}
}

func TestAverageRanks(t *testing.T) {
	t.Parallel()
	got := AverageRanks([]float64{10, 30, 20, 30, nan, 10, 30})
	want := []float64{1.5, 5, 3, 5, nan, 1.5, 5}
	for i := range want {
		if !near(got[i], want[i], 0) {
			t.Errorf("rank[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}

// Hand calculation: item variances 5/3, 4.75/3, 5/3 (sum 14.75/3); totals
// (4,8,8,13) have variance 40.75/3; α = 1.5·(1 − 14.75/40.75).
func TestCronbachAlpha(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cols [][]float64
		want float64
	}{
		{"hand", [][]float64{{1, 2, 3, 4}, {2, 3, 3, 5}, {1, 3, 2, 4}}, 1.5 * (1 - 14.75/40.75)},
		{"missing unit dropped", [][]float64{{1, 2, 3, 4, 9}, {2, 3, 3, 5, nan}, {1, 3, 2, 4, 0}}, 1.5 * (1 - 14.75/40.75)},
		{"identical items", [][]float64{{1, 2, 3}, {1, 2, 3}}, 1},
		{"one item", [][]float64{{1, 2, 3}}, nan},
		{"one complete case", [][]float64{{1, nan}, {2, 3}}, nan},
	}
	for _, tc := range tests {
		if got := CronbachAlpha(tc.cols); !near(got, tc.want, 1e-12) {
			t.Errorf("%s: alpha = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// For two columns with correlation r the eigenvalues are 1 ± |r|.
func TestPCAVariance(t *testing.T) {
	t.Parallel()
	r := 6 / math.Sqrt(60)
	ev, share := PCAVariance([][]float64{{1, 2, 3, 4, 5}, {2, 4, 5, 4, 5}})
	want := []float64{1 + r, 1 - r}
	for i := range want {
		if !near(ev[i], want[i], 1e-12) || !near(share[i], want[i]/2, 1e-12) {
			t.Errorf("component %d: λ = %v share %v, want %v %v", i, ev[i], share[i], want[i], want[i]/2)
		}
	}
	if ev, _ := PCAVariance([][]float64{{1, 2, 3}, {4, 4, 4}}); ev != nil {
		t.Errorf("constant column: got %v, want nil", ev)
	}
}
