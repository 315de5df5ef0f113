package platform_test

import (
	"testing"

	"github.com/sceval/sceval/platform"
)

// One pilot's first-level rows keep the ranks among all pilots; NodeBest
// gives each node's highest score; bad pilot IDs are refused.
func TestListResultsOfOnePilotAndNodeBest(t *testing.T) {
	svc, _ := newService(t, platform.ServiceOptions{})
	svc, ctx, c, p1 := acceptThreeIn(t, svc)
	if _, err := svc.ComputeResults(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	// acceptThreeIn: A = 55, 10, 40 and B = 80, 40, 60; p1 is the first.
	rows, total, err := svc.ListResults(ctx, platform.ResultFilter{CycleID: c.ID, Level: 1, PilotIDs: []int64{p1.ID}})
	if err != nil || total != 2 || len(rows) != 2 || rows[0].Code != "A" || rows[1].Code != "B" ||
		*rows[0].Score != 55 || *rows[0].Rank != 1 || *rows[1].Score != 80 || *rows[1].Rank != 1 || rows[0].PilotID != p1.ID {
		t.Fatalf("level 1 of pilot %d: %d %+v, %v", p1.ID, total, rows, err)
	}
	best, err := svc.NodeBest(ctx, c.ID, []string{"A", "B"})
	if err != nil || len(best) != 2 || best["A"] != 55 || best["B"] != 80 {
		t.Fatalf("best: %v, %v", best, err)
	}
	_, _, err = svc.ListResults(ctx, platform.ResultFilter{CycleID: c.ID, PilotIDs: []int64{p1.ID, -1}})
	wantErr(t, err, platform.Invalid, platform.CodeBadValue, "-1")
	_, _, err = svc.ListResults(ctx, platform.ResultFilter{CycleID: c.ID, PilotIDs: make([]int64, 1001)})
	wantErr(t, err, platform.Invalid, platform.CodeOutOfRange, "1001")
}
