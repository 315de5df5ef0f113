package engine

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/sceval/sceval/framework"
)

// leafSpec is what the engine needs to know about a leaf indicator.
type leafSpec struct {
	kind      framework.Kind
	rubric    []float64 // scores of rubric levels 1..n
	target    *float64
	goalposts *framework.Goalposts
	sign      float64
}

// mapRubric maps rubric level numbers (1 = lowest level) to the levels'
// scores; a level that is not an integer in 1..n is an error naming the
// unit and the indicator.
func mapRubric(dst, x []float64, levels []float64, code string, units []string) error {
	if len(levels) == 0 {
		return fmt.Errorf("indicator %s: rubric normalisation needs rubric levels in the framework", code)
	}
	for i, v := range x {
		if v != v {
			dst[i] = v
			continue
		}
		if v != math.Trunc(v) || v < 1 || int(v) > len(levels) {
			return fmt.Errorf("unit %s, indicator %s: rubric level %g is not an integer from 1 to %d", units[i], code, v, len(levels))
		}
		dst[i] = levels[int(v)-1]
	}
	return nil
}

// checkExpert rejects expert scores outside [0,100], naming unit and code.
func checkExpert(x []float64, code string, units []string) error {
	for i, v := range x {
		if v == v && (v < 0 || v > 100) {
			return fmt.Errorf("unit %s, indicator %s: expert score %g is outside 0–100", units[i], code, v)
		}
	}
	return nil
}

// impute fills the missing values of x in place and returns a warning (""
// when nothing was filled). Methods: "mean" (arithmetic mean of the present
// values), "median" (their median: middle value, or mean of the two middle
// values), "group_mean" (mean of the present values of the unit's group,
// groups given by attribute values; the overall mean when the whole group is
// missing, with a note). COINr Impute (i_mean, i_median, i_mean_grp).
func impute(x []float64, imp Imputation, groups []string, code string) string {
	if imp.Method == ImputeNone || imp.Method == "" {
		return ""
	}
	missing := 0
	for _, v := range x {
		if v != v {
			missing++
		}
	}
	if missing == 0 || missing == len(x) {
		return ""
	}
	st := columnStats(x)
	fill := st.mean
	switch imp.Method {
	case ImputeMedian:
		fill = median(x)
	case ImputeGroupMean:
		return imputeGroups(x, groups, st.mean, imp.Group, code, missing)
	}
	for i, v := range x {
		if v != v {
			x[i] = fill
		}
	}
	return fmt.Sprintf("indicator %s: imputed %d missing values by the %s (%g)", code, missing, imp.Method, fill)
}

func imputeGroups(x []float64, groups []string, overall float64, attr, code string, missing int) string {
	sum := map[string]float64{}
	cnt := map[string]int{}
	for i, v := range x {
		if v == v {
			sum[groups[i]] += v
			cnt[groups[i]]++
		}
	}
	var fallback []string
	for i, v := range x {
		if v == v {
			continue
		}
		g := groups[i]
		if cnt[g] == 0 {
			x[i] = overall
			if !slices.Contains(fallback, g) {
				fallback = append(fallback, g)
			}
			continue
		}
		x[i] = sum[g] / float64(cnt[g])
	}
	msg := fmt.Sprintf("indicator %s: imputed %d missing values by the mean of their %s", code, missing, attr)
	if len(fallback) > 0 {
		slices.Sort(fallback)
		msg += fmt.Sprintf("; groups with no value (%s) got the overall mean %g", strings.Join(fallback, ", "), overall)
	}
	return msg
}

// median returns the median of the present values of x.
func median(x []float64) float64 {
	v := make([]float64, 0, len(x))
	for _, e := range x {
		if e == e {
			v = append(v, e)
		}
	}
	if len(v) == 0 {
		return math.NaN()
	}
	slices.Sort(v)
	h := len(v) / 2
	if len(v)%2 == 1 {
		return v[h]
	}
	return (v[h-1] + v[h]) / 2
}

// skewKurt returns the sample skewness G1 and excess kurtosis G2 of the
// present values, as COINr's skew() and kurt() (e1071 type 2, Excel's
// SKEW and KURT):
//
//	g1 = √n·Σd³ / (Σd²)^{3/2},  G1 = g1·√(n(n−1))/(n−2)
//	g2 = n·Σd⁴ / (Σd²)² − 3,    G2 = ((n+1)·g2 + 6)·(n−1)/((n−2)(n−3))
//
// with d = x − x̄. ok is false with fewer than 4 values or zero variance.
func skewKurt(x []float64) (skew, kurt float64, ok bool) {
	st := columnStats(x)
	if st.n < 4 || st.sd == 0 {
		return 0, 0, false
	}
	var s2, s3, s4 float64
	for _, v := range x {
		if v == v {
			d := v - st.mean
			d2 := d * d
			s2 += d2
			s3 += d2 * d
			s4 += d2 * d2
		}
	}
	n := float64(st.n)
	g1 := math.Sqrt(n) * s3 / math.Pow(s2, 1.5)
	skew = g1 * math.Sqrt(n*(n-1)) / (n - 2)
	g2 := n*s4/(s2*s2) - 3
	kurt = ((n+1)*g2 + 6) * (n - 1) / ((n - 2) * (n - 3))
	return skew, kurt, true
}

