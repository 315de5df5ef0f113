package sqlstore_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// queueFixture opens a cycle with one submission and returns the service,
// the context and the submission.
func queueFixture(t *testing.T, store *sqlstore.Store) (*platform.Service, context.Context, platform.Submission) {
	t.Helper()
	ctx := platform.WithIdentity(context.Background(), platform.Identity{User: "test-admin", Roles: []string{"admin"}})
	svc := platform.NewService(store, nil, platform.BuiltinFrameworks{}, platform.ServiceOptions{})
	c, err := svc.CreateCycle(ctx, platform.Cycle{Name: "队列", Kind: platform.CycleAnnualMonitoring, Year: 2014, FrameworkID: "mohurd-2012",
		MinCompleteness: ptr(0.0)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.TransitionCycle(ctx, c.ID, c.Version, platform.CycleOpen); err != nil {
		t.Fatal(err)
	}
	p, err := svc.CreatePilot(ctx, platform.Pilot{RegionCode: "130102", Name: "长安区", Batch: "2013", Type: platform.PilotDistrict})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := svc.CreateSubmission(ctx, c.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	return svc, ctx, sub
}

// A PostgreSQL save's audit row is queued by the save's statement, holds
// the JSON of the stored entry, and is chained by the next read of the
// trail (the background chainer is stopped, so only the read chains it).
func TestQueuedEntrySaveIsChainedBeforeReads(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		store.StopChainerForTest()
		svc, ctx, sub := queueFixture(t, store)
		first, err := svc.SaveEntry(ctx, sub.ID, "1.1.1", platform.EntryInput{Level: ptrInt(3), Narrative: "初稿"})
		if err != nil {
			t.Fatal(err)
		}
		second, err := svc.SaveEntry(ctx, sub.ID, "1.1.1", platform.EntryInput{Version: first.Version, Level: ptrInt(4), Narrative: "修订"})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{mustJSON(t, first), mustJSON(t, second)}
		queued, err := store.QueuedAuditForTest(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if store.Dialect() == "postgres" && fmt.Sprint(queued) != fmt.Sprint(want) {
			t.Fatalf("queued after JSON %q, want the stored entries %q", queued, want)
		}
		if store.Dialect() == "sqlite" && len(queued) != 0 {
			t.Fatalf("SQLite queued %d rows: it chains inline", len(queued))
		}
		rows, total, err := svc.ListAudit(ctx, platform.AuditFilter{Object: fmt.Sprintf("submission/%d/entry/1.1.1", sub.ID), Limit: 10})
		if err != nil || total != 2 {
			t.Fatalf("list right after the saves: %d rows, %v", total, err)
		}
		if string(rows[0].After) != want[0] || string(rows[1].After) != want[1] || string(rows[0].Before) != "null" ||
			string(rows[1].Before) != fmt.Sprintf(`{"version":%d}`, first.Version) || rows[1].Actor != "test-admin" {
			t.Fatalf("chained rows: %s → %s, %s → %s", rows[0].Before, rows[0].After, rows[1].Before, rows[1].After)
		}
		if queued, _ := store.QueuedAuditForTest(ctx); len(queued) != 0 {
			t.Fatalf("%d rows still queued after a read", len(queued))
		}
		// Cycle create and open, pilot, submission, the two saves.
		if v, err := platform.VerifyAuditChain(ctx, store); err != nil || !v.OK || v.Rows != 6 {
			t.Fatalf("verify: %+v, %v", v, err)
		}
	})
}

// A refused or stale save writes no audit row, queued or chained.
func TestRefusedEntrySaveQueuesNothing(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		store.StopChainerForTest()
		svc, ctx, sub := queueFixture(t, store)
		e, err := svc.SaveEntry(ctx, sub.ID, "1.1.1", platform.EntryInput{Level: ptrInt(3)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SaveEntry(ctx, sub.ID, "1.1.1", platform.EntryInput{Version: e.Version + 5, Level: ptrInt(2)}); platform.ErrorCodeOf(err) != platform.CodeStaleVersion {
			t.Fatalf("stale save: %v", err)
		}
		if _, err := store.SaveEntry(ctx, platform.EntryWrite{SubmissionID: sub.ID + 100, Leaves: 57,
			Entry: platform.Entry{Code: "1.1.2", UpdatedAt: e.UpdatedAt}}); err == nil {
			t.Fatal("save to a missing submission accepted")
		}
		if _, err := svc.TransitionSubmission(ctx, sub.ID, sub.Version, platform.SubmissionSubmitted, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SaveEntry(ctx, sub.ID, "1.1.2", platform.EntryInput{Level: ptrInt(2)}); platform.ErrorCodeOf(err) != platform.CodeNotEditable {
			t.Fatalf("save to a submitted submission: %v", err)
		}
		queued, err := store.QueuedAuditForTest(ctx)
		if err != nil || len(queued) > 1 {
			t.Fatalf("queued %q, %v: want at most the one accepted save", queued, err)
		}
		// cycle create and open, pilot, submission, the save, the submit.
		if v, err := platform.VerifyAuditChain(ctx, store); err != nil || !v.OK || v.Rows != 6 {
			t.Fatalf("verify: %+v, %v", v, err)
		}
	})
}

// Two stores on one schema (two sceval processes), each with its background
// chainer, saving concurrently while both chain on demand: no row is
// chained twice or lost, and chaining again changes nothing.
func TestTwoChainersOnOneSchema(t *testing.T) {
	dsn := sqlstoretest.PostgresDSN(t, nil)
	a, b := sqlstoretest.OpenUnmigrated(t, dsn), sqlstoretest.OpenUnmigrated(t, dsn)
	for _, s := range []*sqlstore.Store{a, b} {
		if err := s.Migrate(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	svcA, ctx, sub := queueFixture(t, a)
	svcB := platform.NewService(b, nil, platform.BuiltinFrameworks{}, platform.ServiceOptions{})
	codes := []string{"1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5", "1.2.1", "1.2.2", "1.2.3"}
	var wg sync.WaitGroup
	errs := make(chan error, 4*len(codes))
	for i, code := range codes {
		svc, store := svcA, a
		if i%2 == 1 {
			svc, store = svcB, b
		}
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, err := svc.SaveEntry(ctx, sub.ID, code, platform.EntryInput{Level: ptrInt(3)})
			errs <- err
		}()
		go func() {
			defer wg.Done()
			errs <- store.ChainQueuedForTest(ctx)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	want := int64(4 + len(codes))
	for _, s := range []*sqlstore.Store{a, b, a} {
		if err := s.ChainQueuedForTest(ctx); err != nil {
			t.Fatal(err)
		}
		if v, err := platform.VerifyAuditChain(ctx, s); err != nil || !v.OK || v.Rows != want {
			t.Fatalf("verify: %+v, %v (want %d rows)", v, err, want)
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
