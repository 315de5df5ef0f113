package platform_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/sceval/sceval/engine"
	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
	"github.com/sceval/sceval/region"
)

// registry loads the embedded region registry.
func registry(t testing.TB) *region.Registry {
	t.Helper()
	r, err := region.Default()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// An update without status no longer reactivates a suspended pilot: PUT
// (UpdatePilot) must name it, PATCH changes only what it names, and every
// change is in the pilot's history with who made it.
func TestPilotCorrections(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		svc := newServiceWith(t, store, platform.ServiceOptions{Regions: registry(t)}, nil)
		p, err := svc.CreatePilot(admin, platform.Pilot{RegionCode: "320583", Name: "昆山", Batch: "2013", Type: platform.PilotCity, Status: platform.PilotSuspended})
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.UpdatePilot(admin, platform.Pilot{ID: p.ID, Version: p.Version, RegionCode: p.RegionCode, Name: "昆山市", Batch: p.Batch, Type: p.Type})
		wantErr(t, err, platform.Invalid, platform.CodeRequired, "must name its status")
		ministry := platform.WithIdentity(admin, platform.Identity{User: "住建部", Roles: []string{"ministry"}})
		got, err := svc.PatchPilot(ministry, p.ID, []byte(`{"name": "昆山市", "version": 1}`))
		if err != nil || got.Name != "昆山市" || got.Status != platform.PilotSuspended || got.Type != platform.PilotCity || got.Version != 2 {
			t.Fatalf("patch name: %+v, %v", got, err)
		}
		got, err = svc.PatchPilot(ministry, p.ID, []byte(`{"status": "active", "batch": "2014", "version": 2}`))
		if err != nil || got.Status != platform.PilotActive || got.Batch != "2014" || got.Name != "昆山市" {
			t.Fatalf("patch status and batch: %+v, %v", got, err)
		}
		_, err = svc.PatchPilot(ministry, p.ID, []byte(`{"name": "x", "version": 2}`))
		wantErr(t, err, platform.Conflict, platform.CodeStaleVersion, "current version is 3")
		_, err = svc.PatchPilot(ministry, p.ID, []byte(`{"colour": "red", "province_code": "11", "version": 3}`))
		wantErr(t, err, platform.Invalid, platform.CodeBadValue, "cannot set colour, province_code")
		_, err = svc.PatchPilot(ministry, p.ID, []byte(`{"status": null, "version": 3}`))
		wantErr(t, err, platform.Invalid, platform.CodeRequired, "status cannot be removed")
		_, err = svc.PatchPilot(ministry, p.ID, []byte(`{"name": "昆山市"}`))
		wantErr(t, err, platform.Invalid, platform.CodeRequired, "version")
		_, err = svc.PatchPilot(ministry, p.ID, []byte(`{"type": "district", "region_code": "110105", "version": 3}`))
		if err != nil {
			t.Fatalf("a county-level city corrected to a district: %v", err)
		}
		_, err = svc.PatchPilot(ministry, p.ID, []byte(`{"type": "city", "version": 4}`))
		wantErr(t, err, platform.Invalid, platform.CodeBadValue, "region 110105 is a county-level division, so the pilot cannot be of type city")
		hist, err := svc.PilotHistory(admin, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, c := range hist {
			lines = append(lines, fmt.Sprintf("v%d %s %s→%s by %s", c.Version, c.Field, c.Old, c.New, c.Actor))
		}
		want := []string{"v2 name 昆山→昆山市 by 住建部", "v3 batch 2013→2014 by 住建部", "v3 status suspended→active by 住建部",
			"v4 region_code 320583→110105 by 住建部", "v4 type city→district by 住建部"}
		if fmt.Sprint(lines) != fmt.Sprint(want) {
			t.Fatalf("history:\n%v\nwant\n%v", lines, want)
		}
	})
}

