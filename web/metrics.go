package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics holds the server's Prometheus collectors in a registry of its own,
// so two servers in one process (as in tests) never share counters.
type metrics struct {
	registry            *prometheus.Registry
	requests            *prometheus.CounterVec
	duration            *prometheus.HistogramVec
	computeInFlight     prometheus.Gauge
	computations        *prometheus.CounterVec
	computationDuration prometheus.Histogram
}

func newMetrics(store Store) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sceval_http_requests_total",
			Help: "HTTP requests served, by method, route pattern and status.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "sceval_http_request_duration_seconds",
			Help:    "Time to serve an HTTP request, by route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
		computeInFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "sceval_results_computations_in_flight",
			Help: "Result computations running now.",
		}),
		computations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sceval_results_computations_total",
			Help: "Result computations finished, by outcome (ok or error).",
		}, []string{"outcome"}),
		computationDuration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "sceval_results_computation_duration_seconds",
			Help:    "Time to compute and store the results of a cycle.",
			Buckets: prometheus.ExponentialBuckets(0.005, 2, 14),
		}),
	}
	m.registry.MustRegister(m.requests, m.duration, m.computeInFlight, m.computations, m.computationDuration,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if store != nil {
		m.registry.MustRegister(newPoolCollector(store))
	}
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

// observeRequest records one served request.
func (m *metrics) observeRequest(method, route string, status int, elapsed time.Duration) {
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(elapsed.Seconds())
}

// computation marks the start of a result computation; call the returned
// function with the outcome when it ends.
func (m *metrics) computation() func(err error) {
	start := time.Now()
	m.computeInFlight.Inc()
	return func(err error) {
		m.computeInFlight.Dec()
		outcome := "ok"
		if err != nil {
			outcome = "error"
		}
		m.computations.WithLabelValues(outcome).Inc()
		m.computationDuration.Observe(time.Since(start).Seconds())
	}
}
