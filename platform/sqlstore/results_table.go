package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/sceval/sceval/platform"
)

// ResultTable reads a cycle's run whole: the packed pilot IDs and stars,
// the root and first-level node columns, and the scored pilots' gaps and
// attributes — three queries, O(pilots × 5) after them, no sort. Paging
// ListResults through a national run instead sorted all 41,352 pilots (×4
// at the first level) once per page: 53 s against well under one.
func (s *Store) ResultTable(ctx context.Context, cycleID int64) ([]platform.ResultTableRow, error) {
	var packedIDs, stars []byte
	err := s.rdb.QueryRowContext(ctx, `SELECT pilot_ids, stars FROM result_runs WHERE cycle_id = $1`, cycleID).Scan(&packedIDs, &stars)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, platform.NotFoundf("cycle %d has no computed results", cycleID)
	}
	if err != nil {
		return nil, fmt.Errorf("results of cycle %d: %w", cycleID, err)
	}
	cols, err := s.levelColumns(ctx, cycleID)
	if err != nil {
		return nil, err
	}
	ids := unpackInt64s(packedIDs)
	out := make([]platform.ResultTableRow, len(ids))
	index := make(map[int64]int, len(ids))
	for u, id := range ids {
		index[id] = u
		r := &out[u]
		r.CycleID, r.PilotID, r.Level1 = cycleID, id, map[string]*float64{}
		for _, c := range cols {
			if c.node == 0 {
				r.Code, r.Score, r.Rank = c.code, optFloat(unpackFloat(c.scores, u)), optRank(unpackInt32(c.ranks, u))
				r.Coverage, r.Stars = unpackFloat(c.coverage, u), optStars(unpackInt32(stars, u))
				continue
			}
			r.Level1[c.code] = optFloat(unpackFloat(c.scores, u))
		}
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT r.pilot_id, r.missing, r.ranked, p.name, p.region_code, p.province_code, p.type, p.batch
		FROM result_pilots r JOIN pilots p ON p.id = r.pilot_id WHERE r.cycle_id = $1`, cycleID)
	if err != nil {
		return nil, fmt.Errorf("result pilots of cycle %d: %w", cycleID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var missing, typ string
		var ranked int
		var p platform.ResultTableRow
		if err := rows.Scan(&id, &missing, &ranked, &p.PilotName, &p.RegionCode, &p.ProvinceCode, &typ, &p.Batch); err != nil {
			return nil, fmt.Errorf("result pilots of cycle %d: %w", cycleID, err)
		}
		u, ok := index[id]
		if !ok {
			continue
		}
		r := &out[u]
		r.PilotName, r.RegionCode, r.ProvinceCode, r.Type, r.Batch = p.PilotName, p.RegionCode, p.ProvinceCode, platform.PilotType(typ), p.Batch
		isRanked := ranked != 0
		r.Ranked = &isRanked
		if missing != "" {
			r.Missing = strings.Split(missing, ",")
		}
	}
	return out, rows.Err()
}

// levelColumns loads the root and first-level node rows of a run.
func (s *Store) levelColumns(ctx context.Context, cycleID int64) ([]nodeColumn, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT node, level, code, scores, ranks, coverage FROM result_nodes
		WHERE cycle_id = $1 AND level <= 1 ORDER BY node`, cycleID)
	if err != nil {
		return nil, fmt.Errorf("results of cycle %d: %w", cycleID, err)
	}
	defer rows.Close()
	var cols []nodeColumn
	for rows.Next() {
		var c nodeColumn
		if err := rows.Scan(&c.node, &c.level, &c.code, &c.scores, &c.ranks, &c.coverage); err != nil {
			return nil, fmt.Errorf("results of cycle %d: %w", cycleID, err)
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}
