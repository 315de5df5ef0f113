package platform_test

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/blob"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// panelFramework has six expert leaves in two groups: one per target of
// Shrout & Fleiss's example.
const panelFramework = `id: panel
version: "1"
name: {zh: 专家评审, en: Panel}
indicators:
  - code: G1
    name: 一
    children:
      - {code: G1.1, name: 一一, kind: expert}
      - {code: G1.2, name: 一二, kind: expert}
      - {code: G1.3, name: 一三, kind: expert}
  - code: G2
    name: 二
    children:
      - {code: G2.1, name: 二一, kind: expert}
      - {code: G2.2, name: 二二, kind: expert}
      - {code: G2.3, name: 二三, kind: expert}
`

var panelLeaves = []string{"G1.1", "G1.2", "G1.3", "G2.1", "G2.2", "G2.3"}

// shroutFleissTable2 is Shrout & Fleiss (1979), "Intraclass correlations:
// uses in assessing rater reliability", Psychol. Bull. 86(2):420–428,
// Table 2: four judges (rows) rating six targets (columns) on 1–10.
var shroutFleissTable2 = [][]float64{
	{9, 6, 8, 7, 10, 6},
	{2, 1, 4, 1, 5, 2},
	{5, 3, 6, 2, 6, 4},
	{8, 2, 8, 6, 9, 7},
}

type panelFrameworks struct{ fw *framework.Framework }

func (f panelFrameworks) Framework(id string) (*framework.Framework, error) {
	if id == "panel" {
		return f.fw.Clone(), nil
	}
	return platform.BuiltinFrameworks{}.Framework(id)
}

// panelService is a service on store with the panel framework.
func panelService(t *testing.T, store *sqlstore.Store) *platform.Service {
	t.Helper()
	return platform.NewService(store, blobsOf(t), panelFrameworksFor(t), platform.ServiceOptions{Now: func() time.Time { return now }})
}

// panelFrameworksFor parses the panel framework.
func panelFrameworksFor(t *testing.T) panelFrameworks {
	t.Helper()
	fw, diags := framework.Parse("panel.yaml", []byte(panelFramework))
	if diags.HasErrors() {
		t.Fatalf("panel framework: %v", diags)
	}
	return panelFrameworks{fw}
}

