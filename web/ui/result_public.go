package ui

import (
	"net/http"

	"github.com/sceval/sceval/platform"
)

// publicCycles is how many published cycles the public site lists.
const publicCycles = 200

// publicData is the content of the public site's front page.
type publicData struct {
	page
	Cycles []platform.Cycle
	Total  int
}

// publicIndex renders GET /public/: the published cycles, newest first,
// to anyone (signed in or not: the public site shows what the public sees).
func (h *Handler) publicIndex(w http.ResponseWriter, r *http.Request) {
	pg := h.base(w, r)
	pg.Title = pg.L.T("result.public_title")
	cycles, total, err := h.svc.ListCycles(r.Context(), platform.CycleFilter{State: string(platform.CyclePublished), Limit: publicCycles})
	if err != nil {
		h.fail(w, r, pg, err, "")
		return
	}
	h.render(w, r, http.StatusOK, "result_public", publicData{page: pg, Cycles: cycles, Total: total})
}
