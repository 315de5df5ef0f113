package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/blob"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/platform/sqlstore/sqlstoretest"
	"github.com/sceval/sceval/region"
)

// testRegions loads the embedded registry once per test binary.
var testRegions = sync.OnceValues(region.Default)

// testEnv is a server on a real store, reached over real HTTP.
type testEnv struct {
	t      *testing.T
	http   *httptest.Server
	server *Server
	store  *sqlstore.Store
	svc    *platform.Service
	logs   *bytes.Buffer
	// auth is the Authorization header sent by do, upload and send
	// (the admin's bearer token unless as or anonymous chose another).
	auth string
	// admin is the context of the administrator, for direct service calls.
	admin context.Context
}

type envOptions struct {
	dsn       string // default: a SQLite file in t.TempDir()
	maxUpload int64
	// store, when set, is used instead of opening dsn (already migrated).
	store *sqlstore.Store
	// server adjusts the server's options (hosts, proxies, metrics).
	server func(*Options)
	// now fixes the service's clock.
	now func() time.Time
}

func newTestEnv(t *testing.T, o envOptions) *testEnv {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	if o.dsn == "" {
		o.dsn = filepath.Join(dir, "sceval.db")
	}
	logs := &bytes.Buffer{}
	logger := slog.New(slog.NewTextHandler(&lockedWriter{w: logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	store := o.store
	if store == nil && strings.HasPrefix(o.dsn, "postgres") {
		// A fresh schema per test: reruns and parallel test binaries on
		// the same server never see each other's accounts or pilots.
		store = sqlstoretest.Postgres(t)
	}
	if store == nil {
		var err error
		if store, err = sqlstore.Open(ctx, o.dsn, logger); err != nil {
			t.Fatalf("open store: %v", err)
		}
		t.Cleanup(func() { store.Close() })
		if err := store.Migrate(ctx); err != nil {
			t.Fatalf("migrate: %v", err)
		}
	}
	blobs, err := blob.NewFS(filepath.Join(dir, "blobs"))
	if err != nil {
		t.Fatalf("blobs: %v", err)
	}
	regions, err := testRegions()
	if err != nil {
		t.Fatalf("regions: %v", err)
	}
	svc := platform.NewService(store, blobs, platform.BuiltinFrameworks{}, platform.ServiceOptions{MaxEvidenceSize: o.maxUpload, Regions: regions, Now: o.now})
	opts := Options{MaxUpload: o.maxUpload, Version: "test"}
	if o.server != nil {
		o.server(&opts)
	}
	server := NewServer(svc, regions, BuiltinFrameworks{}, store, logger, opts)
	hs := httptest.NewServer(server.Handler())
	t.Cleanup(hs.Close)
	e := &testEnv{t: t, http: hs, server: server, store: store, svc: svc, logs: logs,
		admin: platform.WithIdentity(ctx, platform.Identity{User: "setup", Roles: []string{"admin"}})}
	e.auth = "Bearer " + e.newUser("test-admin", platform.NewUser{Role: platform.RoleAdmin})
	return e
}

// testPassword is the password of the test accounts (policy-compliant).
const testPassword = "correct horse battery"

// newUser creates an account (password testPassword) and returns a bearer
// token of it.
func (e *testEnv) newUser(name string, nu platform.NewUser) string {
	e.t.Helper()
	nu.Username, nu.Password = name, testPassword
	if _, err := e.svc.CreateUser(e.admin, nu); err != nil {
		e.t.Fatalf("create user %s: %v", name, err)
	}
	_, secret, err := e.svc.CreateToken(e.admin, name, "test", 0)
	if err != nil {
		e.t.Fatalf("token for %s: %v", name, err)
	}
	return secret
}

// as returns a view of the environment whose requests carry token.
func (e *testEnv) as(token string) *testEnv {
	c := *e
	c.auth = "Bearer " + token
	return &c
}

// anonymous returns a view of the environment whose requests carry no
// credentials.
func (e *testEnv) anonymous() *testEnv {
	c := *e
	c.auth = ""
	return &c
}

// lockedWriter serialises log writes from concurrent handlers.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// response is a finished HTTP exchange.
type response struct {
	t      *testing.T
	status int
	header http.Header
	body   []byte
}

// do sends a request; a non-nil body that is not []byte or string is sent
// as JSON.
func (e *testEnv) do(method, path string, body any, header ...string) *response {
	e.t.Helper()
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd, ctype = strings.NewReader(b), "application/json"
	default:
		data, err := json.Marshal(b)
		if err != nil {
			e.t.Fatalf("marshal: %v", err)
		}
		rd, ctype = bytes.NewReader(data), "application/json"
	}
	req, err := http.NewRequest(method, e.http.URL+path, rd)
	if err != nil {
		e.t.Fatalf("request: %v", err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return e.send(req)
}

func (e *testEnv) send(req *http.Request) *response {
	e.t.Helper()
	if e.auth != "" && req.Header.Get("Authorization") == "" {
		req.Header.Set("Authorization", e.auth)
	}
	res, err := e.http.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatalf("read body: %v", err)
	}
	return &response{t: e.t, status: res.StatusCode, header: res.Header, body: data}
}

// upload posts a multipart form with one file part.
func (e *testEnv) upload(path, field, filename string, content []byte) *response {
	e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile(field, filename)
	if err != nil {
		e.t.Fatal(err)
	}
	fw.Write(content)
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, e.http.URL+path, &buf)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return e.send(req)
}

// expect fails the test unless the status is want.
func (r *response) expect(want int) *response {
	r.t.Helper()
	if r.status != want {
		r.t.Fatalf("status %d, want %d; body: %s", r.status, want, r.body)
	}
	return r
}

// decode unmarshals the body into v.
func (r *response) decode(v any) *response {
	r.t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		r.t.Fatalf("decode %s: %v", r.body, err)
	}
	return r
}

// object returns the body as a JSON object.
func (r *response) object() map[string]any {
	r.t.Helper()
	var m map[string]any
	r.decode(&m)
	return m
}

// expectError checks the status and the error body's code (and field, if
// given).
func (r *response) expectError(status int, code string, field ...string) ErrorResponse {
	r.t.Helper()
	r.expect(status)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		r.t.Errorf("error Content-Type %q, want application/json", ct)
	}
	var e ErrorResponse
	r.decode(&e)
	if e.Error.Code != code {
		r.t.Errorf("error code %q, want %q; body: %s", e.Error.Code, code, r.body)
	}
	if e.Error.Message == "" {
		r.t.Errorf("error without message: %s", r.body)
	}
	if len(field) > 0 && e.Error.Field != field[0] {
		r.t.Errorf("error field %q, want %q; body: %s", e.Error.Field, field[0], r.body)
	}
	return e
}

