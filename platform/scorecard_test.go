package platform_test

import (
	"context"
	"math"
	"testing"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// scorecardFixture is the tiny framework (A = mean(A.1, A.2), B = B.1,
// total = mean(A, B), equal weights, arithmetic mean) in two cycles:
//
//	2014 (computed, never published): P2 (A.1 10 %, A.2 level 1, B.1 30)
//	  → A = 5, B = 30, total 17.5.
//	2015 (published by the test when it wants): P1 district (10, 3, 80) →
//	  A 55, B 80, total 67.5; P2 district (20, 1, 40) → 10, 40, 25; P3 town
//	  (30, 2, 60) → 40, 60, 50; P4 district (50, 2, 70) → 50, 70, 60.
//	  P2 is reviewed by two experts (blind, expert total).
type scorecardFixture struct {
	svc            *platform.Service
	c14, c15       platform.Cycle
	p1, p2, p3, p4 platform.Pilot
}

func newScorecardFixture(t *testing.T, store *sqlstore.Store) scorecardFixture {
	t.Helper()
	svc := newServiceWith(t, store, platform.ServiceOptions{}, nil)
	f := scorecardFixture{svc: svc}
	mk := func(region, name string, typ platform.PilotType) platform.Pilot {
		p, err := svc.CreatePilot(admin, platform.Pilot{RegionCode: region, Name: name, Batch: "2013", Type: typ})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	f.p1, f.p2 = mk("110105", "朝阳区", platform.PilotDistrict), mk("110106", "丰台区", platform.PilotDistrict)
	f.p3, f.p4 = mk("110108011", "中关村街道", platform.PilotTown), mk("110108", "海淀区", platform.PilotDistrict)
	f.c14 = scorecardCycle(t, svc, 2014, []platform.Pilot{f.p2}, [][3]float64{{10, 1, 30}}, false)
	f.c15 = scorecardCycle(t, svc, 2015, []platform.Pilot{f.p1, f.p2, f.p3, f.p4},
		[][3]float64{{10, 3, 80}, {20, 1, 40}, {30, 2, 60}, {50, 2, 70}}, true)
	return f
}

// scorecardCycle opens a cycle of year, enters each pilot's values (A.1,
// A.2 level, B.1), accepts them — the second pilot after a review by two
// experts when review is set — and computes the results.
func scorecardCycle(t *testing.T, svc *platform.Service, year int, ps []platform.Pilot, vals [][3]float64, review bool) platform.Cycle {
	t.Helper()
	c, err := svc.CreateCycle(admin, platform.Cycle{Name: "年度监测", Kind: platform.CycleAnnualMonitoring, Year: year, FrameworkID: "tiny"})
	if err != nil {
		t.Fatal(err)
	}
	if c, err = svc.TransitionCycle(admin, c.ID, c.Version, platform.CycleOpen); err != nil {
		t.Fatal(err)
	}
	var subs []platform.Submission
	for i, p := range ps {
		sub, err := svc.CreateSubmission(admin, c.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		level := int(vals[i][1])
		for code, in := range map[string]platform.EntryInput{"A.1": {Value: &vals[i][0]}, "A.2": {Level: &level}, "B.1": {Value: &vals[i][2]}} {
			if _, err := svc.SaveEntry(admin, sub.ID, code, in); err != nil {
				t.Fatal(err)
			}
		}
		to := []platform.SubmissionState{platform.SubmissionSubmitted}
		if review && i == 1 {
			to = append(to, platform.SubmissionForwarded)
		}
		for _, st := range to {
			if sub, err = svc.TransitionSubmission(admin, sub.ID, sub.Version, st, ""); err != nil {
				t.Fatal(err)
			}
		}
		subs = append(subs, sub)
	}
	if review {
		scorecardReview(t, svc, c)
	}
	for _, sub := range subs {
		cur, _ := svc.GetSubmission(admin, sub.ID)
		if _, err := svc.TransitionSubmission(admin, cur.ID, cur.Version, platform.SubmissionAccepted, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.ComputeResults(admin, c.ID); err != nil {
		t.Fatal(err)
	}
	return c
}

// scorecardReview has two experts (甲专家, 乙专家) review the forwarded
// submission: scores (30, 40, 50) and (50, 60, 70) for A.1, A.2, B.1 →
// combined means 40, 50, 60 → expert total mean(mean(40, 50), 60) = 52.5.
func scorecardReview(t *testing.T, svc *platform.Service, c platform.Cycle) {
	t.Helper()
	rs := platform.DefaultReviewSettings(c.ID)
	rs.ExpertsPerSubmission, rs.ExpertMode, rs.Blind = 2, platform.ExpertTotal, true
	if _, err := svc.PutReviewSettings(admin, rs); err != nil {
		t.Fatal(err)
	}
	names := map[string]string{"sc-e1": "甲专家", "sc-e2": "乙专家"}
	for user, prov := range map[string]string{"sc-e1": "32", "sc-e2": "33"} {
		if _, err := svc.CreateExpert(admin, platform.Expert{Name: names[user], ProvinceCode: prov, Organisation: "大学",
			Username: user, Active: true}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := svc.AssignExperts(admin, c.ID)
	if err != nil || len(res.Created) != 2 {
		t.Fatalf("assign: %+v, %v", res, err)
	}
	scores := map[string][3]float64{"甲专家": {30, 40, 50}, "乙专家": {50, 60, 70}}
	comments := map[string][3]string{"甲专家": {"甲一材料不足", "", ""}, "乙专家": {"", "", "乙一良好"}}
	for _, a := range res.Created {
		e, err := svc.GetExpert(admin, a.ExpertID)
		if err != nil {
			t.Fatal(err)
		}
		var rows []platform.ReviewScore
		for j, code := range []string{"A.1", "A.2", "B.1"} {
			rows = append(rows, platform.ReviewScore{Code: code, Score: ptr(scores[e.Name][j]), Comment: comments[e.Name][j]})
		}
		ctx := expertCtx(e.Username)
		out, err := svc.SaveReview(ctx, a.ID, a.Version, rows)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SubmitReview(ctx, a.ID, out.Version); err != nil {
			t.Fatal(err)
		}
	}
}

func near(got *float64, want float64) bool { return got != nil && math.Abs(*got-want) < 1e-9 }

func nodeOf(t *testing.T, sc *platform.Scorecard, code string) platform.ScorecardNode {
	t.Helper()
	for _, n := range sc.Nodes {
		if n.Code == code {
			return n
		}
	}
	t.Fatalf("no node %s", code)
	return platform.ScorecardNode{}
}

// The figures of P2 in 2015, every one computed by hand above.
func TestScorecardFigures(t *testing.T) {
	sqlstoretest.Each(t, testScorecardFigures)
}

func testScorecardFigures(t *testing.T, store *sqlstore.Store) {
	f := newScorecardFixture(t, store)
	sc, err := f.svc.Scorecard(admin, f.c15.ID, f.p2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Run.Stale {
		t.Error("the run is current, not stale")
	}
	if !near(sc.Total, 25) || sc.Rank == nil || *sc.Rank != 4 || sc.Ranked != 4 || sc.TypeRank == nil || *sc.TypeRank != 3 ||
		sc.TypeRanked != 3 || sc.Stars == nil || *sc.Stars != 0 || !sc.Comparison || sc.Coverage != 1 {
		t.Fatalf("total %v rank %v/%d type rank %v/%d stars %v", sc.Total, sc.Rank, sc.Ranked, sc.TypeRank, sc.TypeRanked, sc.Stars)
	}
	// Peer medians among the districts P1, P2, P4.
	want := map[string][4]float64{ // score, peer median, contribution, weighted gap to the median
		"A": {10, 50, 5, 20}, "A.1": {20, 20, 5, 0}, "A.2": {0, 50, 0, 12.5},
		"B": {40, 70, 20, 15}, "B.1": {40, 70, 20, 15},
	}
	sum1, sumLeaves := 0.0, 0.0
	for code, w := range want {
		n := nodeOf(t, sc, code)
		if !near(n.Score, w[0]) || !near(n.PeerMedian, w[1]) || !near(n.Contribution, w[2]) || !near(n.GapMedian, w[3]) {
			t.Errorf("%s: score %v median %v contribution %v gap %v, want %v", code, n.Score, n.PeerMedian, n.Contribution, n.GapMedian, w)
		}
		if n.Level == 1 {
			sum1 += *n.Contribution
		} else {
			sumLeaves += *n.Contribution
		}
	}
	if math.Abs(sum1-25) > 1e-9 || math.Abs(sumLeaves-25) > 1e-9 {
		t.Errorf("contributions sum to %v (first level) and %v (leaves), want the total 25", sum1, sumLeaves)
	}
	if a2 := nodeOf(t, sc, "A.2"); a2.RubricLevel == nil || *a2.RubricLevel != 1 || a2.RubricLabel.Zh != "差" ||
		a2.EffectiveWeight != 0.25 || !near(a2.GapMax, 25) {
		t.Errorf("A.2: %+v", a2)
	}
	// Gaps: B.1 (0.5 × 30 = 15) before A.2 (0.25 × 50 = 12.5); A.1 is at
	// the median, so neither a gap nor a strength.
	if len(sc.Gaps) != 2 || sc.Gaps[0].Code != "B.1" || sc.Gaps[1].Code != "A.2" || len(sc.Strengths) != 0 {
		t.Errorf("gaps %v strengths %v", codes(sc.Gaps), codes(sc.Strengths))
	}
	// Trend: 2014 (17.5; A 5, B 30) then 2015.
	if len(sc.Trend) != 2 || sc.Trend[0].Year != 2014 || !near(sc.Trend[0].Total, 17.5) || !near(sc.Trend[0].First["A"], 5) ||
		!near(sc.Trend[0].First["B"], 30) || !near(sc.Trend[1].Total, 25) {
		t.Errorf("trend %+v", sc.Trend)
	}
	// Experts: combined means 40, 50, 60; total 52.5; the ministry sees names.
	if sc.Experts == nil || sc.Experts.Reviews != 2 || !near(sc.Experts.Total, 52.5) || sc.Experts.Masked || sc.Experts.Comments != 2 {
		t.Fatalf("experts %+v", sc.Experts)
	}
	b1 := nodeOf(t, sc, "B.1")
	if b1.Expert == nil || b1.Expert.Score != 60 || b1.Expert.Experts != 2 || len(b1.Expert.Comments) != 1 ||
		b1.Expert.Comments[0].Expert != "乙专家" || b1.Expert.Comments[0].Comment != "乙一良好" {
		t.Errorf("B.1 experts %+v", b1.Expert)
	}
	// P4: rank 2 among all and among the districts (P1 67.5 > 60).
	sc4, err := f.svc.Scorecard(admin, f.c15.ID, f.p4.ID)
	if err != nil || *sc4.Rank != 2 || *sc4.TypeRank != 2 || *sc4.Stars != 1 || len(sc4.Strengths) != 1 || sc4.Strengths[0].Code != "A.1" {
		t.Fatalf("P4: %+v %v", sc4, err)
	}
}

func codes(ns []platform.ScorecardNode) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.Code)
	}
	return out
}

// Anonymous callers read published cycles only, a pilot its own scorecard
// before publication (without the comparison); experts are masked in a
// blind cycle for everybody but the ministry.
func TestScorecardScopeAndBlindMasking(t *testing.T) {
	sqlstoretest.Each(t, testScorecardScope)
}

func testScorecardScope(t *testing.T, store *sqlstore.Store) {
	f := newScorecardFixture(t, store)
	anon := f.svc.Bind(context.Background(), platform.Identity{})
	p2 := f.svc.Bind(context.Background(), platform.Identity{User: "p2", Roles: []string{"pilot"}, PilotID: f.p2.ID})
	_, err := f.svc.Scorecard(anon, f.c15.ID, f.p2.ID)
	wantErr(t, err, platform.NotFound, "", "does not exist")
	_, err = f.svc.Scorecard(p2, f.c15.ID, f.p1.ID)
	wantErr(t, err, platform.NotFound, "", "does not exist")
	own, err := f.svc.Scorecard(p2, f.c15.ID, f.p2.ID)
	if err != nil || own.Comparison || own.TypeRank != nil || nodeOf(t, own, "B.1").PeerMedian != nil || !near(own.Total, 25) ||
		len(own.Gaps) != 3 || own.Gaps[0].Code != "B.1" { // by the weighted gap to 100: 30, 25, 20
		t.Fatalf("own before publication: %+v, %v", own, err)
	}
	if own.Experts == nil || !own.Experts.Masked || nodeOf(t, own, "B.1").Expert.Comments[0].Expert != "" ||
		nodeOf(t, own, "B.1").Expert.Comments[0].Number == 0 {
		t.Fatalf("pilot's view of a blind review: %+v", own.Experts)
	}
	cs, def, err := f.svc.ScorecardCycles(p2, f.p2.ID)
	if err != nil || len(cs) != 2 || cs[0].ID != f.c15.ID || cs[1].ID != f.c14.ID || def != 0 {
		t.Fatalf("the pilot's scorecard cycles: %v %d %v", cs, def, err)
	}
	if cs, def, err := f.svc.ScorecardCycles(anon, f.p2.ID); err != nil || len(cs) != 0 || def != -1 {
		t.Fatalf("anonymous scorecard cycles before publication: %v %d %v", cs, def, err)
	}
	c, _ := f.svc.GetCycle(admin, f.c15.ID)
	if c, err = f.svc.TransitionCycle(admin, c.ID, c.Version, platform.CycleClosed); err != nil {
		t.Fatal(err)
	}
	if _, err = f.svc.TransitionCycle(admin, c.ID, c.Version, platform.CyclePublished); err != nil {
		t.Fatal(err)
	}
	pub, err := f.svc.Scorecard(anon, f.c15.ID, f.p2.ID)
	if err != nil || !pub.Comparison || *pub.TypeRank != 3 || !pub.Experts.Masked {
		t.Fatalf("anonymous after publication: %+v, %v", pub, err)
	}
	if cs, def, err := f.svc.ScorecardCycles(anon, f.p2.ID); err != nil || len(cs) != 1 || def != 0 || cs[0].ID != f.c15.ID {
		t.Fatalf("anonymous scorecard cycles: %v %d %v", cs, def, err)
	}
	if _, def, _ := f.svc.ScorecardCycles(p2, f.p2.ID); def != 0 {
		t.Errorf("default for the pilot: %d, want the published 2015 cycle", def)
	}
	// The 2014 cycle is not published: not in the anonymous trend.
	if len(pub.Trend) != 1 || pub.Trend[0].CycleID != f.c15.ID {
		t.Errorf("anonymous trend %+v", pub.Trend)
	}
	_, err = f.svc.Scorecard(anon, f.c14.ID, f.p2.ID)
	wantErr(t, err, platform.NotFound, "", "does not exist")
	// A pilot user sees no other pilot (pilot.read), published or not.
	_, err = f.svc.Scorecard(p2, f.c15.ID, f.p1.ID)
	wantErr(t, err, platform.NotFound, "", "does not exist")
	expert := f.svc.Bind(context.Background(), platform.Identity{User: "sc-e1", Roles: []string{"expert"}})
	_, err = f.svc.Scorecard(expert, f.c15.ID, f.p2.ID)
	wantErr(t, err, platform.Forbidden, "", "pilot.read")
}

// The default scorecard cycle is the newest published one, even when a
// newer cycle has computed (unpublished) results.
func TestScorecardDefaultCycle(t *testing.T) {
	f := newScorecardFixture(t, sqlstoretest.SQLite(t))
	c, _ := f.svc.GetCycle(admin, f.c14.ID)
	c, err := f.svc.TransitionCycle(admin, c.ID, c.Version, platform.CycleClosed)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.TransitionCycle(admin, c.ID, c.Version, platform.CyclePublished); err != nil {
		t.Fatal(err)
	}
	p2 := f.svc.Bind(context.Background(), platform.Identity{User: "p2", Roles: []string{"pilot"}, PilotID: f.p2.ID})
	cs, def, err := f.svc.ScorecardCycles(p2, f.p2.ID)
	if err != nil || len(cs) != 2 || cs[0].ID != f.c15.ID || def != 1 {
		t.Fatalf("cycles %v, default %d (want 1: the published 2014 cycle), %v", cs, def, err)
	}
}
