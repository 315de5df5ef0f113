package ui_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sceval/sceval/platform"
)

// entryFixture is an open cycle of the built-in framework (2.2.6 may be
// not applicable, due in a month) with two pilots of different provinces;
// the first has a draft submission.
type entryFixture struct {
	*env
	cycle        platform.Cycle
	pilot, other platform.Pilot
	sub          platform.Submission
}

func newEntryFixture(t *testing.T) *entryFixture {
	t.Helper()
	e := newEnv(t, false)
	due := time.Now().AddDate(0, 1, 0).Truncate(time.Second)
	c, err := e.svc.CreateCycle(e.ctx, platform.Cycle{Name: "2025 年度监测", Kind: platform.CycleAnnualMonitoring, Year: 2025,
		FrameworkID: "mohurd-2012", NotApplicable: []string{"2.2.6"}, DueAt: &due})
	if err != nil {
		t.Fatal(err)
	}
	if c, err = e.svc.TransitionCycle(e.ctx, c.ID, c.Version, platform.CycleOpen); err != nil {
		t.Fatal(err)
	}
	f := &entryFixture{env: e, cycle: c}
	if f.pilot, err = e.svc.CreatePilot(e.ctx, platform.Pilot{RegionCode: "320500", Name: "苏州市", Batch: "2013", Type: platform.PilotCity}); err != nil {
		t.Fatal(err)
	}
	if f.other, err = e.svc.CreatePilot(e.ctx, platform.Pilot{RegionCode: "330100", Name: "杭州市", Batch: "2013", Type: platform.PilotCity}); err != nil {
		t.Fatal(err)
	}
	if f.sub, err = e.svc.CreateSubmission(e.ctx, c.ID, f.pilot.ID); err != nil {
		t.Fatal(err)
	}
	return f
}

// user creates an account and returns a view of the environment whose
// requests carry its token.
func (e *env) user(name string, role platform.Role, province string, pilotID int64) *env {
	e.t.Helper()
	if _, err := e.svc.CreateUser(e.ctx, platform.NewUser{Username: name, Role: role, Province: province, PilotID: pilotID,
		Password: "correct horse battery " + name}); err != nil {
		e.t.Fatal(err)
	}
	_, secret, err := e.svc.CreateToken(e.ctx, name, "ui", 0)
	if err != nil {
		e.t.Fatal(err)
	}
	c := *e
	c.auth = "Bearer " + secret
	return &c
}

// post sends a form (or, with a multipart content type in header, a
// prepared body) without following redirects.
func (e *env) post(path string, form url.Values, header ...string) *page {
	e.t.Helper()
	return e.send(path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()), header...)
}

// upload posts a file in the multipart field "file".
func (e *env) upload(path, filename string, content []byte, header ...string) *page {
	e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("file", filename)
	if err != nil {
		e.t.Fatal(err)
	}
	fw.Write(content)
	mw.Close()
	return e.send(path, mw.FormDataContentType(), &body, header...)
}

func (e *env) send(path, contentType string, body io.Reader, header ...string) *page {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.http.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	if e.auth != "" {
		req.Header.Set("Authorization", e.auth)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := *e.http.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := client.Do(req)
	if err != nil {
		e.t.Fatalf("POST %s: %v", path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return &page{t: e.t, path: path, status: res.StatusCode, header: res.Header, body: string(data)}
}

// redirect checks a 303 to location.
func (p *page) redirect(location string) *page {
	p.t.Helper()
	if p.status != http.StatusSeeOther || p.header.Get("Location") != location {
		p.t.Fatalf("%s: status %d Location %q, want 303 %q; body:\n%s", p.path, p.status, p.header.Get("Location"), location, p.body)
	}
	return p
}

// fragment checks a 200 htmx fragment (no layout).
func (p *page) fragment() *page {
	p.t.Helper()
	if p.status != http.StatusOK {
		p.t.Fatalf("%s: status %d, want 200; body:\n%s", p.path, p.status, p.body)
	}
	if strings.Contains(p.body, "<html") {
		p.t.Errorf("%s: a whole page, not a fragment", p.path)
	}
	if i := strings.Index(p.body, "⟦"); i >= 0 {
		p.t.Errorf("%s: missing message %s", p.path, p.body[i:min(i+40, len(p.body))])
	}
	return p
}

// indicator returns the HTML of one indicator's article on a form page.
func (p *page) indicator(slug string) string {
	p.t.Helper()
	return p.section(`id="ind-`+slug+`"`, "</article>")
}

var htmx = []string{"HX-Request", "true"}

// shanghai is the pages' default time zone.
func shanghai(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}
