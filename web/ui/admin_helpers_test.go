package ui_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"

	"github.com/sceval/sceval/platform"
)

// browser is a client with its own cookie jar that does not follow
// redirects: each test sees the status and Location a browser would.
type browser struct {
	e      *env
	client *http.Client
}

// browser returns a new browser on the environment, logged in as nobody.
func (e *env) browser() *browser {
	e.t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &browser{e: e, client: c}
}

// do sends a request and returns the response as a page.
func (b *browser) do(method, path string, body io.Reader, contentType string) *page {
	b.e.t.Helper()
	req, err := http.NewRequest(method, b.e.http.URL+path, body)
	if err != nil {
		b.e.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := b.client.Do(req)
	if err != nil {
		b.e.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		b.e.t.Fatal(err)
	}
	return &page{t: b.e.t, path: path, status: res.StatusCode, header: res.Header, body: string(data)}
}

// get fetches a page.
func (b *browser) get(path string) *page { return b.do(http.MethodGet, path, nil, "") }

// post submits a URL-encoded form given as name/value pairs.
func (b *browser) post(path string, pairs ...string) *page {
	b.e.t.Helper()
	v := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Add(pairs[i], pairs[i+1])
	}
	return b.do(http.MethodPost, path, strings.NewReader(v.Encode()), "application/x-www-form-urlencoded")
}

// postHX submits a URL-encoded form as htmx does (HX-Request: true).
func (b *browser) postHX(path string, pairs ...string) *page {
	b.e.t.Helper()
	v := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Add(pairs[i], pairs[i+1])
	}
	req, err := http.NewRequest(http.MethodPost, b.e.http.URL+path, strings.NewReader(v.Encode()))
	if err != nil {
		b.e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	res, err := b.client.Do(req)
	if err != nil {
		b.e.t.Fatalf("POST %s: %v", path, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return &page{t: b.e.t, path: path, status: res.StatusCode, header: res.Header, body: string(data)}
}

// upload submits a multipart form with one file.
func (b *browser) upload(path, field, filename string, content []byte) *page {
	b.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile(field, filename)
	if err != nil {
		b.e.t.Fatal(err)
	}
	fw.Write(content)
	mw.Close()
	return b.do(http.MethodPost, path, &buf, mw.FormDataContentType())
}

// login logs in through the form and returns the response.
func (b *browser) login(user, password string, next ...string) *page {
	pairs := []string{"username", user, "password", password}
	if len(next) > 0 {
		pairs = append(pairs, "next", next[0])
	}
	return b.post("/login", pairs...)
}

// redirects fails unless the response is 303 See Other to location.
func (p *page) redirects(location string) *page {
	p.t.Helper()
	if p.status != http.StatusSeeOther {
		p.t.Fatalf("%s: status %d, want 303; body:\n%s", p.path, p.status, p.body)
	}
	if got := p.header.Get("Location"); got != location {
		p.t.Fatalf("%s: Location %q, want %q", p.path, got, location)
	}
	return p
}

// fieldError fails unless the page shows msg as the error of the input
// named field: the message follows the input, before the next input.
func (p *page) fieldError(field, msg string) *page {
	p.t.Helper()
	i := strings.Index(p.body, `name="`+field+`"`)
	if i < 0 {
		p.t.Fatalf("%s: no input %q", p.path, field)
	}
	rest := p.body[i:]
	end := strings.Index(rest[1:], "<input")
	if end < 0 {
		end = len(rest) - 1
	}
	seg := rest[:end+1]
	j := strings.Index(seg, `class="field-error"`)
	if j < 0 || !strings.Contains(seg[j:], msg) {
		p.t.Fatalf("%s: no error %q next to %q; near the field:\n%s", p.path, msg, field, seg)
	}
	return p
}

// newAccount creates an account directly through the service.
func (e *env) newAccount(nu platform.NewUser) platform.User {
	e.t.Helper()
	u, err := e.svc.CreateUser(e.ctx, nu)
	if err != nil {
		e.t.Fatalf("create %s: %v", nu.Username, err)
	}
	return u
}

// testPassword is the password of the accounts the tests create.
const testPassword = "correct horse battery"
