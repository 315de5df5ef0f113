package platform_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/sceval/sceval/demo"
	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
	"github.com/sceval/sceval/region"
)

// seededDemo returns a service on store holding the demo (computed
// results) and its cycle's ID.
func seededDemo(t *testing.T, store *sqlstore.Store) (*platform.Service, int64) {
	t.Helper()
	svc := newServiceWith(t, store, platform.ServiceOptions{}, nil)
	regions, err := region.Default()
	if err != nil {
		t.Fatal(err)
	}
	sum, err := demo.Seed(adminContext(), svc, regions, demo.Options{})
	if err != nil {
		t.Fatalf("seed demo: %v", err)
	}
	return svc, sum.CycleID
}

// The result table holds every scored pilot once, with the stored overall
// and first-level scores and the pilots' attributes; the comparison's
// scheme A reproduces the stored ranks, its shifts are rank A − rank B; the
// uncertainty intervals hold their medians; both analyses are the
// ministry's only.
func TestResultTableAndAnalyses(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testResultTableAndAnalyses(t, sqlstoretest.SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { testResultTableAndAnalyses(t, sqlstoretest.Postgres(t)) })
}

func testResultTableAndAnalyses(t *testing.T, store *sqlstore.Store) {
	svc, cycleID := seededDemo(t, store)
	ctx := adminContext()
	tab, err := svc.ResultTable(ctx, cycleID)
	if err != nil {
		t.Fatal(err)
	}
	_, total, err := svc.ListResults(ctx, platform.ResultFilter{CycleID: cycleID, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) != total || total == 0 {
		t.Fatalf("table has %d rows, the run %d", len(tab.Rows), total)
	}
	if len(tab.Level1) != 4 {
		t.Errorf("first-level codes %v, want the seed's 4", tab.Level1)
	}
	// The table's order is the ranking's (ListResults sorts by rank).
	ranking, _, err := svc.ListResults(ctx, platform.ResultFilter{CycleID: cycleID, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range ranking {
		if tab.Rows[i].PilotID != r.PilotID || *tab.Rows[i].Score != *r.Score || fmt.Sprint(tab.Rows[i].Missing) != fmt.Sprint(r.Missing) ||
			*tab.Rows[i].Ranked != *r.Ranked || tab.Rows[i].Coverage != r.Coverage || tab.Rows[i].PilotName != r.PilotName {
			t.Errorf("row %d: table %+v, ranking %+v", i, tab.Rows[i].ResultRow, r)
		}
	}
	stored := map[int64]int{}
	for _, r := range tab.Rows {
		p, err := svc.GetPilot(ctx, r.PilotID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Type != r.Type || p.Batch != r.Batch || p.ProvinceCode != r.ProvinceCode {
			t.Errorf("pilot %d: table says %s/%s/%s, pilot %s/%s/%s", r.PilotID, r.Type, r.Batch, r.ProvinceCode, p.Type, p.Batch, p.ProvinceCode)
		}
		one, _, err := svc.ListResults(ctx, platform.ResultFilter{CycleID: cycleID, Code: "1", PilotIDs: []int64{r.PilotID}})
		if err != nil || len(one) != 1 {
			t.Fatalf("pilot %d at 1: %v %v", r.PilotID, one, err)
		}
		if got, want := r.Level1["1"], one[0].Score; (got == nil) != (want == nil) || (got != nil && *got != *want) {
			t.Errorf("pilot %d: first-level score 1 is %v, stored %v", r.PilotID, got, want)
		}
		if r.Rank != nil {
			stored[r.PilotID] = *r.Rank
		}
	}

	cmp, err := svc.CompareSchemes(ctx, cycleID, platform.SchemeVariant{Aggregation: "gmean"})
	if err != nil {
		t.Fatal(err)
	}
	if len(cmp.Rows) != len(stored) {
		t.Errorf("comparison has %d pilots, the ranking %d", len(cmp.Rows), len(stored))
	}
	sum := 0
	for _, r := range cmp.Rows {
		if r.RankA != stored[r.PilotID] {
			t.Errorf("pilot %d: rank A %d, stored rank %d", r.PilotID, r.RankA, stored[r.PilotID])
		}
		if r.Shift != r.RankA-r.RankB {
			t.Errorf("pilot %d: shift %d, ranks %d → %d", r.PilotID, r.Shift, r.RankA, r.RankB)
		}
		sum += max(r.Shift, -r.Shift)
	}
	if want := float64(sum) / float64(len(cmp.Rows)); cmp.MeanAbsShift != want {
		t.Errorf("mean absolute shift %v, want %v", cmp.MeanAbsShift, want)
	}
	if _, err := svc.CompareSchemes(ctx, cycleID, platform.SchemeVariant{}); platform.ErrorKindOf(err) != platform.Invalid {
		t.Errorf("empty variant: %v, want invalid", err)
	}

	set := platform.DefaultUncertainty()
	set.Runs = 64
	unc, err := svc.ResultUncertainty(ctx, cycleID, set)
	if err != nil {
		t.Fatal(err)
	}
	if len(unc.Intervals) != len(stored) {
		t.Errorf("%d intervals, %d ranked pilots", len(unc.Intervals), len(stored))
	}
	for _, iv := range unc.Intervals {
		if iv.Nominal != stored[iv.PilotID] {
			t.Errorf("pilot %d: nominal rank %d, stored %d", iv.PilotID, iv.Nominal, stored[iv.PilotID])
		}
		if iv.P05 == nil || iv.Median == nil || iv.P95 == nil || *iv.P05 > *iv.Median || *iv.Median > *iv.P95 {
			t.Errorf("pilot %d: interval %v ≤ %v ≤ %v does not hold", iv.PilotID, iv.P05, iv.Median, iv.P95)
		}
	}

	for _, who := range []context.Context{
		context.Background(),
		platform.WithIdentity(context.Background(), platform.Identity{User: "p", Roles: []string{string(platform.RoleProvince)}, Province: "13"}),
	} {
		if _, err := svc.CompareSchemes(who, cycleID, platform.SchemeVariant{Aggregation: "gmean"}); err == nil {
			t.Errorf("comparison allowed to %+v", platform.IdentityFrom(who))
		}
		if _, err := svc.ResultUncertainty(who, cycleID, set); err == nil {
			t.Errorf("uncertainty allowed to %+v", platform.IdentityFrom(who))
		}
	}
}

// BenchmarkResultTable reads a national run whole (41,352 towns: overall
// and first-level rows, pilot attributes), as every results page and the
// summary report do.
func BenchmarkResultTable(b *testing.B) {
	n := benchPilots()
	svc, c := loadNational(b, sqlstoretest.SQLite(b), n)
	ctx := adminContext()
	if _, err := svc.ComputeResults(ctx, c.ID); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		tab, err := svc.ResultTable(ctx, c.ID)
		if err != nil {
			b.Fatal(err)
		}
		if len(tab.Rows) != n {
			b.Fatalf("%d rows, want %d", len(tab.Rows), n)
		}
	}
}
