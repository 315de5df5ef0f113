package ui_test

import (
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
)

// demoRow is one pilot of the demo run, read through the API-level service
// calls (ListResults, GetPilot), independently of the results pages.
type demoRow struct {
	id       int64
	name     string
	province string
	typ      string
	batch    string
	score    *float64
	stars    *int
	ranked   bool
	l1       map[string]*float64
}

// demoRows reads every scored pilot of the cycle, in rank order.
func demoRows(t *testing.T, e *env, cycleID int64) []demoRow {
	t.Helper()
	var out []demoRow
	for offset := 0; ; offset += 1000 {
		rows, total, err := e.svc.ListResults(e.ctx, platform.ResultFilter{CycleID: cycleID, Limit: 1000, Offset: offset})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			p, err := e.svc.GetPilot(e.ctx, r.PilotID)
			if err != nil {
				t.Fatal(err)
			}
			l1, _, err := e.svc.ListResults(e.ctx, platform.ResultFilter{CycleID: cycleID, Level: 1, PilotIDs: []int64{r.PilotID}})
			if err != nil {
				t.Fatal(err)
			}
			d := demoRow{id: r.PilotID, name: r.PilotName, province: p.ProvinceCode, typ: string(p.Type), batch: p.Batch,
				score: r.Score, stars: r.Stars, ranked: r.Ranked == nil || *r.Ranked, l1: map[string]*float64{}}
			for _, x := range l1 {
				d.l1[x.Code] = x.Score
			}
			out = append(out, d)
		}
		if offset+len(rows) >= total {
			return out
		}
	}
}

var rowLink = regexp.MustCompile(`<th scope="row" class="result-unit"><a href="/pilots/(\d+)/scorecard\?cycle=\d+"`)

// rankingIDs are the pilots of a results page's ranking, in order.
func rankingIDs(body string) []int64 {
	var out []int64
	for _, m := range rowLink.FindAllStringSubmatch(body, -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		out = append(out, id)
	}
	return out
}

// chartOption decodes the JSON data block id of a page.
func chartOption(t *testing.T, body, id string) map[string]any {
	t.Helper()
	re := regexp.MustCompile(`(?s)<script type="application/json" id="` + id + `">(.*?)</script>`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no data block %s", id)
	}
	var opt map[string]any
	if err := json.Unmarshal([]byte(m[1]), &opt); err != nil {
		t.Fatalf("data block %s: %v", id, err)
	}
	return opt
}

// The filters keep exactly the pilots matching them; the sorts order by
// the first-level score (highest first) and by name.
func TestResultsFiltersAndSorting(t *testing.T) {
	e := newEnv(t, true)
	rows := demoRows(t, e, e.demo.CycleID)
	base := "/cycles/" + strconv.FormatInt(e.demo.CycleID, 10) + "/results"
	province, typ := rows[len(rows)/2].province, rows[len(rows)/2].typ
	var want []int64
	for _, r := range rows {
		if r.province == province && r.typ == typ {
			want = append(want, r.id)
		}
	}
	p := e.get(base + "?province=" + province + "&type=" + typ).html(200)
	got := rankingIDs(p.body)
	if len(got) != len(want) || len(want) == 0 {
		t.Fatalf("province %s type %s: %d rows %v, want %d %v", province, typ, len(got), got, len(want), want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d: pilot %d, want %d (rank order)", i, got[i], want[i])
		}
	}
	// Stars: every row shown has that rating, and all of them are shown.
	stars := 0
	for _, r := range rows {
		if r.ranked && r.stars != nil && *r.stars == 2 {
			stars++
		}
	}
	if got := rankingIDs(e.get(base + "?stars=2").html(200).body); len(got) != stars {
		t.Errorf("two stars: %d rows, want %d", len(got), stars)
	}
	// Sorted by first-level indicator 2, highest first; missing last.
	got = rankingIDs(e.get(base + "?sort=-2").html(200).body)
	byID := map[int64]demoRow{}
	for _, r := range rows {
		byID[r.id] = r
	}
	prev := math.Inf(1)
	for _, id := range got {
		s := byID[id].l1["2"]
		if s == nil {
			prev = math.Inf(-1)
			continue
		}
		if *s > prev {
			t.Fatalf("sort -2: %v after %v", *s, prev)
		}
		prev = *s
	}
	if len(got) != min(len(rows), 100) {
		t.Errorf("sort -2 shows %d rows, want %d", len(got), min(len(rows), 100))
	}
	// The sort link of the column reverses it.
	if p := e.get(base + "?sort=-2"); !strings.Contains(p.body, `href="`+base+`?sort=2"`) {
		t.Errorf("sorted by -2, the column does not link to sort=2")
	}
}

