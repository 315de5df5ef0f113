package ui_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sceval/sceval/demo"
	"github.com/sceval/sceval/platform"
)

// The review pages on the demo: the ministry's tabs count what the demo
// created, and a demo expert's pages — the list and every review of the
// blind round — name none of the demo's pilots.
func TestReviewPagesOnTheDemo(t *testing.T) {
	e := newEnv(t, true)
	f := &reviewFixture{e: e}
	ministry := f.account("demo-ministry", platform.NewUser{Role: platform.RoleMinistry})
	for st, n := range e.demo.Submissions {
		ministry.get(fmt.Sprintf("/review?tab=%s&cycle=%d", st, e.demo.CycleID)).html(200).
			has(fmt.Sprintf(`rv-tab-%s">%s <span class="rv-count">%d</span>`, st, ministry.reviewTabLabel(st), n))
	}
	ministry.get("/review?tab=overdue").html(200)

	expert := f.account("demo-expert-1", platform.NewUser{Role: platform.RoleExpert})
	list := expert.get("/expert").html(200)
	links := regexpAll(list.body, `/expert/reviews/\d+`)
	if len(links) == 0 {
		t.Fatal("demo-expert-1 has no review")
	}
	// The demo's expert works in two rounds: the final acceptance (open, so
	// pilots are named) and the 2017 blind round. No page of the blind
	// round names any demo pilot or its region code.
	blind := 0
	for _, l := range links {
		p := expert.get(l).html(200)
		if !strings.Contains(p.body, "盲评") {
			continue
		}
		blind++
		for _, dp := range demo.FirstBatch() {
			if strings.Contains(p.body, dp.Name) || strings.Contains(p.body, dp.RegionCode) {
				t.Errorf("%s (blind) names the demo pilot %s (%s)", p.path, dp.Name, dp.RegionCode)
			}
		}
	}
	if blind == 0 {
		t.Error("demo-expert-1 has no blind review in the demo")
	}
}

// reviewTabLabel is the tab label of state st in Chinese.
func (e *env) reviewTabLabel(st platform.SubmissionState) string {
	return map[platform.SubmissionState]string{"submitted": "待初审", "forwarded": "待复核", "returned": "已退回",
		"accepted": "已通过", "draft": "草稿"}[st]
}
