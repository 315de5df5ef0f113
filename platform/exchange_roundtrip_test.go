package platform_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sceval/sceval/exchange"
	"github.com/sceval/sceval/platform"
	"github.com/xuri/excelize/v2"
)

// roundTrip runs template → fill in → import → accept → results for three
// pilots whose scores are known (as acceptThree): A.1 = 10, 20, 30 %, A.2
// levels 3, 1, 2, B.1 = 80, 40, 60 give overall 67.5, 25, 50, ranks 1, 3,
// 2 and stars 1, 0, 0. The second pilot's name starts with "-" (formula
// injection).
func roundTrip(t *testing.T) (*platform.Service, context.Context, *exchange.ResultsTable) {
	t.Helper()
	svc, _ := newService(t, platform.ServiceOptions{})
	ctx := adminContext()
	c := openCycle(t, svc)
	names := []string{"朝阳区", "-海淀区", "丰台区"}
	var subs []platform.Submission
	for i, region := range []string{"110105", "110108", "110106"} {
		p, err := svc.CreatePilot(ctx, platform.Pilot{RegionCode: region, Name: names[i], Batch: "2013", Type: platform.PilotDistrict})
		if err != nil {
			t.Fatal(err)
		}
		sub, err := svc.CreateSubmission(ctx, c.ID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		subs = append(subs, sub)
	}
	sh, err := svc.EntrySheet(ctx, c.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := exchange.WriteTemplate(&buf, sh); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	// Rows 2–4 are pilot 1's A.1, A.2, B.1; 5–7 pilot 2's; 8–10 pilot 3's.
	fill := []struct {
		a1    float64
		level string
		b1    float64
	}{{10, "3 好", 80}, {20, "差", 40}, {30, "2", 60}}
	for i, v := range fill {
		r := 2 + 3*i
		f.SetCellValue(exchange.SheetData, "I"+strconv.Itoa(r), v.a1)
		f.SetCellValue(exchange.SheetData, "J"+strconv.Itoa(r+1), v.level)
		f.SetCellValue(exchange.SheetData, "I"+strconv.Itoa(r+2), v.b1)
	}
	buf.Reset()
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	rep, err := svc.ImportEntries(ctx, c.ID, "filled.xlsx", bytes.NewReader(buf.Bytes()), platform.EntryImportOptions{})
	if err != nil || rep.Applied != 9 || !rep.OK() {
		t.Fatalf("import: %+v %v", rep, err)
	}
	for _, s := range subs {
		s, err := svc.TransitionSubmission(ctx, s.ID, s.Version, platform.SubmissionSubmitted, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.TransitionSubmission(ctx, s.ID, s.Version, platform.SubmissionAccepted, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.ComputeResults(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	table, err := exchange.CollectResults(ctx, svc, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return svc, ctx, table
}

func TestRoundTripTemplateImportResultsExport(t *testing.T) {
	_, _, table := roundTrip(t)
	type want struct {
		pilot string
		rank  int
		score float64
		stars int
	}
	wants := []want{{"朝阳区", 1, 67.5, 1}, {"丰台区", 2, 50, 0}, {"-海淀区", 3, 25, 0}}
	if len(table.Rows) != 3 {
		t.Fatalf("rows = %+v", table.Rows)
	}
	for i, w := range wants {
		r := table.Rows[i]
		if r.Pilot != w.pilot || *r.Rank != w.rank || *r.Score != w.score || *r.Stars != w.stars {
			t.Errorf("row %d = %s rank %v score %v stars %v, want %+v", i, r.Pilot, *r.Rank, *r.Score, *r.Stars, w)
		}
	}
	// CSV: a BOM, the injection escaped, numbers as numbers.
	var out bytes.Buffer
	if err := exchange.WriteResultsCSV(&out, table); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out.Bytes(), []byte("\ufeff")) {
		t.Fatal("the CSV has no BOM")
	}
	recs, err := csv.NewReader(bytes.NewReader(out.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if recs[1][0] != "1" || recs[1][4] != "67.5" || recs[3][2] != "'-海淀区" || recs[3][4] != "25" {
		t.Fatalf("CSV rows = %q", recs)
	}
	// JSON.
	out.Reset()
	if err := exchange.WriteResultsJSON(&out, table); err != nil {
		t.Fatal(err)
	}
	var back exchange.ResultsTable
	if err := json.Unmarshal(out.Bytes(), &back); err != nil || *back.Rows[0].Score != 67.5 || back.Rows[2].Pilot != "-海淀区" {
		t.Fatalf("JSON: %v %+v", err, back.Rows)
	}
	// XLSX: numbers, number formats, the colour scale, frozen panes.
	out.Reset()
	if err := exchange.WriteResultsXLSX(&out, table); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(out.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	sheet := f.GetSheetList()[0]
	if typ, _ := f.GetCellType(sheet, "E2"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("score cell type %v, want a number", typ)
	}
	if v, _ := f.GetCellValue(sheet, "E2"); v != "67.50" {
		t.Errorf("E2 shows %q, want 67.50 (format 0.00)", v)
	}
	if v, _ := f.GetCellValue(sheet, "C4"); v != "'-海淀区" {
		t.Errorf("C4 = %q, want the escaped name", v)
	}
	if cf, _ := f.GetConditionalFormats(sheet); len(cf["E2:E4"]) != 1 || cf["E2:E4"][0].Type != "3_color_scale" {
		t.Errorf("conditional formats = %+v", cf)
	}
	if p, _ := f.GetPanes(sheet); !p.Freeze || p.YSplit != 1 || p.XSplit != 3 {
		t.Errorf("panes = %+v", p)
	}
	if os.Getenv("SCEVAL_KEEP_XLSX") != "" {
		os.WriteFile(os.Getenv("SCEVAL_KEEP_XLSX"), out.Bytes(), 0o600)
	}
	compareWithLibreOffice(t, out.Bytes(), table)
}

// compareWithLibreOffice converts the results workbook to CSV with
// LibreOffice (headless) and compares every score with the table: another
// implementation reading our file. Skipped when soffice is not installed.
func compareWithLibreOffice(t *testing.T, xlsx []byte, table *exchange.ResultsTable) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		if soffice, err = exec.LookPath("libreoffice"); err != nil {
			t.Log("SKIPPED the LibreOffice comparison: soffice not found (apt-get install libreoffice-calc-nogui)")
			return
		}
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "results.xlsx")
	if err := os.WriteFile(in, xlsx, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", dir, in)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v: %s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "results.csv"))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\ufeff"))).ReadAll()
	if err != nil || len(recs) != len(table.Rows)+1 {
		t.Fatalf("LibreOffice CSV: %v %q", err, recs)
	}
	for i, r := range table.Rows {
		got := recs[i+1]
		if got[2] != "'"+r.Pilot && got[2] != r.Pilot {
			t.Errorf("LibreOffice row %d pilot %q, want %q", i+1, got[2], r.Pilot)
		}
		for j, s := range r.Scores[1:] {
			v, err := strconv.ParseFloat(got[8+j], 64)
			if s == nil || err != nil || v != float64(int(*s*100+0.5))/100 {
				t.Errorf("LibreOffice row %d column %d = %q, want %v", i+1, 9+j, got[8+j], s)
			}
		}
	}
}
