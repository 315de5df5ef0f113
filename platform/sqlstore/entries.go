package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/sceval/sceval/platform"
)

const entryColumns = `code, value, unit, level, narrative, complete, version, updated_at`

// scanEntry reads a row of entryColumns.
func scanEntry(row interface{ Scan(...any) error }) (platform.Entry, error) {
	var e platform.Entry
	var value sql.NullFloat64
	var level sql.NullInt64
	var complete int
	var updated int64
	if err := row.Scan(&e.Code, &value, &e.Unit, &level, &e.Narrative, &complete, &e.Version, &updated); err != nil {
		return e, err
	}
	if value.Valid {
		e.Value = &value.Float64
	}
	if level.Valid {
		l := int(level.Int64)
		e.Level = &l
	}
	e.Complete, e.UpdatedAt = complete != 0, fromMicros(updated)
	return e, nil
}

// entryArgs returns the values of an entry's content columns.
func entryArgs(e platform.Entry) (value sql.NullFloat64, level sql.NullInt64, complete int) {
	if e.Value != nil {
		value = sql.NullFloat64{Float64: *e.Value, Valid: true}
	}
	if e.Level != nil {
		level = sql.NullInt64{Int64: int64(*e.Level), Valid: true}
	}
	if e.Complete {
		complete = 1
	}
	return value, level, complete
}