// list decodes a list body.
func list[T any](r *response) ListBody[T] {
	r.t.Helper()
	var l ListBody[T]
	r.decode(&l)
	if l.Items == nil {
		r.t.Fatalf("list without items array: %s", r.body)
	}
	return l
}

// fixture creates a pilot and an open cycle through the API.
func (e *testEnv) fixture() (platform.Pilot, platform.Cycle) {
	e.t.Helper()
	var p platform.Pilot
	e.do("POST", "/api/v1/pilots", PilotFields{RegionCode: "130100", Name: "石家庄市", Batch: "2013-1", Type: "city"}).
		expect(201).decode(&p)
	c := e.openCycle()
	return p, c
}

func (e *testEnv) openCycle() platform.Cycle {
	e.t.Helper()
	var c platform.Cycle
	// No minimum completeness: most tests submit partial submissions;
	// rules_test.go tests the default.
	e.do("POST", "/api/v1/cycles", CycleFields{Name: "2014 年度监测", Kind: "annual_monitoring", Year: 2014,
		FrameworkID: "mohurd-2012", MinCompleteness: ptr(0.0)}).expect(201).decode(&c)
	e.do("POST", "/api/v1/cycles/"+itoa(c.ID)+"/transition", CycleTransition{To: "open", Version: c.Version}).
		expect(200).decode(&c)
	return c
}

func (e *testEnv) submission(c platform.Cycle, p platform.Pilot) platform.Submission {
	e.t.Helper()
	var s platform.Submission
	e.do("POST", "/api/v1/cycles/"+itoa(c.ID)+"/submissions", SubmissionCreate{PilotID: p.ID}).expect(201).decode(&s)
	return s
}

func ptr[T any](v T) *T { return &v }
