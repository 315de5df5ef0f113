package web

import (
	"crypto/subtle"
	"net/http"
	"sync"

	"github.com/sceval/sceval/platform"
)

// setupSecret is the one-time secret of the first-admin setup link.
type setupSecret struct {
	mu     sync.Mutex
	secret string
}

func newSetupSecret(secret string) *setupSecret { return &setupSecret{secret: secret} }

// take reports whether token is the secret and uses it up.
func (s *setupSecret) take(token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.secret == "" || subtle.ConstantTimeCompare([]byte(token), []byte(s.secret)) != 1 {
		return false
	}
	s.secret = ""
	return true
}

// restore gives the secret back after a refused password.
func (s *setupSecret) restore(token string) {
	s.mu.Lock()
	s.secret = token
	s.mu.Unlock()
}

// pageSessions lets the login, logout, password and setup pages (package
// ui) open and end sessions: the session cookie, the client address and the
// setup secret belong to the server, so the pages reach them only through
// this (ui.Sessions). Errors are the platform's (*platform.Error,
// *platform.LoginThrottled), which the pages turn into messages.
type pageSessions struct{ s *Server }

// Login checks the credentials, ends the session the browser came with
// (rotation: a fixated id is worthless) and sets the new session cookie.
func (p pageSessions) Login(w http.ResponseWriter, r *http.Request, username, password string) (platform.User, error) {
	ctx := r.Context()
	ri := infoFrom(ctx)
	u, secret, err := p.s.svc.Login(ctx, username, password, ri.address)
	if err != nil {
		return platform.User{}, err
	}
	if err := p.s.svc.Logout(ctx, ri.session); err != nil {
		p.s.logger.WarnContext(ctx, "end previous session", "err", err)
	}
	http.SetCookie(w, p.s.sessionCookie(secret, ri.secure))
	return u, nil
}

// Logout ends the browser's session and deletes its cookie.
func (p pageSessions) Logout(w http.ResponseWriter, r *http.Request) error {
	ri := infoFrom(r.Context())
	http.SetCookie(w, p.s.sessionCookie("", ri.secure))
	return p.s.svc.Logout(r.Context(), ri.session)
}

// Setup creates the first administrator with the setup link's secret and
// logs them in.
func (p pageSessions) Setup(w http.ResponseWriter, r *http.Request, token, username, password string) (platform.User, error) {
	ctx := r.Context()
	u, secret, err := p.s.setupAdmin(ctx, token, username, password)
	if err != nil {
		return platform.User{}, err
	}
	http.SetCookie(w, p.s.sessionCookie(secret, infoFrom(ctx).secure))
	return u, nil
}
