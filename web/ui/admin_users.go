package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/region"
)

// usersData is the users page: every account, the create form, and the
// refusal of one row's form (RowUser names the row).
type usersData struct {
	adminData
	Users     []platform.User
	Roles     []platform.Role
	Provinces []region.Region
	Form      formState
	RowUser   string
	RowForm   formState
	Done      string
}

// users lists the accounts.
func (h *Handler) users(w http.ResponseWriter, r *http.Request) {
	d, ok := h.adminGate(w, r, "user.list", "admin.users.title")
	if !ok {
		return
	}
	h.renderUsers(w, r, http.StatusOK, usersData{adminData: d, Done: doneNotice(r, d.L)})
}

// renderUsers renders the users page around d.
func (h *Handler) renderUsers(w http.ResponseWriter, r *http.Request, status int, d usersData) {
	list, err := h.svc.ListUsers(r.Context())
	if err != nil {
		h.adminFail(w, r, d.page, err)
		return
	}
	d.Users, d.Roles = list, platform.Roles
	if h.regions != nil {
		d.Provinces = h.regions.Children("")
	}
	h.render(w, r, status, "admin_users", d)
}

// createUser creates an account whose initial password must be changed at
// the first login.
func (h *Handler) createUser(w http.ResponseWriter, r *http.Request) {
	d, ok := h.adminGate(w, r, "user.create", "admin.users.title")
	if !ok {
		return
	}
	pilot, err := optionalID(r.PostFormValue("pilot_id"), "pilot_id", d.L)
	if err == nil {
		_, err = h.svc.CreateUser(r.Context(), platform.NewUser{Username: strings.TrimSpace(r.PostFormValue("username")),
			Role: platform.Role(r.PostFormValue("role")), Province: r.PostFormValue("province"), PilotID: pilot,
			Password: r.PostFormValue("password"), MustChangePassword: true})
	}
	if err != nil {
		form, ok := h.refused(w, r, d.page, err, r.PostForm, "password")
		if !ok {
			return
		}
		h.renderUsers(w, r, statusOf(err), usersData{adminData: d, Form: form})
		return
	}
	seeOther(w, r, "/admin/users", "admin.done.user_created")
}

// changeUser applies one row action to an account: disable, enable,
// password (reset, to be changed at the next login) or role.
func (h *Handler) changeUser(w http.ResponseWriter, r *http.Request) {
	d, ok := h.adminGate(w, r, "user.update", "admin.users.title")
	if !ok {
		return
	}
	name, ctx := r.PathValue("name"), r.Context()
	var err error
	var done string
	switch r.PathValue("op") {
	case "disable", "enable":
		_, err = h.svc.SetUserDisabled(ctx, name, r.PathValue("op") == "disable")
		done = "admin.done.user_" + r.PathValue("op") + "d"
	case "password":
		_, err = h.svc.ResetPassword(ctx, name, r.PostFormValue("password"))
		done = "admin.done.user_reset"
	case "role":
		var pilot int64
		if pilot, err = optionalID(r.PostFormValue("pilot_id"), "pilot_id", d.L); err == nil {
			_, err = h.svc.SetRole(ctx, name, platform.Role(r.PostFormValue("role")), r.PostFormValue("province"), pilot)
		}
		done = "admin.done.user_role"
	default:
		h.notFound(w, r)
		return
	}
	if err != nil {
		if platform.ErrorKindOf(err) == platform.NotFound || platform.ErrorKindOf(err) == platform.Forbidden {
			h.adminFail(w, r, d.page, err)
			return
		}
		form, ok := h.refused(w, r, d.page, err, r.PostForm, "password")
		if !ok {
			return
		}
		if isHTMX(r) {
			h.userRowSwap(w, r, d, name, form)
			return
		}
		h.renderUsers(w, r, statusOf(err), usersData{adminData: d, RowUser: name, RowForm: form})
		return
	}
	if isHTMX(r) {
		h.userRowSwap(w, r, d, name, formState{Done: d.L.T(done)})
		return
	}
	seeOther(w, r, "/admin/users#user-"+url.PathEscape(name), done)
}

// optionalID parses an optional positive id of a form field (0 when empty).
func optionalID(s, field string, l catalogue) (int64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, invalid(field, "%s", l.F("admin.err.not_id", s))
	}
	return n, nil
}
