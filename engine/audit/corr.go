package audit

import (
	work "github.com/sceval/sceval/engine/internal/workers"

	"math"
	"sort"

	"gonum.org/v1/gonum/floats"
)

// Pearson returns the k×k matrix of Pearson product-moment correlations
//
//	r_jl = Σ_i (x_ij − x̄_j)(x_il − x̄_l) / √(Σ_i (x_ij − x̄_j)² · Σ_i (x_il − x̄_l)²)
//
// between the k columns, using for each pair the units observed on both
// (pairwise-complete, as R's cor(use = "pairwise.complete.obs") and COINr's
// get_corr). An entry is NaN when fewer than two units are observed on both
// columns or when either column is constant over them; the diagonal is 1
// for a column with at least two distinct observed values and NaN otherwise.
//
// Without missing values each column is centred once and a correlation is
// one dot product (gonum/floats.Dot), taken block by block of units so
// the data stay in cache; with missing values every pair is computed from
// six dot products with observation masks (see maskedPath), never by
// copying the pair. Rows of the matrix are spread over GOMAXPROCS
// goroutines; the result does not depend on their number.
func Pearson(cols [][]float64) [][]float64 {
	checkLengths(cols)
	return correlate(cols)
}

// Spearman returns the k×k matrix of Spearman rank correlations: Pearson's
// r computed on average ranks (ties receive the mean of the ranks they
// span). Pairs are pairwise-complete and, as in R's
// cor(method = "spearman", use = "pairwise.complete.obs"), a pair with
// missing values is ranked over its complete pairs only; columns without
// missing values are ranked once.
func Spearman(cols [][]float64) [][]float64 {
	checkLengths(cols)
	ranked := make([][]float64, len(cols))
	for j, c := range cols {
		if hasNaN(c) {
			ranked[j] = c // ranked per pair in pairwise
		} else {
			ranked[j] = AverageRanks(c)
		}
	}
	return correlateWith(ranked, true)
}

// AverageRanks returns the ranks 1..n of x, ties receiving the average of
// the ranks they span (fractional ranking, "midranks"). NaN values keep
// rank NaN and are not counted.
func AverageRanks(x []float64) []float64 {
	idx := make([]int, 0, len(x))
	for i, v := range x {
		if !math.IsNaN(v) {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return x[idx[a]] < x[idx[b]] })
	r := make([]float64, len(x))
	for i := range r {
		r[i] = math.NaN()
	}
	for a := 0; a < len(idx); {
		b := a + 1
		for b < len(idx) && x[idx[b]] == x[idx[a]] {
			b++
		}
		avg := float64(a+b+1) / 2 // mean of ranks a+1..b
		for t := a; t < b; t++ {
			r[idx[t]] = avg
		}
		a = b
	}
	return r
}

func correlate(cols [][]float64) [][]float64 { return correlateWith(cols, false) }

// corrBlock is the number of units processed at a time on the fast path:
// 57 centred column segments of 1024 values (467 KB) stay in cache while
// all their dot products are taken.
const corrBlock = 1024

// correlateWith fills the correlation matrix; rankPairs says that columns
// with NaN must be ranked over each pair's complete cases (Spearman),
// which is done pair by pair. Pearson with missing values takes the
// masked path.
func correlateWith(cols [][]float64, rankPairs bool) [][]float64 {
	k := len(cols)
	out := make([][]float64, k)
	flat := make([]float64, k*k)
	for j := range out {
		out[j] = flat[j*k : (j+1)*k : (j+1)*k]
	}
	if k == 0 {
		return out
	}
	var complete []int // columns without NaN
	for j, c := range cols {
		if !hasNaN(c) {
			complete = append(complete, j)
		}
	}
	if !rankPairs && len(complete) < k {
		maskedPath(cols, out)
		return out
	}
	fastPath(cols, complete, out)
	isComplete := make([]bool, k)
	for _, j := range complete {
		isComplete[j] = true
	}
	parallelRows(k, func(j int) {
		for l := j; l < k; l++ {
			if isComplete[j] && isComplete[l] {
				continue
			}
			r := pairwiseR(cols[j], cols[l], rankPairs)
			if j == l && !math.IsNaN(r) {
				r = 1
			}
			out[j][l], out[l][j] = r, r
		}
	})
	return out
}

// fastPath fills out for every pair of the complete columns idx. Means
// come first; then, block by block of units, the column segments are
// centred into a small buffer and all cross-products accumulated with
// gonum/floats.Dot. Each sum runs over the blocks in the same order
// whatever the number of goroutines, so results are deterministic.
func fastPath(cols [][]float64, idx []int, out [][]float64) {
	kc := len(idx)
	if kc == 0 {
		return
	}
	n := len(cols[0])
	means := make([]float64, kc)
	for a, j := range idx {
		means[a] = floats.Sum(cols[j]) / float64(n)
	}
	dots := make([]float64, kc*kc)
	buf := make([]float64, kc*min(corrBlock, n))
	for start := 0; start < n; start += corrBlock {
		end := min(start+corrBlock, n)
		size := end - start
		seg := func(a int) []float64 { return buf[a*size : (a+1)*size : (a+1)*size] }
		for a, j := range idx {
			s := seg(a)
			copy(s, cols[j][start:end])
			floats.AddConst(-means[a], s)
		}
		parallelRows(kc, func(a int) {
			sa := seg(a)
			for b := a; b < kc; b++ {
				dots[a*kc+b] += floats.Dot(sa, seg(b))
			}
		})
	}
	for a, j := range idx {
		for b := a; b < kc; b++ {
			l := idx[b]
			r := math.NaN()
			if den := math.Sqrt(dots[a*kc+a] * dots[b*kc+b]); n >= 2 && den > 0 {
				r = clampR(dots[a*kc+b] / den)
				if a == b {
					r = 1
				}
			}
			out[j][l], out[l][j] = r, r
		}
	}
}

// parallelRows runs row(j) for j = 0..k−1 on up to GOMAXPROCS goroutines.
// Rows are handed out from the top, where they are longest.
func parallelRows(k int, row func(j int)) {
	work.Each(k, 0, func(_, j int) { row(j) })
}

// pairwiseR is Pearson's r over the units observed on both x and y,
// computed in two passes (means, then centred sums) for accuracy. With
// rank set, the complete pairs are replaced by their average ranks first.
func pairwiseR(x, y []float64, rank bool) float64 {
	var xs, ys []float64
	for i := range x {
		if !math.IsNaN(x[i]) && !math.IsNaN(y[i]) {
			xs = append(xs, x[i])
			ys = append(ys, y[i])
		}
	}
	if len(xs) < 2 {
		return math.NaN()
	}
	if rank {
		xs, ys = AverageRanks(xs), AverageRanks(ys)
	}
	mx := floats.Sum(xs) / float64(len(xs))
	my := floats.Sum(ys) / float64(len(ys))
	var sxy, sxx, syy float64
	for i := range xs {
		dx, dy := xs[i]-mx, ys[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return math.NaN()
	}
	return clampR(sxy / math.Sqrt(sxx*syy))
}

// clampR removes rounding excursions beyond [−1, 1].
func clampR(r float64) float64 {
	return math.Max(-1, math.Min(1, r))
}
