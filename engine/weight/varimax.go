package weight

import (
	"errors"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Varimax rotates the p×m loading matrix l (rows indicators, columns
// factors) orthogonally to maximise Kaiser's (1958) varimax criterion
//
//	V = Σ_f [ p Σ_j (b²_jf)² − (Σ_j b²_jf)² ] / p²,
//
// the variance of the squared loadings within each factor, where b are
// the loadings with each row divided by its communality's square root
// (Kaiser normalisation) and restored afterwards. The algorithm is the
// SVD iteration used by R's stats::varimax: with z = x·T,
// B = xᵀ(z³ − z·diag(Σ_j z²_jf)/p), B = U·S·Vᵀ, T ← U·Vᵀ, until Σ S
// rises by less than a relative 1e-12. With m < 2 l is returned
// unchanged. It returns the rotated loadings and the rotation matrix T.
func Varimax(l *mat.Dense) (*mat.Dense, *mat.Dense, error) {
	p, m := l.Dims()
	if m < 2 {
		return mat.DenseCopyOf(l), identity(m), nil
	}
	x := mat.DenseCopyOf(l)
	sc := make([]float64, p)
	for j := 0; j < p; j++ {
		sc[j] = math.Sqrt(mat.Dot(x.RowView(j), x.RowView(j)))
		if sc[j] > 0 {
			for f := 0; f < m; f++ {
				x.Set(j, f, x.At(j, f)/sc[j])
			}
		}
	}
	t := identity(m)
	var z, b, u, vt, g mat.Dense
	var svd mat.SVD
	colSq := make([]float64, m)
	d := 0.0
	for it := 0; it < 1000; it++ {
		z.Mul(x, t)
		for f := range colSq {
			colSq[f] = 0
			for j := 0; j < p; j++ {
				colSq[f] += z.At(j, f) * z.At(j, f)
			}
		}
		g.Apply(func(j, f int, v float64) float64 {
			return v*v*v - v*colSq[f]/float64(p)
		}, &z)
		b.Mul(x.T(), &g)
		if !svd.Factorize(&b, mat.SVDThin) {
			return nil, nil, errors.New("varimax: SVD did not converge")
		}
		svd.UTo(&u)
		svd.VTo(&vt)
		t.Mul(&u, vt.T())
		dPast := d
		d = 0
		for _, s := range svd.Values(nil) {
			d += s
		}
		if d < dPast*(1+1e-12) {
			break
		}
	}
	var out mat.Dense
	out.Mul(x, t)
	for j := 0; j < p; j++ {
		for f := 0; f < m; f++ {
			out.Set(j, f, out.At(j, f)*sc[j])
		}
	}
	return &out, t, nil
}

// identity returns the m×m identity matrix (nil-safe for m = 0).
func identity(m int) *mat.Dense {
	if m == 0 {
		return &mat.Dense{}
	}
	t := mat.NewDense(m, m, nil)
	for i := 0; i < m; i++ {
		t.Set(i, i, 1)
	}
	return t
}
