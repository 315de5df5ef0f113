package ui

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/report"
)

// resultRow is one pilot in a results table.
type resultRow struct {
	platform.ResultTableRow
	Region string
	// Level1 are the first-level scores in the order of the columns.
	Level1 []*float64
}

// resultsData is the content of a cycle's results page (signed in) and of
// its public page.
type resultsData struct {
	page
	Cycle         platform.Cycle
	Run           platform.ResultRun
	FrameworkName string
	// Public is true on the public site: links lead to public pages and
	// scorecards only, and the managers' tools are not shown.
	Public     bool
	Columns    []nodeColumn
	Rows       []resultRow
	Query      resultQuery
	Provinces  []filterOption
	Batches    []filterOption
	Types      []filterOption
	StarLevels []filterOption
	MostStars  int
	// Shown is the number of rows the filters keep, Total the run's.
	Shown, Total int
	Pager        pager
	Stats        report.CycleStats
	Histogram    report.CycleChart
	StarsChart   report.CycleChart
	Map          report.CycleChart
	MayAnalyse   bool
	path         string
}

// resultsPage renders GET /cycles/{id}/results.
func (h *Handler) resultsPage(w http.ResponseWriter, r *http.Request) { h.results(w, r, false) }

// publicCycle renders GET /public/cycles/{id}: the same page for everyone,
// signed in or not, and only for a published cycle.
func (h *Handler) publicCycle(w http.ResponseWriter, r *http.Request) { h.results(w, r, true) }

// results renders a cycle's results page; public pages show published
// cycles only, whoever asks.
func (h *Handler) results(w http.ResponseWriter, r *http.Request, public bool) {
	ctx := r.Context()
	pg := h.base(w, r)
	id, ok := pathID(r)
	if !ok {
		h.renderError(w, r, pg, http.StatusNotFound, pg.L.T("error.no_page"))
		return
	}
	notFound := pg.L.F("error.no_cycle", id)
	c, err := h.svc.GetCycle(ctx, id)
	if err == nil && public && c.State != platform.CyclePublished {
		err = &platform.Error{Kind: platform.NotFound, Message: "not published"}
	}
	if err != nil {
		h.fail(w, r, pg, err, notFound)
		return
	}
	tab, err := h.svc.ResultTable(ctx, id)
	if k := platform.ErrorKindOf(err); k == platform.Forbidden || k == platform.Unauthenticated {
		err = &platform.Error{Kind: platform.NotFound, Message: "results not readable"}
	}
	if err != nil {
		h.fail(w, r, pg, err, pg.L.T("result.no_results"))
		return
	}
	pg.Title = c.Name + " · " + pg.L.T("result.title")
	data := h.resultsData(r, pg, tab, public)
	h.render(w, r, http.StatusOK, "result_cycle", data)
}

