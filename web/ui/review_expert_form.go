package ui

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/sceval/sceval/platform"
)

// scoreInput is one leaf's row of the scoring form, as stored or typed.
type scoreInput struct {
	Score, Level, Comment string
}

// expertFormData is the content of the scoring page.
type expertFormData struct {
	page
	View  platform.ReviewView
	Cycle platform.Cycle
	// Name is how the page names the pilot: its pseudonym in a blind
	// cycle, its name otherwise.
	Name    string
	Groups  []reviewGroup
	Scores  map[string]scoreInput
	Version int
	Locked  bool
	Error   fieldError
	Done    string
	// Scored and Leaves count the form's scored leaves (for the
	// confirmation of a submit).
	Scored, Leaves int
}

// Score is the form's row for code.
func (d expertFormData) Score(code string) scoreInput { return d.Scores[code] }

// LevelChosen reports whether rubric level n is the one chosen for code.
func (d expertFormData) LevelChosen(code string, n int) bool {
	return d.Scores[code].Level == strconv.Itoa(n)
}

// expertForm reads review id (Service.GetReview: masked in a blind cycle)
// and lays out the form with the stored scores.
func (h *Handler) expertForm(ctx context.Context, pg page, id int64) (expertFormData, error) {
	v, err := h.svc.GetReview(ctx, id)
	if err != nil {
		return expertFormData{}, err
	}
	c, err := h.svc.GetCycle(ctx, v.Review.CycleID)
	if err != nil {
		return expertFormData{}, err
	}
	d := expertFormData{page: pg, View: v, Cycle: c, Name: v.Pseudonym, Version: v.Review.Version,
		Locked: v.Review.State == platform.ReviewSubmitted, Scores: map[string]scoreInput{}}
	if v.Pilot != nil && !v.Masked {
		d.Name = v.Pilot.Name
	}
	d.Title = pg.L.F("review.expert.form.title", d.Name)
	url := func(ev platform.Evidence) string {
		return "/expert/reviews/" + strconv.FormatInt(id, 10) + "/evidence/" + strconv.FormatInt(ev.ID, 10)
	}
	d.Groups = reviewGroups(h.cycleFramework(ctx, c), v.Entries, pg.Lang, url)
	markPreview(d.Groups, "/expert/reviews/"+strconv.FormatInt(id, 10), 0)
	for _, sc := range v.Review.Scores {
		in := scoreInput{Comment: sc.Comment}
		if sc.Level != nil {
			in.Level = strconv.Itoa(*sc.Level)
		} else if sc.Score != nil {
			in.Score = strconv.FormatFloat(*sc.Score, 'f', -1, 64)
		}
		d.Scores[sc.Code] = in
	}
	d.count()
	return d, nil
}

// count counts the leaves and those with a score or level.
func (d *expertFormData) count() {
	d.Scored, d.Leaves = 0, 0
	for _, g := range d.Groups {
		for _, l := range g.Leaves {
			d.Leaves++
			if in := d.Scores[l.Code]; in.Score != "" || in.Level != "" {
				d.Scored++
			}
		}
	}
}

// expertReview renders GET /expert/reviews/{id}.
func (h *Handler) expertReview(w http.ResponseWriter, r *http.Request) {
	pg := h.base(w, r)
	if !h.reviewerOnly(w, r, pg, "review.read") {
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.renderError(w, r, pg, http.StatusNotFound, pg.L.T("error.no_page"))
		return
	}
	d, err := h.expertForm(r.Context(), pg, id)
	if err != nil {
		h.reviewFail(w, r, pg, err)
		return
	}
	markPreview(d.Groups, r.URL.Path, previewParam(r))
	if done := r.URL.Query().Get("done"); done == "saved" || done == "submitted" {
		d.Done = done
	}
	h.render(w, r, http.StatusOK, "review_expert", d)
}

