package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
)

// machineLoad describes how busy the machine is — CPUs and the 1, 5 and
// 15-minute load averages from /proc/loadavg (Linux; elsewhere the CPUs
// only) — so that every figure is reported with the load it was measured
// under: on a shared machine other work takes the cores the server, the
// database and the generator need.
func machineLoad() string {
	s := fmt.Sprintf("%d CPUs", runtime.NumCPU())
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return s
	}
	if f := strings.Fields(string(data)); len(f) >= 3 {
		s += fmt.Sprintf(", load average %s %s %s", f[0], f[1], f[2])
	}
	return s
}
