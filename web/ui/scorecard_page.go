package ui

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/report"
)

// scorecardData is the content of the scorecard page.
type scorecardData struct {
	page
	S *platform.Scorecard
	// Cycles are the cycles the visitor may read the pilot's scorecard in.
	Cycles     []scorecardCycle
	CycleLabel string
	Region     string
	// Radar1, Radar2 and TrendChart are the charts' ECharts options.
	Radar1, Radar2, TrendChart report.PilotChart
	Trend                      []scorecardTrend
	Levels                     []platform.ScorecardNode
	Rows                       []scorecardRow
	// Sort is the indicator table's order: "" (framework), "contribution"
	// or "gap".
	Sort      string
	SortLinks []scorecardSortLink
	Method    []string
	Experts   []string
}

// scorecardCycle is one cycle of the cycle switcher.
type scorecardCycle struct {
	platform.Cycle
	Label string
}

// scorecardTrend is one cycle of the trend table.
type scorecardTrend struct {
	platform.TrendPoint
	Label string
}

// scorecardRow is one leaf of the indicator table.
type scorecardRow struct {
	platform.ScorecardNode
	Value    string
	Comments []string
}

// scorecardSortLink is one order of the indicator table.
type scorecardSortLink struct {
	Label, Href string
	Current     bool
}

// scorecardSorts are the indicator table's orders.
var scorecardSorts = []string{"", "contribution", "gap"}

// scorecardFor reads the path's pilot and the ?cycle (default: the
// service's choice) and returns the scorecard; on failure it has rendered
// the error page and returns nil.
func (h *Handler) scorecardFor(w http.ResponseWriter, r *http.Request, pg page) (*platform.Scorecard, []platform.Cycle) {
	ctx := r.Context()
	id, ok := pathID(r)
	if !ok {
		h.renderError(w, r, pg, http.StatusNotFound, pg.L.T("error.no_page"))
		return nil, nil
	}
	cycles, def, err := h.svc.ScorecardCycles(ctx, id)
	if k := platform.ErrorKindOf(err); k == platform.Forbidden || k == platform.Unauthenticated {
		h.renderError(w, r, pg, http.StatusNotFound, pg.L.T("scorecard.none"))
		return nil, nil
	}
	if err != nil {
		h.fail(w, r, pg, err, pg.L.F("error.no_pilot", id))
		return nil, nil
	}
	cycleID := int64(0)
	if q := r.URL.Query().Get("cycle"); q != "" {
		if cycleID, err = strconv.ParseInt(q, 10, 64); err != nil || cycleID <= 0 {
			h.renderError(w, r, pg, http.StatusNotFound, pg.L.F("scorecard.bad_cycle", q))
			return nil, nil
		}
	} else if def >= 0 {
		cycleID = cycles[def].ID
	} else {
		h.renderError(w, r, pg, http.StatusNotFound, pg.L.T("scorecard.none"))
		return nil, nil
	}
	sc, err := h.svc.Scorecard(ctx, cycleID, id)
	if k := platform.ErrorKindOf(err); k == platform.Forbidden || k == platform.Unauthenticated {
		// An expert (who may not see pilots) is told no more than that
		// there is nothing to see here.
		h.renderError(w, r, pg, http.StatusNotFound, pg.L.F("scorecard.not_found", cycleID))
		return nil, nil
	}
	if err != nil {
		h.fail(w, r, pg, err, pg.L.F("scorecard.not_found", cycleID))
		return nil, nil
	}
	return sc, cycles
}

// scorecard renders GET /pilots/{id}/scorecard.
func (h *Handler) scorecard(w http.ResponseWriter, r *http.Request) {
	pg := h.base(w, r)
	sc, cycles := h.scorecardFor(w, r, pg)
	if sc == nil {
		return
	}
	pg.Title = pg.L.F("scorecard.title", sc.Pilot.Name)
	data := scorecardData{page: pg, S: sc, CycleLabel: report.PilotCycleLabel(sc.Cycle.Name, sc.Cycle.Year), Region: report.PilotRegion(h.regions, sc.Pilot.RegionCode),
		Radar1: report.PilotRadarOption(sc, 1, pg.Lang), Radar2: report.PilotRadarOption(sc, 2, pg.Lang),
		TrendChart: report.PilotTrendOption(sc, pg.Lang), Method: report.PilotMethod(sc, pg.Lang, h.opts.Location),
		Experts: report.PilotExperts(sc, pg.Lang)}
	for _, c := range cycles {
		data.Cycles = append(data.Cycles, scorecardCycle{Cycle: c, Label: report.PilotCycleLabel(c.Name, c.Year)})
	}
	for _, tp := range sc.Trend {
		data.Trend = append(data.Trend, scorecardTrend{TrendPoint: tp, Label: report.PilotCycleLabel(tp.CycleName, tp.Year)})
	}
	for _, n := range sc.Nodes {
		if n.Leaf {
			data.Rows = append(data.Rows, scorecardRow{ScorecardNode: n, Value: report.PilotValue(n, pg.Lang),
				Comments: report.PilotComments(n, pg.Lang)})
		} else if n.Level <= 2 {
			data.Levels = append(data.Levels, n)
		}
	}
	data.Sort = r.URL.Query().Get("sort")
	if !slices.Contains(scorecardSorts, data.Sort) {
		data.Sort = ""
	}
	sortScorecardRows(data.Rows, data.Sort)
	for _, s := range scorecardSorts {
		q := url.Values{"cycle": {strconv.FormatInt(sc.Cycle.ID, 10)}}
		if s != "" {
			q.Set("sort", s)
		}
		data.SortLinks = append(data.SortLinks, scorecardSortLink{Label: pg.L.T("scorecard.sort." + cmp.Or(s, "code")),
			Href: r.URL.Path + "?" + q.Encode() + "#indicators", Current: s == data.Sort})
	}
	h.render(w, r, http.StatusOK, "scorecard", data)
}

// sortScorecardRows orders the leaves: by contribution (largest first), by
// weighted gap (to the peer median when there is one, else to 100; largest
// first), or as the framework lists them. Missing values go last.
func sortScorecardRows(rows []scorecardRow, by string) {
	key := func(r scorecardRow) *float64 {
		switch by {
		case "contribution":
			return r.Contribution
		case "gap":
			if r.GapMedian != nil {
				return r.GapMedian
			}
			return r.GapMax
		}
		return nil
	}
	if by == "" {
		return
	}
	slices.SortStableFunc(rows, func(a, b scorecardRow) int {
		ka, kb := key(a), key(b)
		switch {
		case ka == nil && kb == nil:
			return 0
		case ka == nil:
			return 1
		case kb == nil:
			return -1
		}
		return cmp.Compare(*kb, *ka)
	})
}
