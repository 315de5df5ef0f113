package sqlstore_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// auditRun drives a scripted session through the service — pilots, a cycle
// and its transitions, submissions with entries saved concurrently, a return
// with comments, a forward, an acceptance, an expert and its settings — and
// returns the service and the number of changes made.
func auditRun(t *testing.T, store *sqlstore.Store) (*platform.Service, int) {
	t.Helper()
	ctx := platform.WithIdentity(platform.WithClientAddress(context.Background(), "192.0.2.7"), platform.Identity{User: "审核员", Roles: []string{"admin"}})
	svc := platform.NewService(store, nil, platform.BuiltinFrameworks{}, platform.ServiceOptions{})
	changes := 0
	must := func(err error) {
		t.Helper()
		changes++
		if err != nil {
			t.Fatal(err)
		}
	}
	c, err := svc.CreateCycle(ctx, platform.Cycle{Name: "审计", Kind: platform.CycleAnnualMonitoring, Year: 2014, FrameworkID: "mohurd-2012",
		MinCompleteness: ptr(0.0)}) // partial submissions: completeness has its own tests
	must(err)
	c, err = svc.TransitionCycle(ctx, c.ID, c.Version, platform.CycleOpen)
	must(err)
	var subs []platform.Submission
	for i := range 4 {
		p, err := svc.CreatePilot(ctx, platform.Pilot{RegionCode: fmt.Sprintf("1301%02d", 2+i), Name: fmt.Sprintf("区%d", i), Batch: "2013", Type: platform.PilotDistrict})
		must(err)
		sub, err := svc.CreateSubmission(ctx, c.ID, p.ID)
		must(err)
		subs = append(subs, sub)
	}
	// Concurrent saves: the chain must not fork (PostgreSQL serialises the
	// appenders on the head row; SQLite has one writer).
	codes := []string{"1.1.1", "1.1.2", "1.1.3", "1.1.4", "1.1.5"}
	var wg sync.WaitGroup
	errs := make(chan error, len(subs)*len(codes))
	for _, sub := range subs {
		for _, code := range codes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := svc.SaveEntry(ctx, sub.ID, code, platform.EntryInput{Level: ptrInt(3)})
				errs <- err
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		must(err)
	}
	for i, sub := range subs {
		sub, err = svc.TransitionSubmission(ctx, sub.ID, sub.Version, platform.SubmissionSubmitted, "")
		must(err)
		if i == 0 {
			sub, err = svc.ReviewSubmission(ctx, sub.ID, platform.TransitionRequest{Version: sub.Version, To: platform.SubmissionReturned,
				Reason: "补充材料", Comments: []platform.IndicatorComment{{Code: "1.1.1", Comment: "缺附件"}}})
			must(err)
			continue
		}
		sub, err = svc.TransitionSubmission(ctx, sub.ID, sub.Version, platform.SubmissionForwarded, "")
		must(err)
		_, err = svc.TransitionSubmission(ctx, sub.ID, sub.Version, platform.SubmissionAccepted, "")
		must(err)
	}
	_, err = svc.ComputeResults(ctx, c.ID)
	must(err)
	e, err := svc.CreateExpert(ctx, platform.Expert{Name: "专家", ProvinceCode: "32", Active: true})
	must(err)
	e.ConflictProvinces = []string{"11"}
	_, err = svc.UpdateExpert(ctx, e)
	must(err)
	_, err = svc.PutReviewSettings(ctx, platform.DefaultReviewSettings(c.ID))
	must(err)
	return svc, changes
}

func ptrInt(v int) *int { return &v }

