// Command sceval-load is a load generator for the sceval API: it starts a
// server on 127.0.0.1 (or targets one given by --target), creates pilots,
// an open cycle and one submission per pilot, then lets many concurrent
// clients save indicator entries — the deadline rush of a monitoring cycle —
// until a number of saves or a time limit is reached, and reports the
// throughput and latency percentiles.
//
// The default is the acceptance scenario: an open loop offering 2,000
// saves/s spread over 500 pilots, each pilot a client saving 4 times a
// second on a fixed schedule (the clients' schedules staggered across one
// interval; --arrivals poisson draws exponential gaps instead). A pilot has
// at most one save in flight, and latency is measured from the save's
// intended send time, so a server that falls behind is charged for the
// queue it builds (no coordinated omission). --rate 0 selects the closed
// loop instead: every client saves again as soon as its previous save
// returns, which measures the maximum throughput (and, by Little's law,
// latency = clients / throughput, not the latency of a real load).
//
// --scenario deadline runs deadline day instead (deadline.go): 500 pilot
// users logged in with their own accounts save entries, upload evidence
// files and, some of them, submit; 50 experts score last year's
// submissions; 20 ministry and province users read review queues,
// rankings and scorecards. It reports every operation kind's throughput,
// latency and failures (version conflicts apart) and the memory peak, and
// exits non-zero when anything failed but a version conflict.
//
//	go run ./cmd/sceval-load                          # SQLite in a temporary directory
//	go run ./cmd/sceval-load --db postgres://…/sceval_load
//	go run ./cmd/sceval-load --rate 0 --saves 50000   # closed loop: maximum throughput
//	go run ./cmd/sceval-load --target http://127.0.0.1:8080
//	go run ./cmd/sceval-load --scenario deadline --duration 45s
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"time"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/blob"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/region"
	"github.com/sceval/sceval/web"
)

// config is the command line.
type config struct {
	target     string
	db         string
	pilots     int
	clients    int
	saves      int
	duration   time.Duration
	seed       uint64
	rate       float64
	poisson    bool
	cpuProfile string
	// token authenticates against --target (an API token of a ministry or
	// admin account); the in-process server makes its own.
	token string
	// scenario is "acceptance" (pilots saving entries, the default) or
	// "deadline" (deadline day: pilots saving, uploading and submitting,
	// experts scoring, managers reading; see deadline.go).
	scenario string
	// experts and managers are the deadline scenario's other users, each
	// acting expertRate and managerRate times a second.
	experts, managers       int
	expertRate, managerRate float64
}

func main() {
	cfg, err := parseConfig(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sceval-load:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "sceval-load:", err)
		os.Exit(1)
	}
}

// parseConfig reads the command line. The defaults are the acceptance
// scenario: 500 pilots offering 2,000 saves/s in all for 20 seconds.
func parseConfig(args []string, stderr io.Writer) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("sceval-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.target, "target", "", "base URL of a running server (loopback only); empty starts one in-process")
	fs.StringVar(&cfg.db, "db", "", "database of the in-process server: SQLite file or postgres:// URL (default: a temporary SQLite file)")
	fs.IntVar(&cfg.pilots, "pilots", 500, "pilots (and submissions) to create")
	fs.IntVar(&cfg.clients, "clients", 500, "concurrent clients (pilots saving at the same time)")
	fs.IntVar(&cfg.saves, "saves", 0, "stop after this many saves (0: no limit, --duration ends the run)")
	fs.DurationVar(&cfg.duration, "duration", 20*time.Second, "stop after this long")
	fs.Uint64Var(&cfg.seed, "seed", 1, "seed of the clients' choices")
	fs.Float64Var(&cfg.rate, "rate", 2000, "offered load in saves/s shared by all clients (open loop); 0: closed loop, every client saves as fast as it can")
	arrivals := fs.String("arrivals", "uniform", "open loop: uniform (each client on a fixed schedule) or poisson (exponential gaps, same mean rate)")
	fs.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write a CPU profile of the load phase to this file")
	fs.StringVar(&cfg.token, "token", os.Getenv("SCEVAL_TOKEN"), "with --target: API token of an admin or ministry account (default $SCEVAL_TOKEN)")
	fs.StringVar(&cfg.scenario, "scenario", "acceptance", "acceptance (pilots saving entries) or deadline (pilots saving, uploading evidence and submitting, experts scoring, managers reading)")
	fs.IntVar(&cfg.experts, "experts", 50, "deadline scenario: experts scoring their assignments")
	fs.IntVar(&cfg.managers, "managers", 20, "deadline scenario: ministry and province users reading queues, rankings and scorecards")
	fs.Float64Var(&cfg.expertRate, "expert-rate", 0.5, "deadline scenario: actions per second of each expert (open, save, submit a review)")
	fs.Float64Var(&cfg.managerRate, "manager-rate", 0.5, "deadline scenario: pages per second of each manager")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	rateSet := false
	fs.Visit(func(f *flag.Flag) { rateSet = rateSet || f.Name == "rate" })
	switch cfg.scenario {
	case "acceptance":
	case "deadline":
		// A person on deadline day acts about once a second, not four
		// times: 500 pilot users offer 500 actions/s unless --rate says
		// otherwise.
		if !rateSet {
			cfg.rate = deadlinePilotRate * float64(cfg.clients)
		}
		if cfg.target != "" {
			return cfg, errors.New("--scenario deadline needs the in-process server: it creates the pilot, expert and manager accounts")
		}
	default:
		return cfg, fmt.Errorf("--scenario %q: want acceptance or deadline", cfg.scenario)
	}
	switch *arrivals {
	case "uniform":
	case "poisson":
		cfg.poisson = true
	default:
		return cfg, fmt.Errorf("--arrivals %q: want uniform or poisson", *arrivals)
	}
	return cfg, nil
}

