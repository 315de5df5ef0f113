// Package web is the HTTP face of the platform: the JSON API under /api/v1
// (described by a generated OpenAPI 3.1 document at /api/v1/openapi.json),
// the operational endpoints /healthz, /readyz and /metrics, and the
// read-only HTML overview pages of package web/ui on every other path.
//
// Handlers are thin: they parse the request (huma does the decoding and
// schema validation), call one method of platform.Service with the request
// context — which carries the caller's platform.Identity, so the service's
// platform.Authorize call is the one place access is decided — and render the
// result or map the error to a status and the JSON error body.
package web

import (
	"context"
	"database/sql"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/region"
	"github.com/sceval/sceval/web/ui"
)

// apiPrefix is the path under which every JSON endpoint lives.
const apiPrefix = "/api/v1"

// DefaultMaxUpload is the evidence upload limit used when Options.MaxUpload
// is zero: 50 MiB.
const DefaultMaxUpload = 50 << 20

// Store is what the server needs from the database beyond the service: a
// liveness probe for /readyz and the connection-pool statistics for /metrics.
// *sqlstore.Store satisfies it.
type Store interface {
	Ping(ctx context.Context) error
	Stats() sql.DBStats
}

// Frameworks lists and looks up the indicator frameworks the API exposes.
// Framework returns a *platform.Error of kind not_found for an unknown id.
type Frameworks interface {
	FrameworkIDs() []string
	Framework(id string) (*framework.Framework, error)
}

// Options configures a Server. The zero value is usable.
type Options struct {
	// MaxUpload is the largest evidence file accepted, in bytes
	// (DefaultMaxUpload when zero).
	MaxUpload int64
	// Version is shown as the API version in the OpenAPI document.
	Version string
	// PublicURL is the address users reach sceval at (e.g.
	// https://sceval.example.gov.cn); its host is allowed besides the
	// loopback names, and it prefixes the setup link.
	PublicURL string
	// AllowedHosts are further Host names answered ("*" answers any);
	// other hosts get 421.
	AllowedHosts []string
	// SecureCookies marks the session cookie Secure although the
	// connection is plain HTTP: a TLS-terminating proxy is in front.
	SecureCookies bool
	// TrustProxy takes the client address from X-Forwarded-For and TLS
	// from X-Forwarded-Proto (only behind a proxy that sets them).
	TrustProxy bool
	// MetricsOpen serves /metrics to any caller; by default only to
	// loopback callers and holders of a token with metrics.read.
	MetricsOpen bool
	// Location is the deployment's time zone for the pages (Asia/Shanghai
	// when nil).
	Location *time.Location
	// SetupToken, when set, is the one-time secret of the first-admin
	// setup link (GET /setup?token=…), valid while no account exists.
	SetupToken string
	// MapGeoJSON, when set, is a GeoJSON file of China's provinces the
	// pages and reports use instead of the vendored map (ui.Options).
	MapGeoJSON string
}

// Server serves the API and the operational endpoints. Create one with
// NewServer; it holds no global state, so several can run in one process.
type Server struct {
	svc        *platform.Service
	regions    *region.Registry
	frameworks Frameworks
	store      Store
	logger     *slog.Logger
	opts       Options
	metrics    *metrics
	api        huma.API
	handler    http.Handler
	// allowedHosts are the Host names answered besides loopback.
	allowedHosts []string
	// setup is the one-time first-admin setup secret (empty once used).
	setup *setupSecret
}

