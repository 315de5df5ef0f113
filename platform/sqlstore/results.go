package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/sceval/sceval/platform"
)

var _ platform.Store = (*Store)(nil)

// AcceptedInputs returns the engine inputs of the cycle's accepted
// submissions with the pilots' province and type, by pilot ID.
func (s *Store) AcceptedInputs(ctx context.Context, cycleID int64) ([]platform.AcceptedInput, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT s.pilot_id, p.province_code, p.type, s.inputs
		FROM submissions s JOIN pilots p ON p.id = s.pilot_id
		WHERE s.cycle_id = $1 AND s.state = `+acceptedStateSQL+` ORDER BY s.pilot_id`, cycleID)
	if err != nil {
		return nil, fmt.Errorf("accepted inputs of cycle %d: %w", cycleID, err)
	}
	defer rows.Close()
	var out []platform.AcceptedInput
	for rows.Next() {
		var in platform.AcceptedInput
		if err := rows.Scan(&in.PilotID, &in.Province, &in.Type, &in.Inputs); err != nil {
			return nil, fmt.Errorf("accepted inputs of cycle %d: %w", cycleID, err)
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// ReplaceResults stores a run, replacing the cycle's previous one, in one
// transaction: the run, one columnar row per node and one overall row per
// pilot.
func (s *Store) ReplaceResults(ctx context.Context, rs *platform.ResultSet) error {
	run := rs.Run
	warnings, err := json.Marshal(run.Warnings)
	if err != nil {
		return fmt.Errorf("encode warnings: %w", err)
	}
	nodes, units := len(rs.Nodes), len(rs.PilotIDs)
	if len(rs.Score) != nodes*units || len(rs.Rank) != nodes*units || len(rs.Coverage) != nodes*units ||
		len(rs.Contribution) != nodes*units || len(rs.Stars) != units {
		return fmt.Errorf("result set of cycle %d: inconsistent lengths", run.CycleID)
	}
	for i := 1; i < units; i++ { // ListResults finds pilots by binary search
		if rs.PilotIDs[i] <= rs.PilotIDs[i-1] {
			return fmt.Errorf("result set of cycle %d: pilot IDs not strictly ascending at %d", run.CycleID, i)
		}
	}
	if err := storedValuesFit(run.CycleID, units, len(warnings)); err != nil {
		return err
	}
	stars := make([]int32, units)
	for i, v := range rs.Stars {
		stars[i] = int32(v)
	}
	return s.write(ctx, func(tx *wtx) error {
		var before any
		if prev, err := scanRun(tx.QueryRowContext(ctx, `SELECT `+runColumns+` FROM result_runs WHERE cycle_id = $1`, run.CycleID)); err == nil {
			before = prev
		} else if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("read previous run of cycle %d: %w", run.CycleID, err)
		}
		tx.record(ctx, platform.AuditEvent{Action: "cycle.results.compute", Object: fmt.Sprintf("cycle/%d/results", run.CycleID),
			Before: before, After: run})
		for _, table := range []string{"result_pilots", "result_nodes", "result_runs"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE cycle_id = $1`, run.CycleID); err != nil {
				return fmt.Errorf("delete previous %s of cycle %d: %w", table, run.CycleID, err)
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO result_runs (cycle_id, computed_at, input_hash, framework_id,
			framework_version, scheme, pilots, warnings, pilot_ids, stars, basis) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			run.CycleID, micros(run.ComputedAt), run.InputHash, run.FrameworkID, run.FrameworkVersion,
			string(run.Scheme), run.Pilots, string(warnings), packInt64s(rs.PilotIDs), packInt32s(stars), run.Basis)
		if isUnique(err) { // PostgreSQL: a concurrent run of the same cycle committed first
			return platform.Errorf(platform.Conflict, "compute_in_progress",
				"results of cycle %d were being computed by another request at the same time: try again", run.CycleID)
		}
		if err != nil {
			return fmt.Errorf("insert result run of cycle %d: %w", run.CycleID, err)
		}
		if err := s.insertResultNodes(ctx, tx, rs); err != nil {
			return err
		}
		err = s.bulkInsert(ctx, tx, "result_pilots", []string{"cycle_id", "pilot_id", "score", "rank", "stars", "coverage", "missing", "ranked"},
			units, func(i int, args []any) []any {
				stars := sql.NullInt64{Int64: int64(rs.Stars[i]), Valid: rs.Stars[i] >= 0}
				rank := sql.NullInt64{Int64: int64(rs.Rank[i*nodes]), Valid: rs.Rank[i*nodes] > 0}
				missing, ranked := "", 1
				if i < len(rs.Missing) {
					missing = strings.Join(rs.Missing[i], ",")
				}
				if i < len(rs.Ranked) && !rs.Ranked[i] {
					ranked = 0
				}
				return append(args, run.CycleID, rs.PilotIDs[i], nullFloat(rs.Score[i*nodes]), rank, stars, rs.Coverage[i*nodes], missing, ranked)
			})
		if err != nil || rs.CycleVersion == 0 {
			return err
		}
		if s.afterResultRows != nil {
			s.afterResultRows()
		}
		return s.cycleUnchanged(ctx, tx, run.CycleID, rs.CycleVersion)
	})
}

