package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// TestEntryBatchStaleAmongFresh: in one group commit, the saves see each
// other in order, and a refused save (stale version, submission not
// editable, caller gone) fails alone without a trace.
func TestEntryBatchStaleAmongFresh(t *testing.T) {
	s := sqlstoretest.SQLite(t)
	ctx := context.Background()
	c, ps := fixture(t, s, 2)
	draft, err := s.CreateSubmission(ctx, platform.Submission{CycleID: c.ID, PilotID: ps[0].ID, State: platform.SubmissionDraft, Version: 1, CreatedAt: t0, UpdatedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	submitted, err := s.CreateSubmission(ctx, platform.Submission{CycleID: c.ID, PilotID: ps[1].ID, State: platform.SubmissionSubmitted, Version: 1, CreatedAt: t0, UpdatedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	t1 := t0.Add(3600e9)
	write := func(sub int64, code string, version int, v float64) platform.EntryWrite {
		return platform.EntryWrite{SubmissionID: sub, Version: version, Leaves: 4,
			Entry: platform.Entry{Code: code, Value: ptr(v), Complete: true, UpdatedAt: t1}}
	}
	gone, cancel := context.WithCancel(ctx)
	cancel()
	ws := []platform.EntryWrite{
		write(draft.ID, "1.1.1", 0, 1),     // fresh: creates v1
		write(draft.ID, "1.1.1", 0, 2),     // stale: created just before, in the same batch
		write(draft.ID, "1.1.1", 1, 3),     // fresh: updates v1 → v2
		write(submitted.ID, "1.1.1", 0, 4), // refused: not editable
		write(draft.ID, "1.1.2", 7, 5),     // stale: no such entry
		write(draft.ID, "1.1.3", 0, 6),     // caller gone before its turn
		write(draft.ID, "1.1.2", 0, 7),     // fresh: creates v1
		write(999, "1.1.1", 0, 8),          // no such submission
	}
	es, errs, ok := s.SaveEntryBatchForTest(ws, []context.Context{5: gone})
	if !ok {
		t.Fatal("no batcher on SQLite")
	}
	wantCodes := []string{"", platform.CodeStaleVersion, "", platform.CodeNotEditable, platform.CodeStaleVersion, "", "", "not_found"}
	for i, want := range wantCodes {
		if got := platform.ErrorCodeOf(errs[i]); got != want {
			t.Errorf("save %d: err %v (code %q), want code %q", i, errs[i], got, want)
		}
	}
	if !errors.Is(errs[5], context.Canceled) {
		t.Errorf("save 5: err %v, want context.Canceled", errs[5])
	}
	if es[0].Version != 1 || es[2].Version != 2 || *es[2].Value != 3 || es[6].Version != 1 {
		t.Errorf("entries: %+v", es)
	}
	if cur := errs[1].(*platform.Error).Current.(platform.Entry); cur.Version != 1 || *cur.Value != 1 {
		t.Errorf("stale save's current entry: %+v", cur)
	}
	got, err := s.GetSubmission(ctx, draft.ID)
	if err != nil || len(got.Entries) != 2 || got.Completeness != 0.5 || !got.UpdatedAt.Equal(t1) {
		t.Fatalf("draft after the batch: %+v, %v (want 2 entries, completeness 2/4)", got, err)
	}
	got, _ = s.GetSubmission(ctx, submitted.ID)
	if len(got.Entries) != 0 || !got.UpdatedAt.Equal(t0) {
		t.Fatalf("refused submission changed: %+v", got)
	}
}

// TestEntrySavesLoseNoUpdate: many writers, each owning some entries of one
// submission, save them again and again with the versions they got back;
// every save must succeed and land, and the completeness must count exactly
// the complete entries.
// On PostgreSQL it runs once more with every transaction SERIALIZABLE,
// where the writers' saves fail with SQLSTATE 40001 and must be retried.
func TestEntrySavesLoseNoUpdate(t *testing.T) {
	sqlstoretest.Each(t, entrySavesLoseNoUpdate)
	t.Run("postgres-serializable", func(t *testing.T) { entrySavesLoseNoUpdate(t, sqlstoretest.PostgresSerializable(t)) })
}

func entrySavesLoseNoUpdate(t *testing.T, s *sqlstore.Store) {
	ctx := context.Background()
	c, ps := fixture(t, s, 1)
	sub, err := s.CreateSubmission(ctx, platform.Submission{CycleID: c.ID, PilotID: ps[0].ID, State: platform.SubmissionDraft, Version: 1, CreatedAt: t0, UpdatedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	const writers, codesEach, rounds, leaves = 8, 3, 6, 30
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			versions := map[string]int{}
			for r := range rounds {
				for k := range codesEach {
					code := fmt.Sprintf("%d.%d", w, k)
					// The last round leaves entry k = 0 incomplete.
					complete := r < rounds-1 || k != 0
					e, err := s.SaveEntry(ctx, platform.EntryWrite{SubmissionID: sub.ID, Version: versions[code], Leaves: leaves,
						Entry: platform.Entry{Code: code, Value: ptr(float64(r)), Complete: complete, UpdatedAt: t0}})
					if err != nil {
						errs <- fmt.Errorf("writer %d round %d %s: %w", w, r, code, err)
						return
					}
					versions[code] = e.Version
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got, err := s.GetSubmission(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Entries) != writers*codesEach {
		t.Fatalf("%d entries, want %d", len(got.Entries), writers*codesEach)
	}
	for _, e := range got.Entries {
		if e.Version != rounds || *e.Value != rounds-1 {
			t.Errorf("entry %s: version %d value %v, want %d and %d", e.Code, e.Version, *e.Value, rounds, rounds-1)
		}
	}
	if want := float64(writers*(codesEach-1)) / leaves; got.Completeness != want {
		t.Errorf("completeness %v, want %v", got.Completeness, want)
	}
}

// TestSaveEntryRefusedWhenCycleNotOpen: the store checks the cycle's state
// inside the write.
func TestSaveEntryRefusedWhenCycleNotOpen(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		c, ps := fixture(t, s, 1)
		sub, err := s.CreateSubmission(ctx, platform.Submission{CycleID: c.ID, PilotID: ps[0].ID, State: platform.SubmissionDraft, Version: 1, CreatedAt: t0, UpdatedAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		c.State = platform.CycleClosed
		if _, err := s.UpdateCycle(ctx, c); err != nil {
			t.Fatal(err)
		}
		_, err = s.SaveEntry(ctx, platform.EntryWrite{SubmissionID: sub.ID, Leaves: 1,
			Entry: platform.Entry{Code: "1.1.1", Value: ptr(1.0), Complete: true, UpdatedAt: t0}})
		wantKind(t, err, platform.Conflict, platform.CodeCycleNotOpen)
		if cur, ok := err.(*platform.Error).Current.(platform.Cycle); !ok || cur.State != platform.CycleClosed {
			t.Fatalf("current = %+v", err.(*platform.Error).Current)
		}
		got, _ := s.GetSubmission(ctx, sub.ID)
		if len(got.Entries) != 0 {
			t.Fatalf("entries after refusal: %+v", got.Entries)
		}
	})
}

// TestCloseStopsTheWriterGoroutines: Close stops the group commit and the
// checkpointer, may be called twice, and a save after it fails cleanly.
func TestCloseStopsTheWriterGoroutines(t *testing.T) {
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, t.TempDir()+"/x.db", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}
	if _, err := s.SaveEntry(ctx, platform.EntryWrite{SubmissionID: 1, Entry: platform.Entry{Code: "1.1.1"}}); err == nil {
		t.Fatal("save after close succeeded")
	}
}

// TestEntryBatchRollbackReportsNoSuccess: when a group-commit transaction
// rolls back, no save of the batch is reported as saved — not even one that
// had run and whose caller then went away (before the fix its success was
// kept) — and nothing is stored.
func TestEntryBatchRollbackReportsNoSuccess(t *testing.T) {
	s := sqlstoretest.SQLite(t)
	ctx := context.Background()
	c, ps := fixture(t, s, 1)
	sub, err := s.CreateSubmission(ctx, platform.Submission{CycleID: c.ID, PilotID: ps[0].ID, State: platform.SubmissionDraft, Version: 1, CreatedAt: t0, UpdatedAt: t0})
	if err != nil {
		t.Fatal(err)
	}
	write := func(code string) platform.EntryWrite {
		return platform.EntryWrite{SubmissionID: sub.ID, Leaves: 4, Entry: platform.Entry{Code: code, Value: ptr(1.0), Complete: true, UpdatedAt: t0}}
	}
	leaving, cancel := context.WithCancel(ctx)
	defer cancel()
	ioFailure := errors.New("simulated I/O error")
	_, errs, ok := s.SaveEntryBatchHookForTest([]platform.EntryWrite{write("1.1.1"), write("1.1.2")},
		[]context.Context{0: leaving}, func(i int) error {
			if i == 0 {
				cancel() // the first caller goes away after its save ran
				return nil
			}
			return ioFailure // the second save's write fails: the batch rolls back
		})
	if !ok {
		t.Fatal("no batcher on SQLite")
	}
	for i, err := range errs {
		if !errors.Is(err, ioFailure) {
			t.Errorf("save %d: err %v, want the batch's failure", i, err)
		}
	}
	if !errors.Is(errs[0], context.Canceled) {
		t.Errorf("save 0: err %v does not say its caller went away", errs[0])
	}
	got, err := s.GetSubmission(ctx, sub.ID)
	if err != nil || len(got.Entries) != 0 || got.Completeness != 0 {
		t.Fatalf("after the rollback: %+v, %v (want nothing stored)", got, err)
	}
}
