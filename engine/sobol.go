package engine

import (
	"math/rand/v2"
)

// The Saltelli (2010) design for k uncertain inputs and base sample size N
// has N·(k+2) runs, laid out in blocks of k+2 per base row j: the run
// j·(k+2)+0 evaluates row j of matrix A, +1 row j of B, and +2+i row j of
// A_B^(i) (A with input i taken from B). Each input's sample for a row is
// drawn from its own random stream, seeded by (seed, row, matrix A or B,
// input), so A_B^(i) reuses B's sample of input i exactly and every run is
// reproducible on its own, whatever the order runs are computed in.

// designRun returns the base row and matrix (0 = A, 1 = B, 2+i = A_B^(i))
// of run r.
func designRun(r, k int) (row, matrix int) { return r / (k + 2), r % (k + 2) }

// fromB reports whether input i of a run on matrix takes B's sample.
func fromB(matrix, i int) bool { return matrix == 1 || matrix == 2+i }

// inputRNG returns the random stream of input i's sample in base row j of
// matrix A (b false) or B (b true): PCG seeded from (seed, a SplitMix64
// mix of j, b, i).
func inputRNG(seed uint64, row int, b bool, input int) *rand.Rand {
	x := uint64(row)<<20 ^ uint64(input)<<1
	if b {
		x |= 1
	}
	return rand.New(rand.NewPCG(seed, splitmix(x)))
}

// splitmix is the SplitMix64 finaliser (Steele, Lea & Flood 2014).
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// sobolIndices estimates first-order and total Sobol indices from the
// outputs y of a Saltelli design with base size n and k inputs:
//
//	V    = variance of the 2N outputs f(A), f(B)
//	Sᵢ   = (1/N)·Σⱼ f(B)ⱼ·(f(A_B^(i))ⱼ − f(A)ⱼ) / V      (Saltelli et al. 2010, eq. b)
//	S_Tᵢ = (1/2N)·Σⱼ (f(A)ⱼ − f(A_B^(i))ⱼ)² / V          (Jansen 1999)
//
// Saltelli, Annoni, Azzini, Campolongo, Ratto & Tarantola (2010), Comput.
// Phys. Commun. 181(2): 259–270, Table 2. f(B) is centred on the mean
// output, which leaves the estimator's expectation unchanged (Σ(f(A_B)−f(A))
// has mean 0) and cuts its variance. When V = 0 every index is 0.
func sobolIndices(y []float64, n, k int) (first, total []float64, v float64) {
	first, total = make([]float64, k), make([]float64, k)
	mean := 0.0
	for j := range n {
		mean += y[j*(k+2)] + y[j*(k+2)+1]
	}
	mean /= float64(2 * n)
	for j := range n {
		a, b := y[j*(k+2)]-mean, y[j*(k+2)+1]-mean
		v += a*a + b*b
	}
	v /= float64(2 * n)
	if v == 0 {
		return first, total, 0
	}
	for i := range k {
		s, st := 0.0, 0.0
		for j := range n {
			fa, fb, fab := y[j*(k+2)], y[j*(k+2)+1], y[j*(k+2)+2+i]
			s += (fb - mean) * (fab - fa)
			st += (fa - fab) * (fa - fab)
		}
		first[i] = s / float64(n) / v
		total[i] = st / float64(2*n) / v
	}
	return first, total, v
}
