package ui

import (
	"net/http"
	"strconv"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/report"
)

// Choices of scheme B on the comparison page (engine specs).
var (
	compareNormalisations = []string{"minmax", "zscore", "rank", "percentile", "goalposts"}
	compareAggregations   = []string{"amean", "gmean", "hmean", "topsis"}
)

// analysisShown bounds what the analysis pages draw and list (the best
// ranks under the cycle's scheme): a chart of 41,352 lines or bars shows
// nothing, and the page would weigh megabytes.
const (
	analysisCharted = 50
	analysisListed  = 300
)

// compareData is the content of the method comparison page.
type compareData struct {
	page
	Cycle          platform.Cycle
	Variant        platform.SchemeVariant
	Normalisations []filterOption
	Aggregations   []filterOption
	Result         *platform.SchemeComparison
	Slope          report.CycleChart
	// Listed is how many of the Result's rows the table shows, Total all.
	Listed, Total int
	// Error is the service's refusal of the variant, shown by the form.
	Error string
}

// analysisCycle reads the cycle of an analysis page; only those who may
// analyse (the ministry, admin) find these pages, others get 404.
func (h *Handler) analysisCycle(w http.ResponseWriter, r *http.Request, pg page) (platform.Cycle, bool) {
	id, ok := pathID(r)
	if !ok || !platform.MayDo(r.Context(), "cycle.results.analyse") {
		h.renderError(w, r, pg, http.StatusNotFound, pg.L.T("error.no_page"))
		return platform.Cycle{}, false
	}
	c, err := h.svc.GetCycle(r.Context(), id)
	if err != nil {
		h.fail(w, r, pg, err, pg.L.F("error.no_cycle", id))
		return c, false
	}
	return c, true
}

// compare renders GET /cycles/{id}/compare?normalisation=…&aggregation=…:
// the form, and with a scheme B the rank shifts and the slope chart.
func (h *Handler) compare(w http.ResponseWriter, r *http.Request) {
	pg := h.base(w, r)
	c, ok := h.analysisCycle(w, r, pg)
	if !ok {
		return
	}
	pg.Title = c.Name + " · " + pg.L.T("result.compare_title")
	q := r.URL.Query()
	v := platform.SchemeVariant{Normalisation: q.Get("normalisation"), Aggregation: q.Get("aggregation")}
	data := compareData{page: pg, Cycle: c, Variant: v,
		Normalisations: choices(compareNormalisations, v.Normalisation), Aggregations: choices(compareAggregations, v.Aggregation)}
	if v.Normalisation != "" || v.Aggregation != "" {
		res, err := h.svc.CompareSchemes(r.Context(), c.ID, v)
		switch k := platform.ErrorKindOf(err); {
		case k == platform.Invalid || k == platform.Conflict:
			data.Error = err.Error()
		case err != nil:
			h.fail(w, r, pg, err, "")
			return
		default:
			data.Slope = report.SlopeOption(res.Rows[:min(len(res.Rows), analysisCharted)], pg.L.T("result.scheme_a"), pg.L.T("result.scheme_b"))
			data.Total = len(res.Rows)
			res.Rows = res.Rows[:min(len(res.Rows), analysisListed)]
			data.Result, data.Listed = &res, len(res.Rows)
		}
	}
	h.render(w, r, http.StatusOK, "result_compare", data)
}

// choices are the options of a drop-down list of specs.
func choices(specs []string, selected string) []filterOption {
	out := make([]filterOption, len(specs))
	for i, s := range specs {
		out[i] = filterOption{Value: s, Label: s, Selected: s == selected}
	}
	return out
}

// uncertaintyData is the content of the uncertainty page.
type uncertaintyData struct {
	page
	Cycle     platform.Cycle
	Result    platform.ResultUncertainty
	Intervals report.CycleChart
	// Listed is how many intervals the table shows, Total all.
	Listed, Total int
	// Noise is the weight noise in percent, for the note.
	Noise float64
	Error string
}

// uncertainty renders GET /cycles/{id}/uncertainty?runs=…&seed=…: the rank
// intervals of the default analysis (platform.DefaultUncertainty).
func (h *Handler) uncertainty(w http.ResponseWriter, r *http.Request) {
	pg := h.base(w, r)
	c, ok := h.analysisCycle(w, r, pg)
	if !ok {
		return
	}
	pg.Title = c.Name + " · " + pg.L.T("result.uncertainty_title")
	set := platform.DefaultUncertainty()
	if n, err := strconv.Atoi(r.URL.Query().Get("runs")); err == nil {
		set.Runs = n
	}
	if n, err := strconv.ParseUint(r.URL.Query().Get("seed"), 10, 64); err == nil {
		set.Seed = n
	}
	data := uncertaintyData{page: pg, Cycle: c, Noise: 100 * set.WeightNoise}
	res, err := h.svc.ResultUncertainty(r.Context(), c.ID, set)
	switch k := platform.ErrorKindOf(err); {
	case k == platform.Invalid || k == platform.Conflict:
		data.Error = err.Error()
	case err != nil:
		h.fail(w, r, pg, err, "")
		return
	default:
		data.Intervals = report.IntervalOption(res.Intervals[:min(len(res.Intervals), analysisCharted)], pg.Lang)
		data.Total = len(res.Intervals)
		res.Intervals = res.Intervals[:min(len(res.Intervals), analysisListed)]
		data.Result, data.Listed = res, len(res.Intervals)
	}
	h.render(w, r, http.StatusOK, "result_uncertainty", data)
}
