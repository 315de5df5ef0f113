package web

import (
	"crypto/subtle"
	"html/template"
	"net/http"
	"sync"
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

// formPage is the minimal login and setup page: a plain HTML form that
// works without JavaScript (and without inline script, per the CSP).
var formPage = template.Must(template.New("form").Parse(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{.Title}} · sceval</title>
<link rel="stylesheet" href="/static/style.css"></head>
<body><main><h1>{{.Title}}</h1>
{{if .Message}}<p class="error" role="alert">{{.Message}}</p>{{end}}
{{if .Done}}<p>{{.Done}}</p><p><a href="/">返回首页</a></p>{{else}}
<form method="post" action="{{.Action}}">
{{if .Token}}<input type="hidden" name="token" value="{{.Token}}">{{end}}
<p><label>用户名 <input name="username" required maxlength="64" autocomplete="username"></label></p>
<p><label>密码 <input type="password" name="password" required maxlength="256" autocomplete="{{.Autocomplete}}"></label></p>
<p><button type="submit">{{.Button}}</button></p>
</form>{{end}}
</main></body></html>`))

type formData struct {
	Title, Action, Token, Button, Autocomplete, Message, Done string
}

// registerPages adds the login and first-admin setup pages.
func (s *Server) registerPages(mux *http.ServeMux) {
	mux.HandleFunc("GET /login", func(w http.ResponseWriter, r *http.Request) {
		s.renderForm(w, http.StatusOK, loginForm(""))
	})
	mux.HandleFunc("POST /login", s.loginPage)
	mux.HandleFunc("GET /setup", func(w http.ResponseWriter, r *http.Request) {
		s.renderForm(w, http.StatusOK, setupForm(r.URL.Query().Get("token"), ""))
	})
	mux.HandleFunc("POST /setup", s.setupPage)
}

func loginForm(msg string) formData {
	return formData{Title: "登录", Action: "/login", Button: "登录", Autocomplete: "current-password", Message: msg}
}

func setupForm(token, msg string) formData {
	return formData{Title: "创建首个管理员账户", Action: "/setup", Token: token, Button: "创建并登录",
		Autocomplete: "new-password", Message: msg}
}

func (s *Server) renderForm(w http.ResponseWriter, status int, d formData) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if err := formPage.Execute(w, d); err != nil {
		s.logger.Warn("render form page", "err", err)
	}
}

// loginPage handles the login form: on success it sets the session cookie
// and redirects to the overview.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ri := infoFrom(ctx)
	_, secret, err := s.svc.Login(ctx, r.PostFormValue("username"), r.PostFormValue("password"), ri.address)
	if err != nil {
		s.formFailure(w, r, err, loginForm)
		return
	}
	if err := s.svc.Logout(ctx, ri.session); err != nil {
		s.logger.WarnContext(ctx, "end previous session", "err", err)
	}
	http.SetCookie(w, s.sessionCookie(secret, ri.secure))
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// setupPage handles the first-admin form.
func (s *Server) setupPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	token := r.PostFormValue("token")
	_, secret, err := s.runSetup(ctx, token, r.PostFormValue("username"), r.PostFormValue("password"))
	if err != nil {
		s.formFailure(w, r, err, func(msg string) formData { return setupForm(token, msg) })
		return
	}
	http.SetCookie(w, s.sessionCookie(secret, infoFrom(ctx).secure))
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// formFailure shows an error on the form page with the API's status.
func (s *Server) formFailure(w http.ResponseWriter, r *http.Request, err error, form func(string) formData) {
	ae, ok := err.(*apiError)
	if !ok {
		ae, _ = s.fail(r.Context(), err).(*apiError)
	}
	if ae.retryAfter > 0 {
		w.Header().Set("Retry-After", retryAfterSeconds(ae.retryAfter))
	}
	s.renderForm(w, ae.status, form(ae.body.Error.Message))
}
