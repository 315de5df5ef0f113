package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
)

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	for _, path := range []string{"/api/v1/frameworks", "/api/v1/nothing", "/", "/login", "/healthz"} {
		res := env.do("GET", path, nil)
		h := res.header
		// The pages set a stricter policy of their own (no script at all).
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") ||
			!strings.Contains(csp, "script-src 'self'") && !strings.Contains(csp, "default-src 'none'") ||
			strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
			t.Errorf("%s: nosniff %q, Referrer-Policy %q", path, h.Get("X-Content-Type-Options"), h.Get("Referrer-Policy"))
		}
		if strings.HasPrefix(path, "/api/") && h.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", path, h.Get("Cache-Control"))
		}
	}
}

func TestHostAllowList(t *testing.T) {
	env := newTestEnv(t, envOptions{server: func(o *Options) { o.PublicURL = "https://sceval.example.gov.cn/" }})
	for host, want := range map[string]int{
		"": 200, "localhost:8080": 200, "[::1]:80": 200, "sceval.example.gov.cn": 200, "SCEVAL.example.gov.cn:443": 200,
		"evil.example": 421, "sceval.example.gov.cn.evil.example": 421,
	} {
		req, _ := http.NewRequest("GET", env.http.URL+"/api/v1/frameworks", nil)
		if host != "" {
			req.Host = host
		}
		res := env.send(req)
		if res.status != want {
			t.Errorf("Host %q: %d, want %d", host, res.status, want)
		}
	}
	req, _ := http.NewRequest("GET", env.http.URL+"/healthz", nil)
	req.Host = "10.1.2.3:8080"
	env.send(req).expect(200) // probes answer for any Host
}

func TestCrossOriginWritesAreRefused(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	body := PilotFields{RegionCode: "130100", Name: "石家庄市", Batch: "2013-1", Type: "city"}
	env.do("POST", "/api/v1/pilots", body, "Sec-Fetch-Site", "cross-site").expectError(403, "cross_origin")
	env.do("POST", "/api/v1/pilots", body, "Origin", "https://evil.example").expectError(403, "cross_origin")
	env.do("POST", "/api/v1/pilots/import", []byte("region_code,name,batch,type\n130100,x,1,city\n"),
		"Content-Type", "text/plain", "Sec-Fetch-Site", "cross-site").expectError(403, "cross_origin")
	env.do("GET", "/api/v1/pilots", nil, "Sec-Fetch-Site", "cross-site").expect(200) // reads are fine
	env.do("POST", "/api/v1/pilots", body, "Sec-Fetch-Site", "same-origin").expect(201)
}

func TestLoginCookieRotationAndLogout(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	env.newUser("carol", platform.NewUser{Role: platform.RoleMinistry})
	anon := env.anonymous()
	anon.do("GET", "/api/v1/me", nil).expectError(401, "unauthenticated")
	res := anon.do("POST", "/api/v1/auth/login", LoginRequest{Username: "carol", Password: testPassword}).expect(200)
	cookie := sessionCookieOf(t, res)
	if !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Secure || cookie.Path != "/" {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Lax, not Secure over plain HTTP", cookie)
	}
	withCookie := func(c *http.Cookie, method, path string) *response {
		req, _ := http.NewRequest(method, env.http.URL+path, nil)
		req.AddCookie(c)
		return anon.send(req)
	}
	var me UserBody
	withCookie(cookie, "GET", "/api/v1/me").expect(200).decode(&me)
	if me.User.Username != "carol" || strings.Contains(string(withCookie(cookie, "GET", "/api/v1/me").body), "argon2") {
		t.Fatalf("me: %+v", me)
	}
	// Logging in again with the old cookie rotates: the old id is dead.
	req, _ := http.NewRequest("POST", env.http.URL+"/api/v1/auth/login",
		strings.NewReader(`{"username":"carol","password":"`+testPassword+`"}`))
	req.Header.Set("Content-Type", "application/json")
	req.AddCookie(cookie)
	fresh := sessionCookieOf(t, anon.send(req).expect(200))
	if fresh.Value == cookie.Value {
		t.Fatal("login kept the session id")
	}
	withCookie(cookie, "GET", "/api/v1/me").expectError(401, "unauthenticated")
	withCookie(fresh, "GET", "/api/v1/me").expect(200)
	if out := withCookie(fresh, "POST", "/api/v1/auth/logout").expect(204); sessionCookieOf(t, out).MaxAge >= 0 {
		t.Error("logout does not delete the cookie")
	}
	withCookie(fresh, "GET", "/api/v1/me").expectError(401, "unauthenticated")
}

