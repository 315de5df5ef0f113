package web

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sceval/sceval/platform"
)

// LoginRequest is the body of POST /auth/login.
type LoginRequest struct {
	Username string `json:"username" minLength:"1" maxLength:"64"`
	Password string `json:"password" minLength:"1" maxLength:"256"`
}

// UserBody wraps the caller's account.
type UserBody struct {
	User platform.User `json:"user"`
}

type loginInput struct {
	Body LoginRequest
}

type sessionOutput struct {
	SetCookie string `header:"Set-Cookie" doc:"The session cookie (HttpOnly, SameSite=Lax)"`
	Body      UserBody
}

type logoutInput struct {
	Everywhere bool `query:"everywhere" doc:"End every session of the user, on every device"`
}

type cookieOnlyOutput struct {
	SetCookie string `header:"Set-Cookie"`
}

// PasswordChange is the body of POST /me/password.
type PasswordChange struct {
	CurrentPassword string `json:"current_password" minLength:"1" maxLength:"256"`
	Password        string `json:"password" minLength:"1" maxLength:"256" doc:"The new password: at least 10 characters, not the username, not a common password"`
}

// TokenRequest is the body of POST /me/tokens.
type TokenRequest struct {
	Name          string `json:"name" minLength:"1" maxLength:"100" doc:"What the token is for, e.g. 数据导入脚本"`
	ExpiresInDays int    `json:"expires_in_days,omitempty" minimum:"0" maximum:"365" doc:"Lifetime in days (default 90)"`
}

// CreatedToken is a new token with its secret, shown only in this response.
type CreatedToken struct {
	Token  platform.APIToken `json:"token"`
	Secret string            `json:"secret" doc:"Send as Authorization: Bearer <secret>. Shown once; only its hash is stored."`
}

// SetupRequest is the body of POST /auth/setup.
type SetupRequest struct {
	Token    string `json:"token" minLength:"1" maxLength:"200" doc:"The secret of the setup link printed by sceval serve"`
	Username string `json:"username" minLength:"1" maxLength:"64"`
	Password string `json:"password" minLength:"1" maxLength:"256"`
}

func (s *Server) registerAuth() {
	tags := []string{"accounts"}
	huma.Register(s.api, huma.Operation{
		OperationID: "login", Method: http.MethodPost, Path: apiPrefix + "/auth/login", Summary: "Log in (opens a session)",
		Description: "Answers 401 invalid_credentials for an unknown user, a wrong password or a disabled account alike, " +
			"and 429 with Retry-After after repeated failures of the account or the client address.",
		Tags: tags, Errors: []int{http.StatusUnauthorized, http.StatusTooManyRequests},
	}, s.login)
	huma.Register(s.api, huma.Operation{
		OperationID: "logout", Method: http.MethodPost, Path: apiPrefix + "/auth/logout", DefaultStatus: http.StatusNoContent,
		Summary: "Log out (this session, or every session with ?everywhere=true)", Tags: tags,
	}, s.logout)
	huma.Register(s.api, huma.Operation{
		OperationID: "setup", Method: http.MethodPost, Path: apiPrefix + "/auth/setup", DefaultStatus: http.StatusCreated,
		Summary:     "Create the first administrator with the one-time setup link's secret",
		Description: "Only while the database has no account; the secret is printed by sceval serve on an empty database.",
		Tags:        tags, Errors: []int{http.StatusUnauthorized, http.StatusConflict},
	}, s.setupFirstAdmin)
	huma.Register(s.api, huma.Operation{
		OperationID: "get-me", Method: http.MethodGet, Path: apiPrefix + "/me", Summary: "The caller's account",
		Tags: tags, Errors: []int{http.StatusUnauthorized},
	}, s.me)
	huma.Register(s.api, huma.Operation{
		OperationID: "change-password", Method: http.MethodPost, Path: apiPrefix + "/me/password",
		Summary: "Change the caller's password (ends every session and opens a new one)", Tags: tags,
		Errors: []int{http.StatusUnauthorized},
	}, s.changePassword)
	huma.Register(s.api, huma.Operation{
		OperationID: "list-tokens", Method: http.MethodGet, Path: apiPrefix + "/me/tokens", Summary: "The caller's API tokens",
		Tags: tags, Errors: []int{http.StatusUnauthorized},
	}, s.listTokens)
	huma.Register(s.api, huma.Operation{
		OperationID: "create-token", Method: http.MethodPost, Path: apiPrefix + "/me/tokens", DefaultStatus: http.StatusCreated,
		Summary: "Create an API token (the secret is shown once)", Tags: tags, Errors: []int{http.StatusUnauthorized},
	}, s.createToken)
	huma.Register(s.api, huma.Operation{
		OperationID: "revoke-token", Method: http.MethodDelete, Path: apiPrefix + "/me/tokens/{id}", DefaultStatus: http.StatusNoContent,
		Summary: "Revoke one of the caller's API tokens", Tags: tags, Errors: []int{http.StatusUnauthorized, http.StatusNotFound},
	}, s.revokeToken)
}