func run(ctx context.Context, cfg config, out io.Writer) error {
	if cfg.pilots < 1 || cfg.clients < 1 || cfg.saves < 0 || cfg.rate < 0 || cfg.duration <= 0 {
		return errors.New("--pilots, --clients and --duration must be positive, --saves and --rate not negative")
	}
	regions, err := region.Default()
	if err != nil {
		return err
	}
	if cfg.scenario == "deadline" {
		return runDeadline(ctx, cfg, regions, out)
	}
	base, token := cfg.target, cfg.token
	if base == "" {
		srv, err := startServer(ctx, cfg.db, regions)
		if err != nil {
			return err
		}
		defer srv.stop()
		base, token = srv.url, srv.token
	} else if err := checkLoopback(base); err != nil {
		return err
	} else if token == "" {
		return errors.New("--target needs --token (or SCEVAL_TOKEN): an API token of an admin account, e.g. from sceval token create")
	}
	client := newClient(base, token, cfg.clients)
	fmt.Fprintf(out, "target %s: creating %d pilots, a cycle and %d submissions…\n", base, cfg.pilots, cfg.pilots)
	setupStart := time.Now()
	fx, err := setup(ctx, client, regions, cfg.pilots)
	if err != nil {
		return fmt.Errorf("setup: %w", err)
	}
	fmt.Fprintf(out, "setup took %s; %d leaf indicators\n", time.Since(setupStart).Round(time.Millisecond), len(fx.leaves))
	if cfg.cpuProfile != "" {
		f, err := os.Create(cfg.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	mode := "closed loop (no think time)"
	if cfg.rate > 0 {
		arrivals := "uniform"
		if cfg.poisson {
			arrivals = "poisson"
		}
		mode = fmt.Sprintf("open loop, offered %.0f saves/s (%.2g/s per client, %s arrivals)", cfg.rate, cfg.rate/float64(cfg.clients), arrivals)
	}
	limit := "no save limit"
	if cfg.saves > 0 {
		limit = fmt.Sprintf("up to %d saves", cfg.saves)
	}
	fmt.Fprintf(out, "load: %d clients, %s, %s, for at most %s…\n", cfg.clients, mode, limit, cfg.duration)
	fmt.Fprintf(out, "machine before: %s\n", machineLoad())
	rep := load(ctx, client, fx, cfg)
	rep.print(out)
	fmt.Fprintf(out, "machine after: %s\n", machineLoad())
	return nil
}

// checkLoopback refuses targets off this machine: the generator is for
// loopback benchmarks only.
func checkLoopback(base string) error {
	u, err := url.Parse(base)
	if err != nil {
		return fmt.Errorf("--target: %w", err)
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("--target %s: only loopback addresses (127.0.0.1, ::1, localhost) are allowed", base)
}

// loadAccount creates the load generator's administrator account on the
// in-process server and returns an API token of it: the generator
// authenticates like every other client.
func loadAccount(ctx context.Context, svc *platform.Service) (string, error) {
	ctx = platform.WithIdentity(ctx, platform.Identity{User: "sceval-load", Roles: []string{string(platform.RoleAdmin)}})
	if _, err := svc.CreateUser(ctx, platform.NewUser{Username: "load-generator", Role: platform.RoleAdmin,
		Password: platform.RandomPassword()}); err != nil {
		return "", fmt.Errorf("create load account: %w", err)
	}
	_, token, err := svc.CreateToken(ctx, "load-generator", "sceval-load", 0)
	if err != nil {
		return "", fmt.Errorf("create load token: %w", err)
	}
	return token, nil
}

// server is an in-process sceval server on a loopback port.
type server struct {
	url  string
	stop func()
	// token is an administrator's API token on the server.
	token string
	// svc is the server's service: the deadline scenario creates its
	// accounts with it (the API has no account creation), and tests read
	// the stored state back through it.
	svc *platform.Service
}

func startServer(ctx context.Context, db string, regions *region.Registry) (*server, error) {
	dir, err := os.MkdirTemp("", "sceval-load-")
	if err != nil {
		return nil, err
	}
	if db == "" {
		db = filepath.Join(dir, "load.db")
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	store, err := sqlstore.Open(ctx, db, logger)
	if err != nil {
		return nil, err
	}
	if err := store.Migrate(ctx); err != nil {
		store.Close()
		return nil, err
	}
	blobs, err := blob.NewFS(filepath.Join(dir, "blobs"))
	if err != nil {
		store.Close()
		return nil, err
	}
	svc := platform.NewService(store, blobs, platform.BuiltinFrameworks{}, platform.ServiceOptions{})
	token, err := loadAccount(ctx, svc)
	if err != nil {
		store.Close()
		return nil, err
	}
	h := web.NewServer(svc, regions, web.BuiltinFrameworks{}, store, logger, web.Options{}).Handler()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		store.Close()
		return nil, err
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln)
	return &server{url: "http://" + ln.Addr().String(), token: token, svc: svc, stop: func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
		store.Close()
		os.RemoveAll(dir)
	}}, nil
}
