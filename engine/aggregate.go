package engine

import (
	"errors"
	"fmt"
	"math"
)

// aggInput is one parent's aggregation over the units. Scores are kept
// "filled": a missing score is stored as 0 and listed in the column's
// missing-unit list, so that the sums run without branches and the few
// missing entries are corrected afterwards.
type aggInput struct {
	cols    [][]float64 // children's filled scores (NaN-marked for topsis and fuzzy)
	aux     [][]float64 // per child: filled ln x (gmean) or 1/x (hmean) when known, else nil
	miss    [][]int32   // per child: units whose score is missing
	w       []float64   // children's weights, ≥ 0; 0 excludes the child
	lower   []bool      // per child: raw values of a lower-is-better indicator (topsis), or nil
	out     []float64   // parent's filled scores; for gmean/hmean the mean of transforms
	outMiss []int32     // result: units whose parent score is missing
	wsum    []float64   // scratch, len(out)
	scratch []float64   // scratch, len(out)
	cnt     []int32     // scratch, len(out), all zero between calls
	touched []int32     // scratch
	total   float64     // Σ positive weights (linear methods)
	active  int32       // number of positive weights
	grades  []FuzzyGrade
	fuzzy   []float64 // scratch, len(out)*len(grades)
}

// aggregate computes the parent's scores with the method, renormalising the
// weights over the children present for each unit; a unit with no child
// present is missing. Formulas, with w'ᵢ = wᵢ/Σ_present w:
//
//	amean  (weighted arithmetic mean):  Σ w'ᵢ xᵢ
//	gmean  (weighted geometric mean):   Π xᵢ^w'ᵢ = exp(Σ w'ᵢ ln xᵢ)
//	hmean  (weighted harmonic mean):    1 / Σ (w'ᵢ / xᵢ)
//	topsis (Hwang & Yoon 1981):         100·d⁻/(d⁺+d⁻), see aggTopsis
//	fuzzy  (fuzzy comprehensive evaluation): Σ_g B_g·value_g, see aggFuzzy
//
// For gmean and hmean, out receives the weighted mean of the transforms
// (Σ w' ln x, resp. Σ w'/x); fromTransform turns it into the score. They
// are defined for positive scores only (OECD–JRC Handbook 2008, §6.1;
// COINr's a_gmean and a_hmean stop on any x ≤ 0): a score of 0 counts as
// ZeroFloor (see meanInput) and a negative score is an error.
func aggregate(method string, in *aggInput) error {
	switch method {
	case AggArithmetic:
		aggLinear(in, in.cols)
		return nil
	case AggGeometric, AggHarmonic:
		return aggTransformed(method, in)
	case AggTOPSIS:
		aggTopsis(in)
		in.outMiss = fillNaN(in.out, in.outMiss[:0])
		return nil
	case AggFuzzy:
		aggFuzzy(in)
		in.outMiss = fillNaN(in.out, in.outMiss[:0])
		return nil
	}
	return fmt.Errorf("unknown aggregation %q", method)
}

// fillNaN replaces NaN by 0 in x and appends their indices to miss.
func fillNaN(x []float64, miss []int32) []int32 {
	for u, v := range x {
		if v != v {
			x[u] = 0
			miss = append(miss, int32(u))
		}
	}
	return miss
}

// aggLinear writes out = Σ wⱼ·cⱼ / Σ_present wⱼ over filled columns cols:
// a branch-free weighted sum scaled by 1/Σw, then, for the units listed as
// missing in some column, the factor Σw / Σ_present w (or missing when no
// child is present).
func aggLinear(in *aggInput, cols [][]float64) {
	if in.linearStart() {
		weightedSum(in.out, cols, in.w, 1/in.total, 0, len(in.out))
		in.linearFix()
	}
}

// linearStart sums the positive weights; with none, every unit is missing
// and it returns false.
func (in *aggInput) linearStart() bool {
	in.total, in.active = 0, 0
	for _, w := range in.w {
		if w > 0 {
			in.total += w
			in.active++
		}
	}
	in.outMiss = in.outMiss[:0]
	if in.active == 0 {
		clear(in.out)
		for u := range in.out {
			in.outMiss = append(in.outMiss, int32(u))
		}
		return false
	}
	return true
}

// linearFix corrects the units missing in some column: their sum is scaled
// by Σw / Σ_present w, or the unit is missing when no child is present.
func (in *aggInput) linearFix() {
	touched := in.touched[:0]
	for j, w := range in.w {
		if w <= 0 {
			continue
		}
		for _, u := range in.miss[j] {
			if in.cnt[u] == 0 {
				touched = append(touched, u)
				in.wsum[u] = in.total
			}
			in.cnt[u]++
			in.wsum[u] -= w
		}
	}
	for _, u := range touched {
		if in.cnt[u] == in.active {
			in.out[u] = 0
			in.outMiss = append(in.outMiss, u)
		} else {
			in.out[u] *= in.total / in.wsum[u]
		}
		in.cnt[u] = 0
	}
	in.touched = touched
}

