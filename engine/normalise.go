package engine

import (
	"fmt"
	"math"
)

// colStats holds the statistics of a column's present (non-NaN) values.
type colStats struct {
	n        int
	min, max float64
	mean, sd float64 // sd is the sample standard deviation (n−1)
}

// columnStats computes n, min, max, mean and the sample SD
// s = √(Σ(x−x̄)²/(n−1)) of the present values (two-pass for accuracy).
func columnStats(x []float64) colStats {
	st := colStats{min: math.Inf(1), max: math.Inf(-1)}
	sum := 0.0
	for _, v := range x {
		if v == v {
			st.n++
			sum += v
			if v < st.min {
				st.min = v
			}
			if v > st.max {
				st.max = v
			}
		}
	}
	if st.n == 0 {
		return st
	}
	st.mean = sum / float64(st.n)
	ss := 0.0
	for _, v := range x {
		if v == v {
			d := v - st.mean
			ss += d * d
		}
	}
	if st.n > 1 {
		st.sd = math.Sqrt(ss / float64(st.n-1))
	}
	return st
}

// columnRange returns n, min and max of the present values (one pass).
func columnRange(x []float64) colStats {
	st := colStats{min: math.Inf(1), max: math.Inf(-1)}
	for _, v := range x {
		if v == v {
			st.n++
			// plain comparisons: the min/max builtins also order ±0 and NaN
			if v < st.min {
				st.min = v
			}
			if v > st.max {
				st.max = v
			}
		}
	}
	return st
}

// leafContext carries what a normalisation needs to know about its leaf.
type leafContext struct {
	code string
	sign float64 // +1 higher is better, −1 lower is better
	ind  leafSpec
}

// normalise maps raw values x (NaN missing) onto scores, writing dst, and
// returns warnings. Methods and formulas (sign s = ±1 is the direction):
//
//	minmax:     L + (U−L)·(x−min)/(max−min); for s = −1, (max−x)/(max−min)
//	            (a constant column gives the midpoint (L+U)/2 and a warning;
//	            COINr's n_minmax gives NaN instead)
//	zscore:     Mean + SD·s·(x−x̄)/sd, sd the sample SD (n−1); SD = 0 means
//	            plain z (Mean 0, SD 1); constant column → Mean
//	rank:       100·(r̄−1)/(n−1), r̄ the ascending rank of s·x with ties
//	            averaged (R's rank(ties.method = "average"))
//	percentile: 100·(r−1)/(n−1), r the ascending minimum rank of s·x
//	            (COINr n_prank, dplyr percent_rank)
//	target:     100·(x−worst)/(target−worst) clipped to [0,100], worst the
//	            lowest observed value (highest for s = −1) — COINr
//	            n_dist2targ with cap_max = TRUE
//	goalposts:  100·(x−low)/(high−low) clipped to [0,100]; for s = −1,
//	            100·(high−x)/(high−low)
//	passthrough: x unchanged; refused for s = −1 (*DirectionError): it
//	            knows no scale to reverse the values on
//
// The "rubric" method is handled by mapRubric.
func normalise(dst, x []float64, n Normalisation, lc leafContext) ([]string, error) {
	switch n.Method {
	case NormMinMax:
		return normMinMax(dst, x, n.Low, n.High, lc), nil
	case NormZScore:
		return normZScore(dst, x, n, lc), nil
	case NormRank, NormPercentile:
		return normRank(dst, x, n.Method == NormPercentile, lc), nil
	case NormTarget:
		if lc.ind.target == nil {
			return nil, fmt.Errorf("indicator %s: normalisation %q needs a target in the framework", lc.code, n.Method)
		}
		return normTarget(dst, x, *lc.ind.target, lc), nil
	case NormGoalposts:
		g := lc.ind.goalposts
		if g == nil || !(g.High > g.Low) {
			return nil, fmt.Errorf("indicator %s: normalisation %q needs goalposts with low < high in the framework", lc.code, n.Method)
		}
		normGoalposts(dst, x, g.Low, g.High, lc.sign)
		return nil, nil
	case normRaw:
		copy(dst, x) // TOPSIS applies the direction (aggTopsis)
		return nil, nil
	case NormPassthrough:
		if lc.sign < 0 {
			return nil, &DirectionError{Code: lc.code, Method: n.Method}
		}
		copy(dst, x)
		return nil, nil
	}
	return nil, fmt.Errorf("indicator %s: unknown normalisation %q", lc.code, n.Method)
}

