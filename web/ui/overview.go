package ui

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
)

// overviewCycles is how many cycles the overview lists, newest first.
const overviewCycles = 100

// submissionStates are the submission states in workflow order.
var submissionStates = []platform.SubmissionState{platform.SubmissionDraft, platform.SubmissionSubmitted,
	platform.SubmissionReturned, platform.SubmissionForwarded, platform.SubmissionAccepted}

// pilotTypes are the pilot types in the programme's order.
var pilotTypes = []platform.PilotType{platform.PilotCity, platform.PilotDistrict, platform.PilotTown}

// frameworkSummary is one framework in the overview.
type frameworkSummary struct {
	ID, Version, Name string
	// Counts is the number of indicators per level, e.g. "4 / 11 / 57".
	Counts string
	Levels string
}

// stateCount is the number of submissions in one state.
type stateCount struct {
	State platform.SubmissionState
	N     int
}

// cycleSummary is one cycle in the overview.
type cycleSummary struct {
	platform.Cycle
	Submissions []stateCount
	Total       int
}

// typeCount is the number of pilots of one type.
type typeCount struct {
	Type platform.PilotType
	N    int
}

// overviewData is the content of the overview page.
type overviewData struct {
	page
	Frameworks []frameworkSummary
	Cycles     []cycleSummary
	CycleTotal int
	PilotTypes []typeCount
	PilotTotal int
	// ShowPilots is false for a caller who may not list pilots (an
	// expert: blind reviews must not learn who the pilots are).
	ShowPilots  bool
	StateLabels []platform.SubmissionState
}

// overview renders GET /.
func (h *Handler) overview(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	pg := h.base(w, r)
	pg.Title = pg.L.T("overview.title")
	data := overviewData{page: pg, StateLabels: submissionStates}
	var err error
	if data.Frameworks, err = h.frameworkSummaries(ctx, pg.Lang); err != nil {
		h.fail(w, r, pg, err, "")
		return
	}
	cycles, total, err := h.svc.ListCycles(ctx, platform.CycleFilter{Limit: overviewCycles})
	if err != nil {
		h.fail(w, r, pg, err, "")
		return
	}
	data.CycleTotal = total
	for _, c := range cycles {
		sum := cycleSummary{Cycle: c}
		if sum.Submissions, sum.Total, err = h.submissionCounts(ctx, c.ID); err != nil {
			h.fail(w, r, pg, err, "")
			return
		}
		data.Cycles = append(data.Cycles, sum)
	}
	data.ShowPilots = platform.MayDo(ctx, "pilot.list")
	for _, t := range pilotTypes {
		if !data.ShowPilots {
			break
		}
		_, n, err := h.svc.ListPilots(ctx, platform.PilotFilter{Type: string(t), Limit: 1})
		if err != nil {
			h.fail(w, r, pg, err, "")
			return
		}
		data.PilotTypes = append(data.PilotTypes, typeCount{Type: t, N: n})
		data.PilotTotal += n
	}
	h.render(w, r, http.StatusOK, "overview", data)
}

// frameworkSummaries describes every framework the server knows, built in
// and published, in lang.
func (h *Handler) frameworkSummaries(ctx context.Context, lang string) ([]frameworkSummary, error) {
	var fws []*framework.Framework
	for _, id := range h.frameworks.FrameworkIDs() {
		f, err := h.frameworks.Framework(id)
		if err != nil {
			return nil, fmt.Errorf("framework %s: %w", id, err)
		}
		fws = append(fws, f)
	}
	published, err := h.svc.ListFrameworks(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range published {
		f, err := h.svc.GetFramework(ctx, p.ID, p.Version)
		if err != nil {
			return nil, err
		}
		fws = append(fws, f)
	}
	var out []frameworkSummary
	for _, f := range fws {
		var counts, levels []string
		for i, n := range f.CountByLevel() {
			counts = append(counts, fmt.Sprint(n))
			if i < len(f.Levels) {
				levels = append(levels, f.Levels[i].In(lang))
			}
		}
		out = append(out, frameworkSummary{ID: f.ID, Version: f.Version, Name: f.Name.In(lang),
			Counts: strings.Join(counts, " / "), Levels: strings.Join(levels, " / ")})
	}
	return out, nil
}

// submissionCounts counts a cycle's submissions in each state, and in all.
func (h *Handler) submissionCounts(ctx context.Context, cycleID int64) ([]stateCount, int, error) {
	out := make([]stateCount, 0, len(submissionStates))
	total := 0
	for _, st := range submissionStates {
		_, n, err := h.svc.ListSubmissions(ctx, platform.SubmissionFilter{CycleID: cycleID, State: string(st), Limit: 1})
		if err != nil {
			return nil, 0, fmt.Errorf("count %s submissions of cycle %d: %w", st, cycleID, err)
		}
		out = append(out, stateCount{State: st, N: n})
		total += n
	}
	return out, total, nil
}
