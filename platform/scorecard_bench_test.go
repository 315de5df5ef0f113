package platform_test

import (
	"testing"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// BenchmarkScorecard builds one town's scorecard in a cycle of
// benchPilots() towns (all of one type, so every pilot is a peer: the
// worst case for the peer medians, which read every peer's rows).
func BenchmarkScorecard(b *testing.B) {
	store := sqlstoretest.SQLite(b)
	svc, c := loadNational(b, store, benchPilots())
	ctx := adminContext()
	if _, err := svc.ComputeResults(ctx, c.ID); err != nil {
		b.Fatal(err)
	}
	rows, _, err := svc.ListResults(ctx, platform.ResultFilter{CycleID: c.ID, Limit: 1})
	if err != nil || len(rows) == 0 {
		b.Fatalf("ranking: %v", err)
	}
	for b.Loop() {
		sc, err := svc.Scorecard(ctx, c.ID, rows[0].PilotID)
		if err != nil || sc.Peers != benchPilots() {
			b.Fatalf("scorecard: %v (peers %d)", err, sc.Peers)
		}
	}
}
