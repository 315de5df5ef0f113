package ui

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/region"
)

// pilotSubmission is one of a pilot's submissions with its cycle's name.
type pilotSubmission struct {
	platform.Submission
	CycleName string
}

// pilotResult is a pilot's overall result in one cycle.
type pilotResult struct {
	platform.ResultRow
	CycleName string
	Pilots    int
	MostStars int
	Run       platform.ResultRun
}

// nodeGap is a pilot's score at one indicator next to the best score of
// any pilot in the same run.
type nodeGap struct {
	nodeColumn
	Score, Best, Gap *float64
	Rank             *int
	Coverage         float64
}

// latestResult is the pilot's most recent run, indicator by indicator.
type latestResult struct {
	pilotResult
	Nodes []nodeGap
}

// pilotData is the content of the pilot page.
type pilotData struct {
	page
	Pilot       platform.Pilot
	Chain       []region.Region
	Submissions []pilotSubmission
	Results     []pilotResult
	Latest      *latestResult
}

// pilotSubmissionLimit bounds the submissions listed on a pilot page (one
// per cycle, so far more than a pilot ever has).
const pilotSubmissionLimit = 1000

// pilot renders GET /pilots/{id}.
func (h *Handler) pilot(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	pg := h.base(w, r)
	id, ok := pathID(r)
	if !ok {
		h.renderError(w, r, pg, http.StatusNotFound, pg.L.T("error.no_page"))
		return
	}
	p, err := h.svc.GetPilot(ctx, id)
	if err != nil {
		h.fail(w, r, pg, err, pg.L.F("error.no_pilot", id))
		return
	}
	pg.Title = p.Name
	data := pilotData{page: pg, Pilot: p}
	if h.regions != nil {
		if reg, ok := h.regions.Resolve(p.RegionCode); ok {
			data.Chain = h.regions.Chain(reg.Code)
		}
	}
	cycles := cycleCache{h: h, byID: map[int64]platform.Cycle{}}
	if err := h.pilotSubmissions(ctx, &data, &cycles); err != nil {
		h.fail(w, r, pg, err, "")
		return
	}
	if err := h.pilotResults(ctx, &data, &cycles); err != nil {
		h.fail(w, r, pg, err, "")
		return
	}
	h.render(w, r, http.StatusOK, "pilot", data)
}

// cycleCache reads each cycle once per page.
type cycleCache struct {
	h    *Handler
	byID map[int64]platform.Cycle
}

func (c *cycleCache) get(ctx context.Context, id int64) (platform.Cycle, error) {
	if cy, ok := c.byID[id]; ok {
		return cy, nil
	}
	cy, err := c.h.svc.GetCycle(ctx, id)
	if err != nil {
		return platform.Cycle{}, fmt.Errorf("cycle %d: %w", id, err)
	}
	c.byID[id] = cy
	return cy, nil
}

// pilotSubmissions lists the pilot's submissions with their cycles' names.
func (h *Handler) pilotSubmissions(ctx context.Context, data *pilotData, cycles *cycleCache) error {
	subs, _, err := h.svc.ListSubmissions(ctx, platform.SubmissionFilter{PilotID: data.Pilot.ID, Limit: pilotSubmissionLimit})
	if err != nil {
		return fmt.Errorf("submissions of pilot %d: %w", data.Pilot.ID, err)
	}
	for _, s := range subs {
		c, err := cycles.get(ctx, s.CycleID)
		if err != nil {
			return err
		}
		data.Submissions = append(data.Submissions, pilotSubmission{Submission: s, CycleName: c.Name})
	}
	return nil
}

