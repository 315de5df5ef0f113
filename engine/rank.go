package engine

import "math"

// ranker ranks score columns; it keeps its buffers between calls, so one
// ranker must not be used by two goroutines at once.
type ranker struct {
	packed, buf []uint64
}

// descKey maps a float64 to a uint64 whose ascending order is the float's
// descending order (−0 and +0 map alike).
func descKey(v float64) uint64 {
	b := math.Float64bits(v + 0)
	if b>>63 == 1 {
		b = ^b
	} else {
		b |= 1 << 63
	}
	return ^b
}

// tieResolution is the grid that scores are snapped to before ranking, so
// that two units whose scores differ only by floating-point rounding (e.g.
// 0.2·6 + 0.8·61 = 50.00000000000001 and 50)
// share a rank, as they would when a person compares the printed scores.
// It is far below any difference the 6-decimal outputs can show.
const tieResolution = 1e-9

// tieSnap rounds v to the nearest multiple of tieResolution; magnitudes too
// large for the grid to matter (|v| ≥ 1e6) are returned as they are.
func tieSnap(v float64) float64 {
	if math.Abs(v) >= 1e6 {
		return v
	}
	return math.Round(v/tieResolution) * tieResolution
}

// rank writes the competition ranks of scores into out[u*stride]: 1 for
// the highest, tied scores share the smallest rank of their group ("1, 2,
// 2, 4"), 0 for NaN. Each present score is packed as (top 32 bits of its
// key, unit) into one uint64, radix-sorted on the key half (O(n), one word
// moved per element), then the rare runs equal in those bits are ordered by
// the full key.
func (r *ranker) rank(scores []float64, out []int32, stride int) {
	r.packed = grow(r.packed, len(scores))
	p, n := r.packed, 0
	var low, lowDiff uint64 // lowDiff ≠ 0: the keys' low halves differ
	for u, v := range scores {
		out[u*stride] = 0
		if v == v {
			k := descKey(tieSnap(v))
			if n == 0 {
				low = k & 0xffffffff
			}
			lowDiff |= k&0xffffffff ^ low
			p[n] = k&^0xffffffff | uint64(u)
			n++
		}
	}
	r.buf = grow(r.buf, n)
	p = radixHigh(p[:n], r.buf)
	if lowDiff == 0 {
		// Every key has the same low half (e.g. integer scores): equal
		// high halves mean equal scores.
		assignRanks(p, out, stride, nil)
		return
	}
	full := func(x uint64) uint64 { return descKey(tieSnap(scores[uint32(x)])) }
	for i := 1; i < n; i++ {
		x := p[i]
		if x>>32 != p[i-1]>>32 {
			continue
		}
		kx, j := full(x), i
		for j > 0 && p[j-1]>>32 == x>>32 && full(p[j-1]) > kx {
			p[j] = p[j-1]
			j--
		}
		p[j] = x
	}
	assignRanks(p, out, stride, full)
}

// assignRanks writes competition ranks for the sorted packed keys p; ties
// are equal high halves and, when full is given, equal full keys.
func assignRanks(p []uint64, out []int32, stride int, full func(uint64) uint64) {
	n := len(p)
	for i := 0; i < n; {
		j := i + 1
		if j < n && p[j]>>32 == p[i]>>32 {
			if full == nil {
				for j < n && p[j]>>32 == p[i]>>32 {
					j++
				}
			} else {
				ki := full(p[i])
				for j < n && p[j]>>32 == p[i]>>32 && full(p[j]) == ki {
					j++
				}
			}
		}
		for k := i; k < j; k++ {
			out[int(uint32(p[k]))*stride] = int32(i + 1)
		}
		i = j
	}
}

// radixHigh sorts p by its upper 32 bits, stably, with an LSD radix sort on
// four 8-bit digits (histograms built in one pass; digits shared by every
// element skipped), using buf; it returns the slice holding the result.
func radixHigh(p, buf []uint64) []uint64 {
	var count [4][256]int
	for _, x := range p {
		count[0][x>>32&255]++
		count[1][x>>40&255]++
		count[2][x>>48&255]++
		count[3][x>>56]++
	}
	for d := range 4 {
		shift := uint(32 + 8*d)
		c := &count[d]
		if len(p) == 0 || c[p[0]>>shift&255] == len(p) {
			continue
		}
		sum := 0
		for i := range c {
			c[i], sum = sum, sum+c[i]
		}
		for _, x := range p {
			k := x >> shift & 255
			buf[c[k]] = x
			c[k]++
		}
		p, buf = buf, p
	}
	return p
}

func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// radixSort sorts keys ascending, permuting idx alike and stably, using
// buffers k2, i2; it returns the slices holding the result. It runs an LSD
// radix sort on the top 32 bits (four 8-bit digits, histograms built in
// one pass, digits shared by every key skipped), then insertion-sorts the
// rare runs of keys equal in those bits by their full value.
func radixSort(keys []uint64, idx []int32, k2 []uint64, i2 []int32) ([]uint64, []int32) {
	const bits, passes, low = 8, 4, 64 - 4*8
	const size = 1 << bits
	var count [passes][size]int
	for _, k := range keys {
		count[0][(k>>low)&(size-1)]++
		count[1][(k>>(low+bits))&(size-1)]++
		count[2][(k>>(low+2*bits))&(size-1)]++
		count[3][(k>>(low+3*bits))&(size-1)]++
	}
	for p := range passes {
		shift := uint(low + bits*p)
		c := &count[p]
		if len(keys) == 0 || c[(keys[0]>>shift)&(size-1)] == len(keys) {
			continue // every key has the same digit here
		}
		sum := 0
		for d := range c {
			c[d], sum = sum, sum+c[d]
		}
		for i, k := range keys {
			d := (k >> shift) & (size - 1)
			q := c[d]
			c[d]++
			k2[q], i2[q] = k, idx[i]
		}
		keys, k2 = k2, keys
		idx, i2 = i2, idx
	}
	for i := 1; i < len(keys); i++ {
		k, x := keys[i], idx[i]
		j := i
		for j > 0 && keys[j-1]>>low == k>>low && keys[j-1] > k {
			keys[j], idx[j] = keys[j-1], idx[j-1]
			j--
		}
		keys[j], idx[j] = k, x
	}
	return keys, idx
}
