package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/sceval/sceval/platform"
)

// Deferred chaining (PostgreSQL). An entry save writes its audit row into
// audit_queue in the save's own statement (entry_pg.go), so the row commits
// or rolls back with the change in one round trip; locking a chain head
// there would make every save a transaction of five statements. The
// chainer moves queued rows into audit_log, chained and hashed exactly as
// an inline append (appendAudit, auditRecord), in queue-id order, one
// transaction per batch that also deletes the rows it moved. A committed
// change's audit row is thus queued, not yet chained, for at most the
// chainer's period; every read of the trail (list, export, verify) chains
// first, so readers see the complete chain.
//
// Several sceval processes may share a database: the chainer's transaction
// takes a transaction-scoped advisory lock (auditChainLockKey), so two
// chainers never move the same rows; the second waits, then finds the
// queue drained (under READ COMMITTED its queue read follows the lock).
// Other writes still chain inline; they and the chainer lock the chain
// heads in ascending order, so neither deadlocks the other.

// auditChainLockKey identifies the chainer's advisory lock, hashed with the
// schema like migrationLockKey.
const auditChainLockKey = "sceval.audit.chain."

// auditChainBatch bounds the rows moved by one chainer transaction.
const auditChainBatch = 1000

// auditChainPeriod is how often the background chainer runs: the longest
// a committed row stays unchained while nobody reads the trail.
const auditChainPeriod = 100 * time.Millisecond

// auditChainer runs chainQueued in the background until stopped.
type auditChainer struct {
	stop chan struct{}
	done chan struct{}
	once sync.Once
}

// startChainer starts the background chainer (PostgreSQL; once the
// tables exist: Migrate calls it).
func (s *Store) startChainer() {
	if s.dialect != dialectPostgres || s.chainer != nil {
		return
	}
	c := &auditChainer{stop: make(chan struct{}), done: make(chan struct{})}
	s.chainer = c
	go func() {
		defer close(c.done)
		t := time.NewTicker(auditChainPeriod)
		defer t.Stop()
		for {
			select {
			case <-c.stop:
				return
			case <-t.C:
				if err := s.chainQueued(context.Background()); err != nil {
					s.logger.Warn("chain queued audit rows", "err", err)
				}
			}
		}
	}()
}

// stopChainer stops the background chainer and chains what is left, so a
// clean shutdown leaves the queue empty.
func (s *Store) stopChainer() {
	c := s.chainer
	if c == nil {
		return
	}
	c.once.Do(func() {
		close(c.stop)
		<-c.done
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.chainQueued(ctx); err != nil {
			s.logger.Warn("chain queued audit rows at close", "err", err)
		}
	})
}

// chainQueued moves every queued audit row into its chain (PostgreSQL;
// nothing to do on SQLite), batch after batch until the queue is empty.
func (s *Store) chainQueued(ctx context.Context) error {
	if s.dialect != dialectPostgres {
		return nil
	}
	for {
		n, err := s.chainBatch(ctx)
		if err != nil {
			return err
		}
		if n < auditChainBatch {
			return nil
		}
	}
}

// chainBatch moves up to auditChainBatch queued rows, oldest first, in one
// transaction: they become the transaction's recorded changes, which write
// appends to their chains before the commit, as for any other change.
func (s *Store) chainBatch(ctx context.Context) (int, error) {
	var n int
	err := s.write(ctx, func(tx *wtx) error {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext($1 || current_schema()))`, auditChainLockKey); err != nil {
			return fmt.Errorf("audit chain lock: %w", err)
		}
		ids, err := queuedAudit(ctx, tx)
		if err != nil {
			return err
		}
		n = len(ids)
		if n == 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM audit_queue WHERE id = ANY($1)`, ids); err != nil {
			return fmt.Errorf("dequeue audit rows: %w", err)
		}
		return nil
	})
	return n, err
}

// queuedAudit reads the oldest queued rows into tx's recorded changes and
// returns their ids. Before and after are kept byte for byte (AuditJSON
// passes raw JSON through), as hashed.
func queuedAudit(ctx context.Context, tx *wtx) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, at, actor, address, action, object, before_json, after_json
		FROM audit_queue ORDER BY id LIMIT $1`, auditChainBatch)
	if err != nil {
		return nil, fmt.Errorf("read audit queue: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id, at int64
		var p pendingAudit
		var before, after string
		if err := rows.Scan(&id, &at, &p.actor, &p.address, &p.ev.Action, &p.ev.Object, &before, &after); err != nil {
			return nil, fmt.Errorf("read audit queue: %w", err)
		}
		p.at, p.ev.Before, p.ev.After = fromMicros(at), json.RawMessage(before), json.RawMessage(after)
		tx.audit = append(tx.audit, p)
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// queuedAuditArgs are the audit_queue column values (at, actor, address,
// action, object, before_json, after_json) of ev made with ctx now: the
// row an inline append would chain (record, auditRecord).
func queuedAuditArgs(ctx context.Context, ev platform.AuditEvent) ([]any, error) {
	before, err := platform.AuditJSON(ev.Before)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", ev.Action, ev.Object, err)
	}
	after, err := platform.AuditJSON(ev.After)
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", ev.Action, ev.Object, err)
	}
	return []any{micros(time.Now().UTC().Truncate(time.Microsecond)), bounded(platform.ActorOf(ctx), 200),
		bounded(platform.ClientAddressFrom(ctx), 200), ev.Action, ev.Object, string(before), string(after)}, nil
}
