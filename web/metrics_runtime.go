package web

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// writeGoStats writes the Go runtime's series under the names the
// Prometheus Go client uses (go_goroutines, go_memstats_…,
// go_gc_duration_seconds), so that existing dashboards keep working.
func writeGoStats(e expo) {
	e.family("go_info", "gauge", "Information about the Go environment.")
	e.sample("go_info", 1, "version", runtime.Version())
	e.family("go_goroutines", "gauge", "Number of goroutines that currently exist.")
	e.sample("go_goroutines", float64(runtime.NumGoroutine()))
	e.family("go_threads", "gauge", "Number of OS threads created.")
	e.sample("go_threads", float64(pprof.Lookup("threadcreate").Count()))

	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	for _, s := range []struct {
		name, typ, help string
		value           float64
	}{
		{"go_memstats_alloc_bytes", "gauge", "Number of bytes allocated in heap and currently in use.", float64(ms.Alloc)},
		{"go_memstats_alloc_bytes_total", "counter", "Total number of bytes allocated in heap until now, even if released already.", float64(ms.TotalAlloc)},
		{"go_memstats_sys_bytes", "gauge", "Number of bytes obtained from system.", float64(ms.Sys)},
		{"go_memstats_heap_inuse_bytes", "gauge", "Number of heap bytes that are in use.", float64(ms.HeapInuse)},
		{"go_memstats_heap_objects", "gauge", "Number of currently allocated objects.", float64(ms.HeapObjects)},
		{"go_memstats_next_gc_bytes", "gauge", "Number of heap bytes when next garbage collection will take place.", float64(ms.NextGC)},
		{"go_memstats_last_gc_time_seconds", "gauge", "Number of seconds since 1970 of last garbage collection.", float64(ms.LastGC) / 1e9},
	} {
		e.family(s.name, s.typ, s.help)
		e.sample(s.name, s.value)
	}

	// Pause quantiles as the Go client computes them: the minimum, the
	// quartiles and the maximum of the recent pauses.
	stats := debug.GCStats{PauseQuantiles: make([]time.Duration, 5)}
	debug.ReadGCStats(&stats)
	e.family("go_gc_duration_seconds", "summary", "A summary of the wall-time pause (stop-the-world) duration in garbage collection cycles.")
	for i, q := range []string{"0", "0.25", "0.5", "0.75", "1"} {
		e.sample("go_gc_duration_seconds", stats.PauseQuantiles[i].Seconds(), "quantile", q)
	}
	e.sample("go_gc_duration_seconds_sum", stats.PauseTotal.Seconds())
	e.sample("go_gc_duration_seconds_count", float64(stats.NumGC))
}

// writeProcessStats writes the process series of the Prometheus client
// (process_cpu_seconds_total, process_resident_memory_bytes, …) where the
// system has /proc (Linux); elsewhere none, as the client does.
func writeProcessStats(e expo) {
	st, ok := readProcStat()
	if !ok {
		return
	}
	e.family("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.")
	e.sample("process_cpu_seconds_total", st.cpuSeconds)
	e.family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.")
	e.sample("process_resident_memory_bytes", st.residentBytes)
	e.family("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.")
	e.sample("process_virtual_memory_bytes", st.virtualBytes)
	e.family("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.")
	e.sample("process_start_time_seconds", st.startTime)
	if fds, err := os.ReadDir("/proc/self/fd"); err == nil {
		e.family("process_open_fds", "gauge", "Number of open file descriptors.")
		e.sample("process_open_fds", float64(len(fds)))
	}
	var lim syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim) == nil {
		e.family("process_max_fds", "gauge", "Maximum number of open file descriptors.")
		e.sample("process_max_fds", float64(lim.Cur))
	}
}

// procStat is what writeProcessStats reads from /proc/self/stat.
type procStat struct {
	cpuSeconds, residentBytes, virtualBytes, startTime float64
}

// userHZ is the unit of the CPU times and start time in /proc/self/stat:
// USER_HZ, 100 on every Linux architecture Go supports (proc(5); the
// Prometheus client assumes the same).
const userHZ = 100

// readProcStat parses /proc/self/stat (proc(5)): after the command name in
// parentheses, which may contain spaces, field 14 is utime, 15 stime, 22
// starttime (clock ticks since boot), 23 vsize (bytes) and 24 rss (pages).
// The boot time comes from the btime line of /proc/stat.
func readProcStat() (procStat, bool) {
	data, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return procStat{}, false
	}
	s := string(data)
	end := strings.LastIndexByte(s, ')')
	if end < 0 {
		return procStat{}, false
	}
	fields := strings.Fields(s[end+1:]) // fields[0] is field 3 (state)
	if len(fields) < 22 {
		return procStat{}, false
	}
	num := func(field int) float64 {
		v, _ := strconv.ParseFloat(fields[field-3], 64)
		return v
	}
	st := procStat{
		cpuSeconds:    (num(14) + num(15)) / userHZ,
		virtualBytes:  num(23),
		residentBytes: num(24) * float64(os.Getpagesize()),
	}
	if boot, ok := bootTime(); ok {
		st.startTime = boot + num(22)/userHZ
	}
	return st, true
}

// bootTime reads the system's boot time (seconds since the epoch) from the
// btime line of /proc/stat.
func bootTime() (float64, bool) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "btime "); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			return v, err == nil
		}
	}
	return 0, false
}
