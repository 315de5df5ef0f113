package sqlstore

import (
	"context"
	"fmt"

	"github.com/sceval/sceval/platform"
)

// Multi-row inserts of pilots and submissions: one statement (one round
// trip) per maxRowsPerInsert rows instead of one per row, with the IDs the
// database assigns read back from RETURNING. Rows already present are
// skipped (ON CONFLICT DO NOTHING) and recognised by their missing IDs, so
// a duplicate is reported by name without aborting the statement; the
// caller's transaction then rolls back (all or nothing). RETURNING gives no
// row order, so IDs are matched by the unique key.

// maxRowsPerInsert bounds the rows of one multi-row INSERT: 1,000 rows of
// 10 columns stay far below both databases' parameter limits
// (maxBulkParams).
const maxRowsPerInsert = 1000

// insertPilots inserts ps and sets their IDs; a region already a pilot of
// the batch (in the database or earlier in ps) is a duplicate.
func (s *Store) insertPilots(ctx context.Context, tx *wtx, ps []platform.Pilot) error {
	cols := []string{"region_code", "name", "province_code", "batch", "type", "status", "version", "created_at", "updated_at"}
	type key struct{ region, batch string }
	for lo := 0; lo < len(ps); lo += maxRowsPerInsert {
		chunk := ps[lo:min(len(ps), lo+maxRowsPerInsert)]
		args := make([]any, 0, len(chunk)*len(cols))
		for _, p := range chunk {
			args = append(args, p.RegionCode, p.Name, p.ProvinceCode, p.Batch, p.Type, p.Status, p.Version, micros(p.CreatedAt), micros(p.UpdatedAt))
		}
		rows, err := tx.QueryContext(ctx, s.insertSQL("pilots", cols, len(chunk))+
			` ON CONFLICT (region_code, batch) DO NOTHING RETURNING id, region_code, batch`, args...)
		if err != nil {
			return fmt.Errorf("insert pilots: %w", err)
		}
		ids := make(map[key]int64, len(chunk))
		for rows.Next() {
			var id int64
			var k key
			if err := rows.Scan(&id, &k.region, &k.batch); err != nil {
				rows.Close()
				return fmt.Errorf("insert pilots: %w", err)
			}
			ids[k] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("insert pilots: %w", err)
		}
		for i := range chunk {
			k := key{chunk[i].RegionCode, chunk[i].Batch}
			id, ok := ids[k]
			if !ok {
				return duplicatePilot(chunk[i])
			}
			chunk[i].ID = id
			delete(ids, k) // a second row with the same key is a duplicate
		}
	}
	return nil
}

// insertSubmissions inserts subs (with the engine inputs of each, nil when
// none) and sets their IDs; a pilot with a submission in the cycle already
// is a duplicate.
func (s *Store) insertSubmissions(ctx context.Context, tx *wtx, subs []*platform.Submission, inputs [][]byte) error {
	cols := []string{"cycle_id", "pilot_id", "state", "reason", "version", "completeness", "inputs", "created_at", "updated_at", "submitted_at"}
	type key struct{ cycle, pilot int64 }
	for lo := 0; lo < len(subs); lo += maxRowsPerInsert {
		hi := min(len(subs), lo+maxRowsPerInsert)
		args := make([]any, 0, (hi-lo)*len(cols))
		for i, sub := range subs[lo:hi] {
			args = append(args, sub.CycleID, sub.PilotID, sub.State, sub.Reason, sub.Version, sub.Completeness, inputs[lo+i],
				micros(sub.CreatedAt), micros(sub.UpdatedAt), nullMicros(sub.SubmittedAt))
		}
		rows, err := tx.QueryContext(ctx, s.insertSQL("submissions", cols, hi-lo)+
			` ON CONFLICT (cycle_id, pilot_id) DO NOTHING RETURNING id, cycle_id, pilot_id`, args...)
		if isForeignKey(err) {
			return platform.NotFoundf("a cycle or pilot of the %d submissions does not exist", len(subs))
		}
		if err != nil {
			return fmt.Errorf("insert submissions: %w", err)
		}
		ids := make(map[key]int64, hi-lo)
		for rows.Next() {
			var id int64
			var k key
			if err := rows.Scan(&id, &k.cycle, &k.pilot); err != nil {
				rows.Close()
				return fmt.Errorf("insert submissions: %w", err)
			}
			ids[k] = id
		}
		rows.Close()
		if err := rows.Err(); isForeignKey(err) {
			return platform.NotFoundf("a cycle or pilot of the %d submissions does not exist", len(subs))
		} else if err != nil {
			return fmt.Errorf("insert submissions: %w", err)
		}
		for _, sub := range subs[lo:hi] {
			k := key{sub.CycleID, sub.PilotID}
			id, ok := ids[k]
			if !ok {
				return platform.Errorf(platform.Conflict, platform.CodeDuplicate,
					"pilot %d already has a submission in cycle %d", sub.PilotID, sub.CycleID)
			}
			sub.ID = id
			delete(ids, k)
		}
	}
	return nil
}
