package platform

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// waitFor polls cond until it holds (no sleeps: the goroutines it waits
// for are already running or runnable).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for i := 0; !cond(); i++ {
		if i > 50_000_000 {
			t.Fatalf("timed out waiting for %s", what)
		}
		runtime.Gosched()
	}
}

// TestComputeFlightsJoin: a second request for a cycle whose computation
// is running joins it: one computation, both callers get its outcome; a
// caller that leaves stops waiting without stopping the computation; the
// next request after it finished computes again.
func TestComputeFlightsJoin(t *testing.T) {
	var g computeFlights
	var calls atomic.Int32
	release := make(chan struct{})
	fn := func(ctx context.Context) (ResultRun, error) {
		n := calls.Add(1)
		if ctx.Err() != nil {
			return ResultRun{}, errors.New("computation saw its first caller's cancellation")
		}
		<-release
		return ResultRun{CycleID: 7, Pilots: int(n)}, nil
	}
	first, cancelFirst := context.WithCancel(context.Background())
	leaving, leave := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	runs := make([]ResultRun, 2)
	errs := make([]error, 3)
	wg.Go(func() { runs[0], errs[0] = g.do(first, 7, fn) })
	waitFor(t, "the first request", func() bool { return g.waiting(7) == 1 })
	wg.Go(func() { runs[1], errs[1] = g.do(context.Background(), 7, fn) })
	wg.Go(func() { _, errs[2] = g.do(leaving, 7, fn) })
	waitFor(t, "three requests on one computation", func() bool { return g.waiting(7) == 3 })
	leave()
	cancelFirst() // the first caller leaves too: the computation goes on
	close(release)
	wg.Wait()
	if !errors.Is(errs[0], context.Canceled) || !errors.Is(errs[2], context.Canceled) {
		t.Errorf("callers that left: %v, %v; want context.Canceled", errs[0], errs[2])
	}
	if errs[1] != nil || runs[1].Pilots != 1 || calls.Load() != 1 {
		t.Fatalf("joined request: %+v, %v after %d computations; want the one computation's run", runs[1], errs[1], calls.Load())
	}
	waitFor(t, "the computation to end", func() bool { return g.waiting(7) == 0 })
	if run, err := g.do(context.Background(), 7, fn); err != nil || run.Pilots != 2 {
		t.Fatalf("request after the computation ended: %+v, %v; want a second computation", run, err)
	}
}

// TestComputeFlightsBound: computations of many cycles at once never run
// more than maxConcurrentComputations at a time, and all complete.
func TestComputeFlightsBound(t *testing.T) {
	var g computeFlights
	const cycles = 6
	var mu sync.Mutex
	running, most := 0, 0
	release := make(chan struct{})
	fn := func(context.Context) (ResultRun, error) {
		mu.Lock()
		running++
		most = max(most, running)
		mu.Unlock()
		<-release
		mu.Lock()
		running--
		mu.Unlock()
		return ResultRun{}, nil
	}
	var wg sync.WaitGroup
	for c := range cycles {
		wg.Go(func() {
			if _, err := g.do(context.Background(), int64(c), fn); err != nil {
				t.Error(err)
			}
		})
	}
	for done := 0; done < cycles; done++ {
		// Release one computation once as many run as may.
		waitFor(t, "running computations", func() bool {
			mu.Lock()
			defer mu.Unlock()
			return running == min(maxConcurrentComputations, cycles-done)
		})
		release <- struct{}{}
	}
	wg.Wait()
	if most > maxConcurrentComputations {
		t.Fatalf("%d computations ran at once, want at most %d", most, maxConcurrentComputations)
	}
}
