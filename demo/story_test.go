package demo

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"image/png"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/sceval/sceval/platform"
)

// checkCycles: three published cycles, oldest first, then the open one;
// all flagged demo and named 演示数据; the final acceptance has thresholds.
func checkCycles(t *testing.T, svc *platform.Service, sum Summary) {
	want := []struct {
		name  string
		kind  platform.CycleKind
		state platform.CycleState
	}{
		{Cycle2014, platform.CycleAnnualMonitoring, platform.CyclePublished},
		{Cycle2015, platform.CycleAnnualMonitoring, platform.CyclePublished},
		{CycleFinal, platform.CycleFinalAcceptance, platform.CyclePublished},
		{CycleOpen, platform.CycleAnnualMonitoring, platform.CycleOpen},
	}
	if len(sum.Cycles) != len(want) {
		t.Fatalf("%d cycles", len(sum.Cycles))
	}
	for i, w := range want {
		c, err := svc.GetCycle(adminCtx(), sum.Cycles[i].ID)
		if err != nil || c.Name != w.name || c.Kind != w.kind || c.State != w.state || !c.Demo || !strings.Contains(c.Name, "演示数据") {
			t.Errorf("cycle %d: %s %s %s demo=%v (%v), want %+v", i, c.Name, c.Kind, c.State, c.Demo, err, w)
		}
	}
	f := sum.Facts
	if ids := []int64{f.Cycle2014ID, f.Cycle2015ID, f.FinalCycleID, f.OpenCycleID}; ids[3] != sum.CycleID ||
		!slices.Equal(ids, []int64{sum.Cycles[0].ID, sum.Cycles[1].ID, sum.Cycles[2].ID, sum.Cycles[3].ID}) {
		t.Errorf("facts' cycles %v", ids)
	}
	if c := sum.Cycles[2]; len(c.StarThresholds) != 3 {
		t.Errorf("final acceptance thresholds %+v", c.StarThresholds)
	}
}

// checkEveryState: the open cycle has submissions in every state; the
// facts point at one of each, in the main province where a province acts;
// the demo pilot's draft has some indicators filled and some empty; the
// returned one has a reason and comments on two indicators.
func checkEveryState(t *testing.T, svc *platform.Service, sum Summary) {
	ctx := adminCtx()
	f := sum.Facts
	for _, st := range []platform.SubmissionState{platform.SubmissionDraft, platform.SubmissionSubmitted,
		platform.SubmissionReturned, platform.SubmissionForwarded, platform.SubmissionAccepted} {
		_, n, err := svc.ListSubmissions(ctx, platform.SubmissionFilter{CycleID: sum.CycleID, State: string(st), Limit: 1})
		if err != nil || n == 0 || n != sum.Submissions[st] {
			t.Errorf("%s: %d stored, summary %d (%v)", st, n, sum.Submissions[st], err)
		}
	}
	for id, want := range map[int64]platform.SubmissionState{f.DraftSubmissionID: platform.SubmissionDraft,
		f.SubmittedSubmissionID: platform.SubmissionSubmitted, f.ReturnedSubmissionID: platform.SubmissionReturned,
		f.ForwardedSubmissionID: platform.SubmissionForwarded, f.AcceptedSubmissionID: platform.SubmissionAccepted} {
		s, err := svc.GetSubmission(ctx, id)
		if err != nil || s.State != want || s.CycleID != sum.CycleID {
			t.Errorf("submission %d: %s in cycle %d, want %s in %d (%v)", id, s.State, s.CycleID, want, sum.CycleID, err)
			continue
		}
		p, _ := svc.GetPilot(ctx, s.PilotID)
		if want != platform.SubmissionAccepted && p.ProvinceCode != f.Province {
			t.Errorf("%s submission %d is in province %s, not %s", want, id, p.ProvinceCode, f.Province)
		}
	}
	draft, _ := svc.GetSubmission(ctx, f.DraftSubmissionID)
	if draft.PilotID != f.PilotID || draft.Completeness <= 0.3 || draft.Completeness >= 0.9 {
		t.Errorf("demo pilot's draft: pilot %d, completeness %.2f", draft.PilotID, draft.Completeness)
	}
	ret, _ := svc.GetSubmission(ctx, f.ReturnedSubmissionID)
	if ret.PilotID != f.ReturnedPilotID || ret.Reason == "" || len(ret.ReturnComments) != 2 {
		t.Errorf("returned: pilot %d, reason %q, comments %+v", ret.PilotID, ret.Reason, ret.ReturnComments)
	}
}