func TestSecureCookieBehindTLSProxy(t *testing.T) {
	env := newTestEnv(t, envOptions{server: func(o *Options) { o.SecureCookies = true }})
	env.newUser("dave", platform.NewUser{Role: platform.RoleExpert})
	res := env.anonymous().do("POST", "/api/v1/auth/login", LoginRequest{Username: "dave", Password: testPassword}).expect(200)
	if !sessionCookieOf(t, res).Secure {
		t.Error("cookie not Secure behind a declared TLS proxy")
	}
}

func TestLoginThrottledWith429(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	env.newUser("erin", platform.NewUser{Role: platform.RoleExpert})
	anon := env.anonymous()
	for range 6 {
		anon.do("POST", "/api/v1/auth/login", LoginRequest{Username: "erin", Password: "wrong wrong wrong"}).
			expectError(401, "invalid_credentials")
	}
	res := anon.do("POST", "/api/v1/auth/login", LoginRequest{Username: "erin", Password: testPassword})
	res.expectError(429, "too_many_attempts")
	if res.header.Get("Retry-After") != "1" {
		t.Errorf("Retry-After %q, want 1", res.header.Get("Retry-After"))
	}
	form := url.Values{"username": {"erin"}, "password": {testPassword}}
	page := anon.do("POST", "/login", []byte(form.Encode()), "Content-Type", "application/x-www-form-urlencoded")
	if page.status != 429 || !strings.Contains(string(page.body), "登录失败次数过多") {
		t.Errorf("login form while throttled: %d %s", page.status, page.body)
	}
}

func TestBadBearerTokenIs401(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	res := env.as("sceval_forged").do("GET", "/api/v1/pilots", nil)
	res.expectError(401, "invalid_token")
	if !strings.HasPrefix(res.header.Get("WWW-Authenticate"), "Bearer") {
		t.Errorf("WWW-Authenticate %q", res.header.Get("WWW-Authenticate"))
	}
}

func TestLoginFormPage(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	env.newUser("frank", platform.NewUser{Role: platform.RoleMinistry})
	anon := env.anonymous()
	page := anon.do("GET", "/login", nil).expect(200)
	// The page (web/ui) loads the layout's scripts by src; no inline script.
	if !strings.Contains(string(page.body), `<form method="post" action="/login">`) || strings.Contains(string(page.body), "<script>") {
		t.Fatalf("login page: %s", page.body)
	}
	client := env.http.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := client.PostForm(env.http.URL+"/login", url.Values{"username": {"frank"}, "password": {testPassword}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || len(res.Cookies()) != 1 || res.Cookies()[0].Name != SessionCookie {
		t.Fatalf("form login: %d %v", res.StatusCode, res.Cookies())
	}
	bad := anon.do("POST", "/login", []byte("username=frank&password=nope"), "Content-Type", "application/x-www-form-urlencoded")
	if bad.status != 401 || !strings.Contains(string(bad.body), "用户名或密码错误") {
		t.Errorf("wrong password on the form: %d", bad.status)
	}
}

func TestMetricsNeedLoopbackOrToken(t *testing.T) {
	env := newTestEnv(t, envOptions{})
	env.anonymous().do("GET", "/metrics", nil).expect(200) // the test client is on loopback
	remote := func(auth string) int {
		req := httptest.NewRequest("GET", "/metrics", nil)
		req.RemoteAddr = "192.0.2.7:5555"
		req.Host = "127.0.0.1"
		if auth != "" {
			req.Header.Set("Authorization", "Bearer "+auth)
		}
		rec := httptest.NewRecorder()
		env.server.Handler().ServeHTTP(rec, req)
		return rec.Code
	}
	if got := remote(""); got != 401 {
		t.Errorf("remote anonymous /metrics: %d, want 401", got)
	}
	if got := remote(env.newUser("pilot-x", platform.NewUser{Role: platform.RoleExpert})); got != 403 {
		t.Errorf("remote expert /metrics: %d, want 403", got)
	}
	if got := remote(env.newUser("ops", platform.NewUser{Role: platform.RoleMinistry})); got != 200 {
		t.Errorf("remote ministry token /metrics: %d, want 200", got)
	}
}

// sessionCookieOf returns the response's session cookie.
func sessionCookieOf(t *testing.T, r *response) *http.Cookie {
	t.Helper()
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == SessionCookie {
			return c
		}
	}
	t.Fatalf("no %s cookie in %v", SessionCookie, r.header)
	return nil
}
