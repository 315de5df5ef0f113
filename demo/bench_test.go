package demo

import (
	"testing"

	"github.com/sceval/sceval/region"
)

// BenchmarkSeed measures seeding the whole demo into a new SQLite
// database (what `serve --demo` does before it listens); BENCHMARKS.md
// records it.
func BenchmarkSeed(b *testing.B) {
	regions, err := region.Default()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		svc := newServiceTB(b)
		b.StartTimer()
		if _, err := Seed(adminCtx(), svc, regions, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
