package ui_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/sceval/sceval/demo"
	"github.com/sceval/sceval/demo/demotest"
	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/blob"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/region"
	"github.com/sceval/sceval/web"
)

// testRegions loads the embedded registry once per test binary.
var testRegions = sync.OnceValues(region.Default)

// env is the whole server (API and pages) on a real SQLite store in
// t.TempDir(), reached over real HTTP.
type env struct {
	t    *testing.T
	http *httptest.Server
	svc  *platform.Service
	ctx  context.Context
	demo demo.Summary
	// auth is the Authorization header of get: an administrator's token
	// unless anonymous() cleared it.
	auth string
}

// newEnv starts a server; with seed, the database holds the demo.
func newEnv(t *testing.T, seed bool) *env {
	t.Helper()
	ctx := platform.WithIdentity(context.Background(), platform.Identity{User: "test", Roles: []string{"admin"}})
	dir := t.TempDir()
	db, data := filepath.Join(dir, "sceval.db"), filepath.Join(dir, "blobs")
	e := &env{t: t, ctx: ctx}
	if seed {
		// The demo, seeded once per test process: this server's own copy.
		db, data, e.demo = demotest.Demo.Copy(t)
	}
	store, err := sqlstore.Open(ctx, db, nil)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	blobs, err := blob.NewFS(data)
	if err != nil {
		t.Fatalf("blobs: %v", err)
	}
	regions, err := testRegions()
	if err != nil {
		t.Fatalf("regions: %v", err)
	}
	svc := platform.NewService(store, blobs, platform.BuiltinFrameworks{}, platform.ServiceOptions{})
	e.svc = svc
	if _, err := svc.CreateUser(ctx, platform.NewUser{Username: "ui-admin", Role: platform.RoleAdmin, Password: "correct horse battery"}); err != nil {
		t.Fatalf("create admin: %v", err)
	}
	_, secret, err := svc.CreateToken(ctx, "ui-admin", "ui tests", 0)
	if err != nil {
		t.Fatalf("admin token: %v", err)
	}
	e.auth = "Bearer " + secret
	srv := web.NewServer(svc, regions, web.BuiltinFrameworks{}, store, slog.New(slog.DiscardHandler), web.Options{Version: "test"})
	e.http = httptest.NewServer(srv.Handler())
	t.Cleanup(e.http.Close)
	return e
}

// page is a fetched response.
type page struct {
	t      *testing.T
	path   string
	status int
	header http.Header
	body   string
}

// anonymous returns a view of the environment whose requests carry no
// credentials.
func (e *env) anonymous() *env {
	c := *e
	c.auth = ""
	return &c
}

// get fetches path with optional header name/value pairs.
func (e *env) get(path string, header ...string) *page {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.http.URL+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	if e.auth != "" {
		req.Header.Set("Authorization", e.auth)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := e.http.Client().Do(req)
	if err != nil {
		e.t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return &page{t: e.t, path: path, status: res.StatusCode, header: res.Header, body: string(data)}
}

// html checks the status and that the page is complete HTML with every
// message found in the catalogue.
func (p *page) html(status int) *page {
	p.t.Helper()
	if p.status != status {
		p.t.Fatalf("GET %s: status %d, want %d; body:\n%s", p.path, p.status, status, p.body)
	}
	if ct := p.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		p.t.Errorf("GET %s: Content-Type %q", p.path, ct)
	}
	if !strings.HasSuffix(strings.TrimSpace(p.body), "</html>") {
		p.t.Errorf("GET %s: page not complete", p.path)
	}
	if i := strings.Index(p.body, "⟦"); i >= 0 {
		p.t.Errorf("GET %s: missing message %s", p.path, p.body[i:min(i+40, len(p.body))])
	}
	return p
}

// has fails unless the body contains every string.
func (p *page) has(want ...string) *page {
	p.t.Helper()
	for _, w := range want {
		if !strings.Contains(p.body, w) {
			p.t.Errorf("GET %s: body lacks %q", p.path, w)
		}
	}
	return p
}

// lacks fails if the body contains any of the strings.
func (p *page) lacks(unwanted ...string) *page {
	p.t.Helper()
	for _, u := range unwanted {
		if strings.Contains(p.body, u) {
			p.t.Errorf("GET %s: body has %q", p.path, u)
		}
	}
	return p
}

// section returns the part of the body from the first from to the next to.
func (p *page) section(from, to string) string {
	p.t.Helper()
	i := strings.Index(p.body, from)
	if i < 0 {
		p.t.Fatalf("GET %s: no %q", p.path, from)
	}
	j := strings.Index(p.body[i:], to)
	if j < 0 {
		p.t.Fatalf("GET %s: no %q after %q", p.path, to, from)
	}
	return p.body[i : i+j]
}

var pilotLink = regexp.MustCompile(`href="/pilots/(\d+)"`)

// pilotLinks returns the pilot ids linked in s, in order.
func pilotLinks(s string) []string {
	var out []string
	for _, m := range pilotLink.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// apiList fetches a JSON list from the API.
func apiList[T any](e *env, path string) []T {
	e.t.Helper()
	p := e.get(path)
	if p.status != http.StatusOK {
		e.t.Fatalf("GET %s: %d %s", path, p.status, p.body)
	}
	var body struct {
		Items []T `json:"items"`
	}
	if err := json.Unmarshal([]byte(p.body), &body); err != nil {
		e.t.Fatalf("GET %s: %v", path, err)
	}
	return body.Items
}