func (s *Server) login(ctx context.Context, in *loginInput) (*sessionOutput, error) {
	ri := infoFrom(ctx)
	u, secret, err := s.svc.Login(ctx, in.Body.Username, in.Body.Password, ri.address)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	// Rotation: the session the browser came with (if any) ends; the new
	// one has a fresh id, so a fixated id is worthless.
	if err := s.svc.Logout(ctx, ri.session); err != nil {
		return nil, s.fail(ctx, err)
	}
	return &sessionOutput{SetCookie: s.sessionCookie(secret, ri.secure).String(), Body: UserBody{User: u}}, nil
}

func (s *Server) logout(ctx context.Context, in *logoutInput) (*cookieOnlyOutput, error) {
	ri := infoFrom(ctx)
	if in.Everywhere {
		if _, err := s.svc.LogoutEverywhere(ctx); err != nil {
			return nil, s.fail(ctx, err)
		}
	} else if err := s.svc.Logout(ctx, ri.session); err != nil {
		return nil, s.fail(ctx, err)
	}
	return &cookieOnlyOutput{SetCookie: s.sessionCookie("", ri.secure).String()}, nil
}

func (s *Server) me(ctx context.Context, _ *struct{}) (*bodyOutput[UserBody], error) {
	u, err := s.svc.Me(ctx)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newBody(UserBody{User: u}), nil
}

func (s *Server) changePassword(ctx context.Context, in *struct{ Body PasswordChange }) (*sessionOutput, error) {
	u, err := s.svc.ChangePassword(ctx, in.Body.CurrentPassword, in.Body.Password)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	ri := infoFrom(ctx)
	u, secret, err := s.svc.Login(ctx, u.Username, in.Body.Password, ri.address)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return &sessionOutput{SetCookie: s.sessionCookie(secret, ri.secure).String(), Body: UserBody{User: u}}, nil
}

func (s *Server) listTokens(ctx context.Context, _ *struct{}) (*listOutput[platform.APIToken], error) {
	items, err := s.svc.ListTokens(ctx, "")
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newList(items, len(items)), nil
}

func (s *Server) createToken(ctx context.Context, in *struct{ Body TokenRequest }) (*bodyOutput[CreatedToken], error) {
	t, secret, err := s.svc.CreateToken(ctx, "", in.Body.Name, time.Duration(in.Body.ExpiresInDays)*24*time.Hour)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newBody(CreatedToken{Token: t, Secret: secret}), nil
}

func (s *Server) revokeToken(ctx context.Context, in *IDParam) (*struct{}, error) {
	if err := s.svc.RevokeToken(ctx, "", in.ID); err != nil {
		return nil, s.fail(ctx, err)
	}
	return nil, nil
}

func (s *Server) setupFirstAdmin(ctx context.Context, in *struct{ Body SetupRequest }) (*sessionOutput, error) {
	u, secret, err := s.runSetup(ctx, in.Body.Token, in.Body.Username, in.Body.Password)
	if err != nil {
		return nil, err
	}
	return &sessionOutput{SetCookie: s.sessionCookie(secret, infoFrom(ctx).secure).String(), Body: UserBody{User: u}}, nil
}

