package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/sceval/sceval/demo"
)

func TestParseSize(t *testing.T) {
	cases := map[string]int64{"50MiB": 50 << 20, "1024": 1024, "10 kb": 10_000, "2GiB": 2 << 30, "5MB": 5_000_000, "7b": 7}
	for in, want := range cases {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "0", "-5MiB", "lots", "1.5MiB", "99999999999GiB"} {
		if _, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q) accepted", bad)
		}
	}
}

func TestApplyEnvFlagWins(t *testing.T) {
	fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	db := fs.String("db", "./sceval.db", "")
	addr := fs.String("addr", "127.0.0.1:8080", "")
	dataDir := fs.String("data-dir", "./sceval-data", "")
	if err := fs.Parse([]string{"--db", "flag.db"}); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"SCEVAL_DB": "env.db", "SCEVAL_ADDR": "127.0.0.1:9999"}
	err := applyEnv(fs, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	if *db != "flag.db" || *addr != "127.0.0.1:9999" || *dataDir != "./sceval-data" {
		t.Errorf("db %q addr %q data-dir %q", *db, *addr, *dataDir)
	}
}

func TestRedactDSN(t *testing.T) {
	cases := map[string]string{
		"postgres://sceval:secret@db:5432/sceval": "postgres://sceval:xxxxx@db:5432/sceval",
		"postgres://sceval@db/sceval":             "postgres://sceval@db/sceval",
		"./sceval.db":                             "./sceval.db",
	}
	for in, want := range cases {
		if got := redactDSN(in); got != want {
			t.Errorf("redactDSN(%q) = %q, want %q", in, got, want)
		}
	}
}

// startServe runs serve on a free loopback port and returns its base URL
// and a function that stops it and returns serve's error.
func startServe(t *testing.T, cfg serveConfig) (string, *bytes.Buffer, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- serve(ctx, cfg, pw, io.Discard)
		pw.Close()
	}()
	var out bytes.Buffer
	url := regexp.MustCompile(`serving on (http://\S+)`)
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		out.WriteString(sc.Text() + "\n")
		if m := url.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, pr)
			return m[1], &out, func() error { cancel(); return <-done }
		}
	}
	cancel()
	t.Fatalf("serve did not start: %v\n%s", <-done, out.String())
	return "", nil, nil
}

func testServeConfig(t *testing.T) serveConfig {
	dir := t.TempDir()
	return serveConfig{db: filepath.Join(dir, "sceval.db"), addr: "127.0.0.1:0", dataDir: filepath.Join(dir, "data"),
		maxUpload: "1MiB", logFormat: "json", logLevel: "warn", shutdownTimeout: 5 * time.Second, demo: true,
		timeouts: defaultTimeouts}
}