// readScores reads the scoring form: per leaf a score (0–100) or a rubric
// level, and a comment; rows left empty are left out. A score that is not
// a number is named with its indicator.
func readScores(r *http.Request, l catalogue) (map[string]scoreInput, []platform.ReviewScore, *fieldError) {
	typed := map[string]scoreInput{}
	for key := range r.PostForm {
		for _, prefix := range []string{"score.", "level.", "comment."} {
			if code, ok := strings.CutPrefix(key, prefix); ok {
				typed[code] = scoreInput{Score: strings.TrimSpace(r.PostFormValue("score." + code)),
					Level: r.PostFormValue("level." + code), Comment: r.PostFormValue("comment." + code)}
			}
		}
	}
	var out []platform.ReviewScore
	for code, in := range typed {
		sc := platform.ReviewScore{Code: code, Comment: in.Comment}
		if in.Score != "" {
			v, err := strconv.ParseFloat(in.Score, 64)
			if err != nil {
				return typed, nil, &fieldError{Field: "scores", Message: l.F("review.expert.err.not_number", code, in.Score)}
			}
			sc.Score = &v
		}
		if in.Level != "" {
			n, err := strconv.Atoi(in.Level)
			if err != nil {
				return typed, nil, &fieldError{Field: "scores", Message: l.F("review.expert.err.not_number", code, in.Level)}
			}
			sc.Level = &n
		}
		if sc.Score == nil && sc.Level == nil && strings.TrimSpace(sc.Comment) == "" {
			continue
		}
		out = append(out, sc)
	}
	return typed, out, nil
}

// expertSave handles POST /expert/reviews/{id}: it saves the form as the
// draft (Service.SaveReview); with action=submit it then asks for
// confirmation before submitting.
func (h *Handler) expertSave(w http.ResponseWriter, r *http.Request) {
	pg := h.base(w, r)
	if !h.reviewerOnly(w, r, pg, "review.save") {
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.renderError(w, r, pg, http.StatusNotFound, pg.L.T("error.no_page"))
		return
	}
	ctx := r.Context()
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	typed, scores, ferr := readScores(r, pg.L)
	var err error
	if ferr == nil {
		_, err = h.svc.SaveReview(ctx, id, version, scores)
	}
	if ferr != nil || err != nil {
		d, derr := h.expertForm(ctx, pg, id)
		if derr != nil {
			h.reviewFail(w, r, pg, derr)
			return
		}
		status := http.StatusUnprocessableEntity
		var pe *platform.Error
		switch {
		case err != nil && d.Locked:
			// Submitted meanwhile (another window): it is locked now.
			d.Error, status = fieldError{Message: pg.L.T("review.err.locked")}, http.StatusConflict
		case ferr != nil:
			d.Error = *ferr
			d.Scores, d.Version = typed, version
		case errors.As(err, &pe) && pe.Code == platform.CodeStaleVersion:
			// Saved meanwhile in another window: keep what was typed, on the
			// current version, so that saving again is a deliberate choice.
			d.Error, status = fieldError{Message: pg.L.T("review.expert.err.stale")}, http.StatusConflict
			d.Scores = typed
		default:
			d.Error, status = reviewError(pg.L, err)
			if status != http.StatusConflict {
				d.Scores, d.Version = typed, version
			}
		}
		d.count()
		h.render(w, r, status, "review_expert", d)
		return
	}
	base := "/expert/reviews/" + strconv.FormatInt(id, 10)
	if r.PostFormValue("action") != "submit" {
		http.Redirect(w, r, base+"?done=saved", http.StatusSeeOther)
		return
	}
	d, err := h.expertForm(ctx, pg, id)
	if err != nil {
		h.reviewFail(w, r, pg, err)
		return
	}
	d.Title = pg.L.T("review.expert.confirm.title")
	h.render(w, r, http.StatusOK, "review_expert_confirm", d)
}

// expertSubmit handles POST /expert/reviews/{id}/submit, the confirmed
// submit (Service.SubmitReview): a review with an indicator unscored goes
// back to the form naming the indicators.
func (h *Handler) expertSubmit(w http.ResponseWriter, r *http.Request) {
	pg := h.base(w, r)
	if !h.reviewerOnly(w, r, pg, "review.submit") {
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.renderError(w, r, pg, http.StatusNotFound, pg.L.T("error.no_page"))
		return
	}
	ctx := r.Context()
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	if _, err := h.svc.SubmitReview(ctx, id, version); err != nil {
		d, derr := h.expertForm(ctx, pg, id)
		if derr != nil {
			h.reviewFail(w, r, pg, derr)
			return
		}
		var status int
		d.Error, status = reviewError(pg.L, err)
		if pe := (*platform.Error)(nil); errors.As(err, &pe) && pe.Code == platform.CodeRequired {
			d.Error.Message = pg.L.T("review.expert.err.unscored") + " " + pe.Message
		} else if d.Locked { // a second press of the confirmation
			d.Error, status = fieldError{Message: pg.L.T("review.err.locked")}, http.StatusConflict
		} else if status == http.StatusConflict {
			d.Error.Message = pg.L.T("review.expert.err.stale_submit")
		}
		h.render(w, r, status, "review_expert", d)
		return
	}
	http.Redirect(w, r, "/expert/reviews/"+strconv.FormatInt(id, 10)+"?done=submitted", http.StatusSeeOther)
}
