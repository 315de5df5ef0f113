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
		// scores that display alike (2 decimals) tie: rounding is not merit
		{[]float64{100, 100 - 1e-12, 100}, []int32{1, 1, 1}},
		{[]float64{0.2*w6 + 0.8*w61, 50, 49.999999}, []int32{1, 1, 1}}, // 50.00000000000001, 50 and 50.00
		{[]float64{100, 100 - 1e-6, 100}, []int32{1, 1, 1}},
		{[]float64{100, 99.99, 100}, []int32{1, 3, 1}},
		{[]float64{75.004, 74.995, 75.006, 74.994}, []int32{2, 2, 1, 4}}, // shown 75.00, 75.00 (half up), 75.01, 74.99
		// equal in the top 32 bits of the key, different below
		{[]float64{65536, 65536.03, 65536.01, 65536.03, 65536.02}, []int32{5, 1, 4, 1, 3}},
		{[]float64{}, []int32{}},
	}
	for _, tc := range tests {
		for name, rank := range map[string]func([]float64, []int32, int){"rank": r.rank, "rankSorted": r.rankSorted} {
			got := make([]int32, len(tc.in))
			rank(tc.in, got, 1)
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("%s(%v) = %v, want %v", name, tc.in, got, tc.want)
					break
				}
			}
		}
	}
}

// Counting (few distinct values) and sorting give the same ranks, with a
// stride, at the limit of fewValues distinct values and one past it.
func TestRankFewMatchesSorted(t *testing.T) {
	var r ranker
	rng := rand.New(rand.NewPCG(5, 6))
	w6, w61 := 6.0, 61.0 // variables, so the sum is rounded at run time
	levels := []float64{0, 25, 50, 75, 100, 0.2*w6 + 0.8*w61, 50.000001, math.Copysign(0, -1), 1e7}
	for _, nv := range []int{1, 2, 5, fewValues, fewValues + 1} {
		x := make([]float64, 1000)
		for i := range x {
			x[i] = levels[rng.IntN(nv)]
			if i%17 == 0 {
				x[i] = nan
			}
		}
		const stride = 3
		got, want := make([]int32, stride*len(x)), make([]int32, stride*len(x))
		few := r.rankFew(x, got, stride)
		if few != (nv <= fewValues) {
			t.Fatalf("%d values: rankFew = %v", nv, few)
		}
		if !few {
			r.rank(x, got, stride)
		}
		r.rankSorted(x, want, stride)
		if !slices.Equal(got, want) {
			t.Fatalf("%d values: rankFew/rank differs from rankSorted", nv)
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

// roundHalfAway agrees bit for bit with math.Round below 2⁵²: at halves,
// next to halves, at signed zeros and on random magnitudes.
func TestRoundHalfAway(t *testing.T) {
	check := func(x float64) {
		t.Helper()
		if got, want := roundHalfAway(x), math.Round(x); math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("roundHalfAway(%v) = %v, want %v", x, got, want)
		}
	}
	for _, x := range []float64{0, math.Copysign(0, -1), 0.5, 1.5, 2.5, 0.49999999999999994,
		0.5000000000000001, 1 << 51, 1<<51 + 0.5, 1<<52 - 0.5, 1<<52 - 1, 4503599627370495.5} {
		check(x)
		check(-x)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200_000 {
		k := float64(rng.Int64N(1 << 52))
		x := math.Ldexp(k, -rng.IntN(60)) // every fraction length up to 2⁵²
		for _, y := range []float64{x, math.Nextafter(x, 0), math.Nextafter(x, math.Inf(1)), math.Floor(x) + 0.5} {
			if y < 1<<52 {
				check(y)
				check(-y)
			}
		}
	}
}

// BenchmarkRankNodes ranks the 73 node columns of the benchmark result
// (41,352 units, default scheme) one after the other, as Score does on
// one core: leaves with ties (rubric levels, rounded raw values) and
// parents with nearly distinct scores.
func BenchmarkRankNodes(b *testing.B) {
	fw := benchFramework()
	res, err := Score(fw, Synthetic(fw, benchUnits, 1), DefaultScheme())
	if err != nil {
		b.Fatal(err)
	}
	m, n := len(res.Nodes), len(res.Units)
	cols := make([][]float64, m)
	for i := range cols {
		cols[i] = make([]float64, n)
		for u := range n {
			cols[i][u] = res.At(u, i)
		}
	}
	out := make([]int32, n)
	var r ranker
	for b.Loop() {
		for _, c := range cols {
			r.rank(c, out, 1)
		}
	}
}

// fewTable finds every value's slot after collisions force a new
// multiplier, and refuses a ninth value.
func TestFewTableCollisions(t *testing.T) {
	var ft fewTable
	ft.reset()
	first := math.Float64bits(1)
	var vals []uint64
	for i := 2.0; len(vals) < fewValues-1; i++ { // values colliding with 1 under the first multiplier
		if b := math.Float64bits(i); ft.hash(b) == ft.hash(first) {
			vals = append(vals, b)
		}
	}
	vals = append([]uint64{first}, vals...)
	for _, b := range vals {
		if !ft.add(b) {
			t.Fatalf("add(%v) failed", math.Float64frombits(b))
		}
	}
	if ft.mult == 0x9e3779b97f4a7c15 {
		t.Fatal("no rehash")
	}
	for s, b := range vals {
		h := ft.hash(b)
		if ft.bucket[h] != b || int(ft.slotOf[h]) != s {
			t.Fatalf("value %v: bucket %d holds %v slot %d, want slot %d", math.Float64frombits(b), h, math.Float64frombits(ft.bucket[h]), ft.slotOf[h], s)
		}
	}
	if ft.add(math.Float64bits(-1)) {
		t.Fatal("a ninth value was accepted")
	}
}
