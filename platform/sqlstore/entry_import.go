package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/sceval/sceval/platform"
)

// EachCycleSubmission calls fn for every submission of the cycle with its
// pilot's name, region and province, by submission ID.
func (s *Store) EachCycleSubmission(ctx context.Context, cycleID int64, fn func(platform.CycleSubmission) error) error {
	rows, err := s.rdb.QueryContext(ctx, `SELECT s.id, s.pilot_id, s.state, p.name, p.region_code, p.province_code
		FROM submissions s JOIN pilots p ON p.id = s.pilot_id WHERE s.cycle_id = $1 ORDER BY s.id`, cycleID)
	if err != nil {
		return fmt.Errorf("submissions of cycle %d: %w", cycleID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var c platform.CycleSubmission
		var state string
		if err := rows.Scan(&c.ID, &c.PilotID, &state, &c.PilotName, &c.RegionCode, &c.Province); err != nil {
			return fmt.Errorf("submissions of cycle %d: %w", cycleID, err)
		}
		c.State = platform.SubmissionState(state)
		if err := fn(c); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EachCycleEntry calls fn for every entry of the cycle's submissions,
// ordered by submission and code.
func (s *Store) EachCycleEntry(ctx context.Context, cycleID int64, fn func(int64, platform.Entry) error) error {
	rows, err := s.rdb.QueryContext(ctx, `SELECT e.submission_id, e.code, e.value, e.unit, e.level, e.narrative, e.complete, e.version, e.updated_at
		FROM entries e JOIN submissions s ON s.id = e.submission_id WHERE s.cycle_id = $1 ORDER BY e.submission_id, e.code`, cycleID)
	if err != nil {
		return fmt.Errorf("entries of cycle %d: %w", cycleID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		e, err := scanEntry(prefixScanner{rows, &id})
		if err != nil {
			return fmt.Errorf("entries of cycle %d: %w", cycleID, err)
		}
		if err := fn(id, e); err != nil {
			return err
		}
	}
	return rows.Err()
}

// prefixScanner scans a leading column into id, the rest with scanEntry.
type prefixScanner struct {
	rows *sql.Rows
	id   *int64
}

func (p prefixScanner) Scan(dst ...any) error { return p.rows.Scan(append([]any{p.id}, dst...)...) }

// importAuditFlush is how many recorded audit rows an import lets pile up
// before it appends them to the chains within its transaction: bounded
// memory for an import of millions of entries.
const importAuditFlush = 5000

// ApplyEntryImport writes an import's changes in one transaction (see
// platform.EntryImportStore).
func (s *Store) ApplyEntryImport(ctx context.Context, w platform.EntryImportWrite) (int, error) {
	var written int
	err := s.write(ctx, func(tx *wtx) error {
		written = 0
		if err := checkEditable(ctx, tx, w.Submissions); err != nil {
			return err
		}
		ins, err := tx.PrepareContext(ctx, `INSERT INTO entries (submission_id, code, value, unit, level, narrative, complete, version, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8)`)
		if err != nil {
			return fmt.Errorf("prepare entry insert: %w", err)
		}
		defer ins.Close()
		upd, err := tx.PrepareContext(ctx, `UPDATE entries SET value = $1, unit = $2, level = $3, narrative = $4, complete = $5,
			version = version + 1, updated_at = $6 WHERE submission_id = $7 AND code = $8 AND version = $9`)
		if err != nil {
			return fmt.Errorf("prepare entry update: %w", err)
		}
		defer upd.Close()
		err = w.Each(func(ew platform.EntryWrite) error {
			if err := writeImported(ctx, ins, upd, ew); err != nil {
				return err
			}
			out := ew.Entry
			out.Version = ew.Version + 1
			ev := entryAudit(ew, out)
			ev.Action = "submission.entry.import"
			tx.record(ctx, ev)
			written++
			if len(tx.audit) >= importAuditFlush {
				return s.appendAudit(ctx, tx)
			}
			return nil
		})
		if err != nil {
			return err
		}
		return updateCompleteness(ctx, tx, w)
	})
	if err != nil {
		return 0, err
	}
	return written, nil
}

// writeImported creates or updates one entry, refusing a stale version.
func writeImported(ctx context.Context, ins, upd *sql.Stmt, ew platform.EntryWrite) error {
	e := ew.Entry
	value, level, complete := entryArgs(e)
	if ew.Version == 0 {
		if _, err := ins.ExecContext(ctx, ew.SubmissionID, e.Code, value, e.Unit, level, e.Narrative, complete, micros(e.UpdatedAt)); err != nil {
			return platform.Errorf(platform.Conflict, platform.CodeStaleVersion,
				"entry %s of submission %d was created while the file was being checked: import it again (%v)", e.Code, ew.SubmissionID, err)
		}
		return nil
	}
	res, err := upd.ExecContext(ctx, value, e.Unit, level, e.Narrative, complete, micros(e.UpdatedAt), ew.SubmissionID, e.Code, ew.Version)
	if err != nil {
		return fmt.Errorf("update entry %s of submission %d: %w", e.Code, ew.SubmissionID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return platform.Errorf(platform.Conflict, platform.CodeStaleVersion,
			"entry %s of submission %d changed while the file was being checked: import it again", e.Code, ew.SubmissionID)
	}
	return nil
}

// checkEditable refuses the import unless every submission is editable
// and its cycle open, read inside the transaction.
func checkEditable(ctx context.Context, tx *wtx, ids []int64) error {
	st, err := tx.PrepareContext(ctx, `SELECT s.state, c.state FROM submissions s JOIN cycles c ON c.id = s.cycle_id WHERE s.id = $1`)
	if err != nil {
		return fmt.Errorf("prepare submission scope: %w", err)
	}
	defer st.Close()
	for _, id := range ids {
		var sub, cyc string
		if err := st.QueryRowContext(ctx, id).Scan(&sub, &cyc); err != nil {
			return entryRefusal(ctx, tx, id)
		}
		if !platform.SubmissionState(sub).Editable() || cyc != string(platform.CycleOpen) {
			return entryRefusal(ctx, tx, id)
		}
	}
	return nil
}

// updateCompleteness recounts the complete entries of every touched
// submission.
func updateCompleteness(ctx context.Context, tx *wtx, w platform.EntryImportWrite) error {
	st, err := tx.PrepareContext(ctx, `UPDATE submissions SET completeness =
		(SELECT COUNT(*) FROM entries WHERE submission_id = $1 AND complete = 1) * 1.0 / $2, updated_at = $3 WHERE id = $4`)
	if err != nil {
		return fmt.Errorf("prepare completeness: %w", err)
	}
	defer st.Close()
	leaves, now := max(w.Leaves, 1), micros(w.At)
	for _, id := range w.Submissions {
		if _, err := st.ExecContext(ctx, id, leaves, now, id); err != nil {
			return fmt.Errorf("completeness of submission %d: %w", id, err)
		}
	}
	return nil
}
