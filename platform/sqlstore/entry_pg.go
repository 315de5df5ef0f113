package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sceval/sceval/platform"
)

// PostgreSQL entry saves: one data-modifying statement, one round trip,
// no explicit transaction, for the entry, its lock, the submission's
// completeness and the entry's audit row, which commits or rolls back with
// the change because it is written by the same statement (issue 11). The
// row goes to audit_queue, unchained: the chainer (audit_queue.go) chains
// it at most auditChainPeriod later, and before any read of the trail.
// Locking a chain head here instead made every save a five-statement
// transaction (1,226 saves/s against 1,998 without the trail). The
// statement is a data-modifying WITH:
//
//   - lock: the submission row, locked FOR NO KEY UPDATE only if it is
//     editable and its cycle open. Under READ COMMITTED a row changed by a
//     transaction that committed meanwhile is re-read and re-checked before
//     it is locked, so a save never lands on a submission submitted a moment
//     earlier, and concurrent saves of one submission queue on this lock
//     (so their audit rows get queue ids in commit order).
//     The cycle row is read, not locked: every save reads it, and a lock
//     there would make saves queue behind each other and behind transitions.
//   - old: the entry's previous completeness, in the statement's snapshot.
//   - e: the entry write, from lock (so nothing is written when lock found
//     nothing), version-checked like the SQLite path.
//   - the completeness update: the stored share × leaves is the whole number
//     of complete entries, so the new share is (round(share × leaves) + new
//     − old) / leaves. The UPDATE of a row that another save changed since
//     the snapshot is applied to that newer row (PostgreSQL re-evaluates it),
//     so no concurrent increment is lost, as in the SQLite group commit.
//   - q: the audit row, one per row of e (none when nothing was written).
//     Its JSON is built in Go before the statement from what the write
//     stores (storedEntry: the version is 1 for an insert, the sent
//     version + 1 for an update, the only versions e can write), so it is
//     byte for byte what the inline append of the returned entry stored.
//
// When the statement writes nothing, a second query tells why (refused
// state, or stale version): only refusals pay for it.
var (
	pgEntryInsert = pgEntrySave(`INSERT INTO entries (submission_id, code, value, unit, level, narrative, complete, version, updated_at, updated_by)
			SELECT $1, $2, $3, $4, $5, $6, $7, 1, $8, $17 FROM lock
			ON CONFLICT (submission_id, code) DO NOTHING RETURNING `+entryColumns, "$1", "$2", "$8", "$9", 10)
	pgEntryUpdate = pgEntrySave(`UPDATE entries SET value = $3, unit = $4, level = $5, narrative = $6, complete = $7,
			version = entries.version + 1, updated_at = $8, updated_by = $18
			FROM lock WHERE entries.submission_id = $1 AND entries.code = $2 AND entries.version = $10
			RETURNING `+qualified("entries", entryColumns), "$1", "$2", "$8", "$9", 11)
)

// pgEntrySave wraps an entry write in the statement described above. sub,
// code, at and leaves name its parameters; the audit row's seven
// (queuedAuditArgs) start at parameter audit.
func pgEntrySave(write, sub, code, at, leaves string, audit int) string {
	a := make([]string, 7)
	for i := range a {
		a[i] = "$" + strconv.Itoa(audit+i)
	}
	return `WITH lock AS (
			SELECT s.id FROM submissions s JOIN cycles c ON c.id = s.cycle_id
			WHERE s.id = ` + sub + ` AND s.state IN (` + editableStatesSQL + `) AND c.state IN (` + openCycleSQL + `)
			FOR NO KEY UPDATE OF s),
		old AS (SELECT complete FROM entries WHERE submission_id = ` + sub + ` AND code = ` + code + `),
		e AS (` + write + `),
		done AS (UPDATE submissions SET updated_at = ` + at + `,
			completeness = LEAST(GREATEST(ROUND(completeness * ` + leaves + `::float8)
				+ (SELECT complete FROM e) - COALESCE((SELECT complete FROM old), 0), 0), ` + leaves + `::float8) / ` + leaves + `::float8
			WHERE id = ` + sub + ` AND EXISTS (SELECT 1 FROM e)),
		q AS (INSERT INTO audit_queue (at, actor, address, action, object, before_json, after_json)
			SELECT ` + a[0] + `::bigint, ` + a[1] + `, ` + a[2] + `, ` + a[3] + `, ` + a[4] + `, ` + a[5] + `, ` + a[6] + ` FROM e)
		SELECT ` + entryColumns + ` FROM e`
}

