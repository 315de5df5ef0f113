package ui_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
)

// An expert scores a submission of a blind cycle in the browser: the
// pilot's name, region and original file names appear on none of the
// expert's pages (nor in a file's name), the draft is saved and kept, a
// submit asks for confirmation and needs every indicator scored, and
// nothing unassigned is reachable. The expert of the pilot's own province
// is never assigned it (the platform's conflict rule).
func TestExpertScoresBlind(t *testing.T) {
	f := newReviewFixture(t)
	svc, ctx := f.e.svc, f.e.ctx
	for _, sub := range []platform.Submission{f.hz, f.nj} {
		if _, err := svc.TransitionSubmission(ctx, sub.ID, sub.Version, platform.SubmissionForwarded, ""); err != nil {
			t.Fatal(err)
		}
	}
	local := f.account("expert-zj", platform.NewUser{Role: platform.RoleExpert})
	for _, ex := range []platform.Expert{
		{Name: "甲专家", ProvinceCode: "11", Username: "expert-a", Active: true},
		{Name: "乙专家", ProvinceCode: "33", Username: "expert-zj", Active: true},
	} {
		if _, err := svc.CreateExpert(ctx, ex); err != nil {
			t.Fatal(err)
		}
	}
	rs := platform.DefaultReviewSettings(f.cycle.ID)
	rs.ExpertsPerSubmission, rs.Blind = 1, true
	if _, err := svc.PutReviewSettings(ctx, rs); err != nil {
		t.Fatal(err)
	}
	res, err := svc.AssignExperts(ctx, f.cycle.ID)
	if err != nil || len(res.Created) != 2 {
		t.Fatalf("assign: %+v %v", res, err)
	}
	var mine, other platform.Assignment
	for _, a := range res.Created {
		if a.SubmissionID == f.hz.ID {
			mine = a
		} else {
			other = a
		}
	}
	// What must never show: the pilot's name and region (codes and names up
	// to the province) and the file names it uploaded.
	secret := []string{"杭州", "330100", "3301", "浙江", "领导小组.png", "规划.pdf", fmt.Sprintf("/review/submissions/%d", f.hz.ID)}
	var pages []*page
	seen := func(p *page) *page { pages = append(pages, p); return p }

	list := seen(f.expert.get("/expert").html(200))
	list.has(mine.Pseudonym, fmt.Sprintf(`href="/expert/reviews/%d"`, mine.ID), "草稿")
	local.get("/expert").html(200).lacks(mine.Pseudonym)
	form := fmt.Sprintf("/expert/reviews/%d", mine.ID)
	p := seen(f.expert.get(form).html(200))
	p.has("<title>专家评审："+mine.Pseudonym, mine.Pseudonym+"已成立智慧城市建设领导小组。", "盲评", "证据-",
		`name="score.1.1.1"`, `name="level.1.1.1"`, `name="comment.4.3.3"`, "已评 0 / 57 项")
	seen(f.expert.get(form+"?lang=en").html(200)).has("Expert review: "+mine.Pseudonym, "Blind review")
	for _, link := range regexpAll(p.body, `/expert/reviews/\d+/evidence/\d+`) {
		ev := seen(f.expert.get(link))
		if ev.status != 200 {
			t.Fatalf("%s: %d", link, ev.status)
		}
		ev.body = ev.header.Get("Content-Disposition") // the file's bytes may name the pilot: its name must not
		if !strings.Contains(ev.body, "%E8%AF%81%E6%8D%AE-") {
			t.Errorf("%s: Content-Disposition %q", link, ev.body)
		}
	}

	// A score that is not a number: named, and what was typed is kept.
	bad := f.expert.reviewPost(form, url.Values{"version": {"1"}, "score.1.1.1": {"七十"}, "comment.1.1.1": {"材料翔实"}})
	seen(bad)
	if bad.status != http.StatusUnprocessableEntity {
		t.Fatalf("a bad score: %d", bad.status)
	}
	bad.has("指标 1.1.1：“七十”不是数字。", "材料翔实", `value="七十"`)
	// A draft with a score, a level and a comment.
	f.expert.reviewPost(form, url.Values{"version": {"1"}, "score.1.1.1": {"72.5"}, "level.1.1.2": {"4"},
		"comment.1.1.1": {"材料翔实"}, "action": {"save"}}).reviewRedirect(form + "?done=saved")
	p = seen(f.expert.get(form + "?done=saved").html(200))
	p.has("草稿已保存。", `name="score.1.1.1" min="0" max="100" step="any" value="72.5"`, `<option value="4" selected>`, "材料翔实", "已评 2 / 57 项")
	v, _ := svc.GetReview(ctx, mine.ID)
	if len(v.Review.Scores) != 2 || *v.Review.Scores[1].Score != 75 {
		t.Fatalf("stored scores: %+v", v.Review.Scores)
	}
	// A save from a window opened before the draft: kept, not stored.
	stale := seen(f.expert.reviewPost(form, url.Values{"version": {"1"}, "score.1.1.1": {"55"}}))
	if stale.status != http.StatusConflict || versionIn(t, stale.body) != v.Review.Version {
		t.Fatalf("a stale save: %d, version %d", stale.status, versionIn(t, stale.body))
	}
	stale.has("此评审表已在别处保存", `value="55"`)
	// Submitting half a review: confirmation, then the missing indicators.
	version := strconv.Itoa(v.Review.Version)
	c := seen(f.expert.reviewPost(form, url.Values{"version": {version}, "score.1.1.1": {"72.5"}, "level.1.1.2": {"4"}, "action": {"submit"}}))
	c.html(200).has("确认提交评审", "已评 2 / 57 项", `action="`+form+`/submit"`)
	missing := seen(f.expert.reviewPost(form+"/submit", url.Values{"version": {strconv.Itoa(versionIn(t, c.body))}}))
	if missing.status != http.StatusUnprocessableEntity {
		t.Fatalf("incomplete submit: %d", missing.status)
	}
	missing.has("还有指标未评分：", "55 indicators have no score")

	// Every indicator scored, confirmed: submitted and locked.
	all := url.Values{"version": {strconv.Itoa(versionOf(t, svc, ctx, mine.ID))}, "action": {"submit"}}
	fw, _ := framework.Builtin("mohurd-2012")
	for _, leaf := range fw.Leaves() {
		all.Set("score."+leaf.Code, "70")
	}
	c = seen(f.expert.reviewPost(form, all)).html(200).has("已评 57 / 57 项")
	confirmed := url.Values{"version": {strconv.Itoa(versionIn(t, c.body))}}
	f.expert.reviewPost(form+"/submit", confirmed).reviewRedirect(form + "?done=submitted")
	// The confirmation pressed twice, and a save from a stale window.
	twice := seen(f.expert.reviewPost(form+"/submit", confirmed))
	if twice.status != http.StatusConflict || !strings.Contains(twice.body, "已提交，不能再修改。") {
		t.Errorf("a second submit: %d", twice.status)
	}
	late := seen(f.expert.reviewPost(form, url.Values{"version": {"1"}, "score.1.1.1": {"10"}}))
	if late.status != http.StatusConflict || !strings.Contains(late.body, "已提交，不能再修改。") || strings.Contains(late.body, `value="10"`) {
		t.Errorf("a save after the submit: %d", late.status)
	}
	seen(f.expert.get(form+"?done=submitted").html(200)).has("评审已提交。", "评审已提交，不能修改", "<fieldset class=\"rv-side rv-score\" disabled>").
		lacks(`value="submit"`)

	// Nothing unassigned: another expert's review, the submission itself.
	f.expert.get(fmt.Sprintf("/expert/reviews/%d", other.ID)).html(http.StatusNotFound)
	f.expert.get(fmt.Sprintf("/expert/reviews/%d/evidence/1", other.ID)).html(http.StatusNotFound)
	f.expert.get(fmt.Sprintf("/review/submissions/%d", f.hz.ID)).html(http.StatusForbidden)
	local.get(form).html(http.StatusNotFound)

	for _, p := range pages {
		for _, s := range secret {
			if strings.Contains(p.body, s) {
				i := strings.Index(p.body, s)
				t.Errorf("%s shows %q: …%s…", p.path, s, p.body[max(0, i-80):min(len(p.body), i+80)])
			}
		}
	}
}

// versionOf reads a review's version.
func versionOf(t *testing.T, svc *platform.Service, ctx context.Context, id int64) int {
	t.Helper()
	v, err := svc.GetReview(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return v.Review.Version
}

// regexpAll returns every match of expr in s.
func regexpAll(s, expr string) []string { return regexp.MustCompile(expr).FindAllString(s, -1) }
