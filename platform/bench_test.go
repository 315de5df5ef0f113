package platform_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/blob"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// nationalTowns is the programme's scale: every town and subdistrict of the
// registry (DESIGN §2).
const nationalTowns = 41352

// benchPilots is the number of pilots the benchmarks load: nationalTowns,
// or SCEVAL_BENCH_PILOTS when set (for profiling on smaller data).
func benchPilots() int {
	if n, err := strconv.Atoi(os.Getenv("SCEVAL_BENCH_PILOTS")); err == nil && n > 0 {
		return n
	}
	return nationalTowns
}

// loadNational creates an open cycle of the built-in MOHURD 2012 framework
// with n accepted submissions, every leaf reported (rubric levels and
// quantitative values drawn from a fixed seed), through the bulk paths.
func loadNational(b *testing.B, store *sqlstore.Store, n int) (*platform.Service, platform.Cycle) {
	b.Helper()
	ctx := adminContext()
	blobs, err := blob.NewFS(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	svc := platform.NewService(store, blobs, platform.BuiltinFrameworks{}, platform.ServiceOptions{})
	start := time.Now()
	var csv strings.Builder
	csv.WriteString("region_code,name,batch,type\n")
	for i := range n {
		fmt.Fprintf(&csv, "%02d%07d,镇%d,2013,town\n", 11+i%31, i, i)
	}
	if _, err := svc.ImportPilots(ctx, "towns.csv", strings.NewReader(csv.String())); err != nil {
		b.Fatal(err)
	}
	c, err := svc.CreateCycle(ctx, platform.Cycle{Name: "终期验收", Kind: platform.CycleFinalAcceptance, Year: 2016, FrameworkID: "mohurd-2012"})
	if err != nil {
		b.Fatal(err)
	}
	if c, err = svc.TransitionCycle(ctx, c.ID, c.Version, platform.CycleOpen); err != nil {
		b.Fatal(err)
	}
	pilots, _, err := store.ListPilots(ctx, platform.PilotFilter{Sort: "id", Limit: n})
	if err != nil {
		b.Fatal(err)
	}
	fw, _ := framework.Builtin("mohurd-2012")
	leaves := fw.Leaves()
	rng := rand.New(rand.NewPCG(1, 2))
	const chunk = 5000
	for lo := 0; lo < n; lo += chunk {
		var subs []platform.SubmissionLoad
		for _, p := range pilots[lo:min(n, lo+chunk)] {
			sl := platform.SubmissionLoad{PilotID: p.ID, State: platform.SubmissionAccepted}
			for _, l := range leaves {
				e := platform.Entry{Code: l.Code}
				if l.Kind == framework.Rubric {
					e.Level = ptr(1 + rng.IntN(len(l.Rubric)))
				} else {
					e.Value = ptr(rng.Float64() * 100)
				}
				sl.Entries = append(sl.Entries, e)
			}
			subs = append(subs, sl)
		}
		if _, err := svc.LoadSubmissions(ctx, c.ID, subs); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("loaded %d accepted submissions × %d leaves on %s in %v", n, len(leaves), store.Dialect(), time.Since(start).Round(time.Millisecond))
	return svc, c
}

func benchmarkComputeResults(b *testing.B, store *sqlstore.Store) {
	n := benchPilots()
	svc, c := loadNational(b, store, n)
	ctx := adminContext()
	var run platform.ResultRun
	for b.Loop() {
		var err error
		if run, err = svc.ComputeResults(ctx, c.ID); err != nil {
			b.Fatal(err)
		}
	}
	if run.Pilots != n {
		b.Fatalf("scored %d pilots, want %d", run.Pilots, n)
	}
	b.ReportMetric(float64(n*73), "rows/op")
}

// BenchmarkComputeResults scores a national final acceptance: 41,352 towns ×
// 57 leaves (73 nodes), and stores every result.
func BenchmarkComputeResults(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchmarkComputeResults(b, sqlstoretest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) { benchmarkComputeResults(b, sqlstoretest.Postgres(b)) })
}

func benchmarkSaveEntry(b *testing.B, store *sqlstore.Store) {
	ctx := adminContext()
	blobs, _ := blob.NewFS(b.TempDir())
	svc := platform.NewService(store, blobs, platform.BuiltinFrameworks{}, platform.ServiceOptions{})
	c, _ := svc.CreateCycle(ctx, platform.Cycle{Name: "年度监测", Kind: platform.CycleAnnualMonitoring, Year: 2015, FrameworkID: "mohurd-2012"})
	c, _ = svc.TransitionCycle(ctx, c.ID, c.Version, platform.CycleOpen)
	const submitters = 256
	var csv strings.Builder
	csv.WriteString("region_code,name,batch,type\n")
	for i := range submitters {
		fmt.Fprintf(&csv, "33%04d,区%d,2013,district\n", i, i)
	}
	if _, err := svc.ImportPilots(ctx, "p.csv", strings.NewReader(csv.String())); err != nil {
		b.Fatal(err)
	}
	pilots, _, _ := store.ListPilots(ctx, platform.PilotFilter{Sort: "id", Limit: submitters})
	subs := make([]int64, submitters)
	for i, p := range pilots {
		s, err := svc.CreateSubmission(ctx, c.ID, p.ID)
		if err != nil {
			b.Fatal(err)
		}
		subs[i] = s.ID
	}
	fw, _ := framework.Builtin("mohurd-2012")
	var quantitative []string
	for _, l := range fw.Leaves() {
		if l.Kind == framework.Quantitative {
			quantitative = append(quantitative, l.Code)
		}
	}
	var next atomic.Int64
	b.SetParallelism(submitters / 4) // 64 × GOMAXPROCS goroutines: ~hundreds of concurrent submitters
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		// Each goroutine owns one submission and tracks its entry versions.
		sub := subs[int(next.Add(1)-1)%submitters]
		versions := map[string]int{}
		i := 0
		for pb.Next() {
			code := quantitative[i%len(quantitative)]
			e, err := svc.SaveEntry(ctx, sub, code, platform.EntryInput{Value: ptr(float64(i)), Version: versions[code]})
			if err != nil {
				b.Error(err)
				return
			}
			versions[code] = e.Version
			i++
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "saves/s")
}

// BenchmarkSaveEntry saves entries from many concurrent submitters (each
// goroutine one submission, versions tracked as a client would).
func BenchmarkSaveEntry(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchmarkSaveEntry(b, sqlstoretest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) { benchmarkSaveEntry(b, sqlstoretest.Postgres(b)) })
}
