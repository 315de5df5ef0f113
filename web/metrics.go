package web

import (
	"bufio"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// metrics are the server's Prometheus metrics, kept per server (two servers
// in one process, as in tests, never share counters) and written in the
// text exposition format by hand (metrics_text.go). The Prometheus client
// library did the same job, but every sceval command paid for its package
// initialisation and that of protobuf and procfs — about 5 ms of each
// command's start on the development machine (BENCHMARKS.md, "Start-up") —
// for seven series.
type metrics struct {
	store Store // nil: no connection-pool series

	mu                  sync.Mutex
	requests            map[requestKey]uint64
	durations           map[string]*histogram // by route
	computeInFlight     int64
	computations        map[string]uint64 // by outcome
	computationDuration *histogram
}

type requestKey struct{ method, route, status string }

// Buckets, in seconds: requests from 1 ms to 10 s; computations from 5 ms
// doubling 14 times (to 41 s), as before.
var (
	requestBuckets     = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}
	computationBuckets = exponentialBuckets(0.005, 2, 14)
)

func newMetrics(store Store) *metrics {
	return &metrics{
		store:               store,
		requests:            map[requestKey]uint64{},
		durations:           map[string]*histogram{},
		computations:        map[string]uint64{},
		computationDuration: newHistogram(computationBuckets),
	}
}

// observeRequest records one served request.
func (m *metrics) observeRequest(method, route string, status int, elapsed time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[requestKey{method, route, strconv.Itoa(status)}]++
	h := m.durations[route]
	if h == nil {
		h = newHistogram(requestBuckets)
		m.durations[route] = h
	}
	h.observe(elapsed.Seconds())
}

// computation marks the start of a result computation; call the returned
// function with the outcome when it ends.
func (m *metrics) computation() func(err error) {
	start := time.Now()
	m.mu.Lock()
	m.computeInFlight++
	m.mu.Unlock()
	return func(err error) {
		outcome := "ok"
		if err != nil {
			outcome = "error"
		}
		m.mu.Lock()
		defer m.mu.Unlock()
		m.computeInFlight--
		m.computations[outcome]++
		m.computationDuration.observe(time.Since(start).Seconds())
	}
}

func (m *metrics) handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		bw := bufio.NewWriter(w)
		m.write(expo{bw})
		_ = bw.Flush() // a scraper that went away is not an error of ours
	})
}

// write writes every series: the server's own, the connection pools', then
// the Go runtime's and the process's (metrics_runtime.go).
func (m *metrics) write(e expo) {
	m.writeOwn(e)
	if m.store != nil {
		writePoolStats(e, m.store)
	}
	writeGoStats(e)
	writeProcessStats(e)
}

func (m *metrics) writeOwn(e expo) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e.family("sceval_http_requests_total", "counter", "HTTP requests served, by method, route pattern and status.")
	keys := make([]requestKey, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b requestKey) int {
		return strings.Compare(a.method+"\x00"+a.route+"\x00"+a.status, b.method+"\x00"+b.route+"\x00"+b.status)
	})
	for _, k := range keys {
		e.sample("sceval_http_requests_total", float64(m.requests[k]), "method", k.method, "route", k.route, "status", k.status)
	}
	e.family("sceval_http_request_duration_seconds", "histogram", "Time to serve an HTTP request, by route pattern.")
	routes := make([]string, 0, len(m.durations))
	for r := range m.durations {
		routes = append(routes, r)
	}
	slices.Sort(routes)
	for _, r := range routes {
		e.histogram("sceval_http_request_duration_seconds", m.durations[r], "route", r)
	}
	e.family("sceval_results_computations_in_flight", "gauge", "Result computations running now.")
	e.sample("sceval_results_computations_in_flight", float64(m.computeInFlight))
	e.family("sceval_results_computations_total", "counter", "Result computations finished, by outcome (ok or error).")
	for _, outcome := range []string{"error", "ok"} {
		if n, ok := m.computations[outcome]; ok {
			e.sample("sceval_results_computations_total", float64(n), "outcome", outcome)
		}
	}
	e.family("sceval_results_computation_duration_seconds", "histogram", "Time to compute and store the results of a cycle.")
	e.histogram("sceval_results_computation_duration_seconds", m.computationDuration)
}

// histogram counts observations in buckets with inclusive upper bounds, as
// Prometheus histograms do (an observation v falls in every bucket with
// v ≤ le).
type histogram struct {
	bounds []float64 // ascending upper bounds, without +Inf
	counts []uint64  // per bucket, not cumulative; the last is +Inf
	count  uint64
	sum    float64
}

func newHistogram(bounds []float64) *histogram {
	return &histogram{bounds: bounds, counts: make([]uint64, len(bounds)+1)}
}

func (h *histogram) observe(v float64) {
	i, _ := slices.BinarySearch(h.bounds, v) // first bound ≥ v; len(bounds) means +Inf
	h.counts[i]++
	h.count++
	h.sum += v
}

// exponentialBuckets returns count bounds from start, each factor times the
// one before.
func exponentialBuckets(start, factor float64, count int) []float64 {
	out := make([]float64, count)
	for i := range out {
		out[i] = start
		start *= factor
	}
	return out
}
