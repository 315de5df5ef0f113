package sqlstore_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// A run computed from an older version of its cycle (published meanwhile)
// is refused, and the cycle keeps its previous run.
func TestReplaceResultsRefusesARunOfAnOlderCycleVersion(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		c, ps := fixture(t, s, 1)
		run := func(hash string, version int) *platform.ResultSet {
			return &platform.ResultSet{CycleVersion: version,
				Run:      platform.ResultRun{CycleID: c.ID, ComputedAt: t0, InputHash: hash, FrameworkID: "f", FrameworkVersion: "1", Scheme: json.RawMessage(`{}`), Pilots: 1},
				PilotIDs: []int64{ps[0].ID}, Nodes: []platform.ResultNode{{Code: "f", Level: 0, Parent: -1}},
				Score: []float64{50}, Rank: []int32{1}, Coverage: []float64{1}, Contribution: []float64{1}, Stars: []int{0}}
		}
		if err := s.ReplaceResults(ctx, run("first", c.Version)); err != nil {
			t.Fatal(err)
		}
		c.State = platform.CycleClosed
		if _, err := s.UpdateCycle(ctx, c); err != nil {
			t.Fatal(err)
		}
		err := s.ReplaceResults(ctx, run("late", c.Version))
		wantKind(t, err, platform.Conflict, platform.CodeStaleVersion)
		if got, err := s.LatestRun(ctx, c.ID); err != nil || got.InputHash != "first" {
			t.Fatalf("run after the refused one: %+v, %v; want the first", got, err)
		}
		if got, _ := s.GetCycle(ctx, c.ID); got.Version != c.Version+1 {
			t.Fatalf("cycle version %d after a results run, want %d (unchanged)", got.Version, c.Version+1)
		}
	})
}

// TestReplaceResultsLeavesTheCycleRowUnlocked (PostgreSQL): while a run is
// being stored, the cycle's row — which every entry save reads — is not
// locked against updates: another transaction can take the lock an UPDATE
// of the cycle takes (FOR NO KEY UPDATE) without waiting.
// Before, the storing transaction began by updating the row and held its
// lock throughout (on CockroachDB, reads wait for such locks).
func TestReplaceResultsLeavesTheCycleRowUnlocked(t *testing.T) {
	s := sqlstoretest.Postgres(t)
	ctx := context.Background()
	c, ps := fixture(t, s, 1)
	var lockErr error
	s.SetAfterResultRowsForTest(func() {
		tx, err := s.BeginForTest(ctx)
		if err != nil {
			lockErr = err
			return
		}
		defer tx.Rollback()
		_, lockErr = tx.ExecContext(ctx, `SELECT id FROM cycles WHERE id = $1 FOR NO KEY UPDATE NOWAIT`, c.ID)
	})
	rs := &platform.ResultSet{CycleVersion: c.Version,
		Run:      platform.ResultRun{CycleID: c.ID, ComputedAt: t0, InputHash: "h", FrameworkID: "f", FrameworkVersion: "1", Scheme: json.RawMessage(`{}`), Pilots: 1},
		PilotIDs: []int64{ps[0].ID}, Nodes: []platform.ResultNode{{Code: "f", Level: 0, Parent: -1}},
		Score: []float64{50}, Rank: []int32{1}, Coverage: []float64{1}, Contribution: []float64{1}, Stars: []int{0}}
	if err := s.ReplaceResults(ctx, rs); err != nil {
		t.Fatal(err)
	}
	if lockErr != nil {
		t.Fatalf("locking the cycle row while results were stored: %v", lockErr)
	}
}
