package weight

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// exactCorrelationData returns n units whose sample correlation matrix is
// exactly r: X = Q·U with Q the orthonormal, centred factor of a random
// matrix and r = UᵀU (Cholesky), so XᵀX = r.
func exactCorrelationData(t *testing.T, r *mat.SymDense, n int, seed uint64) [][]float64 {
	t.Helper()
	p := r.SymmetricDim()
	rng := rand.New(rand.NewPCG(seed, 1))
	a := mat.NewDense(n, p, nil)
	for j := 0; j < p; j++ {
		var s float64
		for i := 0; i < n; i++ {
			v := rng.NormFloat64()
			a.Set(i, j, v)
			s += v
		}
		for i := 0; i < n; i++ {
			a.Set(i, j, a.At(i, j)-s/float64(n))
		}
	}
	var qr mat.QR
	qr.Factorize(a)
	var q mat.Dense
	qr.QTo(&q)
	var chol mat.Cholesky
	if !chol.Factorize(r) {
		t.Fatal("correlation matrix not positive definite")
	}
	var u mat.TriDense
	chol.UTo(&u)
	var x mat.Dense
	x.Mul(q.Slice(0, n, 0, p), &u)
	cols := make([][]float64, p)
	for j := range cols {
		cols[j] = mat.Col(nil, j, &x)
	}
	return cols
}