// Renaming a cycle with PATCH keeps its scheme, thresholds and dates; an
// explicit null clears a date.
func TestCyclePatchKeepsOmittedFields(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		svc := newServiceWith(t, store, platform.ServiceOptions{}, nil)
		opens, due := time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2015, 6, 30, 16, 0, 0, 0, time.UTC)
		thresholds := []engine.StarThreshold{{Stars: 1, Min: 50}, {Stars: 2, Min: 65}, {Stars: 3, Min: 85}}
		scheme := json.RawMessage(`{"aggregation": {"method": "gmean"}}`)
		c, err := svc.CreateCycle(admin, platform.Cycle{Name: "2015 终期验收", Kind: platform.CycleFinalAcceptance, Year: 2015,
			FrameworkID: "tiny", Scheme: scheme, StarThresholds: thresholds, OpensAt: &opens, DueAt: &due})
		if err != nil {
			t.Fatal(err)
		}
		if c, err = svc.TransitionCycle(admin, c.ID, c.Version, platform.CycleOpen); err != nil {
			t.Fatal(err)
		}
		got, err := svc.PatchCycle(admin, c.ID, fmt.Appendf(nil, `{"name": "2015 终期验收（修订）", "version": %d}`, c.Version))
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "2015 终期验收（修订）" || string(got.Scheme) != string(c.Scheme) || fmt.Sprint(got.StarThresholds) != fmt.Sprint(thresholds) ||
			got.OpensAt == nil || !got.OpensAt.Equal(opens) || got.DueAt == nil || !got.DueAt.Equal(due) || got.State != platform.CycleOpen {
			t.Fatalf("after renaming:\n%+v\nwant the scheme, thresholds and dates of\n%+v", got, c)
		}
		got, err = svc.PatchCycle(admin, c.ID, fmt.Appendf(nil, `{"opens_at": null, "star_thresholds": [{"stars": 1, "min": 60}], "version": %d}`, got.Version))
		if err != nil || got.OpensAt != nil || got.DueAt == nil || len(got.StarThresholds) != 1 || string(got.Scheme) != string(c.Scheme) {
			t.Fatalf("after clearing opens_at: %+v, %v", got, err)
		}
		_, err = svc.PatchCycle(admin, c.ID, fmt.Appendf(nil, `{"framework_id": "mohurd-2012", "version": %d}`, got.Version))
		wantErr(t, err, platform.Conflict, platform.CodeFrameworkFrozen, "frozen")
		_, err = svc.PatchCycle(admin, c.ID, fmt.Appendf(nil, `{"state": "published", "version": %d}`, got.Version))
		wantErr(t, err, platform.Invalid, platform.CodeBadValue, "cannot set state")
	})
}

// Region codes are accepted in every form and stored in one; a pilot's type
// must fit its region's level; the province filter takes a code or a name.
func TestPilotRegionCodesAndTypes(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, store *sqlstore.Store) {
		svc := newServiceWith(t, store, platform.ServiceOptions{Regions: registry(t)}, nil)
		for _, tc := range []struct {
			code, want string
			typ        platform.PilotType
		}{
			{"1301", "130100", platform.PilotCity},            // registry short form
			{"320583", "320583", platform.PilotCity},          // 昆山市, a county-level city
			{"110000", "110000", platform.PilotCity},          // 北京市, a municipality
			{"110105", "110105", platform.PilotDistrict},      // 朝阳区
			{"110108011000", "110108011", platform.PilotTown}, // 中关村街道, 12-digit form
			{"3205", "320500", platform.PilotCity},            // 苏州市
		} {
			p, err := svc.CreatePilot(admin, platform.Pilot{RegionCode: tc.code, Name: "试点" + tc.code, Batch: "2013", Type: tc.typ})
			if err != nil || p.RegionCode != tc.want || p.ProvinceCode != tc.want[:2] {
				t.Errorf("%s as %s: %+v, %v; want code %s", tc.code, tc.typ, p, err, tc.want)
			}
		}
		for _, tc := range []struct {
			code  string
			typ   platform.PilotType
			inMsg string
		}{
			{"110105", platform.PilotCity, "region 110105 is a county-level division, so the pilot cannot be of type city"},
			{"130100", platform.PilotDistrict, "130100 is a prefecture-level city"},
			{"110108", platform.PilotTown, "a town, township or subdistrict"},
			{"320000", platform.PilotCity, "320000 is a province-level division"},
			{"13x", platform.PilotCity, `"13x" is not an administrative-division code`},
		} {
			_, err := svc.CreatePilot(admin, platform.Pilot{RegionCode: tc.code, Name: "x", Batch: "2014", Type: tc.typ})
			wantErr(t, err, platform.Invalid, platform.CodeBadValue, tc.inMsg)
		}
		_, err := svc.CreatePilot(admin, platform.Pilot{RegionCode: "130100000000", Name: "x", Batch: "2013", Type: platform.PilotCity})
		wantErr(t, err, platform.Conflict, platform.CodeDuplicate, "130100")
		for _, q := range []string{"32", "320000", "江苏省", "江苏"} {
			ps, total, err := svc.ListPilots(admin, platform.PilotFilter{Province: q})
			if err != nil || total != 2 || ps[0].RegionCode != "320500" || ps[1].RegionCode != "320583" {
				t.Errorf("province %s: %d %+v, %v", q, total, ps, err)
			}
		}
		for _, q := range []string{"火星", "99", "3205"} {
			_, _, err := svc.ListPilots(admin, platform.PilotFilter{Province: q})
			wantErr(t, err, platform.Invalid, platform.CodeBadValue, "province")
		}
	})
}
