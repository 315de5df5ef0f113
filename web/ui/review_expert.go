package ui

import (
	"net/http"
	"strconv"

	"github.com/sceval/sceval/platform"
)

// expertPage is the number of assignments per page of "my assignments".
const expertPage = 100

// assignmentRow is one of the expert's assignments with its cycle's name.
type assignmentRow struct {
	platform.Assignment
	CycleName string
}

// assignmentsData is the content of the expert's assignments page.
type assignmentsData struct {
	page
	Rows  []assignmentRow
	Total int
	Pager pager
}

// expertAssignments renders GET /expert: the caller's reviews
// (Service.ListMyReviews), each under its pseudonym — the list never names
// a pilot, blind cycle or not.
func (h *Handler) expertAssignments(w http.ResponseWriter, r *http.Request) {
	pg := h.base(w, r)
	if !h.reviewerOnly(w, r, pg, "review.list") {
		return
	}
	ctx := r.Context()
	pageNo := pageNumber(r)
	list, total, err := h.svc.ListMyReviews(ctx, platform.AssignmentFilter{Limit: expertPage, Offset: (pageNo - 1) * expertPage})
	if err != nil {
		h.reviewFail(w, r, pg, err)
		return
	}
	pg.Title = pg.L.T("review.expert.list.title")
	data := assignmentsData{page: pg, Total: total}
	cycles := cycleCache{h: h, byID: map[int64]platform.Cycle{}}
	for _, a := range list {
		c, err := cycles.get(ctx, a.CycleID)
		if err != nil {
			h.reviewFail(w, r, pg, err)
			return
		}
		data.Rows = append(data.Rows, assignmentRow{Assignment: a, CycleName: c.Name})
	}
	p := pager{Page: pageNo, Pages: max(1, (total+expertPage-1)/expertPage), Total: total}
	if total > 0 {
		p.First, p.Last = min((pageNo-1)*expertPage+1, total), min(pageNo*expertPage, total)
	}
	if pageNo > 1 {
		p.PrevURL = "/expert?page=" + strconv.Itoa(min(pageNo-1, p.Pages))
	}
	if pageNo < p.Pages {
		p.NextURL = "/expert?page=" + strconv.Itoa(pageNo+1)
	}
	data.Pager = p
	h.render(w, r, http.StatusOK, "review_assignments", data)
}

// expertEvidence serves GET /expert/reviews/{id}/evidence/{evidence}
// (Service.OpenReviewEvidence: under its masked name in a blind cycle).
func (h *Handler) expertEvidence(w http.ResponseWriter, r *http.Request) {
	pg := h.base(w, r)
	if !h.reviewerOnly(w, r, pg, "review.evidence.read") {
		return
	}
	id, ok := pathID(r)
	evID, err := strconv.ParseInt(r.PathValue("evidence"), 10, 64)
	if !ok || err != nil || evID <= 0 {
		h.renderError(w, r, pg, http.StatusNotFound, pg.L.T("error.no_page"))
		return
	}
	ev, rc, err := h.svc.OpenReviewEvidence(r.Context(), id, evID)
	if err != nil {
		h.reviewFail(w, r, pg, err)
		return
	}
	defer rc.Close()
	serveEvidence(w, r, ev, func(w http.ResponseWriter) { h.copyEvidence(r, w, ev, rc) })
}
