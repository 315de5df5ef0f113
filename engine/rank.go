package engine

import "math"

// ranker ranks score columns; it keeps its buffers between calls, so one
// ranker must not be used by two goroutines at once.
type ranker struct {
	packed, buf []uint64
	lows        []uint32 // low half of each unit's key, by unit
	slot        []uint8  // rankFew: each unit's value slot
	few         fewTable
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

// tieSnap returns the score as displayed (DisplayScore), scaled by 100 (an
// integer number of hundredths, which orders alike): ranks and ties are
// decided on it, so that two units whose printed scores are equal share a
// rank, and floating-point rounding (0.2·6 + 0.8·61 = 50.00000000000001
// against 50) never separates them.
func tieSnap(v float64) float64 { return displayCents(v) }

// roundHalfAway returns math.Round(x) (halves away from zero) for
// |x| < 2⁵², without branches: x + sign(x)·h with h = ½ − 2⁻⁵⁴, the
// largest double below ½, rounds past the next integer exactly when the
// fraction of x is at least ½ (for a fraction just below ½ the sum stays
// below the integer, and for a fraction of exactly ½ it rounds up to it),
// and truncation then drops the fraction. The signed zero of math.Round
// is kept (Trunc(−0.3 − h) = −0). DisplayScore calls it with |x| < 10¹⁵;
// TestRoundHalfAway checks it against math.Round.
func roundHalfAway(x float64) float64 {
	return math.Trunc(x + math.Copysign(0.49999999999999994, x))
}

// rank writes the competition ranks of scores into out[u*stride]: 1 for
// the highest, tied scores share the smallest rank of their group ("1, 2,
// 2, 4"), 0 for NaN. Scores are compared as displayed
// (DisplayScore). Columns of a few distinct values are ranked by counting
// (rankFew), others by sorting (rankSorted).
func (r *ranker) rank(scores []float64, out []int32, stride int) {
	if !r.rankFew(scores, out, stride) {
		r.rankSorted(scores, out, stride)
	}
}

// rankSorted ranks like rank. Each present score is packed as (top 32 bits
// of its key, unit) into one uint64, radix-sorted on the key half (O(n),
// one word moved per element), then the runs equal in those bits (ties,
// mostly) are ordered by the keys' low halves, which were kept by unit
// when packing.
func (r *ranker) rankSorted(scores []float64, out []int32, stride int) {
	r.packed = grow(r.packed, len(scores))
	r.lows = grow(r.lows, len(scores))
	p, lows, n := r.packed, r.lows, 0
	var low, lowDiff uint64 // lowDiff ≠ 0: the keys' low halves differ
	for u, v := range scores {
		out[u*stride] = 0
		if v == v {
			k := descKey(tieSnap(v))
			lows[u] = uint32(k)
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
	for i := 1; i < n; i++ {
		x := p[i]
		if x>>32 != p[i-1]>>32 {
			continue
		}
		kx, j := lows[uint32(x)], i
		for j > 0 && p[j-1]>>32 == x>>32 && lows[uint32(p[j-1])] > kx {
			p[j] = p[j-1]
			j--
		}
		p[j] = x
	}
	assignRanks(p, out, stride, lows)
}

// fewValues is the most distinct scores that rankFew ranks: enough for
// rubric levels (five in the MOHURD framework).
const fewValues = 8

// fewTable maps the bits of up to fewValues distinct scores to their slots
// through a 64-bucket multiplicative hash whose multiplier is changed
// until the values present do not collide, so that a lookup is one
// multiplication and one comparison.
type fewTable struct {
	mult   uint64
	bucket [64]uint64 // value bits per bucket; unusedBits when empty
	slotOf [64]uint8
	vals   [fewValues]uint64 // value bits by slot
	n      int
}

const unusedBits = 0x7ff8000000000001 // a NaN's bits: no present score has them

func (t *fewTable) reset() {
	t.mult, t.n = 0x9e3779b97f4a7c15, 0
	for i := range t.bucket {
		t.bucket[i] = unusedBits
	}
}

func (t *fewTable) hash(b uint64) uint64 { return b * t.mult >> 58 }

// add gives value bits b the next slot, rehashing on a collision; it
// reports false when the table is full or no multiplier separates the
// values.
func (t *fewTable) add(b uint64) bool {
	if t.n == fewValues {
		return false
	}
	t.vals[t.n] = b
	t.n++
	for range 64 {
		if t.rebuild() {
			return true
		}
		t.mult = t.mult*0x5851f42d4c957f2d + 0x14057b7ef767814f | 1 // next odd multiplier (PCG's LCG step)
	}
	return false
}

// rebuild places every value in its bucket; false on a collision.
func (t *fewTable) rebuild() bool {
	for i := range t.bucket {
		t.bucket[i] = unusedBits
	}
	for s, b := range t.vals[:t.n] {
		h := t.hash(b)
		if t.bucket[h] != unusedBits {
			return false
		}
		t.bucket[h], t.slotOf[h] = b, uint8(s)
	}
	return true
}

// rankFew ranks like rank when scores take at most fewValues distinct
// values (rubric leaves), by counting: one pass gives each unit the slot
// of its value's bits and counts the slots, a slot's rank is 1 + the
// number of units whose snapped score is higher, and a second pass writes
// the ranks. It returns false, having written nothing, on finding more
// distinct values (after a few dozen units for continuous scores).
func (r *ranker) rankFew(scores []float64, out []int32, stride int) bool {
	const missing = fewValues // slot of NaN
	t := &r.few
	t.reset()
	var count [16]int // by slot, missing included (16: no bounds check)
	r.slot = grow(r.slot, len(scores))
	slot := r.slot[:len(scores)]
	for u, v := range scores {
		s := uint8(missing)
		if v == v {
			b := math.Float64bits(v)
			h := t.hash(b)
			if t.bucket[h] != b {
				if !t.add(b) {
					return false
				}
				h = t.hash(b)
			}
			s = t.slotOf[h]
		}
		count[s&15]++
		slot[u] = s
	}
	var keys [fewValues]uint64
	for s, b := range t.vals[:t.n] {
		keys[s] = descKey(tieSnap(math.Float64frombits(b)))
	}
	var rankOf [256]int32 // by slot; 0 for missing
	for s := range t.n {
		rankOf[s] = 1
		for k := range t.n {
			if keys[k] < keys[s] {
				rankOf[s] += int32(count[k])
			}
		}
	}
	for u, s := range slot {
		out[u*stride] = rankOf[s]
	}
	return true
}

// assignRanks writes competition ranks for the sorted packed keys p; ties
// are equal high halves and, when lows (the keys' low halves by unit) is
// given, equal low halves.
func assignRanks(p []uint64, out []int32, stride int, lows []uint32) {
	n := len(p)
	for i := 0; i < n; {
		j := i + 1
		if j < n && p[j]>>32 == p[i]>>32 {
			if lows == nil {
				for j < n && p[j]>>32 == p[i]>>32 {
					j++
				}
			} else {
				ki := lows[uint32(p[i])]
				for j < n && p[j]>>32 == p[i]>>32 && lows[uint32(p[j])] == ki {
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
