package ui_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
)

// Anonymous visitors see published cycles only: the demo cycle's page is
// "not found" to them until the ministry publishes it.
func TestAnonymousSeesPublishedCyclesOnly(t *testing.T) {
	e := newEnv(t, true)
	anon := e.anonymous()
	path := "/cycles/" + strconv.FormatInt(e.demo.CycleID, 10)
	if p := anon.get(path); p.status != 404 {
		t.Fatalf("anonymous on an unpublished cycle: %d, want 404", p.status)
	}
	e.get(path).html(200) // the administrator sees it
	c, err := e.svc.GetCycle(e.ctx, e.demo.CycleID)
	if err != nil {
		t.Fatal(err)
	}
	for _, to := range []platform.CycleState{platform.CycleClosed, platform.CyclePublished} {
		// The demo keeps submissions awaiting a decision: publish over them.
		opts := platform.CycleTransitionOptions{Override: true, Reason: "test: publish over pending submissions"}
		if c, err = e.svc.TransitionCycleWith(e.ctx, c.ID, c.Version, to, opts); err != nil {
			t.Fatal(err)
		}
	}
	anon.get(path).html(200).has(c.Name)
	anon.get("/").html(200).has(c.Name)
	// A pilot's scorecard shows its published result.
	rows, _, err := e.svc.ListResults(e.ctx, platform.ResultFilter{CycleID: c.ID, Limit: 1})
	if err != nil || len(rows) == 0 {
		t.Fatalf("results: %v", err)
	}
	anon.get("/pilots/" + strconv.FormatInt(rows[0].PilotID, 10)).html(200).has(c.Name)
}

// A pilot sees its own scorecard, results included, before the cycle is
// published, and another pilot's page is "not found".
func TestPilotSeesItsOwnScorecard(t *testing.T) {
	e := newEnv(t, true)
	rows, _, err := e.svc.ListResults(e.ctx, platform.ResultFilter{CycleID: e.demo.CycleID, Limit: 2})
	if err != nil || len(rows) < 2 {
		t.Fatalf("results: %v", err)
	}
	own, other := rows[0].PilotID, rows[1].PilotID
	if _, err := e.svc.CreateUser(e.ctx, platform.NewUser{Username: "own-pilot", Role: platform.RolePilot, PilotID: own,
		Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	_, secret, err := e.svc.CreateToken(e.ctx, "own-pilot", "ui", 0)
	if err != nil {
		t.Fatal(err)
	}
	pilot := e.anonymous()
	pilot.auth = "Bearer " + secret
	pilot.get("/pilots/"+strconv.FormatInt(own, 10)).html(200).has(rows[0].PilotName, `id="results"`, `id="gaps"`)
	if p := pilot.get("/pilots/" + strconv.FormatInt(other, 10)); p.status != 404 {
		t.Errorf("another pilot's page: %d, want 404", p.status)
	}
	// The cycle itself is visible (the pilot submits in it), its ranking
	// is not until published.
	if p := pilot.get("/cycles/" + strconv.FormatInt(e.demo.CycleID, 10)).html(200); strings.Contains(p.body, rows[1].PilotName) {
		t.Errorf("the unpublished ranking shows another pilot (%s) to a pilot", rows[1].PilotName)
	}
}
