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
	"log/slog"
	"net/http"

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
	s := &Server{svc: svc, regions: regions, frameworks: frameworks, store: store, logger: logger, opts: opts}
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
	s.registerReviews()
	s.registerAudit()
	// huma registers its own problem+json error model for every operation;
	// documentErrors replaced each use with ErrorResponse, so drop it.
	schemas := s.api.OpenAPI().Components.Schemas.Map()
	delete(schemas, "ErrorModel")
	delete(schemas, "ErrorDetail")

	mux.HandleFunc("GET /healthz", s.healthz)
	mux.HandleFunc("GET /readyz", s.readyz)
	mux.Handle("GET /metrics", s.metrics.handler())
	mux.HandleFunc("/api/", apiFallback(mux))
	mux.Handle("/", ui.New(svc, regions, frameworks, logger))

	// identify is outermost: it replaces the request (WithContext), so the
	// observer below it sees the very request the mux stamps with Pattern.
	s.handler = withClientAddress(s.identify(s.observe(mux)))
	return s
}

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
		"Every list returns {\"items\":[…],\"total\":N}; every error returns {\"error\":{\"code\",\"message\",\"field\"}}."
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
	}
	cfg.Transformers = []huma.Transformer{s.transformError}
	errSchema := cfg.Components.Schemas.Schema(errorResponseType, true, "ErrorResponse")
	cfg.OnAddOperation = append(cfg.OnAddOperation, func(_ *huma.OpenAPI, op *huma.Operation) {
		documentErrors(op, errSchema)
	})
	return cfg
}
