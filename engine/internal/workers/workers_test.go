package workers

import (
	"sync/atomic"
	"testing"
)

// Every index is visited exactly once, by a worker number in range,
// whatever the number of workers.
func TestEachVisitsEveryIndexOnce(t *testing.T) {
	for _, w := range []int{0, 1, 2, 3, 64} {
		const n = 1000
		var seen [n]atomic.Int32
		var badWorker atomic.Bool
		limit := w
		if limit <= 0 {
			limit = 1 << 30
		}
		Each(n, w, func(wk, i int) {
			if wk < 0 || wk >= limit {
				badWorker.Store(true)
			}
			seen[i].Add(1)
		})
		for i := range seen {
			if c := seen[i].Load(); c != 1 {
				t.Fatalf("workers=%d: index %d visited %d times", w, i, c)
			}
		}
		if badWorker.Load() {
			t.Fatalf("workers=%d: worker number out of range", w)
		}
	}
	Each(0, 4, func(int, int) { t.Fatal("called for n = 0") })
}
