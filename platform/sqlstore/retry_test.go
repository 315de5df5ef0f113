package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

// TestWithRetry: a serialization failure or deadlock is run again until it
// succeeds, at most maxTxAttempts times; any other error, and a cancelled
// context, end it at once.
func TestWithRetry(t *testing.T) {
	ctx := context.Background()
	conflict := fmt.Errorf("commit: %w", &pgconn.PgError{Code: "40001", Message: "could not serialize access"})
	deadlock := &pgconn.PgError{Code: "40P01", Message: "deadlock detected"}
	failing := func(n int, err error) (func() error, *int) {
		calls := 0
		return func() error {
			calls++
			if calls <= n {
				return err
			}
			return nil
		}, &calls
	}
	fn, calls := failing(3, conflict)
	if err := withRetry(ctx, fn); err != nil || *calls != 4 {
		t.Errorf("3 conflicts then success: err %v after %d calls, want nil after 4", err, *calls)
	}
	fn, calls = failing(1, deadlock)
	if err := withRetry(ctx, fn); err != nil || *calls != 2 {
		t.Errorf("deadlock then success: err %v after %d calls, want nil after 2", err, *calls)
	}
	fn, calls = failing(1000, conflict)
	if err := withRetry(ctx, fn); !retryable(err) || *calls != maxTxAttempts {
		t.Errorf("always conflicting: err %v after %d calls, want the conflict after %d", err, *calls, maxTxAttempts)
	}
	other := errors.New("disk full")
	fn, calls = failing(1000, other)
	if err := withRetry(ctx, fn); !errors.Is(err, other) || *calls != 1 {
		t.Errorf("other error: err %v after %d calls, want it after 1", err, *calls)
	}
	gone, cancel := context.WithCancel(ctx)
	cancel()
	fn, calls = failing(1000, conflict)
	if err := withRetry(gone, fn); !errors.Is(err, context.Canceled) || *calls != 1 {
		t.Errorf("cancelled: err %v after %d calls, want context.Canceled after 1", err, *calls)
	}
}

// TestWithContextErr: an error that happened while ctx was ending wraps
// ctx.Err(), so the caller can tell a client that left from a fault.
func TestWithContextErr(t *testing.T) {
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	done := errors.New("sql: transaction has already been committed or rolled back")
	if err := withContextErr(gone, done); !errors.Is(err, context.Canceled) || !errors.Is(err, done) {
		t.Errorf("got %v", err)
	}
	if err := withContextErr(context.Background(), done); err != done {
		t.Errorf("live context: got %v, want the error unchanged", err)
	}
	if err := withContextErr(gone, nil); err != nil {
		t.Errorf("nil error: got %v", err)
	}
}
