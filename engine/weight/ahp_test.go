package weight

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// consistentMatrix builds a_ij = w_i/w_j, a perfectly consistent matrix
// whose principal eigenvector is w and λmax = n.
func consistentMatrix(w []float64) [][]float64 {
	m := make([][]float64, len(w))
	for i := range m {
		m[i] = make([]float64, len(w))
		for j := range m[i] {
			m[i][j] = w[i] / w[j]
		}
	}
	return m
}

func TestEqual(t *testing.T) {
	t.Parallel()
	if w := Equal(4); len(w) != 4 || w[0] != 0.25 || w[3] != 0.25 {
		t.Errorf("Equal(4) = %v", w)
	}
	if w := Equal(0); w != nil {
		t.Errorf("Equal(0) = %v, want nil", w)
	}
}

func TestAHPConsistentRecoversWeights(t *testing.T) {
	t.Parallel()
	for _, w := range [][]float64{
		{1},
		{0.7, 0.3},
		{0.4, 0.3, 0.2, 0.1},
		{0.05, 0.1, 0.15, 0.2, 0.25, 0.05, 0.08, 0.12},
	} {
		res, err := AHP(consistentMatrix(w))
		if err != nil {
			t.Fatalf("%v: %v", w, err)
		}
		for i := range w {
			if !near(res.Weights[i], w[i], 1e-12) {
				t.Errorf("%v: weight %d = %v", w, i, res.Weights[i])
			}
		}
		if !near(res.LambdaMax, float64(len(w)), 1e-10) || !near(res.CR, 0, 1e-10) || !res.Consistent {
			t.Errorf("%v: λmax %v CR %v consistent %v, want n, 0, true", w, res.LambdaMax, res.CR, res.Consistent)
		}
	}
}

// Published examples. Saaty's "which drink is consumed more in the U.S."
// matrix (Saaty 2008, "Decision making with the analytic hierarchy
// process", Int. J. Services Sciences 1(1):83–98, Table 2): derived
// priorities .177 .019 .042 .116 .190 .129 .327, C.R. = .022. Saaty's
// "wealth of nations" matrix (Saaty & Khouja 1976; Saaty 1980, The
// Analytic Hierarchy Process, ch. 2): US, USSR, China, France, UK, Japan,
// W. Germany with priorities .427 .230 .021 .052 .052 .123 .094 and
// λmax = 7.61 (CI = 0.10, CR = 0.10/1.32 ≈ 0.08).
func TestAHPPublishedExamples(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		m       [][]float64
		weights []float64
		lambda  float64
		cr      float64
	}{
		{
			name: "Saaty 2008 drinks",
			m: [][]float64{
				{1, 9, 5, 2, 1, 1, 1. / 2},
				{1. / 9, 1, 1. / 3, 1. / 9, 1. / 9, 1. / 9, 1. / 9},
				{1. / 5, 3, 1, 1. / 3, 1. / 4, 1. / 3, 1. / 9},
				{1. / 2, 9, 3, 1, 1. / 2, 1, 1. / 3},
				{1, 9, 4, 2, 1, 2, 1. / 2},
				{1, 9, 3, 1, 1. / 2, 1, 1. / 3},
				{2, 9, 9, 3, 2, 3, 1},
			},
			weights: []float64{.177, .019, .042, .116, .190, .129, .327},
			lambda:  math.NaN(), // not printed in the source
			cr:      .022,
		},
		{
			name: "Saaty wealth of nations",
			m: [][]float64{
				{1, 4, 9, 6, 6, 5, 5},
				{1. / 4, 1, 7, 5, 5, 3, 4},
				{1. / 9, 1. / 7, 1, 1. / 5, 1. / 5, 1. / 7, 1. / 5},
				{1. / 6, 1. / 5, 5, 1, 1, 1. / 3, 1. / 3},
				{1. / 6, 1. / 5, 5, 1, 1, 1. / 3, 1. / 3},
				{1. / 5, 1. / 3, 7, 3, 3, 1, 2},
				{1. / 5, 1. / 4, 5, 3, 3, 1. / 2, 1},
			},
			weights: []float64{.427, .230, .021, .052, .052, .123, .094},
			lambda:  7.61,
			cr:      .08,
		},
	}
	for _, tc := range tests {
		res, err := AHP(tc.m)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for i, w := range tc.weights {
			if !near(res.Weights[i], w, 0.0006) { // published to 3 decimals
				t.Errorf("%s: weight %d = %.4f, published %.3f", tc.name, i, res.Weights[i], w)
			}
		}
		if !math.IsNaN(tc.lambda) && !near(res.LambdaMax, tc.lambda, 0.005) {
			t.Errorf("%s: λmax = %.4f, published %.2f", tc.name, res.LambdaMax, tc.lambda)
		}
		prec := 0.0006
		if tc.cr == .08 {
			prec = 0.005
		}
		if !near(res.CR, tc.cr, prec) || !res.Consistent {
			t.Errorf("%s: CR = %.4f (consistent %v), published %v", tc.name, res.CR, res.Consistent, tc.cr)
		}
		if want := (res.LambdaMax - 7) / 6; !near(res.CI, want, 1e-12) || !near(res.RI, 1.32, 0) {
			t.Errorf("%s: CI %v RI %v", tc.name, res.CI, res.RI)
		}
	}
}

