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
