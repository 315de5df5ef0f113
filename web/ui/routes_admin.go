package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/sceval/sceval/platform"
)

// adminRoutes registers the account pages (login, logout, first-admin
// setup, password, tokens), the administration pages and the API
// reference. The session pages need Options.Sessions, the reference
// Options.OpenAPI; without them those paths are the 404 page.
func (h *Handler) adminRoutes(mux *http.ServeMux) {
	h.staged = newStagedFiles()
	if h.opts.Sessions != nil {
		mux.HandleFunc("GET /login", h.loginForm)
		mux.HandleFunc("POST /login", h.login)
		mux.HandleFunc("POST /logout", h.logout)
		mux.HandleFunc("GET /setup", h.setupForm)
		mux.HandleFunc("POST /setup", h.setup)
		mux.HandleFunc("GET /account/password", h.passwordForm)
		mux.HandleFunc("POST /account/password", h.changePassword)
	}
	if h.opts.OpenAPI != nil {
		mux.HandleFunc("GET /api/docs", h.apiReference)
	}
	mux.HandleFunc("GET /account/tokens", h.tokens)
	mux.HandleFunc("POST /account/tokens", h.createToken)
	mux.HandleFunc("POST /account/tokens/{id}/revoke", h.revokeToken)

	mux.HandleFunc("GET /admin", h.adminHome)
	mux.HandleFunc("GET /admin/users", h.users)
	mux.HandleFunc("POST /admin/users", h.createUser)
	mux.HandleFunc("POST /admin/users/{name}/{op}", h.changeUser)
	mux.HandleFunc("GET /admin/frameworks", h.frameworksAdmin)
	mux.HandleFunc("POST /admin/frameworks", h.publishFramework)
	mux.HandleFunc("GET /admin/cycles", h.cyclesAdmin)
	mux.HandleFunc("POST /admin/cycles", h.createCycle)
	mux.HandleFunc("GET /admin/cycles/{id}", h.cycleAdmin)
	mux.HandleFunc("POST /admin/cycles/{id}/{op}", h.cycleAction)
	mux.HandleFunc("GET /admin/pilots/import", h.pilotImportForm)
	mux.HandleFunc("POST /admin/pilots/import", h.pilotImport)
	mux.HandleFunc("GET /admin/experts", h.experts)
	mux.HandleFunc("POST /admin/experts", h.createExpert)
	mux.HandleFunc("POST /admin/experts/{id}", h.updateExpert)
	mux.HandleFunc("GET /admin/audit", h.audit)
}

// adminSections are the administration pages, each with the action that
// decides whether the navigation offers it.
var adminSections = []struct{ Key, Href, Action string }{
	{"admin.users.title", "/admin/users", "user.list"},
	{"admin.frameworks.title", "/admin/frameworks", "framework.publish"},
	{"admin.cycles.title", "/admin/cycles", "cycle.create"},
	{"admin.import.title", "/admin/pilots/import", "pilot.import"},
	{"admin.experts.title", "/admin/experts", "expert.list"},
	{"admin.audit.title", "/admin/audit", "audit.read"},
}

// adminNav is the administration link, for identities that may use at
// least one of its pages (admin; the ministry for cycles, frameworks,
// pilots, experts and the audit trail).
func (h *Handler) adminNav(r *http.Request, l catalogue) []navItem {
	if len(h.allowedSections(r, l)) == 0 {
		return nil
	}
	return []navItem{{Label: l.T("admin.nav"), Href: "/admin"}}
}

// allowedSections are the administration pages the identity may use.
func (h *Handler) allowedSections(r *http.Request, l catalogue) []navItem {
	var out []navItem
	for _, s := range adminSections {
		if platform.MayDo(r.Context(), s.Action) {
			out = append(out, navItem{Label: l.T(s.Key), Href: s.Href})
		}
	}
	return out
}

// adminPages are the templates of the administration and account pages (templates/<name>.html).
var adminPages = []string{"admin_login", "admin_setup", "admin_password", "admin_tokens", "admin_home",
	"admin_users", "admin_frameworks", "admin_cycles", "admin_cycle", "admin_import", "admin_experts",
	"admin_audit", "admin_api"}

// adminData is the frame of an administration page: its section links.
type adminData struct {
	page
	Sections []navItem
}

// adminGate is the frame of an administration page guarded by action (""
// for any administration page): an
// anonymous visitor is sent to the login form, an identity without the
// grant gets the 403 page (ok false in both cases).
func (h *Handler) adminGate(w http.ResponseWriter, r *http.Request, action, titleKey string) (adminData, bool) {
	id := platform.IdentityFrom(r.Context())
	if id.Anonymous() {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return adminData{}, false
	}
	pg := h.base(w, r)
	if action == "" && len(h.allowedSections(r, pg.L)) == 0 || action != "" && !platform.MayDo(r.Context(), action) {
		h.forbidden(w, r, pg)
		return adminData{}, false
	}
	pg.Title = pg.L.T(titleKey)
	return adminData{page: pg, Sections: h.allowedSections(r, pg.L)}, true
}

// forbidden renders the 403 page.
func (h *Handler) forbidden(w http.ResponseWriter, r *http.Request, pg page) {
	pg.Title = pg.L.T("admin.forbidden")
	h.render(w, r, http.StatusForbidden, "error", errorData{page: pg, Status: http.StatusForbidden,
		Message: pg.L.T("admin.forbidden_text")})
}

// adminFail renders a service refusal outside a form: forbidden as 403,
// not found as 404, a conflict or invalid request as its own page with
// the message, anything else as 500.
func (h *Handler) adminFail(w http.ResponseWriter, r *http.Request, pg page, err error) {
	switch platform.ErrorKindOf(err) {
	case platform.Forbidden, platform.Unauthenticated:
		h.forbidden(w, r, pg)
	case platform.Conflict, platform.Invalid:
		errs, _, _ := refusal(pg.L, err)
		pg.Title = pg.L.T("admin.refused")
		h.render(w, r, statusOf(err), "error", errorData{page: pg, Status: statusOf(err), Message: strings.TrimSpace(firstValue(errs))})
	default:
		h.fail(w, r, pg, err, "")
	}
}

// firstValue returns some value of m (refusal gives exactly one).
func firstValue(m map[string]string) string {
	for _, v := range m {
		return v
	}
	return ""
}

// adminHome lists the administration pages the identity may use.
func (h *Handler) adminHome(w http.ResponseWriter, r *http.Request) {
	d, ok := h.adminGate(w, r, "", "admin.home.title")
	if !ok {
		return
	}
	h.render(w, r, http.StatusOK, "admin_home", d)
}

// mustChangeGate sends an identity that must change its password to the
// password page from every other page (it may do nothing else anyway).
func (h *Handler) mustChangeGate(w http.ResponseWriter, r *http.Request) bool {
	if !platform.IdentityFrom(r.Context()).MustChangePassword || h.opts.Sessions == nil {
		return false
	}
	switch {
	case r.URL.Path == "/account/password", r.URL.Path == "/logout", r.URL.Path == "/login", strings.HasPrefix(r.URL.Path, "/static/"),
		r.URL.Path == "/favicon.ico":
		return false
	}
	http.Redirect(w, r, "/account/password", http.StatusSeeOther)
	return true
}
