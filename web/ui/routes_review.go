package ui

import (
	"net/http"

	"github.com/sceval/sceval/platform"
)

// reviewRoutes registers the province's and ministry's review queues and
// the expert's scoring pages:
//
//	GET  /review                              the queue (tabs by state, filters)
//	GET  /review/submissions/{id}             a submission with every entry, evidence, history
//	POST /review/submissions/{id}/decision    return / forward / accept (check, confirm, decide)
//	POST /review/submissions/{id}/extension   the ministry's extension of the pilot's due date
//	GET  /review/evidence/{id}                an evidence file (inline preview or ?download=1)
//	GET  /expert                              the expert's assignments
//	GET  /expert/reviews/{id}                 the scoring form beside the entries
//	POST /expert/reviews/{id}                 save the draft (action=submit: then confirm)
//	POST /expert/reviews/{id}/submit          the confirmed submit
//	GET  /expert/reviews/{id}/evidence/{evidence}  an evidence file of the review (masked name when blind)
func (h *Handler) reviewRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /review", h.reviewQueue)
	mux.HandleFunc("GET /review/submissions/{id}", h.reviewSubmission)
	mux.HandleFunc("POST /review/submissions/{id}/decision", h.reviewDecide)
	mux.HandleFunc("POST /review/submissions/{id}/extension", h.reviewExtend)
	mux.HandleFunc("GET /review/evidence/{id}", h.reviewEvidence)
	mux.HandleFunc("GET /expert", h.expertAssignments)
	mux.HandleFunc("GET /expert/reviews/{id}", h.expertReview)
	mux.HandleFunc("POST /expert/reviews/{id}", h.expertSave)
	mux.HandleFunc("POST /expert/reviews/{id}/submit", h.expertSubmit)
	mux.HandleFunc("GET /expert/reviews/{id}/evidence/{evidence}", h.expertEvidence)
}

// reviewNav links the review queue for those who may decide on submissions
// (province, ministry) and the assignments for experts.
func (h *Handler) reviewNav(r *http.Request, l catalogue) []navItem {
	var out []navItem
	if platform.MayDo(r.Context(), "submission.return") {
		out = append(out, navItem{Label: l.T("review.nav.queue"), Href: "/review"})
	}
	if platform.MayDo(r.Context(), "review.list") {
		out = append(out, navItem{Label: l.T("review.nav.expert"), Href: "/expert"})
	}
	return out
}

// reviewPages are the templates of the province's and ministry's review
// queues and the expert's scoring pages (templates/<name>.html).
var reviewPages = []string{"review_queue", "review_submission", "review_confirm", "review_assignments",
	"review_expert", "review_expert_confirm"}
