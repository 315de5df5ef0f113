package ui

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/sceval/sceval/platform"
)

// reviewerOnly lets the request through when its identity may do action;
// an anonymous visitor is sent to the login form, anyone else gets the 403
// page (the navigation does not offer them the link either).
func (h *Handler) reviewerOnly(w http.ResponseWriter, r *http.Request, pg page, action string) bool {
	if platform.MayDo(r.Context(), action) {
		return true
	}
	if platform.IdentityFrom(r.Context()).Anonymous() {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return false
	}
	pg.Title = pg.L.T("review.err.forbidden_title")
	h.render(w, r, http.StatusForbidden, "error", errorData{page: pg, Status: http.StatusForbidden, Message: pg.L.T("review.err.forbidden")})
	return false
}

// reviewFail renders a page that could not be built: a bad query (an
// invalid filter) as 400 with the service's message, a refusal as 403,
// the rest as h.fail does (404, or 500 with the details in the log).
func (h *Handler) reviewFail(w http.ResponseWriter, r *http.Request, pg page, err error) {
	var pe *platform.Error
	if errors.As(err, &pe) {
		switch pe.Kind {
		case platform.Invalid:
			pg.Title = pg.L.T("review.err.bad_request")
			h.render(w, r, http.StatusBadRequest, "error", errorData{page: pg, Status: http.StatusBadRequest, Message: pe.Message})
			return
		case platform.Forbidden, platform.Unauthenticated:
			pg.Title = pg.L.T("review.err.forbidden_title")
			h.render(w, r, http.StatusForbidden, "error", errorData{page: pg, Status: http.StatusForbidden, Message: pg.L.T("review.err.forbidden")})
			return
		}
	}
	h.fail(w, r, pg, err, pg.L.T("review.err.not_found"))
}

// fieldError is a service error shown next to a form field: the field it
// concerns ("" for the form as a whole) and the message in the page's
// language.
type fieldError struct {
	Field   string
	Message string
}

// reviewError turns a service error from a decision, an extension or an
// expert's form into a message in the page's language, naming the field,
// and the HTTP status the page is answered with. Details only the service
// knows (which indicator, which limit) follow the catalogue's sentence.
func reviewError(l catalogue, err error) (fieldError, int) {
	var pe *platform.Error
	if !errors.As(err, &pe) {
		return fieldError{Message: l.T("error.internal_text")}, http.StatusInternalServerError
	}
	status := http.StatusUnprocessableEntity
	if pe.Kind == platform.Conflict {
		status = http.StatusConflict
	}
	fe := fieldError{Field: pe.Field}
	switch {
	case pe.Code == platform.CodeReasonRequired && pe.Field == "reason":
		fe.Message = l.T("review.err.reason_required")
	case pe.Code == platform.CodeStaleVersion || pe.Code == platform.CodeBadStateTransition:
		fe.Field, fe.Message = "", l.T("review.err.decided")
		if sub, ok := pe.Current.(platform.Submission); ok {
			fe.Message = l.F("review.err.decided_state", l.E("submission_state", sub.State))
		}
	case pe.Code == platform.CodeCycleNotOpen:
		fe.Field, fe.Message = "", l.T("review.err.cycle_state")+" "+pe.Message
	case pe.Field == "comments":
		fe.Message = l.T("review.err.comments") + " " + pe.Message
	case pe.Field == "due_at":
		fe.Message = l.T("review.err.due") + " " + pe.Message
	case pe.Field == "scores":
		fe.Message = l.T("review.err.scores") + " " + pe.Message
	case pe.Code == platform.CodeNotEditable:
		fe.Field, fe.Message = "", l.T("review.err.locked")
	case pe.Kind == platform.NotFound:
		fe.Message, status = l.T("review.err.not_found"), http.StatusNotFound
	case pe.Kind == platform.Forbidden || pe.Kind == platform.Unauthenticated:
		fe.Message, status = l.T("review.err.forbidden"), http.StatusForbidden
	default:
		fe.Message = pe.Message
	}
	return fe, status
}
