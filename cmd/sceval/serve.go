package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/region"
	"github.com/sceval/sceval/web"
)

// serveConfig is the configuration of `sceval serve`, from flags with
// environment fallbacks (a flag given on the command line wins).
type serveConfig struct {
	db, addr, dataDir   string
	blobs               string
	maxUpload           string
	logFormat, logLevel string
	// evidenceQuota and evidenceQuotaFiles bound each submission's
	// evidence (platform.EvidenceQuota).
	evidenceQuota      string
	evidenceQuotaFiles int
	shutdownTimeout    time.Duration
	timeouts           serverTimeouts
	demo               bool
	// demoAccounts: the database holds the demo, print its accounts.
	demoAccounts bool
	// publicURL, allowedHosts, tlsProxy, trustProxy, metricsOpen,
	// tlsCert and tlsKey: see the flags' help.
	publicURL, allowedHosts string
	tlsProxy, trustProxy    bool
	metricsOpen             bool
	tlsCert, tlsKey         string
	// timezone is the IANA zone the pages show times in.
	timezone string
	// mapGeoJSON replaces the vendored China map (web.Options.MapGeoJSON).
	mapGeoJSON string
	// setupToken is the first-admin setup secret (set by serve).
	setupToken string
	// lookupEnv reads the S3 credentials (os.LookupEnv when nil).
	lookupEnv func(string) (string, bool)
}

// envFallbacks maps flags to the environment variables read when the flag
// is not given.
func envFallbacks() map[string]string {
	return map[string]string{
		"db": "SCEVAL_DB", "addr": "SCEVAL_ADDR", "data-dir": "SCEVAL_DATA_DIR", "blobs": "SCEVAL_BLOBS", "max-upload": "SCEVAL_MAX_UPLOAD",
		"log-format": "SCEVAL_LOG_FORMAT", "log-level": "SCEVAL_LOG_LEVEL", "timezone": "SCEVAL_TIMEZONE",
		"evidence-quota": "SCEVAL_EVIDENCE_QUOTA", "evidence-quota-files": "SCEVAL_EVIDENCE_QUOTA_FILES",
		"header-timeout": "SCEVAL_HEADER_TIMEOUT", "read-timeout": "SCEVAL_READ_TIMEOUT", "upload-timeout": "SCEVAL_UPLOAD_TIMEOUT",
		"write-timeout": "SCEVAL_WRITE_TIMEOUT", "idle-timeout": "SCEVAL_IDLE_TIMEOUT",
		"public-url": "SCEVAL_PUBLIC_URL", "allowed-hosts": "SCEVAL_ALLOWED_HOSTS", "tls-proxy": "SCEVAL_TLS_PROXY",
		"trust-proxy": "SCEVAL_TRUST_PROXY", "metrics-open": "SCEVAL_METRICS_OPEN",
		"tls-cert": "SCEVAL_TLS_CERT", "tls-key": "SCEVAL_TLS_KEY",
	}
}

