package sqlstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"testing"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// Asking for 2 of 6 pilots at level 1 gives exactly their rows, with the
// scores and ranks they have among all 6, and a total of 2 pilots × 2 nodes.
func TestListResultsOfSomePilots(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		c, ps := fixture(t, s, 6)
		nan := math.NaN()
		rs := &platform.ResultSet{
			Run: platform.ResultRun{CycleID: c.ID, ComputedAt: t0, InputHash: "h", FrameworkID: "f", FrameworkVersion: "1",
				Scheme: json.RawMessage(`{}`), Pilots: len(ps)},
			Nodes: []platform.ResultNode{{Code: "f", Level: 0, Parent: -1}, {Code: "1", Level: 1, Parent: 0}, {Code: "2", Level: 1, Parent: 0}},
		}
		// Pilot i scores 10i at node "1" (rank 6-i) and 100-10i at node
		// "2" (rank i+1); pilot 5 has no score at "2".
		for i, p := range ps {
			rs.PilotIDs = append(rs.PilotIDs, p.ID)
			s1, s2, r2 := float64(10*i), float64(100-10*i), int32(i+1)
			if i == 5 {
				s2, r2 = nan, 0
			}
			rs.Score = append(rs.Score, 50, s1, s2)
			rs.Rank = append(rs.Rank, 1, int32(6-i), r2)
			rs.Coverage = append(rs.Coverage, 1, 1, 1)
			rs.Contribution = append(rs.Contribution, nan, 0.5, 0.5)
			rs.Stars = append(rs.Stars, 1)
		}
		if err := s.ReplaceResults(ctx, rs); err != nil {
			t.Fatal(err)
		}
		// Unordered, duplicated and unknown IDs: each scored pilot once.
		f := platform.ResultFilter{CycleID: c.ID, Level: 1, PilotIDs: []int64{ps[5].ID, ps[1].ID, ps[5].ID, 999999}, Limit: 10}
		rows, total, err := s.ListResults(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, r := range rows {
			got += fmt.Sprintf("%s:%d:%v:%v:%s ", r.Code, r.PilotID, deref(r.Score), derefInt(r.Rank), r.PilotName)
		}
		want := fmt.Sprintf("1:%d:50:1:%s 1:%d:10:5:%s 2:%d:90:2:%s 2:%d:NaN:0:%s ",
			ps[5].ID, ps[5].Name, ps[1].ID, ps[1].Name, ps[1].ID, ps[1].Name, ps[5].ID, ps[5].Name)
		if total != 4 || got != want {
			t.Fatalf("level 1 of pilots %d, %d: total %d\n got %s\nwant %s", ps[1].ID, ps[5].ID, total, got, want)
		}
		f.Sort, f.Limit, f.Offset = "-name", 1, 1
		if rows, total, _ = s.ListResults(ctx, f); total != 4 || len(rows) != 1 || rows[0].Code != "1" {
			t.Fatalf("second row by -name: %d %+v", total, rows)
		}
		rows, total, _ = s.ListResults(ctx, platform.ResultFilter{CycleID: c.ID, PilotIDs: []int64{ps[2].ID}, Limit: 10})
		if total != 1 || len(rows) != 1 || rows[0].PilotID != ps[2].ID || *rows[0].Stars != 1 || rows[0].Code != "f" {
			t.Fatalf("root row of one pilot: %d %+v", total, rows)
		}
		if rows, total, err = s.ListResults(ctx, platform.ResultFilter{CycleID: c.ID, PilotIDs: []int64{999999}, Limit: 10}); err != nil || total != 0 || len(rows) != 0 {
			t.Fatalf("a pilot without results: %d %+v %v", total, rows, err)
		}
		best, err := s.NodeBest(ctx, c.ID, []string{"1", "2", "9"})
		if err != nil || len(best) != 2 || best["1"] != 50 || best["2"] != 100 {
			t.Fatalf("best: %v, %v", best, err)
		}
	})
}

func deref(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

func derefInt(p *int) int {
	if p == nil {
		return 0
	}
	return *p
}
