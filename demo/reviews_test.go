package demo

import (
	"context"
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/region"
)

func TestSeedRunsABlindExpertRound(t *testing.T) {
	ctx := platform.WithIdentity(context.Background(), platform.Identity{User: "test-admin", Roles: []string{"admin"}})
	regions, err := region.Default()
	if err != nil {
		t.Fatal(err)
	}
	svc := newService(t)
	sum, err := Seed(ctx, svc, regions, Options{})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	accepted := sum.Submissions[platform.SubmissionAccepted]
	if sum.Reviews != 3*accepted {
		t.Fatalf("%d reviews, want 3 per accepted submission (%d)", sum.Reviews, 3*accepted)
	}
	rs, err := svc.GetReviewSettings(ctx, sum.CycleID)
	if err != nil || !rs.Blind || rs.ExpertsPerSubmission != 3 {
		t.Fatalf("settings %+v, %v", rs, err)
	}
	_, total, err := svc.ListAssignments(ctx, platform.AssignmentFilter{CycleID: sum.CycleID, State: "submitted", Limit: 1000})
	if err != nil || total != sum.Reviews {
		t.Fatalf("%d submitted reviews, want %d (%v)", total, sum.Reviews, err)
	}
	ca, err := svc.CycleAgreement(ctx, sum.CycleID)
	if err != nil || len(ca.Panels) != accepted || ca.MeanKendallW == nil {
		t.Fatalf("agreement: %d panels, %v", len(ca.Panels), err)
	}
	outliers := 0
	for _, e := range ca.Experts {
		if e.Outlier {
			outliers++
		}
	}
	if outliers != 1 {
		t.Errorf("%d outlier experts, want the one biased demo expert", outliers)
	}
	// What demo-expert-1 sees of a review is masked.
	ectx := platform.WithIdentity(ctx, platform.Identity{User: "demo-expert-1", Roles: []string{"expert"}})
	mine, _, err := svc.ListMyReviews(ectx, platform.AssignmentFilter{})
	if err != nil || len(mine) == 0 {
		t.Fatalf("demo-expert-1's reviews: %v", err)
	}
	v, err := svc.GetReview(ectx, mine[0].ID)
	if err != nil || !v.Masked || v.Pilot != nil || !strings.HasPrefix(v.Pseudonym, "匿名-") {
		t.Fatalf("expert view: %+v, %v", v, err)
	}
	returned, _, _ := svc.ListSubmissions(ctx, platform.SubmissionFilter{CycleID: sum.CycleID, State: "returned"})
	full, err := svc.GetSubmission(ctx, returned[0].ID)
	if err != nil || len(full.ReturnComments) != 1 {
		t.Errorf("returned demo submission without comments: %+v, %v", full.ReturnComments, err)
	}
}