// maxStoredValue bounds every value the store writes. Distributed
// PostgreSQL-compatible engines keep a row's values in one replicated
// key-value entry and advise values well under a few MiB (CockroachDB:
// https://www.cockroachlabs.com/docs/stable/bytes); 1 MiB keeps far from
// their limits on PostgreSQL too. The largest values are a run's packed
// columns: 8 bytes per scored pilot, 331 KB for the national 41,352.
const maxStoredValue = 1 << 20

// storedValuesFit refuses a run whose packed columns or warnings would
// exceed maxStoredValue, before anything is written.
func storedValuesFit(cycleID int64, units, warnings int) error {
	if 8*units > maxStoredValue {
		return platform.Errorf(platform.Invalid, platform.CodeOutOfRange,
			"cycle %d has %d scored pilots: its results are stored in values of at most %d bytes, 8 per pilot, so at most %d pilots per cycle",
			cycleID, units, maxStoredValue, maxStoredValue/8)
	}
	if warnings > maxStoredValue {
		return platform.Errorf(platform.Invalid, platform.CodeOutOfRange,
			"cycle %d: the run's warnings take %d bytes, more than the %d a stored value may", cycleID, warnings, maxStoredValue)
	}
	return nil
}

// cycleUnchanged fails with kind Conflict unless the cycle still has the
// given version. It runs last, just before the commit, and on PostgreSQL
// takes a FOR SHARE lock on the cycle's row: a concurrent transition
// (which updates the row) then waits the moment of the commit instead of
// slipping in between this check and the commit, while the saves, which
// read the row without locking it, never wait. The earlier form locked the
// row exclusively (UPDATE) for the whole storing transaction; on engines
// where reads wait for write locks (CockroachDB's write intents) every save
// of the cycle stalled for that long. At SERIALIZABLE (distributed engines)
// a transition that commits meanwhile makes one of the two fail with
// SQLSTATE 40001, and write runs it again.
func (s *Store) cycleUnchanged(ctx context.Context, tx *wtx, cycleID int64, version int) error {
	lock := ""
	if s.dialect == dialectPostgres {
		lock = " FOR SHARE"
	}
	var cur int
	err := tx.QueryRowContext(ctx, `SELECT version FROM cycles WHERE id = $1`+lock, cycleID).Scan(&cur)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("lock cycle %d: %w", cycleID, err)
	}
	if err == nil && cur == version {
		return nil
	}
	c, err := getCycle(ctx, tx, cycleID)
	if err != nil {
		return err
	}
	return &platform.Error{Kind: platform.Conflict, Code: platform.CodeStaleVersion, Current: c,
		Message: fmt.Sprintf("cycle %d changed while its results were computed (it is now %s, version %d): "+
			"nothing was stored; compute again", cycleID, c.State, c.Version)}
}

