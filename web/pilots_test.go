package web

import (
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
)

func TestPilotLifecycle(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	create := env.do("POST", "/api/v1/pilots", PilotFields{RegionCode: "110105", Name: "北京市朝阳区", Batch: "2013-1", Type: "district"}).expect(201)
	var p platform.Pilot
	create.decode(&p)
	if p.ID == 0 || p.Version != 1 || p.ProvinceCode != "11" || p.Status != platform.PilotActive {
		t.Fatalf("created: %+v", p)
	}
	if loc := create.header.Get("Location"); loc != "/api/v1/pilots/"+itoa(p.ID) {
		t.Errorf("Location %q", loc)
	}
	var got platform.Pilot
	env.do("GET", "/api/v1/pilots/"+itoa(p.ID), nil).expect(200).decode(&got)
	if got.Name != "北京市朝阳区" {
		t.Fatalf("get: %+v", got)
	}

	upd := PilotUpdate{RegionCode: "110105", Name: "北京市朝阳区", Batch: "2013-1", Type: "district", Status: "completed", Version: 1}
	env.do("PUT", "/api/v1/pilots/"+itoa(p.ID), upd).expect(200).decode(&got)
	if got.Version != 2 || got.Status != platform.PilotCompleted {
		t.Fatalf("updated: %+v", got)
	}
	e := env.do("PUT", "/api/v1/pilots/"+itoa(p.ID), upd).expectError(409, "stale_version")
	if cur, _ := e.Current.(map[string]any); cur["version"] != float64(2) {
		t.Errorf("stale update: current = %v, want the pilot at version 2", e.Current)
	}
}

func TestPilotListFilters(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	csv := "region_code,name,batch,type\n130100,石家庄市,2013-1,city\n110105,北京市朝阳区,2013-1,district\n320200,无锡市,2013-1,city\n330681,诸暨市,2013-2,city\n"
	var res ImportResult
	env.do("POST", "/api/v1/pilots/import", []byte(csv), "Content-Type", "text/csv").expect(200).decode(&res)
	if res.Created != 4 {
		t.Fatalf("imported %d, want 4", res.Created)
	}
	cases := []struct {
		query string
		names []string
		total int
	}{
		{"", []string{"北京市朝阳区", "石家庄市", "无锡市", "诸暨市"}, 4},
		{"?type=city&sort=-region_code", []string{"诸暨市", "无锡市", "石家庄市"}, 3},
		{"?province=32", []string{"无锡市"}, 1},
		{"?batch=2013-2", []string{"诸暨市"}, 1},
		{"?q=%E6%97%A0%E9%94%A1", []string{"无锡市"}, 1}, // 无锡
		{"?status=withdrawn", nil, 0},
		{"?sort=region_code&limit=2&offset=1", []string{"石家庄市", "无锡市"}, 4},
	}
	for _, c := range cases {
		l := list[platform.Pilot](env.do("GET", "/api/v1/pilots"+c.query, nil).expect(200))
		var names []string
		for _, p := range l.Items {
			names = append(names, p.Name)
		}
		if strings.Join(names, ",") != strings.Join(c.names, ",") || l.Total != c.total {
			t.Errorf("%q: %v (total %d), want %v (total %d)", c.query, names, l.Total, c.names, c.total)
		}
	}
}

func TestPilotErrors(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	env.do("GET", "/api/v1/pilots/999", nil).expectError(404, "not_found")
	env.do("GET", "/api/v1/pilots/abc", nil).expectError(422, "invalid", "id")
	env.do("PUT", "/api/v1/pilots/999", PilotUpdate{RegionCode: "130100", Name: "x", Batch: "1", Type: "city", Status: "active", Version: 1}).
		expectError(404, "not_found")
	env.do("POST", "/api/v1/pilots", `{"region_code": "130100", "name": `).expectError(400, "bad_request")
	env.do("POST", "/api/v1/pilots", PilotFields{RegionCode: "130100", Name: "石家庄市", Batch: "2013-1", Type: "metropolis"}).
		expectError(422, "invalid", "type")
	env.do("POST", "/api/v1/pilots", PilotFields{RegionCode: "13x", Name: "石家庄市", Batch: "2013-1", Type: "city"}).
		expectError(422, "invalid", "region_code")
	env.do("POST", "/api/v1/pilots", `{"region_code":"130100","name":"石家庄市","batch":"2013-1","type":"city","colour":"red"}`).
		expectError(422, "invalid")
	env.do("GET", "/api/v1/pilots?sort=colour", nil).expectError(422, "bad_value", "sort")

	ok := PilotFields{RegionCode: "130100", Name: "石家庄市", Batch: "2013-1", Type: "city"}
	env.do("POST", "/api/v1/pilots", ok).expect(201)
	env.do("POST", "/api/v1/pilots", ok).expectError(409, "duplicate")

	e := env.do("POST", "/api/v1/pilots/import", []byte("region_code,name,batch,type\n320200,无锡市,2013-1,city\n3202,常州,2013-1,city\n"),
		"Content-Type", "text/csv").expect(422)
	if !strings.Contains(string(e.body), ":3:") {
		t.Errorf("import error does not name the line: %s", e.body)
	}
	if l := list[platform.Pilot](env.do("GET", "/api/v1/pilots", nil).expect(200)); l.Total != 1 {
		t.Errorf("a failed import left %d pilots, want the 1 created before (all or nothing)", l.Total)
	}
}

// A CSV sent as a form (curl -F file=@pilots.csv, a browser) is imported
// like a text/csv body, and errors name the uploaded file.
func TestImportPilotsFromAForm(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	var res ImportResult
	env.upload("/api/v1/pilots/import", "file", "试点.csv", []byte("region_code,name,batch,type\n320200,无锡市,2013-1,city\n")).
		expect(200).decode(&res)
	if res.Created != 1 {
		t.Fatalf("imported %d, want 1", res.Created)
	}
	// 3202 is the registry's code of 320200 无锡市: the same region.
	e := env.upload("/api/v1/pilots/import", "file", "第二批.csv", []byte("region_code,name,batch,type\n3202,无锡,2013-1,city\n")).
		expectError(422, "duplicate")
	if !strings.HasPrefix(e.Error.Message, "第二批.csv:2: region 320200 is already a pilot of batch 2013-1") {
		t.Errorf("form import error: %q, want it to name 第二批.csv line 2", e.Error.Message)
	}
	env.upload("/api/v1/pilots/import", "attachment", "试点.csv", []byte("region_code,name,batch,type\n")).
		expectError(422, "required", "file")
}
