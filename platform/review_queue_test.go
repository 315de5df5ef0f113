package platform_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/blob"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
	"github.com/sceval/sceval/region"
)

// The review queues filter submissions by pilot type, batch and overdue
// (as OverduePilots counts them), within the caller's scope.
func TestSubmissionQueueFilters(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		// The submits happen at now (2025-06-30 12:00 UTC), the cycle is due
		// an hour later, and the lists are read a day after that.
		due := now.Add(time.Hour)
		svc, ctx, c := rulesFixture(t, store, platform.Cycle{MinCompleteness: ptr(0.0)})
		// Submitted in time: not overdue, even once returned.
		inTime := pilotWith(t, svc, ctx, c, "110105", nil) // district, batch 2013
		inTime = moveTo(t, svc, ctx, inTime, platform.SubmissionSubmitted)
		if _, err := svc.ReviewSubmission(ctx, inTime.ID, platform.TransitionRequest{Version: inTime.Version,
			To: platform.SubmissionReturned, Reason: "补充材料"}); err != nil {
			t.Fatal(err)
		}
		late := pilotWith(t, svc, ctx, c, "110106", nil)
		extended := pilotWith(t, svc, ctx, c, "110107", nil)
		town, err := svc.CreatePilot(ctx, platform.Pilot{RegionCode: "110108001", Name: "海淀试点", Batch: "2014", Type: platform.PilotTown})
		if err != nil {
			t.Fatal(err)
		}
		townSub, _ := svc.CreateSubmission(ctx, c.ID, town.ID)
		townSub = moveTo(t, svc, ctx, townSub, platform.SubmissionSubmitted)
		// The due date is set after the submits (moved back in time).
		c, _ = svc.GetCycle(ctx, c.ID)
		c.DueAt = &due
		if c, err = svc.UpdateCycle(ctx, c); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.GrantExtension(ctx, c.ID, extended.PilotID, "2025-07-15", "暴雨"); err != nil {
			t.Fatal(err)
		}
		svc = serviceAt(t, store, now.AddDate(0, 0, 1))
		ids := func(f platform.SubmissionFilter) []int64 {
			t.Helper()
			list, n, err := svc.ListSubmissions(ctx, f)
			if err != nil || n != len(list) {
				t.Fatalf("%+v: %d %v", f, n, err)
			}
			var out []int64
			for _, s := range list {
				out = append(out, s.ID)
			}
			return out
		}
		if got := ids(platform.SubmissionFilter{CycleID: c.ID, Overdue: true}); !slices.Equal(got, []int64{late.ID}) {
			t.Errorf("overdue: %v, want [%d]", got, late.ID)
		}
		overdue, _, _ := svc.OverduePilots(ctx, c.ID, 0, 0)
		if len(overdue) != 1 || overdue[0].SubmissionID != late.ID {
			t.Errorf("OverduePilots disagrees: %+v", overdue)
		}
		if got := ids(platform.SubmissionFilter{PilotType: "town"}); !slices.Equal(got, []int64{townSub.ID}) {
			t.Errorf("type town: %v", got)
		}
		if got := ids(platform.SubmissionFilter{Batch: "2013", State: "draft"}); !slices.Equal(got, []int64{late.ID, extended.ID}) {
			t.Errorf("batch 2013 drafts: %v", got)
		}
		_, _, err = svc.ListSubmissions(ctx, platform.SubmissionFilter{PilotType: "village"})
		wantErr(t, err, platform.Invalid, platform.CodeBadValue, `pilot type "village"`)
		// A province user's overdue queue is still its own province's.
		prov := platform.WithIdentity(context.Background(), platform.Identity{User: "p", Roles: []string{"province"}, Province: "12"})
		prov = svc.Bind(prov, platform.IdentityFrom(prov))
		if got := ids(platform.SubmissionFilter{Overdue: true}); len(got) != 1 {
			t.Fatalf("admin overdue: %v", got)
		}
		if list, _, err := svc.ListSubmissions(prov, platform.SubmissionFilter{Overdue: true}); err != nil || len(list) != 0 {
			t.Errorf("another province's overdue: %+v, %v", list, err)
		}
	})
}

