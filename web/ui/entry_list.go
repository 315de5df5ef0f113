package ui

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/sceval/sceval/platform"
)

// entryListLimit bounds the submissions listed on "my submissions": a pilot
// has one per cycle; an administrator sees the first ones and the total.
const entryListLimit = 200

// entryRow is one submission on "my submissions".
type entryRow struct {
	platform.Submission
	CycleName  string
	CycleState platform.CycleState
	PilotName  string
	DueAt      *time.Time
}

// entryStartRow is an open cycle in which the pilot has no submission yet.
type entryStartRow struct {
	platform.Cycle
}

// entryListData is the content of "my submissions".
type entryListData struct {
	page
	Rows  []entryRow
	Total int
	// Start are the open cycles the pilot may start a submission in.
	Start []entryStartRow
	Error string
}

// requireLogin sends an anonymous visitor to the login form (then back to
// the page) and reports whether it did.
func requireLogin(w http.ResponseWriter, r *http.Request) bool {
	if !platform.IdentityFrom(r.Context()).Anonymous() {
		return false
	}
	http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	return true
}

// entryList renders GET /entry: the submissions the identity may see
// (a pilot's own), with state, due date and completeness, and the open
// cycles a pilot has not started yet.
func (h *Handler) entryList(w http.ResponseWriter, r *http.Request) {
	if requireLogin(w, r) {
		return
	}
	pg := h.base(w, r)
	pg.Title = pg.L.T("entry.list_title")
	data, err := h.entryListData(r.Context(), pg)
	if err != nil {
		h.entryFail(w, r, pg, err, "")
		return
	}
	h.render(w, r, http.StatusOK, "entry_list", data)
}

// entryListData reads the submissions and the cycles of the list.
func (h *Handler) entryListData(ctx context.Context, pg page) (entryListData, error) {
	data := entryListData{page: pg}
	subs, total, err := h.svc.ListSubmissions(ctx, platform.SubmissionFilter{Limit: entryListLimit})
	if err != nil {
		return data, fmt.Errorf("submissions: %w", err)
	}
	data.Total = total
	cycles := cycleCache{h: h, byID: map[int64]platform.Cycle{}}
	names := map[int64]string{}
	has := map[int64]bool{}
	for _, s := range subs {
		c, err := cycles.get(ctx, s.CycleID)
		if err != nil {
			return data, err
		}
		if _, ok := names[s.PilotID]; !ok {
			names[s.PilotID] = h.pilotName(ctx, s.PilotID)
		}
		data.Rows = append(data.Rows, entryRow{Submission: s, CycleName: c.Name, CycleState: c.State,
			PilotName: names[s.PilotID], DueAt: c.DueAt})
		has[s.CycleID] = true
	}
	id := platform.IdentityFrom(ctx)
	if id.PilotID == 0 || !platform.MayDo(ctx, "submission.create") {
		return data, nil
	}
	open, _, err := h.svc.ListCycles(ctx, platform.CycleFilter{State: string(platform.CycleOpen), Limit: entryListLimit})
	if err != nil {
		return data, fmt.Errorf("open cycles: %w", err)
	}
	for _, c := range open {
		if !has[c.ID] {
			data.Start = append(data.Start, entryStartRow{Cycle: c})
		}
	}
	return data, nil
}

// pilotName is a pilot's name, or its number when it cannot be read.
func (h *Handler) pilotName(ctx context.Context, id int64) string {
	p, err := h.svc.GetPilot(ctx, id)
	if err != nil {
		return "#" + strconv.FormatInt(id, 10)
	}
	return p.Name
}

// entryStart handles POST /entry/cycles/{id}/start: the pilot's submission
// in the cycle is created and its form opened.
func (h *Handler) entryStart(w http.ResponseWriter, r *http.Request) {
	if requireLogin(w, r) {
		return
	}
	ctx := r.Context()
	pg := h.base(w, r)
	id, ok := pathID(r)
	if !ok {
		h.renderError(w, r, pg, http.StatusNotFound, pg.L.T("error.no_page"))
		return
	}
	sub, err := h.svc.CreateSubmission(ctx, id, platform.IdentityFrom(ctx).PilotID)
	if err != nil {
		if platform.ErrorKindOf(err) == platform.NotFound {
			h.entryFail(w, r, pg, err, pg.L.F("error.no_cycle", id))
			return
		}
		pg.Title = pg.L.T("entry.list_title")
		data, lerr := h.entryListData(ctx, pg)
		if lerr != nil {
			h.entryFail(w, r, pg, lerr, "")
			return
		}
		data.Error = h.entryErrorText(pg.L, nil, err)
		h.render(w, r, statusOf(err), "entry_list", data)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/entry/submissions/%d", sub.ID), http.StatusSeeOther)
}
