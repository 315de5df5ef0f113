package ui

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
)

// rankingPage is the number of pilots per page of a ranking.
const rankingPage = 100

// rankRow is one pilot in a cycle's ranking.
type rankRow struct {
	platform.ResultRow
	Region string
	// Nodes are the first-level scores with their coverage, in the order
	// of cycleData.Columns.
	Nodes []nodeCell
}

// nodeCell is a score with the coverage it rests on.
type nodeCell struct {
	Score    *float64
	Coverage float64
}

// pager links the pages of a long table.
type pager struct {
	Page, Pages        int
	PrevURL, NextURL   string
	First, Last, Total int
}

// cycleData is the content of the cycle page.
type cycleData struct {
	page
	Cycle             platform.Cycle
	FrameworkName     string
	DefaultThresholds bool
	MostStars         int
	Submissions       []stateCount
	SubmissionTotal   int
	Run               *platform.ResultRun
	Columns           []nodeColumn
	Rows              []rankRow
	Sort              string
	Pager             pager
	path              string
	// Overdue is the number of pilots past their due date, OverdueList
	// the first overdueShown of them.
	Overdue     int
	OverdueList []platform.OverduePilot
}

// overdueShown is how many overdue pilots the cycle page lists.
const overdueShown = 20

// cycle renders GET /cycles/{id}.
func (h *Handler) cycle(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	pg := h.base(w, r)
	id, ok := pathID(r)
	if !ok {
		h.renderError(w, r, pg, http.StatusNotFound, pg.L.T("error.no_page"))
		return
	}
	c, err := h.svc.GetCycle(ctx, id)
	if err != nil {
		h.fail(w, r, pg, err, pg.L.F("error.no_cycle", id))
		return
	}
	pg.Title = c.Name
	fw := h.cycleFramework(ctx, c)
	data := cycleData{page: pg, Cycle: c, FrameworkName: c.FrameworkID, DefaultThresholds: defaultThresholds(c.StarThresholds),
		MostStars: mostStars(c.StarThresholds), Sort: rankingSort(r.URL.Query().Get("sort")), path: r.URL.Path}
	if fw != nil {
		data.FrameworkName = fw.Name.In(pg.Lang)
	}
	if data.Submissions, data.SubmissionTotal, err = h.submissionCounts(ctx, c.ID); err != nil {
		h.fail(w, r, pg, err, "")
		return
	}
	// Overdue pilots are for the programme's managers: to others (the
	// public on a published cycle) the section is simply not shown.
	data.OverdueList, data.Overdue, err = h.svc.OverduePilots(ctx, c.ID, overdueShown, 0)
	if k := platform.ErrorKindOf(err); k == platform.Forbidden || k == platform.Unauthenticated {
		data.OverdueList, data.Overdue, err = nil, 0, nil
	}
	if err != nil {
		h.fail(w, r, pg, err, "")
		return
	}
	for i := range data.OverdueList { // in the cycle's zone, as its own dates
		if c.DueAt != nil {
			data.OverdueList[i].DueAt = data.OverdueList[i].DueAt.In(c.DueAt.Location())
		}
	}
	run, err := h.svc.LatestRun(ctx, c.ID)
	switch {
	case platform.ErrorKindOf(err) == platform.NotFound:
		// No results yet: the page says so.
	case err != nil:
		h.fail(w, r, pg, err, "")
		return
	default:
		data.Run = &run
		if err := h.ranking(ctx, &data, fw, pageNumber(r)); err != nil {
			h.fail(w, r, pg, err, "")
			return
		}
	}
	h.render(w, r, http.StatusOK, "cycle", data)
}