// Two uncorrelated blocks: three indicators with pairwise correlation 0.5
// and two with correlation 0.6. Eigenvalues: 1 + 2·0.5 = 2 (loadings
// √(2/3) on the first block), 1 + 0.6 = 1.6 (loadings √0.8), then 0.5,
// 0.5, 0.4. Two components are kept (shares 40 % and 32 %, cumulative
// 72 %); the block loadings are already a simple structure, so varimax
// leaves them. Squared loadings 2/3 (EV 2) and 0.8 (EV 1.6), hence
// w ∝ (2/3, 2/3, 2/3, 0.8, 0.8) / 3.6.
func TestPCAKnownStructure(t *testing.T) {
	t.Parallel()
	r := mat.NewSymDense(5, []float64{
		1, .5, .5, 0, 0,
		.5, 1, .5, 0, 0,
		.5, .5, 1, 0, 0,
		0, 0, 0, 1, .6,
		0, 0, 0, .6, 1,
	})
	cols := exactCorrelationData(t, r, 400, 42)
	cols[2][7] = nan // one incomplete unit is dropped
	res, err := PCADetail(cols, PCAOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Retained != 2 || res.Units != 399 {
		t.Fatalf("retained %d components over %d units, want 2 over 399", res.Retained, res.Units)
	}
	// Dropping one unit perturbs the exact structure slightly.
	want := []float64{2. / 3 / 3.6, 2. / 3 / 3.6, 2. / 3 / 3.6, 0.8 / 3.6, 0.8 / 3.6}
	for j := range want {
		if !near(res.Weights[j], want[j], 0.01) {
			t.Errorf("w[%d] = %v, want %v", j, res.Weights[j], want[j])
		}
	}
	if res.Factor[0] != res.Factor[1] || res.Factor[0] != res.Factor[2] || res.Factor[3] != res.Factor[4] || res.Factor[0] == res.Factor[3] {
		t.Errorf("factor assignment %v, want blocks {0,1,2} and {3,4}", res.Factor)
	}
	// Without the missing value the structure is exact.
	cols = exactCorrelationData(t, r, 400, 42)
	w, err := PCA(cols, PCAOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for j := range want {
		if !near(w[j], want[j], 1e-9) {
			t.Errorf("exact: w[%d] = %v, want %v", j, w[j], want[j])
		}
	}
}

func TestRetain(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		ev   []float64
		opt  PCAOptions
		want int
	}{
		{"Kaiser and 60%", []float64{2, 1.6, 0.5, 0.5, 0.4}, PCAOptions{}, 2},
		// The OECD/JRC Handbook's TAI eigenvalues (8 × the published
		// variance shares 41.9, 21.8, 12.3, 11.1, 6.0, 3.7, 2.2, 0.9 %):
		// the mechanical rule keeps two factors (63.7 %); the Handbook
		// kept four by judgement, which Components reproduces.
		{"TAI", []float64{3.35, 1.74, 0.98, 0.89, 0.48, 0.30, 0.18, 0.08}, PCAOptions{}, 2},
		{"cumulative rule adds", []float64{1.3, 0.9, 0.9, 0.9}, PCAOptions{}, 3},
		{"share rule", []float64{5, 1.05, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5}, PCAOptions{MinCumulative: 0.1}, 1},
		{"forced", []float64{2, 1.6, 0.5, 0.5, 0.4}, PCAOptions{Components: 3}, 3},
	}
	for _, tc := range tests {
		got, _, err := retain(tc.ev, tc.opt)
		if err != nil || got != tc.want {
			t.Errorf("%s: retain = %d, %v; want %d", tc.name, got, err, tc.want)
		}
	}
	if _, warn, _ := retain([]float64{1.3, 0.9, 0.9, 0.9}, PCAOptions{}); len(warn) != 1 || !strings.Contains(warn[0], "components 2–3") {
		t.Errorf("warning %q, want one naming components 2–3", warn)
	}
	if _, _, err := retain([]float64{2, 1}, PCAOptions{Components: 3}); err == nil {
		t.Error("3 of 2 components: no error")
	}
}

// kaiserTwoFactor rotates a p×2 loading matrix by Kaiser's (1958)
// closed-form varimax angle for two factors, with Kaiser normalisation:
// tan 4φ = (D − 2AB/p) / (C − (A² − B²)/p), u = x² − y², v = 2xy,
// A = Σu, B = Σv, C = Σ(u² − v²), D = 2Σuv.
func kaiserTwoFactor(l [][]float64) [][]float64 {
	p := float64(len(l))
	var a, b, c, d float64
	h := make([]float64, len(l))
	for j, row := range l {
		h[j] = math.Hypot(row[0], row[1])
		x, y := row[0]/h[j], row[1]/h[j]
		u, v := x*x-y*y, 2*x*y
		a, b, c, d = a+u, b+v, c+u*u-v*v, d+2*u*v
	}
	phi := math.Atan2(d-2*a*b/p, c-(a*a-b*b)/p) / 4
	out := make([][]float64, len(l))
	for j, row := range l {
		x, y := row[0], row[1]
		out[j] = []float64{x*math.Cos(phi) + y*math.Sin(phi), -x*math.Sin(phi) + y*math.Cos(phi)}
	}
	return out
}

func TestVarimaxMatchesKaiserClosedForm(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(12, 13))
	for trial := 0; trial < 20; trial++ {
		const p = 7
		l := make([][]float64, p)
		flat := make([]float64, 0, 2*p)
		for j := range l {
			l[j] = []float64{rng.Float64()*1.6 - 0.8, rng.Float64()*1.6 - 0.8}
			flat = append(flat, l[j]...)
		}
		got, _, err := Varimax(mat.NewDense(p, 2, flat))
		if err != nil {
			t.Fatal(err)
		}
		want := kaiserTwoFactor(l)
		// Equal up to the order and signs of the factors.
		match := func(perm [2]int) bool {
			for f := 0; f < 2; f++ {
				sign := math.Copysign(1, got.At(0, perm[f])*want[0][f])
				for j := 0; j < p; j++ {
					if !near(got.At(j, perm[f]), sign*want[j][f], 1e-6) {
						return false
					}
				}
			}
			return true
		}
		if !match([2]int{0, 1}) && !match([2]int{1, 0}) {
			t.Errorf("trial %d: varimax %v, Kaiser closed form %v", trial, mat.Formatted(got), want)
		}
	}
}

func TestPCAErrorsAndConstant(t *testing.T) {
	t.Parallel()
	res, err := PCADetail([][]float64{{1, 2, 3, 4}, {2, 2, 2, 2}, {1, 3, 2, 5}, {4, 3, 2, 2}}, PCAOptions{Codes: []string{"a", "b", "c", "d"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Weights[1] != 0 || res.Factor[1] != -1 || !strings.Contains(strings.Join(res.Warnings, ";"), "indicator b is constant") {
		t.Errorf("constant column: %+v", res)
	}
	tests := []struct {
		name string
		cols [][]float64
		want string
	}{
		{"one varies", [][]float64{{1, 2, 3}, {1, 1, 1}}, "1 of 2 indicators vary"},
		{"few units", [][]float64{{1, 2, 3}, {2, 1, 3}, {3, 3, 1}}, "3 complete cases for 3 indicators"},
	}
	for _, tc := range tests {
		_, err := PCA(tc.cols, PCAOptions{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}