// weightedSum writes out[lo:hi] = Σⱼ k·wⱼ·colsⱼ[lo:hi] over the columns
// with wⱼ > 0, four columns per pass to cut the traffic on out. The
// arithmetic of each element does not depend on lo and hi, so computing a
// column in blocks gives the same bits as in one go.
func weightedSum(out []float64, cols [][]float64, w []float64, k float64, lo, hi int) {
	out = out[lo:hi]
	var sel [4][]float64
	var ws [4]float64
	n, first := 0, true
	flush := func() {
		first = sumPass(out, sel[:n], ws[:n], first)
		n = 0
	}
	for j, wj := range w {
		if wj <= 0 {
			continue
		}
		sel[n], ws[n] = cols[j][lo:hi], k*wj
		n++
		if n == 4 {
			flush()
		}
	}
	if n > 0 {
		flush()
	}
}

// sumPass adds Σᵢ wsᵢ·colsᵢ to out (or sets out to it when first), for up
// to four columns; it returns false.
func sumPass(out []float64, cols [][]float64, ws []float64, first bool) bool {
	a := cols[0][:len(out)]
	switch len(cols) {
	case 4:
		b, c, d := cols[1][:len(out)], cols[2][:len(out)], cols[3][:len(out)]
		wa, wb, wc, wd := ws[0], ws[1], ws[2], ws[3]
		if first {
			for u := range out {
				out[u] = wa*a[u] + wb*b[u] + wc*c[u] + wd*d[u]
			}
		} else {
			for u := range out {
				out[u] += wa*a[u] + wb*b[u] + wc*c[u] + wd*d[u]
			}
		}
	case 3:
		b, c := cols[1][:len(out)], cols[2][:len(out)]
		wa, wb, wc := ws[0], ws[1], ws[2]
		if first {
			for u := range out {
				out[u] = wa*a[u] + wb*b[u] + wc*c[u]
			}
		} else {
			for u := range out {
				out[u] += wa*a[u] + wb*b[u] + wc*c[u]
			}
		}
	case 2:
		b := cols[1][:len(out)]
		wa, wb := ws[0], ws[1]
		if first {
			for u := range out {
				out[u] = wa*a[u] + wb*b[u]
			}
		} else {
			for u := range out {
				out[u] += wa*a[u] + wb*b[u]
			}
		}
	default:
		wa := ws[0]
		if first {
			for u := range out {
				out[u] = wa * a[u]
			}
		} else {
			addScaled(out, a, wa)
		}
	}
	return false
}

// addScaled computes dst += w·src.
func addScaled(dst, src []float64, w float64) {
	src = src[:len(dst)]
	for u, v := range src {
		dst[u] += w * v
	}
}

// aggTransformed computes the weighted mean of ln x (gmean) or 1/x (hmean)
// into out. Children's transforms are reused when known (aux), else
// computed from their filled scores.
func aggTransformed(method string, in *aggInput) error {
	tcols, err := transformCols(method, in)
	if err != nil {
		return err
	}
	aggLinear(in, tcols)
	return nil
}

// transformCols returns the children's transformed columns (ln x or 1/x).
func transformCols(method string, in *aggInput) ([][]float64, error) {
	tcols := make([][]float64, len(in.cols))
	for j, c := range in.cols {
		if in.w[j] <= 0 {
			continue
		}
		if j < len(in.aux) && in.aux[j] != nil {
			tcols[j] = in.aux[j]
			continue
		}
		t := make([]float64, len(in.out))
		if err := toTransform(method, c, in.miss[j], t); err != nil {
			var ne *negativeError
			if errors.As(err, &ne) {
				ne.child = j
			}
			return nil, err
		}
		tcols[j] = t
	}
	return tcols, nil
}

// ZeroFloor is the score that the geometric and harmonic means use in place
// of a child's score of 0: the smallest score the two-decimal display can
// show above 0 (ScoreDecimals). Both means are undefined at 0 (ln 0, 1/0):
// taking the limit would give the whole parent 0, so that one rubric level
// "未开展" (0 points) would erase a unit's other scores and tie it with every
// such unit; COINr refuses such data ("normalise to remove negative/zero
// values first"). With the floor, a zero is still the heaviest possible
// penalty (gmean of 0 and 100 with equal weights: √(0.01·100) = 1), the
// units' other scores still order them, and strictly positive scores are
// untouched, so pipelines that COINr accepts give COINr's results.
// Score reports every floored score (counts per indicator) in its warnings.
const ZeroFloor = 0.01

// meanInput returns the value the geometric and harmonic means take for a
// non-negative score v: v, or ZeroFloor for 0.
func meanInput(v float64) float64 {
	if v == 0 {
		return ZeroFloor
	}
	return v
}

// toTransform writes ln x (gmean) or 1/x (hmean) of the filled column x
// (0 counting as ZeroFloor) into t, 0 at the missing units; a negative
// score is a *negativeError.
func toTransform(method string, x []float64, miss []int32, t []float64) error {
	geo := method == AggGeometric
	for u, v := range x {
		if v < 0 {
			return &negativeError{unit: u, value: v}
		}
		if geo {
			t[u] = math.Log(meanInput(v))
		} else {
			t[u] = 1 / meanInput(v)
		}
	}
	for _, u := range miss {
		t[u] = 0
	}
	return nil
}