// pilotResults lists the pilot's overall results across cycles and details
// the most recently computed run.
func (h *Handler) pilotResults(ctx context.Context, data *pilotData, cycles *cycleCache) error {
	rows, err := h.svc.PilotResults(ctx, data.Pilot.ID)
	if err != nil {
		return fmt.Errorf("results of pilot %d: %w", data.Pilot.ID, err)
	}
	latest := -1
	for _, row := range rows {
		c, err := cycles.get(ctx, row.CycleID)
		if err != nil {
			return err
		}
		run, err := h.svc.LatestRun(ctx, row.CycleID)
		if platform.ErrorKindOf(err) == platform.NotFound {
			// The caller may read this pilot's results but not the
			// cycle's unpublished ranking: no "of N", no comparison.
			run, err = platform.ResultRun{CycleID: row.CycleID}, nil
		}
		if err != nil {
			return fmt.Errorf("run of cycle %d: %w", row.CycleID, err)
		}
		data.Results = append(data.Results, pilotResult{ResultRow: row, CycleName: c.Name, Pilots: run.Pilots,
			MostStars: mostStars(c.StarThresholds), Run: run})
		if latest < 0 || run.ComputedAt.After(data.Results[latest].Run.ComputedAt) {
			latest = len(data.Results) - 1
		}
	}
	if latest < 0 {
		return nil
	}
	res := data.Results[latest]
	c, err := cycles.get(ctx, res.CycleID)
	if err != nil {
		return err
	}
	nodes, err := h.gaps(ctx, data.Pilot.ID, c, data.Lang)
	if err != nil {
		return err
	}
	data.Latest = &latestResult{pilotResult: res, Nodes: nodes}
	return nil
}

// gapLevels are the levels detailed on the pilot page: first and second.
var gapLevels = []int{1, 2}

// gaps returns the pilot's score, rank and gap to the best pilot at every
// first- and second-level indicator of the cycle's run, in framework order
// (second-level indicators under their first-level one). Only the pilot's
// own rows are read; the best scores come from Service.NodeBest.
func (h *Handler) gaps(ctx context.Context, pilotID int64, c platform.Cycle, lang string) ([]nodeGap, error) {
	fw := h.cycleFramework(ctx, c)
	byCode := map[string]*nodeGap{}
	var order []nodeColumn
	var codes []string
	for _, level := range gapLevels {
		rows, err := h.levelRows(ctx, c.ID, level, []int64{pilotID})
		if err != nil {
			return nil, fmt.Errorf("level %d results of cycle %d: %w", level, c.ID, err)
		}
		order = append(order, nodeColumns(rows, fw, lang)...)
		for _, row := range rows {
			byCode[row.Code] = &nodeGap{Score: row.Score, Rank: row.Rank, Coverage: row.Coverage}
			codes = append(codes, row.Code)
		}
	}
	best, err := h.svc.NodeBest(ctx, c.ID, codes)
	if platform.ErrorKindOf(err) == platform.NotFound {
		best, err = nil, nil // the ranking is not published to the caller
	}
	if err != nil {
		return nil, fmt.Errorf("best scores of cycle %d: %w", c.ID, err)
	}
	out := make([]nodeGap, 0, len(order))
	for _, col := range frameworkOrder(order, fw) {
		g := byCode[col.Code]
		g.nodeColumn = col
		if b, ok := best[col.Code]; ok {
			g.Best = &b
		}
		if g.Score != nil && g.Best != nil {
			gap := *g.Best - *g.Score
			g.Gap = &gap
		}
		out = append(out, *g)
	}
	return out, nil
}

// frameworkOrder sorts cols in fw's depth-first order (each first-level
// indicator followed by its children); without fw the order is kept.
func frameworkOrder(cols []nodeColumn, fw *framework.Framework) []nodeColumn {
	if fw == nil {
		return cols
	}
	pos := map[string]int{}
	i := 0
	fw.Walk(func(ind, _ *framework.Indicator, _ int) bool {
		pos[ind.Code] = i
		i++
		return true
	})
	out := make([]nodeColumn, 0, len(cols))
	var unknown []nodeColumn
	for _, c := range cols {
		if _, ok := pos[c.Code]; ok {
			out = append(out, c)
		} else {
			unknown = append(unknown, c)
		}
	}
	slices.SortStableFunc(out, func(a, b nodeColumn) int { return cmp.Compare(pos[a.Code], pos[b.Code]) })
	return append(out, unknown...)
}