// randomReciprocal draws a reciprocal matrix with upper entries from
// Saaty's 1/9..9 scale.
func randomReciprocal(rng *rand.Rand, n int) [][]float64 {
	m := make([][]float64, n)
	for i := range m {
		m[i] = make([]float64, n)
		m[i][i] = 1
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			v := float64(rng.IntN(9) + 1)
			if rng.IntN(2) == 0 {
				v = 1 / v
			}
			m[i][j], m[j][i] = v, 1/v
		}
	}
	return m
}

// Power iteration and gonum's eigensolver are two independent methods for
// the Perron eigenpair; they must agree on arbitrary (also very
// inconsistent) reciprocal matrices.
func TestAHPPowerIterationMatchesEigen(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := 0; trial < 200; trial++ {
		n := 3 + trial%13
		m := randomReciprocal(rng, n)
		a := flatten(m)
		wp, lp, ok := powerEigen(a, n)
		if !ok {
			t.Fatalf("trial %d: power iteration did not converge", trial)
		}
		we, le, err := gonumEigen(a, n)
		if err != nil {
			t.Fatal(err)
		}
		if !near(lp, le, 1e-9*le) {
			t.Errorf("trial %d (n=%d): λ power %v, eigen %v", trial, n, lp, le)
		}
		for i := range wp {
			if !near(wp[i], we[i], 1e-9) {
				t.Errorf("trial %d (n=%d): w[%d] power %v, eigen %v", trial, n, i, wp[i], we[i])
				break
			}
		}
	}
}

func TestAHPErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		m    [][]float64
		want string
	}{
		{"empty", nil, "empty"},
		{"ragged", [][]float64{{1, 2}, {0.5}}, "not square: row 2 has 1 entries, but the matrix has 2 rows"},
		{"2×3", [][]float64{{1, 3, 5}, {1. / 3, 1, 3}}, "not square (2×3)"},
		{"zero", [][]float64{{1, 0}, {2, 1}}, "row 1, column 2: entry 0 is not a positive"},
		{"nan", [][]float64{{1, math.NaN()}, {2, 1}}, "row 1, column 2"},
		{"inf", [][]float64{{1, 2}, {math.Inf(1), 1}}, "row 2, column 1"},
		{"diagonal", [][]float64{{1, 2}, {0.5, 2}}, "row 2, column 2: diagonal entry 2"},
		{"not reciprocal", [][]float64{{1, 2, 3}, {0.5, 1, 3}, {1. / 3, 0.5, 1}}, "row 2, column 3: not reciprocal"},
		{"too large", consistentMatrix(Equal(16)), "stops at n = 15"},
	}
	for _, tc := range tests {
		_, err := AHP(tc.m)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
	err := ValidatePairwise([][]float64{{1, 2}, {0.4, 1}}, []string{"1.1", "1.2"})
	var me *MatrixError
	if !errors.As(err, &me) || me.Row != 1 || me.Col != 2 || !strings.Contains(err.Error(), "(1.1 vs 1.2)") {
		t.Errorf("coded error = %v", err)
	}
}

// The geometric mean of consistent matrices built from w1 and w2 is the
// consistent matrix of the normalised geometric mean √(w1·w2).
func TestGroupAHP(t *testing.T) {
	t.Parallel()
	w1 := []float64{0.5, 0.3, 0.2}
	w2 := []float64{0.2, 0.2, 0.6}
	g, err := GroupAHP([][][]float64{consistentMatrix(w1), consistentMatrix(w2)})
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{math.Sqrt(0.1), math.Sqrt(0.06), math.Sqrt(0.12)}
	normaliseSum(want)
	res, err := AHP(g)
	if err != nil {
		t.Fatal(err)
	}
	for i := range want {
		if !near(res.Weights[i], want[i], 1e-12) {
			t.Errorf("weight %d = %v, want %v", i, res.Weights[i], want[i])
		}
	}
	// Aggregating inconsistent matrices keeps reciprocity.
	rng := rand.New(rand.NewPCG(3, 4))
	ms := [][][]float64{randomReciprocal(rng, 6), randomReciprocal(rng, 6), randomReciprocal(rng, 6)}
	g, err = GroupAHP(ms)
	if err != nil {
		t.Fatal(err)
	}
	if err := ValidatePairwise(g, nil); err != nil {
		t.Errorf("aggregate not reciprocal: %v", err)
	}
	if !near(g[0][1], math.Cbrt(ms[0][0][1]*ms[1][0][1]*ms[2][0][1]), 1e-12) {
		t.Errorf("g[0][1] = %v is not the geometric mean", g[0][1])
	}
	_, err = GroupAHP([][][]float64{consistentMatrix(w1), {{1, 2}, {0.3, 1}}})
	if err == nil || !strings.Contains(err.Error(), "expert 2") {
		t.Errorf("bad expert: error %v", err)
	}
	_, err = GroupAHP([][][]float64{consistentMatrix(w1), consistentMatrix(Equal(2))})
	if err == nil || !strings.Contains(err.Error(), "expert 2: 2×2") {
		t.Errorf("size mismatch: error %v", err)
	}
}
