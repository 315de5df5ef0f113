package audit

import (
	"math"

	"gonum.org/v1/gonum/floats"
)

// maskedPath fills out with pairwise-complete Pearson correlations of
// columns that have missing values, using dot products only (no per-pair
// copies). Each column is centred on the mean of its observed values,
// x̃ = x − x̄ (0 where missing), with m its 0/1 observation mask. For a
// pair (a, b), over the units observed on both:
//
//	n   = m_a·m_b          s_a = x̃_a·m_b      s_b = x̃_b·m_a
//	s_ab = x̃_a·x̃_b        q_a = x̃_a²·m_b     q_b = x̃_b²·m_a
//	r   = (s_ab − s_a s_b/n) / √((q_a − s_a²/n)(q_b − s_b²/n))
//
// Centring first keeps the subtractions well conditioned (the means of
// the pair's subsets are near 0). r is NaN when n < 2 or either column is
// constant over the pair's units (its centred sum of squares is at
// rounding level). Work proceeds in blocks of units, as in fastPath, and
// is deterministic.
func maskedPath(cols [][]float64, out [][]float64) {
	k := len(cols)
	n := len(cols[0])
	means := make([]float64, k)
	for j, c := range cols {
		var s float64
		cnt := 0
		for _, v := range c {
			if v == v {
				s += v
				cnt++
			}
		}
		if cnt > 0 {
			means[j] = s / float64(cnt)
		}
	}
	const nSums = 6 // n, s_a, s_b, s_ab, q_a, q_b per ordered pair
	sums := make([]float64, nSums*k*k)
	size := min(corrBlock, n)
	x := make([]float64, k*size)
	m := make([]float64, k*size)
	q := make([]float64, k*size)
	for start := 0; start < n; start += corrBlock {
		end := min(start+corrBlock, n)
		sz := end - start
		seg := func(buf []float64, a int) []float64 { return buf[a*sz : (a+1)*sz : (a+1)*sz] }
		for a, c := range cols {
			xa, ma, qa := seg(x, a), seg(m, a), seg(q, a)
			for i, v := range c[start:end] {
				if v == v {
					d := v - means[a]
					xa[i], ma[i], qa[i] = d, 1, d*d
				} else {
					xa[i], ma[i], qa[i] = 0, 0, 0
				}
			}
		}
		parallelRows(k, func(a int) {
			xa, ma, qa := seg(x, a), seg(m, a), seg(q, a)
			for b := a; b < k; b++ {
				xb, mb, qb := seg(x, b), seg(m, b), seg(q, b)
				s := sums[nSums*(a*k+b) : nSums*(a*k+b+1)]
				s[0] += floats.Dot(ma, mb)
				s[1] += floats.Dot(xa, mb)
				s[2] += floats.Dot(xb, ma)
				s[3] += floats.Dot(xa, xb)
				s[4] += floats.Dot(qa, mb)
				s[5] += floats.Dot(qb, ma)
			}
		})
	}
	for a := 0; a < k; a++ {
		for b := a; b < k; b++ {
			s := sums[nSums*(a*k+b) : nSums*(a*k+b+1)]
			r := maskedR(s[0], s[1], s[2], s[3], s[4], s[5])
			if a == b && !math.IsNaN(r) {
				r = 1
			}
			out[a][b], out[b][a] = r, r
		}
	}
}

// maskedR turns the pair sums of maskedPath into r (NaN when undefined).
func maskedR(n, sa, sb, sab, qa, qb float64) float64 {
	if n < 2 {
		return math.NaN()
	}
	va := qa - sa*sa/n
	vb := qb - sb*sb/n
	// A column constant over the pair's units leaves only rounding.
	if va <= 1e-12*qa || vb <= 1e-12*qb {
		return math.NaN()
	}
	return clampR((sab - sa*sb/n) / math.Sqrt(va*vb))
}
