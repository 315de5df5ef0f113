package web

import (
	"context"
	"net"
	"net/http"
	"strings"

	"github.com/sceval/sceval/platform"
)

// SessionCookie names the browser session cookie.
const SessionCookie = "sceval_session"

// requestInfo is what the auth endpoints need to know about the request
// beyond the identity: the client's address (login throttling), the session
// secret it presented (logout, rotation) and whether cookies must be Secure.
type requestInfo struct {
	address string
	session string
	secure  bool
}

type requestInfoKey struct{}

func infoFrom(ctx context.Context) requestInfo {
	ri, _ := ctx.Value(requestInfoKey{}).(requestInfo)
	return ri
}

// authenticate puts the caller's identity into the request context, bound
// to the service (platform.Service.Bind) so that platform.Authorize can
// decide scoped grants: a bearer token (Authorization: Bearer …) or the
// session cookie; neither is the anonymous identity. A bad bearer token is
// refused at once (401); a stale cookie is cleared and the request goes on
// anonymously.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		ri := requestInfo{address: s.clientAddress(r), secure: s.secureRequest(r)}
		var id platform.Identity
		if token, ok := bearerToken(r); ok {
			var err error
			if id, err = s.svc.TokenIdentity(ctx, token); err != nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="sceval", error="invalid_token"`)
				writeJSONError(w, s.fail(ctx, err).(*apiError))
				return
			}
		} else if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
			ri.session = c.Value
			if id, err = s.svc.SessionIdentity(ctx, c.Value); err != nil {
				if platform.ErrorKindOf(err) == "" {
					writeJSONError(w, s.fail(ctx, err).(*apiError))
					return
				}
				http.SetCookie(w, s.sessionCookie("", ri.secure))
				ri.session, id = "", platform.Identity{}
			}
		}
		ctx = context.WithValue(s.svc.Bind(ctx, id), requestInfoKey{}, ri)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// bearerToken returns the token of an "Authorization: Bearer" header.
func bearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	return strings.TrimSpace(token), true
}

// sessionCookie is the session cookie carrying secret, or the cookie that
// deletes it when secret is empty: HttpOnly (no script reads it),
// SameSite=Lax (not sent on cross-site subrequests and posts), Secure when
// served over TLS or behind a TLS-terminating proxy, no Max-Age (the server
// ends sessions; the browser forgets the cookie when it closes).
func (s *Server) sessionCookie(secret string, secure bool) *http.Cookie {
	c := &http.Cookie{Name: SessionCookie, Value: secret, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: secure}
	if secret == "" {
		c.MaxAge = -1
	}
	return c
}

// clientAddress is the caller's IP: the connection's peer, or the last hop
// of X-Forwarded-For when a trusted proxy is declared.
func (s *Server) clientAddress(r *http.Request) string {
	if s.opts.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			return strings.TrimSpace(parts[len(parts)-1])
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// secureRequest reports whether the client reached sceval over TLS: a TLS
// connection, or X-Forwarded-Proto: https from a trusted proxy, or the
// operator's declaration that a TLS proxy is in front.
func (s *Server) secureRequest(r *http.Request) bool {
	if r.TLS != nil || s.opts.SecureCookies {
		return true
	}
	return s.opts.TrustProxy && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// isLoopback reports whether the request's peer is on this machine.
func isLoopback(r *http.Request) bool {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// allow authorizes a web-only action (one without a service method) as the
// service does, mapped to the API's error shape.
func (s *Server) allow(ctx context.Context, action, resource string) error {
	if err := platform.Authorize(ctx, action, resource); err != nil {
		return s.fail(ctx, err)
	}
	return nil
}
