package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/web"
)

// report is the outcome of the load phase.
type report struct {
	clients   int
	rate      float64 // offered saves/s; 0 in the closed loop
	elapsed   time.Duration
	latencies []time.Duration // of successful saves
	statuses  map[int]int     // of failed saves (0: transport error)
}

// load runs the clients until cfg.saves saves were attempted or
// cfg.duration passed. Client i works on submissions i, i+clients, … so
// that, with at least as many submissions as clients, no two clients write
// the same entry and every 409 would be a server fault; with fewer, the
// clients collide and the 409s are the optimistic locking at work.
func load(ctx context.Context, c *client, fx *fixture, cfg config) *report {
	ctx, cancel := context.WithTimeout(ctx, cfg.duration)
	defer cancel()
	var budget atomic.Int64
	budget.Store(int64(cfg.saves))
	if cfg.saves == 0 {
		budget.Store(math.MaxInt64)
	}
	results := make([]*clientResult, cfg.clients)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range cfg.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = runClient(ctx, c, fx, i, cfg, &budget)
		}()
	}
	wg.Wait()
	rep := &report{clients: cfg.clients, rate: cfg.rate, elapsed: time.Since(start), statuses: map[int]int{}}
	for _, r := range results {
		rep.latencies = append(rep.latencies, r.latencies...)
		for s, n := range r.statuses {
			rep.statuses[s] += n
		}
	}
	return rep
}

type clientResult struct {
	latencies []time.Duration
	statuses  map[int]int
}

// runClient saves random entries of its submissions, tracking each entry's
// version as a real client would (the version it last read).
func runClient(ctx context.Context, c *client, fx *fixture, id int, cfg config, budget *atomic.Int64) *clientResult {
	rng := rand.New(rand.NewPCG(cfg.seed, uint64(id)))
	var mine []int64
	for j := id % len(fx.submissions); j < len(fx.submissions); j += cfg.clients {
		mine = append(mine, fx.submissions[j])
	}
	if len(mine) == 0 {
		mine = []int64{fx.submissions[id%len(fx.submissions)]}
	}
	versions := map[string]int{}
	res := &clientResult{statuses: map[int]int{}}
	pace := newPacer(cfg, id)
	for budget.Add(-1) >= 0 && ctx.Err() == nil {
		t0, ok := pace.next(ctx)
		if !ok {
			return res
		}
		sub := mine[rng.IntN(len(mine))]
		leaf := fx.leaves[rng.IntN(len(fx.leaves))]
		key := fmt.Sprint(sub, leaf.Code)
		in := entryFor(rng, leaf, versions[key])
		var e platform.Entry
		status, err := c.do(ctx, "PUT", fmt.Sprintf("/api/v1/submissions/%d/entries/%s", sub, leaf.Code), "", in, &e)
		elapsed := time.Since(t0)
		switch {
		case err == nil:
			res.latencies = append(res.latencies, elapsed)
			versions[key] = e.Version
		case ctx.Err() != nil && errors.Is(err, context.DeadlineExceeded):
			return res
		default:
			res.statuses[status]++
			var se *statusError
			if errors.As(err, &se) && status == 409 {
				versions[key] = currentVersion(se.body) // merge: take the version the server has
			}
		}
	}
	return res
}

// entryFor draws a valid entry for a leaf.
func entryFor(rng *rand.Rand, leaf web.IndicatorRow, version int) web.EntryFields {
	in := web.EntryFields{Version: version, Narrative: "负载测试：自动生成的填报内容。"}
	if leaf.Kind == "rubric" && len(leaf.Rubric) > 0 {
		level := 1 + rng.IntN(len(leaf.Rubric))
		in.Level = &level
		return in
	}
	v := float64(rng.IntN(1000)) / 10
	in.Value = &v
	return in
}

func (r *report) print(w io.Writer) {
	ok := len(r.latencies)
	failed := 0
	for _, n := range r.statuses {
		failed += n
	}
	slices.Sort(r.latencies)
	fmt.Fprintf(w, "saves: %d ok, %d failed in %s with %d clients\n", ok, failed, r.elapsed.Round(time.Millisecond), r.clients)
	if failed > 0 {
		fmt.Fprintf(w, "failures by status (0 = transport): %v\n", r.statuses)
	}
	if ok == 0 {
		return
	}
	fmt.Fprintf(w, "throughput: %.0f saves/s\n", float64(ok)/r.elapsed.Seconds())
	if r.rate > 0 {
		fmt.Fprintf(w, "offered: %.0f saves/s (latency measured from each save's intended send time)\n", r.rate)
	}
	fmt.Fprintf(w, "latency: p50 %s  p90 %s  p99 %s  max %s\n",
		pct(r.latencies, 50), pct(r.latencies, 90), pct(r.latencies, 99), r.latencies[ok-1].Round(10*time.Microsecond))
}

// pct is the nearest-rank percentile of sorted durations.
func pct(sorted []time.Duration, p float64) time.Duration {
	i := int(float64(len(sorted))*p/100+0.5) - 1
	i = max(0, min(i, len(sorted)-1))
	return sorted[i].Round(10 * time.Microsecond)
}

// currentVersion reads the current entry's version from a 409 body.
func currentVersion(body string) int {
	var e struct {
		Current struct {
			Version int `json:"version"`
		} `json:"current"`
	}
	_ = json.Unmarshal([]byte(body), &e)
	return e.Current.Version
}

// pacer spaces a client's requests when a rate is offered: client id sends
// at start + offset + k·interval, the clients' offsets spread over one
// interval; with Poisson arrivals the gaps are drawn from an exponential
// distribution of the same mean instead. Latency is measured from the
// intended send time, so a server that falls behind is charged for the wait
// (no coordinated omission).
type pacer struct {
	interval time.Duration
	at       time.Time // the next intended send time
	rng      *rand.Rand
}

func newPacer(cfg config, id int) *pacer {
	if cfg.rate <= 0 {
		return &pacer{}
	}
	interval := time.Duration(float64(cfg.clients) / cfg.rate * float64(time.Second))
	p := &pacer{interval: interval}
	if cfg.poisson {
		p.rng = rand.New(rand.NewPCG(cfg.seed^0x9e3779b97f4a7c15, uint64(id)))
		p.at = time.Now().Add(p.gap())
	} else {
		p.at = time.Now().Add(time.Duration(int64(interval) * int64(id) / int64(cfg.clients)))
	}
	return p
}

// gap is the time to the next send.
func (p *pacer) gap() time.Duration {
	if p.rng == nil {
		return p.interval
	}
	return time.Duration(p.rng.ExpFloat64() * float64(p.interval))
}

// next waits for the client's next slot and returns its intended time.
func (p *pacer) next(ctx context.Context) (time.Time, bool) {
	if p.interval == 0 {
		return time.Now(), true
	}
	at := p.at
	p.at = at.Add(p.gap())
	if wait := time.Until(at); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return at, false
		case <-t.C:
		}
	}
	return at, true
}
