package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/sceval/sceval/platform"
)

// PeerScores reads the scores of the cycle's scored pilots of one type at
// every node of its stored run in three queries (the run's pilot list, the
// pilots of the type, then every node column once), for comparisons such
// as the scorecard's peer medians: paging through ListResults node by node
// costs a query per page.
func (s *Store) PeerScores(ctx context.Context, cycleID int64, pilotType platform.PilotType) (platform.PeerScores, error) {
	var out platform.PeerScores
	var packedIDs []byte
	err := s.rdb.QueryRowContext(ctx, `SELECT pilot_ids FROM result_runs WHERE cycle_id = $1`, cycleID).Scan(&packedIDs)
	if errors.Is(err, sql.ErrNoRows) {
		return out, platform.NotFoundf("cycle %d has no computed results", cycleID)
	}
	if err != nil {
		return out, fmt.Errorf("results of cycle %d: %w", cycleID, err)
	}
	pilotIDs, err := s.scoredOfType(ctx, cycleID, pilotType)
	if err != nil || len(pilotIDs) == 0 {
		return platform.PeerScores{Scores: map[string][]float64{}, Ranks: map[string][]int32{}}, err
	}
	units, ids := runUnits(packedIDs, pilotIDs)
	out.PilotIDs, out.Scores, out.Ranks = ids, map[string][]float64{}, map[string][]int32{}
	if len(units) == 0 {
		return out, nil
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT code, scores, ranks FROM result_nodes WHERE cycle_id = $1 ORDER BY node`, cycleID)
	if err != nil {
		return out, fmt.Errorf("results of cycle %d: %w", cycleID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var code string
		var scores, ranks []byte
		if err := rows.Scan(&code, &scores, &ranks); err != nil {
			return out, fmt.Errorf("results of cycle %d: %w", cycleID, err)
		}
		sc, rk := make([]float64, len(units)), make([]int32, len(units))
		for k, u := range units {
			sc[k], rk[k] = unpackFloat(scores, u), unpackInt32(ranks, u)
		}
		out.Scores[code], out.Ranks[code] = sc, rk
	}
	if err := rows.Err(); err != nil {
		return out, fmt.Errorf("results of cycle %d: %w", cycleID, err)
	}
	return out, nil
}

// scoredOfType returns the IDs of the cycle's scored pilots of a type.
func (s *Store) scoredOfType(ctx context.Context, cycleID int64, pilotType platform.PilotType) ([]int64, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT p.id FROM result_pilots r JOIN pilots p ON p.id = r.pilot_id
		WHERE r.cycle_id = $1 AND p.type = $2`, cycleID, string(pilotType))
	if err != nil {
		return nil, fmt.Errorf("pilots of type %s in cycle %d: %w", pilotType, cycleID, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("pilots of type %s in cycle %d: %w", pilotType, cycleID, err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
