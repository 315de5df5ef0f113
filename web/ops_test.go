package web

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
)

func TestHealthAndReadiness(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	env.do("GET", "/healthz", nil).expect(200)
	env.do("GET", "/readyz", nil).expect(200)
}

// downStore is a store whose database does not answer.
type downStore struct{}

func (downStore) Ping(context.Context) error { return errors.New("connection refused") }
func (downStore) Stats() sql.DBStats         { return sql.DBStats{} }

func TestReadinessFailsWhenTheDatabaseIsDown(t *testing.T) {
	regions, err := testRegions()
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer(nil, regions, BuiltinFrameworks{}, downStore{}, slog.New(slog.DiscardHandler), Options{})
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("readyz with the database down: %d, want 503", rec.Code)
	}
	rec = httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("healthz with the database down: %d, want 200", rec.Code)
	}
}

func TestMetricsUseRoutePatterns(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	env.do("GET", "/api/v1/pilots/12345", nil).expect(404)
	env.do("GET", "/api/v1/pilots/67890", nil).expect(404)
	env.do("GET", "/api/v1/frameworks", nil).expect(200)
	body := string(env.do("GET", "/metrics", nil).expect(200).body)
	for _, want := range []string{
		`sceval_http_requests_total{method="GET",route="/api/v1/pilots/{id}",status="404"} 2`,
		`sceval_http_requests_total{method="GET",route="/api/v1/frameworks",status="200"} 1`,
		`sceval_http_request_duration_seconds_count{route="/api/v1/pilots/{id}"} 2`,
		`sceval_db_open_connections{pool="read"}`, `sceval_db_max_open_connections{pool="write"} 1`, "sceval_db_in_use_connections",
		"sceval_results_computations_in_flight 0",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	if strings.Contains(body, "12345") {
		t.Error("metrics contain a raw path")
	}
}

func TestRequestsAreLogged(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	env.as(env.newUser("李雷", platform.NewUser{Role: platform.RoleMinistry})).do("GET", "/api/v1/frameworks", nil).expect(200)
	logs := env.logs.String()
	for _, want := range []string{"method=GET", "path=/api/v1/frameworks", "status=200", "duration=", "bytes=", "user=李雷"} {
		if !strings.Contains(logs, want) {
			t.Errorf("request log lacks %q:\n%s", want, logs)
		}
	}
}

func TestUnknownAPIPathIsJSON(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	env.do("GET", "/api/v1/nothing-here", nil).expectError(404, "not_found")
	env.do("GET", "/api/v2/pilots", nil).expectError(404, "not_found")
}

// A known path under the wrong method is 405 with the methods it takes.
func TestWrongMethodIs405(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	for _, tc := range []struct{ method, path, allow string }{
		{"DELETE", "/api/v1/pilots", "GET, POST"},
		{"POST", "/api/v1/regions/110108", "GET"},
		{"POST", "/api/v1/cycles/1", "GET, PUT, PATCH"},
	} {
		r := env.do(tc.method, tc.path, nil)
		r.expectError(405, "method_not_allowed")
		if got := r.header.Get("Allow"); got != tc.allow {
			t.Errorf("%s %s: Allow %q, want %q", tc.method, tc.path, got, tc.allow)
		}
	}
}

func TestPanicBecomesJSON500(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	h := env.server.observe(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") }))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/pilots", nil))
	if rec.Code != 500 || !strings.Contains(rec.Body.String(), `"code":"internal"`) || strings.Contains(rec.Body.String(), "boom") {
		t.Errorf("panic answered %d %s", rec.Code, rec.Body)
	}
	if !strings.Contains(env.logs.String(), "boom") {
		t.Error("panic not logged")
	}
}

func TestInternalErrorsHideDetails(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	err := env.server.fail(context.Background(), errors.New("disk on fire at /var/lib/secret"))
	var ae *apiError
	if !errors.As(err, &ae) || ae.status != 500 || strings.Contains(ae.body.Error.Message, "disk") {
		t.Errorf("internal error exposed: %+v", err)
	}
	if !strings.Contains(env.logs.String(), "disk on fire") {
		t.Error("internal error not logged")
	}
}

func TestErrorKindsMapToStatuses(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	cases := map[platform.ErrorKind]int{platform.NotFound: 404, platform.Conflict: 409, platform.Invalid: 422,
		platform.Forbidden: 403, platform.TooLarge: 413, platform.Unsupported: 415}
	for kind, want := range cases {
		err := env.server.fail(context.Background(), fmt.Errorf("wrapped: %w", &platform.Error{Kind: kind, Message: "m", Field: "f"}))
		var ae *apiError
		if !errors.As(err, &ae) || ae.status != want || ae.body.Error.Code != string(kind) || ae.body.Error.Field != "f" {
			t.Errorf("%s: %+v, want status %d", kind, err, want)
		}
	}
}