// The charts' options hold the histogram's bin counts, the star thresholds
// as markLines and each province's mean, as computed here from the run.
func TestResultsChartOptions(t *testing.T) {
	e := newEnv(t, true)
	rows := demoRows(t, e, e.demo.CycleID)
	body := e.get("/cycles/" + strconv.FormatInt(e.demo.CycleID, 10) + "/results").html(200).body
	bins := make([]float64, 20)
	sums, counts := map[string]float64{}, map[string]int{}
	for _, r := range rows {
		if r.score == nil {
			continue
		}
		shown, _ := strconv.ParseFloat(strconv.FormatFloat(*r.score, 'f', 2, 64), 64)
		bins[min(int(shown/5), 19)]++
		sums[r.province] += *r.score
		counts[r.province]++
	}
	hist := chartOption(t, body, "chart-histogram")
	series := hist["series"].([]any)[0].(map[string]any)
	for i, pt := range series["data"].([]any) {
		if n := pt.([]any)[1].(float64); n != bins[i] {
			t.Errorf("bin %d: %v pilots, want %v", i, n, bins[i])
		}
	}
	c, err := e.svc.GetCycle(e.ctx, e.demo.CycleID)
	if err != nil {
		t.Fatal(err)
	}
	lines := series["markLine"].(map[string]any)["data"].([]any)
	if len(lines) != len(c.StarThresholds) {
		t.Fatalf("%d markLines, %d thresholds", len(lines), len(c.StarThresholds))
	}
	for i, l := range lines {
		if x := l.(map[string]any)["xAxis"].(float64); x != c.StarThresholds[i].Min {
			t.Errorf("markLine %d at %v, threshold %v", i, x, c.StarThresholds[i].Min)
		}
	}
	m := chartOption(t, body, "chart-map")
	data := m["series"].([]any)[0].(map[string]any)["data"].([]any)
	if len(data) != len(counts) {
		t.Errorf("map has %d provinces, the run %d", len(data), len(counts))
	}
	means := map[string]float64{}
	for _, d := range data {
		dm := d.(map[string]any)
		means[dm["name"].(string)] = dm["value"].(float64)
	}
	regions, _ := testRegions()
	for code, n := range counts {
		reg, _ := regions.Get(code)
		var got float64
		var ok bool
		for name, v := range means { // the map's short names: 河北 for 河北省
			if strings.HasPrefix(reg.Name, name) {
				got, ok = v, true
			}
		}
		want := math.Round(sums[code]/float64(n)*100) / 100
		if !ok || math.Abs(got-want) > 1e-9 {
			t.Errorf("province %s (%s): map mean %v (found %v), want %v", code, reg.Name, got, ok, want)
		}
	}
	// Participation: the number of scored pilots per province.
	body = e.get("/cycles/" + strconv.FormatInt(e.demo.CycleID, 10) + "/results?map=participation").html(200).body
	total := 0.0
	for _, d := range chartOption(t, body, "chart-map")["series"].([]any)[0].(map[string]any)["data"].([]any) {
		total += d.(map[string]any)["value"].(float64)
	}
	if int(total) != len(rows) {
		t.Errorf("participation map sums to %v pilots, want %d", total, len(rows))
	}
}

