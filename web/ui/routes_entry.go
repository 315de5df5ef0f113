package ui

import (
	"net/http"

	"github.com/sceval/sceval/platform"
)

// entryRoutes registers the pilot's data-entry pages (填报):
//
//	GET  /entry                                  my submissions (我的填报) and open cycles to start
//	POST /entry/cycles/{id}/start                start the pilot's submission in an open cycle
//	GET  /entry/submissions/{id}                 the submission form (read-only unless editable)
//	POST /entry/submissions/{id}/entries/{code}  save one indicator (autosave; htmx: a fragment)
//	POST /entry/submissions/{id}/entries/{code}/evidence  upload an evidence file (multipart)
//	POST /entry/evidence/{id}/delete             delete an evidence file
//	GET  /entry/submissions/{id}/submit          the confirmation: what is missing
//	POST /entry/submissions/{id}/submit          submit (or resubmit after a return)
func (h *Handler) entryRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /entry", h.entryList)
	mux.HandleFunc("POST /entry/cycles/{id}/start", h.entryStart)
	mux.HandleFunc("GET /entry/submissions/{id}", h.entryForm)
	mux.HandleFunc("POST /entry/submissions/{id}/entries/{code}", h.entrySave)
	mux.HandleFunc("POST /entry/submissions/{id}/entries/{code}/evidence", h.entryUpload)
	mux.HandleFunc("POST /entry/evidence/{id}/delete", h.entryDeleteEvidence)
	mux.HandleFunc("GET /entry/submissions/{id}/submit", h.entrySubmitConfirm)
	mux.HandleFunc("POST /entry/submissions/{id}/submit", h.entrySubmit)
}

// entryNav is the navigation of the pilot's data-entry pages (填报): shown
// to identities that may save entries (pilots, and admin).
func (h *Handler) entryNav(r *http.Request, l catalogue) []navItem {
	if !platform.MayDo(r.Context(), "submission.entry.save") {
		return nil
	}
	return []navItem{{Label: l.T("entry.nav"), Href: "/entry"}}
}

// entryPages are the templates of the pilot's data-entry pages (填报) (templates/<name>.html).
var entryPages = []string{"entry_list", "entry_form", "entry_submit"}
