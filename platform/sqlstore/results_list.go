package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
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
	id        int64
	score     float64
	rank      int32
}

// ListResults returns a page of a cycle's result rows: the nodes selected by
// f.Code (default the root) or f.Level, for every scored pilot or only those
// of f.PilotIDs, each node's pilots sorted by f.Sort (default rank; missing
// scores last), and the total count.
//
// With f.PilotIDs the work is O(selected pilots × nodes) after reading the
// node rows: each pilot's position in the run is found by binary search in
// the packed, ascending pilot IDs, and only the selected rows are sorted.
func (s *Store) ListResults(ctx context.Context, f platform.ResultFilter) ([]platform.ResultRow, int, error) {
	var packedIDs, stars []byte
	err := s.rdb.QueryRowContext(ctx, `SELECT pilot_ids, stars FROM result_runs WHERE cycle_id = $1`, f.CycleID).Scan(&packedIDs, &stars)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, platform.NotFoundf("cycle %d has no computed results", f.CycleID)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("results of cycle %d: %w", f.CycleID, err)
	}
	units, ids := runUnits(packedIDs, f.PilotIDs)
	nodes, err := s.selectedNodes(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	// Rows are ordered node first, and every node has one row per unit, so
	// the page lies within the nodes first…last: only their columns are
	// read and sorted (a leaf-level page read all 57 and sorted 2.36 M rows).
	total := len(nodes) * len(units)
	if f.Offset >= total || f.Limit <= 0 {
		return []platform.ResultRow{}, total, nil
	}
	first, last := f.Offset/len(units), (min(f.Offset+f.Limit, total)-1)/len(units)
	cols, err := s.nodeColumns(ctx, f.CycleID, nodes[first:last+1])
	if err != nil {
		return nil, 0, err
	}
	f.Offset -= first * len(units)
	var names map[int64][2]string
	if strings.Contains(f.Sort, "name") || strings.Contains(f.Sort, "region_code") {
		if len(f.PilotIDs) > 0 {
			names, err = s.namesOf(ctx, ids)
		} else {
			names, err = s.pilotNames(ctx, `SELECT p.id, p.name, p.region_code FROM result_pilots r JOIN pilots p ON p.id = r.pilot_id
			WHERE r.cycle_id = $1`, f.CycleID)
		}
		if err != nil {
			return nil, 0, err
		}
	}
	refs := make([]resultRef, 0, len(cols)*len(units))
	for c, col := range cols {
		for i, u := range units {
			refs = append(refs, resultRef{col: c, unit: u, id: ids[i], score: unpackFloat(col.scores, u), rank: unpackInt32(col.ranks, u)})
		}
	}
	slices.SortStableFunc(refs, resultOrder(f.Sort, names))
	// Bounds without adding offset and limit, which could overflow.
	start := min(max(f.Offset, 0), len(refs))
	refs = refs[start : start+min(max(f.Limit, 0), len(refs)-start)]
	if names == nil && len(refs) > 0 {
		pageIDs := make([]int64, len(refs))
		for i, r := range refs {
			pageIDs[i] = r.id
		}
		if names, err = s.namesOf(ctx, pageIDs); err != nil {
			return nil, 0, err
		}
	}
	out := make([]platform.ResultRow, len(refs))
	for i, r := range refs {
		col := cols[r.col]
		row := platform.ResultRow{CycleID: f.CycleID, PilotID: r.id, PilotName: names[r.id][0],
			RegionCode: names[r.id][1], Code: col.code, Level: col.level, Score: optFloat(r.score),
			Rank: optRank(r.rank), Coverage: unpackFloat(col.coverage, r.unit), Contribution: optFloat(unpackFloat(col.contribution, r.unit))}
		if col.node == 0 {
			row.Stars = optStars(unpackInt32(stars, r.unit))
		}
		out[i] = row
	}
	return out, total, nil
}

// runUnits returns the positions (units) in a run of the pilots selected,
// and their IDs, in unit order: every pilot of the run when selected is
// empty, else those of selected that the run scored (each once). packed is
// the run's pilot_ids column, ascending, so each selected pilot is found by
// binary search without unpacking the others.
func runUnits(packed []byte, selected []int64) ([]int, []int64) {
	n := len(packed) / 8
	if len(selected) == 0 {
		units := make([]int, n)
		for i := range units {
			units[i] = i
		}
		return units, unpackInt64s(packed)
	}
	want := slices.Clone(selected)
	slices.Sort(want)
	want = slices.Compact(want)
	units := make([]int, 0, len(want))
	ids := make([]int64, 0, len(want))
	for _, id := range want {
		u, ok := sort.Find(n, func(i int) int { return cmp.Compare(id, unpackInt64(packed, i)) })
		if ok {
			units, ids = append(units, u), append(ids, id)
		}
	}
	return units, ids
}

