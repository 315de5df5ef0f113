package ui

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/sceval/sceval/platform"
)

// maxEntryForm bounds an indicator's form body: a narrative of 20,000
// characters is at most 80 KB of UTF-8, percent-encoded three times that.
const maxEntryForm = 1 << 20

// parsedEntry is an indicator's form as posted.
type parsedEntry struct {
	in entryInput
	// resolve is "mine" or "theirs" after a conflict, else "".
	resolve string
	// valueErr is set when the value is not a number.
	valueErr bool
}

// parseEntryForm reads an indicator's fields.
func parseEntryForm(w http.ResponseWriter, r *http.Request) (parsedEntry, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxEntryForm)
	if err := r.ParseForm(); err != nil {
		return parsedEntry{}, err
	}
	f := r.PostForm
	p := parsedEntry{resolve: f.Get("resolve"), in: entryInput{
		Value: strings.TrimSpace(f.Get("value")), Narrative: f.Get("narrative"), NA: f.Get("not_applicable") != "",
	}}
	p.in.Level, _ = strconv.Atoi(f.Get("level"))
	p.in.Version, _ = strconv.Atoi(f.Get("version"))
	p.in.Base, _ = strconv.Atoi(f.Get("base"))
	if p.in.Value != "" {
		if v, err := strconv.ParseFloat(p.in.Value, 64); err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			p.valueErr = true
		}
	}
	return p, nil
}

// serviceInput is the platform input of a parsed form saved over version.
func (p parsedEntry) serviceInput(version int) platform.EntryInput {
	out := platform.EntryInput{Narrative: p.in.Narrative, NotApplicable: p.in.NA, Version: version}
	if p.in.Value != "" {
		v, _ := strconv.ParseFloat(p.in.Value, 64)
		out.Value = &v
	}
	if p.in.Level > 0 {
		l := p.in.Level
		out.Level = &l
	}
	return out
}

// isHTMX reports whether htmx sent the request (it swaps a fragment).

// entrySave handles POST /entry/submissions/{id}/entries/{code}: it saves
// the indicator with the version the form read. With htmx the answer is the
// indicator's status (saved, the messages next to its fields, or the
// conflict) with the completeness meters out of band, and the user's input
// stays in the fields; without JavaScript a saved indicator redirects to
// the form and a refused one re-renders it with the input kept. "Take
// theirs" after a conflict saves nothing and shows the stored entry.
func (h *Handler) entrySave(w http.ResponseWriter, r *http.Request) {
	if requireLogin(w, r) {
		return
	}
	ctx := r.Context()
	pg := h.base(w, r)
	id, ok := pathID(r)
	code := r.PathValue("code")
	p, err := parseEntryForm(w, r)
	if !ok || err != nil {
		h.renderError(w, r, pg, http.StatusNotFound, pg.L.T("error.no_page"))
		return
	}
	var saveErr error
	switch {
	case p.resolve == "theirs" || p.valueErr:
	case p.resolve == "mine":
		_, saveErr = h.svc.SaveEntry(ctx, id, code, p.serviceInput(p.in.Base))
	default:
		_, saveErr = h.svc.SaveEntry(ctx, id, code, p.serviceInput(p.in.Version))
	}
	var pe *platform.Error
	if saveErr != nil && !errors.As(saveErr, &pe) {
		h.entryFail(w, r, pg, saveErr, "")
		return
	}
	data, ok := h.loadEntryForm(w, r, pg)
	if !ok {
		return
	}
	it := data.item(code)
	if it == nil {
		h.renderError(w, r, pg, http.StatusNotFound, pg.L.F("entry.no_indicator", code))
		return
	}
	status := h.applySave(data, it, p, saveErr)
	switch {
	case isHTMX(r) && it.Conflict != nil && p.in.Base != 0 && p.in.Base == it.Input.Base:
		// The form already shows this very conflict (an autosave while the
		// user decides): swap nothing, so that the conflict's buttons stay
		// in place for a click that may be queued behind this save.
		w.Header().Set("HX-Reswap", "none")
		w.WriteHeader(http.StatusNoContent)
	case isHTMX(r) && p.resolve == "theirs":
		h.fragment(w, r, http.StatusOK, "entry_form", "entry_fields", it)
	case isHTMX(r):
		it.OOB, it.Meters = true, data.meters(code)
		for i := range it.Meters {
			it.Meters[i].OOB = true
		}
		// htmx swaps only 2xx answers: the outcome is in the fragment.
		h.fragment(w, r, http.StatusOK, "entry_form", "entry_saved", it)
	case status == http.StatusOK:
		http.Redirect(w, r, fmt.Sprintf("/entry/submissions/%d?saved=%s#%s", id, code, it.ID("ind")), http.StatusSeeOther)
	default:
		h.render(w, r, status, "entry_form", data)
	}
}