// NewServer wires the routes. It never fails: a route that cannot be
// registered is a programming error and panics at start-up (huma's
// behaviour), which every test run catches.
func NewServer(svc *platform.Service, regions *region.Registry, frameworks Frameworks, store Store, logger *slog.Logger, opts Options) *Server {
	if opts.MaxUpload <= 0 {
		opts.MaxUpload = DefaultMaxUpload
	}
	if opts.Version == "" {
		opts.Version = "dev"
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{svc: svc, regions: regions, frameworks: frameworks, store: store, logger: logger, opts: opts,
		allowedHosts: allowedHostNames(opts), setup: newSetupSecret(opts.SetupToken)}
	s.metrics = newMetrics(store)

	mux := http.NewServeMux()
	s.api = humago.New(mux, s.humaConfig())
	s.api.UseMiddleware(rejectUnknownQuery)
	s.registerFrameworks()
	s.registerPublishedFrameworks()
	s.registerRegions()
	s.registerPilots()
	s.registerCycles()
	s.registerCycleRules()
	s.registerSubmissions()
	s.registerEvidence()
	s.registerResults()
	s.registerExchange()
	s.registerReviews()
	s.registerAudit()
	s.registerAuth()
	// huma registers its own problem+json error model for every operation;
	// documentErrors replaced each use with ErrorResponse, so drop it.
	schemas := s.api.OpenAPI().Components.Schemas.Map()
	delete(schemas, "ErrorModel")
	delete(schemas, "ErrorDetail")

	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", s.guardMetrics(s.metrics.handler()))
	mux.HandleFunc("/api/", apiFallback(mux))
	pages := ui.New(svc, regions, frameworks, logger, ui.Options{MaxUpload: opts.MaxUpload, Version: opts.Version,
		Location: opts.Location, Sessions: pageSessions{s}, OpenAPI: s.openAPIJSON, MapGeoJSON: opts.MapGeoJSON})
	mux.Handle("/", pages)
	// The API reference page lives beside the API it documents.
	mux.Handle("GET /api/docs", pages)

	// authenticate replaces the request (WithContext), so it sits outside
	// the observer, which must see the very request the mux stamps with
	// Pattern; protect (hosts, headers, cross-origin) is outermost, and
	// the client address (for the audit trail) is known before anyone acts.
	s.handler = s.protect(s.withClientAddress(s.limitBodies(s.authenticate(s.observe(mux)))))
	return s
}

// openAPIJSON is the OpenAPI document as served at /api/v1/openapi.json.
func (s *Server) openAPIJSON() ([]byte, error) { return json.Marshal(s.api.OpenAPI()) }

// Handler returns the root HTTP handler.
func (s *Server) Handler() http.Handler { return s.handler }

// OpenAPI returns the generated OpenAPI document.
func (s *Server) OpenAPI() *huma.OpenAPI { return s.api.OpenAPI() }

// humaConfig is huma's default configuration without the $schema link
// transformer (responses stay plain JSON), with the document, docs and
// schemas under /api/v1, and with the error transformer that gives every
// error the API's one error shape.
func (s *Server) humaConfig() huma.Config {
	cfg := huma.DefaultConfig("sceval API — 智慧城市试点评价系统", s.opts.Version)
	cfg.CreateHooks = nil
	cfg.OpenAPIPath = apiPrefix + "/openapi"
	cfg.DocsPath = apiPrefix + "/docs"
	cfg.SchemasPath = apiPrefix + "/schemas"
	cfg.Info.Description = "JSON API of the smart-city pilot evaluation platform: indicator frameworks, " +
		"administrative regions, pilots, assessment cycles, submissions with evidence, and computed results. " +
		"Every list returns {\"items\":[…],\"total\":N}; every error returns {\"error\":{\"code\",\"message\",\"field\"}}. " +
		"Authenticate with the session cookie of POST /api/v1/auth/login or an API token (Authorization: Bearer); " +
		"401 means not logged in, 403 forbidden names the action, 404 also answers objects outside the caller's scope."
	cfg.Tags = []*huma.Tag{
		{Name: "frameworks", Description: "Indicator frameworks: built in, or published as versioned files."},
		{Name: "regions", Description: "Administrative divisions (GB/T 2260 / NBS statistical codes)."},
		{Name: "pilots", Description: "Smart-city pilots: a region in a batch."},
		{Name: "cycles", Description: "Assessment cycles with their framework, scheme and deadlines."},
		{Name: "submissions", Description: "One pilot's data in one cycle, entry by entry."},
		{Name: "evidence", Description: "Files supporting an entry, stored by content hash."},
		{Name: "results", Description: "Scores, ranks and stars computed by the engine."},
		{Name: "reviews", Description: "Expert panels, assignments, reviews, combined expert scores and agreement."},
		{Name: "audit", Description: "The hash-chained audit trail of every change."},
		{Name: "accounts", Description: "Login, logout, the caller's account and API tokens."},
	}
	cfg.Transformers = []huma.Transformer{s.transformError}
	errSchema := cfg.Components.Schemas.Schema(errorResponseType, true, "ErrorResponse")
	cfg.Components.SecuritySchemes = securitySchemes()
	cfg.OnAddOperation = append(cfg.OnAddOperation, func(_ *huma.OpenAPI, op *huma.Operation) {
		documentSecurity(op)
		documentErrors(op, errSchema)
	})
	return cfg
}
