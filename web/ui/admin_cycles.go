package ui

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sceval/sceval/engine"
	"github.com/sceval/sceval/platform"
)

// cyclesAdminData is the cycles page: every cycle and the create form.
type cyclesAdminData struct {
	adminData
	Cycles     []platform.Cycle
	Frameworks []frameworkChoice
	Kinds      []platform.CycleKind
	Form       formState
}

// frameworkChoice is one framework a new cycle may use: Value is "id" (the
// current version) or "id@version".
type frameworkChoice struct {
	Value, Label string
}

// cycleKinds are the kinds of cycle, in the programme's order.
var cycleKinds = []platform.CycleKind{platform.CycleApplicationReview, platform.CycleAnnualMonitoring, platform.CycleFinalAcceptance}

// cyclesAdmin lists the cycles with the create form.
func (h *Handler) cyclesAdmin(w http.ResponseWriter, r *http.Request) {
	d, ok := h.adminGate(w, r, "cycle.create", "admin.cycles.title")
	if !ok {
		return
	}
	form := formState{Values: map[string][]string{"time_zone": {"Asia/Shanghai"}, "year": {strconv.Itoa(timeNowYear(h))}},
		Done: doneNotice(r, d.L)}
	h.renderCycles(w, r, http.StatusOK, cyclesAdminData{adminData: d, Form: form})
}

// timeNowYear is the current year in the deployment's zone.
func timeNowYear(h *Handler) int { return time.Now().In(h.opts.Location).Year() }

// renderCycles renders the cycles page around d.
func (h *Handler) renderCycles(w http.ResponseWriter, r *http.Request, status int, d cyclesAdminData) {
	list, _, err := h.svc.ListCycles(r.Context(), platform.CycleFilter{Limit: 1000})
	if err != nil {
		h.adminFail(w, r, d.page, err)
		return
	}
	d.Cycles, d.Kinds = list, cycleKinds
	if h.frameworks != nil {
		for _, id := range h.frameworks.FrameworkIDs() {
			d.Frameworks = append(d.Frameworks, frameworkChoice{Value: id, Label: id + " · " + d.L.T("admin.cycles.current_version")})
		}
	}
	published, err := h.svc.ListFrameworks(r.Context())
	if err != nil {
		h.adminFail(w, r, d.page, err)
		return
	}
	for _, p := range published {
		d.Frameworks = append(d.Frameworks, frameworkChoice{Value: p.ID + "@" + p.Version, Label: p.ID + " " + p.Version})
	}
	h.render(w, r, status, "admin_cycles", d)
}

// createCycle creates a cycle in draft from the form.
func (h *Handler) createCycle(w http.ResponseWriter, r *http.Request) {
	d, ok := h.adminGate(w, r, "cycle.create", "admin.cycles.title")
	if !ok {
		return
	}
	c, err := cycleFromForm(r, d.L)
	if err == nil {
		c, err = h.svc.CreateCycle(r.Context(), c)
	}
	if err != nil {
		form, ok := h.refused(w, r, d.page, err, r.PostForm)
		if !ok {
			return
		}
		h.renderCycles(w, r, statusOf(err), cyclesAdminData{adminData: d, Form: form})
		return
	}
	seeOther(w, r, "/admin/cycles/"+strconv.FormatInt(c.ID, 10), "admin.done.cycle_created")
}

// cycleFromForm reads the create form: dates are days in the cycle's
// zone (platform.ParseCycleDate), star thresholds one minimum per star
// (all empty: the scheme's defaults), shares in percent.
func cycleFromForm(r *http.Request, l catalogue) (platform.Cycle, error) {
	f := r.PostFormValue
	year, err := strconv.Atoi(strings.TrimSpace(f("year")))
	if err != nil {
		return platform.Cycle{}, invalid("year", "%s", l.F("admin.err.not_integer", f("year")))
	}
	id, version, _ := strings.Cut(f("framework"), "@")
	c := platform.Cycle{Name: f("name"), Kind: platform.CycleKind(f("kind")), Year: year, FrameworkID: id,
		FrameworkVersion: version, TimeZone: strings.TrimSpace(f("time_zone"))}
	if s := strings.TrimSpace(f("scheme")); s != "" {
		if !json.Valid([]byte(s)) {
			return c, invalid("scheme", "%s", l.T("admin.err.scheme_json"))
		}
		c.Scheme = json.RawMessage(s)
	}
	if c.StarThresholds, err = thresholdsFromForm(r, l); err != nil {
		return c, err
	}
	if c.OpensAt, err = formDate(f("opens_at"), "opens_at", c.TimeZone, false); err != nil {
		return c, err
	}
	if c.DueAt, err = formDate(f("due_at"), "due_at", c.TimeZone, true); err != nil {
		return c, err
	}
	if c.MinCompleteness, err = formShare(f("min_completeness"), "min_completeness", l); err != nil {
		return c, err
	}
	if c.CoverageThreshold, err = formShare(f("coverage_threshold"), "coverage_threshold", l); err != nil {
		return c, err
	}
	c.NotApplicable = splitList(f("not_applicable"))
	return c, nil
}

// thresholdsFromForm reads the minimum score of one, two and three stars.
func thresholdsFromForm(r *http.Request, l catalogue) ([]engine.StarThreshold, error) {
	var out []engine.StarThreshold
	for stars := 1; stars <= 3; stars++ {
		s := strings.TrimSpace(r.PostFormValue("star" + strconv.Itoa(stars)))
		if s == "" {
			continue
		}
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, invalid("star_thresholds", "%s", l.F("admin.err.not_number", s))
		}
		out = append(out, engine.StarThreshold{Stars: stars, Min: x})
	}
	return out, nil
}

// formDate reads an optional date of the form in the cycle's zone.
func formDate(s, field, tz string, end bool) (*time.Time, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	t, err := platform.ParseCycleDate(field, s, tz, end)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// formShare reads an optional percentage as a share in [0, 1].
func formShare(s, field string, l catalogue) (*float64, error) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "%")
	if s == "" {
		return nil, nil
	}
	x, err := strconv.ParseFloat(s, 64)
	if err != nil || x < 0 || x > 100 {
		return nil, invalid(field, "%s", l.F("admin.err.percent", s))
	}
	x /= 100
	return &x, nil
}
