package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/sceval/sceval/platform"
)

// loginData is the login page.
type loginData struct {
	page
	Form formState
	// Next is where to go after logging in (a local path, or "").
	Next string
}

// setupData is the first-admin setup page.
type setupData struct {
	page
	Form  formState
	Token string
}

// passwordData is the change-password page.
type passwordData struct {
	page
	Form formState
	// Forced says the password was chosen by someone else and must be
	// changed before anything else.
	Forced bool
}

// tokensData is the my-tokens page; Secret is the token just created,
// shown this once.
type tokensData struct {
	page
	Form    formState
	Tokens  []platform.APIToken
	Secret  string
	Created string
	Now     time.Time
}

// loginForm shows the login form.
func (h *Handler) loginForm(w http.ResponseWriter, r *http.Request) {
	pg := h.base(w, r)
	pg.Title = pg.L.T("admin.login.title")
	h.render(w, r, http.StatusOK, "admin_login", loginData{page: pg, Next: localPath(r.URL.Query().Get("next"))})
}

// login checks the credentials, opens the session and sends the user on:
// to the password page when the password must be changed, else to ?next=
// (local paths only) or the start page of their role.
func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	pg := h.base(w, r)
	next := localPath(r.PostFormValue("next"))
	u, err := h.opts.Sessions.Login(w, r, r.PostFormValue("username"), r.PostFormValue("password"))
	if err != nil {
		pg.Title = pg.L.T("admin.login.title")
		form, ok := h.refused(w, r, pg, err, r.PostForm, "password")
		if !ok {
			return
		}
		h.render(w, r, statusOf(err), "admin_login", loginData{page: pg, Form: form, Next: next})
		return
	}
	switch {
	case u.MustChangePassword:
		next = "/account/password"
	case next == "":
		next = h.startPage(r, u, pg.L)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// startPage is where a role starts: administration for admin, else the
// first page of the navigation the account may use (the data entry for a
// pilot, the review queue for a province …), the overview when none.
func (h *Handler) startPage(r *http.Request, u platform.User, l catalogue) string {
	if u.Role == platform.RoleAdmin {
		return "/admin"
	}
	nav := h.nav(r.WithContext(platform.WithIdentity(r.Context(), u.Identity())), l)
	for _, n := range nav {
		if n.Href != "/" {
			return n.Href
		}
	}
	return "/"
}

// logout ends the session.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if err := h.opts.Sessions.Logout(w, r); err != nil {
		pg := h.base(w, r)
		h.fail(w, r, pg, err, "")
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// setupForm shows the first-admin form of the setup link.
func (h *Handler) setupForm(w http.ResponseWriter, r *http.Request) {
	pg := h.base(w, r)
	pg.Title = pg.L.T("admin.setup.title")
	h.render(w, r, http.StatusOK, "admin_setup", setupData{page: pg, Token: r.URL.Query().Get("token")})
}

// setup creates the first administrator and logs them in.
func (h *Handler) setup(w http.ResponseWriter, r *http.Request) {
	pg := h.base(w, r)
	token := r.PostFormValue("token")
	if _, err := h.opts.Sessions.Setup(w, r, token, r.PostFormValue("username"), r.PostFormValue("password")); err != nil {
		pg.Title = pg.L.T("admin.setup.title")
		form, ok := h.refused(w, r, pg, err, r.PostForm, "password")
		if !ok {
			return
		}
		h.render(w, r, statusOf(err), "admin_setup", setupData{page: pg, Form: form, Token: token})
		return
	}
	seeOther(w, r, "/admin", "admin.done.setup")
}

// refused turns err into the form state of a re-rendered form, with the
// typed values minus the secret fields; ok is false when err was an
// internal failure, already rendered as the 500 page.
func (h *Handler) refused(w http.ResponseWriter, r *http.Request, pg page, err error, values url.Values, secret ...string) (formState, bool) {
	errs, details, ok := refusal(pg.L, err)
	if !ok {
		h.fail(w, r, pg, err, "")
		return formState{}, false
	}
	kept := url.Values{}
	for k, v := range values {
		kept[k] = v
	}
	for _, s := range secret {
		kept.Del(s)
	}
	return formState{Values: kept, Errors: errs, Details: details}, true
}

// passwordForm shows the change-password form.
func (h *Handler) passwordForm(w http.ResponseWriter, r *http.Request) {
	pg, ok := h.account(w, r)
	if !ok {
		return
	}
	pg.Title = pg.L.T("admin.password.title")
	id := platform.IdentityFrom(r.Context())
	h.render(w, r, http.StatusOK, "admin_password", passwordData{page: pg, Forced: id.MustChangePassword,
		Form: formState{Done: doneNotice(r, pg.L)}})
}

// changePassword changes the password and logs the user in again (the
// service ends every session of the account).
func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request) {
	pg, ok := h.account(w, r)
	if !ok {
		return
	}
	id := platform.IdentityFrom(r.Context())
	next := r.PostFormValue("password")
	var err error
	if next != r.PostFormValue("password2") {
		err = invalid("password2", "%s", pg.L.T("admin.password.mismatch"))
	} else if _, err = h.svc.ChangePassword(r.Context(), r.PostFormValue("current_password"), next); err == nil {
		_, err = h.opts.Sessions.Login(w, r, id.User, next)
	}
	if err != nil {
		pg.Title = pg.L.T("admin.password.title")
		form, ok := h.refused(w, r, pg, err, url.Values{})
		if !ok {
			return
		}
		h.render(w, r, statusOf(err), "admin_password", passwordData{page: pg, Form: form, Forced: id.MustChangePassword})
		return
	}
	u := platform.User{Username: id.User, Role: platform.Role(firstOf(id.Roles)), Province: id.Province, PilotID: id.PilotID, ID: id.UserID}
	seeOther(w, r, h.startPage(r, u, pg.L), "admin.done.password")
}