// resultsData filters, sorts and pages the table for the request, and
// builds the charts: the histogram and stars by province over the
// filtered pilots, the map over the whole run.
func (h *Handler) resultsData(r *http.Request, pg page, tab platform.ResultTable, public bool) resultsData {
	fw := h.cycleFramework(r.Context(), tab.Cycle)
	rq := readResultQuery(r.URL.Query(), tab.Level1)
	data := resultsData{page: pg, Cycle: tab.Cycle, Run: tab.Run, Public: public, Query: rq, path: r.URL.Path,
		FrameworkName: tab.Cycle.FrameworkID, MostStars: mostStars(tab.Cycle.StarThresholds), Total: len(tab.Rows),
		MayAnalyse: !public && platform.MayDo(r.Context(), "cycle.results.analyse")}
	if fw != nil {
		data.FrameworkName = fw.Name.In(pg.Lang)
	}
	for _, code := range tab.Level1 {
		data.Columns = append(data.Columns, nodeColumn{Code: code, Name: indicatorName(fw, code, pg.Lang), Level: 1})
	}
	data.Provinces = provinceOptions(tab.Rows, h.provinceName, rq.Province)
	data.Batches = batchOptions(tab.Rows, rq.Batch)
	for _, t := range pilotTypes {
		data.Types = append(data.Types, filterOption{Value: string(t), Label: pg.L.E("pilot_type", t), Selected: string(t) == rq.Type})
	}
	for k := data.MostStars; k >= 0; k-- {
		v := strconv.Itoa(k)
		data.StarLevels = append(data.StarLevels, filterOption{Value: v, Label: formatStars(&k, data.MostStars), Selected: v == rq.Stars})
	}
	rows := filterRows(tab.Rows, rq)
	data.Stats = report.Summarise(rows, tab.Level1, tab.Cycle.StarThresholds, h.provinceName, 10)
	all := report.Summarise(tab.Rows, tab.Level1, tab.Cycle.StarThresholds, h.provinceName, 0)
	data.Histogram = report.HistogramOption(data.Stats.Histogram, tab.Cycle.StarThresholds, pg.Lang)
	data.StarsChart = report.StarsByProvinceOption(data.Stats.Provinces, data.MostStars, pg.Lang)
	data.Map = report.MapOption(all.Provinces, rq.Map, pg.Lang, h.mapOrNil(r))
	sortRows(rows, rq.Sort)
	data.Shown = len(rows)
	pages := max(1, (len(rows)+rankingPage-1)/rankingPage)
	rq.Page = min(rq.Page, pages)
	data.Query.Page = rq.Page
	lo, hi := (rq.Page-1)*rankingPage, min(rq.Page*rankingPage, len(rows))
	for _, row := range rows[lo:hi] {
		rr := resultRow{ResultTableRow: row, Region: h.regionLabel(row.RegionCode)}
		for _, col := range data.Columns {
			rr.Level1 = append(rr.Level1, row.Level1[col.Code])
		}
		data.Rows = append(data.Rows, rr)
	}
	data.Pager = pager{Page: rq.Page, Pages: pages, Total: len(rows)}
	if len(rows) > 0 {
		data.Pager.First, data.Pager.Last = lo+1, hi
	}
	if rq.Page > 1 {
		data.Pager.PrevURL = data.with(func(q *resultQuery) { q.Page-- })
	}
	if rq.Page < pages {
		data.Pager.NextURL = data.with(func(q *resultQuery) { q.Page++ })
	}
	return data
}

// with links to this page with the query changed by change.
func (d resultsData) with(change func(*resultQuery)) string {
	q := d.Query
	change(&q)
	if v := q.values(); len(v) > 0 {
		return d.path + "?" + v.Encode()
	}
	return d.path
}

// SortURL sorts by key ("rank", "score", "name" or a first-level code):
// scores highest first on the first click, the other direction when
// already sorted by key; back to page 1.
func (d resultsData) SortURL(key string) string {
	first := key
	if key != "rank" && key != "name" {
		first = "-" + key
	}
	next := first
	if d.Query.Sort == first {
		if next = "-" + first; first[0] == '-' {
			next = first[1:]
		}
	}
	return d.with(func(q *resultQuery) { q.Sort, q.Page = next, 1 })
}

// AriaSort is the aria-sort value of the column sorted by key.
func (d resultsData) AriaSort(key string) string {
	switch d.Query.Sort {
	case key:
		return "ascending"
	case "-" + key:
		return "descending"
	}
	return "none"
}

// MapURL switches the map to metric, keeping everything else.
func (d resultsData) MapURL(metric string) string {
	return d.with(func(q *resultQuery) { q.Map = metric })
}

// ExportURL is the API's export of the cycle's results in format (xlsx,
// csv, json).
func (d resultsData) ExportURL(format string) string {
	return "/api/v1/cycles/" + strconv.FormatInt(d.Cycle.ID, 10) + "/results." + format
}

// ReportURL downloads the cycle summary report in format (html, pdf), for
// the province filtered on when there is one.
func (d resultsData) ReportURL(format string) string {
	q := url.Values{"format": {format}}
	if d.Query.Province != "" {
		q.Set("province", d.Query.Province)
	}
	base := "/cycles/"
	if d.Public {
		base = "/public/cycles/"
	}
	return base + strconv.FormatInt(d.Cycle.ID, 10) + "/report?" + q.Encode()
}

// ScorecardURL is a pilot's scorecard in this cycle.
func (d resultsData) ScorecardURL(pilotID int64) string {
	return "/pilots/" + strconv.FormatInt(pilotID, 10) + "/scorecard?cycle=" + strconv.FormatInt(d.Cycle.ID, 10)
}

// provinceName is the registry's name of a 2-digit province code (the
// code itself when unknown).
func (h *Handler) provinceName(code string) string {
	if h.regions != nil {
		if reg, ok := h.regions.Get(code); ok {
			return reg.Name
		}
	}
	return code
}
