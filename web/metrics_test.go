package web

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// parseExposition parses what m writes with the Prometheus project's own
// text parser (strict names), so that the hand-written format is checked
// by an independent reader.
func parseExposition(t *testing.T, m *metrics) map[string]*dto.MetricFamily {
	t.Helper()
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	m.write(expo{w})
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	p := expfmt.NewTextParser(model.LegacyValidation)
	families, err := p.TextToMetricFamilies(&buf)
	if err != nil {
		t.Fatalf("the exposition does not parse: %v\n%s", err, buf.String())
	}
	return families
}

func labelsOf(m *dto.Metric) map[string]string {
	out := map[string]string{}
	for _, l := range m.GetLabel() {
		out[l.GetName()] = l.GetValue()
	}
	return out
}

// TestMetricsExposition observes known requests and computations and reads
// the counts, sums and cumulative buckets back through Prometheus's parser,
// against values worked out by hand from the buckets' bounds.
func TestMetricsExposition(t *testing.T) {
	m := newMetrics(nil)
	// Durations for one route: 0.5 ms, 1 ms (on a bound: le is inclusive),
	// 3 ms, 0.2 s, 20 s (above every bound: only +Inf).
	for _, d := range []time.Duration{500 * time.Microsecond, time.Millisecond, 3 * time.Millisecond, 200 * time.Millisecond, 20 * time.Second} {
		m.observeRequest("GET", "/api/v1/pilots/{id}", 200, d)
	}
	m.observeRequest("POST", `/odd "route"\with
newline`, 500, time.Millisecond)
	done := m.computation()
	inFlight := parseExposition(t, m)["sceval_results_computations_in_flight"]
	if got := inFlight.GetMetric()[0].GetGauge().GetValue(); got != 1 {
		t.Errorf("in flight during a computation = %v, want 1", got)
	}
	done(nil)
	m.computation()(errors.New("failed"))
	m.computation()(nil)

	f := parseExposition(t, m)
	counts := map[string]float64{}
	for _, s := range f["sceval_http_requests_total"].GetMetric() {
		l := labelsOf(s)
		counts[l["method"]+" "+l["route"]+" "+l["status"]] = s.GetCounter().GetValue()
	}
	if counts["GET /api/v1/pilots/{id} 200"] != 5 || counts["POST /odd \"route\"\\with\nnewline 500"] != 1 || len(counts) != 2 {
		t.Errorf("request counts = %v", counts)
	}

	var h *dto.Histogram
	for _, s := range f["sceval_http_request_duration_seconds"].GetMetric() {
		if labelsOf(s)["route"] == "/api/v1/pilots/{id}" {
			h = s.GetHistogram()
		}
	}
	if h == nil {
		t.Fatal("no duration histogram for the route")
	}
	if h.GetSampleCount() != 5 || math.Abs(h.GetSampleSum()-20.2045) > 1e-12 {
		t.Errorf("count %d sum %v, want 5 and 20.2045", h.GetSampleCount(), h.GetSampleSum())
	}
	// Cumulative counts by upper bound, by hand: ≤ 0.001: 0.5 ms and 1 ms;
	// ≤ 0.005: + 3 ms; ≤ 0.25: + 0.2 s; ≤ 10: still 4 (20 s is above);
	// +Inf: all 5.
	want := map[float64]uint64{0.001: 2, 0.0025: 2, 0.005: 3, 0.01: 3, 0.025: 3, 0.05: 3, 0.1: 3, 0.25: 4, 0.5: 4, 1: 4, 2.5: 4, 5: 4, 10: 4, math.Inf(1): 5}
	if len(h.GetBucket()) != len(want) {
		t.Errorf("%d buckets, want %d", len(h.GetBucket()), len(want))
	}
	for _, b := range h.GetBucket() {
		if w, ok := want[b.GetUpperBound()]; !ok || b.GetCumulativeCount() != w {
			t.Errorf("bucket le=%v: %d, want %d", b.GetUpperBound(), b.GetCumulativeCount(), w)
		}
	}

	outcomes := map[string]float64{}
	for _, s := range f["sceval_results_computations_total"].GetMetric() {
		outcomes[labelsOf(s)["outcome"]] = s.GetCounter().GetValue()
	}
	if outcomes["ok"] != 2 || outcomes["error"] != 1 {
		t.Errorf("computations = %v, want ok 2, error 1", outcomes)
	}
	if got := f["sceval_results_computations_in_flight"].GetMetric()[0].GetGauge().GetValue(); got != 0 {
		t.Errorf("in flight after = %v", got)
	}
	cd := f["sceval_results_computation_duration_seconds"].GetMetric()[0].GetHistogram()
	if cd.GetSampleCount() != 3 || len(cd.GetBucket()) != 15 || cd.GetBucket()[13].GetUpperBound() != 0.005*8192 {
		t.Errorf("computation histogram: %d samples, %d buckets", cd.GetSampleCount(), len(cd.GetBucket()))
	}
}

// TestMetricsRuntimeAndProcess checks the Go and process series against
// the runtime and /proc read independently here.
func TestMetricsRuntimeAndProcess(t *testing.T) {
	f := parseExposition(t, newMetrics(nil))
	for _, name := range []string{"go_info", "go_goroutines", "go_threads", "go_memstats_alloc_bytes", "go_memstats_sys_bytes", "go_gc_duration_seconds"} {
		if f[name] == nil {
			t.Errorf("%s missing", name)
		}
	}
	if g := f["go_goroutines"].GetMetric()[0].GetGauge().GetValue(); g < 1 {
		t.Errorf("go_goroutines = %v", g)
	}
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc: process series are not written on this system")
	}
	rss := f["process_resident_memory_bytes"].GetMetric()[0].GetGauge().GetValue()
	// VmRSS in /proc/self/status, in kB, read independently.
	status, _ := os.ReadFile("/proc/self/status")
	var vmRSS float64
	for line := range strings.Lines(string(status)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			var kb float64
			if _, err := fmt.Sscan(rest, &kb); err == nil {
				vmRSS = kb * 1024
			}
		}
	}
	if vmRSS == 0 || math.Abs(rss-vmRSS)/vmRSS > 0.5 {
		t.Errorf("process_resident_memory_bytes = %v, /proc/self/status VmRSS = %v", rss, vmRSS)
	}
	start := f["process_start_time_seconds"].GetMetric()[0].GetGauge().GetValue()
	if now := float64(time.Now().Unix()); start > now+1 || start < now-24*3600 {
		t.Errorf("process_start_time_seconds = %v, now %v", start, now)
	}
	if cpu := f["process_cpu_seconds_total"].GetMetric()[0].GetCounter().GetValue(); cpu <= 0 {
		t.Errorf("process_cpu_seconds_total = %v", cpu)
	}
	if fds := f["process_open_fds"].GetMetric()[0].GetGauge().GetValue(); fds < 3 {
		t.Errorf("process_open_fds = %v", fds)
	}
}
