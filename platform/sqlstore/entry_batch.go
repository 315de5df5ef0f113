package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/sceval/sceval/platform"
)

// maxEntryBatch bounds the saves committed together: enough to absorb a
// deadline rush (hundreds of submitters), small enough that one batch stays
// a few milliseconds.
const maxEntryBatch = 128

// errStoreClosed answers saves that arrive after Close.
var errStoreClosed = errors.New("store is closed")

// entryBatcher is the group commit of entry saves on SQLite. SQLite has one
// writer, so concurrent saves queue anyway; the batcher's goroutine takes
// every save waiting when it is free (never waiting for more: a lone save is
// committed at once) and runs them in one transaction, one after another,
// then commits once. That shares the cost of BEGIN, COMMIT and the WAL
// frames of the pages the saves have in common.
//
// Each save is checked before it writes anything — submission editable,
// cycle open, entry version current — so a refused save leaves no trace and
// the others in its batch go on: a stale version fails only its own save.
// Saves in one batch see each other's writes, exactly as if committed one by
// one in the order taken. A save whose caller gave up before its turn is
// skipped; once its turn has come its caller waits for the outcome, so an
// error returned always means nothing was written. If the transaction itself
// fails (an I/O error) or rolls back, every save of the batch gets that
// error, including saves that had run and whose callers have gone since:
// a success is reported only for a committed save.
//
// The statements are prepared once on the writer connection: parsing them
// for every save was a third of the CPU time of a save.
type entryBatcher struct {
	s     *Store
	reqs  chan *entryReq
	quit  chan struct{}
	done  chan struct{}
	stmts *entryStmts
	once  sync.Once
	// afterSave, when set (tests only), runs after save i of a batch has
	// run; an error from it aborts the batch's transaction.
	afterSave func(i int) error
}

// entryReq is one save waiting for its batch.
type entryReq struct {
	ctx context.Context
	w   platform.EntryWrite
	res chan entryRes
}

type entryRes struct {
	e   platform.Entry
	err error
}

func newEntryBatcher(s *Store) *entryBatcher {
	b := &entryBatcher{s: s, reqs: make(chan *entryReq), quit: make(chan struct{}), done: make(chan struct{})}
	go b.run()
	return b
}

// save hands w to the batcher and waits for its outcome.
func (b *entryBatcher) save(ctx context.Context, w platform.EntryWrite) (platform.Entry, error) {
	r := &entryReq{ctx: ctx, w: w, res: make(chan entryRes, 1)}
	select {
	case b.reqs <- r:
	case <-ctx.Done():
		return platform.Entry{}, ctx.Err()
	case <-b.quit:
		return platform.Entry{}, errStoreClosed
	}
	res := <-r.res
	return res.e, res.err
}

// close stops the goroutine after its current batch.
func (b *entryBatcher) close() {
	b.once.Do(func() {
		close(b.quit)
		<-b.done
		if b.stmts != nil {
			b.stmts.close()
		}
	})
}

// run collects and commits batches until close. The channel is unbuffered:
// a save is taken only when its batch is about to run, so none is left
// behind at close.
func (b *entryBatcher) run() {
	defer close(b.done)
	batch := make([]*entryReq, 0, maxEntryBatch)
	for {
		select {
		case r := <-b.reqs:
			batch = append(batch[:0], r)
		case <-b.quit:
			return
		}
	collect:
		for len(batch) < maxEntryBatch {
			select {
			case r := <-b.reqs:
				batch = append(batch, r)
			default:
				break collect
			}
		}
		b.commit(batch)
	}
}

// commit runs one batch in one transaction and answers every save. The
// statements run under a context without cancellation: one caller leaving
// must not abort the others' transaction (and the driver then needs no
// watcher goroutine per statement).
func (b *entryBatcher) commit(batch []*entryReq) {
	ctx := context.Background()
	results := make([]entryRes, len(batch))
	err := b.prepare(ctx)
	if err == nil {
		err = b.s.write(ctx, func(tx *wtx) error {
			st := b.stmts.in(ctx, tx)
			for i, r := range batch {
				if err := r.ctx.Err(); err != nil {
					results[i].err = err
					continue
				}
				e, err := st.save(ctx, tx, r.w)
				if err != nil && platform.ErrorKindOf(err) == "" {
					return fmt.Errorf("save entry %s of submission %d: %w", r.w.Entry.Code, r.w.SubmissionID, err)
				}
				if err == nil {
					tx.record(r.ctx, entryAudit(r.w, e))
				}
				results[i] = entryRes{e: e, err: err}
				if b.afterSave != nil {
					if err := b.afterSave(i); err != nil {
						return err
					}
				}
			}
			return nil
		})
	}
	for i, r := range batch {
		if err != nil {
			// Nothing of the batch was committed: no save succeeded, not
			// even one whose caller has gone meanwhile (it must not be
			// told, or logged as, a success).
			results[i] = entryRes{err: withContextErr(r.ctx, err)}
		}
		r.res <- results[i]
	}
}

// prepare prepares the statements on first use (not at Open: the tables
// exist only once Migrate has run).
func (b *entryBatcher) prepare(ctx context.Context) error {
	if b.stmts != nil {
		return nil
	}
	st, err := prepareEntryStmts(ctx, b.s.wdb)
	if err != nil {
		return fmt.Errorf("prepare entry statements: %w", err)
	}
	b.stmts = st
	return nil
}

