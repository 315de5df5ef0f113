package agreement

import (
	"math"
	"sort"
)

// RaterDeviations returns, for each rater i, the mean absolute deviation
// of their scores from the panel median without them (leave-one-out):
//
//	d_i = mean over items j scored by i and by some other rater of
//	      |x_ij − median_{r≠i} x_rj|
//
// Missing scores (NaN) are skipped; d_i is NaN when rater i shares no item
// with another rater. Leaving the rater out keeps one extreme rater from
// pulling the reference towards themselves.
func RaterDeviations(scores [][]float64) []float64 {
	m := len(scores)
	d := make([]float64, m)
	others := make([]float64, 0, m)
	for i, row := range scores {
		var sum float64
		count := 0
		for j, x := range row {
			if math.IsNaN(x) {
				continue
			}
			others = others[:0]
			for r := range scores {
				if r != i && j < len(scores[r]) && !math.IsNaN(scores[r][j]) {
					others = append(others, scores[r][j])
				}
			}
			if len(others) == 0 {
				continue
			}
			sum += math.Abs(x - median(others))
			count++
		}
		d[i] = math.NaN()
		if count > 0 {
			d[i] = sum / float64(count)
		}
	}
	return d
}

// OutlierRaters returns the 0-based indices of the raters whose
// leave-one-out deviation d_i (see RaterDeviations) is an outlier among
// the raters: z_i = (d_i − mean(d)) / sd(d) > z, with the sample standard
// deviation over the raters whose d_i is defined.
//
// With m raters no z-score can exceed (m − 1)/√m, so z = 2 can flag a
// rater only on panels of 6 or more; fewer than 3 raters, or all
// deviations equal, return nil.
func OutlierRaters(scores [][]float64, z float64) []int {
	d := RaterDeviations(scores)
	var vals []float64
	for _, v := range d {
		if !math.IsNaN(v) {
			vals = append(vals, v)
		}
	}
	if len(vals) < 3 {
		return nil
	}
	var mean float64
	for _, v := range vals {
		mean += v
	}
	mean /= float64(len(vals))
	var ss float64
	for _, v := range vals {
		ss += (v - mean) * (v - mean)
	}
	sd := math.Sqrt(ss / float64(len(vals)-1))
	if sd == 0 {
		return nil
	}
	var out []int
	for i, v := range d {
		if !math.IsNaN(v) && (v-mean)/sd > z {
			out = append(out, i)
		}
	}
	return out
}

// median returns the median of x (reordering x).
func median(x []float64) float64 {
	sort.Float64s(x)
	n := len(x)
	if n%2 == 1 {
		return x[n/2]
	}
	return (x[n/2-1] + x[n/2]) / 2
}
