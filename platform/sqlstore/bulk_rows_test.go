package sqlstore_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// TestBulkPilotsAndSubmissions: pilots and submissions inserted in
// multi-row statements (more rows than one statement takes) get the IDs
// the database gave each of them, and a duplicate within the input is
// refused by name with nothing stored.
func TestBulkPilotsAndSubmissions(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, s *sqlstore.Store) {
		ctx := context.Background()
		const n = 2345
		ps := make([]platform.Pilot, n)
		for i := range ps {
			ps[i] = newPilot(fmt.Sprintf("%02d%07d", 11+i%31, i), "2013")
		}
		if err := s.CreatePilots(ctx, ps); err != nil {
			t.Fatal(err)
		}
		for _, i := range []int{0, 999, 1000, 1717, n - 1} {
			got, err := s.GetPilot(ctx, ps[i].ID)
			if err != nil || got.RegionCode != ps[i].RegionCode {
				t.Fatalf("pilot %d: ID %d is %+v, %v", i, ps[i].ID, got, err)
			}
		}
		dup := []platform.Pilot{newPilot("990000001", "2014"), newPilot("990000002", "2014"), newPilot("990000001", "2014")}
		err := s.CreatePilots(ctx, dup)
		wantKind(t, err, platform.Conflict, platform.CodeDuplicate)
		if want := "region 990000001 is already a pilot of batch 2014"; err.Error() != want {
			t.Fatalf("err %q, want %q", err, want)
		}
		if _, total, _ := s.ListPilots(ctx, platform.PilotFilter{Limit: 1}); total != n {
			t.Fatalf("%d pilots after the refused import, want %d", total, n)
		}

		c, _ := fixture(t, s, 0)
		subs := make([]platform.SubmissionImport, 1500)
		for i := range subs {
			subs[i].Submission = platform.Submission{CycleID: c.ID, PilotID: ps[n-1-i].ID, State: platform.SubmissionDraft,
				Version: 1, CreatedAt: t0, UpdatedAt: t0}
		}
		if err := s.ImportSubmissions(ctx, subs); err != nil {
			t.Fatal(err)
		}
		for _, i := range []int{0, 1000, 1499} {
			got, err := s.GetSubmission(ctx, subs[i].Submission.ID)
			if err != nil || got.PilotID != ps[n-1-i].ID {
				t.Fatalf("submission %d: ID %d is %+v, %v", i, subs[i].Submission.ID, got, err)
			}
		}
		again := []platform.SubmissionImport{{Submission: platform.Submission{CycleID: c.ID, PilotID: ps[0].ID,
			State: platform.SubmissionDraft, Version: 1, CreatedAt: t0, UpdatedAt: t0}}, subs[7]}
		err = s.ImportSubmissions(ctx, again)
		wantKind(t, err, platform.Conflict, platform.CodeDuplicate)
		if _, total, _ := s.ListSubmissions(ctx, platform.SubmissionFilter{CycleID: c.ID, Limit: 1}); total != len(subs) {
			t.Fatalf("%d submissions after the refused import, want %d", total, len(subs))
		}
	})
}
