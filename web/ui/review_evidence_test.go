package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sceval/sceval/platform"
)

// Evidence is served inline for the page's previews (images, PDF) with a
// policy that runs nothing and lets only sceval's pages embed it, and as
// an attachment on ?download=1.
func TestReviewEvidencePreview(t *testing.T) {
	f := newReviewFixture(t)
	var png, pdf platform.Evidence
	for _, e := range f.hz.Entries {
		for _, ev := range e.Evidence {
			switch ev.ContentType {
			case platform.TypePNG:
				png = ev
			case platform.TypePDF:
				pdf = ev
			}
		}
	}
	if png.ID == 0 || pdf.ID == 0 {
		t.Fatalf("fixture evidence: %+v", f.hz.Entries)
	}
	for _, c := range []struct {
		ev          platform.Evidence
		query, disp string
	}{
		{png, "", "inline"}, {pdf, "", "inline"}, {pdf, "?download=1", "attachment"},
	} {
		p := f.zhejiang.get(fmt.Sprintf("/review/evidence/%d%s", c.ev.ID, c.query))
		if p.status != 200 || p.header.Get("Content-Type") != c.ev.ContentType {
			t.Fatalf("%s: %d %s", p.path, p.status, p.header.Get("Content-Type"))
		}
		wantName := "filename*=utf-8''" + url.PathEscape(c.ev.Filename)
		if cd := p.header.Get("Content-Disposition"); !strings.HasPrefix(cd, c.disp+";") || !strings.Contains(cd, wantName) {
			t.Errorf("%s: Content-Disposition %q, want %s with %s", p.path, cd, c.disp, wantName)
		}
		if csp := p.header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'self'") || !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("%s: CSP %q", p.path, csp)
		}
		if p.header.Get("X-Content-Type-Options") != "nosniff" || p.header.Get("X-Frame-Options") != "SAMEORIGIN" {
			t.Errorf("%s: headers %v", p.path, p.header)
		}
	}
	view := fmt.Sprintf("/review/submissions/%d", f.hz.ID)
	f.zhejiang.get(fmt.Sprintf("%s?preview=%d", view, pdf.ID)).html(200).
		has(fmt.Sprintf(`<object class="rv-pdf" data="/review/evidence/%d" type="application/pdf"`, pdf.ID))
	if body := f.zhejiang.get(fmt.Sprintf("/review/evidence/%d", png.ID)).body; body != pngBytes {
		t.Errorf("png content: %q", body)
	}
}

// The ministry grants the pilot of a submission a later due date from the
// review view: the reason is required, the date must be after the cycle's,
// and the page then shows the new date; a province may not extend.
func TestReviewExtension(t *testing.T) {
	f := newReviewFixture(t)
	c, _ := f.e.svc.GetCycle(f.e.ctx, f.cycle.ID)
	due, _ := platform.ParseCycleDate("due_at", "2025-01-01", c.TimeZone, true)
	c.DueAt = &due
	if _, err := f.e.svc.UpdateCycle(f.e.ctx, c); err != nil {
		t.Fatal(err)
	}
	view := fmt.Sprintf("/review/submissions/%d", f.nb.ID)
	path := view + "/extension"
	f.ministry.get(view).html(200).has("2025-01-01 23:59", "逾期", `action="`+path+`"`, `type="date" name="due"`)
	f.zhejiang.get(view).html(200).has("2025-01-01 23:59").lacks(`action="` + path + `"`)
	if p := f.zhejiang.reviewPost(path, url.Values{"due": {"2099-01-01"}, "reason": {"x"}}); p.status != http.StatusForbidden {
		t.Errorf("a province extends: %d", p.status)
	}

	p := f.ministry.reviewPost(path, url.Values{"due": {"2099-01-31"}, "reason": {" "}})
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("no reason: %d", p.status)
	}
	p.has("延期必须填写理由。", `value="2099-01-31"`)
	f.ministry.reviewPost(path, url.Values{"due": {"2024-12-01"}, "reason": {"暴雨"}}).has("延期日期有误：", "after the cycle&#39;s due date")
	f.ministry.reviewPost(path, url.Values{"due": {"31/01/2099"}, "reason": {"暴雨"}}).has("延期日期有误：")

	f.ministry.reviewPost(path, url.Values{"due": {"2099-01-31"}, "reason": {"暴雨"}}).reviewRedirect(view + "?done=extension")
	f.ministry.get(view+"?done=extension").html(200).has("已延期。", "2099-01-31 23:59", "已延期（暴雨）", "周期截止：2025-01-01 23:59").
		lacks(`<span class="state state-overdue">`)
	d, err := f.e.svc.GetSubmissionDeadline(f.e.ctx, f.nb.ID)
	if err != nil || d.Extension == nil || d.DueAt.In(time.UTC).Format(time.RFC3339) != "2099-01-31T15:59:59Z" {
		t.Fatalf("deadline: %+v, %v", d, err)
	}
}
