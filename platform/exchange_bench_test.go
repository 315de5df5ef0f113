//go:build unix

package platform_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// BenchmarkImportEntriesNational imports a bulk CSV of 41,352 pilots × the
// 57 leaves of mohurd-2012 (2,357,064 rows: every town of China) into a
// cycle on SQLite: check pass, then one write transaction with an audit row
// per entry. It reports the seconds and the process's peak RSS (VmHWM).
func BenchmarkImportEntriesNational(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchNationalImport(b, sqlstoretest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) {
		if os.Getenv(sqlstoretest.PostgresEnv) == "" {
			b.Skip("SKIPPED: set " + sqlstoretest.PostgresEnv + " to run on PostgreSQL")
		}
		benchNationalImport(b, sqlstoretest.Postgres(b))
	})
}

func benchNationalImport(b *testing.B, store *sqlstore.Store) {
	pilots := 41352
	if n, err := strconv.Atoi(os.Getenv("SCEVAL_BENCH_PILOTS")); err == nil && n > 0 {
		pilots = n // a smaller run, for profiling
	}
	svc := newServiceWith(b, store, platform.ServiceOptions{}, nil)
	c, err := svc.CreateCycle(admin, platform.Cycle{Name: "全国", Kind: platform.CycleAnnualMonitoring, Year: 2015, FrameworkID: "mohurd-2012"})
	if err != nil {
		b.Fatal(err)
	}
	if c, err = svc.TransitionCycle(admin, c.ID, c.Version, platform.CycleOpen); err != nil {
		b.Fatal(err)
	}
	ps := make([]platform.Pilot, pilots)
	for i := range ps {
		ps[i] = platform.Pilot{RegionCode: fmt.Sprintf("%02d%07d", 11+i%31, i), Name: fmt.Sprintf("镇%d", i), ProvinceCode: fmt.Sprintf("%02d", 11+i%31),
			Batch: "2013", Type: platform.PilotTown, Status: platform.PilotActive, Version: 1}
	}
	if err := store.CreatePilots(admin, ps); err != nil {
		b.Fatal(err)
	}
	loads := make([]platform.SubmissionLoad, pilots)
	for i := range loads {
		loads[i].PilotID = int64(i + 1)
	}
	if _, err := svc.LoadSubmissions(admin, c.ID, loads); err != nil {
		b.Fatal(err)
	}
	fw, _ := framework.Builtin("mohurd-2012")
	path := filepath.Join(b.TempDir(), "national.csv")
	var sb strings.Builder
	sb.WriteString("试点ID,指标代码,数值,等级,填报说明\n")
	for p := 1; p <= pilots; p++ {
		for _, leaf := range fw.Leaves() {
			if leaf.Kind == framework.Rubric {
				fmt.Fprintf(&sb, "%d,%s,,%d,\n", p, leaf.Code, 1+(p+len(leaf.Code))%5)
			} else {
				fmt.Fprintf(&sb, "%d,%s,%d,,\n", p, leaf.Code, p%100)
			}
		}
	}
	if err := os.WriteFile(path, []byte(sb.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	sb = strings.Builder{}
	for b.Loop() {
		file, _ := os.Open(path)
		cpu0 := cpuTime()
		t0 := time.Now()
		rep, err := svc.ImportEntries(admin, c.ID, "national.csv", file, platform.EntryImportOptions{})
		elapsed, cpu := time.Since(t0), cpuTime()-cpu0
		file.Close()
		if err != nil || !rep.OK() {
			b.Fatalf("import: %v %+v", err, rep.Errors[:min(3, len(rep.Errors))])
		}
		b.ReportMetric(elapsed.Seconds(), "import-s")
		// CPU time (user + system) tells the work apart from waiting for
		// a shared machine's cores.
		b.ReportMetric(cpu.Seconds(), "cpu-s")
		b.ReportMetric(float64(rep.Applied), "entries")
	}
	if status, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, l := range strings.Split(string(status), "\n") {
			if strings.HasPrefix(l, "VmHWM:") {
				b.Log(l)
			}
		}
	}
}

// cpuTime is the process's user plus system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
