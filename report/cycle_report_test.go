package report_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sceval/sceval/demo"
	"github.com/sceval/sceval/engine"
	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/blob"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/region"
	"github.com/sceval/sceval/report"
	"github.com/sceval/sceval/web/ui"
)

func ptr[T any](v T) *T { return &v }

// Summarise counts bins, stars, provinces and type means as done by hand
// here on six pilots.
func TestSummarise(t *testing.T) {
	row := func(id int64, prov string, typ platform.PilotType, score float64, stars int, ranked bool, l1 float64) platform.ResultTableRow {
		r := platform.ResultTableRow{ResultRow: platform.ResultRow{PilotID: id, PilotName: fmt.Sprint("p", id), Score: ptr(score),
			Stars: ptr(stars), Ranked: ptr(ranked)}, Type: typ, ProvinceCode: prov, Level1: map[string]*float64{"1": ptr(l1)}}
		if ranked {
			r.Rank = ptr(int(id))
		}
		return r
	}
	rows := []platform.ResultTableRow{
		row(1, "32", platform.PilotCity, 91, 3, true, 90),
		row(2, "11", platform.PilotCity, 74.999, 1, true, 70), // shown as 75.00: bin 75–80
		row(3, "32", platform.PilotDistrict, 60, 1, true, 50),
		row(4, "32", platform.PilotTown, 59.99, 0, true, 40),
		row(5, "11", platform.PilotTown, 100, 3, true, 100), // the last bin includes 100
		row(6, "44", platform.PilotCity, 20, -1, false, 10), // flagged: no stars
	}
	names := map[string]string{"32": "江苏省", "11": "北京市", "44": "广东省"}
	st := report.Summarise(rows, []string{"1"}, engine.DefaultStarThresholds(), func(c string) string { return names[c] }, 2)
	wantBins := map[int]int{18: 1, 15: 1, 12: 1, 11: 1, 19: 1, 4: 1}
	for i, b := range st.Histogram {
		if b.Count != wantBins[i] {
			t.Errorf("bin %d (%g–%g): %d, want %d", i, b.Low, b.High, b.Count, wantBins[i])
		}
	}
	if st.Scored != 6 || st.Ranked != 5 || st.Flagged != 1 {
		t.Errorf("scored/ranked/flagged %d/%d/%d, want 6/5/1", st.Scored, st.Ranked, st.Flagged)
	}
	if want := []int{1, 2, 0, 2}; fmt.Sprint(st.Stars) != fmt.Sprint(want) {
		t.Errorf("stars %v, want %v", st.Stars, want)
	}
	if want := (91 + 74.999 + 60 + 59.99 + 100 + 20) / 6; math.Abs(*st.Mean-want) > 1e-9 {
		t.Errorf("mean %v, want %v", *st.Mean, want)
	}
	var order []string
	for _, p := range st.Provinces {
		order = append(order, p.Name)
	}
	if want := "[北京市 广东省 江苏省]"; fmt.Sprint(order) != want { // pinyin: bei, guang, jiang
		t.Errorf("provinces %v, want %s", order, want)
	}
	if js := st.Provinces[2]; *js.Mean != (91+60+59.99)/3 || js.Pilots != 3 {
		t.Errorf("江苏省: %+v", js)
	}
	for _, ta := range st.Types {
		if ta.Type == platform.PilotTown && *ta.Means["1"] != 70 {
			t.Errorf("town mean at 1: %v, want 70", *ta.Means["1"])
		}
	}
	if st.Top[0].PilotID != 1 || st.Top[1].PilotID != 2 || st.Bottom[0].PilotID != 5 || st.Bottom[1].PilotID != 4 {
		t.Errorf("top %v bottom %v", st.Top, st.Bottom)
	}
}