func newServeCmd() *cobra.Command {
	var cfg serveConfig
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the assessment platform's HTTP server",
		Long: `serve runs the JSON API (/api/v1, OpenAPI document at /api/v1/openapi.json),
the operational endpoints /healthz, /readyz and /metrics, and read-only
overview pages at / (Chinese; English with ?lang=en). It applies the
database migrations first. SQLite is the default; a postgres:// URL in --db
selects PostgreSQL. SIGINT or SIGTERM stop it gracefully: no new connections,
in-flight requests finish (up to --shutdown-timeout), the database is closed.

Evidence files go to --data-dir unless --blobs names an S3-compatible
bucket: s3://bucket/prefix?endpoint=host:port&region=r&insecure=1 (the
bucket must exist; insecure=1 uses plain HTTP). Its credentials come from
SCEVAL_S3_ACCESS_KEY and SCEVAL_S3_SECRET_KEY, else AWS_ACCESS_KEY_ID and
AWS_SECRET_ACCESS_KEY (neither: anonymous). Uploads are staged in
--data-dir before they go to the bucket.

Slow clients are cut off: a request's headers must arrive within
--header-timeout, an evidence upload (a multipart/form-data body) within
--upload-timeout, any other request within --read-timeout, and the response
must be written within --write-timeout of the request's start (after the
upload for uploads); a kept-alive connection may idle for --idle-timeout.
The defaults let a 50 MiB upload or download finish at 87 KB/s.

Accounts: on a database without any account, serve prints a one-time setup
link that creates the first administrator (or create one with sceval user
create NAME --role admin). --demo also creates one account per role with a
known, public password (docs/demo.md) and prints them with the URL.

Exposure: only the loopback names and the host of --public-url (plus
--allowed-hosts) are answered (421 otherwise). Serving beyond loopback
without --tls-cert/--tls-key or --tls-proxy (a TLS-terminating proxy in
front) prints a loud warning: passwords and session cookies would cross the
network in clear text.

Every flag but --demo and --shutdown-timeout falls back to an environment
variable: SCEVAL_DB, SCEVAL_ADDR, SCEVAL_DATA_DIR, SCEVAL_BLOBS,
SCEVAL_MAX_UPLOAD, SCEVAL_LOG_FORMAT, SCEVAL_LOG_LEVEL, SCEVAL_EVIDENCE_QUOTA,
SCEVAL_EVIDENCE_QUOTA_FILES, SCEVAL_HEADER_TIMEOUT, SCEVAL_READ_TIMEOUT,
SCEVAL_UPLOAD_TIMEOUT, SCEVAL_WRITE_TIMEOUT, SCEVAL_IDLE_TIMEOUT,
SCEVAL_PUBLIC_URL, SCEVAL_ALLOWED_HOSTS, SCEVAL_TLS_PROXY, SCEVAL_TRUST_PROXY,
SCEVAL_METRICS_OPEN, SCEVAL_TLS_CERT, SCEVAL_TLS_KEY.`,
		Example: `  sceval serve
  sceval serve --demo --db demo.db
  SCEVAL_DB=postgres://sceval@localhost/sceval sceval serve --addr 127.0.0.1:9000 --log-format json
  SCEVAL_S3_ACCESS_KEY=… SCEVAL_S3_SECRET_KEY=… sceval serve --blobs 's3://evidence/sceval?endpoint=127.0.0.1:9000&insecure=1'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyEnv(cmd.Flags(), os.LookupEnv); err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			return serve(ctx, cfg, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVar(&cfg.db, "db", "./sceval.db", "SQLite file or postgres:// URL")
	f.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "address to listen on")
	f.StringVar(&cfg.dataDir, "data-dir", "./sceval-data", "directory of the evidence files (and of S3 uploads being staged)")
	f.StringVar(&cfg.blobs, "blobs", "", "evidence store: empty for files under --data-dir, or s3://bucket/prefix?endpoint=host:port&region=r&insecure=1")
	f.StringVar(&cfg.maxUpload, "max-upload", "50MiB", "largest evidence file (bytes, or with KiB, MiB, GiB, KB, MB, GB)")
	f.StringVar(&cfg.evidenceQuota, "evidence-quota", "2GiB", "most evidence one submission may hold, all files together (bytes, or with KiB, MiB, GiB, KB, MB, GB)")
	f.IntVar(&cfg.evidenceQuotaFiles, "evidence-quota-files", platform.DefaultEvidenceQuota.Files, "most evidence files one submission may hold")
	f.BoolVar(&cfg.demo, "demo", false, "seed an empty database with the demo data (fictional submissions and scores)")
	f.DurationVar(&cfg.shutdownTimeout, "shutdown-timeout", 30*time.Second, "how long in-flight requests may take to finish on shutdown")
	addTimeoutFlags(f, &cfg.timeouts)
	f.StringVar(&cfg.publicURL, "public-url", "", "the URL users reach sceval at, e.g. https://sceval.example.gov.cn (its host is answered besides loopback)")
	f.StringVar(&cfg.allowedHosts, "allowed-hosts", "", "further Host names to answer, comma-separated (\"*\": any)")
	f.BoolVar(&cfg.tlsProxy, "tls-proxy", false, "a TLS-terminating proxy is in front: session cookies are Secure")
	f.BoolVar(&cfg.trustProxy, "trust-proxy", false, "take the client address from X-Forwarded-For and TLS from X-Forwarded-Proto (only behind a proxy that sets them)")
	f.BoolVar(&cfg.metricsOpen, "metrics-open", false, "serve /metrics to any caller (default: loopback callers and ministry/admin tokens)")
	f.StringVar(&cfg.tlsCert, "tls-cert", "", "serve HTTPS with this certificate (PEM; with --tls-key)")
	f.StringVar(&cfg.tlsKey, "tls-key", "", "the private key of --tls-cert (PEM)")
	f.StringVar(&cfg.mapGeoJSON, "map-geojson", "", "GeoJSON file of China's provinces to use instead of the built-in map (e.g. an approved standard map)")
	f.StringVar(&cfg.timezone, "timezone", "Asia/Shanghai", "time zone of the dates and times on the pages (IANA name)")
	addLogFlags(f, &cfg.logFormat, &cfg.logLevel)
	return cmd
}

// addLogFlags adds --log-format and --log-level.
func addLogFlags(f *pflag.FlagSet, format, level *string) {
	f.StringVar(format, "log-format", "text", "log format: text or json")
	f.StringVar(level, "log-level", "info", "log level: debug, info, warn or error")
}

// applyEnv sets every flag that is not on the command line from its
// environment variable, if that is set.
func applyEnv(f *pflag.FlagSet, lookup func(string) (string, bool)) error {
	for name, env := range envFallbacks() {
		fl := f.Lookup(name)
		if fl == nil || fl.Changed {
			continue
		}
		if v, ok := lookup(env); ok && v != "" {
			if err := fl.Value.Set(v); err != nil {
				return fmt.Errorf("%s=%q: %w", env, v, err)
			}
		}
	}
	return nil
}

// newLogger builds the slog logger the flags ask for.
func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", format)
}

// parseSize reads a byte count: digits with an optional unit KiB, MiB, GiB
// (powers of 1024) or KB, MB, GB (powers of 1000), case-insensitive.
func parseSize(s string) (int64, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	units := []struct {
		suffix string
		mult   int64
	}{{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"kb", 1e3}, {"mb", 1e6}, {"gb", 1e9}, {"b", 1}}
	mult := int64(1)
	for _, u := range units {
		if rest, ok := strings.CutSuffix(t, u.suffix); ok {
			t, mult = strings.TrimSpace(rest), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("size %q: want a positive number of bytes, e.g. 50MiB", s)
	}
	return n * mult, nil
}

// platformDeps are the opened pieces of the platform.
type platformDeps struct {
	store   *sqlstore.Store
	service *platform.Service
	regions *region.Registry
	// blobs describes the evidence store, for the log.
	blobs string
}

// openPlatform opens and migrates the database, opens the blob directory
// and builds the service. The caller closes deps.store.
func openPlatform(ctx context.Context, db, dataDir string, maxUpload int64, logger *slog.Logger) (*platformDeps, error) {
	return openPlatformWith(ctx, db, blobConfig{dataDir: dataDir, lookup: os.LookupEnv}, maxUpload, platform.EvidenceQuota{}, logger)
}

// openPlatformWith is openPlatform with the evidence store named by blobs.
func openPlatformWith(ctx context.Context, db string, blobs blobConfig, maxUpload int64, quota platform.EvidenceQuota, logger *slog.Logger) (*platformDeps, error) {
	store, err := sqlstore.Open(ctx, db, logger)
	if err != nil {
		return nil, err // sqlstore.Open names the (redacted) database
	}
	if err := store.Migrate(ctx); err != nil {
		_ = store.Close()
		return nil, fmt.Errorf("migrate database %s: %w", redactDSN(db), err)
	}
	blobStore, where, err := openBlobs(ctx, blobs)
	if err != nil {
		_ = store.Close()
		return nil, err
	}
	regions, err := region.Default()
	if err != nil {
		_ = store.Close()
		return nil, fmt.Errorf("load region registry: %w", err)
	}
	svc := platform.NewService(store, blobStore, platform.BuiltinFrameworks{}, platform.ServiceOptions{MaxEvidenceSize: maxUpload, Regions: regions, EvidenceQuota: quota})
	return &platformDeps{store: store, service: svc, regions: regions, blobs: where}, nil
}

// redactDSN hides the password of a postgres:// URL in messages.
func redactDSN(dsn string) string {
	scheme, rest, ok := strings.Cut(dsn, "://")
	if !ok {
		return dsn
	}
	userinfo, host, ok := strings.Cut(rest, "@")
	if !ok {
		return dsn
	}
	if user, _, hasPass := strings.Cut(userinfo, ":"); hasPass {
		return scheme + "://" + user + ":xxxxx@" + host
	}
	return dsn
}

func serve(ctx context.Context, cfg serveConfig, stdout, stderr io.Writer) error {
	logger, err := newLogger(stderr, cfg.logFormat, cfg.logLevel)
	if err != nil {
		return err
	}
	maxUpload, err := parseSize(cfg.maxUpload)
	if err != nil {
		return fmt.Errorf("--max-upload: %w", err)
	}
	if err := cfg.timeouts.validate(); err != nil {
		return err
	}
	quota, err := evidenceQuota(cfg)
	if err != nil {
		return err
	}
	lookup := cfg.lookupEnv
	if lookup == nil {
		lookup = os.LookupEnv
	}
	deps, err := openPlatformWith(ctx, cfg.db, blobConfig{spec: cfg.blobs, dataDir: cfg.dataDir, lookup: lookup}, maxUpload, quota, logger)
	if err != nil {
		return err
	}
	defer func() {
		if err := deps.store.Close(); err != nil {
			logger.Error("close database", "err", err)
		}
	}()
	if (cfg.tlsCert == "") != (cfg.tlsKey == "") {
		return fmt.Errorf("--tls-cert and --tls-key go together")
	}
	if cfg.demo {
		if cfg.demoAccounts, err = seedDemo(ctx, deps, stdout); err != nil {
			return err
		}
	}
	loc, err := time.LoadLocation(cfg.timezone)
	if err != nil {
		return fmt.Errorf("--timezone %q: not a time zone name such as Asia/Shanghai: %v", cfg.timezone, err)
	}
	setup, err := setupSecret(ctx, deps.service)
	if err != nil {
		return err
	}
	srv := web.NewServer(deps.service, deps.regions, web.BuiltinFrameworks{}, deps.store, logger,
		web.Options{MaxUpload: maxUpload, Version: buildVersion(), PublicURL: cfg.publicURL,
			AllowedHosts: splitList(cfg.allowedHosts), SecureCookies: cfg.tlsProxy, TrustProxy: cfg.trustProxy,
			MetricsOpen: cfg.metricsOpen, SetupToken: setup, Location: loc, MapGeoJSON: cfg.mapGeoJSON})
	cfg.setupToken = setup
	return listenAndServe(ctx, cfg, deps.blobs, srv.Handler(), logger, stdout)
}

// listenAndServe serves until ctx ends, then shuts down gracefully.
func listenAndServe(ctx context.Context, cfg serveConfig, blobs string, h http.Handler, logger *slog.Logger, stdout io.Writer) error {
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	hs := &http.Server{
		Handler:           withDeadlines(h, cfg.timeouts),
		ReadHeaderTimeout: cfg.timeouts.header,
		IdleTimeout:       cfg.timeouts.idle,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	scheme := "http"
	if cfg.tlsCert != "" {
		scheme = "https"
	}
	warnExposure(cfg, ln.Addr(), logger, stdout)
	printSetupLink(cfg, scheme, ln.Addr(), stdout)
	if cfg.demoAccounts {
		base := strings.TrimSuffix(cfg.publicURL, "/")
		if base == "" {
			base = scheme + "://" + reachable(ln.Addr())
		}
		fmt.Fprintf(stdout, "open %s/ in a browser (the demo's story: docs/demo.md)\n", base)
		printDemoAccounts(stdout, base)
	}
	fmt.Fprintf(stdout, "sceval %s serving on %s://%s (API %s://%s/api/v1, OpenAPI %s://%s/api/v1/openapi.json)\n",
		buildVersion(), scheme, ln.Addr(), scheme, ln.Addr(), scheme, ln.Addr())
	logger.Info("server started", "addr", ln.Addr().String(), "db", redactDSN(cfg.db), "data_dir", cfg.dataDir, "blobs", blobs)
	errc := make(chan error, 1)
	go func() {
		if cfg.tlsCert != "" {
			errc <- hs.ServeTLS(ln, cfg.tlsCert, cfg.tlsKey)
			return
		}
		errc <- hs.Serve(ln)
	}()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down", "timeout", cfg.shutdownTimeout)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.shutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		_ = hs.Close()
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	logger.Info("server stopped")
	return nil
}

// evidenceQuota reads --evidence-quota and --evidence-quota-files (zero or
// empty: the defaults).
func evidenceQuota(cfg serveConfig) (platform.EvidenceQuota, error) {
	var q platform.EvidenceQuota
	if cfg.evidenceQuota != "" {
		n, err := parseSize(cfg.evidenceQuota)
		if err != nil {
			return q, fmt.Errorf("--evidence-quota: %w", err)
		}
		q.Bytes = n
	}
	if cfg.evidenceQuotaFiles < 0 {
		return q, fmt.Errorf("--evidence-quota-files %d: must be at least 0 (0 for the default)", cfg.evidenceQuotaFiles)
	}
	q.Files = cfg.evidenceQuotaFiles
	return q, nil
}
