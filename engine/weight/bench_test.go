package weight

import (
	"math"
	"math/rand/v2"
	"testing"
)

// benchColumns generates the national scale: 41,352 towns × 57
// indicators, with a fixed seed, some correlation between neighbouring
// indicators and no missing values.
func benchColumns(b *testing.B) [][]float64 {
	b.Helper()
	const n, k = 41352, 57
	rng := rand.New(rand.NewPCG(2012, 57))
	cols := make([][]float64, k)
	for j := range cols {
		cols[j] = make([]float64, n)
		for i := range cols[j] {
			v := rng.ExpFloat64() * float64(1+j%5)
			if j > 0 {
				v += 0.3 * cols[j-1][i]
			}
			cols[j][i] = v
		}
	}
	return cols
}

func BenchmarkEntropy41352x57(b *testing.B) {
	cols := benchColumns(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Entropy(cols, EntropyOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCRITIC41352x57(b *testing.B) {
	cols := benchColumns(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := CRITIC(cols, CRITICOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCRITICMissing41352x57 has about 3 % of values missing, as in
// real submissions: every correlation is then pairwise-complete.
func BenchmarkCRITICMissing41352x57(b *testing.B) {
	cols := benchColumns(b)
	rng := rand.New(rand.NewPCG(3, 100))
	for _, c := range cols {
		for i := range c {
			if rng.IntN(100) < 3 {
				c[i] = math.NaN()
			}
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := CRITIC(cols, CRITICOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPCA41352x57(b *testing.B) {
	cols := benchColumns(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := PCA(cols, PCAOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAHP15(b *testing.B) {
	m := randomReciprocal(rand.New(rand.NewPCG(1, 15)), 15)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := AHP(m); err != nil {
			b.Fatal(err)
		}
	}
}
