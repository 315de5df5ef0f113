package ui

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
)

// entryFormData is the content of the submission form.
type entryFormData struct {
	page
	Sub       platform.Submission
	Cycle     platform.Cycle
	PilotName string
	// Editable: the identity may save entries and the submission and its
	// cycle allow it; otherwise the form is a read-only view.
	Editable bool
	Progress platform.Progress
	Overall  meterView
	Groups   []entryGroup
	// Comments are the last return's per-indicator comments, with names.
	Comments []entryComment
	// Notice is a message at the top (submitted, not editable, …).
	Notice string
	// MaxUpload is the upload limit in MiB.
	MaxUpload int64
}

// meterView is a completeness meter: answered of leaves.
type meterView struct {
	// ID is the element id (a save updates the meters out of band).
	ID               string
	Answered, Leaves int
	L                catalogue
	// OOB marks the meter for an out-of-band swap.
	OOB bool
}

// Percent is the meter's share as a whole percentage.
func (m meterView) Percent() int {
	if m.Leaves == 0 {
		return 0
	}
	return int(100 * float64(m.Answered) / float64(m.Leaves))
}

// entryGroup is a first-level indicator with its second-level ones.
type entryGroup struct {
	Code, Name string
	Meter      meterView
	Subgroups  []entrySubgroup
}

// entrySubgroup is a second-level indicator with its leaves (Code is ""
// for leaves directly under a first-level indicator).
type entrySubgroup struct {
	Code, Name string
	Meter      meterView
	Items      []*entryItem
}

// entryComment is a reviewer's comment on one indicator.
type entryComment struct {
	Code, Name, Comment, Anchor string
}

// entryItem is one leaf indicator of the form: what the framework says,
// what is stored, what the form shows (the stored entry, or the user's
// input after a refused save) and the messages next to its fields.
type entryItem struct {
	L        catalogue
	SubID    int64
	Code     string
	Slug     string
	Name     string
	Def      string
	Unit     string
	Kind     framework.Kind
	Levels   []entryLevel
	Min, Max string
	Range    string
	Editable bool
	NAOK     bool
	Comment  string
	// Entry is the stored entry (zero Version: none yet).
	Entry platform.Entry
	// Input is what the fields show.
	Input entryInput
	// Errors are messages by field ("value", "level", "narrative",
	// "not_applicable", "" for the indicator as a whole).
	Errors map[string]string
	// Conflict is set when the save found a newer version.
	Conflict *entryConflict
	// Saved is set after a successful save (the status says so).
	Saved    bool
	Evidence evidenceView
	// OOB adds the meters (and error slots) out of band to an htmx
	// response.
	OOB    bool
	Meters []meterView
}

// entryLevel is one rubric level to choose from.
type entryLevel struct {
	N                  int
	Label, Description string
	Score              float64
}

// entryInput is the content of an indicator's fields.
type entryInput struct {
	Value     string
	Level     int
	Narrative string
	NA        bool
	Version   int
	// Base is the version of the other change shown in a conflict: keeping
	// one's own input saves over it.
	Base int
}

// entryConflict is the other change a stale save ran into.
type entryConflict struct {
	Theirs platform.Entry
	What   string
}

// IsRubric reports whether the leaf takes a rubric level.
func (it *entryItem) IsRubric() bool { return it.Kind == framework.Rubric }

// Err is the message for field, "" when none.
func (it *entryItem) Err(field string) string { return it.Errors[field] }

// ID is an element id of this indicator: prefix + its slug.
func (it *entryItem) ID(prefix string) string { return prefix + "-" + it.Slug }

// Action is the URL its fields post to.
func (it *entryItem) Action() string {
	return fmt.Sprintf("/entry/submissions/%d/entries/%s", it.SubID, it.Code)
}

// Chosen is the label and description of the chosen level, for the
// read-only view ("" when none).
func (it *entryItem) Chosen() *entryLevel {
	for i := range it.Levels {
		if it.Levels[i].N == it.Input.Level {
			return &it.Levels[i]
		}
	}
	return nil
}

// slug makes an indicator code usable in element ids and CSS selectors
// (htmx finds out-of-band targets by "#id"): "1.1.1" → "1_1_1".
func slug(code string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '_'
	}, code)
}

// inputOf is what the fields show for a stored entry.
func inputOf(e platform.Entry) entryInput {
	in := entryInput{Narrative: e.Narrative, NA: e.NotApplicable, Version: e.Version}
	if e.Value != nil {
		in.Value = strconv.FormatFloat(*e.Value, 'f', -1, 64)
	}
	if e.Level != nil {
		in.Level = *e.Level
	}
	return in
}

