package ui_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/sceval/sceval/platform"
)

// The queue: tabs counted under the filters, the province's own pilots
// only, the filters by type, batch, cycle and overdue, the navigation link
// for reviewers only.
func TestReviewQueue(t *testing.T) {
	f := newReviewFixture(t)
	hz := fmt.Sprintf(`href="/review/submissions/%d"`, f.hz.ID)
	nb := fmt.Sprintf(`href="/review/submissions/%d"`, f.nb.ID)
	nj := fmt.Sprintf(`href="/review/submissions/%d"`, f.nj.ID)

	// 浙江: 杭州 submitted (the default tab), 宁波 a draft; 南京 never.
	p := f.zhejiang.get("/review").html(200)
	p.has(`<a href="/review"`, "申报审核", hz, "杭州市", `class="rv-tab rv-tab-submitted">待初审 <span class="rv-count">1</span>`,
		`rv-tab-draft">草稿 <span class="rv-count">1</span>`, `rv-tab-forwarded">待复核 <span class="rv-count">0</span>`).
		lacks(nj, "南京市", nb, `name="province"`)
	f.zhejiang.get("/review?tab=draft").html(200).has(nb, "宁波市海曙区", "区（县）").lacks(hz)
	f.zhejiang.get("/review?tab=draft&type=city").html(200).lacks(nb).has("此栏目下没有申报")
	f.zhejiang.get("/review?tab=draft&batch=2014").html(200).has(nb)
	f.zhejiang.get("/review?tab=draft&batch=2013").html(200).lacks(nb)
	f.zhejiang.get(fmt.Sprintf("/review?tab=draft&cycle=%d", f.cycle.ID+1)).html(200).lacks(nb)
	// Asking for another province's pilots selects nothing.
	f.zhejiang.get("/review?province=32").html(200).lacks(nj, hz)

	// The ministry: every province, a province filter, forwarded by default.
	m := f.ministry.get("/review").html(200)
	m.has(`rv-tab-forwarded">待复核 <span class="rv-count">0</span>`, `aria-current="page" class="rv-tab rv-tab-forwarded"`,
		`rv-tab-submitted">待初审 <span class="rv-count">2</span>`, `<option value="33">浙江省</option>`)
	f.ministry.get("/review?tab=submitted").html(200).has(hz, nj)
	f.ministry.get("/review?tab=submitted&province=32").html(200).has(nj).lacks(hz)

	// Overdue: the cycle was due yesterday; the draft is overdue until the
	// ministry extends its pilot's due date.
	c, _ := f.e.svc.GetCycle(f.e.ctx, f.cycle.ID)
	due := "2025-01-01"
	at, _ := platform.ParseCycleDate("due_at", due, c.TimeZone, true)
	c.DueAt = &at
	if _, err := f.e.svc.UpdateCycle(f.e.ctx, c); err != nil {
		t.Fatal(err)
	}
	f.zhejiang.get("/review?tab=overdue").html(200).has(nb, `rv-tab-overdue">逾期 <span class="rv-count">1</span>`, "<td>2025-01-01 23:59</td>").lacks(hz)
	f.zhejiang.get("/review?tab=overdue&lang=en").html(200).has("Overdue", "District/county", "Submissions to review")

	// No link and no page for those who do not review.
	f.pilot.get("/").html(200).lacks(`href="/review"`, `href="/expert"`)
	for _, who := range []*env{f.pilot, f.expert} {
		who.get("/review").html(http.StatusForbidden).has("您的账户不能使用此页面").lacks(`href="/review"`)
	}
	f.expert.get("/expert").html(200).has(`href="/expert" aria-current="page"`, "我的评审任务")
	// An expert's overview (where the login leads) has no pilot list.
	f.expert.get("/").html(200).has(`href="/expert"`).lacks(`id="pilots"`)
	f.zhejiang.get("/").html(200).has(`href="/review"`).lacks(`href="/expert"`)
	client := *f.e.http.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := client.Get(f.e.http.URL + "/review?tab=draft")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?next=%2Freview%3Ftab%3Ddraft" {
		t.Errorf("anonymous: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	f.zhejiang.get("/review?type=village").html(200) // an unknown type is no filter
}

// A province reaches only its own province's submissions and evidence:
// another's answers 404, as if it did not exist.
func TestReviewScope(t *testing.T) {
	f := newReviewFixture(t)
	f.zhejiang.get(fmt.Sprintf("/review/submissions/%d", f.nj.ID)).html(http.StatusNotFound).lacks("南京市")
	f.jiangsu.get(fmt.Sprintf("/review/submissions/%d", f.nj.ID)).html(200).has("南京市")
	for _, e := range f.nj.Entries {
		for _, ev := range e.Evidence {
			f.zhejiang.get(fmt.Sprintf("/review/evidence/%d", ev.ID)).html(http.StatusNotFound)
		}
	}
	// A decision on another province's submission is refused the same way.
	confirm, _ := f.zhejiang.reviewDecide(f.nj, f.nj.Version, "forwarded", "", nil)
	if confirm.status != http.StatusNotFound {
		t.Errorf("forwarding another province's submission: %d", confirm.status)
	}
	if got, _ := f.e.svc.GetSubmission(f.e.ctx, f.nj.ID); got.State != platform.SubmissionSubmitted {
		t.Errorf("南京 is %s", got.State)
	}
	// The expert is not assigned to anything: no submission, no evidence.
	f.expert.get(fmt.Sprintf("/review/submissions/%d", f.hz.ID)).html(http.StatusForbidden).lacks("杭州市")
	// The review view is the reviewers': the pilot has its own pages.
	f.pilot.get(fmt.Sprintf("/review/submissions/%d", f.hz.ID)).html(http.StatusForbidden)
	f.expert.get("/expert/reviews/1").html(http.StatusNotFound)
}
