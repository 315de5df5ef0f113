package ui_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sceval/sceval/demo"
	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
)

// TestPagesOnTheDemo reads every page of a database seeded by the demo
// package and checks what a newcomer should see.
func TestPagesOnTheDemo(t *testing.T) {
	e := newEnv(t, true)
	cycle := strconv.FormatInt(e.demo.CycleID, 10)
	ranking := apiList[platform.ResultRow](e, "/api/v1/cycles/"+cycle+"/results?limit=100")
	if len(ranking) == 0 {
		t.Fatal("the demo has no ranking")
	}
	top := ranking[0]

	t.Run("overview", func(t *testing.T) { e.t = t; testOverview(e, cycle) })
	t.Run("cycle", func(t *testing.T) { e.t = t; testCycle(e, cycle, ranking) })
	t.Run("sorted", func(t *testing.T) { e.t = t; testSortedRanking(e, cycle) })
	t.Run("pilot", func(t *testing.T) { e.t = t; testPilot(e, top) })
	t.Run("framework", func(t *testing.T) { e.t = t; testFramework(e) })
	t.Run("english", func(t *testing.T) { e.t = t; testEnglish(e, cycle) })
	t.Run("not found", func(t *testing.T) { e.t = t; testNotFound(e) })
}

func testOverview(e *env, cycle string) {
	p := e.get("/").html(200)
	p.has(`<html lang="zh-CN">`, "概览", "国家智慧城市（区、镇）试点指标体系（试行）", `href="/frameworks/mohurd-2012?version=2012-trial"`,
		"4 / 11 / 57", "2012-trial", `href="/cycles/`+cycle+`"`, demo.CycleOpen, demo.Cycle2014, demo.CycleFinal, "年度监测", "终期验收", "开放填报",
		"演示数据为虚构", `href="/static/style.css"`)
	// The cycle's row counts submissions by state, in workflow order.
	var counts strings.Builder
	total := 0
	for _, st := range []platform.SubmissionState{platform.SubmissionDraft, platform.SubmissionSubmitted,
		platform.SubmissionReturned, platform.SubmissionForwarded, platform.SubmissionAccepted} {
		fmt.Fprintf(&counts, `<td class="num">%d</td>`, e.demo.Submissions[st])
		total += e.demo.Submissions[st]
	}
	fmt.Fprintf(&counts, "\n    <td class=\"num\">%d</td>", total)
	p.has(counts.String())
	// Pilots by type.
	byType := map[string]int{}
	for _, dp := range demo.FirstBatch() {
		byType[dp.Type]++
	}
	p.has(fmt.Sprintf(`城市</th><td class="num">%d</td>`, byType["city"]),
		fmt.Sprintf(`区（县）</th><td class="num">%d</td>`, byType["district"]),
		fmt.Sprintf(`合计</th><td class="num">%d</td>`, len(demo.FirstBatch())))
	css := e.get("/static/style.css")
	if css.status != 200 || !strings.HasPrefix(css.header.Get("Content-Type"), "text/css") || !strings.Contains(css.body, "Noto Sans CJK SC") {
		e.t.Errorf("stylesheet: %d %s", css.status, css.header.Get("Content-Type"))
	}
}

