package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/sceval/sceval/platform"
)

const entryColumns = `code, value, unit, level, narrative, complete, version, updated_at, updated_by`

// scanEntry reads a row of entryColumns.
func scanEntry(row interface{ Scan(...any) error }) (platform.Entry, error) {
	var e platform.Entry
	var value sql.NullFloat64
	var level sql.NullInt64
	var complete int
	var updated int64
	if err := row.Scan(&e.Code, &value, &e.Unit, &level, &e.Narrative, &complete, &e.Version, &updated, &e.UpdatedBy); err != nil {
		return e, err
	}
	if value.Valid {
		e.Value = &value.Float64
	}
	switch {
	case level.Valid && level.Int64 == notApplicableLevel:
		e.NotApplicable = true
	case level.Valid:
		l := int(level.Int64)
		e.Level = &l
	}
	e.Complete, e.UpdatedAt = complete != 0, fromMicros(updated)
	return e, nil
}

// notApplicableLevel is the stored level of an entry marked not applicable
// (rubric levels are 1..n): migration 00002 records the convention, which
// keeps the entry statements unchanged.
const notApplicableLevel = 0

// entryArgs returns the values of an entry's content columns.
func entryArgs(e platform.Entry) (value sql.NullFloat64, level sql.NullInt64, complete int) {
	if e.Value != nil {
		value = sql.NullFloat64{Float64: *e.Value, Valid: true}
	}
	switch {
	case e.NotApplicable:
		level = sql.NullInt64{Int64: notApplicableLevel, Valid: true}
	case e.Level != nil:
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
// PostgreSQL each save is one statement (saveEntryPostgres, entry_pg.go)
// that locks the submission row on condition that it is still editable,
// writes the entry and updates the completeness: one round trip.
func (s *Store) SaveEntry(ctx context.Context, w platform.EntryWrite) (platform.Entry, error) {
	if s.batcher != nil {
		return s.batcher.save(ctx, w)
	}
	return s.saveEntryPostgres(ctx, w)
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

// ImportSubmissions inserts complete submissions with their entries and
// history in one transaction: submissions in multi-row INSERTs
// (insertSubmissions), entries and transitions by bulkInsert.
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
		rows := make([]*platform.Submission, len(subs))
		inputs := make([][]byte, len(subs))
		for i := range subs {
			rows[i], inputs[i] = &subs[i].Submission, subs[i].Inputs
		}
		if err := s.insertSubmissions(ctx, tx, rows, inputs); err != nil {
			return err
		}
		for i := range subs {
			sub := &subs[i].Submission
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
