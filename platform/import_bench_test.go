package platform_test

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// importFile returns a pilot CSV of at least size bytes (9-digit town codes
// across the provinces) and its number of pilots.
func importFile(size int) (string, int) {
	var b strings.Builder
	b.WriteString("region_code,name,batch,type\n")
	n := 0
	for b.Len() < size {
		fmt.Fprintf(&b, "%02d%07d,试点镇%d,2013,town\n", 11+n%31, n, n)
		n++
	}
	return b.String(), n
}

// BenchmarkImportWhileSaving imports a 3.6 MB pilot file on SQLite while
// one client saves an entry after another, and reports the import's time
// and the longest save: the staged import holds the single writer for one
// batch at a time, so saves wait for a batch, not for the file.
func BenchmarkImportWhileSaving(b *testing.B) {
	csv, n := importFile(3_600_000)
	for b.Loop() {
		b.StopTimer()
		store := sqlstoretest.SQLite(b)
		svc := newServiceWith(b, store, platform.ServiceOptions{}, nil)
		c, err := svc.CreateCycle(admin, platform.Cycle{Name: "c", Kind: platform.CycleFinalAcceptance, Year: 2015, FrameworkID: "tiny"})
		if err != nil {
			b.Fatal(err)
		}
		if c, err = svc.TransitionCycle(admin, c.ID, c.Version, platform.CycleOpen); err != nil {
			b.Fatal(err)
		}
		p, _ := svc.CreatePilot(admin, platform.Pilot{RegionCode: "330106", Name: "西湖区", Batch: "2012", Type: platform.PilotDistrict})
		sub, err := svc.CreateSubmission(admin, c.ID, p.ID)
		if err != nil {
			b.Fatal(err)
		}
		var stop atomic.Bool
		var longest atomic.Int64
		done := make(chan int)
		go func() {
			saves, version := 0, 0
			for !stop.Load() {
				t0 := time.Now()
				e, err := svc.SaveEntry(admin, sub.ID, "A.1", platform.EntryInput{Value: ptr(float64(saves)), Version: version})
				if err != nil {
					b.Error(err)
					break
				}
				version = e.Version
				if d := time.Since(t0).Nanoseconds(); d > longest.Load() {
					longest.Store(d)
				}
				saves++
			}
			done <- saves
		}()
		b.StartTimer()
		t0 := time.Now()
		got, err := svc.ImportPilots(admin, "towns.csv", strings.NewReader(csv))
		importTime := time.Since(t0)
		b.StopTimer()
		stop.Store(true)
		saves := <-done
		if err != nil || got != n {
			b.Fatalf("import: %d, %v", got, err)
		}
		b.ReportMetric(importTime.Seconds(), "import-s")
		b.ReportMetric(float64(longest.Load())/1e6, "max-save-ms")
		b.ReportMetric(float64(saves), "saves")
		b.ReportMetric(float64(n), "pilots")
		b.StartTimer()
	}
}