func normMinMax(dst, x []float64, lo, hi float64, lc leafContext) []string {
	st := columnRange(x)
	if st.n == 0 {
		copy(dst, x)
		return nil
	}
	if st.max == st.min {
		mid := (lo + hi) / 2
		for i, v := range x {
			dst[i] = v - v + mid // keeps NaN
		}
		return []string{fmt.Sprintf("indicator %s: all %d values equal %g; min-max gives every unit the midpoint %g", lc.code, st.n, st.min, mid)}
	}
	scale := (hi - lo) / (st.max - st.min)
	if lc.sign < 0 {
		for i, v := range x {
			dst[i] = lo + (st.max-v)*scale
		}
		return nil
	}
	for i, v := range x {
		dst[i] = lo + (v-st.min)*scale
	}
	return nil
}

func normZScore(dst, x []float64, n Normalisation, lc leafContext) []string {
	mean, sd := n.Mean, n.SD
	if sd == 0 {
		mean, sd = 0, 1
	}
	st := columnStats(x)
	if st.n > 0 && st.sd == 0 {
		for i, v := range x {
			dst[i] = v - v + mean
		}
		return []string{fmt.Sprintf("indicator %s: standard deviation is 0; z-scores set to %g", lc.code, mean)}
	}
	k := lc.sign * sd / st.sd
	for i, v := range x {
		dst[i] = mean + k*(v-st.mean)
	}
	return nil
}

func normRank(dst, x []float64, minTies bool, lc leafContext) []string {
	keys := make([]uint64, 0, len(x))
	idx := make([]int32, 0, len(x))
	for i, v := range x {
		if v == v {
			keys = append(keys, ^descKey(lc.sign*v)) // ascending order of s·x
			idx = append(idx, int32(i))
		}
	}
	for i := range dst {
		dst[i] = math.NaN()
	}
	n := len(idx)
	if n == 0 {
		return nil
	}
	if n == 1 {
		dst[idx[0]] = 50
		return []string{fmt.Sprintf("indicator %s: only one unit has a value; its rank score is 50", lc.code)}
	}
	keys, idx = radixSort(keys, idx, make([]uint64, n), make([]int32, n))
	scale := 100 / float64(n-1)
	for i := 0; i < n; {
		j := i + 1
		for j < n && keys[j] == keys[i] {
			j++
		}
		// ascending ranks i+1 … j share the tie: minimum i+1, average (i+1+j)/2
		r := float64(i+1+j) / 2
		if minTies {
			r = float64(i + 1)
		}
		for k := i; k < j; k++ {
			dst[idx[k]] = (r - 1) * scale
		}
		i = j
	}
	return nil
}

func normTarget(dst, x []float64, target float64, lc leafContext) []string {
	st := columnStats(x)
	worst := st.min
	if lc.sign < 0 {
		worst = st.max
	}
	den := target - worst
	if st.n == 0 {
		copy(dst, x)
		return nil
	}
	if den == 0 || (den < 0) != (lc.sign < 0) {
		for i, v := range x {
			dst[i] = v - v + 100
		}
		return []string{fmt.Sprintf("indicator %s: every unit reaches the target %g; all score 100", lc.code, target)}
	}
	for i, v := range x {
		dst[i] = clamp(100*(v-worst)/den, 0, 100)
	}
	return nil
}

func normGoalposts(dst, x []float64, lo, hi, sign float64) {
	s := 100 / (hi - lo)
	for i, v := range x {
		if sign < 0 {
			dst[i] = clamp((hi-v)*s, 0, 100)
		} else {
			dst[i] = clamp((v-lo)*s, 0, 100)
		}
	}
}

// clamp limits v to [lo, hi], keeping NaN.
func clamp(v, lo, hi float64) float64 {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// DirectionError reports a normalisation that cannot honour an
// indicator's direction: passthrough keeps values as they are, so a
// lower-is-better indicator (direction −1) would count its worst values as
// its best. sceval refuses it rather than guess a scale to reverse on
// (100 − x is right only for values already on 0–100).
type DirectionError struct {
	Code   string // indicator code
	Method string // the normalisation
}

// Error names the indicator and says what to do instead.
func (e *DirectionError) Error() string {
	return fmt.Sprintf("indicator %s: normalisation %q keeps the values as they are, but %s is lower-is-better (direction -1) "+
		"and would rank its worst values best; normalise it with minmax, goalposts, target, rank, percentile or zscore "+
		"(an override for %s in the scheme), or store it so that higher is better (direction 1)", e.Code, e.Method, e.Code, e.Code)
}