// entries returns a submission's entries by code.
func (s *Store) entries(ctx context.Context, id int64) ([]platform.Entry, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT `+entryColumns+` FROM entries WHERE submission_id = $1 ORDER BY code`, id)
	if err != nil {
		return nil, fmt.Errorf("entries of submission %d: %w", id, err)
	}
	defer rows.Close()
	var out []platform.Entry
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("entries of submission %d: %w", id, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// SaveEntry creates (w.Version 0) or updates (w.Version current) one entry
// and updates the submission's completeness. The submission must be editable
// and its cycle open, checked in the same transaction.
//
// On SQLite the save joins a group commit (entryBatcher): concurrent saves
// share one transaction, each checked before it writes anything. On
// PostgreSQL each save is one short transaction that starts by updating the
// submission row on condition that it is still editable: that takes the
// row's write lock (PostgreSQL re-checks the condition after any concurrent
// transition commits), so an entry is either saved before a submission is
// submitted or refused, and concurrent saves of one submission serialise on
// the lock, which keeps the completeness count exact.
func (s *Store) SaveEntry(ctx context.Context, w platform.EntryWrite) (platform.Entry, error) {
	if s.batcher != nil {
		return s.batcher.save(ctx, w)
	}
	var out platform.Entry
	err := s.write(ctx, func(tx *wtx) error {
		res, err := tx.ExecContext(ctx, `UPDATE submissions SET updated_at = $1 WHERE id = $2 AND state IN ('draft', 'returned')
			AND EXISTS (SELECT 1 FROM cycles c WHERE c.id = submissions.cycle_id AND c.state = 'open')`,
			micros(w.Entry.UpdatedAt), w.SubmissionID)
		if err != nil {
			return fmt.Errorf("lock submission %d: %w", w.SubmissionID, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return entryRefusal(ctx, tx, w.SubmissionID)
		}
		out, err = upsertEntryCounted(ctx, tx, w)
		if err == nil {
			tx.record(ctx, entryAudit(w, out))
		}
		return err
	})
	return out, err
}

// entryAudit is the audit event of a saved entry. Its before is the
// version the save replaced: the content of that version is the after of
// the entry's previous audit row (or of its submission's import), so the
// hot path reads nothing more.
func entryAudit(w platform.EntryWrite, out platform.Entry) platform.AuditEvent {
	ev := platform.AuditEvent{Action: "submission.entry.save",
		Object: fmt.Sprintf("submission/%d/entry/%s", w.SubmissionID, out.Code), After: out}
	if w.Version > 0 {
		ev.Before = map[string]int{"version": w.Version}
	}
	return ev
}

// entryRefusal explains why a submission refused an entry write: it does not
// exist, it is not editable, or its cycle is not open.
func entryRefusal(ctx context.Context, q queryer, id int64) error {
	sub, err := getSubmissionRow(ctx, q, id)
	if err != nil {
		return err
	}
	if !sub.State.Editable() {
		return platform.NotEditable(sub)
	}
	c, err := getCycle(ctx, q, sub.CycleID)
	if err != nil {
		return err
	}
	if c.State != platform.CycleOpen {
		return platform.CycleNotOpen(c)
	}
	// Only possible if the state changed back between the two statements.
	return platform.Errorf(platform.Conflict, platform.CodeNotEditable,
		"submission %d changed while the entry was being saved: try again", id)
}

// countedEntryWrite wraps an entry write (RETURNING entryColumns) so that
// the same statement also sets the submission's completeness: the complete
// entries other than this code, counted in the statement's snapshot, plus
// this entry as written. The snapshot is taken after the transaction locked
// the submission row, so no other save of the submission can be missed. A
// PostgreSQL data-modifying WITH: one round trip instead of two, the one
// dialect-specific statement on this path (SQLite saves go through
// entryBatcher). $sub, $code and $leaves name the parameters.
func countedEntryWrite(write, sub, code, leaves string) string {
	return `WITH e AS (` + write + `),
		s AS (UPDATE submissions SET completeness = ((SELECT COUNT(*) FROM entries
			WHERE submission_id = ` + sub + ` AND complete = 1 AND code <> ` + code + `) + (SELECT complete FROM e)) * 1.0 / ` + leaves + `
			WHERE id = ` + sub + ` AND EXISTS (SELECT 1 FROM e))
		SELECT ` + entryColumns + ` FROM e`
}

// upsertEntryCounted inserts or version-checks and updates one entry, and
// updates the submission's completeness (PostgreSQL).
func upsertEntryCounted(ctx context.Context, tx *wtx, w platform.EntryWrite) (platform.Entry, error) {
	e := w.Entry
	value, level, complete := entryArgs(e)
	var row *sql.Row
	if w.Version == 0 {
		row = tx.QueryRowContext(ctx, countedEntryWrite(`INSERT INTO entries (submission_id, code, value, unit, level, narrative, complete, version, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8) ON CONFLICT (submission_id, code) DO NOTHING RETURNING `+entryColumns, "$1", "$2", "$9"),
			w.SubmissionID, e.Code, value, e.Unit, level, e.Narrative, complete, micros(e.UpdatedAt), max(w.Leaves, 1))
	} else {
		row = tx.QueryRowContext(ctx, countedEntryWrite(`UPDATE entries SET value = $1, unit = $2, level = $3, narrative = $4, complete = $5,
			version = version + 1, updated_at = $6 WHERE submission_id = $7 AND code = $8 AND version = $9 RETURNING `+entryColumns, "$7", "$8", "$10"),
			value, e.Unit, level, e.Narrative, complete, micros(e.UpdatedAt), w.SubmissionID, e.Code, w.Version, max(w.Leaves, 1))
	}
	out, err := scanEntry(row)
	if errors.Is(err, sql.ErrNoRows) {
		cur, gerr := scanEntry(tx.QueryRowContext(ctx, `SELECT `+entryColumns+` FROM entries WHERE submission_id = $1 AND code = $2`,
			w.SubmissionID, e.Code))
		if errors.Is(gerr, sql.ErrNoRows) {
			return out, platform.StaleVersion("entry "+e.Code+" of submission", w.SubmissionID, w.Version, 0, nil)
		}
		if gerr != nil {
			return out, fmt.Errorf("read entry %s: %w", e.Code, gerr)
		}
		return out, platform.StaleVersion("entry "+e.Code+" of submission", w.SubmissionID, w.Version, cur.Version, cur)
	}
	if err != nil {
		return out, fmt.Errorf("write entry %s: %w", e.Code, err)
	}
	return out, nil
}

// ImportSubmissions inserts complete submissions with their entries and
// history in one transaction, entries and transitions in multi-row INSERTs.
func (s *Store) ImportSubmissions(ctx context.Context, subs []platform.SubmissionImport) error {
	return s.write(ctx, func(tx *wtx) error {
		type entryRef struct {
			sub int
			e   *platform.Entry
		}
		var refs []entryRef
		type histRef struct {
			sub int
			t   *platform.Transition
		}
		var hist []histRef
		for i := range subs {
			sub := &subs[i].Submission
			if err := insertSubmission(ctx, tx, sub, subs[i].Inputs); err != nil {
				return err
			}
			for j := range sub.Entries {
				refs = append(refs, entryRef{i, &sub.Entries[j]})
			}
			for j := range sub.History {
				hist = append(hist, histRef{i, &sub.History[j]})
			}
			tx.record(ctx, platform.AuditEvent{Action: "submission.import", Object: fmt.Sprintf("submission/%d", sub.ID), After: sub})
		}
		err := s.bulkInsert(ctx, tx, "entries", []string{"submission_id", "code", "value", "unit", "level", "narrative", "complete", "version", "updated_at"},
			len(refs), func(i int, args []any) []any {
				e := refs[i].e
				value, level, complete := entryArgs(*e)
				return append(args, subs[refs[i].sub].Submission.ID, e.Code, value, e.Unit, level, e.Narrative, complete, e.Version, micros(e.UpdatedAt))
			})
		if err != nil {
			return err
		}
		return s.bulkInsert(ctx, tx, "transitions", []string{"submission_id", "from_state", "to_state", "reason", "actor", "at"},
			len(hist), func(i int, args []any) []any {
				t := hist[i].t
				return append(args, subs[hist[i].sub].Submission.ID, string(t.From), string(t.To), t.Reason, t.Actor, micros(t.At))
			})
	})
}