// fromTransform writes the score exp(t) (gmean) or 1/t (hmean) of the
// transformed means t into out, 0 at the missing units.
func fromTransform(method string, t []float64, miss []int32, out []float64) {
	if method == AggGeometric {
		for u, v := range t {
			out[u] = math.Exp(v)
		}
	} else {
		for u, v := range t {
			out[u] = 1 / v
		}
	}
	for _, u := range miss {
		out[u] = 0
	}
}

// aggTopsis computes the TOPSIS closeness coefficient (Hwang & Yoon 1981,
// Multiple Attribute Decision Making, Springer, pp. 128–134) of each unit
// among all units, criteria = the children. A child is a benefit criterion
// unless it is a leaf kept raw (no normalisation in the scheme, see
// Scheme.Normalisation) of a lower-is-better indicator, a cost criterion:
//
//	rᵢⱼ = xᵢⱼ / √(Σᵢ xᵢⱼ²)          vector normalisation over present units
//	vᵢⱼ = wⱼ·rᵢⱼ,  A⁺ⱼ = maxᵢ vᵢⱼ,  A⁻ⱼ = minᵢ vᵢⱼ  (benefit; swapped for cost)
//	d⁺ᵢ = √Σⱼ (vᵢⱼ − A⁺ⱼ)²,  d⁻ᵢ = √Σⱼ (vᵢⱼ − A⁻ⱼ)²  over the unit's present children
//	Cᵢ = 100·d⁻ᵢ / (d⁺ᵢ + d⁻ᵢ)                 (50 when d⁺ = d⁻ = 0)
//
// Renormalising weights over present children would scale d⁺ and d⁻ alike,
// so C uses the weights as given.
func aggTopsis(in *aggInput) {
	dp, dm := in.out, in.scratch
	clear(dp)
	clear(dm)
	clear(in.wsum)
	for j, w := range in.w {
		if w <= 0 {
			continue
		}
		c := in.cols[j][:len(dp)]
		ss := 0.0
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range c {
			if v == v {
				ss += v * v
				lo, hi = min(lo, v), max(hi, v)
			}
		}
		if math.IsInf(lo, 1) {
			continue
		}
		k := 0.0
		if ss > 0 {
			k = w / math.Sqrt(ss)
		}
		vmax, vmin := k*hi, k*lo
		if j < len(in.lower) && in.lower[j] {
			vmax, vmin = vmin, vmax
		}
		for u, v := range c {
			if v == v {
				r := k * v
				dp[u] += (r - vmax) * (r - vmax)
				dm[u] += (r - vmin) * (r - vmin)
				in.wsum[u] += w
			}
		}
	}
	for u := range dp {
		if in.wsum[u] == 0 {
			dp[u] = math.NaN()
			continue
		}
		p, m := math.Sqrt(dp[u]), math.Sqrt(dm[u])
		if p+m == 0 {
			dp[u] = 50
		} else {
			dp[u] = 100 * (m / (p + m))
		}
	}
}

// membership returns the trapezoidal membership of score x in grade g; the
// first and last grades have open shoulders (1 below B, resp. above C).
func membership(x float64, g FuzzyGrade, first, last bool) float64 {
	switch {
	case x < g.B:
		if first || x <= g.A {
			return b2f(first)
		}
		return (x - g.A) / (g.B - g.A)
	case x <= g.C:
		return 1
	case last:
		return 1
	case x >= g.D:
		return 0
	}
	return (g.D - x) / (g.D - g.C)
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// aggFuzzy performs fuzzy comprehensive evaluation (模糊综合评价; Zadeh
// 1965, with the weighted-average operator M(·,+)): for each unit, the
// membership matrix R (children × grades, rows normalised to sum 1) is
// composed with the weights, B = W∘R with B_g = Σᵢ w'ᵢ·rᵢg over present
// children; B is normalised to sum 1 and defuzzified as Σ_g B_g·value_g.
func aggFuzzy(in *aggInput) {
	gs := in.grades
	if len(gs) == 0 {
		gs = DefaultGrades()
	}
	k := len(gs)
	n := len(in.out)
	if cap(in.fuzzy) < n*k {
		in.fuzzy = make([]float64, n*k)
	}
	b := in.fuzzy[:n*k]
	clear(b)
	row := make([]float64, k)
	for j, w := range in.w {
		if w <= 0 {
			continue
		}
		for u, v := range in.cols[j][:n] {
			if v != v {
				continue
			}
			sum := 0.0
			for g := range gs {
				row[g] = membership(v, gs[g], g == 0, g == k-1)
				sum += row[g]
			}
			if sum == 0 {
				continue
			}
			for g := range gs {
				b[u*k+g] += w * row[g] / sum
			}
		}
	}
	for u := range in.out {
		tot, crisp := 0.0, 0.0
		for g := range gs {
			tot += b[u*k+g]
			crisp += b[u*k+g] * gs[g].Value
		}
		if tot > 0 {
			in.out[u] = crisp / tot
		} else {
			in.out[u] = math.NaN()
		}
	}
}