// publish closes and publishes the demo cycle.
func publish(t *testing.T, e *env) platform.Cycle {
	t.Helper()
	c, err := e.svc.GetCycle(e.ctx, e.demo.CycleID)
	if err != nil {
		t.Fatal(err)
	}
	for _, to := range []platform.CycleState{platform.CycleClosed, platform.CyclePublished} {
		opts := platform.CycleTransitionOptions{Override: true, Reason: "test: publish over pending submissions"}
		if c, err = e.svc.TransitionCycleWith(e.ctx, c.ID, c.Version, to, opts); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// Nothing of an unpublished cycle is reachable anonymously, by any URL of
// the results area; the public site does not show it even to the
// administrator. Once published, the public pages show the ranking, the
// map and scorecard links, and the report.
func TestPublicSiteShowsPublishedCyclesOnly(t *testing.T) {
	e := newEnv(t, true)
	anon := e.anonymous()
	id := strconv.FormatInt(e.demo.CycleID, 10)
	c, err := e.svc.GetCycle(e.ctx, e.demo.CycleID)
	if err != nil {
		t.Fatal(err)
	}
	rows := demoRows(t, e, e.demo.CycleID)
	paths := []string{
		"/public/cycles/" + id, "/public/cycles/" + id + "?lang=en", "/public/cycles/" + id + "?province=" + rows[0].province,
		"/public/cycles/" + id + "?map=participation&sort=-score&page=2", "/public/cycles/" + id + "/report",
		"/public/cycles/" + id + "/report?format=pdf", "/public/cycles/" + id + "/report?format=html&province=" + rows[0].province,
		"/cycles/" + id + "/results", "/cycles/" + id + "/results?lang=en&stars=3", "/cycles/" + id + "/report?format=html",
		"/cycles/" + id + "/report?format=pdf", "/cycles/" + id + "/compare?aggregation=gmean", "/cycles/" + id + "/uncertainty",
		"/cycles/" + id,
	}
	for _, path := range paths {
		p := anon.get(path)
		if p.status != 404 {
			t.Errorf("anonymous GET %s: %d, want 404", path, p.status)
		}
		for _, r := range rows[:3] {
			if strings.Contains(p.body, r.name) {
				t.Errorf("anonymous GET %s shows pilot %s", path, r.name)
			}
		}
	}
	if p := e.get("/public/cycles/" + id); p.status != 404 {
		t.Errorf("the administrator on the public page of an unpublished cycle: %d, want 404", p.status)
	}
	anon.get("/public/").html(200).lacks(c.Name)
	e.get("/public/").html(200).lacks(c.Name)

	c = publish(t, e)
	anon.get("/public/").html(200).has(c.Name, `href="/public/cycles/`+id+`"`)
	p := anon.get("/public/cycles/"+id).html(200).has(c.Name, rows[0].name, `data-option="chart-map"`,
		`href="/pilots/`+strconv.FormatInt(rows[0].id, 10)+`/scorecard?cycle=`+id+`"`)
	p.lacks("/compare", "/uncertainty")
	rep := anon.get("/public/cycles/" + id + "/report?format=html")
	if rep.status != 200 || !strings.Contains(rep.body, c.Name) || !strings.Contains(rep.body, rows[0].name) {
		t.Errorf("public report: %d", rep.status)
	}
	// The managers' tools stay the ministry's after publication.
	for _, path := range []string{"/cycles/" + id + "/compare?aggregation=gmean", "/cycles/" + id + "/uncertainty"} {
		if p := anon.get(path); p.status != 404 {
			t.Errorf("anonymous GET %s after publication: %d, want 404", path, p.status)
		}
	}
}

// The ministry's comparison lists every ranked pilot with its shift; the
// uncertainty page its rank interval.
func TestCompareAndUncertaintyPages(t *testing.T) {
	e := newEnv(t, true)
	id := strconv.FormatInt(e.demo.CycleID, 10)
	want, err := e.svc.CompareSchemes(e.ctx, e.demo.CycleID, platform.SchemeVariant{Aggregation: "gmean"})
	if err != nil {
		t.Fatal(err)
	}
	p := e.get("/cycles/" + id + "/compare?aggregation=gmean").html(200)
	p.has(`id="mean-shift">`+strconv.FormatFloat(want.MeanAbsShift, 'f', 2, 64)+`<`, `data-option="chart-slope"`)
	slope := chartOption(t, p.body, "chart-slope")
	if n := len(slope["series"].([]any)); n != len(want.Rows) {
		t.Errorf("slope chart has %d lines, want %d", n, len(want.Rows))
	}
	e.get("/cycles/" + id + "/compare?aggregation=nonsense").html(200).has(`role="alert"`)
	u := e.get("/cycles/" + id + "/uncertainty?runs=40").html(200)
	iv := chartOption(t, u.body, "chart-intervals")
	if n := len(iv["yAxis"].(map[string]any)["data"].([]any)); n != len(want.Rows) {
		t.Errorf("interval chart has %d pilots, want %d", n, len(want.Rows))
	}
}