// treatOutliers applies COINr's Treat defaults (winsorise, then log_CT) to x
// in place and returns warnings naming the treated units. A column fails
// when |G1| > SkewLimit and G2 > KurtLimit (OECD–JRC Handbook 2008; COINr
// check_SkewKurt). While it fails, the highest value(s) (skew ≥ 0) are set
// to the next highest value, or the lowest to the next lowest, as long as
// at most MaxPoints distinct points are treated: MaxPoints counts points
// (units), not moves, so a unit moved again as the column comes in is
// counted once (the Handbook's and COINr's "number of points winsorised"),
// and a pass that would bring the count above MaxPoints (tied extremes) is
// not made. If the column still fails and Log is set, the original column is
// transformed instead by log(x − min + 0.01·(max − min)) (COINr log_CT),
// mirrored for negative skew.
func treatOutliers(x []float64, o Outliers, code string, units []string) []string {
	if o.Method != OutliersWinsorise {
		return nil
	}
	fails := func() (float64, bool) {
		sk, ku, ok := skewKurt(x)
		return sk, ok && math.Abs(sk) > o.SkewLimit && ku > o.KurtLimit
	}
	sk, bad := fails()
	if !bad {
		return nil
	}
	orig := slices.Clone(x)
	var treated []int // distinct units, in the order first treated
	seen := map[int]bool{}
	for bad {
		ext := extremeUnits(x, sk >= 0)
		fresh := 0
		for _, i := range ext {
			if !seen[i] {
				fresh++
			}
		}
		if len(treated)+fresh > o.MaxPoints || !winsoriseOnce(x, sk >= 0) {
			break
		}
		for _, i := range ext {
			if !seen[i] {
				seen[i] = true
				treated = append(treated, i)
			}
		}
		sk, bad = fails()
	}
	var ws []string
	if len(treated) > 0 {
		names := make([]string, len(treated))
		for k, i := range treated {
			names[k] = fmt.Sprintf("%s (%g→%g)", units[i], orig[i], x[i])
		}
		ws = append(ws, fmt.Sprintf("indicator %s: winsorised %d point(s): %s", code, len(treated), strings.Join(names, ", ")))
	}
	if bad && o.Log {
		copy(x, orig)
		logTransform(x, sk >= 0)
		ws = append(ws, fmt.Sprintf("indicator %s: still skewed after winsorising; log-transformed instead (COINr log_CT)", code))
	} else if bad {
		ws = append(ws, fmt.Sprintf("indicator %s: still skewed (|skew| %.3g) after winsorising %d point(s) (max_points %d)",
			code, math.Abs(sk), len(treated), o.MaxPoints))
	}
	return ws
}

// extremeUnits returns the units holding the extreme value of x (the
// maximum when high, else the minimum).
func extremeUnits(x []float64, high bool) []int {
	ext, sign := math.Inf(-1), 1.0
	if !high {
		sign = -1
	}
	var out []int
	for i, v := range x {
		switch s := sign * v; {
		case v != v:
		case s > ext:
			ext, out = s, append(out[:0], i)
		case s == ext:
			out = append(out, i)
		}
	}
	return out
}

// winsoriseOnce replaces every occurrence of the extreme value (maximum when
// high, else minimum) by the next value inwards; it reports false, changing
// nothing, when there is no next value.
func winsoriseOnce(x []float64, high bool) bool {
	ext, next := math.Inf(-1), math.Inf(-1)
	sign := 1.0
	if !high {
		sign = -1
	}
	for _, v := range x {
		if v != v {
			continue
		}
		if s := sign * v; s > ext {
			ext, next = s, ext
		} else if s < ext && s > next {
			next = s
		}
	}
	if math.IsInf(next, -1) {
		return false
	}
	for i, v := range x {
		if v == v && sign*v == ext {
			x[i] = sign * next
		}
	}
	return true
}

// logTransform applies log(x − min + a) with a = 0.01·(max − min) (COINr
// log_CT) for positive skew, and −log(max − x + a) for negative skew, which
// keeps the order of the values.
func logTransform(x []float64, positive bool) {
	st := columnStats(x)
	a := 0.01 * (st.max - st.min)
	for i, v := range x {
		if positive {
			x[i] = math.Log(v - st.min + a)
		} else {
			x[i] = -math.Log(st.max - v + a)
		}
	}
}
