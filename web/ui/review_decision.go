package ui

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/sceval/sceval/platform"
)

// commentPrefix names the per-indicator comment fields: comment.<code>.
const commentPrefix = "comment."

// confirmData is the content of the confirmation page of a decision.
type confirmData struct {
	page
	Sub      platform.Submission
	Pilot    platform.Pilot
	Form     decisionForm
	Comments []platform.IndicatorComment
}

// readDecision reads the decision form: the version, the decision (the
// button pressed), the reason and the non-empty per-indicator comments.
func readDecision(r *http.Request) (decisionForm, platform.TransitionRequest) {
	f := decisionForm{To: r.PostFormValue("to"), Reason: r.PostFormValue("reason"), Comments: map[string]string{}}
	f.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	req := platform.TransitionRequest{Version: f.Version, To: platform.SubmissionState(f.To), Reason: f.Reason}
	for key, vals := range r.PostForm {
		code, ok := strings.CutPrefix(key, commentPrefix)
		if !ok || len(vals) == 0 || strings.TrimSpace(vals[0]) == "" {
			continue
		}
		// Comments go with a return only; the page sends the boxes with
		// every decision, so a forward ignores what was typed in them.
		if req.To == platform.SubmissionReturned {
			f.Comments[code] = vals[0]
			req.Comments = append(req.Comments, platform.IndicatorComment{Code: code, Comment: vals[0]})
		}
	}
	sort.Slice(req.Comments, func(i, j int) bool { return req.Comments[i].Code < req.Comments[j].Code })
	return f, req
}

// reviewDecide handles POST /review/submissions/{id}/decision in two
// steps that work without JavaScript: the first checks the decision
// (Service.CheckReview) and shows what will happen for confirmation; the
// second (confirm=1) takes it and redirects to the submission. "edit"
// goes back to the form with what was typed. Any refusal shows the
// submission again with the message next to the field it concerns; a
// decision someone else took first shows the current state.
func (h *Handler) reviewDecide(w http.ResponseWriter, r *http.Request) {
	pg := h.base(w, r)
	if !h.reviewerOnly(w, r, pg, "submission.return") {
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.renderError(w, r, pg, http.StatusNotFound, pg.L.T("error.no_page"))
		return
	}
	ctx := r.Context()
	form, req := readDecision(r)
	if r.PostFormValue("edit") != "" {
		h.decisionAgain(w, r, pg, id, form, http.StatusOK)
		return
	}
	if r.PostFormValue("confirm") == "" {
		sub, err := h.svc.CheckReview(ctx, id, req)
		if err != nil {
			form.Error, _ = reviewError(pg.L, err)
			h.decisionAgain(w, r, pg, id, form, reviewStatusOf(pg.L, err))
			return
		}
		p, err := h.svc.GetPilot(ctx, sub.PilotID)
		if err != nil {
			h.reviewFail(w, r, pg, err)
			return
		}
		pg.Title = pg.L.T("review.confirm." + form.To)
		h.render(w, r, http.StatusOK, "review_confirm", confirmData{page: pg, Sub: sub, Pilot: p, Form: form, Comments: req.Comments})
		return
	}
	if _, err := h.svc.ReviewSubmission(ctx, id, req); err != nil {
		form.Error, _ = reviewError(pg.L, err)
		h.decisionAgain(w, r, pg, id, form, reviewStatusOf(pg.L, err))
		return
	}
	http.Redirect(w, r, "/review/submissions/"+strconv.FormatInt(id, 10)+"?done="+form.To, http.StatusSeeOther)
}

// reviewStatusOf is the status a refused decision is answered with.
func reviewStatusOf(l catalogue, err error) int {
	_, status := reviewError(l, err)
	return status
}

// decisionAgain shows the submission (as it is now) with the decision form
// as typed. After a conflict the form carries the current version, so that
// the reviewer decides again knowing the new state.
func (h *Handler) decisionAgain(w http.ResponseWriter, r *http.Request, pg page, id int64, form decisionForm, status int) {
	v, err := h.submissionView(r.Context(), pg, id)
	if err != nil {
		h.reviewFail(w, r, pg, err)
		return
	}
	if form.Error.Field == "" && status == http.StatusConflict {
		form.Version = v.Sub.Version
	}
	v.Form = form
	h.render(w, r, status, "review_submission", v)
}
