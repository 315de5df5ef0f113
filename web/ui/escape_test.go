package ui_test

import (
	"strconv"
	"testing"

	"github.com/sceval/sceval/platform"
)

// TestPilotNamesAreEscaped renames a ranked demo pilot to markup: every
// page shows the text, none carries the markup.
func TestPilotNamesAreEscaped(t *testing.T) {
	e := newEnv(t, true)
	rows, _, err := e.svc.ListResults(e.ctx, platform.ResultFilter{CycleID: e.demo.CycleID, Limit: 1})
	if err != nil || len(rows) == 0 {
		t.Fatalf("ranking: %v", err)
	}
	p, err := e.svc.GetPilot(e.ctx, rows[0].PilotID)
	if err != nil {
		t.Fatal(err)
	}
	p.Name = `<script>alert("x")</script>试点`
	if _, err := e.svc.UpdatePilot(e.ctx, p); err != nil {
		t.Fatal(err)
	}
	escaped := `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;试点`
	for _, path := range []string{"/pilots/" + strconv.FormatInt(p.ID, 10), "/cycles/" + strconv.FormatInt(e.demo.CycleID, 10)} {
		e.get(path).html(200).has(escaped).lacks("<script>alert")
	}
	// The query string reaches the page only through the escaped switch link.
	// (The layout's own <script src> tags are the only script elements.)
	e.get(`/?x="><script>alert(1)</script>`).html(200).lacks("<script>alert")
}

// TestPagesOnAnEmptyDatabase: no demo banner, and pages say what is
// missing instead of failing.
func TestPagesOnAnEmptyDatabase(t *testing.T) {
	e := newEnv(t, false)
	e.get("/").html(200).has("还没有评价周期", "还没有试点", "4 / 11 / 57").lacks("演示数据为虚构", `class="banner"`)
	c, err := e.svc.CreateCycle(e.ctx, platform.Cycle{Name: "2015 申报评审", Kind: platform.CycleApplicationReview,
		Year: 2015, FrameworkID: "mohurd-2012"})
	if err != nil {
		t.Fatal(err)
	}
	e.get("/cycles/"+strconv.FormatInt(c.ID, 10)).html(200).
		has("2015 申报评审", "申报评审", "草稿", "还没有计算结果").lacks(`class="banner"`)
	e.get("/cycles/"+strconv.FormatInt(c.ID, 10)+"?lang=en").html(200).has("No results computed", "Application review")
	pilot, err := e.svc.CreatePilot(e.ctx, platform.Pilot{RegionCode: "130100", Name: "石家庄市", Batch: "2013-1", Type: platform.PilotCity})
	if err != nil {
		t.Fatal(err)
	}
	e.get("/pilots/"+strconv.FormatInt(pilot.ID, 10)).html(200).
		has("石家庄市", "河北省", "还没有申报", "还没有计算结果").lacks(`class="gaps"`)
}