// entryStmts are the prepared statements of one save.
type entryStmts struct {
	scope, get, insert, update, complete *sql.Stmt
}

func prepareEntryStmts(ctx context.Context, db *sql.DB) (*entryStmts, error) {
	st := &entryStmts{}
	for _, p := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&st.scope, `SELECT s.state, s.completeness, c.state FROM submissions s JOIN cycles c ON c.id = s.cycle_id WHERE s.id = $1`},
		{&st.get, `SELECT ` + entryColumns + ` FROM entries WHERE submission_id = $1 AND code = $2`},
		{&st.insert, `INSERT INTO entries (submission_id, code, value, unit, level, narrative, complete, version, updated_at, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9) ON CONFLICT (submission_id, code) DO NOTHING RETURNING ` + entryColumns},
		{&st.update, `UPDATE entries SET value = $1, unit = $2, level = $3, narrative = $4, complete = $5,
			version = version + 1, updated_at = $6, updated_by = $10 WHERE submission_id = $7 AND code = $8 AND version = $9 RETURNING ` + entryColumns},
		{&st.complete, `UPDATE submissions SET updated_at = $1, completeness = $2 WHERE id = $3`},
	} {
		stmt, err := db.PrepareContext(ctx, p.query)
		if err != nil {
			st.close()
			return nil, err
		}
		*p.dst = stmt
	}
	return st, nil
}

func (st *entryStmts) close() {
	for _, s := range []*sql.Stmt{st.scope, st.get, st.insert, st.update, st.complete} {
		if s != nil {
			s.Close()
		}
	}
}

// in returns the statements bound to tx (database/sql reuses the ones
// already prepared on the writer connection).
func (st *entryStmts) in(ctx context.Context, tx *wtx) *entryStmts {
	return &entryStmts{scope: tx.StmtContext(ctx, st.scope), get: tx.StmtContext(ctx, st.get),
		insert: tx.StmtContext(ctx, st.insert), update: tx.StmtContext(ctx, st.update), complete: tx.StmtContext(ctx, st.complete)}
}

// save checks and writes one entry inside the batch's transaction. Every
// check comes before the first write, so a refusal (a *platform.Error)
// changes nothing.
func (st *entryStmts) save(ctx context.Context, tx *wtx, w platform.EntryWrite) (platform.Entry, error) {
	var subState, cycleState string
	var completeness float64
	err := st.scope.QueryRowContext(ctx, w.SubmissionID).Scan(&subState, &completeness, &cycleState)
	if errors.Is(err, sql.ErrNoRows) {
		return platform.Entry{}, platform.NotFoundf("submission %d does not exist", w.SubmissionID)
	}
	if err != nil {
		return platform.Entry{}, fmt.Errorf("read submission: %w", err)
	}
	if !platform.SubmissionState(subState).Editable() || cycleState != string(platform.CycleOpen) {
		return platform.Entry{}, entryRefusal(ctx, tx, w.SubmissionID)
	}
	e := w.Entry
	value, level, complete := entryArgs(e)
	var out platform.Entry
	wasComplete := false
	if w.Version == 0 {
		out, err = scanEntry(st.insert.QueryRowContext(ctx, w.SubmissionID, e.Code, value, e.Unit, level, e.Narrative, complete, micros(e.UpdatedAt), e.UpdatedBy))
		if errors.Is(err, sql.ErrNoRows) { // created meanwhile
			cur, gerr := scanEntry(st.get.QueryRowContext(ctx, w.SubmissionID, e.Code))
			if gerr != nil {
				return out, fmt.Errorf("read entry %s: %w", e.Code, gerr)
			}
			return out, platform.StaleVersion("entry "+e.Code+" of submission", w.SubmissionID, w.Version, cur.Version, cur)
		}
	} else {
		cur, gerr := scanEntry(st.get.QueryRowContext(ctx, w.SubmissionID, e.Code))
		switch {
		case errors.Is(gerr, sql.ErrNoRows):
			return out, platform.StaleVersion("entry "+e.Code+" of submission", w.SubmissionID, w.Version, 0, nil)
		case gerr != nil:
			return out, fmt.Errorf("read entry %s: %w", e.Code, gerr)
		case cur.Version != w.Version:
			return out, platform.StaleVersion("entry "+e.Code+" of submission", w.SubmissionID, w.Version, cur.Version, cur)
		}
		wasComplete = cur.Complete
		out, err = scanEntry(st.update.QueryRowContext(ctx, value, e.Unit, level, e.Narrative, complete,
			micros(e.UpdatedAt), w.SubmissionID, e.Code, w.Version, e.UpdatedBy))
	}
	if err != nil {
		return out, fmt.Errorf("write entry %s: %w", e.Code, err)
	}
	// The stored completeness is count/leaves for a whole count of complete
	// entries, so count = round(completeness × leaves) exactly: the update is
	// incremental, without counting the submission's entries again.
	leaves := float64(max(w.Leaves, 1))
	n := math.Round(completeness*leaves) + b2f(out.Complete) - b2f(wasComplete)
	if _, err := st.complete.ExecContext(ctx, micros(e.UpdatedAt), min(max(n, 0), leaves)/leaves, w.SubmissionID); err != nil {
		return out, fmt.Errorf("update completeness: %w", err)
	}
	return out, nil
}

// b2f is 1 for true, 0 for false.
func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
