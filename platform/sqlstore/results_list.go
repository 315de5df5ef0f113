package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/sceval/sceval/platform"
)

// nodeColumn is one stored node row, its matrices still packed.
type nodeColumn struct {
	node, level                           int
	code                                  string
	scores, ranks, coverage, contribution []byte
}

// resultRef points at one pilot's value in one node column.
type resultRef struct {
	col, unit int
	score     float64
	rank      int32
}

// ListResults returns a page of a cycle's result rows: the nodes selected by
// f.Code (default the root) or f.Level, each node's pilots sorted by f.Sort
// (default rank; missing scores last), and the total count.
func (s *Store) ListResults(ctx context.Context, f platform.ResultFilter) ([]platform.ResultRow, int, error) {
	var packedIDs, stars []byte
	err := s.rdb.QueryRowContext(ctx, `SELECT pilot_ids, stars FROM result_runs WHERE cycle_id = $1`, f.CycleID).Scan(&packedIDs, &stars)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, platform.NotFoundf("cycle %d has no computed results", f.CycleID)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("results of cycle %d: %w", f.CycleID, err)
	}
	ids := unpackInt64s(packedIDs)
	cols, err := s.nodeColumns(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	var names map[int64][2]string
	if strings.Contains(f.Sort, "name") || strings.Contains(f.Sort, "region_code") {
		if names, err = s.pilotNames(ctx, `SELECT p.id, p.name, p.region_code FROM result_pilots r JOIN pilots p ON p.id = r.pilot_id
			WHERE r.cycle_id = $1`, f.CycleID); err != nil {
			return nil, 0, err
		}
	}
	refs := make([]resultRef, 0, len(cols)*len(ids))
	for c, col := range cols {
		for u := range ids {
			refs = append(refs, resultRef{col: c, unit: u, score: unpackFloat(col.scores, u), rank: unpackInt32(col.ranks, u)})
		}
	}
	slices.SortStableFunc(refs, resultOrder(f.Sort, ids, names))
	total := len(refs)
	refs = refs[min(f.Offset, total):min(f.Offset+f.Limit, total)]
	if names == nil && len(refs) > 0 {
		if names, err = s.pagePilotNames(ctx, refs, ids); err != nil {
			return nil, 0, err
		}
	}
	out := make([]platform.ResultRow, len(refs))
	for i, r := range refs {
		col := cols[r.col]
		row := platform.ResultRow{CycleID: f.CycleID, PilotID: ids[r.unit], PilotName: names[ids[r.unit]][0],
			RegionCode: names[ids[r.unit]][1], Code: col.code, Level: col.level, Score: optFloat(r.score),
			Rank: optRank(r.rank), Coverage: unpackFloat(col.coverage, r.unit), Contribution: optFloat(unpackFloat(col.contribution, r.unit))}
		if col.node == 0 {
			row.Stars = optStars(unpackInt32(stars, r.unit))
		}
		out[i] = row
	}
	return out, total, nil
}

// nodeColumns loads the node rows the filter selects, in node order.
func (s *Store) nodeColumns(ctx context.Context, f platform.ResultFilter) ([]nodeColumn, error) {
	query := `SELECT node, level, code, scores, ranks, coverage, contributions FROM result_nodes WHERE cycle_id = $1`
	args := []any{f.CycleID}
	switch {
	case f.Code != "":
		query, args = query+` AND code = $2`, append(args, f.Code)
	case f.Level > 0:
		query, args = query+` AND level = $2`, append(args, f.Level)
	default:
		query += ` AND node = 0`
	}
	rows, err := s.rdb.QueryContext(ctx, query+` ORDER BY node`, args...)
	if err != nil {
		return nil, fmt.Errorf("results of cycle %d: %w", f.CycleID, err)
	}
	defer rows.Close()
	var cols []nodeColumn
	for rows.Next() {
		var c nodeColumn
		if err := rows.Scan(&c.node, &c.level, &c.code, &c.scores, &c.ranks, &c.coverage, &c.contribution); err != nil {
			return nil, fmt.Errorf("results of cycle %d: %w", f.CycleID, err)
		}
		cols = append(cols, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("results of cycle %d: %w", f.CycleID, err)
	}
	if len(cols) == 0 && f.Code != "" {
		return nil, platform.NotFoundf("indicator %q has no results in cycle %d", f.Code, f.CycleID)
	}
	return cols, nil
}

// resultOrder returns the comparison for a ResultFilter.Sort: node first,
// then the key, then pilot ID. Missing scores and ranks sort last.
func resultOrder(sort string, ids []int64, names map[int64][2]string) func(a, b resultRef) int {
	desc := strings.HasPrefix(sort, "-")
	key := strings.TrimPrefix(sort, "-")
	return func(a, b resultRef) int {
		if c := cmp.Compare(a.col, b.col); c != 0 {
			return c
		}
		var c int
		switch key {
		case "score":
			if am, bm := math.IsNaN(a.score), math.IsNaN(b.score); am || bm {
				return missingLast(am, bm, ids[a.unit], ids[b.unit])
			}
			c = cmp.Compare(a.score, b.score)
		case "name", "region_code":
			i := 0
			if key == "region_code" {
				i = 1
			}
			c = strings.Compare(names[ids[a.unit]][i], names[ids[b.unit]][i])
		default:
			if am, bm := a.rank == 0, b.rank == 0; am || bm {
				return missingLast(am, bm, ids[a.unit], ids[b.unit])
			}
			c = cmp.Compare(a.rank, b.rank)
		}
		if desc {
			c = -c
		}
		if c != 0 {
			return c
		}
		return cmp.Compare(ids[a.unit], ids[b.unit])
	}
}

// missingLast orders missing values after present ones, then by pilot ID.
func missingLast(aMissing, bMissing bool, a, b int64) int {
	switch {
	case aMissing && !bMissing:
		return 1
	case bMissing && !aMissing:
		return -1
	}
	return cmp.Compare(a, b)
}

// pilotNames runs a query of (id, name, region_code) rows.
func (s *Store) pilotNames(ctx context.Context, query string, args ...any) (map[int64][2]string, error) {
	rows, err := s.rdb.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("pilot names: %w", err)
	}
	defer rows.Close()
	out := map[int64][2]string{}
	for rows.Next() {
		var id int64
		var name, region string
		if err := rows.Scan(&id, &name, &region); err != nil {
			return nil, fmt.Errorf("pilot names: %w", err)
		}
		out[id] = [2]string{name, region}
	}
	return out, rows.Err()
}

// pagePilotNames loads the names of the pilots on one page.
func (s *Store) pagePilotNames(ctx context.Context, refs []resultRef, ids []int64) (map[int64][2]string, error) {
	var w where
	marks := make([]string, len(refs))
	for i, r := range refs {
		w.args = append(w.args, ids[r.unit])
		marks[i] = fmt.Sprintf("$%d", i+1)
	}
	return s.pilotNames(ctx, `SELECT id, name, region_code FROM pilots WHERE id IN (`+strings.Join(marks, ", ")+`)`, w.args...)
}

// optStars converts a stored star rating (-1 = missing).
func optStars(v int32) *int {
	if v < 0 {
		return nil
	}
	n := int(v)
	return &n
}
