// Package workers shares loop iterations among goroutines for the engine's
// numeric packages. Callers keep their results deterministic by writing
// only to the slots of the indices they are handed.
package workers

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// Each calls fn(worker, i) for every i in 0..n−1 on up to workers
// goroutines (workers ≤ 0 means GOMAXPROCS), handing out indices in
// increasing order so that the first — often the largest — items start
// first. worker (0..workers−1) identifies the goroutine, for per-goroutine
// buffers. With one worker, or n ≤ 1, it runs in the calling goroutine.
func Each(n, workers int, fn func(worker, i int)) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	if workers <= 1 {
		for i := range n {
			fn(0, i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for wk := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(wk, i)
			}
		}()
	}
	wg.Wait()
}
