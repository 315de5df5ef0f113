package ui_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
)

// reviewFixture is a cycle of the built-in framework with pilots in two
// provinces (浙江 33 and 江苏 32), each with a submission, and the accounts
// of every role that reviews them.
type reviewFixture struct {
	e     *env
	cycle platform.Cycle
	// hz (杭州市, 33, city, batch 2013) is submitted; nb (宁波市, 33, district,
	// batch 2014) is a draft; nj (南京市, 32, city, 2013) is submitted.
	hz, nb, nj       platform.Submission
	hzPilot, njPilot platform.Pilot
	// The accounts: province of 浙江, province of 江苏, the ministry, the
	// pilot 杭州市, an expert.
	zhejiang, jiangsu, ministry, pilot, expert *env
}

// newReviewFixture builds the fixture on a fresh server without the demo.
func newReviewFixture(t *testing.T) *reviewFixture {
	t.Helper()
	e := newEnv(t, false)
	f := &reviewFixture{e: e}
	ctx := e.ctx
	c, err := e.svc.CreateCycle(ctx, platform.Cycle{Name: "2025 年度监测（测试）", Kind: platform.CycleAnnualMonitoring, Year: 2025,
		FrameworkID: "mohurd-2012", MinCompleteness: reviewPtr(0.0)})
	if err != nil {
		t.Fatal(err)
	}
	if f.cycle, err = e.svc.TransitionCycle(ctx, c.ID, c.Version, platform.CycleOpen); err != nil {
		t.Fatal(err)
	}
	var nbPilot platform.Pilot
	f.hz, f.hzPilot = f.submission("330100", "杭州市", "2013", platform.PilotCity, true)
	f.nb, nbPilot = f.submission("330203", "宁波市海曙区", "2014", platform.PilotDistrict, false)
	f.nj, f.njPilot = f.submission("320100", "南京市", "2013", platform.PilotCity, true)
	_ = nbPilot
	f.zhejiang = f.account("zj-review", platform.NewUser{Role: platform.RoleProvince, Province: "33"})
	f.jiangsu = f.account("js-review", platform.NewUser{Role: platform.RoleProvince, Province: "32"})
	f.ministry = f.account("mohurd", platform.NewUser{Role: platform.RoleMinistry})
	f.pilot = f.account("hz-pilot", platform.NewUser{Role: platform.RolePilot, PilotID: f.hzPilot.ID})
	f.expert = f.account("expert-a", platform.NewUser{Role: platform.RoleExpert})
	return f
}

func reviewPtr[T any](v T) *T { return &v }

// submission creates a pilot with a submission carrying a rubric level, a
// narrative naming the pilot and two evidence files (an image and a PDF,
// their names naming the pilot too), submitted when submit is set.
func (f *reviewFixture) submission(region, name, batch string, typ platform.PilotType, submit bool) (platform.Submission, platform.Pilot) {
	t, svc, ctx := f.e.t, f.e.svc, f.e.ctx
	t.Helper()
	p, err := svc.CreatePilot(ctx, platform.Pilot{RegionCode: region, Name: name, Batch: batch, Type: typ})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := svc.CreateSubmission(ctx, f.cycle.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SaveEntry(ctx, sub.ID, "1.1.1", platform.EntryInput{Level: reviewPtr(3),
		Narrative: name + "已成立智慧城市建设领导小组。"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SaveEntry(ctx, sub.ID, "1.1.2", platform.EntryInput{Level: reviewPtr(4), Narrative: "规划已印发。"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddEvidence(ctx, sub.ID, "1.1.1", name+"-领导小组.png", strings.NewReader(pngBytes)); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddEvidence(ctx, sub.ID, "1.1.2", name+"-规划.pdf", strings.NewReader("%PDF-1.4\n"+name+"\n%%EOF\n")); err != nil {
		t.Fatal(err)
	}
	if submit {
		sub, _ = svc.GetSubmission(ctx, sub.ID)
		if sub, err = svc.TransitionSubmission(ctx, sub.ID, sub.Version, platform.SubmissionSubmitted, ""); err != nil {
			t.Fatal(err)
		}
	}
	sub, err = svc.GetSubmission(ctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	return sub, p
}

// pngBytes is a 1×1 PNG.
const pngBytes = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
	"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"

// account creates a user and returns the environment acting as them.
func (f *reviewFixture) account(name string, nu platform.NewUser) *env {
	t := f.e.t
	t.Helper()
	nu.Username, nu.Password = name, "correct horse battery "+name
	// The demo seeds its own accounts (demo-ministry, demo-expert-1, …):
	// an existing account is used as it is.
	if _, err := f.e.svc.CreateUser(f.e.ctx, nu); err != nil && platform.ErrorKindOf(err) != platform.Conflict {
		t.Fatalf("create %s: %v", name, err)
	}
	_, secret, err := f.e.svc.CreateToken(f.e.ctx, name, "ui tests", 0)
	if err != nil {
		t.Fatalf("token of %s: %v", name, err)
	}
	c := *f.e
	c.auth = "Bearer " + secret
	return &c
}

// post sends a form and returns the response without following redirects.
func (e *env) reviewPost(path string, form url.Values) *page {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.http.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if e.auth != "" {
		req.Header.Set("Authorization", e.auth)
	}
	client := *e.http.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := client.Do(req)
	if err != nil {
		e.t.Fatalf("POST %s: %v", path, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return &page{t: e.t, path: path, status: res.StatusCode, header: res.Header, body: string(data)}
}

// redirect checks that p is a 303 to location.
func (p *page) reviewRedirect(location string) *page {
	p.t.Helper()
	if p.status != http.StatusSeeOther || p.header.Get("Location") != location {
		p.t.Fatalf("%s: status %d Location %q, want 303 to %q; body:\n%s", p.path, p.status, p.header.Get("Location"), location, p.body)
	}
	return p
}

// decide takes a decision in the page's two steps (check, confirm) as a
// browser without JavaScript would, and returns the confirmation page and
// the answer to the confirmation.
func (e *env) reviewDecide(sub platform.Submission, version int, to, reason string, comments map[string]string) (confirm, done *page) {
	e.t.Helper()
	form := url.Values{"version": {strconv.Itoa(version)}, "to": {to}, "reason": {reason}}
	for code, c := range comments {
		form.Set("comment."+code, c)
	}
	path := fmt.Sprintf("/review/submissions/%d/decision", sub.ID)
	confirm = e.reviewPost(path, form)
	if confirm.status != http.StatusOK {
		return confirm, nil
	}
	form.Set("confirm", "1")
	return confirm, e.reviewPost(path, form)
}
