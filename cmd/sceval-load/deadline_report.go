package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"time"
)

// The operations of the deadline scenario, in the order they are reported.
const (
	opOpen         = "pilot: read submission (JSON)"
	opEntryPage    = "pilot: entry page"
	opPageSave     = "pilot: save entry (page form)"
	opSaveEntry    = "pilot: save entry (JSON API)"
	opUpload       = "pilot: upload evidence"
	opSubmit       = "pilot: submit"
	opReviewList   = "expert: list reviews"
	opReviewOpen   = "expert: open review"
	opReviewSave   = "expert: save scores"
	opReviewSubmit = "expert: submit review"
	opQueue        = "manager: review queue page"
	opResults      = "manager: results page"
	opScorecard    = "manager: scorecard page"
	opSubmissions  = "manager: submissions (JSON)"
	opExpertTotals = "manager: expert results (JSON)"
)

var opOrder = []string{opOpen, opEntryPage, opPageSave, opSaveEntry, opUpload, opSubmit, opReviewList, opReviewOpen, opReviewSave,
	opReviewSubmit, opQueue, opResults, opScorecard, opSubmissions, opExpertTotals}

// opStats are one operation kind's outcomes.
type opStats struct {
	latencies []time.Duration // of successful operations
	// conflicts are 409 stale_version answers: two users of one pilot
	// saving the same entry, the optimistic locking at work.
	conflicts int
	// errors are every other failure, by status (0: transport error),
	// with the first message of each status.
	errors   map[int]int
	messages map[int]string
	bytes    int64 // uploaded or downloaded payload of successful operations
}

// recorder collects the outcomes of every user's operations.
type recorder struct {
	mu  sync.Mutex
	ops map[string]*opStats
}

func newRecorder() *recorder { return &recorder{ops: map[string]*opStats{}} }

func (r *recorder) stats(op string) *opStats {
	s := r.ops[op]
	if s == nil {
		s = &opStats{errors: map[int]int{}, messages: map[int]string{}}
		r.ops[op] = s
	}
	return s
}

// record files one operation that started (was meant to start) at t0 and
// returned status and err; it reports whether the operation succeeded.
// A cancelled run's operations are not counted.
func (r *recorder) record(ctx context.Context, op string, t0 time.Time, status int, err error, size int64) bool {
	elapsed := time.Since(t0)
	if err != nil && ctx.Err() != nil {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.stats(op)
	var se *statusError
	switch {
	case err == nil:
		s.latencies = append(s.latencies, elapsed)
		s.bytes += size
		return true
	case errors.As(err, &se) && se.status == 409 && strings.Contains(se.body, `"stale_version"`):
		s.conflicts++
	default:
		s.errors[status]++
		if s.messages[status] == "" {
			s.messages[status] = truncateMessage(err.Error(), 300)
		}
	}
	return false
}

func truncateMessage(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// count returns the successful operations of a kind.
func (r *recorder) count(op string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if s := r.ops[op]; s != nil {
		return len(s.latencies)
	}
	return 0
}

// unexpected returns the number of failures other than version conflicts.
func (r *recorder) unexpected() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, s := range r.ops {
		for _, c := range s.errors {
			n += c
		}
	}
	return n
}

// print writes one line per operation kind: count, throughput, p50, p99,
// max, conflicts and errors, then the first message of each error status.
func (r *recorder) print(w io.Writer, elapsed time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	fmt.Fprintf(w, "%-32s %8s %8s %9s %9s %9s %9s %7s\n", "operation", "ok", "per s", "p50", "p99", "max", "conflicts", "errors")
	var total, conflicts, errs int
	for _, op := range opOrder {
		s := r.ops[op]
		if s == nil {
			continue
		}
		slices.Sort(s.latencies)
		n, e := len(s.latencies), 0
		for _, c := range s.errors {
			e += c
		}
		total, conflicts, errs = total+n, conflicts+s.conflicts, errs+e
		p50, p99, top := "-", "-", "-"
		if n > 0 {
			p50, p99, top = pct(s.latencies, 50).String(), pct(s.latencies, 99).String(), s.latencies[n-1].Round(10*time.Microsecond).String()
		}
		fmt.Fprintf(w, "%-32s %8d %8.1f %9s %9s %9s %9d %7d\n", op, n, float64(n)/elapsed.Seconds(), p50, p99, top, s.conflicts, e)
	}
	fmt.Fprintf(w, "%-32s %8d %8.1f %29s %9d %7d\n", "all", total, float64(total)/elapsed.Seconds(), "", conflicts, errs)
	if s := r.ops[opUpload]; s != nil && len(s.latencies) > 0 {
		fmt.Fprintf(w, "evidence uploaded: %d files, %.1f MB (%.1f MB/s)\n", len(s.latencies), float64(s.bytes)/1e6, float64(s.bytes)/1e6/elapsed.Seconds())
	}
	for _, op := range opOrder {
		if s := r.ops[op]; s != nil {
			for status, msg := range s.messages {
				fmt.Fprintf(w, "error %s, status %d (%d×): %s\n", op, status, s.errors[status], msg)
			}
		}
	}
}

// heapSampler records the peak of the Go heap (live and not yet swept
// objects) while the load runs: the server and the generator share the
// process, so it is an upper bound of the server's.
type heapSampler struct {
	peak uint64
	stop chan struct{}
	done chan struct{}
}

func startHeapSampler(every time.Duration) *heapSampler {
	h := &heapSampler{stop: make(chan struct{}), done: make(chan struct{})}
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	go func() {
		defer close(h.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			metrics.Read(sample)
			h.peak = max(h.peak, sample[0].Value.Uint64())
			select {
			case <-h.stop:
				return
			case <-t.C:
			}
		}
	}()
	return h
}

// finish stops the sampler and returns the peak heap in bytes.
func (h *heapSampler) finish() uint64 {
	close(h.stop)
	<-h.done
	return h.peak
}

// processMemory returns the process's peak and current resident set
// (VmHWM, VmRSS of /proc/self/status, Linux), or "" elsewhere.
func processMemory() string {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return ""
	}
	var hwm, rss string
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			hwm = strings.TrimSpace(v)
		}
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			rss = strings.TrimSpace(v)
		}
	}
	return fmt.Sprintf("RSS peak since start (VmHWM, setup included) %s, now %s", hwm, rss)
}
