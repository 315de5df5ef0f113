// Package ui is sceval's web application: server-rendered HTML pages where
// every role does its job — the overview, frameworks, cycles and pilots;
// the pilot's data entry (entry); the province's and ministry's review and
// the expert's scoring (review); results with charts and the China map, and
// the public site (result); the pilot scorecard (scorecard); the
// spreadsheet exchange (exchange); login, accounts and administration
// (admin). Each area keeps its routes, navigation, templates, messages and
// styles in its own files (routes_<area>.go, messages_<area>.go, …).
//
// Pages are html/template files, stylesheets and scripts embedded in the
// binary, with htmx and Apache ECharts vendored (scripts/vendor-web.sh);
// nothing loads from the internet, no inline script runs (the CSP forbids
// it), and every page works without JavaScript for reading. Handlers are thin:
// they read the path and query, call platform.Service (and the region
// registry and framework source the API server already holds), and render.
// Every user-facing string comes from the message catalogue (messages.go) in
// Chinese (default) or English (?lang=en, remembered in the lang cookie).
package ui

import (
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/region"
	"github.com/sceval/sceval/report"
)

// Frameworks lists and looks up indicator frameworks; Framework returns a
// *platform.Error of kind not_found for an unknown id. web.Frameworks
// satisfies it.
type Frameworks interface {
	FrameworkIDs() []string
	Framework(id string) (*framework.Framework, error)
}

// Handler serves the HTML pages. Create one with New; it holds no global
// state and is safe for concurrent use.
type Handler struct {
	opts       Options
	svc        *platform.Service
	regions    *region.Registry
	frameworks Frameworks
	logger     *slog.Logger
	pages      map[string]*template.Template
	mux        *http.ServeMux
	// staged holds pilot files checked by a dry run until they are
	// imported (the administration pages).
	staged *stagedFiles
	// chinaMap is the province map of the charts (result_map.go).
	chinaMap func() (*report.ChinaMap, error)
}

// New returns the handler of the HTML pages:
//
//	GET /                  overview: frameworks, cycles, pilots by type
//	GET /cycles/{id}       a cycle and the ranking of its latest results run
//	GET /pilots/{id}       a pilot, its submissions, results and gaps
//	GET /frameworks/{id}   an indicator tree with weights and sceval defaults
//	GET /static/…          stylesheets, scripts, vendored htmx and ECharts
//
// Any other path gets the HTML 404 page. A template that does not parse is
// a programming error: New panics, which every test run catches.
func New(svc *platform.Service, regions *region.Registry, frameworks Frameworks, logger *slog.Logger, opts Options) *Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if opts.Location == nil {
		opts.Location = defaultLocation()
	}
	h := &Handler{opts: opts, svc: svc, regions: regions, frameworks: frameworks, logger: logger}
	h.pages = h.parsePages()
	messages() // builds the catalogue now: a key defined twice stops the server here
	mux := http.NewServeMux()
	h.entryRoutes(mux)
	h.reviewRoutes(mux)
	h.resultRoutes(mux)
	h.scorecardRoutes(mux)
	h.adminRoutes(mux)
	h.exchangeRoutes(mux)
	mux.HandleFunc("GET /{$}", h.overview)
	mux.HandleFunc("GET /cycles/{id}", h.cycle)
	mux.HandleFunc("GET /pilots/{id}", h.pilot)
	mux.HandleFunc("GET /frameworks/{id}", h.framework)
	mux.Handle("GET /static/", staticFiles())
	// Browsers ask for an icon on every page; there is none, and saying so
	// costs less than rendering the 404 page.
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.HandleFunc("/", h.notFound)
	h.mux = mux
	return h
}

// Options configures the pages. The zero value is usable.
type Options struct {
	// Location is the deployment's time zone: every date and time on a
	// page is shown in it (Asia/Shanghai when nil).
	Location *time.Location
	// MaxUpload is the largest evidence file a form accepts, in bytes.
	MaxUpload int64
	// Version is the running sceval's version, shown in the footer.
	Version string
	// Sessions opens and ends browser sessions for the login, logout,
	// password and setup pages; nil leaves those pages answering 404
	// (the pages alone, without the server that owns the cookie).
	Sessions Sessions
	// OpenAPI returns the API's OpenAPI document (JSON) for the API
	// reference page; nil leaves that page answering 404.
	OpenAPI func() ([]byte, error)
	// MapGeoJSON, when set, is the file of the China province map (a
	// GeoJSON FeatureCollection whose features are named by province) used
	// instead of the vendored static/vendor/china.json, for deployments
	// that must use an approved standard map; see docs/ui-results.md.
	MapGeoJSON string
}

// Sessions opens and ends browser sessions. The web server implements it:
// it owns the session cookie, the client's address (login throttling) and
// the one-time setup secret. Errors are the platform's (*platform.Error,
// *platform.LoginThrottled).
type Sessions interface {
	// Login checks the credentials and sets a new session cookie on w.
	Login(w http.ResponseWriter, r *http.Request, username, password string) (platform.User, error)
	// Logout ends the request's session and deletes its cookie.
	Logout(w http.ResponseWriter, r *http.Request) error
	// Setup creates the first administrator with the setup link's secret
	// and logs them in.
	Setup(w http.ResponseWriter, r *http.Request, token, username, password string) (platform.User, error)
}

// defaultLocation is Asia/Shanghai, or UTC+8 where the system has no zone
// database (the Go binary embeds none by default).
func defaultLocation() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}

// ServeHTTP serves one page.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.mustChangeGate(w, r) {
		return
	}
	h.mux.ServeHTTP(w, r)
}

// notFound renders the 404 page for a path no page matches.
func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	pg := h.base(w, r)
	h.renderError(w, r, pg, http.StatusNotFound, pg.L.T("error.no_page"))
}