// blobsOf is a blob store in a temporary directory.
func blobsOf(t *testing.T) *blob.FS {
	t.Helper()
	blobs, err := blob.NewFS(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return blobs
}

// expertCtx is the context of the expert linked to user name u.
func expertCtx(u string) context.Context {
	return platform.WithIdentity(context.Background(), platform.Identity{User: u, Roles: []string{"expert"}})
}

// panelRound creates a pilot of 河北 (13) with a forwarded submission in a
// blind cycle of the panel framework, four experts of other provinces and
// the settings given, and assigns them.
func panelRound(t *testing.T, svc *platform.Service, rs platform.ReviewSettings) (platform.Cycle, platform.Submission, []platform.Expert, []platform.Assignment) {
	t.Helper()
	c, err := svc.CreateCycle(admin, platform.Cycle{Name: "专家评审", Kind: platform.CycleApplicationReview, Year: 2013, FrameworkID: "panel",
		MinCompleteness: ptr(0.0)}) // partial submissions: completeness has its own tests
	if err != nil {
		t.Fatal(err)
	}
	if c, err = svc.TransitionCycle(admin, c.ID, c.Version, platform.CycleOpen); err != nil {
		t.Fatal(err)
	}
	p, err := svc.CreatePilot(admin, platform.Pilot{RegionCode: "130100", Name: "石家庄市", Batch: "2013", Type: platform.PilotCity})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := svc.CreateSubmission(admin, c.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, to := range []platform.SubmissionState{platform.SubmissionSubmitted, platform.SubmissionForwarded} {
		if sub, err = svc.TransitionSubmission(admin, sub.ID, sub.Version, to, ""); err != nil {
			t.Fatal(err)
		}
	}
	var experts []platform.Expert
	for i, prov := range []string{"32", "33", "44", "51", "13"} {
		e, err := svc.CreateExpert(admin, platform.Expert{Name: fmt.Sprintf("专家%d", i+1), ProvinceCode: prov,
			Organisation: "大学", Username: fmt.Sprintf("expert%d", i+1), Active: true})
		if err != nil {
			t.Fatal(err)
		}
		experts = append(experts, e)
	}
	rs.CycleID = c.ID
	if _, err := svc.PutReviewSettings(admin, rs); err != nil {
		t.Fatal(err)
	}
	res, err := svc.AssignExperts(admin, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return c, sub, experts, res.Created
}

// scoreRow submits judge's row of Table 2 (×10, on 0–100) as the review of
// assignment a by the expert linked to user.
func scoreRow(t *testing.T, svc *platform.Service, a platform.Assignment, user string, row []float64) {
	t.Helper()
	ctx := expertCtx(user)
	scores := make([]platform.ReviewScore, len(row))
	for j, v := range row {
		scores[j] = platform.ReviewScore{Code: panelLeaves[j], Score: ptr(10 * v), Comment: "依据充分"}
	}
	out, err := svc.SaveReview(ctx, a.ID, a.Version, scores)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SubmitReview(ctx, a.ID, out.Version); err != nil {
		t.Fatal(err)
	}
}

func TestExpertReviewAgreementAgainstShroutFleiss(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		svc := panelService(t, store)
		rs := platform.DefaultReviewSettings(0)
		rs.ExpertsPerSubmission, rs.OutlierPoints, rs.ExpertMode = 4, 30, platform.ExpertTotal
		c, sub, experts, as := panelRound(t, svc, rs)
		if len(as) != 4 {
			t.Fatalf("%d assignments, want 4", len(as))
		}
		judge := map[int64]int{}
		for i, e := range experts[:4] {
			judge[e.ID] = i
		}
		for _, a := range as {
			i, ok := judge[a.ExpertID]
			if !ok {
				t.Fatalf("expert %d of the pilot's own province was assigned", a.ExpertID)
			}
			scoreRow(t, svc, a, experts[i].Username, shroutFleissTable2[i])
		}
		pa, err := svc.SubmissionAgreement(admin, sub.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Shrout & Fleiss (1979) Table 4: ICC(2,1) = .29, ICC(2,4) = .62
		// (ICCs are unchanged by scoring ×10). Kendall's W by hand, with
		// average ranks for ties: rank sums 17, 6, 19, 7.5, 23.5, 11 (mean
		// 14), S = 239.5; tie terms Σ(t³−t) = 6+12+6+6 = 30; W = 12·239.5 /
		// (4²(6³−6) − 4·30) = 2874/3240 = 0.88704.
		if pa.Items != 6 || pa.ICC21 == nil || math.Abs(*pa.ICC21-0.29) > 0.005 || math.Abs(*pa.ICC2K-0.62) > 0.005 {
			t.Fatalf("agreement %+v: want 6 items, ICC(2,1) .29, ICC(2,4) .62", pa)
		}
		if math.Abs(*pa.KendallW-2874.0/3240) > 1e-9 {
			t.Errorf("Kendall's W = %.6f, want %.6f", *pa.KendallW, 2874.0/3240)
		}
		// Leave-one-out deviations by hand (×10): judge 1: |9−5|+|6−2|+|8−6|+
		// |7−2|+|10−6|+|6−4| = 21 → 35; judge 2: 25 → 41.7; judge 3: 15 → 25;
		// judge 4: 16 → 26.7. Over 30 points: judges 1 and 2.
		want := map[int]float64{0: 35, 1: 250.0 / 6, 2: 25, 3: 160.0 / 6}
		for _, d := range pa.Deviations {
			i := judge[d.ExpertID]
			if d.Deviation == nil || math.Abs(*d.Deviation-want[i]) > 1e-9 || d.Outlier != (i <= 1) {
				t.Errorf("judge %d: deviation %v outlier %v, want %.4f and %v", i+1, d.Deviation, d.Outlier, want[i], i <= 1)
			}
		}
		ca, err := svc.CycleAgreement(admin, c.ID)
		if err != nil || len(ca.Panels) != 1 || ca.MeanKendallW == nil || *ca.MeanKendallW != *pa.KendallW || len(ca.Experts) != 4 {
			t.Fatalf("cycle agreement %+v, %v", ca, err)
		}
		// Combined by the mean, per target ×10: 60, 30, 65, 40, 75, 47.5;
		// expert total with equal weights and the arithmetic mean: the
		// groups 51.667 and 54.167, overall 317.5/6 = 52.9167.
		ers, err := svc.ExpertResults(admin, c.ID)
		if err != nil || len(ers) != 1 || ers[0].Total == nil || ers[0].Reviews != 4 {
			t.Fatalf("expert results %+v, %v", ers, err)
		}
		for j, v := range []float64{60, 30, 65, 40, 75, 47.5} {
			if cs := ers[0].Scores[j]; cs.Code != panelLeaves[j] || math.Abs(cs.Score-v) > 1e-9 || cs.Experts != 4 {
				t.Errorf("combined %+v, want %s = %v", cs, panelLeaves[j], v)
			}
		}
		if math.Abs(*ers[0].Total-317.5/6) > 1e-9 {
			t.Errorf("expert total %v, want %v", *ers[0].Total, 317.5/6)
		}
	})
}

func TestExpertIndicatorsFeedTheEngine(t *testing.T) {
	store := sqlstoretest.SQLite(t)
	svc := panelService(t, store)
	rs := platform.DefaultReviewSettings(0)
	rs.ExpertsPerSubmission, rs.ExpertMode, rs.Combine = 4, platform.ExpertIndicators, platform.CombineMedian
	c, sub, experts, as := panelRound(t, svc, rs)
	for _, a := range as {
		for i, e := range experts[:4] {
			if e.ID == a.ExpertID {
				scoreRow(t, svc, a, e.Username, shroutFleissTable2[i])
			}
		}
	}
	sub, _ = svc.GetSubmission(admin, sub.ID)
	if _, err := svc.TransitionSubmission(admin, sub.ID, sub.Version, platform.SubmissionAccepted, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ComputeResults(admin, c.ID); err != nil {
		t.Fatal(err)
	}
	rows, _, err := svc.ListResults(admin, platform.ResultFilter{CycleID: c.ID})
	if err != nil || len(rows) != 1 || rows[0].Score == nil {
		t.Fatalf("results %+v, %v", rows, err)
	}
	// The pilot reported nothing: every leaf is the experts' median (×10):
	// 65, 25, 70, 40, 75, 50 → groups 53.333 and 55 → overall 54.1667.
	if got, want := *rows[0].Score, (65+25+70+40+75+50)/6.0; math.Abs(got-want) > 1e-9 {
		t.Errorf("overall %v, want %v", got, want)
	}
}

func TestReviewLockReopenAndOverride(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		svc := panelService(t, store)
		rs := platform.DefaultReviewSettings(0)
		rs.ExpertsPerSubmission = 3
		_, _, experts, as := panelRound(t, svc, rs)
		byID := map[int64]platform.Expert{}
		for _, e := range experts {
			byID[e.ID] = e
		}
		a := as[0]
		user := byID[a.ExpertID].Username
		_, err := svc.SubmitReview(expertCtx(user), a.ID, a.Version)
		wantErr(t, err, platform.Invalid, platform.CodeRequired, "6 indicators have no score")
		_, err = svc.SaveReview(expertCtx(user), a.ID, a.Version, []platform.ReviewScore{{Code: "G1.1", Score: ptr(101.0)}})
		wantErr(t, err, platform.Invalid, platform.CodeOutOfRange, "G1.1")
		_, err = svc.SaveReview(expertCtx(user), a.ID, a.Version, []platform.ReviewScore{{Code: "G1", Score: ptr(1.0)}})
		wantErr(t, err, platform.Invalid, platform.CodeUnknownIndicator, "G1")
		// Another expert cannot see or write this review.
		other := experts[0].Username
		if other == user {
			other = experts[1].Username
		}
		_, err = svc.GetReview(expertCtx(other), a.ID)
		wantErr(t, err, platform.NotFound, "not_found", "does not exist")
		scoreRow(t, svc, a, user, shroutFleissTable2[0])
		a2, _ := store.GetAssignment(admin, a.ID)
		_, err = svc.SaveReview(expertCtx(user), a.ID, a2.Version, nil)
		wantErr(t, err, platform.Conflict, platform.CodeNotEditable, "locked")
		_, err = svc.OverrideAssignment(admin, a.ID, a2.Version, experts[4].ID, "回避")
		wantErr(t, err, platform.Conflict, platform.CodeNotEditable, "reopen")
		_, err = svc.ReopenReview(admin, a.ID, a2.Version, " ")
		wantErr(t, err, platform.Invalid, platform.CodeReasonRequired, "reason")
		a3, err := svc.ReopenReview(admin, a.ID, a2.Version, "评分依据不足，请补充")
		if err != nil || a3.State != platform.ReviewDraft || a3.ReopenReason != "评分依据不足，请补充" || len(a3.Scores) != 6 {
			t.Fatalf("reopened %+v, %v", a3, err)
		}
		// Override: the pilot's own province is refused, a free expert taken.
		_, err = svc.OverrideAssignment(admin, a.ID, a3.Version, experts[4].ID, "回避")
		wantErr(t, err, platform.Invalid, "conflict_of_interest", "same province 13")
		free := int64(0)
		for _, e := range experts[:4] {
			taken := false
			for _, x := range as {
				taken = taken || x.ExpertID == e.ID
			}
			if !taken {
				free = e.ID
			}
		}
		a4, err := svc.OverrideAssignment(admin, a.ID, a3.Version, free, "原专家出差")
		if err != nil || a4.ExpertID != free || a4.OverrideReason != "原专家出差" || len(a4.Scores) != 0 {
			t.Fatalf("override %+v, %v", a4, err)
		}
	})
}
