package engine

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestRanker(t *testing.T) {
	var r ranker
	w6, w61 := 6.0, 61.0 // variables, so the sum is rounded at run time
	tests := []struct {
		in   []float64
		want []int32
	}{
		{[]float64{5, 7, 7, 1, nan}, []int32{3, 1, 1, 4, 0}},
		{[]float64{-2, 0, math.Copysign(0, -1), 3.5, -2}, []int32{4, 2, 2, 1, 4}},
		// differences below tieResolution are rounding, not merit
		{[]float64{100, 100 - 1e-12, 100}, []int32{1, 1, 1}},
		{[]float64{0.2*w6 + 0.8*w61, 50, 49.999999}, []int32{1, 1, 3}}, // 50.00000000000001 and 50
		{[]float64{100, 100 - 1e-6, 100}, []int32{1, 3, 1}},
		// equal in the top 32 bits of the key, different below
		{[]float64{65536, 65536 + 0x1p-10, 65536 + 0x1p-15, 65536 + 0x1p-10, 65536 + 0x1p-20}, []int32{5, 1, 3, 1, 4}},
		{[]float64{}, []int32{}},
	}
	for _, tc := range tests {
		got := make([]int32, len(tc.in))
		r.rank(tc.in, got, 1)
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("rank(%v) = %v, want %v", tc.in, got, tc.want)
				break
			}
		}
	}
}

// The radix ranker agrees with a quadratic reference on random data with
// many near-ties.
func TestRankerMatchesReference(t *testing.T) {
	var r ranker
	x := make([]float64, 3000)
	for i := range x {
		x[i] = math.Round(math.Sin(float64(i)*12.9898)*43758.5453) / 7 // many ties
		if i%97 == 0 {
			x[i] = nan
		}
		if i%13 == 0 {
			x[i] = 1e-9 * float64(i%5) // tiny values differing in low bits
		}
	}
	got := make([]int32, len(x))
	r.rank(x, got, 1)
	for i, v := range x {
		want := int32(0)
		if v == v {
			want = 1
			for _, w := range x {
				if tieSnap(w) > tieSnap(v) {
					want++
				}
			}
		}
		if got[i] != want {
			t.Fatalf("unit %d (%g): rank %d, want %d", i, v, got[i], want)
		}
	}
}

// BenchmarkRank ranks one column of 41,352 scores with the radix ranker.
func BenchmarkRank(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, benchUnits)
	for i := range x {
		x[i] = 100 * rng.Float64() * rng.Float64()
	}
	out := make([]int32, len(x))
	var r ranker
	for b.Loop() {
		r.rank(x, out, 1)
	}
}

// BenchmarkRankPairsSort is the reference: pdqsort (slices.SortFunc) of
// the same keys with their indices.
func BenchmarkRankPairsSort(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	type pair struct {
		k uint64
		i int32
	}
	x := make([]pair, benchUnits)
	y := make([]pair, benchUnits)
	for i := range x {
		x[i] = pair{descKey(100 * rng.Float64() * rng.Float64()), int32(i)}
	}
	for b.Loop() {
		copy(y, x)
		slices.SortFunc(y, func(a, b pair) int { return cmp.Compare(a.k, b.k) })
	}
}