func testCycle(e *env, cycle string, ranking []platform.ResultRow) {
	p := e.get("/cycles/" + cycle).html(200)
	run, err := e.svc.LatestRun(e.ctx, e.demo.CycleID)
	if err != nil {
		e.t.Fatal(err)
	}
	p.has(demo.CycleOpen, `href="/frameworks/mohurd-2012?version=2012-trial"`, "mohurd-2012@2012-trial", "2017-03-01", "2017-11-30", "绝对计分", "参与排名所需覆盖率", "100%", "2.2.6",
		`<h2 id="overdue">逾期未提交的试点</h2>`, "2017-11-30 23:59",
		"★☆☆ ≥ 60", "★★★ ≥ 90", "sceval 默认值，非官方", run.InputHash, run.ComputedAt.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02 15:04"),
		"保障体系与基础设施", "智慧产业与经济", "演示数据为虚构")
	table := p.section(`<table class="ranking">`, "</table>")
	var want []string
	for _, r := range ranking {
		want = append(want, strconv.FormatInt(r.PilotID, 10))
	}
	if got := pilotLinks(table); !slices.Equal(got, want) {
		e.t.Errorf("ranking order\n got %v\nwant %v (API)", got, want)
	}
	top := ranking[0]
	first := table[strings.Index(table, "<tbody>"):]
	first = first[:strings.Index(first, "</tr>")]
	stars := strings.Repeat("★", *top.Stars) + strings.Repeat("☆", 3-*top.Stars)
	for _, w := range []string{top.PilotName, fmt.Sprintf("%.2f", *top.Score), stars, ">1<", fmt.Sprintf(`<td class="num cov">%.0f%%</td>`, 100*top.Coverage)} {
		if !strings.Contains(first, w) {
			e.t.Errorf("first ranking row lacks %q:\n%s", w, first)
		}
	}
	// The first-level columns hold the pilot's first-level scores.
	rows, _, err := e.svc.ListResults(e.ctx, platform.ResultFilter{CycleID: e.demo.CycleID, Code: "3", Limit: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, r := range rows {
		if r.PilotID == top.PilotID && !strings.Contains(first, fmt.Sprintf(">%.2f <small class=\"cov\">%.0f%%</small><", *r.Score, 100*r.Coverage)) {
			e.t.Errorf("first row lacks its score %.2f and coverage at indicator 3", *r.Score)
		}
	}
}

func testSortedRanking(e *env, cycle string) {
	for _, sort := range []string{"name", "-score", "region_code"} {
		var want []string
		for _, r := range apiList[platform.ResultRow](e, "/api/v1/cycles/"+cycle+"/results?limit=100&sort="+sort) {
			want = append(want, strconv.FormatInt(r.PilotID, 10))
		}
		p := e.get("/cycles/" + cycle + "?sort=" + sort).html(200)
		if got := pilotLinks(p.section(`<table class="ranking">`, "</table>")); !slices.Equal(got, want) {
			e.t.Errorf("sort %s: got %v, want %v", sort, got, want)
		}
	}
	// The column sorted by score links to the other direction.
	e.get("/cycles/" + cycle + "?sort=-score").html(200).has(`aria-sort="descending"><a href="/cycles/` + cycle + `?sort=score"`)
	// An unknown sort is the default, by rank.
	e.get("/cycles/" + cycle + "?sort=evil").html(200).has(`aria-sort="ascending"><a href="/cycles/` + cycle + `?sort=-rank"`)
}

func testPilot(e *env, top platform.ResultRow) {
	id := strconv.FormatInt(top.PilotID, 10)
	p := e.get("/pilots/" + id).html(200)
	subs, _, err := e.svc.ListSubmissions(e.ctx, platform.SubmissionFilter{CycleID: e.demo.CycleID, PilotID: top.PilotID})
	if err != nil || len(subs) != 1 {
		e.t.Fatalf("submissions of the top pilot: %v %v", subs, err)
	}
	stars := strings.Repeat("★", *top.Stars) + strings.Repeat("☆", 3-*top.Stars)
	p.has(top.PilotName, top.RegionCode[:2], "2013-1", "已通过", fmt.Sprintf("%.0f%%", 100*subs[0].Completeness),
		demo.CycleOpen, fmt.Sprintf("%.2f", *top.Score), stars, "分项得分与差距", "演示数据为虚构")
	// The region chain starts at the province.
	regions, err := testRegions()
	if err != nil {
		e.t.Fatal(err)
	}
	reg, ok := regions.Resolve(top.RegionCode)
	if !ok {
		e.t.Fatalf("region %s", top.RegionCode)
	}
	for _, r := range regions.Chain(reg.Code) {
		p.has(r.Name + ` <span class="code">` + r.Code + `</span>`)
	}
	// Each first- and second-level indicator: score and gap to the best.
	gaps := p.section(`<table class="gaps">`, "</table>")
	for _, code := range []string{"1", "1.1", "1.3", "2", "3.3", "4.3"} {
		rows, _, err := e.svc.ListResults(e.ctx, platform.ResultFilter{CycleID: e.demo.CycleID, Code: code, Sort: "-score", Limit: 1000})
		if err != nil {
			e.t.Fatal(err)
		}
		best := *rows[0].Score
		for _, r := range rows {
			if r.PilotID != top.PilotID {
				continue
			}
			want := fmt.Sprintf(`<td class="code">%s</td>`, code)
			if !strings.Contains(gaps, want) || !strings.Contains(gaps, fmt.Sprintf(">%.2f<", *r.Score)) ||
				!strings.Contains(gaps, fmt.Sprintf(">%.2f<", best)) {
				e.t.Errorf("gap table lacks indicator %s with score %.2f and best %.2f", code, *r.Score, best)
			}
		}
	}
	if strings.Count(gaps, `<tr class="level-1">`) != 4 || strings.Count(gaps, `<tr class="level-2">`) != 11 {
		e.t.Errorf("gap table should have 4 first- and 11 second-level rows")
	}
}

func testFramework(e *env) {
	p := e.get("/frameworks/mohurd-2012").html(200)
	fw, _ := framework.Builtin("mohurd-2012")
	first := fw.Indicators[0]
	leaf := first.Children[0].Children[0]
	p.has(fw.Name.Zh, "2012-trial", "一级指标 4", "二级指标 11", "三级指标 57", first.Name.Zh, leaf.Name.Zh,
		"默认值，非官方", "0.2500", "0.3333", "评分细则", "权重")
	tree := p.section(`<table class="tree">`, "</table>")
	for level, want := range map[int]int{1: 4, 2: 11, 3: 57} {
		if n := strings.Count(tree, fmt.Sprintf(`<tr class="level-%d">`, level)); n != want {
			e.t.Errorf("level %d: %d rows, want %d", level, n, want)
		}
	}
}

func testEnglish(e *env, cycle string) {
	fw, _ := framework.Builtin("mohurd-2012")
	p := e.get("/cycles/" + cycle + "?lang=en").html(200)
	p.has(`<html lang="en">`, "Ranking", "Overall score", "Annual monitoring", "Open", "Demo data is fictional",
		fw.Indicators[0].Name.En).lacks("排名", "总分")
	if c := p.header.Get("Set-Cookie"); !strings.Contains(c, "lang=en") {
		e.t.Errorf("?lang=en sets no cookie: %q", c)
	}
	// The cookie keeps the language on the next page; the switch leads back.
	e.get("/", "Cookie", "lang=en").html(200).has(`<html lang="en">`, "Overview", "Assessment cycles", `href="/?lang=zh"`, "中文")
	e.get("/frameworks/mohurd-2012", "Cookie", "lang=en").html(200).
		has(fw.Name.En, fw.Indicators[1].Name.En, "sceval default, not official", "translation, not an official one")
	e.get("/", "Cookie", "lang=xx").html(200).has(`<html lang="zh-CN">`)
}

func testNotFound(e *env) {
	for _, path := range []string{"/cycles/999999", "/pilots/999999", "/pilots/abc", "/frameworks/nope", "/no/such/page"} {
		e.get(path).html(404).has("未找到", `href="/"`)
	}
	e.get("/cycles/999999").html(404).has("没有编号为 999999 的评价周期")
	e.get("/pilots/999999?lang=en").html(404).has("Not found", "There is no pilot 999999.")
	e.get("/frameworks/%3Cb%3E").html(404).has("&lt;b&gt;").lacks("<b>")
	api := e.get("/api/v1/no-such-endpoint")
	if api.status != 404 || !strings.HasPrefix(api.header.Get("Content-Type"), "application/json") || !strings.Contains(api.body, `"not_found"`) {
		e.t.Errorf("unknown API path: %d %s %s", api.status, api.header.Get("Content-Type"), api.body)
	}
	if h := e.get("/healthz"); h.status != 200 || !strings.Contains(h.body, "ok") {
		e.t.Errorf("healthz: %d %s", h.status, h.body)
	}
}

// A published framework has its page, by version, like a built-in one.
func TestPublishedFrameworkPage(t *testing.T) {
	e := newEnv(t, false)
	src := "id: js-2025\nversion: \"1\"\nname: {zh: 江苏省智慧城市评价, en: Jiangsu}\nindicators:\n" +
		"  - {code: N, name: 网络覆盖, kind: quantitative, unit: \"%\", goalposts: {low: 0, high: 100}}\n"
	if _, err := e.svc.PublishFramework(e.ctx, "js.yaml", []byte(src)); err != nil {
		t.Fatal(err)
	}
	e.get("/frameworks/js-2025").html(200).has("江苏省智慧城市评价", "网络覆盖")
	e.get("/").html(200).has(`href="/frameworks/js-2025?version=1"`, "江苏省智慧城市评价")
	e.get("/frameworks/js-2025?version=1").html(200).has("江苏省智慧城市评价")
	e.get("/frameworks/js-2025?version=9").html(404)
}
