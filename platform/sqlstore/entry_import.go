package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

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
	rows, err := s.rdb.QueryContext(ctx, `SELECT e.submission_id, e.code, e.value, e.unit, e.level, e.narrative, e.complete, e.version, e.updated_at, e.updated_by
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

// importInsertBatch is how many new entries one multi-row INSERT (or
// COPY) writes.
const importInsertBatch = 1000

// ApplyEntryImport writes an import's changes in one transaction (see
// platform.EntryImportStore). New entries go in multi-row inserts, changed
// ones in one UPDATE each (checking the version read). The audit trail gets
// one row per submission and run of consecutive changes to it (action
// "submission.entry.import", object submission/N): the entries written,
// each with its new version, and the versions they replaced — as the bulk
// path ImportSubmissions records one row per submission, so that an import
// of millions of entries does not append millions of chained rows.
func (s *Store) ApplyEntryImport(ctx context.Context, w platform.EntryImportWrite) (int, error) {
	var written int
	err := s.write(ctx, func(tx *wtx) error {
		written = 0
		if err := checkEditable(ctx, s, tx, w.CycleID, w.Submissions); err != nil {
			return err
		}
		upd, err := tx.PrepareContext(ctx, `UPDATE entries SET value = $1, unit = $2, level = $3, narrative = $4, complete = $5,
			version = version + 1, updated_at = $6, updated_by = $10 WHERE submission_id = $7 AND code = $8 AND version = $9`)
		if err != nil {
			return fmt.Errorf("prepare entry update: %w", err)
		}
		defer upd.Close()
		b := &entryImportBatch{s: s, tx: tx, upd: upd}
		err = w.Each(func(ew platform.EntryWrite) error {
			written++
			return b.add(ctx, ew)
		})
		if err == nil {
			err = b.flush(ctx)
		}
		if err == nil {
			err = b.recordRun(ctx)
		}
		if b.ins != nil {
			b.ins.Close()
		}
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

// entryImportBatch collects an import's new entries for multi-row inserts and
// the current run of changes to one submission for its audit row.
type entryImportBatch struct {
	s       *Store
	tx      *wtx
	upd     *sql.Stmt
	ins     *sql.Stmt // the SQLite batch insert, once prepared
	inserts []platform.EntryWrite
	run     int64 // submission of the current audit run
	after   []importedEntry
	before  map[string]int
}

// importedEntry is an entry as an import's audit row records it.
type importedEntry struct {
	Code          string   `json:"code"`
	Version       int      `json:"version"`
	Value         *float64 `json:"value,omitempty"`
	Level         *int     `json:"level,omitempty"`
	Narrative     string   `json:"narrative,omitempty"`
	NotApplicable bool     `json:"not_applicable,omitempty"`
}

func (b *entryImportBatch) add(ctx context.Context, ew platform.EntryWrite) error {
	if ew.SubmissionID != b.run {
		if err := b.recordRun(ctx); err != nil {
			return err
		}
		b.run = ew.SubmissionID
	}
	e := ew.Entry
	b.after = append(b.after, importedEntry{Code: e.Code, Version: ew.Version + 1, Value: e.Value, Level: e.Level,
		Narrative: e.Narrative, NotApplicable: e.NotApplicable})
	if ew.Version == 0 {
		b.inserts = append(b.inserts, ew)
		if len(b.inserts) >= importInsertBatch {
			return b.flush(ctx)
		}
		return nil
	}
	if b.before == nil {
		b.before = map[string]int{}
	}
	b.before[e.Code] = ew.Version
	value, level, complete := entryArgs(e)
	res, err := b.upd.ExecContext(ctx, value, e.Unit, level, e.Narrative, complete, micros(e.UpdatedAt), ew.SubmissionID, e.Code, ew.Version, e.UpdatedBy)
	if err != nil {
		return fmt.Errorf("update entry %s of submission %d: %w", e.Code, ew.SubmissionID, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return platform.Errorf(platform.Conflict, platform.CodeStaleVersion,
			"entry %s of submission %d changed while the file was being checked: import it again", e.Code, ew.SubmissionID)
	}
	return nil
}

// recordRun records the audit row of the current run of changes.
func (b *entryImportBatch) recordRun(ctx context.Context) error {
	if len(b.after) == 0 {
		return nil
	}
	ev := platform.AuditEvent{Action: "submission.entry.import", Object: fmt.Sprintf("submission/%d", b.run),
		After: map[string]any{"entries": b.after}}
	if len(b.before) > 0 {
		ev.Before = map[string]any{"versions": b.before}
	}
	b.tx.record(ctx, ev)
	b.after, b.before = nil, nil
	if len(b.tx.audit) >= importAuditFlush {
		return b.s.appendAudit(ctx, b.tx)
	}
	return nil
}

// importAuditFlush is how many recorded audit rows an import lets pile up
// before it appends them to the chains within its transaction: bounded
// memory for an import of any size.
const importAuditFlush = 1000

// entryImportColumns are the columns an import inserts.
var entryImportColumns = []string{"submission_id", "code", "value", "unit", "level", "narrative", "complete", "version", "updated_at", "updated_by"}

// flush inserts the collected new entries; one that exists already (made
// after the file was checked) fails the import. On SQLite a full batch
// reuses one prepared multi-row INSERT: preparing (parsing) a statement
// of 9,000 parameters for every batch cost a third of the import's time.
// On PostgreSQL bulkInsert copies the rows (COPY).
func (b *entryImportBatch) flush(ctx context.Context) error {
	if len(b.inserts) == 0 {
		return nil
	}
	rows := b.inserts
	row := func(i int, args []any) []any {
		e := rows[i].Entry
		value, level, complete := entryArgs(e)
		return append(args, rows[i].SubmissionID, e.Code, value, e.Unit, level, e.Narrative, complete, 1, micros(e.UpdatedAt), e.UpdatedBy)
	}
	var err error
	switch {
	case b.s.dialect == dialectSQLite && len(rows) == importInsertBatch:
		if b.ins == nil {
			if b.ins, err = b.tx.PrepareContext(ctx, b.s.insertSQL("entries", entryImportColumns, importInsertBatch)); err != nil {
				return fmt.Errorf("prepare entry insert: %w", err)
			}
		}
		args := make([]any, 0, len(rows)*len(entryImportColumns))
		for i := range rows {
			args = row(i, args)
		}
		_, err = b.ins.ExecContext(ctx, args...)
	default:
		err = b.s.bulkInsert(ctx, b.tx, "entries", entryImportColumns, len(rows), row)
	}
	if err != nil {
		return platform.Errorf(platform.Conflict, platform.CodeStaleVersion,
			"an entry of the file was created while the file was being checked: import it again (%v)", err)
	}
	b.inserts = b.inserts[:0]
	return nil
}

// checkEditable refuses the import unless every submission is editable
// and its cycle open, read inside the transaction in one query (on
// PostgreSQL locking the cycle's submission rows, as an entry save locks
// its submission, so that none is submitted before the import commits).
func checkEditable(ctx context.Context, s *Store, tx *wtx, cycleID int64, ids []int64) error {
	q := `SELECT s.id, s.state, c.state FROM submissions s JOIN cycles c ON c.id = s.cycle_id WHERE s.cycle_id = $1`
	if s.dialect == dialectPostgres {
		q += ` FOR UPDATE OF s`
	}
	rows, err := tx.QueryContext(ctx, q, cycleID)
	if err != nil {
		return fmt.Errorf("submissions of cycle %d: %w", cycleID, err)
	}
	ok := map[int64]bool{}
	for rows.Next() {
		var id int64
		var sub, cyc string
		if err := rows.Scan(&id, &sub, &cyc); err != nil {
			rows.Close()
			return fmt.Errorf("submissions of cycle %d: %w", cycleID, err)
		}
		ok[id] = platform.SubmissionState(sub).Editable() && cyc == string(platform.CycleOpen)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("submissions of cycle %d: %w", cycleID, err)
	}
	for _, id := range ids {
		if !ok[id] {
			return entryRefusal(ctx, tx, id)
		}
	}
	return nil
}

// completenessChunk is how many submissions one completeness UPDATE names.
const completenessChunk = 500

// updateCompleteness recounts the complete entries of every touched
// submission, a chunk of submissions per statement.
func updateCompleteness(ctx context.Context, tx *wtx, w platform.EntryImportWrite) error {
	leaves, now := max(w.Leaves, 1), micros(w.At)
	for start := 0; start < len(w.Submissions); start += completenessChunk {
		chunk := w.Submissions[start:min(len(w.Submissions), start+completenessChunk)]
		args := []any{leaves, now}
		var in strings.Builder
		for i, id := range chunk {
			if i > 0 {
				in.WriteString(", ")
			}
			in.WriteString("$" + strconv.Itoa(len(args)+1))
			args = append(args, id)
		}
		q := `UPDATE submissions SET completeness = (SELECT COUNT(*) FROM entries e WHERE e.submission_id = submissions.id AND e.complete = 1) * 1.0 / $1,
			updated_at = $2 WHERE id IN (` + in.String() + `)`
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("completeness of %d submissions: %w", len(chunk), err)
		}
	}
	return nil
}
