package ui

import (
	"bytes"
	"net/http"

	"github.com/sceval/sceval/platform"
)

// isHTMX reports whether htmx sent the request (a form that swaps itself).
func isHTMX(r *http.Request) bool { return r.Header.Get("HX-Request") == "true" }

// renderBlock renders the named template block of page (a fragment such
// as one table row) instead of the whole page, for htmx to swap in.
func (h *Handler) renderBlock(w http.ResponseWriter, r *http.Request, status int, page, block string, data any) {
	var buf bytes.Buffer
	if err := h.pages[page].ExecuteTemplate(&buf, block, data); err != nil {
		h.logger.ErrorContext(r.Context(), "ui: render fragment", "page", page, "block", block, "err", err)
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return
	}
	writeHTML(w, status, buf.Bytes())
}

// userRow is one row of the users table: the account, the roles to choose
// from, and the outcome of the row's last form (a refusal or a notice).
type userRow struct {
	L     catalogue
	U     platform.User
	Roles []platform.Role
	Form  formState
}

// Row is the row of account u, with the refusal when it is the row that
// was just refused.
func (d usersData) Row(u platform.User) userRow {
	row := userRow{L: d.L, U: u, Roles: d.Roles}
	if u.Username == d.RowUser {
		row.Form = d.RowForm
	}
	return row
}

// userRowSwap answers an htmx row form with the account's row as it now
// is, with the refusal or the notice: always 200, since htmx swaps only
// successful responses and the refusal must replace the row.
func (h *Handler) userRowSwap(w http.ResponseWriter, r *http.Request, d adminData, name string, form formState) {
	u, err := h.svc.GetUserByName(r.Context(), name)
	if err != nil {
		h.adminFail(w, r, d.page, err)
		return
	}
	h.renderBlock(w, r, http.StatusOK, "admin_users", "admin_user_row",
		userRow{L: d.L, U: u, Roles: platform.Roles, Form: form})
}
