package sqlstore_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// TestListResultsLevelPages: every page of a level's rows (pages that start
// and end inside a node, cross node boundaries, or run past the end) is
// the slice of the whole level sorted independently here — node order,
// then rank with missing ranks last, then pilot ID — although the store
// reads only the nodes a page covers.
func TestListResultsLevelPages(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		c, ps := fixture(t, s, 5)
		nodes := []platform.ResultNode{{Code: "f", Level: 0, Parent: -1}, {Code: "1", Level: 1, Parent: 0},
			{Code: "1.1", Level: 2, Parent: 1}, {Code: "1.2", Level: 2, Parent: 1}, {Code: "2", Level: 1, Parent: 0},
			{Code: "2.1", Level: 2, Parent: 4}}
		rs := &platform.ResultSet{Run: platform.ResultRun{CycleID: c.ID, ComputedAt: t0, InputHash: "h", FrameworkID: "f",
			FrameworkVersion: "1", Scheme: json.RawMessage(`{}`), Pilots: len(ps)}, Nodes: nodes}
		type row struct {
			node int
			id   int64
			rank int32
		}
		var level2 []row
		for i, p := range ps {
			rs.PilotIDs = append(rs.PilotIDs, p.ID)
			rs.Stars = append(rs.Stars, 1)
			for j, n := range nodes {
				// A rank pattern that differs per node, with ties and a
				// missing score (pilot 3 at node 3).
				rank := int32(1 + (i*(j+2)+j)%4)
				score := 100 - float64(rank)
				if i == 3 && j == 3 {
					rank, score = 0, math.NaN()
				}
				rs.Score = append(rs.Score, score)
				rs.Rank = append(rs.Rank, rank)
				rs.Coverage = append(rs.Coverage, 1)
				rs.Contribution = append(rs.Contribution, math.NaN())
				if n.Level == 2 {
					level2 = append(level2, row{j, p.ID, rank})
				}
			}
		}
		if err := s.ReplaceResults(ctx, rs); err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(level2, func(a, b row) int {
			if c := cmp.Compare(a.node, b.node); c != 0 {
				return c
			}
			if (a.rank == 0) != (b.rank == 0) {
				return cmp.Compare(b.rank, a.rank) // the missing (0) one last
			}
			return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.id, b.id))
		})
		want := func(lo, hi int) string {
			out := ""
			for _, r := range level2[min(lo, len(level2)):min(hi, len(level2))] {
				out += fmt.Sprintf("%s/%d/%d ", nodes[r.node].Code, r.id, r.rank)
			}
			return out
		}
		if rows, total, err := s.ListResults(ctx, platform.ResultFilter{CycleID: c.ID, Level: 2}); err != nil || len(rows) != 0 || total != len(level2) {
			t.Fatalf("limit 0: %d rows of %d, %v; want none of %d", len(rows), total, err, len(level2))
		}
		for limit := 1; limit <= 7; limit += 3 {
			for offset := 0; offset <= len(level2)+1; offset++ {
				rows, total, err := s.ListResults(ctx, platform.ResultFilter{CycleID: c.ID, Level: 2, Limit: limit, Offset: offset})
				if err != nil {
					t.Fatal(err)
				}
				got := ""
				for _, r := range rows {
					got += fmt.Sprintf("%s/%d/%d ", r.Code, r.PilotID, derefInt(r.Rank))
				}
				if total != len(level2) || got != want(offset, offset+limit) {
					t.Fatalf("limit %d offset %d: total %d\n got %s\nwant %s", limit, offset, total, got, want(offset, offset+limit))
				}
			}
		}
	})
}

// BenchmarkListResultsLevelPage measures one page of 50 rows of the
// leaf-level ranking of a national run (?level=3: 70 nodes × 41,352
// pilots), in the middle of the level and across a node boundary.
func BenchmarkListResultsLevelPage(b *testing.B) {
	run := func(b *testing.B, s *sqlstore.Store) {
		ctx := context.Background()
		rs := nationalRun(b, s)
		if err := s.ReplaceResults(ctx, rs); err != nil {
			b.Fatal(err)
		}
		offset := 35*len(rs.PilotIDs) - 25
		for b.Loop() {
			rows, total, err := s.ListResults(ctx, platform.ResultFilter{CycleID: rs.Run.CycleID, Level: 3, Limit: 50, Offset: offset})
			if err != nil || len(rows) != 50 || total != 70*len(rs.PilotIDs) {
				b.Fatalf("%d rows of %d, %v", len(rows), total, err)
			}
		}
	}
	b.Run("sqlite", func(b *testing.B) { run(b, sqlstoretest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) { run(b, sqlstoretest.Postgres(b)) })
}