// firstOf returns the first of ss, "" when empty.
func firstOf(ss []string) string {
	if len(ss) == 0 {
		return ""
	}
	return ss[0]
}

// account is the frame of an account page; an anonymous visitor is sent
// to the login form first (ok false).
func (h *Handler) account(w http.ResponseWriter, r *http.Request) (page, bool) {
	if platform.IdentityFrom(r.Context()).Anonymous() {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return page{}, false
	}
	return h.base(w, r), true
}

// tokens shows the account's API tokens.
func (h *Handler) tokens(w http.ResponseWriter, r *http.Request) {
	pg, ok := h.account(w, r)
	if !ok {
		return
	}
	h.renderTokens(w, r, pg, http.StatusOK, tokensData{Form: formState{Done: doneNotice(r, pg.L)}})
}

// renderTokens lists the tokens around d.
func (h *Handler) renderTokens(w http.ResponseWriter, r *http.Request, pg page, status int, d tokensData) {
	list, err := h.svc.ListTokens(r.Context(), "")
	if err != nil {
		h.adminFail(w, r, pg, err)
		return
	}
	pg.Title = pg.L.T("admin.tokens.title")
	d.page, d.Tokens, d.Now = pg, list, time.Now()
	h.render(w, r, status, "admin_tokens", d)
}

// createToken creates a token and shows its secret once: on this response
// only, never again (the page is not cached: Cache-Control no-cache, and
// the secret is not in any URL).
func (h *Handler) createToken(w http.ResponseWriter, r *http.Request) {
	pg, ok := h.account(w, r)
	if !ok {
		return
	}
	days, err := optionalInt(r.PostFormValue("expires_in_days"), "expires_in_days", pg.L)
	var t platform.APIToken
	var secret string
	if err == nil {
		t, secret, err = h.svc.CreateToken(r.Context(), "", r.PostFormValue("name"), time.Duration(days)*24*time.Hour)
	}
	if err != nil {
		form, ok := h.refused(w, r, pg, err, r.PostForm)
		if !ok {
			return
		}
		h.renderTokens(w, r, pg, statusOf(err), tokensData{Form: form})
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	h.renderTokens(w, r, pg, http.StatusCreated, tokensData{Secret: secret, Created: t.Name})
}

// revokeToken revokes one of the account's tokens.
func (h *Handler) revokeToken(w http.ResponseWriter, r *http.Request) {
	pg, ok := h.account(w, r)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil {
		err = h.svc.RevokeToken(r.Context(), "", id)
	} else {
		err = platform.NotFoundf("token %s does not exist", r.PathValue("id"))
	}
	if err != nil {
		h.adminFail(w, r, pg, err)
		return
	}
	seeOther(w, r, "/account/tokens", "admin.done.token_revoked")
}

// optionalInt parses an optional whole number of a form field.
func optionalInt(s, field string, l catalogue) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, invalid(field, "%s", l.F("admin.err.not_integer", s))
	}
	return n, nil
}
