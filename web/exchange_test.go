package web

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The import endpoint answers 200 with the report (every error with its
// cell) and writes on a clean file; the template downloads as a workbook
// with the entry pre-filled.
func TestImportEndpointAndTemplateDownload(t *testing.T) {
	e := newTestEnv(t, envOptions{})
	p, c := e.fixture()
	s := e.submission(c, p)
	base := "/api/v1/cycles/" + itoa(c.ID)
	bad := "标题行\n试点ID,指标代码,数值,等级,填报说明\n" + itoa(p.ID) + ",1.1.1,,很好,\n" + itoa(p.ID) + ",1.2.1,120,,\n"
	var rep struct {
		OK         bool `json:"ok"`
		Rows       int  `json:"rows"`
		Applied    int  `json:"applied"`
		ErrorCount int  `json:"error_count"`
		Errors     []struct{ Cell, Message string }
	}
	e.upload(base+"/entries/import?dry_run=true", "file", "t.csv", []byte(bad)).expect(200).decode(&rep)
	if rep.OK || rep.Rows != 2 || rep.ErrorCount != 2 || rep.Errors[0].Cell != "t.csv!D3" || rep.Errors[1].Cell != "t.csv!C4" {
		t.Fatalf("report = %+v", rep)
	}
	good := "试点ID,指标代码,数值,等级,填报说明\n" + itoa(p.ID) + ",1.1.1,,3 推进,专家论证\n"
	e.upload(base+"/entries/import", "file", "t.csv", []byte(good)).expect(200).decode(&rep)
	if !rep.OK || rep.Applied != 1 {
		t.Fatalf("report = %+v", rep)
	}
	res := e.do("GET", base+"/template.xlsx?pilot="+itoa(p.ID), nil).expect(200)
	if ct := res.header.Get("Content-Type"); ct != xlsxType {
		t.Fatalf("content type %q", ct)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(res.body)))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := f.GetCellValue("数据", "J2"); v != "3 推进" {
		t.Fatalf("J2 = %q, want the stored level", v)
	}
	e.do("GET", "/api/v1/submissions/"+itoa(s.ID)+"/export.xlsx", nil).expect(200)
	e.do("GET", "/api/v1/frameworks/mohurd-2012/export.md", nil).expect(200)
	e.do("GET", base+"/template.xlsx?pilot=999", nil).expect(404)
}
