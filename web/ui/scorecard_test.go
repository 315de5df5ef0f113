package ui_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/sceval/sceval/engine"
	"github.com/sceval/sceval/platform"
)

// as returns a view of the environment whose requests carry a token of a
// new account nu.
func (e *env) as(nu platform.NewUser) *env {
	e.t.Helper()
	nu.Password = "correct horse battery"
	if _, err := e.svc.CreateUser(e.ctx, nu); err != nil {
		e.t.Fatalf("create %s: %v", nu.Username, err)
	}
	_, secret, err := e.svc.CreateToken(e.ctx, nu.Username, "ui tests", 0)
	if err != nil {
		e.t.Fatalf("token of %s: %v", nu.Username, err)
	}
	c := *e
	c.auth = "Bearer " + secret
	return &c
}

// The scorecard page shows the service's figures, its radar option holds
// the service's first-level scores and peer medians, the indicator table
// has the 57 leaves and sorts by contribution, and the HTML report is a
// download.
func TestScorecardPage(t *testing.T) {
	e := newEnv(t, true)
	// The default cycle is the newest published one: the demo's 2016 final
	// acceptance (the 2017 cycle is open, its results unpublished).
	cycle := e.demo.Facts.FinalCycleID
	rows, _, err := e.svc.ListResults(e.ctx, platform.ResultFilter{CycleID: cycle, Limit: 3})
	if err != nil || len(rows) < 3 {
		t.Fatalf("demo ranking: %v", err)
	}
	id := rows[2].PilotID
	sc, err := e.svc.Scorecard(e.ctx, cycle, id)
	if err != nil {
		t.Fatal(err)
	}
	p := e.get(fmt.Sprintf("/pilots/%d/scorecard", id)).html(http.StatusOK) // default cycle: the newest published
	p.has(sc.Pilot.Name, fmt.Sprintf(`id="sc-total">%.2f<`, *sc.Total), fmt.Sprintf(`id="sc-rank">%d / %d<`, *sc.Rank, sc.Ranked),
		fmt.Sprintf(`id="sc-type-rank">%d / %d<`, *sc.TypeRank, sc.TypeRanked),
		fmt.Sprintf(`/pilots/%d/scorecard.html?cycle=%d`, id, cycle), fmt.Sprintf(`/pilots/%d/scorecard.pdf?cycle=%d`, id, cycle),
		"同类中位数", "演示数据")
	if n := strings.Count(p.body, `<tr id="ind-`); n != 57 {
		t.Errorf("the indicator table has %d rows, want 57", n)
	}
	// The radar of the first level: the pilot's scores, then the peer
	// medians, as displayed (two decimals).
	opt := chartOption(t, p.body, "sc-radar1")
	data := opt["series"].([]any)[0].(map[string]any)["data"].([]any)
	var want [2][]any
	for _, n := range sc.Nodes {
		if n.Level == 1 {
			want[0] = append(want[0], engine.DisplayScore(*n.Score))
			want[1] = append(want[1], engine.DisplayScore(*n.PeerMedian))
		}
	}
	for k := range 2 {
		got := data[k].(map[string]any)["value"].([]any)
		if fmt.Sprint(got) != fmt.Sprint(want[k]) {
			t.Errorf("radar series %d: %v, want %v", k, got, want[k])
		}
	}
	if axes := opt["radar"].(map[string]any)["indicator"].([]any); len(axes) != 4 {
		t.Errorf("first-level radar has %d axes", len(axes))
	}
	if axes := chartOption(t, p.body, "sc-radar2")["radar"].(map[string]any)["indicator"].([]any); len(axes) != 11 {
		t.Errorf("second-level radar has %d axes", len(axes))
	}
	if trend := chartOption(t, p.body, "sc-trend-option")["series"].([]any); len(trend) != 5 {
		t.Errorf("trend has %d series, want the total and 4 first-level", len(trend))
	}
	// Sorted by contribution: the first row is the largest contribution.
	best := ""
	top := -1.0
	for _, n := range sc.Nodes {
		if n.Leaf && n.Contribution != nil && *n.Contribution > top {
			best, top = n.Code, *n.Contribution
		}
	}
	sorted := e.get(fmt.Sprintf("/pilots/%d/scorecard?cycle=%d&sort=contribution&lang=en", id, cycle)).html(http.StatusOK)
	if first := regexp.MustCompile(`<tr id="ind-([0-9.]+)">`).FindStringSubmatch(sorted.body); first == nil || first[1] != best {
		t.Errorf("sorted by contribution, the first row is %v, want %s", first, best)
	}
	sorted.has("Peer median", "Download PDF report")
	// The HTML report is an attachment holding the same figures.
	r := e.get(fmt.Sprintf("/pilots/%d/scorecard.html?cycle=%d", id, cycle))
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Disposition"), "attachment") ||
		!strings.Contains(r.body, fmt.Sprintf(`id="total">%.2f<`, *sc.Total)) || !strings.Contains(r.body, "echarts") {
		t.Errorf("HTML report: %d %v", r.status, r.header)
	}
	// The pilot page and the ranking link the scorecard.
	e.get(fmt.Sprintf("/pilots/%d", id)).html(http.StatusOK).has(fmt.Sprintf(`href="/pilots/%d/scorecard"`, id))
	e.get(fmt.Sprintf("/cycles/%d", cycle)).html(http.StatusOK).has(fmt.Sprintf(`href="/pilots/%d/scorecard?cycle=%d"`, id, cycle))
}