// runSetup creates the first administrator if token is the setup secret,
// and logs them in; errors in the API's shape.
func (s *Server) runSetup(ctx context.Context, token, username, password string) (platform.User, string, error) {
	u, secret, err := s.setupAdmin(ctx, token, username, password)
	if err != nil {
		return platform.User{}, "", s.fail(ctx, err)
	}
	return u, secret, nil
}

// errSetupToken is the refusal of a wrong or used setup link.
var errSetupToken = &platform.Error{Kind: platform.Unauthenticated, Code: "invalid_setup_token", Field: "token",
	Message: "初始设置链接无效或已使用 (the setup link is invalid or was used)"}

// setupAdmin creates the first administrator if token is the setup secret,
// and logs them in (the platform's errors, for the API and the setup page).
func (s *Server) setupAdmin(ctx context.Context, token, username, password string) (platform.User, string, error) {
	if !s.setup.take(token) {
		return platform.User{}, "", errSetupToken
	}
	if _, err := s.svc.SetupFirstAdmin(ctx, username, password); err != nil {
		if platform.ErrorKindOf(err) == platform.Invalid {
			s.setup.restore(token) // a weak password does not use up the link
		}
		return platform.User{}, "", err
	}
	return s.svc.Login(ctx, username, password, infoFrom(ctx).address)
}

// guardMetrics serves /metrics to loopback callers, to holders of a grant
// on metrics.read, or to anyone when Options.MetricsOpen is set.
func (s *Server) guardMetrics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.opts.MetricsOpen && !isLoopback(r) {
			if err := platform.Authorize(r.Context(), "metrics.read", "metrics"); err != nil {
				writeJSONError(w, s.fail(r.Context(), err).(*apiError))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// securitySchemes are the two ways to authenticate: the session cookie
// (browsers, after POST /auth/login) and a bearer token (machines).
func securitySchemes() map[string]*huma.SecurityScheme {
	return map[string]*huma.SecurityScheme{
		"cookieAuth": {Type: "apiKey", In: "cookie", Name: SessionCookie,
			Description: "Browser session opened by POST /api/v1/auth/login (HttpOnly, SameSite=Lax)."},
		"bearerAuth": {Type: "http", Scheme: "bearer",
			Description: "API token created with POST /api/v1/me/tokens or `sceval token create`."},
	}
}

// anonymousOperations are the operations an anonymous caller may call
// (published cycles' data, reference data, logging in); their security
// lists the empty requirement besides the two schemes.
var anonymousOperations = map[string]bool{
	"login": true, "logout": true, "setup": true,
	"list-frameworks": true, "get-framework": true, "list-indicators": true, "search-regions": true, "get-region": true,
	"list-published-frameworks": true, "export-framework": true, "export-cycle-framework": true,
	"list-pilots": true, "get-pilot": true, "list-pilot-results": true,
	"list-cycles": true, "get-cycle": true, "list-results": true, "get-result-run": true,
	"list-submissions": true, "list-cycle-submissions": true,
	"export-results-xlsx": true, "export-results-csv": true, "export-results-json": true,
	"export-framework-xlsx": true, "export-framework-md": true,
}

// documentSecurity declares both security schemes on op (and anonymous
// access where granted).
func documentSecurity(op *huma.Operation) {
	op.Security = []map[string][]string{{"cookieAuth": {}}, {"bearerAuth": {}}}
	if anonymousOperations[op.OperationID] {
		op.Security = append(op.Security, map[string][]string{})
	}
	if _, ok := op.Responses["401"]; !ok && op.Responses != nil {
		op.Responses["401"] = &huma.Response{Description: "Not logged in, or invalid credentials"}
	}
	if _, ok := op.Responses["403"]; !ok && op.Responses != nil && !anonymousOperations[op.OperationID] {
		op.Responses["403"] = &huma.Response{Description: "The caller's role may not do this (code forbidden, naming the action)"}
	}
}
