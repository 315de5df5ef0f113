package sqlstore

import (
	"context"
	"database/sql"

	"github.com/sceval/sceval/platform"
)

// ExecForTest runs a statement on the writer connection.
func (s *Store) ExecForTest(ctx context.Context, query string, args ...any) error {
	_, err := s.wdb.ExecContext(ctx, query, args...)
	return err
}

// StagedPilotsForTest counts the rows in pilot_import_rows.
func (s *Store) StagedPilotsForTest(ctx context.Context) (int, error) {
	var n int
	err := s.rdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM pilot_import_rows`).Scan(&n)
	return n, err
}

// SaveEntryBatchForTest commits ws as one group-commit batch on SQLite, in
// order, and returns each save's outcome; ctxs[i], when not nil, is save
// i's context. It reports false on PostgreSQL, which has no batcher.
func (s *Store) SaveEntryBatchForTest(ws []platform.EntryWrite, ctxs []context.Context) ([]platform.Entry, []error, bool) {
	return s.SaveEntryBatchHookForTest(ws, ctxs, nil)
}

// SaveEntryBatchHookForTest is SaveEntryBatchForTest with afterSave run
// after each save of the batch (an error from it aborts the transaction).
func (s *Store) SaveEntryBatchHookForTest(ws []platform.EntryWrite, ctxs []context.Context, afterSave func(i int) error) ([]platform.Entry, []error, bool) {
	if s.batcher == nil {
		return nil, nil, false
	}
	batch := make([]*entryReq, len(ws))
	for i, w := range ws {
		ctx := context.Background()
		if i < len(ctxs) && ctxs[i] != nil {
			ctx = ctxs[i]
		}
		batch[i] = &entryReq{ctx: ctx, w: w, res: make(chan entryRes, 1)}
	}
	s.batcher.afterSave = afterSave
	s.batcher.commit(batch)
	s.batcher.afterSave = nil
	es, errs := make([]platform.Entry, len(ws)), make([]error, len(ws))
	for i, r := range batch {
		res := <-r.res
		es[i], errs[i] = res.e, res.err
	}
	return es, errs, true
}

// BeginForTest begins a transaction on the writer pool (PostgreSQL: to hold
// row locks while another call waits on them).
func (s *Store) BeginForTest(ctx context.Context) (*sql.Tx, error) { return s.wdb.BeginTx(ctx, nil) }

// WaitingOnLockForTest reports whether some session of the database waits
// for a lock (PostgreSQL).
func (s *Store) WaitingOnLockForTest(ctx context.Context) (bool, error) {
	var n int
	err := s.rdb.QueryRowContext(ctx, `SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()`).Scan(&n)
	return n > 0, err
}

// QueryRowForTest runs a query on the writer connection.
func (s *Store) QueryRowForTest(ctx context.Context, query string, args ...any) *sql.Row {
	return s.wdb.QueryRowContext(ctx, query, args...)
}

// SetAfterResultRowsForTest sets the hook ReplaceResults runs inside its
// transaction once the rows are written.
func (s *Store) SetAfterResultRowsForTest(fn func()) { s.afterResultRows = fn }

// StopChainerForTest stops the background audit chainer (PostgreSQL), so
// that a test sees queued rows until something chains them.
func (s *Store) StopChainerForTest() { s.stopChainer() }

// ChainQueuedForTest chains the queued audit rows now.
func (s *Store) ChainQueuedForTest(ctx context.Context) error { return s.chainQueued(ctx) }

// QueuedAuditForTest returns the after JSON of the queued audit rows, in
// queue order.
func (s *Store) QueuedAuditForTest(ctx context.Context) ([]string, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT after_json FROM audit_queue ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