func TestServeDemoAndShutdown(t *testing.T) {
	cfg := testServeConfig(t)
	base, out, stop := startServe(t, cfg)
	if !strings.Contains(out.String(), "demo: 45 pilots") || !strings.Contains(out.String(), "fictional") {
		t.Errorf("demo not announced:\n%s", out)
	}
	// Cycles 1–3 are published, cycle 4 (the open one) is not.
	for path, want := range map[string]int{"/healthz": 200, "/readyz": 200, "/api/v1/cycles/4/results": 404, "/api/v1/cycles/1/results": 200} {
		res, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("anonymous %s: %d, want %d (only the open demo cycle is unpublished)", path, res.StatusCode, want)
		}
	}
	// The demo accounts are printed with the URL; the ministry's password
	// opens a session that reads the open cycle's ranking.
	m := regexp.MustCompile(`(?m)^\s+demo-ministry\s+(\S+)\s+ministry`).FindStringSubmatch(out.String())
	if m == nil || strings.Contains(out.String(), "/setup?token=") || !strings.Contains(out.String(), "log in at "+base+"/login") {
		t.Fatalf("demo accounts not printed with the URL, or a setup link printed although accounts exist:\n%s", out)
	}
	if status := loginAndGet(t, base, "demo-ministry", m[1], "/api/v1/cycles/4/results"); status != 200 {
		t.Errorf("ministry reading the demo ranking: %d", status)
	}
	if err := stop(); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("server still answers after shutdown")
	}

	// A second start with --demo on the same database serves it as it is.
	_, out, stop = startServe(t, cfg)
	if !strings.Contains(out.String(), "not seeding: the database already has 45 pilots") || !strings.Contains(out.String(), "demo-ministry") {
		t.Errorf("second --demo:\n%s", out)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

// loginAndGet logs in through the API and fetches path with the session
// cookie, returning the status.
func loginAndGet(t *testing.T, base, user, password, path string) int {
	t.Helper()
	body := strings.NewReader(`{"username":"` + user + `","password":"` + password + `"}`)
	res, err := http.Post(base+"/api/v1/auth/login", "application/json", body)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 || len(res.Cookies()) != 1 {
		t.Fatalf("login %s: %d, cookies %v", user, res.StatusCode, res.Cookies())
	}
	req, _ := http.NewRequest("GET", base+path, nil)
	req.AddCookie(res.Cookies()[0])
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// On an empty database serve prints a one-time setup link that creates the
// first administrator; it works once.
func TestServeSetupLink(t *testing.T) {
	cfg := testServeConfig(t)
	cfg.demo = false
	base, out, stop := startServe(t, cfg)
	defer stop()
	m := regexp.MustCompile(`/setup\?token=(\S+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no setup link:\n%s", out)
	}
	setup := func(password string) int {
		body := strings.NewReader(`{"token":"` + m[1] + `","username":"root-admin","password":"` + password + `"}`)
		res, err := http.Post(base+"/api/v1/auth/setup", "application/json", body)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if status := setup("password123"); status != 422 {
		t.Fatalf("setup with a common password: %d, want 422", status)
	}
	if status := setup("a long first password"); status != 201 {
		t.Fatalf("setup after a refused password (the link must survive it): %d", status)
	}
	if status := setup("a long first password"); status != 401 {
		t.Errorf("second use of the setup link: %d, want 401", status)
	}
	if status := loginAndGet(t, base, "root-admin", "a long first password", "/api/v1/me"); status != 200 {
		t.Errorf("first admin: /me %d", status)
	}
}

func TestServeRejectsBadConfig(t *testing.T) {
	cfg := testServeConfig(t)
	cfg.logFormat = "xml"
	if err := serve(context.Background(), cfg, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "--log-format") {
		t.Errorf("log format xml: %v", err)
	}
	cfg = testServeConfig(t)
	cfg.maxUpload = "lots"
	if err := serve(context.Background(), cfg, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "--max-upload") {
		t.Errorf("max-upload lots: %v", err)
	}
}

func runCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCmd()
	var out bytes.Buffer
	root.SetOut(&out)
	root.SetErr(io.Discard) // logs
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), err
}

func TestMigrateAndDemoCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	out, err := runCLI(t, "migrate", "--db", db)
	if err != nil || !regexp.MustCompile(`^schema version \d+ \(migrated from 0\)\n$`).MatchString(out) {
		t.Fatalf("migrate: %q %v", out, err)
	}
	out, err = runCLI(t, "migrate", "--db", db)
	if err != nil || !strings.Contains(out, "(up to date)") {
		t.Fatalf("migrate again: %q %v", out, err)
	}
	out, err = runCLI(t, "demo", "--db", db, "--data-dir", filepath.Join(dir, "data"))
	if err != nil || !strings.Contains(out, "31 accepted") || !strings.Contains(out, "demo written to") {
		t.Fatalf("demo: %q %v", out, err)
	}
	// Every demo account is printed with the password that logs it in
	// (demo's tests log each one in with demo.Accounts' password).
	for _, a := range demo.Accounts() {
		row := regexp.MustCompile(`(?m)^\s+` + regexp.QuoteMeta(a.Username) + `\s+` + regexp.QuoteMeta(a.Password) + `\s+` + string(a.Role) + `\s`)
		if !row.MatchString(out) {
			t.Errorf("account %s not printed with its password:\n%s", a.Username, out)
		}
	}
	_, err = runCLI(t, "demo", "--db", db, "--data-dir", filepath.Join(dir, "data"))
	if err == nil || !strings.Contains(err.Error(), "already has 45 pilots") {
		t.Fatalf("demo on a full database: %v", err)
	}
	if errors.Unwrap(err) == nil {
		t.Error("demo error is not wrapped")
	}
}

// A database that cannot be opened fails at once with one clear message
// naming it (password hidden), not the same prefix twice.
func TestOpenDatabaseFailureIsClear(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-dir", "x.db")
	for _, tc := range []struct{ db, want string }{
		{missing, "open database " + missing + ": directory " + filepath.Dir(missing) + " does not exist"},
		{"postgres://bob:s3cret@127.0.0.1:1/x?connect_timeout=2", "open database postgres://bob:xxxxx@127.0.0.1:1/x"},
	} {
		for _, cmd := range []string{"migrate", "serve"} {
			args := []string{cmd, "--db", tc.db}
			if cmd == "serve" {
				args = append(args, "--addr", "127.0.0.1:0", "--data-dir", t.TempDir())
			}
			_, err := runCLI(t, args...)
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) || strings.Count(err.Error(), "open database") != 1 ||
				strings.Contains(err.Error(), "s3cret") {
				t.Errorf("%s --db %s: %v, want one message starting %q", cmd, tc.db, err, tc.want)
			}
		}
	}
}

func TestEvidenceQuotaFlags(t *testing.T) {
	q, err := evidenceQuota(serveConfig{evidenceQuota: "300MiB", evidenceQuotaFiles: 80})
	if err != nil || q.Bytes != 300<<20 || q.Files != 80 {
		t.Fatalf("quota %+v, %v", q, err)
	}
	if _, err := evidenceQuota(serveConfig{evidenceQuota: "lots"}); err == nil || !strings.HasPrefix(err.Error(), "--evidence-quota:") {
		t.Fatalf("bad size: %v", err)
	}
	if _, err := evidenceQuota(serveConfig{evidenceQuotaFiles: -1}); err == nil {
		t.Fatal("negative file quota accepted")
	}
}
