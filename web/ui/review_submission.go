package ui

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/sceval/sceval/platform"
)

// reviewDecisions are the decisions a reviewer's page offers, in order.
var reviewDecisions = []platform.SubmissionState{platform.SubmissionReturned, platform.SubmissionForwarded, platform.SubmissionAccepted}

// decisionForm is what the reviewer typed: kept when the page is shown
// again with an error, or for confirmation.
type decisionForm struct {
	To       string
	Version  int
	Reason   string
	Comments map[string]string
	Error    fieldError
}

// extensionForm is the ministry's extension form as typed.
type extensionForm struct {
	Due, Reason string
	Error       fieldError
}

// submissionView is the content of a reviewer's submission page.
type submissionView struct {
	page
	Sub       platform.Submission
	Pilot     platform.Pilot
	Region    string
	Cycle     platform.Cycle
	Groups    []reviewGroup
	Deadline  platform.SubmissionDeadline
	Decisions []string
	CanExtend bool
	Form      decisionForm
	Extension extensionForm
	// Done is the decision just taken (after the redirect), for the notice.
	Done string
}

// Comment is the typed comment on indicator code.
func (v submissionView) Comment(code string) string { return v.Form.Comments[code] }

// CanReturn reports whether the page offers a return (and so the
// per-indicator comment boxes).
func (v submissionView) CanReturn() bool {
	for _, d := range v.Decisions {
		if d == string(platform.SubmissionReturned) {
			return true
		}
	}
	return false
}

// reviewSubmission renders GET /review/submissions/{id}.
func (h *Handler) reviewSubmission(w http.ResponseWriter, r *http.Request) {
	pg := h.base(w, r)
	if !h.reviewerOnly(w, r, pg, "submission.return") {
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.renderError(w, r, pg, http.StatusNotFound, pg.L.T("error.no_page"))
		return
	}
	v, err := h.submissionView(r.Context(), pg, id)
	if err != nil {
		h.reviewFail(w, r, pg, err)
		return
	}
	v.Form.Version = v.Sub.Version
	markPreview(v.Groups, r.URL.Path, previewParam(r))
	switch d := r.URL.Query().Get("done"); d {
	case "extension", "returned", "forwarded", "accepted":
		v.Done = d
	}
	h.render(w, r, http.StatusOK, "review_submission", v)
}

// submissionView reads everything the page shows of submission id.
func (h *Handler) submissionView(ctx context.Context, pg page, id int64) (submissionView, error) {
	sub, err := h.svc.GetSubmission(ctx, id)
	if err != nil {
		return submissionView{}, err
	}
	p, err := h.svc.GetPilot(ctx, sub.PilotID)
	if err != nil {
		return submissionView{}, fmt.Errorf("pilot of submission %d: %w", id, err)
	}
	c, err := h.svc.GetCycle(ctx, sub.CycleID)
	if err != nil {
		return submissionView{}, fmt.Errorf("cycle of submission %d: %w", id, err)
	}
	d, err := h.svc.GetSubmissionDeadline(ctx, id)
	if err != nil {
		return submissionView{}, fmt.Errorf("deadline of submission %d: %w", id, err)
	}
	pg.Title = pg.L.F("review.sub.title", p.Name)
	v := submissionView{page: pg, Sub: sub, Pilot: p, Region: h.regionLabel(p.RegionCode), Cycle: c, Deadline: d,
		CanExtend: platform.MayDo(ctx, "cycle.extend") && c.State != platform.CyclePublished,
		Form:      decisionForm{Comments: map[string]string{}}}
	url := func(ev platform.Evidence) string { return "/review/evidence/" + strconv.FormatInt(ev.ID, 10) }
	v.Groups = reviewGroups(h.cycleFramework(ctx, c), sub.Entries, pg.Lang, url)
	markPreview(v.Groups, "/review/submissions/"+strconv.FormatInt(id, 10), 0)
	for _, to := range reviewDecisions {
		if sub.State.CanTransition(to) && platform.MayDo(ctx, platform.TransitionAction(to)) {
			v.Decisions = append(v.Decisions, string(to))
		}
	}
	return v, nil
}