func TestAuditChainVerifiesAndNamesTamperedRows(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		ctx := platform.WithIdentity(context.Background(), platform.Identity{User: "审核员", Roles: []string{"admin"}})
		svc, changes := auditRun(t, store)
		v, err := platform.VerifyAuditChain(ctx, store)
		if err != nil || !v.OK || v.Rows != int64(changes) {
			t.Fatalf("verify after %d changes: %+v, %v", changes, v, err)
		}
		used := 0
		for _, h := range v.Heads {
			if h.Seq > 0 {
				used++
			}
		}
		if used < 4 {
			t.Errorf("the changes went to %d chains, want them spread", used)
		}
		rows, total, err := svc.ListAudit(ctx, platform.AuditFilter{Object: "cycle/1", Limit: 100})
		var actions []string
		for _, r := range rows {
			actions = append(actions, r.Action)
		}
		if err != nil || total != 4 || strings.Join(actions, " ") != "cycle.create cycle.transition.open cycle.results.compute review.settings.update" ||
			rows[0].Address != "192.0.2.7" || rows[0].Actor != "审核员" {
			t.Fatalf("cycle rows %d: %v, %v", total, actions, err)
		}
		if !strings.Contains(string(rows[1].Before), `"state":"draft"`) || !strings.Contains(string(rows[1].After), `"state":"open"`) {
			t.Errorf("before/after of the opening: %s → %s", rows[1].Before, rows[1].After)
		}
		if _, n, _ := svc.ListAudit(ctx, platform.AuditFilter{Actor: "someone else"}); n != 0 {
			t.Errorf("rows of someone else: %d", n)
		}

		// An edited row is named.
		all, _, err := svc.ListAudit(ctx, platform.AuditFilter{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		k := all[len(all)/2]
		if err := store.ExecForTest(ctx, `UPDATE audit_log SET after_json = '{"state":"accepted"}' WHERE id = $1`, k.ID); err != nil {
			t.Fatal(err)
		}
		if v, _ := platform.VerifyAuditChain(ctx, store); v.OK || v.BrokenID != k.ID || v.BrokenChain != k.Chain || v.BrokenPosition != k.ChainSeq ||
			!strings.Contains(v.Problem, "altered") {
			t.Fatalf("after editing row %d (chain %d, %d): %+v", k.ID, k.Chain, k.ChainSeq, v)
		}
		// A deleted row is named by its place (the edited one goes).
		if err := store.ExecForTest(ctx, `DELETE FROM audit_log WHERE id = $1`, k.ID); err != nil {
			t.Fatal(err)
		}
		if v, _ := platform.VerifyAuditChain(ctx, store); v.OK || v.BrokenChain != k.Chain || v.BrokenPosition != k.ChainSeq ||
			!strings.Contains(v.Problem, "missing") {
			t.Fatalf("after deleting row %d (chain %d, %d): %+v", k.ID, k.Chain, k.ChainSeq, v)
		}
	})
}

func TestAuditChainNamesTheDeletedLastRow(t *testing.T) {
	store := sqlstoretest.SQLite(t)
	ctx := platform.WithIdentity(context.Background(), platform.Identity{User: "审核员", Roles: []string{"admin"}})
	svc, _ := auditRun(t, store)
	all, total, err := svc.ListAudit(ctx, platform.AuditFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	last := all[total-1]
	if err := store.ExecForTest(ctx, `DELETE FROM audit_log WHERE id = $1`, last.ID); err != nil {
		t.Fatal(err)
	}
	if v, _ := platform.VerifyAuditChain(ctx, store); v.OK || v.BrokenChain != last.Chain || v.BrokenPosition != last.ChainSeq {
		t.Fatalf("after deleting the last row %+v: %+v", last, v)
	}
}

func TestFailedWriteLeavesNoAuditRow(t *testing.T) {
	store := sqlstoretest.SQLite(t)
	ctx := platform.WithIdentity(context.Background(), platform.Identity{User: "审核员", Roles: []string{"admin"}})
	svc := platform.NewService(store, nil, platform.BuiltinFrameworks{}, platform.ServiceOptions{})
	p, err := svc.CreatePilot(ctx, platform.Pilot{RegionCode: "130102", Name: "长安区", Batch: "2013", Type: platform.PilotDistrict})
	if err != nil {
		t.Fatal(err)
	}
	// A duplicate region in the same batch fails inside the transaction.
	if _, err := svc.CreatePilot(ctx, platform.Pilot{RegionCode: "130102", Name: "长安区", Batch: "2013", Type: platform.PilotDistrict}); err == nil {
		t.Fatal("duplicate accepted")
	}
	p.Name = "长安区（改）"
	if _, err := store.UpdatePilot(ctx, platform.Pilot{ID: p.ID, Version: 99, RegionCode: p.RegionCode, ProvinceCode: "13", Name: "x", Batch: "2013",
		Type: platform.PilotDistrict, Status: platform.PilotActive}, "test"); platform.ErrorCodeOf(err) != platform.CodeStaleVersion {
		t.Fatalf("stale update: %v", err)
	}
	if v, err := platform.VerifyAuditChain(ctx, store); err != nil || !v.OK || v.Rows != 1 {
		t.Fatalf("verify: %+v, %v (want exactly the one creation)", v, err)
	}
}
