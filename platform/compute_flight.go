package platform

import (
	"context"
	"fmt"
	"sync"
)

// maxConcurrentComputations bounds the result computations running at once
// across cycles. A national computation (41,352 pilots × 73 nodes) holds
// about 250 MB while it runs; six at once took a server from 43 MB to
// 1.5 GB. Two keep both cores busy and the memory bounded; further
// computations queue for a slot.
const maxConcurrentComputations = 2

// computeFlights runs result computations one per cycle at a time: a
// request for a cycle whose computation is already running joins it and
// gets its outcome instead of starting a second one, and at most
// maxConcurrentComputations run at once. The zero value is ready to use.
//
// A computation runs on its own goroutine, without the cancellation of the
// request that started it (its identity and other values are kept): a
// caller that leaves stops waiting, but the computation finishes and its
// results are stored for the others and for the next page view.
type computeFlights struct {
	mu      sync.Mutex
	flights map[int64]*computeFlight
	slots   chan struct{}
}

// computeFlight is one running computation and, once done is closed, its
// outcome.
type computeFlight struct {
	done    chan struct{}
	waiters int
	run     ResultRun
	err     error
}

// do returns the outcome of fn for cycleID, starting it unless a
// computation of that cycle is already running, in which case it waits for
// that one. It returns ctx's error when ctx ends first.
func (g *computeFlights) do(ctx context.Context, cycleID int64, fn func(context.Context) (ResultRun, error)) (ResultRun, error) {
	g.mu.Lock()
	if g.flights == nil {
		g.flights = map[int64]*computeFlight{}
		g.slots = make(chan struct{}, maxConcurrentComputations)
	}
	f, running := g.flights[cycleID]
	if !running {
		f = &computeFlight{done: make(chan struct{})}
		g.flights[cycleID] = f
		go g.run(context.WithoutCancel(ctx), cycleID, f, fn)
	}
	f.waiters++
	g.mu.Unlock()
	select {
	case <-f.done:
		return f.run, f.err
	case <-ctx.Done():
		return ResultRun{}, ctx.Err()
	}
}

// run waits for a slot, runs fn and publishes its outcome; the cycle can
// then be computed again.
func (g *computeFlights) run(ctx context.Context, cycleID int64, f *computeFlight, fn func(context.Context) (ResultRun, error)) {
	defer func() {
		if p := recover(); p != nil { // not under the HTTP server's recovery on this goroutine
			f.err = fmt.Errorf("computing results of cycle %d: panic: %v", cycleID, p)
		}
		<-g.slots
		g.mu.Lock()
		delete(g.flights, cycleID)
		g.mu.Unlock()
		close(f.done)
	}()
	g.slots <- struct{}{}
	f.run, f.err = fn(ctx)
}

// waiting returns the number of callers that have asked for the running
// computation of cycleID (0 when none runs); for tests.
func (g *computeFlights) waiting(cycleID int64) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	if f, ok := g.flights[cycleID]; ok {
		return f.waiters
	}
	return 0
}
