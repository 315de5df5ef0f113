package ui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sceval/sceval/platform"
)

// cycleAdminData is one cycle's administration page: its state and the
// transitions it may take, its latest results run, its decisions log,
// and its expert review (settings, automatic assignment, overrides).
type cycleAdminData struct {
	adminData
	Cycle    platform.Cycle
	Run      *platform.ResultRun
	Events   []platform.CycleEvent
	Settings *platform.ReviewSettings
	Assigned []platform.Assignment
	Experts  map[int64]string
	// Form is the refused action's form; Action names it.
	Form   formState
	Action string
	Done   string
}

// Can reports whether the cycle may move to state to.
func (d cycleAdminData) Can(to string) bool {
	return d.Cycle.State.CanTransition(platform.CycleState(to))
}

// cycleStep is one transition's form on the cycle page: Extra is
// "override" (publish) or "reason" (retract, where it is required).
type cycleStep struct {
	D      cycleAdminData
	Op     string
	Extra  string
	Reason bool
}

// Step is the form of action op.
func (d cycleAdminData) Step(op, extra string, reason bool) cycleStep {
	return cycleStep{D: d, Op: op, Extra: extra, Reason: reason}
}

// CombineMethods are the ways the experts' scores may be combined.
func (d cycleAdminData) CombineMethods() []string {
	return []string{string(platform.CombineMean), string(platform.CombineMedian), string(platform.CombineTrimmedMean)}
}

// ErrOf returns the refusal of action's form at field.
func (d cycleAdminData) ErrOf(action, field string) string {
	if d.Action != action {
		return ""
	}
	return d.Form.Err(field)
}

// cycleAdmin shows one cycle with its actions.
func (h *Handler) cycleAdmin(w http.ResponseWriter, r *http.Request) {
	d, ok := h.adminGate(w, r, "cycle.update", "admin.cycles.title")
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.renderError(w, r, d.page, http.StatusNotFound, d.L.F("error.no_cycle", 0))
		return
	}
	h.renderCycle(w, r, http.StatusOK, cycleAdminData{adminData: d, Done: doneNotice(r, d.L)}, id)
}

// renderCycle loads cycle id into d and renders its page.
func (h *Handler) renderCycle(w http.ResponseWriter, r *http.Request, status int, d cycleAdminData, id int64) {
	ctx := r.Context()
	c, err := h.svc.GetCycle(ctx, id)
	if err != nil {
		if platform.ErrorKindOf(err) == platform.NotFound {
			h.renderError(w, r, d.page, http.StatusNotFound, d.L.F("error.no_cycle", id))
			return
		}
		h.adminFail(w, r, d.page, err)
		return
	}
	d.Cycle, d.Title = c, c.Name
	if run, err := h.svc.LatestRun(ctx, id); err == nil {
		d.Run = &run
	} else if platform.ErrorKindOf(err) != platform.NotFound {
		h.adminFail(w, r, d.page, err)
		return
	}
	if platform.MayDo(ctx, "cycle.events.read") {
		if d.Events, err = h.svc.CycleEvents(ctx, id); err != nil {
			h.adminFail(w, r, d.page, err)
			return
		}
	}
	if platform.MayDo(ctx, "review.settings.read") && platform.MayDo(ctx, "assignment.list") {
		if err := h.loadReview(r, &d); err != nil {
			h.adminFail(w, r, d.page, err)
			return
		}
	}
	h.render(w, r, status, "admin_cycle", d)
}

// loadReview adds the cycle's expert review settings and assignments.
func (h *Handler) loadReview(r *http.Request, d *cycleAdminData) error {
	ctx := r.Context()
	rs, err := h.svc.GetReviewSettings(ctx, d.Cycle.ID)
	if err != nil {
		return err
	}
	d.Settings = &rs
	if d.Assigned, _, err = h.svc.ListAssignments(ctx, platform.AssignmentFilter{CycleID: d.Cycle.ID, Limit: 1000}); err != nil {
		return err
	}
	experts, _, err := h.svc.ListExperts(ctx, platform.ExpertFilter{Limit: 1000})
	if err != nil {
		return err
	}
	d.Experts = make(map[int64]string, len(experts))
	for _, e := range experts {
		d.Experts[e.ID] = e.Name
	}
	return nil
}

// cycleAction runs one action of the cycle page: a transition (open,
// close, publish, retract), compute, the review settings, the automatic
// assignment or an override. Transitions and compute need the
// confirmation box ticked; a refusal is shown next to the action's form.
func (h *Handler) cycleAction(w http.ResponseWriter, r *http.Request) {
	d, ok := h.adminGate(w, r, "cycle.update", "admin.cycles.title")
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	op := r.PathValue("op")
	done, err := h.runCycleAction(r, id, op, d.L)
	if err == errNoSuchAction {
		h.notFound(w, r)
		return
	}
	if err != nil {
		if k := platform.ErrorKindOf(err); k == platform.NotFound || k == platform.Forbidden {
			h.adminFail(w, r, d.page, err)
			return
		}
		form, ok := h.refused(w, r, d.page, err, r.PostForm)
		if !ok {
			return
		}
		h.renderCycle(w, r, statusOf(err), cycleAdminData{adminData: d, Form: form, Action: op}, id)
		return
	}
	seeOther(w, r, fmt.Sprintf("/admin/cycles/%d#%s", id, op), done)
}

