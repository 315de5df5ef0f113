package weight

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// AHPResult is the outcome of one pairwise comparison matrix.
type AHPResult struct {
	// Weights is the principal right eigenvector normalised to sum 1.
	Weights []float64
	// LambdaMax is the principal (Perron) eigenvalue λmax ≥ n.
	LambdaMax float64
	// CI is the consistency index (λmax − n)/(n − 1) (0 for n ≤ 2).
	CI float64
	// RI is Saaty's random index for the matrix size.
	RI float64
	// CR is the consistency ratio CI/RI (0 for n ≤ 2).
	CR float64
	// Consistent reports CR < 0.1, Saaty's acceptance threshold.
	Consistent bool
}

// ConsistencyThreshold is Saaty's (1980) acceptance threshold for the
// consistency ratio: judgements with CR < 0.1 are accepted.
const ConsistencyThreshold = 0.1

// randomIndex is Saaty's random consistency index RI for n = 1..15: the
// mean CI of random reciprocal matrices with entries from the 1/9..9 scale
// (Saaty, T. L. (1980), The Analytic Hierarchy Process, McGraw-Hill; the
// table as commonly reproduced, e.g. Saaty (2008), Int. J. Services
// Sciences 1(1):83–98). Other simulations give slightly different values.
var randomIndex = [...]float64{0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59}

// MaxAHPSize is the largest matrix with a random index in Saaty's table.
const MaxAHPSize = len(randomIndex)

// RandomIndex returns Saaty's random index for an n×n matrix and whether
// the table covers n (1 ≤ n ≤ 15).
func RandomIndex(n int) (float64, bool) {
	if n < 1 || n > len(randomIndex) {
		return 0, false
	}
	return randomIndex[n-1], true
}

// MatrixError reports what is wrong with a pairwise comparison matrix.
// Row and Col are 1-based (0 when the error is not about one entry);
// RowCode and ColCode name them when codes were given.
type MatrixError struct {
	Row, Col         int
	RowCode, ColCode string
	Msg              string
}

// Error formats the error as "row i, column j (code vs code): message".
func (e *MatrixError) Error() string {
	if e.Row == 0 {
		return e.Msg
	}
	s := fmt.Sprintf("row %d, column %d", e.Row, e.Col)
	if e.RowCode != "" || e.ColCode != "" {
		s += fmt.Sprintf(" (%s vs %s)", e.RowCode, e.ColCode)
	}
	return s + ": " + e.Msg
}

// reciprocalTol is the tolerance on |a_ij·a_ji − 1| for a reciprocal pair;
// it admits judgements typed as rounded decimals only down to 1e-6.
const reciprocalTol = 1e-6

// ValidatePairwise checks that m is an exact positive reciprocal matrix:
// square, n ≥ 1, every entry positive and finite, a_ii = 1 and
// |a_ij·a_ji − 1| ≤ 1e-6. Judgements as typed (0.3333 for 1/3) go through
// ReciprocalMatrix first. codes (optional, one per row) name rows and
// columns in the *MatrixError it returns.
func ValidatePairwise(m [][]float64, codes []string) error {
	if err := checkEntries(m, codes); err != nil {
		return err
	}
	for i := range m {
		for j := i + 1; j < len(m); j++ {
			if p := m[i][j] * m[j][i]; math.Abs(p-1) > reciprocalTol {
				return matrixError(codes, i, j, "not reciprocal: a[%d][%d] = %v but a[%d][%d] = %v (product %v, want 1)",
					i+1, j+1, m[i][j], j+1, i+1, m[j][i], p)
			}
		}
	}
	return nil
}

// AHP derives priorities from a pairwise comparison matrix by Saaty's
// (1980) eigenvector method: w is the principal right eigenvector,
// A·w = λmax·w, normalised so Σw = 1; CI = (λmax − n)/(n − 1),
// CR = CI/RI with RI from Saaty's random index table, and the judgements
// are accepted as consistent when CR < 0.1. For n ≤ 2 every reciprocal
// matrix is consistent: CI = CR = 0.
//
// m must be a positive reciprocal matrix (see ValidatePairwise) with
// n ≤ 15, the extent of the random index table. The eigenvector is found
// by power iteration, which converges for positive matrices by the
// Perron–Frobenius theorem; gonum's general eigensolver (mat.Eigen) is the
// fallback should it not converge.
func AHP(m [][]float64) (AHPResult, error) {
	if err := ValidatePairwise(m, nil); err != nil {
		return AHPResult{}, err
	}
	n := len(m)
	ri, ok := RandomIndex(n)
	if !ok {
		return AHPResult{}, fmt.Errorf("%d×%d matrix: Saaty's random index table stops at n = %d; split the comparisons into a hierarchy", n, n, MaxAHPSize)
	}
	a := flatten(m)
	w, lambda, ok := powerEigen(a, n)
	if !ok {
		var err error
		if w, lambda, err = gonumEigen(a, n); err != nil {
			return AHPResult{}, err
		}
	}
	res := AHPResult{Weights: w, LambdaMax: lambda, RI: ri, Consistent: true}
	if n > 2 {
		res.CI = (lambda - float64(n)) / float64(n-1)
		if res.CI < 0 { // rounding on a consistent matrix
			res.CI = 0
		}
		res.CR = res.CI / ri
		res.Consistent = res.CR < ConsistencyThreshold
	}
	return res, nil
}

