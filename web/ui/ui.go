// Package ui is sceval's read-only, server-rendered HTML overview: the
// frameworks, the assessment cycles with their rankings, the pilots with
// their results and gaps, and the indicator trees.
//
// Pages are html/template files and one stylesheet embedded in the binary;
// nothing loads from the internet and no JavaScript runs. Handlers are thin:
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
	mux := http.NewServeMux()
	h.entryRoutes(mux)
	h.reviewRoutes(mux)
	h.resultRoutes(mux)
	h.scorecardRoutes(mux)
	h.adminRoutes(mux)
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
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// notFound renders the 404 page for a path no page matches.
func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	pg := h.base(w, r)
	h.renderError(w, r, pg, http.StatusNotFound, pg.L.T("error.no_page"))
}
