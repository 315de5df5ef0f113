package engine

import (
	"math"
	"slices"
)

// rankStore holds the runs' ranks run-major: uint16 when every rank fits
// (fewer than 65,536 units, which halves the largest buffer of an
// analysis), else int32.
type rankStore struct {
	r16 []uint16
	r32 []int32
}

func newRankStore(runs, n int) rankStore {
	if n < 1<<16 {
		return rankStore{r16: make([]uint16, runs*n)}
	}
	return rankStore{r32: make([]int32, runs*n)}
}

// put stores run r's ranks.
func (s rankStore) put(r int, ranks []int32) {
	if s.r16 != nil {
		dst := s.r16[r*len(ranks) : (r+1)*len(ranks)]
		for i, v := range ranks {
			dst[i] = uint16(v)
		}
		return
	}
	copy(s.r32[r*len(ranks):], ranks)
}

// rankQuantiles fills rep.Median, P05 and P95 for units u0..u1 from the
// run-major ranks (0 = missing, skipped). Each unit's ranks are gathered
// (reading a block of units per run keeps the reads in cache lines), then
// ordered by a counting sort over their range, or by a comparison sort
// when the range is much wider than the number of runs.
func rankQuantiles(ranks rankStore, runs, n, u0, u1 int, rep *UncertaintyReport) {
	vals := make([][]int32, u1-u0)
	for k := range vals {
		vals[k] = make([]int32, 0, runs)
	}
	for r := range runs {
		if ranks.r16 != nil {
			for k, v := range ranks.r16[r*n+u0 : r*n+u1] {
				if v > 0 {
					vals[k] = append(vals[k], int32(v))
				}
			}
			continue
		}
		for k, v := range ranks.r32[r*n+u0 : r*n+u1] {
			if v > 0 {
				vals[k] = append(vals[k], v)
			}
		}
	}
	var count []int32
	for k, v := range vals {
		u := u0 + k
		if len(v) == 0 {
			rep.Median[u], rep.P05[u], rep.P95[u] = math.NaN(), math.NaN(), math.NaN()
			continue
		}
		count = sortRanks(v, count)
		rep.P05[u] = quantile7(v, 0.05)
		rep.Median[u] = quantile7(v, 0.5)
		rep.P95[u] = quantile7(v, 0.95)
	}
}

// sortRanks sorts v in place: counting sort over [min, max] when that range
// is at most 8·len(v), else an LSD radix sort on 8-bit digits of v − min.
// count is a reusable buffer.
func sortRanks(v []int32, count []int32) []int32 {
	lo, hi := slices.Min(v), slices.Max(v)
	span := int(hi-lo) + 1
	if span > 8*len(v) {
		radixInt32(v, lo, uint32(hi-lo))
		return count
	}
	if cap(count) < span {
		count = make([]int32, span)
	}
	c := count[:span]
	clear(c)
	for _, x := range v {
		c[x-lo]++
	}
	i := 0
	for d, m := range c {
		for range m {
			v[i] = lo + int32(d)
			i++
		}
	}
	return count
}

// quantile7 returns the p-quantile of sorted x by R's default (type 7):
// h = (n−1)·p, x[⌊h⌋] + (h−⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]) (Hyndman & Fan 1996).
func quantile7(x []int32, p float64) float64 {
	h := float64(len(x)-1) * p
	lo := int(math.Floor(h))
	if lo+1 >= len(x) {
		return float64(x[len(x)-1])
	}
	return float64(x[lo]) + (h-float64(lo))*float64(x[lo+1]-x[lo])
}

// radixInt32 sorts v (all ≥ lo, v − lo ≤ span) by LSD radix on 8-bit digits.
func radixInt32(v []int32, lo int32, span uint32) {
	tmp := make([]int32, len(v))
	src, dst := v, tmp
	for shift := uint(0); shift < 32 && span>>shift > 0; shift += 8 {
		var c [256]int
		for _, x := range src {
			c[uint32(x-lo)>>shift&255]++
		}
		sum := 0
		for d := range c {
			c[d], sum = sum, sum+c[d]
		}
		for _, x := range src {
			d := uint32(x-lo) >> shift & 255
			dst[c[d]] = x
			c[d]++
		}
		src, dst = dst, src
	}
	if &src[0] != &v[0] {
		copy(v, src)
	}
}