// seeded is a service with the demo's computed results.
func seeded(t *testing.T) (*platform.Service, *region.Registry, int64, context.Context) {
	t.Helper()
	ctx := platform.WithIdentity(context.Background(), platform.Identity{User: "test-admin", Roles: []string{"admin"}})
	dir := t.TempDir()
	store, err := sqlstore.Open(ctx, filepath.Join(dir, "r.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	blobs, err := blob.NewFS(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	regions, err := region.Default()
	if err != nil {
		t.Fatal(err)
	}
	svc := platform.NewService(store, blobs, platform.BuiltinFrameworks{}, platform.ServiceOptions{})
	sum, err := demo.Seed(ctx, svc, regions, demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return svc, regions, sum.CycleID, ctx
}

// keyFigures are figures every report of the demo cycle must show,
// computed from the service's plain calls.
func keyFigures(t *testing.T, ctx context.Context, svc *platform.Service, cycleID int64) (name, mean, top, kendall string) {
	t.Helper()
	c, err := svc.GetCycle(ctx, cycleID)
	if err != nil {
		t.Fatal(err)
	}
	rows, _, err := svc.ListResults(ctx, platform.ResultFilter{CycleID: cycleID, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, r := range rows {
		sum += *r.Score
	}
	ag, err := svc.CycleAgreement(ctx, cycleID)
	if err != nil || ag.MeanKendallW == nil {
		t.Fatalf("agreement: %v %+v", err, ag)
	}
	return c.Name, fmt.Sprintf("%.2f", sum/float64(len(rows))), rows[0].PilotName, fmt.Sprintf("%.3f", *ag.MeanKendallW)
}

// The HTML report holds the key figures, inlines everything (no URL to
// load) and a province's report only that province's pilots; the PDF,
// printed by Chromium, holds the same figures in Chinese text.
func TestCycleReport(t *testing.T) {
	svc, regions, cycleID, ctx := seeded(t)
	name, mean, top, kendall := keyFigures(t, ctx, svc, cycleID)
	rep, err := report.BuildCycleReport(ctx, report.CycleSource{Service: svc, Regions: regions}, cycleID, "", "zh",
		time.Date(2026, 12, 6, 18, 0, 0, 0, time.FixedZone("CST", 8*3600)))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := rep.HTML(ui.ReportAssets())
	if err != nil {
		t.Fatal(err)
	}
	html := string(doc)
	for _, want := range []string{name, mean, top, kendall, "总分分布", "各省平均总分", "不确定性分析", "2026-12-06 18:00 CST",
		`id="sceval-map-geojson"`, `data-option="chart-histogram"`} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	for _, bad := range []string{`src="http`, `href="http`, `src="/`, `href="/`, "⟦"} {
		if strings.Contains(html, bad) {
			t.Errorf("report has %q", bad)
		}
	}
	if rep.Uncertainty == nil || rep.Agreement == nil {
		t.Errorf("the administrator's report lacks the uncertainty or the agreement")
	}

	// One province: its pilots only.
	tab, err := svc.ResultTable(ctx, cycleID)
	if err != nil {
		t.Fatal(err)
	}
	province := tab.Rows[0].ProvinceCode
	prep, err := report.BuildCycleReport(ctx, report.CycleSource{Service: svc, Regions: regions}, cycleID, province, "en", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range tab.Rows {
		if r.ProvinceCode == province {
			n++
		}
	}
	if prep.Stats.Scored != n {
		t.Errorf("province %s: %d scored, want %d", province, prep.Stats.Scored, n)
	}
	pdoc, err := prep.HTML(ui.ReportAssets())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range tab.Rows {
		if r.ProvinceCode != province && strings.Contains(string(pdoc), "<td>"+r.PilotName+"</td>") {
			t.Errorf("province %s report lists %s of province %s", province, r.PilotName, r.ProvinceCode)
		}
	}
	if _, err := report.BuildCycleReport(ctx, report.CycleSource{Service: svc, Regions: regions}, cycleID, "99", "zh", time.Now()); platform.ErrorKindOf(err) != platform.Invalid {
		t.Errorf("unknown province: %v, want invalid", err)
	}

	testPDF(t, doc, name, mean, top)
}

// testPDF prints doc and checks its text with pdftotext; it skips, saying
// why, without Chromium or pdftotext.
func testPDF(t *testing.T, doc []byte, want ...string) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed: PDF text not checked")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	pdf, err := report.PDF(ctx, doc)
	if errors.Is(err, report.ErrNoChromium) {
		t.Skip("no Chromium: PDF not checked (", err, ")")
	}
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "cycle.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	for _, w := range append(want, "评价结果汇总报告", "参与情况", "星级评定") {
		if !strings.Contains(text, w) {
			t.Errorf("PDF text lacks %q", w)
		}
	}
	if dst := os.Getenv("SCEVAL_SCREENSHOTS"); dst != "" {
		_ = os.WriteFile(filepath.Join(dst, "cycle-report.pdf"), pdf, 0o644)
		if _, err := exec.LookPath("pdftoppm"); err == nil {
			_ = exec.Command("pdftoppm", "-r", "70", "-png", path, filepath.Join(dst, "cycle-report")).Run()
		}
	}
}
