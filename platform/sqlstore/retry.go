package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// SQLSTATEs of transactions that failed only because of concurrent ones and
// succeed when run again from the start: serialization_failure (PostgreSQL
// at SERIALIZABLE or REPEATABLE READ; CockroachDB and YugabyteDB at any
// isolation, where it also reports a write conflict) and deadlock_detected.
// https://www.postgresql.org/docs/15/mvcc-serialization-failure-handling.html
const (
	pgSerializationFailure = "40001"
	pgDeadlockDetected     = "40P01"
)

// Retry bounds: at most maxTxAttempts runs of one transaction, sleeping a
// random time in [0, d) between them with d doubling from retryBase up to
// retryCap ("full jitter", so that the transactions that collided do not
// collide again in step). The waits add up to at most about 1.5 s
// (2+4+…+64 ms, then 100 ms each). Many attempts, short waits: a hot row
// (eight writers saving entries of one submission at SERIALIZABLE) lets one
// writer through per round, and a waiter can lose several rounds in a row.
const (
	maxTxAttempts = 20
	retryBase     = 2 * time.Millisecond
	retryCap      = 100 * time.Millisecond
)

// retryable reports whether err is a serialization failure or deadlock that
// a new run of the whole transaction can resolve.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == pgSerializationFailure || pe.Code == pgDeadlockDetected)
}

// withRetry runs fn, and runs it again after a bounded, jittered back-off
// while it fails with a retryable error, at most maxTxAttempts times in
// all. fn must be a whole transaction (or a single autocommit statement):
// nothing of a failed attempt survives it. Cancellation of ctx ends the
// waiting at once.
func withRetry(ctx context.Context, fn func() error) error {
	d := retryBase
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil || !retryable(err) {
			return err
		}
		if attempt == maxTxAttempts {
			return fmt.Errorf("gave up after %d attempts (concurrent transactions kept conflicting): %w", attempt, err)
		}
		t := time.NewTimer(rand.N(d))
		select {
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		case <-t.C:
		}
		d = min(2*d, retryCap)
	}
}

// withContextErr makes an error that happened because ctx ended say so:
// database/sql rolls a transaction back when its context is cancelled, and
// the driver then reports "transaction has already been committed or rolled
// back" or a closed connection, which do not wrap the cancellation. The
// result wraps ctx.Err() as well, so that callers can tell a client that
// went away (not a server fault) from a failure.
func withContextErr(ctx context.Context, err error) error {
	if err == nil || ctx.Err() == nil || errors.Is(err, ctx.Err()) {
		return err
	}
	return fmt.Errorf("%w (%w)", err, ctx.Err())
}
