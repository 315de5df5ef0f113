package ui_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/region"
)

// TestRankingPages scores 130 pilots: the ranking shows 100 per page, and
// the pages together give the API's order.
func TestRankingPages(t *testing.T) {
	const n = 130
	e := newEnv(t, false)
	regions, err := testRegions()
	if err != nil {
		t.Fatal(err)
	}
	counties, _ := regions.Search(region.Query{Level: region.County, Limit: n})
	var csv strings.Builder
	csv.WriteString("region_code,name,batch,type\n")
	for _, c := range counties {
		fmt.Fprintf(&csv, "%s,%s,2014-2,district\n", c.Code, c.Name)
	}
	if _, err := e.svc.ImportPilots(e.ctx, "pilots.csv", strings.NewReader(csv.String())); err != nil {
		t.Fatal(err)
	}
	pilots, _, err := e.svc.ListPilots(e.ctx, platform.PilotFilter{Limit: n})
	if err != nil || len(pilots) != n {
		t.Fatalf("%d pilots, %v", len(pilots), err)
	}
	c, err := e.svc.CreateCycle(e.ctx, platform.Cycle{Name: "2015 年度监测", Kind: platform.CycleAnnualMonitoring, Year: 2015, FrameworkID: "mohurd-2012"})
	if err != nil {
		t.Fatal(err)
	}
	if c, err = e.svc.TransitionCycle(e.ctx, c.ID, c.Version, platform.CycleOpen); err != nil {
		t.Fatal(err)
	}
	fw, _ := framework.Builtin("mohurd-2012")
	loads := make([]platform.SubmissionLoad, n)
	for i, p := range pilots {
		loads[i] = platform.SubmissionLoad{PilotID: p.ID, State: platform.SubmissionAccepted, Entries: entries(fw, i)}
	}
	if _, err := e.svc.LoadSubmissions(e.ctx, c.ID, loads); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ComputeResults(e.ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(c.ID, 10)
	var want []string
	for _, r := range apiList[platform.ResultRow](e, "/api/v1/cycles/"+id+"/results?limit=1000&sort=-score") {
		want = append(want, strconv.FormatInt(r.PilotID, 10))
	}
	first := e.get("/cycles/" + id + "?sort=-score").html(200)
	first.has("第 1–100 名，共 130 个试点", "第 1 / 2 页", `href="/cycles/`+id+`?page=2&amp;sort=-score" rel="next"`).lacks(`rel="prev"`)
	second := e.get("/cycles/" + id + "?sort=-score&page=2").html(200)
	second.has("第 101–130 名，共 130 个试点", "第 2 / 2 页", `href="/cycles/`+id+`?sort=-score" rel="prev"`).lacks(`rel="next"`)
	// Past the last page: the last page, not an empty table headed
	// "131–130".
	e.get("/cycles/"+id+"?sort=-score&page=9").html(200).has("第 101–130 名，共 130 个试点", "第 2 / 2 页",
		`href="/cycles/`+id+`?sort=-score" rel="prev"`).lacks(`rel="next"`, "第 9 / 2 页")
	got := append(pilotLinks(first.section(`<table class="ranking">`, "</table>")),
		pilotLinks(second.section(`<table class="ranking">`, "</table>"))...)
	if !slices.Equal(got, want) {
		t.Errorf("pages 1 and 2\n got %v\nwant %v", got, want)
	}
	// The last row of page 2 has its first-level scores too.
	if rows := strings.Count(second.section(`<table class="ranking">`, "</table>"), `<td class="num`); rows != 30*(3+4) {
		t.Errorf("page 2: %d number cells, want %d (rank, score, coverage and 4 first-level scores per pilot)", rows, 30*7)
	}
}

// entries fills every leaf of fw for the i-th pilot: a rubric level or a
// value inside the goalposts, varying with i.
func entries(fw *framework.Framework, i int) []platform.Entry {
	var out []platform.Entry
	for j, leaf := range fw.Leaves() {
		e := platform.Entry{Code: leaf.Code}
		switch {
		case leaf.Kind == framework.Quantitative && leaf.Goalposts != nil:
			g := leaf.Goalposts
			v := g.Low + (g.High-g.Low)*float64((i*7+j*3)%11)/10
			e.Value, e.Unit = &v, leaf.Unit
		default:
			level := 1 + (i*3+j*5)%len(leaf.Rubric)
			e.Level = &level
		}
		out = append(out, e)
	}
	return out
}
