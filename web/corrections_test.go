package web

import (
	"mime"
	"os"
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
)

// eachEnv runs fn on a server over SQLite and, when SCEVAL_TEST_POSTGRES is
// set, over PostgreSQL.
func eachEnv(t *testing.T, fn func(t *testing.T, env *testEnv)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, newTestEnv(t, envOptions{})) })
	t.Run("postgres", func(t *testing.T) {
		if os.Getenv(sqlstoretest.PostgresEnv) == "" {
			t.Skip(sqlstoretest.PostgresEnv + " not set: skipping PostgreSQL tests")
		}
		fn(t, newTestEnv(t, envOptions{dsn: sqlstoretest.PostgresDSN(t, nil)}))
	})
}

// The inputs that used to panic (recovered into 500s with a stack trace in
// the log) are answered, and paging parameters are validated or clamped;
// the province filter of results works by code or name, and a misspelt
// parameter is a 400 naming it instead of being ignored.
func TestPagingAndFiltersOnResults(t *testing.T) {
	eachEnv(t, func(t *testing.T, env *testEnv) {
		runLifecycle(t, env)
		cycles := list[platform.Cycle](env.do("GET", "/api/v1/cycles", nil).expect(200))
		c := cycles.Items[0]
		base := "/api/v1/cycles/" + itoa(c.ID) + "/results"
		for _, offset := range []string{"9223372036854775807", "1073741824", "3"} {
			far := list[platform.ResultRow](env.do("GET", base+"?limit=1000&offset="+offset, nil).expect(200))
			if len(far.Items) != 0 || far.Total != 3 {
				t.Errorf("offset %s, past the end: %+v", offset, far)
			}
		}
		env.do("GET", base+"?offset=-1", nil).expectError(422, "invalid", "offset")
		env.do("GET", base+"?offset=92233720368547758070", nil).expectError(422, "invalid", "offset")
		for _, path := range []string{"/api/v1/pilots", "/api/v1/cycles", "/api/v1/submissions", "/api/v1/regions"} {
			l := list[platform.Pilot](env.do("GET", path+"?offset=9223372036854775807", nil).expect(200))
			if len(l.Items) != 0 || l.Total == 0 {
				t.Errorf("%s past the end: %d items of %d", path, len(l.Items), l.Total)
			}
		}
		page := env.do("GET", "/cycles/"+itoa(c.ID)+"?page=92233720368547759", nil).expect(200)
		if !strings.Contains(string(page.body), "温州市") {
			t.Errorf("a page past the end does not show the last page")
		}
		for _, q := range []string{"33", "330000", "浙江", "浙江省"} {
			rows := list[platform.ResultRow](env.do("GET", base+"?province="+q, nil).expect(200))
			if rows.Total != 1 || rows.Items[0].PilotName != "温州市" || *rows.Items[0].Rank != 1 {
				t.Errorf("province %s: %+v", q, rows)
			}
		}
		if rows := list[platform.ResultRow](env.do("GET", base+"?province=11", nil).expect(200)); rows.Total != 0 {
			t.Errorf("province 11: %+v", rows)
		}
		env.do("GET", base+"?province=火星", nil).expectError(422, "bad_value", "province")
		e := env.do("GET", base+"?provnce=32&sort=rank", nil).expectError(400, "unknown_parameter", "provnce")
		if !strings.Contains(e.Error.Message, "unknown query parameter provnce (this endpoint takes") {
			t.Errorf("message: %s", e.Error.Message)
		}
		pilots := list[platform.Pilot](env.do("GET", "/api/v1/pilots?province=江苏", nil).expect(200))
		if pilots.Total != 1 || pilots.Items[0].Name != "无锡市" {
			t.Errorf("pilots of 江苏: %+v", pilots)
		}
		if strings.Contains(env.logs.String(), "panic") {
			t.Errorf("the log has a panic:\n%s", env.logs)
		}
	})
}

// Pilot imports over HTTP: a malformed row is a 422 naming its line (it
// used to panic), every problem is listed in details, a dry run stores
// nothing.
func TestImportPilotsProblemsAndDryRun(t *testing.T) {
	eachEnv(t, func(t *testing.T, env *testEnv) {
		e := env.do("POST", "/api/v1/pilots/import", []byte("region_code,name,batch,type\n\"0"), "Content-Type", "text/csv").
			expectError(422, "bad_value", "file")
		if !strings.Contains(e.Error.Message, "upload.csv:2: column 3") {
			t.Errorf("message: %s", e.Error.Message)
		}
		bad := "行政区划代码,名称,批次,类型\n110105,朝阳区,2013,城市\n1101x,x,2013,区\n110106,丰台区,2013,区\n"
		e = env.do("POST", "/api/v1/pilots/import", []byte(bad), "Content-Type", "text/csv").expectError(422, "bad_value")
		if len(e.Error.Details) != 2 || e.Error.Details[0].Line != 2 || e.Error.Details[1].Line != 3 || e.Error.Details[1].Field != "region_code" {
			t.Errorf("details: %+v", e.Error.Details)
		}
		var res ImportResult
		good := "行政区划代码,名称,批次,类型\n110105,朝阳区,2013,区\n110106,丰台区,2013,区\n"
		env.do("POST", "/api/v1/pilots/import?dry_run=true", []byte(good), "Content-Type", "text/csv").expect(200).decode(&res)
		if res.Created != 2 || !res.DryRun {
			t.Errorf("dry run: %+v", res)
		}
		if l := list[platform.Pilot](env.do("GET", "/api/v1/pilots", nil).expect(200)); l.Total != 0 {
			t.Errorf("a dry run stored %d pilots", l.Total)
		}
		env.do("POST", "/api/v1/pilots/import", []byte(good), "Content-Type", "text/csv").expect(200).decode(&res)
		if res.Created != 2 || res.DryRun {
			t.Errorf("import: %+v", res)
		}
	})
}

