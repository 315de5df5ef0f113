package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sceval/sceval/platform"
)

// reviewPilotName is the pilot the review flow follows: its name is in its
// narrative and in its evidence files' names, so that a leak shows.
const reviewPilotName = "湖州市"

// reviewSetup creates an open cycle of the built-in framework with one
// submitted submission of 湖州市 (浙江, 33): two entries, a narrative naming
// the pilot, an image and a PDF whose file names name it too.
func reviewSetup(t *testing.T, s *Server) (platform.Cycle, platform.Pilot, platform.Submission) {
	t.Helper()
	svc, ctx := s.Svc, s.Ctx
	c, err := svc.CreateCycle(ctx, platform.Cycle{Name: "2025 年度监测（浏览器测试）", Kind: platform.CycleAnnualMonitoring, Year: 2025,
		FrameworkID: "mohurd-2012", MinCompleteness: new(0.0)})
	if err != nil {
		t.Fatal(err)
	}
	if c, err = svc.TransitionCycle(ctx, c.ID, c.Version, platform.CycleOpen); err != nil {
		t.Fatal(err)
	}
	p, err := svc.CreatePilot(ctx, platform.Pilot{RegionCode: "330500", Name: reviewPilotName, Batch: "2025-e2e", Type: platform.PilotCity})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := svc.CreateSubmission(ctx, c.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for code, level := range map[string]int{"1.1.1": 3, "1.1.2": 4} {
		if _, err := svc.SaveEntry(ctx, sub.ID, code, platform.EntryInput{Level: new(level),
			Narrative: reviewPilotName + "：" + code + " 已完成（浏览器测试）。"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.AddEvidence(ctx, sub.ID, "1.1.1", reviewPilotName+"-照片.png", strings.NewReader(onePixelPNG)); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddEvidence(ctx, sub.ID, "1.1.2", reviewPilotName+"-规划.pdf", strings.NewReader(minimalPDF)); err != nil {
		t.Fatal(err)
	}
	sub, _ = svc.GetSubmission(ctx, sub.ID)
	if sub, err = svc.TransitionSubmission(ctx, sub.ID, sub.Version, platform.SubmissionSubmitted, ""); err != nil {
		t.Fatal(err)
	}
	return c, p, sub
}

// onePixelPNG is a 1×1 PNG; minimalPDF a one-page PDF.
const (
	onePixelPNG = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
		"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
	minimalPDF = "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj " +
		"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

// clickAndWait presses the element sel and waits for next on the page the
// press leads to.
func clickAndWait(t *testing.T, ctx context.Context, sel, next string) {
	t.Helper()
	if err := chromedp.Run(ctx, chromedp.Click(sel, chromedp.ByQuery), chromedp.WaitVisible(next, chromedp.ByQuery)); err != nil {
		t.Fatalf("click %s, wait for %s: %v", sel, next, err)
	}
}

// TestReviewInTheBrowser: the province returns a submission with a comment
// on one indicator; the pilot (through the service) reads the comment and
// resubmits; the province forwards and the ministry accepts — every
// decision through its confirmation page.
func TestReviewInTheBrowser(t *testing.T) {
	s := Start(t)
	_, pilot, sub := reviewSetup(t, s)
	view := fmt.Sprintf("/review/submissions/%d", sub.ID)
	prov, pw := s.NewUser(t, platform.NewUser{Username: "e2e-zhejiang", Role: platform.RoleProvince, Province: "33"})
	ctx := s.Browser(t)
	s.Login(t, ctx, prov, pw)
	for _, lang := range []string{"en", "zh"} {
		s.Open(t, ctx, "/review?lang="+lang)
		if text := Text(t, ctx); !strings.Contains(text, reviewPilotName) || strings.Contains(text, "⟦") {
			t.Fatalf("queue (%s): %q", lang, text)
		}
		Screenshot(t, ctx, "review-queue-"+lang)
		s.Open(t, ctx, view)
		Screenshot(t, ctx, "review-view-"+lang)
	}
	if err := chromedp.Run(ctx,
		chromedp.SendKeys(`#comment-1\.1\.1`, "请补充领导小组成立文件", chromedp.ByQuery),
		chromedp.SendKeys("#reason", "材料不全，请补充。", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	clickAndWait(t, ctx, `button[name="to"][value="returned"]`, `button[name="confirm"]`)
	if text := Text(t, ctx); !strings.Contains(text, "确认退回") || !strings.Contains(text, "请补充领导小组成立文件") {
		t.Fatalf("confirmation: %q", text)
	}
	Screenshot(t, ctx, "review-confirm-zh")
	clickAndWait(t, ctx, `button[name="confirm"]`, ".rv-notice")

	// The pilot reads the reason and the comment on 1.1.1, and resubmits.
	pctx := s.Svc.Bind(s.Ctx, platform.Identity{User: "e2e-hz-pilot", Roles: []string{"pilot"}, PilotID: pilot.ID})
	got, err := s.Svc.GetSubmission(pctx, sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	comment := ""
	for _, e := range got.Entries {
		if e.Code == "1.1.1" {
			comment = e.ReturnComment
		}
	}
	if got.State != platform.SubmissionReturned || got.Reason != "材料不全，请补充。" || comment != "请补充领导小组成立文件" {
		t.Fatalf("the pilot sees %s %q, comment %q", got.State, got.Reason, comment)
	}
	if _, err := s.Svc.TransitionSubmission(pctx, sub.ID, got.Version, platform.SubmissionSubmitted, ""); err != nil {
		t.Fatal(err)
	}

	s.Open(t, ctx, view)
	clickAndWait(t, ctx, `button[name="to"][value="forwarded"]`, `button[name="confirm"]`)
	clickAndWait(t, ctx, `button[name="confirm"]`, ".rv-notice")

	min, mpw := s.NewUser(t, platform.NewUser{Username: "e2e-ministry", Role: platform.RoleMinistry})
	mctx := s.Browser(t)
	s.Login(t, mctx, min, mpw)
	s.Open(t, mctx, "/review")
	if text := Text(t, mctx); !strings.Contains(text, reviewPilotName) {
		t.Fatalf("the ministry's queue lacks the forwarded submission: %q", text)
	}
	s.Open(t, mctx, view)
	clickAndWait(t, mctx, `button[name="to"][value="accepted"]`, `button[name="confirm"]`)
	clickAndWait(t, mctx, `button[name="confirm"]`, ".rv-notice")
	Screenshot(t, mctx, "review-accepted-zh")
	final, _ := s.Svc.GetSubmission(s.Ctx, sub.ID)
	if final.State != platform.SubmissionAccepted {
		t.Fatalf("final state %s", final.State)
	}

	// A demo submission: 57 entries with values, units and evidence.
	demoSubs, _, err := s.Svc.ListSubmissions(s.Ctx, platform.SubmissionFilter{CycleID: s.Demo.CycleID, State: "accepted", Limit: 1})
	if err != nil || len(demoSubs) == 0 {
		t.Fatalf("demo submissions: %v", err)
	}
	s.Open(t, mctx, fmt.Sprintf("/review/submissions/%d", demoSubs[0].ID))
	Screenshot(t, mctx, "review-view-demo-zh")

	// On a phone nothing but a table sticks out.
	phone := s.Browser(t, Size(375, 812))
	s.Login(t, phone, min, mpw)
	for _, p := range []string{"/review?tab=accepted", view, view + "?lang=en"} {
		s.Open(t, phone, p)
		if over := HorizontalOverflow(t, phone); len(over) > 0 {
			t.Errorf("%s at 375 px: sticks out: %v", p, over)
		}
	}
	Screenshot(t, phone, "review-view-en-375")
}

// TestExpertScoresBlindInTheBrowser: an expert of a blind cycle opens the
// assignments and the scoring form, saves a draft and submits; the pilot's
// name is nowhere in any of the expert's pages (the whole DOM, attributes
// and links included, and the titles).
func TestExpertScoresBlindInTheBrowser(t *testing.T) {
	s := Start(t)
	c, _, sub := reviewSetup(t, s)
	svc, sctx := s.Svc, s.Ctx
	for _, to := range []platform.SubmissionState{platform.SubmissionForwarded, platform.SubmissionAccepted} {
		var err error
		if sub, err = svc.TransitionSubmission(sctx, sub.ID, sub.Version, to, ""); err != nil {
			t.Fatal(err)
		}
	}
	user, pw := s.NewUser(t, platform.NewUser{Username: "e2e-expert", Role: platform.RoleExpert})
	ex, err := svc.CreateExpert(sctx, platform.Expert{Name: "浏览器专家", ProvinceCode: "11", Username: user, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	rs := platform.DefaultReviewSettings(c.ID)
	rs.ExpertsPerSubmission, rs.Blind = 1, true
	if _, err := svc.PutReviewSettings(sctx, rs); err != nil {
		t.Fatal(err)
	}
	res, err := svc.AssignExperts(sctx, c.ID)
	if err != nil || len(res.Created) != 1 {
		t.Fatalf("assign: %+v %v", res, err)
	}
	a := res.Created[0]
	if a.ExpertID != ex.ID { // the demo's experts are candidates too
		if a, err = svc.OverrideAssignment(sctx, a.ID, a.Version, ex.ID, "浏览器测试的专家"); err != nil {
			t.Fatal(err)
		}
	}
	ctx := s.Browser(t)
	s.Login(t, ctx, user, pw)
	noPilot := func(where string) {
		t.Helper()
		var html string
		if err := chromedp.Run(ctx, chromedp.Evaluate(`document.title + "\n" + document.documentElement.outerHTML`, &html)); err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{reviewPilotName, "湖州", "330500", fmt.Sprintf("/review/submissions/%d", sub.ID)} {
			if i := strings.Index(html, secret); i >= 0 {
				t.Errorf("%s shows %q: …%s…", where, secret, html[max(0, i-100):min(len(html), i+100)])
			}
		}
	}
	form := fmt.Sprintf("/expert/reviews/%d", a.ID)
	for _, lang := range []string{"en", "zh"} {
		s.Open(t, ctx, "/expert?lang="+lang)
		noPilot("assignments " + lang)
		Screenshot(t, ctx, "expert-list-"+lang)
		s.Open(t, ctx, form)
		noPilot("form " + lang)
		Screenshot(t, ctx, "expert-form-"+lang)
	}
	phone := s.Browser(t, Size(375, 812))
	s.Login(t, phone, user, pw)
	s.Open(t, phone, form)
	if over := HorizontalOverflow(t, phone); len(over) > 0 {
		t.Errorf("the form at 375 px: sticks out: %v", over)
	}
	Screenshot(t, phone, "expert-form-zh-375")
	if text := Text(t, ctx); !strings.Contains(text, a.Pseudonym+"：1.1.1 已完成") {
		t.Errorf("the narrative under the pseudonym is missing: %q", text[:min(len(text), 600)])
	}
	// Evidence files as the expert's links name them.
	for _, n := range nodeIDs(t, ctx, ".rv-evidence a.rv-file") {
		if href := n.AttributeValue("href"); !strings.HasPrefix(href, form+"/evidence/") {
			t.Errorf("evidence link %q", href)
		}
	}
	// A draft: two scores and a comment.
	if err := chromedp.Run(ctx,
		chromedp.SetValue(`input[name="score.1.1.1"]`, "72", chromedp.ByQuery),
		chromedp.SetValue(`select[name="level.1.1.2"]`, "4", chromedp.ByQuery),
		chromedp.SendKeys(`textarea[name="comment.1.1.1"]`, "材料翔实", chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	clickAndWait(t, ctx, `button[value="save"]`, ".rv-notice")
	noPilot("saved draft")
	if text := Text(t, ctx); !strings.Contains(text, "草稿已保存") || !strings.Contains(text, "已评 2 / 57 项") {
		t.Fatalf("after saving: %q", text[:min(len(text), 800)])
	}
	// Every other indicator scored, then submitted through the confirmation.
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.querySelectorAll('input[name^="score."]').forEach(function(i){ if (!i.value && !document.querySelector('select[name="level.'+i.name.slice(6)+'"]').value) i.value = '70'; })`, nil)); err != nil {
		t.Fatal(err)
	}
	clickAndWait(t, ctx, `button[value="submit"]`, `.rv-confirm button[type="submit"]`)
	noPilot("confirmation")
	Screenshot(t, ctx, "expert-confirm-zh")
	clickAndWait(t, ctx, `.rv-confirm button[type="submit"]`, ".rv-notice")
	noPilot("submitted")
	Screenshot(t, ctx, "expert-submitted-zh")
	v, err := svc.GetReview(sctx, a.ID)
	if err != nil || v.Review.State != platform.ReviewSubmitted || len(v.Review.Scores) != 57 {
		t.Fatalf("review: %s %d scores, %v", v.Review.State, len(v.Review.Scores), err)
	}
}
