package web

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/sceval/sceval/platform"
)

// observe logs every request and records it in the metrics, labelled by the
// route pattern the mux matched (never the raw path, which would make one
// time series per pilot id).
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		s.serveRecovering(next, rec, r)
		elapsed := time.Since(start)
		status := rec.status
		if status == 0 {
			status = http.StatusOK
		}
		route := routeOf(r.Pattern)
		s.metrics.observeRequest(r.Method, route, status, elapsed)
		level := s.logLevel(status, route)
		s.logger.Log(r.Context(), level, "request",
			"method", r.Method, "path", r.URL.Path, "route", route, "status", status,
			"duration", elapsed, "bytes", rec.bytes, "user", userOf(r.Context()))
	})
}

// userOf names the caller in the request log.
func userOf(ctx context.Context) string {
	if u := platform.IdentityFrom(ctx).User; u != "" {
		return u
	}
	return "anonymous"
}

// logLevel keeps probes and scrapes out of the info log.
func (s *Server) logLevel(status int, route string) slog.Level {
	switch {
	case status >= 500:
		return slog.LevelError
	case route == "/healthz" || route == "/readyz" || route == "/metrics":
		return slog.LevelDebug
	}
	return slog.LevelInfo
}

// routeOf strips the method from a mux pattern ("GET /api/v1/pilots/{id}"
// → "/api/v1/pilots/{id}"); unmatched requests share one label.
func routeOf(pattern string) string {
	if pattern == "" {
		return "unmatched"
	}
	if _, path, ok := strings.Cut(pattern, " "); ok {
		return path
	}
	return pattern
}

// recorder remembers the status and counts the bytes of a response.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// serveRecovering turns a panic in a handler into a logged 500 with the
// API's error body, instead of a dropped connection.
func (s *Server) serveRecovering(next http.Handler, rec *recorder, r *http.Request) {
	defer func() {
		v := recover()
		if v == nil || v == http.ErrAbortHandler {
			if v != nil {
				panic(v)
			}
			return
		}
		s.logger.ErrorContext(r.Context(), "handler panic", "panic", v, "stack", string(debug.Stack()))
		if rec.status == 0 {
			writeJSONError(rec, internalError())
		}
	}()
	next.ServeHTTP(rec, r)
}

// notFound answers paths under /api/ that no route matches, in the API's
// error shape rather than the mux's plain text.
func notFound(w http.ResponseWriter, r *http.Request) {
	writeJSONError(w, newError(http.StatusNotFound, "not_found", "", "no endpoint "+r.Method+" "+r.URL.Path))
}

// apiFallback answers API requests that no route took: 405 with an Allow
// header when the path exists under other methods (RFC 9110 §15.5.6),
// otherwise the JSON 404. The catch-all "/api/" pattern would otherwise
// shadow the mux's own 405.
func apiFallback(mux *http.ServeMux) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if allowed := allowedMethods(mux, r); len(allowed) > 0 {
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			writeJSONError(w, newError(http.StatusMethodNotAllowed, "method_not_allowed", "",
				r.Method+" is not allowed on "+r.URL.Path+"; allowed: "+strings.Join(allowed, ", ")))
			return
		}
		notFound(w, r)
	}
}

// allowedMethods lists the methods for which mux has a route, other than
// the catch-all, matching r's path.
func allowedMethods(mux *http.ServeMux, r *http.Request) []string {
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if m == r.Method {
			continue
		}
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := mux.Handler(probe); pattern != "" && pattern != "/api/" && pattern != "/" {
			allowed = append(allowed, m)
		}
	}
	return allowed
}

// writeJSONError writes an error response outside huma.
func writeJSONError(w http.ResponseWriter, e *apiError) {
	w.Header().Set("Content-Type", "application/json")
	if e.retryAfter > 0 {
		w.Header().Set("Retry-After", retryAfterSeconds(e.retryAfter))
	}
	w.WriteHeader(e.status)
	_ = json.NewEncoder(w).Encode(e.body)
}