// Anonymous visitors see only published scorecards; a pilot user sees its
// own before publication, without the comparison, and no other's.
func TestScorecardScope(t *testing.T) {
	e := newEnv(t, true)
	rows, _, err := e.svc.ListResults(e.ctx, platform.ResultFilter{CycleID: e.demo.CycleID, Limit: 100})
	if err != nil || len(rows) < 2 {
		t.Fatalf("demo ranking: %v", err)
	}
	other := rows[1].PilotID
	// Own is a pilot of the open cycle's blind round with a submitted
	// review, so that the published scorecard has expert comments.
	rv, err := e.svc.GetReview(e.ctx, e.demo.Facts.SubmittedReviewID)
	if err != nil || rv.Pilot == nil {
		t.Fatalf("the demo's submitted blind review: %v", err)
	}
	ranked := false
	for _, r := range rows {
		ranked = ranked || r.PilotID == rv.Pilot.ID
	}
	if !ranked {
		t.Fatalf("pilot %d of the submitted blind review has no result in cycle %d", rv.Pilot.ID, e.demo.CycleID)
	}
	own := rv.Pilot.ID
	if own == other {
		other = rows[0].PilotID
	}
	path := func(id int64) string { return fmt.Sprintf("/pilots/%d/scorecard?cycle=%d", id, e.demo.CycleID) }
	e.anonymous().get(path(own)).html(http.StatusNotFound).lacks(rv.Pilot.Name + " · 评分卡")
	// Without ?cycle an anonymous visitor gets the newest published cycle
	// (the demo's 2016 final acceptance), never the open one.
	e.anonymous().get(fmt.Sprintf("/pilots/%d/scorecard", own)).html(http.StatusOK).
		has(fmt.Sprintf("scorecard.html?cycle=%d", e.demo.Facts.FinalCycleID)).
		lacks(fmt.Sprintf("scorecard.html?cycle=%d", e.demo.CycleID))
	e.anonymous().get(fmt.Sprintf("/pilots/%d/scorecard.html?cycle=%d", own, e.demo.CycleID)).html(http.StatusNotFound)
	pilot := e.as(platform.NewUser{Username: "sc-pilot", Role: platform.RolePilot, PilotID: own})
	pilot.get(path(own)).html(http.StatusOK).has("尚未发布", `id="sc-type-rank">–<`).lacks("领先 +")
	pilot.get(path(other)).html(http.StatusNotFound)
	expert := e.as(platform.NewUser{Username: "sc-expert", Role: platform.RoleExpert})
	expert.get(path(own)).html(http.StatusNotFound)

	c, _ := e.svc.GetCycle(e.ctx, e.demo.CycleID)
	if c, err = e.svc.TransitionCycle(e.ctx, c.ID, c.Version, platform.CycleClosed); err != nil {
		t.Fatal(err)
	}
	if _, err = e.svc.TransitionCycleWith(e.ctx, c.ID, c.Version, platform.CyclePublished,
		platform.CycleTransitionOptions{Override: true, Reason: "ui test"}); err != nil {
		t.Fatal(err)
	}
	anon := e.anonymous().get(fmt.Sprintf("/pilots/%d/scorecard", own)).html(http.StatusOK) // default: the published cycle
	anon.has(`id="sc-rank">`, "专家 1：").lacks("周明远", "陈思齐", "刘嘉禾")                           // blind: the experts are numbered, not named
	pilot.get(path(other)).html(http.StatusNotFound)                                        // a pilot user sees no other pilot
}

// Without Chromium the PDF route says so (503) and names the HTML report.
func TestScorecardPDFWithoutChromium(t *testing.T) {
	t.Setenv("SCEVAL_CHROMIUM", "/nonexistent/chromium")
	e := newEnv(t, true)
	rows, _, err := e.svc.ListResults(e.ctx, platform.ResultFilter{CycleID: e.demo.CycleID, Limit: 1})
	if err != nil || len(rows) == 0 {
		t.Fatalf("demo ranking: %v", err)
	}
	id := rows[0].PilotID
	e.get(fmt.Sprintf("/pilots/%d/scorecard.pdf?cycle=%d", id, e.demo.CycleID)).html(http.StatusServiceUnavailable).
		has("Chromium", fmt.Sprintf("/pilots/%d/scorecard.html?cycle=%d", id, e.demo.CycleID))
}