// flatten copies a square matrix row-major.
func flatten(m [][]float64) []float64 {
	n := len(m)
	a := make([]float64, n*n)
	for i, row := range m {
		copy(a[i*n:], row)
	}
	return a
}

// powerEigen finds the Perron eigenpair of the positive n×n row-major
// matrix a by power iteration from the normalised row geometric means (the
// exact answer for a consistent matrix). With Σw = 1, λ = Σ_i (A·w)_i.
// It stops when no weight moves by more than 1e-14 and reports false after
// 10,000 iterations without convergence.
func powerEigen(a []float64, n int) ([]float64, float64, bool) {
	w := make([]float64, n)
	next := make([]float64, n)
	for i := 0; i < n; i++ {
		var s float64
		for j := 0; j < n; j++ {
			s += math.Log(a[i*n+j])
		}
		w[i] = math.Exp(s / float64(n))
	}
	normaliseSum(w)
	const tol, maxIter = 1e-14, 10000
	for it := 0; it < maxIter; it++ {
		var lambda float64
		for i := 0; i < n; i++ {
			row := a[i*n : i*n+n]
			var s float64
			for j, v := range row {
				s += v * w[j]
			}
			next[i] = s
			lambda += s
		}
		var delta float64
		for i := range next {
			next[i] /= lambda
			delta = math.Max(delta, math.Abs(next[i]-w[i]))
		}
		w, next = next, w
		if delta <= tol {
			return w, lambda, true
		}
	}
	return nil, 0, false
}

// gonumEigen finds the Perron eigenpair with gonum's general eigensolver:
// the eigenvalue of largest real part and its right eigenvector,
// normalised to sum 1.
func gonumEigen(a []float64, n int) ([]float64, float64, error) {
	var eig mat.Eigen
	if !eig.Factorize(mat.NewDense(n, n, a), mat.EigenRight) {
		return nil, 0, errors.New("AHP: eigen decomposition did not converge")
	}
	vals := eig.Values(nil)
	best := 0
	for i, v := range vals {
		if real(v) > real(vals[best]) {
			best = i
		}
	}
	var vecs mat.CDense
	eig.VectorsTo(&vecs)
	w := make([]float64, n)
	for i := range w {
		w[i] = real(vecs.At(i, best))
	}
	if !normaliseSum(w) {
		for i := range w {
			w[i] = -w[i]
		}
		if !normaliseSum(w) {
			return nil, 0, errors.New("AHP: principal eigenvector not of one sign")
		}
	}
	return w, real(vals[best]), nil
}

// GroupAHP aggregates several experts' pairwise comparison matrices into
// one by the element-wise geometric mean, a_ij = (Π_k a_ij^(k))^(1/K)
// (Aczél & Saaty 1983, "Procedures for synthesizing ratio judgements",
// J. Math. Psychology 27:93–102). The geometric mean is the aggregation
// that keeps the result reciprocal: a_ij·a_ji = 1. Each matrix is checked
// as in ValidatePairwise and all must have the same size; an error names
// the expert (1-based).
func GroupAHP(ms [][][]float64) ([][]float64, error) {
	if len(ms) == 0 {
		return nil, errors.New("group AHP: no matrices")
	}
	n := len(ms[0])
	for k, m := range ms {
		if err := ValidatePairwise(m, nil); err != nil {
			return nil, fmt.Errorf("expert %d: %w", k+1, err)
		}
		if len(m) != n {
			return nil, fmt.Errorf("expert %d: %d×%d matrix, expert 1 has %d×%d", k+1, len(m), len(m), n, n)
		}
	}
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, n)
		for j := range out[i] {
			var s float64
			for _, m := range ms {
				s += math.Log(m[i][j])
			}
			out[i][j] = math.Exp(s / float64(len(ms)))
		}
		out[i][i] = 1
	}
	return out, nil
}