// serviceAt is newServiceWith on store with its clock at at.
func serviceAt(t *testing.T, store *sqlstore.Store, at time.Time) *platform.Service {
	t.Helper()
	fw, diags := framework.Parse("tiny.yaml", []byte(testFramework))
	if diags.HasErrors() {
		t.Fatalf("test framework: %v", diags)
	}
	blobs, err := blob.NewFS(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return platform.NewService(store, blobs, frameworks{fw}, platform.ServiceOptions{Now: func() time.Time { return at }})
}

// A blind review hides the pilot's region and every region above it, with
// or without the administrative suffix ("河北" for 河北省, "石家庄" for
// 石家庄市), but not generic words such as 市辖区.
func TestBlindMaskCoversTheRegionChain(t *testing.T) {
	reg, err := region.Default()
	if err != nil {
		t.Fatal(err)
	}
	svc := platform.NewService(sqlstoretest.SQLite(t), blobsOf(t), panelFrameworksFor(t), platform.ServiceOptions{Regions: reg})
	c, err := svc.CreateCycle(admin, platform.Cycle{Name: "盲评", Kind: platform.CycleApplicationReview, Year: 2013, FrameworkID: "panel",
		MinCompleteness: ptr(0.0)})
	if err != nil {
		t.Fatal(err)
	}
	c, _ = svc.TransitionCycle(admin, c.ID, c.Version, platform.CycleOpen)
	p, err := svc.CreatePilot(admin, platform.Pilot{RegionCode: "130102", Name: "长安区试点", Batch: "2013", Type: platform.PilotDistrict})
	if err != nil {
		t.Fatal(err)
	}
	sub, _ := svc.CreateSubmission(admin, c.ID, p.ID)
	narrative := "河北省石家庄市长安区（长安、石家庄、河北）的市辖区平台。"
	if _, err := svc.SaveEntry(admin, sub.ID, "G1.1", platform.EntryInput{Value: ptr(70.0), Narrative: narrative}); err != nil {
		t.Fatal(err)
	}
	sub, _ = svc.GetSubmission(admin, sub.ID)
	moveTo(t, svc, admin, sub, platform.SubmissionSubmitted, platform.SubmissionForwarded)
	if _, err := svc.CreateExpert(admin, platform.Expert{Name: "专家", ProvinceCode: "32", Username: "chain", Active: true}); err != nil {
		t.Fatal(err)
	}
	rs := platform.DefaultReviewSettings(c.ID)
	rs.ExpertsPerSubmission = 1
	if _, err := svc.PutReviewSettings(admin, rs); err != nil {
		t.Fatal(err)
	}
	res, err := svc.AssignExperts(admin, c.ID)
	if err != nil || len(res.Created) != 1 {
		t.Fatalf("assign: %+v, %v", res, err)
	}
	v, err := svc.GetReview(expertCtx("chain"), res.Created[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	got := v.Entries[0].Narrative
	for _, w := range []string{"河北", "石家庄", "长安"} {
		if strings.Contains(got, w) {
			t.Errorf("masked narrative %q still names %s", got, w)
		}
	}
	if !strings.Contains(got, "市辖区平台") || !strings.Contains(got, v.Pseudonym) {
		t.Errorf("masked narrative %q: want the pseudonym and the generic words kept", got)
	}
}

// CheckReview answers as ReviewSubmission would and changes nothing; the
// deadline of a submission agrees with OverduePilots.
func TestCheckReviewAndSubmissionDeadline(t *testing.T) {
	store := sqlstoretest.SQLite(t)
	svc, ctx, c := rulesFixture(t, store, platform.Cycle{MinCompleteness: ptr(0.0)})
	sub := moveTo(t, svc, ctx, pilotWith(t, svc, ctx, c, "110105", nil), platform.SubmissionSubmitted)
	_, err := svc.CheckReview(ctx, sub.ID, platform.TransitionRequest{Version: sub.Version, To: platform.SubmissionReturned, Reason: " "})
	wantErr(t, err, platform.Invalid, platform.CodeReasonRequired, "needs a reason")
	_, err = svc.CheckReview(ctx, sub.ID, platform.TransitionRequest{Version: sub.Version - 1, To: platform.SubmissionForwarded})
	wantErr(t, err, platform.Conflict, platform.CodeStaleVersion, "")
	_, err = svc.CheckReview(ctx, sub.ID, platform.TransitionRequest{Version: sub.Version, To: platform.SubmissionReturned, Reason: "补充",
		Comments: []platform.IndicatorComment{{Code: "A", Comment: "x"}}})
	wantErr(t, err, platform.Invalid, platform.CodeUnknownIndicator, `comment on "A"`)
	got, err := svc.CheckReview(ctx, sub.ID, platform.TransitionRequest{Version: sub.Version, To: platform.SubmissionReturned, Reason: "补充",
		Comments: []platform.IndicatorComment{{Code: "A.1", Comment: "数据来源？"}}})
	if err != nil || got.State != platform.SubmissionSubmitted || got.Version != sub.Version {
		t.Fatalf("check: %+v, %v", got, err)
	}
	if after, _ := svc.GetSubmission(ctx, sub.ID); after.State != platform.SubmissionSubmitted || len(after.History) != 1 {
		t.Fatalf("a check changed the submission: %+v", after)
	}

	d, err := svc.GetSubmissionDeadline(ctx, sub.ID)
	if err != nil || d.DueAt != nil || d.Overdue {
		t.Fatalf("no due date: %+v, %v", d, err)
	}
	due := now.Add(time.Hour)
	c, _ = svc.GetCycle(ctx, c.ID)
	c.DueAt = &due
	if _, err := svc.UpdateCycle(ctx, c); err != nil {
		t.Fatal(err)
	}
	draft := pilotWith(t, svc, ctx, c, "110106", nil)
	if _, err := svc.GrantExtension(ctx, c.ID, draft.PilotID, "2025-07-02", "停电"); err != nil {
		t.Fatal(err)
	}
	later := serviceAt(t, store, now.AddDate(0, 0, 1))
	d, err = later.GetSubmissionDeadline(ctx, draft.ID)
	if err != nil || d.Overdue || d.Extension == nil || d.Extension.Reason != "停电" ||
		d.DueAt.Format(time.RFC3339) != "2025-07-02T23:59:59+08:00" || !d.CycleDueAt.Equal(due) {
		t.Fatalf("extended: %+v, %v", d, err)
	}
	d, _ = serviceAt(t, store, now.AddDate(0, 0, 3)).GetSubmissionDeadline(ctx, draft.ID)
	if !d.Overdue {
		t.Errorf("past the extension: %+v", d)
	}
	if d, _ := later.GetSubmissionDeadline(ctx, sub.ID); d.Overdue {
		t.Errorf("a submitted submission is overdue: %+v", d)
	}
}