// entryForm renders GET /entry/submissions/{id}.
func (h *Handler) entryForm(w http.ResponseWriter, r *http.Request) {
	if requireLogin(w, r) {
		return
	}
	pg := h.base(w, r)
	data, ok := h.loadEntryForm(w, r, pg)
	if !ok {
		return
	}
	q := r.URL.Query()
	if it := data.item(q.Get("saved")); it != nil {
		it.Saved = true
	}
	if q.Get("submitted") != "" {
		data.Notice = pg.L.T("entry.submitted_notice")
	}
	h.render(w, r, http.StatusOK, "entry_form", data)
}

// loadEntryForm reads the submission of the request's {id} and builds its
// form, or renders the error page and reports false.
func (h *Handler) loadEntryForm(w http.ResponseWriter, r *http.Request, pg page) (*entryFormData, bool) {
	id, ok := pathID(r)
	if !ok {
		h.renderError(w, r, pg, http.StatusNotFound, pg.L.T("error.no_page"))
		return nil, false
	}
	data, err := h.buildEntryForm(r.Context(), pg, id)
	if err != nil {
		h.entryFail(w, r, pg, err, pg.L.F("entry.no_submission", id))
		return nil, false
	}
	return data, true
}

// buildEntryForm reads submission id, its cycle, framework, progress and
// evidence, and lays out the form.
func (h *Handler) buildEntryForm(ctx context.Context, pg page, id int64) (*entryFormData, error) {
	sub, err := h.svc.GetSubmission(ctx, id)
	if err != nil {
		return nil, err
	}
	c, err := h.svc.GetCycle(ctx, sub.CycleID)
	if err != nil {
		return nil, err
	}
	fw, err := h.svc.CycleFramework(ctx, c.ID)
	if err != nil {
		return nil, fmt.Errorf("framework of cycle %d: %w", c.ID, err)
	}
	prog, err := h.svc.SubmissionProgress(ctx, sub)
	if err != nil {
		return nil, err
	}
	evidence, err := h.svc.ListEvidence(ctx, id, false)
	if err != nil {
		return nil, err
	}
	pg.Title = c.Name
	data := &entryFormData{page: pg, Sub: sub, Cycle: c, PilotName: h.pilotName(ctx, sub.PilotID), Progress: prog,
		Editable:  platform.EntriesEditable(sub, c) == nil && platform.MayDo(ctx, "submission.entry.save"),
		MaxUpload: h.maxUpload() >> 20}
	data.Overall = meterView{ID: "meter-all", Answered: prog.Answered, Leaves: prog.Leaves, L: pg.L}
	if !data.Editable && sub.State.Editable() && c.State != platform.CycleOpen {
		data.Notice = pg.L.T("entry.cycle_closed")
	}
	data.layout(fw.Resolved(), evidence)
	return data, nil
}

// maxUpload is the evidence upload limit in bytes.
func (h *Handler) maxUpload() int64 {
	if h.opts.MaxUpload > 0 {
		return h.opts.MaxUpload
	}
	return platform.DefaultMaxEvidenceSize
}

// layout groups the framework's leaves by first- and second-level
// indicator, each with its stored entry, evidence and return comment.
func (d *entryFormData) layout(fw *framework.Framework, evidence []platform.Evidence) {
	entries := make(map[string]platform.Entry, len(d.Sub.Entries))
	for _, e := range d.Sub.Entries {
		entries[e.Code] = e
	}
	files := map[string][]evidenceFile{}
	for _, ev := range evidence {
		files[ev.Code] = append(files[ev.Code], evidenceFile{Evidence: ev, SizeText: sizeText(ev.Size)})
	}
	comments := map[string]string{}
	for _, c := range d.Sub.ReturnComments {
		comments[c.Code] = c.Comment
	}
	item := func(ind *framework.Indicator) *entryItem {
		it := d.newItem(ind, entries[ind.Code], comments[ind.Code])
		it.Evidence = evidenceView{L: d.L, SubID: d.Sub.ID, Code: ind.Code, Slug: it.Slug, Editable: d.Editable,
			Files: files[ind.Code], MaxMiB: d.MaxUpload}
		if it.Comment != "" {
			d.Comments = append(d.Comments, entryComment{Code: ind.Code, Name: it.Name, Comment: it.Comment, Anchor: it.ID("ind")})
		}
		return it
	}
	for _, top := range fw.Indicators {
		g := entryGroup{Code: top.Code, Name: top.Name.In(d.Lang), Meter: d.meter(top.Code)}
		if len(top.Children) == 0 {
			g.Subgroups = []entrySubgroup{{Items: []*entryItem{item(top)}}}
		}
		for _, sec := range top.Children {
			if len(sec.Children) == 0 {
				if n := len(g.Subgroups); n > 0 && g.Subgroups[n-1].Code == "" {
					g.Subgroups[n-1].Items = append(g.Subgroups[n-1].Items, item(sec))
					continue
				}
				g.Subgroups = append(g.Subgroups, entrySubgroup{Items: []*entryItem{item(sec)}})
				continue
			}
			sg := entrySubgroup{Code: sec.Code, Name: sec.Name.In(d.Lang), Meter: d.meter(sec.Code)}
			for _, leaf := range leavesOf(sec) {
				sg.Items = append(sg.Items, item(leaf))
			}
			g.Subgroups = append(g.Subgroups, sg)
		}
		d.Groups = append(d.Groups, g)
	}
}