// applySave puts the outcome of a save into the indicator's item and
// returns the page's status: the user's input stays in the fields after a
// refusal, next to the messages; after a conflict also next to the other
// change.
func (h *Handler) applySave(data *entryFormData, it *entryItem, p parsedEntry, saveErr error) int {
	switch {
	case p.resolve == "theirs":
		return http.StatusOK
	case p.valueErr:
		it.Input, it.Errors = p.in, map[string]string{"value": data.L.F("entry.err.not_number", p.in.Value)}
		return http.StatusUnprocessableEntity
	case saveErr == nil:
		it.Saved = true
		return http.StatusOK
	}
	it.Input = p.in
	if platform.ErrorCodeOf(saveErr) == platform.CodeStaleVersion {
		var pe *platform.Error
		errors.As(saveErr, &pe)
		theirs, _ := pe.Current.(platform.Entry)
		it.Conflict = &entryConflict{Theirs: theirs, What: data.describeEntry(it, theirs)}
		it.Input.Base = theirs.Version
		return http.StatusConflict
	}
	it.Errors = map[string]string{entryField(saveErr): h.entryErrorText(data.L, it, saveErr)}
	return statusOf(saveErr)
}

// describeEntry says what an entry holds, for the conflict message: the
// level with its label, or the value with its unit, or "not applicable",
// and the narrative's start.
func (d *entryFormData) describeEntry(it *entryItem, e platform.Entry) string {
	var parts []string
	switch {
	case e.NotApplicable:
		parts = append(parts, d.L.T("entry.not_applicable"))
	case e.Level != nil:
		label := strconv.Itoa(*e.Level)
		if n := *e.Level; n >= 1 && n <= len(it.Levels) {
			label += " " + it.Levels[n-1].Label
		}
		parts = append(parts, d.L.F("entry.level_is", label))
	}
	if e.Value != nil {
		parts = append(parts, d.L.F("entry.value_is", strconv.FormatFloat(*e.Value, 'f', -1, 64)+it.Unit))
	}
	if n := strings.TrimSpace(e.Narrative); n != "" {
		if r := []rune(n); len(r) > 60 {
			n = string(r[:60]) + "…"
		}
		parts = append(parts, d.L.F("entry.narrative_is", n))
	}
	if len(parts) == 0 {
		return d.L.T("entry.empty_entry")
	}
	return strings.Join(parts, d.L.T("entry.sep"))
}

// fragment renders the named template block of page name (an htmx swap),
// with the headers of a full page.
func (h *Handler) fragment(w http.ResponseWriter, r *http.Request, status int, name, block string, data any) {
	var buf bytes.Buffer
	if err := h.pages[name].ExecuteTemplate(&buf, block, data); err != nil {
		h.logger.ErrorContext(r.Context(), "ui: render fragment", "page", name, "block", block, "err", err)
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", pageSecurityPolicy)
	hd.Set("Cache-Control", "no-cache")
	hd.Set("Vary", "HX-Request")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
