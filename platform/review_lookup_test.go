package platform_test

import (
	"context"
	"testing"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// With no AssignmentLookup configured, the review store's experts and
// assignments decide the expert's "assigned" scope: the expert whose
// username is the caller's user name reads a submission assigned to it
// when the cycle is not blind; never in a blind cycle, never one assigned
// to nobody, and never under another user name.
func TestDefaultAssignmentLookup(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		svc := newServiceWith(t, store, platform.ServiceOptions{}, nil)
		admin := adminContext()
		p, err := svc.CreatePilot(admin, platform.Pilot{RegionCode: "130100", Name: "石家庄市", Batch: "2013-1", Type: platform.PilotCity})
		if err != nil {
			t.Fatal(err)
		}
		q, err := svc.CreatePilot(admin, platform.Pilot{RegionCode: "330100", Name: "杭州市", Batch: "2013-1", Type: platform.PilotCity})
		if err != nil {
			t.Fatal(err)
		}
		c := openCycle(t, svc)
		a, err := svc.CreateSubmission(admin, c.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		b, err := svc.CreateSubmission(admin, c.ID, q.ID)
		if err != nil {
			t.Fatal(err)
		}
		e, err := svc.CreateExpert(admin, platform.Expert{Name: "张三", ProvinceCode: "32", Username: "zhang", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.CreateAssignments(admin, []platform.Assignment{{CycleID: c.ID, SubmissionID: a.ID, ExpertID: e.ID,
			Pseudonym: "P-1", State: platform.ReviewDraft}}); err != nil {
			t.Fatal(err)
		}
		zhang := svc.Bind(context.Background(), platform.Identity{User: "zhang", Roles: []string{"expert"}})
		li := svc.Bind(context.Background(), platform.Identity{User: "li", Roles: []string{"expert"}})
		read := func(ctx context.Context, id int64) platform.ErrorKind {
			_, err := svc.GetSubmission(ctx, id)
			if err != nil && platform.ErrorKindOf(err) == "" {
				t.Fatalf("submission %d: %v", id, err)
			}
			return platform.ErrorKindOf(err)
		}
		// The default settings are blind: the submission stays hidden.
		if k := read(zhang, a.ID); k != platform.NotFound {
			t.Fatalf("assigned submission of a blind cycle: kind %q, want not found", k)
		}
		rs := platform.DefaultReviewSettings(c.ID)
		rs.Blind = false
		if _, err := svc.PutReviewSettings(admin, rs); err != nil {
			t.Fatal(err)
		}
		if k := read(zhang, a.ID); k != "" {
			t.Errorf("assigned submission of an open (not blind) cycle: kind %q, want allowed", k)
		}
		if k := read(zhang, b.ID); k != platform.NotFound {
			t.Errorf("submission assigned to nobody: kind %q, want not found", k)
		}
		if k := read(li, a.ID); k != platform.NotFound {
			t.Errorf("another expert user: kind %q, want not found", k)
		}
	})
}