// storedEntry is the entry a save of e at version stores, as scanEntry
// reads it back: what the entry's audit row records.
func storedEntry(e platform.Entry, version int) platform.Entry {
	value, level, complete := entryArgs(e)
	out := platform.Entry{Code: e.Code, Unit: e.Unit, Narrative: e.Narrative, Complete: complete != 0, Version: version,
		UpdatedAt: fromMicros(micros(e.UpdatedAt)), UpdatedBy: e.UpdatedBy}
	if value.Valid {
		v := value.Float64
		out.Value = &v
	}
	switch {
	case level.Valid && level.Int64 == notApplicableLevel:
		out.NotApplicable = true
	case level.Valid:
		l := int(level.Int64)
		out.Level = &l
	}
	return out
}

// qualified prefixes each of a comma-separated list of columns with table.
func qualified(table, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = table + "." + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// pgSaveTimeout bounds a save statement once sent. It runs without the
// request's cancellation: an autocommit statement cut off by the client
// (pgx then closes the connection) may still commit on the server, so the
// caller would be told "failed" for a stored entry. Sent, it is waited for;
// only a statement stuck behind a lock for this long is abandoned.
const pgSaveTimeout = 30 * time.Second

// saveEntryPostgres is SaveEntry on PostgreSQL: one statement, run again
// on a serialization failure (withRetry). A caller that has gone before
// the statement is sent gets ctx's error and nothing is written; once sent,
// the save completes and its true outcome is returned.
func (s *Store) saveEntryPostgres(ctx context.Context, w platform.EntryWrite) (platform.Entry, error) {
	if err := ctx.Err(); err != nil {
		return platform.Entry{}, err
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), pgSaveTimeout)
	defer cancel()
	e := w.Entry
	value, level, complete := entryArgs(e)
	leaves := max(w.Leaves, 1)
	audit, err := queuedAuditArgs(ctx, entryAudit(w, storedEntry(e, w.Version+1)))
	if err != nil {
		return platform.Entry{}, fmt.Errorf("save entry %s of submission %d: %w", e.Code, w.SubmissionID, err)
	}
	var out platform.Entry
	err = withRetry(sctx, func() error {
		var err error
		if w.Version == 0 {
			out, err = scanEntry(s.wdb.QueryRowContext(sctx, pgEntryInsert, append([]any{
				w.SubmissionID, e.Code, value, e.Unit, level, e.Narrative, complete, micros(e.UpdatedAt), leaves}, append(audit, e.UpdatedBy)...)...))
		} else {
			out, err = scanEntry(s.wdb.QueryRowContext(sctx, pgEntryUpdate, append([]any{
				w.SubmissionID, e.Code, value, e.Unit, level, e.Narrative, complete, micros(e.UpdatedAt), leaves, w.Version}, append(audit, e.UpdatedBy)...)...))
		}
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return platform.Entry{}, withContextErr(ctx, s.unsavedEntry(ctx, w))
	}
	if err != nil {
		return platform.Entry{}, withContextErr(ctx, fmt.Errorf("save entry %s of submission %d: %w", e.Code, w.SubmissionID, err))
	}
	return out, nil
}

// unsavedEntry explains a save that wrote nothing: the submission does not
// exist or is not editable, its cycle is not open, or the entry's version
// is not the one sent (stale_version with the current entry).
func (s *Store) unsavedEntry(ctx context.Context, w platform.EntryWrite) error {
	sub, err := getSubmissionRow(ctx, s.wdb, w.SubmissionID)
	if err != nil {
		return err
	}
	if !sub.State.Editable() {
		return platform.NotEditable(sub)
	}
	c, err := getCycle(ctx, s.wdb, sub.CycleID)
	if err != nil {
		return err
	}
	if c.State != platform.CycleOpen {
		return platform.CycleNotOpen(c)
	}
	code := w.Entry.Code
	cur, err := scanEntry(s.wdb.QueryRowContext(ctx, `SELECT `+entryColumns+` FROM entries WHERE submission_id = $1 AND code = $2`,
		w.SubmissionID, code))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return platform.StaleVersion("entry "+code+" of submission", w.SubmissionID, w.Version, 0, nil)
	case err != nil:
		return fmt.Errorf("read entry %s: %w", code, err)
	}
	return platform.StaleVersion("entry "+code+" of submission", w.SubmissionID, w.Version, cur.Version, cur)
}
