package ui

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/sceval/sceval/platform"
)

// entrySubmitData is the content of the submit confirmation.
type entrySubmitData struct {
	*entryFormData
	// Missing are the leaves without an answer, with their names and
	// anchors in the form.
	Missing []entryComment
	// Error is the refusal of a submit.
	Error string
	// Resubmit: the submission was returned and goes back to review.
	Resubmit bool
}

// RequiredPercent is the cycle's minimum completeness in percent.
func (d entrySubmitData) RequiredPercent() string {
	return strconv.FormatFloat(100*d.Progress.Required, 'f', -1, 64)
}

// entrySubmitConfirm renders GET /entry/submissions/{id}/submit: the
// completeness against the cycle's minimum, every leaf still missing (each
// a link to its place in the form), and the submit button when the
// submission may be submitted.
func (h *Handler) entrySubmitConfirm(w http.ResponseWriter, r *http.Request) {
	if requireLogin(w, r) {
		return
	}
	pg := h.base(w, r)
	form, ok := h.loadEntryForm(w, r, pg)
	if !ok {
		return
	}
	h.render(w, r, http.StatusOK, "entry_submit", submitData(form))
}

// submitData lays out the confirmation of a form.
func submitData(form *entryFormData) entrySubmitData {
	d := entrySubmitData{entryFormData: form, Resubmit: form.Sub.State == platform.SubmissionReturned}
	d.Title = form.L.F("entry.submit_title", form.Cycle.Name)
	for _, code := range form.Progress.Missing {
		name := code
		anchor := "ind-" + slug(code)
		if it := form.item(code); it != nil {
			name = it.Name
		}
		hint := ""
		if form.Progress.MayBeNotApplicable(code) {
			hint = form.L.T("entry.may_be_na")
		}
		d.Missing = append(d.Missing, entryComment{Code: code, Name: name, Anchor: anchor, Comment: hint})
	}
	return d
}

// entrySubmit handles POST /entry/submissions/{id}/submit: the submission
// moves to submitted with the version the confirmation showed; a refusal
// (incomplete, past due, changed meanwhile) shows the confirmation again
// with the reason.
func (h *Handler) entrySubmit(w http.ResponseWriter, r *http.Request) {
	if requireLogin(w, r) {
		return
	}
	pg := h.base(w, r)
	id, ok := pathID(r)
	if !ok {
		h.renderError(w, r, pg, http.StatusNotFound, pg.L.T("error.no_page"))
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	_, err := h.svc.ReviewSubmission(r.Context(), id, platform.TransitionRequest{Version: version, To: platform.SubmissionSubmitted})
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/entry/submissions/%d?submitted=1", id), http.StatusSeeOther)
		return
	}
	if k := platform.ErrorKindOf(err); k == platform.NotFound || k == "" {
		h.entryFail(w, r, pg, err, pg.L.F("entry.no_submission", id))
		return
	}
	form, ok := h.loadEntryForm(w, r, pg)
	if !ok {
		return
	}
	d := submitData(form)
	d.Error = h.entryErrorText(pg.L, nil, err)
	h.render(w, r, statusOf(err), "entry_submit", d)
}