// leavesOf returns the leaves under ind, in order.
func leavesOf(ind *framework.Indicator) []*framework.Indicator {
	if len(ind.Children) == 0 {
		return []*framework.Indicator{ind}
	}
	var out []*framework.Indicator
	for _, ch := range ind.Children {
		out = append(out, leavesOf(ch)...)
	}
	return out
}

// meter is the completeness meter of the indicator code.
func (d *entryFormData) meter(code string) meterView {
	c := d.Progress.Groups[code]
	return meterView{ID: "meter-" + slug(code), Answered: c.Answered, Leaves: c.Leaves, L: d.L}
}

// newItem is the form item of a leaf with its stored entry.
func (d *entryFormData) newItem(ind *framework.Indicator, e platform.Entry, comment string) *entryItem {
	it := &entryItem{L: d.L, SubID: d.Sub.ID, Code: ind.Code, Slug: slug(ind.Code), Name: ind.Name.In(d.Lang),
		Def: ind.Definition.In(d.Lang), Unit: ind.Unit, Kind: ind.Kind, Editable: d.Editable,
		NAOK: d.Progress.MayBeNotApplicable(ind.Code), Comment: comment, Entry: e, Input: inputOf(e)}
	if it.Kind == "" {
		it.Kind = framework.Quantitative
	}
	for i, lv := range ind.Rubric {
		it.Levels = append(it.Levels, entryLevel{N: i + 1, Label: lv.Label.In(d.Lang),
			Description: lv.Description.In(d.Lang), Score: lv.Score})
	}
	lo, hi := platform.ValidRange(ind)
	if lo != nil {
		it.Min = strconv.FormatFloat(*lo, 'f', -1, 64)
	}
	if hi != nil {
		it.Max = strconv.FormatFloat(*hi, 'f', -1, 64)
	}
	it.Range = rangeText(d.L, it.Min, it.Max, it.Unit)
	return it
}

// rangeText describes a valid range for the form: "0 – 100 %", "≥ 0".
func rangeText(l catalogue, lo, hi, unit string) string {
	switch {
	case lo != "" && hi != "":
		return l.F("entry.range_both", lo, hi, unit)
	case lo != "":
		return l.F("entry.range_min", lo, unit)
	case hi != "":
		return l.F("entry.range_max", hi, unit)
	}
	return ""
}

// item returns the form item of leaf code, or nil.
func (d *entryFormData) item(code string) *entryItem {
	if code == "" {
		return nil
	}
	for _, g := range d.Groups {
		for _, sg := range g.Subgroups {
			for _, it := range sg.Items {
				if it.Code == code {
					return it
				}
			}
		}
	}
	return nil
}

// meters are the meters a save of leaf code changes: its first- and
// second-level groups and the overall one.
func (d *entryFormData) meters(code string) []meterView {
	out := []meterView{d.Overall}
	for _, g := range d.Groups {
		for _, sg := range g.Subgroups {
			for _, it := range sg.Items {
				if it.Code != code {
					continue
				}
				out = append(out, g.Meter)
				if sg.Code != "" {
					out = append(out, sg.Meter)
				}
				return out
			}
		}
	}
	return out
}

// errSlot is the place of a field's message: always rendered (empty when
// there is none), so that an htmx answer can fill or clear it out of band.
type errSlot struct {
	ID, Msg string
	OOB     bool
}

// ErrSlot is the message slot of field.
func (it *entryItem) ErrSlot(field string) errSlot {
	return errSlot{ID: "err-" + field + "-" + it.Slug, Msg: it.Errors[field], OOB: it.OOB}
}

// Slots are the message slots of the item's fields.
func (it *entryItem) Slots() []errSlot {
	fields := []string{"value", "narrative"}
	if it.IsRubric() {
		fields[0] = "level"
	}
	if it.NAOK || it.Input.NA {
		fields = append(fields, "not_applicable")
	}
	out := make([]errSlot, len(fields))
	for i, f := range fields {
		out[i] = it.ErrSlot(f)
	}
	return out
}

// HasErrors reports whether any field has a message.
func (it *entryItem) HasErrors() bool { return len(it.Errors) > 0 }