// insertResultNodes writes one row per node holding that node's column of
// every result matrix, packed: with COPY on PostgreSQL, one prepared INSERT
// per node on SQLite. Each node's blobs are built only when its row is
// written, so memory stays at one node's worth.
func (s *Store) insertResultNodes(ctx context.Context, tx *wtx, rs *platform.ResultSet) error {
	nodes, units := len(rs.Nodes), len(rs.PilotIDs)
	score, cov, contrib := make([]float64, units), make([]float64, units), make([]float64, units)
	rank := make([]int32, units)
	row := func(j int, args []any) []any {
		for i := range units {
			k := i*nodes + j
			score[i], rank[i], cov[i], contrib[i] = rs.Score[k], rs.Rank[k], rs.Coverage[k], rs.Contribution[k]
		}
		n := rs.Nodes[j]
		return append(args, rs.Run.CycleID, j, n.Code, n.Level, n.Parent,
			packFloats(score), packInt32s(rank), packFloats(cov), packFloats(contrib))
	}
	cols := []string{"cycle_id", "node", "code", "level", "parent", "scores", "ranks", "coverage", "contributions"}
	if s.dialect == dialectPostgres {
		return copyRows(ctx, tx, "result_nodes", cols, nodes, row)
	}
	stmt, err := tx.PrepareContext(ctx, s.insertSQL("result_nodes", cols, 1))
	if err != nil {
		return fmt.Errorf("prepare result nodes: %w", err)
	}
	defer stmt.Close()
	for j, n := range rs.Nodes {
		if _, err := stmt.ExecContext(ctx, row(j, nil)...); err != nil {
			return fmt.Errorf("insert results of node %s: %w", n.Code, err)
		}
	}
	return nil
}

const runColumns = `cycle_id, computed_at, input_hash, framework_id, framework_version, scheme, pilots, warnings, basis,
	(SELECT COUNT(*) FROM result_pilots r WHERE r.cycle_id = result_runs.cycle_id AND r.ranked = 0)`

// scanRun reads a row of runColumns.
func scanRun(row interface{ Scan(...any) error }) (platform.ResultRun, error) {
	var run platform.ResultRun
	var at int64
	var scheme, warnings string
	if err := row.Scan(&run.CycleID, &at, &run.InputHash, &run.FrameworkID, &run.FrameworkVersion, &scheme, &run.Pilots, &warnings,
		&run.Basis, &run.Flagged); err != nil {
		return run, err
	}
	run.ComputedAt, run.Scheme = fromMicros(at), json.RawMessage(scheme)
	if err := json.Unmarshal([]byte(warnings), &run.Warnings); err != nil {
		return run, fmt.Errorf("run of cycle %d: warnings: %w", run.CycleID, err)
	}
	return run, nil
}

// LatestRun returns the metadata of the cycle's stored run.
func (s *Store) LatestRun(ctx context.Context, cycleID int64) (platform.ResultRun, error) {
	run, err := scanRun(s.rdb.QueryRowContext(ctx, `SELECT `+runColumns+` FROM result_runs WHERE cycle_id = $1`, cycleID))
	if errors.Is(err, sql.ErrNoRows) {
		return run, platform.NotFoundf("cycle %d has no computed results", cycleID)
	}
	if err != nil {
		return run, fmt.Errorf("get result run of cycle %d: %w", cycleID, err)
	}
	return run, nil
}

// PilotResults returns the pilot's overall results across cycles, oldest
// cycle first.
func (s *Store) PilotResults(ctx context.Context, pilotID int64) ([]platform.ResultRow, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT r.cycle_id, p.name, p.region_code, run.framework_id, r.score, r.rank, r.stars, r.coverage
		FROM result_pilots r JOIN result_runs run ON run.cycle_id = r.cycle_id JOIN pilots p ON p.id = r.pilot_id
		WHERE r.pilot_id = $1 ORDER BY r.cycle_id`, pilotID)
	if err != nil {
		return nil, fmt.Errorf("results of pilot %d: %w", pilotID, err)
	}
	defer rows.Close()
	out := []platform.ResultRow{}
	for rows.Next() {
		row := platform.ResultRow{PilotID: pilotID}
		var score sql.NullFloat64
		var rank, stars sql.NullInt64
		if err := rows.Scan(&row.CycleID, &row.PilotName, &row.RegionCode, &row.Code, &score, &rank, &stars, &row.Coverage); err != nil {
			return nil, fmt.Errorf("results of pilot %d: %w", pilotID, err)
		}
		if score.Valid {
			row.Score = &score.Float64
		}
		row.Rank, row.Stars = optInt(rank), optInt(stars)
		out = append(out, row)
	}
	return out, rows.Err()
}

// optInt converts a nullable integer.
func optInt(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	v := int(n.Int64)
	return &v
}

// optRank converts a stored rank (0 = missing).
func optRank(r int32) *int {
	if r <= 0 {
		return nil
	}
	v := int(r)
	return &v
}