// errNoSuchAction is an unknown action of the cycle page.
var errNoSuchAction = fmt.Errorf("no such cycle action")

// confirmed actions need the confirmation box.
var confirmed = map[string]bool{"open": true, "close": true, "publish": true, "retract": true, "compute": true}

// transitions map the page's actions to the target state.
var transitions = map[string]platform.CycleState{"open": platform.CycleOpen, "close": platform.CycleClosed,
	"publish": platform.CyclePublished, "retract": platform.CycleClosed}

// runCycleAction calls the service for one action and names its notice.
func (h *Handler) runCycleAction(r *http.Request, id int64, op string, l catalogue) (string, error) {
	ctx, f := r.Context(), r.PostFormValue
	if confirmed[op] && f("confirm") != "yes" {
		return "", invalid("confirm", "%s", l.T("admin.err.confirm"))
	}
	if to, ok := transitions[op]; ok {
		version, err := strconv.Atoi(f("version"))
		if err != nil {
			return "", invalid("", "%s", l.F("admin.err.not_integer", f("version")))
		}
		opts := platform.CycleTransitionOptions{Reason: strings.TrimSpace(f("reason")), Override: f("override") == "yes"}
		_, err = h.svc.TransitionCycleWith(ctx, id, version, to, opts)
		return "admin.done.cycle_" + op, err
	}
	switch op {
	case "compute":
		_, err := h.svc.ComputeResults(ctx, id)
		return "admin.done.cycle_compute", err
	case "dates":
		return "admin.done.cycle_dates", h.patchCycleDates(r, id, l)
	case "settings":
		return "admin.done.review_settings", h.saveReviewSettings(r, id, l)
	case "assign":
		_, err := h.svc.AssignExperts(ctx, id)
		return "admin.done.assigned", err
	case "override":
		aid, err1 := strconv.ParseInt(f("assignment"), 10, 64)
		version, err2 := strconv.Atoi(f("version"))
		expert, err3 := optionalID(f("expert_id"), "expert_id", l)
		if err1 != nil || err2 != nil {
			return "", invalid("", "%s", l.F("admin.err.not_id", f("assignment")))
		}
		if err3 != nil {
			return "", err3
		}
		_, err := h.svc.OverrideAssignment(ctx, aid, version, expert, f("reason"))
		return "admin.done.overridden", err
	}
	return "", errNoSuchAction
}

// patchCycleDates changes the cycle's opening and due dates (an empty
// date clears it) and, when any is given, its star thresholds, through the
// same merge patch as PATCH /api/v1/cycles/{id}.
func (h *Handler) patchCycleDates(r *http.Request, id int64, l catalogue) error {
	f := r.PostFormValue
	version, err := strconv.Atoi(f("version"))
	if err != nil {
		return invalid("", "%s", l.F("admin.err.not_integer", f("version")))
	}
	patch := map[string]any{"version": version}
	for _, field := range []string{"opens_at", "due_at"} {
		if v := strings.TrimSpace(f(field)); v != "" {
			patch[field] = v
		} else {
			patch[field] = nil
		}
	}
	ts, err := thresholdsFromForm(r, l)
	if err != nil {
		return err
	}
	if len(ts) > 0 {
		patch["star_thresholds"] = ts
	}
	body, err := json.Marshal(patch)
	if err != nil {
		return fmt.Errorf("cycle %d patch: %w", id, err)
	}
	_, err = h.svc.PatchCycle(r.Context(), id, body)
	return err
}

// Day is a date of the cycle as a date input's value ("" when unset).
func (d cycleAdminData) Day(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format("2006-01-02")
}

// Threshold is the minimum score of the given stars ("" when none).
func (d cycleAdminData) Threshold(stars int) string {
	for _, t := range d.Cycle.StarThresholds {
		if t.Stars == stars {
			return strconv.FormatFloat(t.Min, 'f', -1, 64)
		}
	}
	return ""
}

// saveReviewSettings stores the cycle's expert review settings.
func (h *Handler) saveReviewSettings(r *http.Request, id int64, l catalogue) error {
	f := r.PostFormValue
	rs, err := h.svc.GetReviewSettings(r.Context(), id)
	if err != nil {
		return err
	}
	k, err := optionalInt(f("experts_per_submission"), "experts_per_submission", l)
	if err != nil {
		return err
	}
	version, err := strconv.Atoi(f("version"))
	if err != nil {
		return invalid("", "%s", l.F("admin.err.not_integer", f("version")))
	}
	rs.ExpertsPerSubmission, rs.Blind, rs.Version = k, f("blind") == "yes", version
	if c := f("combine"); c != "" {
		rs.Combine = platform.CombineMethod(c)
	}
	_, err = h.svc.PutReviewSettings(r.Context(), rs)
	return err
}