// PUT needs every field; PATCH changes what it names; the history says who
// changed what.
func TestPilotAndCyclePatch(t *testing.T) {
	eachEnv(t, func(t *testing.T, env *testEnv) {
		var p platform.Pilot
		env.do("POST", "/api/v1/pilots", PilotFields{RegionCode: "320583", Name: "昆山", Batch: "2013-1", Type: "city", Status: "suspended"}).
			expect(201).decode(&p)
		env.do("PUT", "/api/v1/pilots/"+itoa(p.ID), `{"region_code":"320583","name":"昆山市","batch":"2013-1","type":"city","version":1}`).
			expectError(422, "invalid", "status")
		env.do("PATCH", "/api/v1/pilots/"+itoa(p.ID), []byte(`{"name":"昆山市","version":1}`), "Content-Type", "application/merge-patch+json").
			expect(200).decode(&p)
		if p.Name != "昆山市" || p.Status != "suspended" || p.Version != 2 {
			t.Fatalf("patched: %+v", p)
		}
		hist := list[platform.PilotChange](env.do("GET", "/api/v1/pilots/"+itoa(p.ID)+"/history", nil).expect(200))
		if hist.Total != 1 || hist.Items[0].Field != "name" || hist.Items[0].Old != "昆山" || hist.Items[0].New != "昆山市" {
			t.Fatalf("history: %+v", hist)
		}
		env.do("PATCH", "/api/v1/pilots/"+itoa(p.ID), []byte(`{"colour":"red","version":2}`), "Content-Type", "application/merge-patch+json").
			expectError(422, "bad_value", "colour")

		c := env.openCycle()
		var got platform.Cycle
		env.do("PATCH", "/api/v1/cycles/"+itoa(c.ID), []byte(`{"name":"改名","version":`+itoa(int64(c.Version))+`}`),
			"Content-Type", "application/merge-patch+json").expect(200).decode(&got)
		if got.Name != "改名" || string(got.Scheme) != string(c.Scheme) || len(got.StarThresholds) != len(c.StarThresholds) {
			t.Fatalf("patched cycle: %+v, was %+v", got, c)
		}
		env.do("PUT", "/api/v1/cycles/"+itoa(c.ID), `{"name":"x","kind":"annual_monitoring","year":2014,"framework_id":"mohurd-2012","version":`+itoa(int64(got.Version))+`}`).
			expectError(422, "invalid")
	})
}

// Evidence over HTTP: the download name's extension is the content's, a
// second upload of the same file answers 200 with the first record, the
// uploader deletes it and the history keeps it.
func TestEvidenceCorrectionsOverHTTP(t *testing.T) {
	eachEnv(t, func(t *testing.T, env *testEnv) {
		p, c := env.fixture()
		sub := env.submission(c, p)
		path := "/api/v1/submissions/" + itoa(sub.ID) + "/entries/1.1.1/evidence"
		polyglot := []byte("GIF89a\x01\x00\x01\x00<html><script>alert(document.cookie)</script></html>")
		var ev platform.Evidence
		env.upload(path, "file", "evil.html", polyglot).expect(201).decode(&ev)
		if ev.Filename != "evil.gif" || ev.OriginalName != "evil.html" || ev.ContentType != "image/gif" {
			t.Fatalf("uploaded: %+v", ev)
		}
		dl := env.do("GET", "/api/v1/evidence/"+itoa(ev.ID), nil).expect(200)
		if _, params, _ := mime.ParseMediaType(dl.header.Get("Content-Disposition")); params["filename"] != "evil.gif" {
			t.Errorf("downloads as %q", dl.header.Get("Content-Disposition"))
		}
		var again platform.Evidence
		env.upload(path, "file", "again.gif", polyglot).expect(200).decode(&again)
		if again.ID != ev.ID || !again.Existing {
			t.Errorf("second upload: %+v", again)
		}
		env.do("DELETE", "/api/v1/evidence/"+itoa(ev.ID), nil).expect(200)
		env.do("GET", "/api/v1/evidence/"+itoa(ev.ID), nil).expectError(404, "not_found")
		if l := list[platform.Evidence](env.do("GET", "/api/v1/submissions/"+itoa(sub.ID)+"/evidence", nil).expect(200)); l.Total != 0 {
			t.Errorf("live evidence after delete: %+v", l)
		}
		all := list[platform.Evidence](env.do("GET", "/api/v1/submissions/"+itoa(sub.ID)+"/evidence?deleted=true", nil).expect(200))
		if all.Total != 1 || all.Items[0].DeletedAt == nil || all.Items[0].SHA256 != "" {
			t.Errorf("history: %+v", all)
		}
	})
}
