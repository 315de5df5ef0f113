package ui

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/sceval/sceval/platform"
)

// expertsData is the expert panels page: every expert with their declared
// conflicts of interest, the create form and one row's refusal.
type expertsData struct {
	adminData
	Experts []platform.Expert
	Form    formState
	RowID   int64
	RowForm formState
	Done    string
}

// experts lists the experts.
func (h *Handler) experts(w http.ResponseWriter, r *http.Request) {
	d, ok := h.adminGate(w, r, "expert.list", "admin.experts.title")
	if !ok {
		return
	}
	h.renderExperts(w, r, http.StatusOK, expertsData{adminData: d, Done: doneNotice(r, d.L)})
}

// renderExperts renders the experts page around d.
func (h *Handler) renderExperts(w http.ResponseWriter, r *http.Request, status int, d expertsData) {
	list, _, err := h.svc.ListExperts(r.Context(), platform.ExpertFilter{Limit: 1000})
	if err != nil {
		h.adminFail(w, r, d.page, err)
		return
	}
	d.Experts = list
	h.render(w, r, status, "admin_experts", d)
}

// createExpert adds an expert to the panels.
func (h *Handler) createExpert(w http.ResponseWriter, r *http.Request) {
	d, ok := h.adminGate(w, r, "expert.create", "admin.experts.title")
	if !ok {
		return
	}
	e, err := expertFromForm(r, d.L)
	if err == nil {
		e.Active = true
		_, err = h.svc.CreateExpert(r.Context(), e)
	}
	if err != nil {
		form, ok := h.refused(w, r, d.page, err, r.PostForm)
		if !ok {
			return
		}
		h.renderExperts(w, r, statusOf(err), expertsData{adminData: d, Form: form})
		return
	}
	seeOther(w, r, "/admin/experts", "admin.done.expert_created")
}

// updateExpert saves one expert's row: conflicts, account and whether
// they are active.
func (h *Handler) updateExpert(w http.ResponseWriter, r *http.Request) {
	d, ok := h.adminGate(w, r, "expert.update", "admin.experts.title")
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	e, err := expertFromForm(r, d.L)
	if err == nil {
		e.ID, e.Active = id, r.PostFormValue("active") == "yes"
		if e.Version, err = strconv.Atoi(r.PostFormValue("version")); err != nil {
			err = invalid("", "%s", d.L.F("admin.err.not_integer", r.PostFormValue("version")))
		} else {
			_, err = h.svc.UpdateExpert(r.Context(), e)
		}
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
		h.renderExperts(w, r, statusOf(err), expertsData{adminData: d, RowID: id, RowForm: form})
		return
	}
	seeOther(w, r, "/admin/experts#expert-"+strconv.FormatInt(id, 10), "admin.done.expert_saved")
}

// expertFromForm reads an expert's fields; conflicts are lists separated
// by commas or spaces (pilot ids; 2-digit province codes).
func expertFromForm(r *http.Request, l catalogue) (platform.Expert, error) {
	f := r.PostFormValue
	e := platform.Expert{Name: strings.TrimSpace(f("name")), ProvinceCode: strings.TrimSpace(f("province_code")),
		Organisation: strings.TrimSpace(f("organisation")), Username: strings.TrimSpace(f("username"))}
	for _, s := range splitList(f("conflict_pilots")) {
		id, err := optionalID(s, "conflict_pilots", l)
		if err != nil {
			return e, err
		}
		e.ConflictPilots = append(e.ConflictPilots, id)
	}
	e.ConflictProvinces = splitList(f("conflict_provinces"))
	return e, nil
}

// splitList splits a list typed with commas (ASCII or Chinese), spaces or
// new lines.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == '，' || r == '、' || r == ' ' || r == '\n' || r == '\r' || r == '\t'
	})
}
