package engine

import "testing"

// For Y = Σ aᵢXᵢ with independent Xᵢ ~ U(0,1), V(Y) = Σ aᵢ²/12 and
// Sᵢ = S_Tᵢ = aᵢ²/Σa² (no interactions). Saltelli et al. (2010), test case.
func TestSobolAdditive(t *testing.T) {
	a := []float64{1, 2, 3}
	const n = 20000
	k := len(a)
	y := make([]float64, n*(k+2))
	for r := range y {
		row, m := designRun(r, k)
		for i := range k {
			y[r] += a[i] * inputRNG(99, row, fromB(m, i), i).Float64()
		}
	}
	first, total, v := sobolIndices(y, n, k)
	if !near(v, 14.0/12, 0.05) {
		t.Errorf("V = %g, want %g", v, 14.0/12)
	}
	for i := range k {
		want := a[i] * a[i] / 14
		if !near(first[i], want, 0.03) || !near(total[i], want, 0.03) {
			t.Errorf("input %d: S = %.4f, ST = %.4f, want %.4f", i, first[i], total[i], want)
		}
	}
}

// With an interaction Y = X1·X2 (Xᵢ ~ U(0,1)): V = 7/144, S₁ = S₂ = 3/7
// and S_T1 = S_T2 = 4/7 (analytic: V₁ = V₂ = 1/48, V₁₂ = 1/144).
func TestSobolInteraction(t *testing.T) {
	const n, k = 40000, 2
	y := make([]float64, n*(k+2))
	for r := range y {
		row, m := designRun(r, k)
		y[r] = inputRNG(5, row, fromB(m, 0), 0).Float64() * inputRNG(5, row, fromB(m, 1), 1).Float64()
	}
	first, total, _ := sobolIndices(y, n, k)
	for i := range k {
		if !near(first[i], 3.0/7, 0.03) || !near(total[i], 4.0/7, 0.03) {
			t.Errorf("input %d: S = %.4f, ST = %.4f, want %.4f, %.4f", i, first[i], total[i], 3.0/7, 4.0/7)
		}
	}
}

// The bootstrap intervals cover the true indices at about their nominal
// rate (95 %) on the analytic cases above: over 200 independent analyses
// (seeds) with N = 256, each index's interval must contain its true value
// in 88–100 % of them (the binomial 99.9 % range around 0.95 for 200
// trials is 0.90–0.99; 0.88 allows for the percentile method's known
// slight under-coverage at small N).
func TestSobolIntervalsCoverage(t *testing.T) {
	if testing.Short() {
		t.Skip("200 bootstrap analyses")
	}
	type model struct {
		name       string
		k          int
		f          func(x []float64) float64
		first, tot []float64
	}
	models := []model{
		{"additive 1,2,3", 3, func(x []float64) float64 { return x[0] + 2*x[1] + 3*x[2] },
			[]float64{1.0 / 14, 4.0 / 14, 9.0 / 14}, []float64{1.0 / 14, 4.0 / 14, 9.0 / 14}},
		{"product", 2, func(x []float64) float64 { return x[0] * x[1] },
			[]float64{3.0 / 7, 3.0 / 7}, []float64{4.0 / 7, 4.0 / 7}},
	}
	const reps, n = 200, 256
	for _, m := range models {
		coverF, coverT := make([]int, m.k), make([]int, m.k)
		y := make([]float64, n*(m.k+2))
		x := make([]float64, m.k)
		for rep := range reps {
			seed := uint64(1000 + rep)
			for r := range y {
				row, mat := designRun(r, m.k)
				for i := range m.k {
					x[i] = inputRNG(seed, row, fromB(mat, i), i).Float64()
				}
				y[r] = m.f(x)
			}
			flo, fhi, tlo, thi := sobolIntervals(y, n, m.k, seed)
			for i := range m.k {
				if flo[i] <= m.first[i] && m.first[i] <= fhi[i] {
					coverF[i]++
				}
				if tlo[i] <= m.tot[i] && m.tot[i] <= thi[i] {
					coverT[i]++
				}
			}
		}
		for i := range m.k {
			for _, c := range []struct {
				what string
				n    int
			}{{"first-order", coverF[i]}, {"total", coverT[i]}} {
				if rate := float64(c.n) / reps; rate < 0.88 || c.n == reps {
					t.Errorf("%s, input %d, %s: coverage %.3f, want ≈ 0.95 (1 means intervals too wide)", m.name, i, c.what, rate)
				} else {
					t.Logf("%s, input %d, %s: coverage %.3f", m.name, i, c.what, rate)
				}
			}
		}
	}
}
