package ui_test

import (
	"strconv"
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
		if c, err = e.svc.TransitionCycle(e.ctx, c.ID, c.Version, to); err != nil {
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
