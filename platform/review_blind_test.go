package platform_test

import (
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
	"github.com/sceval/sceval/region"
)

// TestBlindReviewNeverLeaksThePilot drives every service call an expert can
// make on a blind review — list, read, save, submit, evidence download, and
// the errors of a stale save, a locked review and another expert's review —
// and searches every answer, JSON-encoded as the API sends it, for the
// pilot's name, its region's codes and its IDs.
func TestBlindReviewNeverLeaksThePilot(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		reg, err := region.Default()
		if err != nil {
			t.Fatal(err)
		}
		svc := platform.NewService(store, blobsOf(t), panelFrameworksFor(t), platform.ServiceOptions{Regions: reg})
		c, err := svc.CreateCycle(admin, platform.Cycle{Name: "盲评", Kind: platform.CycleApplicationReview, Year: 2013, FrameworkID: "panel",
			MinCompleteness: ptr(0.0)}) // partial submissions: completeness has its own tests
		if err != nil {
			t.Fatal(err)
		}
		c, _ = svc.TransitionCycle(admin, c.ID, c.Version, platform.CycleOpen)
		p, err := svc.CreatePilot(admin, platform.Pilot{RegionCode: "130100", Name: "石家庄市", Batch: "2013", Type: platform.PilotCity})
		if err != nil {
			t.Fatal(err)
		}
		sub, _ := svc.CreateSubmission(admin, c.ID, p.ID)
		if _, err := svc.SaveEntry(admin, sub.ID, "G1.1", platform.EntryInput{Value: ptr(70.0),
			Narrative: "石家庄市（区划代码130100）建成了城市大脑。"}); err != nil {
			t.Fatal(err)
		}
		ev, err := svc.AddEvidence(admin, sub.ID, "G1.1", "石家庄市-130100-规划.pdf", strings.NewReader("%PDF-1.4\n石家庄市\n"))
		if err != nil {
			t.Fatal(err)
		}
		sub, _ = svc.GetSubmission(admin, sub.ID)
		for _, to := range []platform.SubmissionState{platform.SubmissionSubmitted, platform.SubmissionForwarded} {
			if sub, err = svc.TransitionSubmission(admin, sub.ID, sub.Version, to, ""); err != nil {
				t.Fatal(err)
			}
		}
		var users []string
		for i, prov := range []string{"32", "33", "44"} {
			u := "blind" + strconv.Itoa(i)
			if _, err := svc.CreateExpert(admin, platform.Expert{Name: "专家" + u, ProvinceCode: prov, Username: u, Active: true}); err != nil {
				t.Fatal(err)
			}
			users = append(users, u)
		}
		rs := platform.DefaultReviewSettings(c.ID)
		rs.ExpertsPerSubmission, rs.Blind = 2, true
		if _, err := svc.PutReviewSettings(admin, rs); err != nil {
			t.Fatal(err)
		}
		res, err := svc.AssignExperts(admin, c.ID)
		if err != nil || len(res.Created) != 2 {
			t.Fatalf("assign: %+v, %v", res, err)
		}
		forbidden := []string{"石家庄", "130100", "1301", `"pilot_id"`, `"submission_id":` + strconv.FormatInt(sub.ID, 10), "规划.pdf"}
		var answers []any
		seen := func(v any, err error) {
			answers = append(answers, v)
			if err != nil {
				answers = append(answers, err)
			}
		}
		var assignedUser, freeUser string
		for _, u := range users {
			list, _, err := svc.ListMyReviews(expertCtx(u), platform.AssignmentFilter{})
			seen(list, err)
			if len(list) == 1 {
				assignedUser = u
			} else {
				freeUser = u
			}
		}
		mine, _, _ := svc.ListMyReviews(expertCtx(assignedUser), platform.AssignmentFilter{})
		id := mine[0].ID
		ctx := expertCtx(assignedUser)
		view, err := svc.GetReview(ctx, id)
		seen(view, err)
		if !view.Masked || view.Pilot != nil || len(view.Entries) != 1 || !strings.Contains(view.Entries[0].Narrative, view.Pseudonym) {
			t.Fatalf("blind view %+v", view)
		}
		seen(svc.GetReview(expertCtx(freeUser), id))
		mev, rc, err := svc.OpenReviewEvidence(ctx, id, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		rc.Close()
		seen(mev, nil)
		if mev.Filename != "证据-"+strconv.FormatInt(ev.ID, 10)+".pdf" {
			t.Errorf("masked evidence name %q", mev.Filename)
		}
		seen(svc.SaveReview(ctx, id, 99, nil))
		var scores []platform.ReviewScore
		for _, code := range panelLeaves {
			scores = append(scores, platform.ReviewScore{Code: code, Score: ptr(60.0)})
		}
		a, err := svc.SaveReview(ctx, id, mine[0].Version, scores)
		seen(a, err)
		a, err = svc.SubmitReview(ctx, id, a.Version)
		seen(a, err)
		seen(svc.SaveReview(ctx, id, a.Version, scores))
		seen(svc.SubmitReview(ctx, id, a.Version))
		_, _, err = svc.OpenReviewEvidence(ctx, id, ev.ID+1000)
		seen(nil, err)
		if err == nil {
			t.Fatal("evidence of another submission opened")
		}
		for _, v := range answers {
			body := encode(t, v)
			for _, f := range forbidden {
				if strings.Contains(body, f) {
					t.Errorf("an expert's answer contains %q: %s", f, body)
				}
			}
		}
		// The ministry sees the pilot.
		full, err := svc.GetReview(admin, id)
		if err != nil || full.Masked || full.Pilot == nil || full.Pilot.Name != "石家庄市" {
			t.Fatalf("ministry view %+v, %v", full, err)
		}
	})
}

// encode renders an answer as the API does (an error as its JSON body).
func encode(t *testing.T, v any) string {
	t.Helper()
	if e, ok := v.(*platform.Error); ok {
		v = map[string]any{"error": e}
	} else if err, ok := v.(error); ok {
		return err.Error()
	}
	if rc, ok := v.(io.ReadCloser); ok {
		rc.Close()
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