// ranking fills the ranking table: one page of overall rows in the chosen
// order, each with its first-level scores (read for that page's pilots
// only).
func (h *Handler) ranking(ctx context.Context, data *cycleData, fw *framework.Framework, pageNo int) error {
	rows, total, err := h.svc.ListResults(ctx, platform.ResultFilter{CycleID: data.Cycle.ID, Sort: data.Sort,
		Limit: rankingPage, Offset: (pageNo - 1) * rankingPage})
	if last := max(1, (total+rankingPage-1)/rankingPage); err == nil && pageNo > last {
		// Past the last page (an old link after a recomputation with fewer
		// pilots, or an edited URL): show the last page, not an empty table
		// headed "36–36 of 36".
		pageNo = last
		rows, total, err = h.svc.ListResults(ctx, platform.ResultFilter{CycleID: data.Cycle.ID, Sort: data.Sort,
			Limit: rankingPage, Offset: (pageNo - 1) * rankingPage})
	}
	if err != nil {
		return fmt.Errorf("ranking of cycle %d: %w", data.Cycle.ID, err)
	}
	pilots := make([]int64, len(rows))
	for i, row := range rows {
		pilots[i] = row.PilotID
	}
	level1, err := h.levelRows(ctx, data.Cycle.ID, 1, pilots)
	if err != nil {
		return fmt.Errorf("first-level results of cycle %d: %w", data.Cycle.ID, err)
	}
	data.Columns = nodeColumns(level1, fw, data.Lang)
	scores := map[int64]map[string]nodeCell{}
	for _, row := range level1 {
		if scores[row.PilotID] == nil {
			scores[row.PilotID] = map[string]nodeCell{}
		}
		scores[row.PilotID][row.Code] = nodeCell{Score: row.Score, Coverage: row.Coverage}
	}
	for _, row := range rows {
		rr := rankRow{ResultRow: row, Region: h.regionLabel(row.RegionCode)}
		for _, col := range data.Columns {
			rr.Nodes = append(rr.Nodes, scores[row.PilotID][col.Code])
		}
		data.Rows = append(data.Rows, rr)
	}
	data.Pager = data.newPager(pageNo, total)
	return nil
}

// rankingSort returns the sort of the ranking: one of
// platform.ResultSorts, "rank" for anything else.
func rankingSort(s string) string {
	if slices.Contains(platform.ResultSorts, s) {
		return s
	}
	return "rank"
}

// maxPageNumber bounds ?page so that (page-1) × rankingPage cannot
// overflow; a page past the last shows the last page anyway.
const maxPageNumber = platform.MaxOffset / rankingPage

// pageNumber reads ?page (1 when absent or not a positive number, at most
// maxPageNumber).
func pageNumber(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, maxPageNumber)
}

// url links to this cycle's ranking with a sort and page.
func (d cycleData) url(sort string, pageNo int) string {
	q := url.Values{}
	if sort != "rank" {
		q.Set("sort", sort)
	}
	if pageNo > 1 {
		q.Set("page", strconv.Itoa(pageNo))
	}
	if len(q) == 0 {
		return d.path
	}
	return d.path + "?" + q.Encode()
}

// SortURL links to the ranking sorted by key ("rank", "score", "name",
// "region_code"): the other direction when it is already sorted by key.
// Score sorts highest first on the first click.
func (d cycleData) SortURL(key string) string {
	first := key
	if key == "score" {
		first = "-score"
	}
	next := first
	if d.Sort == first {
		next = strings.TrimPrefix(first, "-")
		if next == first {
			next = "-" + first
		}
	}
	return d.url(next, 1)
}

// AriaSort is the aria-sort value of the column sorted by key.
func (d cycleData) AriaSort(key string) string {
	switch d.Sort {
	case key:
		return "ascending"
	case "-" + key:
		return "descending"
	}
	return "none"
}

// newPager links the pages of total rows around page pageNo.
func (d cycleData) newPager(pageNo, total int) pager {
	p := pager{Page: pageNo, Pages: max(1, (total+rankingPage-1)/rankingPage), Total: total}
	if total > 0 {
		p.First = min((pageNo-1)*rankingPage+1, total)
		p.Last = min(pageNo*rankingPage, total)
	}
	if pageNo > 1 {
		p.PrevURL = d.url(d.Sort, min(pageNo-1, p.Pages))
	}
	if pageNo < p.Pages {
		p.NextURL = d.url(d.Sort, pageNo+1)
	}
	return p
}
