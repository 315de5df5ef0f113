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

// nationalRun stores pilots and returns a synthetic national run: 41,352
// pilots × 73 nodes.
func nationalRun(b *testing.B, s *sqlstore.Store) *platform.ResultSet {
	ctx := context.Background()
	const units, nodes = 41352, 73
	c, err := s.CreateCycle(ctx, platform.Cycle{Name: "c", Kind: platform.CycleFinalAcceptance, Year: 2016,
		FrameworkID: "f", FrameworkVersion: "1", Scheme: json.RawMessage(`{}`), State: platform.CycleOpen, Version: 1, CreatedAt: t0, UpdatedAt: t0})
	if err != nil {
		b.Fatal(err)
	}
	ps := make([]platform.Pilot, units)
	for i := range ps {
		ps[i] = newPilot(fmt.Sprintf("%02d%07d", 11+i%31, i), "2013")
	}
	if err := s.CreatePilots(ctx, ps); err != nil {
		b.Fatal(err)
	}
	rs := &platform.ResultSet{Run: platform.ResultRun{CycleID: c.ID, ComputedAt: t0, InputHash: "h", FrameworkID: "f", Scheme: json.RawMessage(`{}`), Pilots: units},
		PilotIDs: make([]int64, units), Nodes: make([]platform.ResultNode, nodes), Stars: make([]int, units),
		Score: make([]float64, units*nodes), Rank: make([]int32, units*nodes), Coverage: make([]float64, units*nodes), Contribution: make([]float64, units*nodes)}
	for i := range units {
		rs.PilotIDs[i] = ps[i].ID
		for j := range nodes {
			k := i*nodes + j
			rs.Score[k], rs.Rank[k], rs.Coverage[k], rs.Contribution[k] = float64(k%1000)/10, int32(1+i), 1, 1/math.Sqrt(float64(1+j))
		}
	}
	for j := range nodes {
		rs.Nodes[j] = platform.ResultNode{Code: fmt.Sprint(j), Level: min(j, 3), Parent: j - 1}
	}
	return rs
}

// benchmarkReplaceResults stores a national run, replacing the previous one.
func benchmarkReplaceResults(b *testing.B, s *sqlstore.Store) {
	rs := nationalRun(b, s)
	for b.Loop() {
		if err := s.ReplaceResults(context.Background(), rs); err != nil {
			b.Fatal(err)
		}
	}
}

// benchmarkListResults lists the first page of a national ranking.
func benchmarkListResults(b *testing.B, s *sqlstore.Store, sort string) {
	ctx := context.Background()
	rs := nationalRun(b, s)
	if err := s.ReplaceResults(ctx, rs); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		rows, total, err := s.ListResults(ctx, platform.ResultFilter{CycleID: rs.Run.CycleID, Sort: sort, Limit: 50})
		if err != nil || total != len(rs.PilotIDs) || len(rows) != 50 {
			b.Fatalf("%d rows of %d, %v", len(rows), total, err)
		}
	}
}

// BenchmarkListResults measures one page of a national ranking (41,352
// pilots), by rank and by name.
func BenchmarkListResults(b *testing.B) {
	for _, sort := range []string{"rank", "name"} {
		b.Run("sqlite/"+sort, func(b *testing.B) { benchmarkListResults(b, sqlstoretest.SQLite(b), sort) })
		b.Run("postgres/"+sort, func(b *testing.B) { benchmarkListResults(b, sqlstoretest.Postgres(b), sort) })
	}
}

// benchmarkListResultsOfPilots lists the rows of 100 pilots spread over a
// national run at one level, as the cycle page does for one page of its
// ranking: level 1 is one node, level 3 seventy. With pilots 0 it reads
// every pilot's rows of the level 1,000 at a time instead, as the cycle page
// did before ResultFilter.PilotIDs.
func benchmarkListResultsOfPilots(b *testing.B, s *sqlstore.Store, level, pilots int) {
	ctx := context.Background()
	rs := nationalRun(b, s)
	if err := s.ReplaceResults(ctx, rs); err != nil {
		b.Fatal(err)
	}
	var ids []int64
	for i := 0; i < len(rs.PilotIDs) && len(ids) < pilots; i += 413 {
		ids = append(ids, rs.PilotIDs[i])
	}
	for b.Loop() {
		read := 0
		for {
			rows, total, err := s.ListResults(ctx, platform.ResultFilter{CycleID: rs.Run.CycleID, Level: level, PilotIDs: ids,
				Limit: 1000, Offset: read})
			if err != nil {
				b.Fatal(err)
			}
			read += len(rows)
			if len(rows) == 0 || read >= total {
				break
			}
		}
	}
}

// BenchmarkListResultsOfPilots measures the results of 100 of 41,352
// pilots at the nodes of one level, against reading the whole level.
func BenchmarkListResultsOfPilots(b *testing.B) {
	for _, c := range []struct {
		name          string
		level, pilots int
	}{{"level1/100", 1, 100}, {"level3/100", 3, 100}, {"level1/all", 1, 0}} {
		b.Run("sqlite/"+c.name, func(b *testing.B) { benchmarkListResultsOfPilots(b, sqlstoretest.SQLite(b), c.level, c.pilots) })
		b.Run("postgres/"+c.name, func(b *testing.B) { benchmarkListResultsOfPilots(b, sqlstoretest.Postgres(b), c.level, c.pilots) })
	}
}

// BenchmarkReplaceResults measures storing one national run (3 million
// results), replacing the previous one.
func BenchmarkReplaceResults(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchmarkReplaceResults(b, sqlstoretest.SQLite(b)) })
	b.Run("postgres", func(b *testing.B) { benchmarkReplaceResults(b, sqlstoretest.Postgres(b)) })
}
