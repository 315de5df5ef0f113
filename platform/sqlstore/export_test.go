package sqlstore

import (
	"context"

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
	s.batcher.commit(batch)
	es, errs := make([]platform.Entry, len(ws)), make([]error, len(ws))
	for i, r := range batch {
		res := <-r.res
		es[i], errs[i] = res.e, res.err
	}
	return es, errs, true
}
