package ui_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
)

func TestExchangePageChecksAnUploadAndShowsEveryCell(t *testing.T) {
	e := newEnv(t, true)
	cycles, _, err := e.svc.ListCycles(e.ctx, platform.CycleFilter{State: "open"})
	if err != nil || len(cycles) == 0 {
		t.Fatalf("open cycles: %v %v", cycles, err)
	}
	id := strconv.FormatInt(cycles[0].ID, 10)
	e.get("/exchange").html(http.StatusOK).has("/api/v1/cycles/"+id+"/template.xlsx", "/api/v1/cycles/"+id+"/results.csv")
	e.get("/exchange?lang=en").html(http.StatusOK).has("Data exchange")
	e.anonymous().get("/exchange").html(http.StatusNotFound)

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("cycle", id)
	mw.WriteField("mode", "check")
	fw, _ := mw.CreateFormFile("file", "entries.csv")
	// Pilot 3 (石家庄市) holds the demo's open draft.
	io.WriteString(fw, "试点ID,指标代码,数值,等级,填报说明\n999999,1.1.1,,2 起步,\n3,9.9.9,,,\n")
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, e.http.URL+"/exchange/import", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", e.auth)
	res, err := e.http.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	html, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d: %s", res.StatusCode, html)
	}
	for _, want := range []string{"entries.csv!A2", "试点 999999 不在本周期中", "entries.csv!B3", "未知的指标代码“9.9.9”", "检查结果（未写入）"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
