package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sceval/sceval/platform"
)

// submit clicks the submit button of the form sel and waits until the
// page shows text (the old page's content never matches: each step's
// expected text is new).
func submit(t *testing.T, ctx context.Context, form, text string) {
	t.Helper()
	run(t, ctx, "submit "+form, chromedp.Click(form+` button[type="submit"]`, chromedp.ByQuery), waitText(text))
}

// waitText waits until the document, loaded, shows text; evaluating while
// the browser navigates fails, and is tried again.
func waitText(text string) chromedp.Action {
	probe := fmt.Sprintf(`document.readyState === "complete" && document.body.innerText.includes(%q)`, text)
	return chromedp.ActionFunc(func(ctx context.Context) error {
		for {
			var ok bool
			if err := chromedp.Evaluate(probe, &ok).Do(ctx); err == nil && ok {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("waiting for %q: %w", text, ctx.Err())
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
}

// mustSee fails unless the page's text contains every string.
func mustSee(t *testing.T, ctx context.Context, want ...string) {
	t.Helper()
	text := Text(t, ctx)
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Fatalf("page lacks %q; text:\n%s", w, text)
		}
	}
}

// TestAdministrationInTheBrowser logs in through the form as an
// administrator, creates a user, creates and opens a cycle, imports pilots
// (a dry run showing an error, then a clean one applied), closes, computes
// and publishes the demo cycle and views the audit trail, in Chromium, with
// no request to another host and no console error.
func TestAdministrationInTheBrowser(t *testing.T) {
	s := Start(t)
	user, pw := s.NewUser(t, platform.NewUser{Username: "e2e-root", Role: platform.RoleAdmin})
	ctx := s.Browser(t)

	for _, lang := range []string{"en", "zh"} {
		s.Open(t, ctx, "/login?lang="+lang)
		Screenshot(t, ctx, "admin-login-"+lang)
	}
	run(t, ctx, "log in", chromedp.SendKeys("#username", user, chromedp.ByQuery), chromedp.SendKeys("#password", pw, chromedp.ByQuery))
	submit(t, ctx, `form[action="/login"]`, "您的角色可以使用以下管理页面")
	mustSee(t, ctx, "系统管理", "用户与角色", "评价周期", user)

	// A user, whose initial password must be changed.
	s.Open(t, ctx, "/admin/users")
	run(t, ctx, "user form", chromedp.SendKeys("#username", "e2e-ministry", chromedp.ByQuery),
		chromedp.SetValue("#role", "ministry", chromedp.ByQuery), chromedp.SendKeys("#password", "initial pass 123", chromedp.ByQuery))
	submit(t, ctx, `form[action="/admin/users"]`, "账户已创建")
	mustSee(t, ctx, "账户已创建", "e2e-ministry", "待改密码")
	// The row's forms swap the row in place (htmx): disable, then enable.
	submit(t, ctx, `#user-e2e-ministry form[action$="/disable"]`, "账户已停用")
	submit(t, ctx, `#user-e2e-ministry form[action$="/enable"]`, "账户已启用")
	var location string
	run(t, ctx, "location", chromedp.Location(&location))
	if !strings.HasSuffix(location, "/admin/users?done=admin.done.user_created") {
		t.Errorf("the row forms navigated (to %s) instead of swapping the row", location)
	}
	Screenshot(t, ctx, "admin-users-zh")
	if u, err := s.Svc.GetUserByName(s.Ctx, "e2e-ministry"); err != nil || u.Disabled {
		t.Fatalf("after disable and enable: %+v %v", u, err)
	}

	// A cycle, created with thresholds and a due date, then opened.
	s.Open(t, ctx, "/admin/cycles?lang=en")
	Screenshot(t, ctx, "admin-cycle-form-en")
	s.Open(t, ctx, "/admin/cycles?lang=zh")
	Screenshot(t, ctx, "admin-cycle-form-zh")
	run(t, ctx, "cycle form", chromedp.SendKeys("#name", "2026 年度监测（浏览器）", chromedp.ByQuery),
		chromedp.SetValue("#kind", "annual_monitoring", chromedp.ByQuery),
		chromedp.SetValue(`input[name="star1"]`, "60", chromedp.ByQuery), chromedp.SetValue(`input[name="star2"]`, "75", chromedp.ByQuery),
		chromedp.SetValue(`input[name="star3"]`, "90", chromedp.ByQuery), chromedp.SetValue("#due_at", "2026-11-30", chromedp.ByQuery))
	submit(t, ctx, `form[action="/admin/cycles"]`, "评价周期已创建")
	mustSee(t, ctx, "评价周期已创建", "2026-11-30", "★★★ ≥ 90")
	Screenshot(t, ctx, "admin-cycle-zh")
	run(t, ctx, "confirm open", chromedp.Click(`form#open input[name="confirm"]`, chromedp.ByQuery))
	submit(t, ctx, "form#open", "周期已开放填报")
	mustSee(t, ctx, "周期已开放填报")

	// Pilot import: a dry run that lists the file's problem, then a clean file.
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(bad, []byte("region_code,name,batch,type\n110105,朝阳区,2099,district\n110106,丰台区,2099,county\n"), 0o644)
	os.WriteFile(good, []byte("region_code,name,batch,type\n110105,朝阳区,2099,district\n110106,丰台区,2099,district\n"), 0o644)
	s.AllowConsole(ctx, "status of 422") // the refused dry run's page
	s.Open(t, ctx, "/admin/pilots/import")
	run(t, ctx, "choose bad file", chromedp.SetUploadFiles("#file", []string{bad}, chromedp.ByQuery))
	submit(t, ctx, `form[enctype="multipart/form-data"]`, "county")
	mustSee(t, ctx, "county")
	Screenshot(t, ctx, "admin-import-errors-zh")
	run(t, ctx, "choose good file", chromedp.SetUploadFiles("#file", []string{good}, chromedp.ByQuery))
	submit(t, ctx, `form[enctype="multipart/form-data"]`, "将创建 2 个试点")
	mustSee(t, ctx, "检查通过", "将创建 2 个试点")
	submit(t, ctx, ".dry-run form", "已从 good.csv 导入 2 个试点")
	mustSee(t, ctx, "导入 2 个试点")

	// The demo cycle: close, compute, publish (submissions still await a
	// decision: publish anyway, with a reason).
	cycle := fmt.Sprintf("/admin/cycles/%d", s.Demo.CycleID)
	s.Open(t, ctx, cycle)
	run(t, ctx, "confirm close", chromedp.Click(`form#close input[name="confirm"]`, chromedp.ByQuery))
	submit(t, ctx, "form#close", "周期已截止")
	run(t, ctx, "confirm compute", chromedp.Click(`form#compute input[name="confirm"]`, chromedp.ByQuery))
	submit(t, ctx, "form#compute", "结果已计算")
	run(t, ctx, "publish anyway", chromedp.Click(`form#publish input[name="confirm"]`, chromedp.ByQuery),
		chromedp.Click(`form#publish input[name="override"]`, chromedp.ByQuery),
		chromedp.SendKeys(`form#publish input[name="reason"]`, "按期发布", chromedp.ByQuery))
	submit(t, ctx, "form#publish", "结果已发布")
	mustSee(t, ctx, "结果已发布", "已发布", "按期发布")
	c, err := s.Svc.GetCycle(s.Ctx, s.Demo.CycleID)
	if err != nil || c.State != platform.CyclePublished {
		t.Fatalf("demo cycle after publishing: %s %v", c.State, err)
	}

	// The audit trail shows what was just done.
	for _, lang := range []string{"en", "zh"} {
		s.Open(t, ctx, "/admin/audit?action=cycle.transition.published&verify=1&lang="+lang)
		Screenshot(t, ctx, "admin-audit-"+lang)
	}
	mustSee(t, ctx, "cycle.transition.published", "校验通过", user)
}

// TestAPIReferenceInTheBrowser opens the API reference anonymously in both
// languages at desktop and phone width: it loads from the server alone
// with no console error, and only its tables may be wider than a phone.
func TestAPIReferenceInTheBrowser(t *testing.T) {
	s := Start(t)
	for _, width := range []int64{1280, 375} {
		ctx := s.Browser(t, Size(width, 900))
		for _, lang := range []string{"zh", "en"} {
			s.Open(t, ctx, "/api/docs?lang="+lang)
			text := Text(t, ctx)
			if !strings.Contains(text, "/api/v1/auth/login") || strings.Contains(text, "⟦") {
				t.Fatalf("API reference (%s): %.300s", lang, text)
			}
			if width == 375 {
				if over := HorizontalOverflow(t, ctx); len(over) > 0 {
					t.Errorf("API reference (%s) at 375 px sticks out: %v", lang, over)
				}
				s.Open(t, ctx, "/login?lang="+lang)
				if over := HorizontalOverflow(t, ctx); len(over) > 0 {
					t.Errorf("login (%s) at 375 px sticks out: %v", lang, over)
				}
				Screenshot(t, ctx, "admin-login-375-"+lang)
				continue
			}
			viewportShot(t, ctx, "admin-api-"+lang)
		}
	}
}

// viewportShot saves what the window shows (the reference page is too
// long for a full-page image anyone would look at) next to Screenshot's.
func viewportShot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	var png []byte
	run(t, ctx, "screenshot "+name, chromedp.CaptureScreenshot(&png))
	dir := os.Getenv("SCEVAL_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "sceval-screenshots")
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	t.Logf("screenshot: %s", path)
}

// TestAdministrationPagesFitAPhone opens every administration and account
// page at 375 px in both languages: nothing but a table sticks out, no
// message key is missing.
func TestAdministrationPagesFitAPhone(t *testing.T) {
	s := Start(t)
	user, pw := s.NewUser(t, platform.NewUser{Username: "e2e-phone", Role: platform.RoleAdmin})
	ctx := s.Browser(t, Size(375, 812))
	s.Login(t, ctx, user, pw)
	paths := []string{"/admin", "/admin/users", "/admin/frameworks", "/admin/cycles", fmt.Sprintf("/admin/cycles/%d", s.Demo.CycleID),
		"/admin/pilots/import", "/admin/experts", "/admin/audit", "/account/tokens", "/account/password"}
	for _, lang := range []string{"zh", "en"} {
		for _, p := range paths {
			s.Open(t, ctx, p+"?lang="+lang)
			if text := Text(t, ctx); strings.Contains(text, "⟦") {
				t.Errorf("%s (%s): a message is missing: %q", p, lang, text[strings.Index(text, "⟦"):][:40])
			}
			if over := HorizontalOverflow(t, ctx); len(over) > 0 {
				t.Errorf("%s (%s) at 375 px sticks out: %v", p, lang, over)
			}
		}
	}
	s.Open(t, ctx, "/admin/cycles?lang=zh")
	Screenshot(t, ctx, "admin-cycle-form-375-zh")
}