// selectedNodes returns the numbers of the nodes the filter selects (its
// Code, the nodes of its Level, or the root), in node order, without
// reading their results.
func (s *Store) selectedNodes(ctx context.Context, f platform.ResultFilter) ([]int, error) {
	query := `SELECT node FROM result_nodes WHERE cycle_id = $1`
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
	var nodes []int
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("results of cycle %d: %w", f.CycleID, err)
		}
		nodes = append(nodes, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("results of cycle %d: %w", f.CycleID, err)
	}
	if len(nodes) == 0 && f.Code != "" {
		return nil, platform.NotFoundf("indicator %q has no results in cycle %d", f.Code, f.CycleID)
	}
	return nodes, nil
}

// nodeColumns loads the given node rows (at least one), in node order.
func (s *Store) nodeColumns(ctx context.Context, cycleID int64, nodes []int) ([]nodeColumn, error) {
	args := []any{cycleID}
	marks := make([]string, len(nodes))
	for i, n := range nodes {
		args = append(args, n)
		marks[i] = fmt.Sprintf("$%d", i+2)
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT node, level, code, scores, ranks, coverage, contributions FROM result_nodes
		WHERE cycle_id = $1 AND node IN (`+strings.Join(marks, ", ")+`) ORDER BY node`, args...)
	if err != nil {
		return nil, fmt.Errorf("results of cycle %d: %w", cycleID, err)
	}
	defer rows.Close()
	var cols []nodeColumn
	for rows.Next() {
		var c nodeColumn
		if err := rows.Scan(&c.node, &c.level, &c.code, &c.scores, &c.ranks, &c.coverage, &c.contribution); err != nil {
			return nil, fmt.Errorf("results of cycle %d: %w", cycleID, err)
		}
		cols = append(cols, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("results of cycle %d: %w", cycleID, err)
	}
	return cols, nil
}

// NodeBest returns the highest score at each of the cycle's nodes named by
// codes (the root's code is the framework ID); nodes without any score, and
// codes without results, are left out. Each node row is read once and its
// packed scores scanned: O(pilots × codes), no sort.
func (s *Store) NodeBest(ctx context.Context, cycleID int64, codes []string) (map[string]float64, error) {
	out := map[string]float64{}
	if len(codes) == 0 {
		return out, nil
	}
	args := []any{cycleID}
	marks := make([]string, len(codes))
	for i, c := range codes {
		args = append(args, c)
		marks[i] = fmt.Sprintf("$%d", i+2)
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT code, scores FROM result_nodes WHERE cycle_id = $1 AND code IN (`+
		strings.Join(marks, ", ")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("best scores of cycle %d: %w", cycleID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var scores []byte
		if err := rows.Scan(&code, &scores); err != nil {
			return nil, fmt.Errorf("best scores of cycle %d: %w", cycleID, err)
		}
		best := math.NaN()
		for u := range len(scores) / 8 {
			if v := unpackFloat(scores, u); !math.IsNaN(v) && (math.IsNaN(best) || v > best) {
				best = v
			}
		}
		if !math.IsNaN(best) {
			out[code] = best
		}
	}
	return out, rows.Err()
}

// resultOrder returns the comparison for a ResultFilter.Sort: node first,
// then the key, then pilot ID. Missing scores and ranks sort last.
func resultOrder(sort string, names map[int64][2]string) func(a, b resultRef) int {
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
				return missingLast(am, bm, a.id, b.id)
			}
			c = cmp.Compare(a.score, b.score)
		case "name", "region_code":
			i := 0
			if key == "region_code" {
				i = 1
			}
			c = strings.Compare(names[a.id][i], names[b.id][i])
		default:
			if am, bm := a.rank == 0, b.rank == 0; am || bm {
				return missingLast(am, bm, a.id, b.id)
			}
			c = cmp.Compare(a.rank, b.rank)
		}
		if desc {
			c = -c
		}
		if c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
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

// namesOf loads the names and region codes of the given pilots.
func (s *Store) namesOf(ctx context.Context, ids []int64) (map[int64][2]string, error) {
	if len(ids) == 0 {
		return map[int64][2]string{}, nil
	}
	args := make([]any, len(ids))
	marks := make([]string, len(ids))
	for i, id := range ids {
		args[i] = id
		marks[i] = fmt.Sprintf("$%d", i+1)
	}
	return s.pilotNames(ctx, `SELECT id, name, region_code FROM pilots WHERE id IN (`+strings.Join(marks, ", ")+`)`, args...)
}

// optStars converts a stored star rating (-1 = missing).
func optStars(v int32) *int {
	if v < 0 {
		return nil
	}
	n := int(v)
	return &n
}
