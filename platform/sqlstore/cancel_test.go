package sqlstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// TestCancelledWritesTellTheTruth (PostgreSQL): a write whose client goes
// away either fails with an error that wraps context.Canceled — which the
// API answers as a client close (499), not a server fault — and wrote
// nothing, or, once sent, completes and reports its real outcome. Before, a
// transaction cancelled at its commit reported "transaction has already
// been committed or rolled back", which the API logged as ERROR and
// answered 500, and a cancelled autocommit statement could be stored while
// reported as failed.
func TestCancelledWritesTellTheTruth(t *testing.T) {
	s := sqlstoretest.Postgres(t)
	ctx := context.Background()
	c, ps := fixture(t, s, 3)
	subs := make([]platform.Submission, len(ps))
	for i, p := range ps {
		sub, err := s.CreateSubmission(ctx, platform.Submission{CycleID: c.ID, PilotID: p.ID, State: platform.SubmissionDraft, Version: 1, CreatedAt: t0, UpdatedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		subs[i] = sub
	}
	save := func(ctx context.Context, sub platform.Submission) error {
		_, err := s.SaveEntry(ctx, platform.EntryWrite{SubmissionID: sub.ID, Leaves: 1,
			Entry: platform.Entry{Code: "1.1.1", Value: ptr(1.0), Complete: true, UpdatedAt: t0}})
		return err
	}
	stored := func(sub platform.Submission) platform.Submission {
		got, err := s.GetSubmission(ctx, sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}

	// A save whose caller left before it was sent: cancelled, nothing stored.
	gone, cancel := context.WithCancel(ctx)
	cancel()
	if err := save(gone, subs[0]); !errors.Is(err, context.Canceled) {
		t.Errorf("save by a caller already gone: err = %v, want context.Canceled", err)
	}
	if got := stored(subs[0]); len(got.Entries) != 0 {
		t.Errorf("save by a caller already gone stored %+v", got.Entries)
	}

	// A save sent, then cancelled while it waits for the submission's row
	// lock: it completes when the lock is released and says so.
	err := cancelWhileLocked(t, s, subs[1].ID, true, func(ctx context.Context) error { return save(ctx, subs[1]) })
	if got := stored(subs[1]); err != nil || len(got.Entries) != 1 || got.Completeness != 1 {
		t.Errorf("save cancelled after it was sent: err %v, stored %+v (want success and the entry stored)", err, got)
	}

	// A transition cancelled while its UPDATE waits for the lock: the
	// transaction never commits, and the error says the caller left.
	err = cancelWhileLocked(t, s, subs[2].ID, false, func(ctx context.Context) error {
		_, err := s.TransitionSubmission(ctx, platform.SubmissionTransition{ID: subs[2].ID, Version: subs[2].Version,
			Transition: platform.Transition{From: platform.SubmissionDraft, To: platform.SubmissionSubmitted, Actor: "t", At: t0}})
		return err
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled submit: err = %v, want one wrapping context.Canceled", err)
	}
	if got := stored(subs[2]); got.State != platform.SubmissionDraft || got.Version != 1 {
		t.Errorf("cancelled submit changed the submission: %+v", got)
	}
}

// cancelWhileLocked runs call while another transaction holds the
// submission's row lock and cancels call's context once the database
// reports a session waiting for a lock. It then releases the lock and
// waits for call (release first: a call that does not stop when cancelled),
// or waits for call to return and then releases the lock; it returns call's
// error.
func cancelWhileLocked(t *testing.T, s *sqlstore.Store, subID int64, releaseFirst bool, call func(context.Context) error) error {
	t.Helper()
	ctx := context.Background()
	holder, err := s.BeginForTest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Rollback()
	if _, err := holder.ExecContext(ctx, `SELECT id FROM submissions WHERE id = $1 FOR UPDATE`, subID); err != nil {
		t.Fatal(err)
	}
	callCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- call(callCtx) }()
	for deadline := time.Now().Add(10 * time.Second); ; {
		waiting, err := s.WaitingOnLockForTest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if waiting {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the call never waited for the row lock")
		}
	}
	cancel()
	if releaseFirst {
		holder.Rollback()
	}
	return <-done
}