// checkTrends: every pilot with a published result has one in at least
// two published cycles, and most pilots improve from 2014 to the final
// acceptance (the story's steady improvement).
func checkTrends(t *testing.T, svc *platform.Service, sum Summary) {
	ctx := adminCtx()
	published := map[int64]bool{sum.Facts.Cycle2014ID: true, sum.Facts.Cycle2015ID: true, sum.Facts.FinalCycleID: true}
	pilots, _, err := svc.ListPilots(ctx, platform.PilotFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	improved := 0
	for _, p := range pilots {
		rows, err := svc.PilotResults(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		score := map[int64]float64{}
		for _, r := range rows {
			if published[r.CycleID] && r.Score != nil {
				score[r.CycleID] = *r.Score
			}
		}
		if len(score) == 1 || len(score) == 0 && p.ID == sum.Facts.StarPilotID {
			t.Errorf("%s: results in %d published cycles", p.Name, len(score))
		}
		if a, ok := score[sum.Facts.Cycle2014ID]; ok && score[sum.Facts.FinalCycleID] > a {
			improved++
		}
	}
	if improved*3 < len(pilots)*2 {
		t.Errorf("only %d of %d pilots improved from 2014 to the final acceptance", improved, len(pilots))
	}
}

// checkStars: the final acceptance rates at least two star levels, and
// demo-pilot-3's pilot has stars there.
func checkStars(t *testing.T, svc *platform.Service, sum Summary) {
	rows, _, err := svc.ListResults(adminCtx(), platform.ResultFilter{CycleID: sum.Facts.FinalCycleID, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	levels := map[int]int{}
	for _, r := range rows {
		if r.Stars != nil {
			levels[*r.Stars]++
			if r.PilotID == sum.Facts.StarPilotID && *r.Stars == 0 {
				t.Errorf("demo-pilot-3's pilot %s has no star", r.PilotName)
			}
		}
	}
	if n := len(levels) - min(levels[0], 1); n < 2 {
		t.Errorf("star levels in the final acceptance: %v", levels)
	}
}

// checkAccounts: every account logs in with its printed password and is
// bound as Accounts says.
func checkAccounts(t *testing.T, svc *platform.Service, sum Summary) {
	for i, a := range Accounts() {
		u, secret, err := svc.Login(adminCtx(), a.Username, a.Password, "192.0.2."+string(rune('1'+i%9)))
		if err != nil || secret == "" || u.Role != a.Role || u.Province != a.Province || u.MustChangePassword {
			t.Errorf("%s: login %+v, %v", a.Username, u, err)
			continue
		}
		if a.Pilot != "" {
			p, err := svc.GetPilot(adminCtx(), u.PilotID)
			if err != nil || p.Name != a.Pilot {
				t.Errorf("%s: bound to %+v (%v), want %s", a.Username, p, err, a.Pilot)
			}
		}
	}
	for _, role := range []platform.Role{platform.RoleAdmin, platform.RoleMinistry, platform.RoleProvince, platform.RolePilot, platform.RoleExpert} {
		if _, ok := AccountFor(role); !ok {
			t.Errorf("no account for %s", role)
		}
	}
	if a, _ := AccountFor(platform.RolePilot); a.Pilot != sum.Facts.PilotName {
		t.Errorf("the pilot account's pilot %s is not the draft's %s", a.Pilot, sum.Facts.PilotName)
	}
	if a, _ := AccountFor(platform.RoleProvince); a.Province != sum.Facts.Province {
		t.Errorf("the province account's province %s, want %s", a.Province, sum.Facts.Province)
	}
}

// checkEvidence: the demo pilot's draft has a PDF, a PNG, an XLSX and a
// DOCX, each a valid file of its kind.
func checkEvidence(t *testing.T, svc *platform.Service, sum Summary) {
	f := sum.Facts
	read := func(id int64) []byte {
		_, rc, err := svc.OpenEvidence(adminCtx(), id)
		if err != nil {
			t.Fatalf("evidence %d: %v", id, err)
		}
		defer rc.Close()
		b, _ := io.ReadAll(rc)
		return b
	}
	if b := read(f.EvidencePDFID); !bytes.HasPrefix(b, []byte("%PDF-1.4")) || !bytes.HasSuffix(b, []byte("%%EOF\n")) {
		t.Errorf("PDF %d: %q…", f.EvidencePDFID, b[:min(len(b), 16)])
	}
	if _, err := png.Decode(bytes.NewReader(read(f.EvidencePNGID))); err != nil {
		t.Errorf("PNG %d: %v", f.EvidencePNGID, err)
	}
	x, err := excelize.OpenReader(bytes.NewReader(read(f.EvidenceXLSXID)))
	if err != nil {
		t.Fatalf("XLSX %d: %v", f.EvidenceXLSXID, err)
	}
	if v, _ := x.GetCellValue("Sheet1", "A2"); v != "代码" {
		t.Errorf("XLSX A2 = %q", v)
	}
	docx := read(f.EvidenceDOCXID)
	z, err := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
	if err != nil {
		t.Fatalf("DOCX %d: %v", f.EvidenceDOCXID, err)
	}
	var names []string
	for _, zf := range z.File {
		names = append(names, zf.Name)
	}
	if !slices.Contains(names, "word/document.xml") || !slices.Contains(names, "[Content_Types].xml") {
		t.Errorf("DOCX parts %v", names)
	}
}

// checkBlind: what demo-expert-1 reads of its reviews in the blind open
// cycle never names the pilot (name, region name or code) — not in the
// review, the narratives or the evidence names.
func checkBlind(t *testing.T, svc *platform.Service, sum Summary) {
	ctx := platform.WithIdentity(adminCtx(), platform.Identity{User: "demo-expert-1", Roles: []string{"expert"}})
	mine, _, err := svc.ListMyReviews(ctx, platform.AssignmentFilter{CycleID: sum.CycleID, Limit: 1000})
	if err != nil || len(mine) < 3 {
		t.Fatalf("demo-expert-1's reviews: %d, %v", len(mine), err)
	}
	for _, a := range mine {
		v, err := svc.GetReview(ctx, a.ID)
		if err != nil || !v.Masked || v.Pilot != nil || !strings.HasPrefix(v.Pseudonym, "匿名-") {
			t.Fatalf("expert view of review %d: masked %v, pilot %v (%v)", a.ID, v.Masked, v.Pilot, err)
		}
		full, err := svc.GetReview(adminCtx(), a.ID)
		if err != nil || full.Pilot == nil {
			t.Fatalf("review %d as admin: %v", a.ID, err)
		}
		b, _ := json.Marshal(struct{ A, V any }{a, v})
		for _, w := range []string{full.Pilot.Name, full.Pilot.RegionCode} {
			if strings.Contains(string(b), w) {
				t.Errorf("review %d shows %q to its blind expert", a.ID, w)
			}
		}
	}
	if sum.Facts.BlindPilotName == "" {
		t.Error("no blind pilot name in the facts")
	}
}

// checkExpertRounds: the final acceptance's open round is complete (3
// reviews per accepted submission, one outlier expert); the open cycle's
// blind round has reviews untouched, drafted and submitted.
func checkExpertRounds(t *testing.T, svc *platform.Service, sum Summary) {
	ctx := adminCtx()
	final := sum.Facts.FinalCycleID
	rs, err := svc.GetReviewSettings(ctx, final)
	if err != nil || rs.Blind || rs.ExpertsPerSubmission != 3 {
		t.Fatalf("final settings %+v, %v", rs, err)
	}
	_, accepted, _ := svc.ListSubmissions(ctx, platform.SubmissionFilter{CycleID: final, State: "accepted", Limit: 1})
	_, submitted, err := svc.ListAssignments(ctx, platform.AssignmentFilter{CycleID: final, State: "submitted", Limit: 1})
	if err != nil || submitted != 3*accepted {
		t.Errorf("final: %d submitted reviews, want 3 × %d", submitted, accepted)
	}
	ca, err := svc.CycleAgreement(ctx, final)
	if err != nil || len(ca.Panels) != accepted || ca.MeanKendallW == nil {
		t.Fatalf("agreement: %+v, %v", ca, err)
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
	if rs, _ := svc.GetReviewSettings(ctx, sum.CycleID); !rs.Blind {
		t.Error("the open cycle's round is not blind")
	}
	_, drafts, _ := svc.ListAssignments(ctx, platform.AssignmentFilter{CycleID: sum.CycleID, State: "draft", Limit: 1})
	_, done, _ := svc.ListAssignments(ctx, platform.AssignmentFilter{CycleID: sum.CycleID, State: "submitted", Limit: 1})
	if drafts == 0 || done == 0 || sum.Reviews != submitted+done {
		t.Errorf("open round: %d drafts, %d submitted; summary %d", drafts, done, sum.Reviews)
	}
	f := sum.Facts
	for id, want := range map[int64]int{f.UntouchedReviewID: 0, f.DraftReviewID: 28, f.SubmittedReviewID: 57} {
		v, err := svc.GetReview(ctx, id)
		if err != nil || len(v.Review.Scores) != want || v.Review.ExpertID != f.ExpertID {
			t.Errorf("review %d: %d scores, expert %d (%v); want %d", id, len(v.Review.Scores), v.Review.ExpertID, err, want)
		}
	}
}
