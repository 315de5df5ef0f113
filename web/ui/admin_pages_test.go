package ui_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
)

// adminBrowser is a browser logged in as the environment's administrator.
func adminBrowser(t *testing.T, e *env) *browser {
	t.Helper()
	b := e.browser()
	b.login("ui-admin", testPassword).redirects("/admin")
	return b
}

var secretPattern = regexp.MustCompile(`sceval_[A-Za-z0-9_-]{20,}`)

func TestTokensAreShownOnce(t *testing.T) {
	e := newEnv(t, false)
	b := adminBrowser(t, e)
	b.post("/account/tokens", "name", "").html(http.StatusUnprocessableEntity).fieldError("name", "令牌名称须为 1–100 个字符")
	b.post("/account/tokens", "name", "脚本", "expires_in_days", "999").html(http.StatusUnprocessableEntity).
		fieldError("expires_in_days", "令牌有效期须在 1 分钟到")
	created := b.post("/account/tokens", "name", "导入脚本", "expires_in_days", "30").html(http.StatusCreated)
	created.has("导入脚本", "只显示这一次")
	secret := secretPattern.FindString(created.body)
	if secret == "" {
		t.Fatalf("no secret on the page:\n%s", created.body)
	}
	if cc := created.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	list := b.get("/account/tokens").html(200).has("导入脚本", "有效").lacks(secret)
	// The secret works as a bearer token.
	api := *e
	api.auth = "Bearer " + secret
	if p := api.get("/api/v1/me"); p.status != 200 || !strings.Contains(p.body, `"ui-admin"`) {
		t.Fatalf("token use: %d %s", p.status, p.body)
	}
	id := regexp.MustCompile(`/account/tokens/(\d+)/revoke`).FindAllStringSubmatch(list.body, -1)
	if len(id) == 0 {
		t.Fatal("no revoke form")
	}
	b.post("/account/tokens/" + id[0][1] + "/revoke").redirects("/account/tokens?done=admin.done.token_revoked")
	b.get("/account/tokens?done=admin.done.token_revoked").html(200).has("令牌已撤销", "已撤销")
	if p := api.get("/api/v1/me"); p.status != http.StatusUnauthorized {
		t.Fatalf("revoked token: %d", p.status)
	}
}

func TestAdminUsersForm(t *testing.T) {
	e := newEnv(t, true)
	b := adminBrowser(t, e)
	b.get("/admin/users").html(200).has("新建账户", "ui-admin", "系统管理员")
	b.post("/admin/users", "username", "sx", "role", "province", "province", "", "password", "initial pass 123").
		html(http.StatusUnprocessableEntity).fieldError("province", "province 角色须绑定两位省级代码").has(`value="sx"`)
	b.post("/admin/users", "username", "sx", "role", "province", "province", "14", "password", "short").
		html(http.StatusUnprocessableEntity).fieldError("password", "密码至少需要 10 个字符")
	b.post("/admin/users", "username", "sx", "role", "province", "province", "14", "password", "initial pass 123").
		redirects("/admin/users?done=admin.done.user_created")
	u, err := e.svc.GetUserByName(e.ctx, "sx")
	if err != nil || u.Role != platform.RoleProvince || u.Province != "14" || !u.MustChangePassword {
		t.Fatalf("created: %+v %v", u, err)
	}
	b.post("/admin/users/sx/disable").redirects("/admin/users?done=admin.done.user_disabled#user-sx")
	if u, _ = e.svc.GetUserByName(e.ctx, "sx"); !u.Disabled {
		t.Fatal("not disabled")
	}
	b.post("/admin/users/sx/enable").redirects("/admin/users?done=admin.done.user_enabled#user-sx")
	row := b.post("/admin/users/sx/password", "password", "sx").html(http.StatusUnprocessableEntity).section(`id="user-sx"`, "</tr>")
	if !strings.Contains(row, "密码至少需要 10 个字符") {
		t.Errorf("reset refusal not in the row:\n%s", row)
	}
	row = b.post("/admin/users/sx/role", "role", "pilot", "province", "", "pilot_id", "999999").
		html(http.StatusUnprocessableEntity).section(`id="user-sx"`, "</tr>")
	if !strings.Contains(row, "试点 999999 不存在") {
		t.Errorf("role refusal not in the row:\n%s", row)
	}
	b.post("/admin/users/sx/role", "role", "ministry", "province", "", "pilot_id", "").
		redirects("/admin/users?done=admin.done.user_role#user-sx")
	if u, _ = e.svc.GetUserByName(e.ctx, "sx"); u.Role != platform.RoleMinistry {
		t.Fatalf("role: %+v", u)
	}
	b.post("/admin/users/nobody/disable").html(http.StatusNotFound)

	// With htmx, a row form answers with its row only: the refusal or the
	// notice in the row, status 200 so that htmx swaps it in.
	frag := b.postHX("/admin/users/sx/password", "password", "sx")
	if frag.status != 200 || !strings.HasPrefix(frag.body, `<tr id="user-sx">`) || strings.Contains(frag.body, "<html") ||
		!strings.Contains(frag.body, "密码至少需要 10 个字符") {
		t.Fatalf("htmx refusal: %d\n%s", frag.status, frag.body)
	}
	frag = b.postHX("/admin/users/sx/disable")
	if frag.status != 200 || !strings.HasPrefix(frag.body, `<tr id="user-sx">`) || !strings.Contains(frag.body, "账户已停用") ||
		!strings.Contains(frag.body, `/admin/users/sx/enable"`) {
		t.Fatalf("htmx disable: %d\n%s", frag.status, frag.body)
	}
}

func TestNonAdminsSeeNoAdministration(t *testing.T) {
	e := newEnv(t, true)
	pilots, _, err := e.svc.ListPilots(e.ctx, platform.PilotFilter{Limit: 1})
	if err != nil || len(pilots) == 0 {
		t.Fatalf("pilots: %v", err)
	}
	e.newAccount(platform.NewUser{Username: "city", Role: platform.RolePilot, PilotID: pilots[0].ID, Password: testPassword})
	e.newAccount(platform.NewUser{Username: "judge", Role: platform.RoleExpert, Password: testPassword})
	e.newAccount(platform.NewUser{Username: "mina", Role: platform.RoleMinistry, Password: testPassword})
	for _, user := range []string{"city", "judge"} {
		b := e.browser()
		b.login(user, testPassword)
		b.get("/account/tokens").html(200).lacks(`href="/admin"`, "管理</a>") // the layout's navigation
		for _, path := range []string{"/admin", "/admin/users", "/admin/cycles", "/admin/audit", "/admin/pilots/import", "/admin/experts", "/admin/frameworks"} {
			b.get(path).html(http.StatusForbidden).has("无权访问")
		}
		b.post("/admin/users", "username", "x", "role", "admin", "password", "long enough pass").html(http.StatusForbidden)
		b.post("/admin/cycles/1/open", "version", "1", "confirm", "yes").html(http.StatusForbidden)
	}
	m := e.browser()
	m.login("mina", testPassword)
	m.get("/").html(200).has(`href="/admin"`)
	m.get("/admin/users").html(http.StatusForbidden)
	m.get("/admin/cycles").html(200)
	anon := e.browser()
	anon.get("/admin/users").redirects("/login?next=%2Fadmin%2Fusers")
	anon.get("/").html(200).lacks(`href="/admin"`)
}

func TestAdminFrameworkUploadShowsEveryErrorWithItsLine(t *testing.T) {
	e := newEnv(t, false)
	b := adminBrowser(t, e)
	b.get("/admin/frameworks").html(200).has("mohurd-2012", "内置")
	bad := "id: x\nversion: \"1\"\nname: 坏\nindicators:\n  - code: A\n    name: 甲\n    kind: survey\n  - code: A\n    name: 乙\n    kind: expert\n    weight: -1\n"
	p := b.upload("/admin/frameworks", "file", "bad.yaml", []byte(bad)).html(http.StatusUnprocessableEntity)
	p.has("指标体系文件有错误", "bad.yaml:7:11", "bad.yaml:8:11", "bad.yaml:11:13", `&#34;survey&#34; is not a kind`)
	good := "id: js-2025\nversion: \"1\"\nname: {zh: 江苏省智慧城市评价, en: Jiangsu}\nindicators:\n  - code: G\n    name: 治理\n    kind: rubric\n    rubric: [{label: 差, score: 0}, {label: 好, score: 100}]\n"
	b.upload("/admin/frameworks", "file", "js.yaml", []byte(good)).html(http.StatusCreated).has("已发布 js-2025 版本 1", "江苏省智慧城市评价")
	b.upload("/admin/frameworks?lang=en", "file", "js.yaml", []byte(strings.Replace(good, "差", "坏", 1))).
		html(http.StatusConflict).has("That version exists:", "publish your file as a new version")
}

// cycleID returns the id of the cycle page a redirect leads to.
func cycleID(t *testing.T, p *page) string {
	t.Helper()
	m := regexp.MustCompile(`^/admin/cycles/(\d+)\?`).FindStringSubmatch(p.header.Get("Location"))
	if m == nil {
		t.Fatalf("not a cycle page: %d %q\n%s", p.status, p.header.Get("Location"), p.body)
	}
	return m[1]
}

func TestAdminCycleFormAndTransitions(t *testing.T) {
	e := newEnv(t, false)
	b := adminBrowser(t, e)
	b.get("/admin/cycles").html(200).has("新建周期", "mohurd-2012", `name="star1"`)
	form := []string{"name", "2026 年度监测", "kind", "annual_monitoring", "year", "2026", "framework", "mohurd-2012",
		"star1", "60", "star2", "50", "star3", "", "opens_at", "2026-03-01", "due_at", "2026-11-30", "time_zone", "Asia/Shanghai"}
	b.post("/admin/cycles", form...).html(http.StatusUnprocessableEntity).
		fieldError("star3", "star thresholds must increase").has(`value="2026 年度监测"`)
	form[11] = "75"
	form[15] = "2026-13-01"
	b.post("/admin/cycles", form...).html(http.StatusUnprocessableEntity).fieldError("opens_at", "2026-13-01")
	form[15] = "2026-03-01"
	bad := append([]string(nil), form...)
	bad[5] = "1999"
	b.post("/admin/cycles", bad...).html(http.StatusUnprocessableEntity).fieldError("year", "1999")
	id := cycleID(t, b.post("/admin/cycles", form...))
	page := b.get("/admin/cycles/" + id + "?done=admin.done.cycle_created").html(200)
	page.has("2026 年度监测", "草稿", "评价周期已创建", "2026-11-30", "★☆☆ ≥ 60", "★★☆ ≥ 75", `action="/admin/cycles/`+id+`/open"`).
		lacks(`/publish"`)
	// Dates and thresholds change through the cycle's merge patch.
	b.post("/admin/cycles/"+id+"/dates", "version", "1", "opens_at", "2026-03-01", "due_at", "2026-02-01").
		html(http.StatusUnprocessableEntity).fieldError("due_at", "before its opening")
	b.post("/admin/cycles/"+id+"/dates", "version", "1", "opens_at", "2026-03-01", "due_at", "2026-12-15", "star1", "60", "star2", "75", "star3", "90").
		redirects("/admin/cycles/" + id + "?done=admin.done.cycle_dates#dates")
	b.get("/admin/cycles/"+id).html(200).has("2026-12-15", "★★★ ≥ 90", `name="due_at" type="date" value="2026-12-15"`)
	// Without the confirmation box the transition is refused next to it.
	b.post("/admin/cycles/"+id+"/open", "version", "2").html(http.StatusUnprocessableEntity).fieldError("confirm", "请勾选确认框")
	b.post("/admin/cycles/"+id+"/open", "version", "2", "confirm", "yes").redirects("/admin/cycles/" + id + "?done=admin.done.cycle_open#open")
	// A stale form (version 2 again) is refused with the service's reason.
	b.post("/admin/cycles/"+id+"/open", "version", "2", "confirm", "yes").html(http.StatusConflict).has("此对象已被他人修改")
	b.get("/admin/cycles/"+id).html(200).has("开放填报", `/close"`)
	b.post("/admin/cycles/"+id+"/close", "version", "3", "confirm", "yes").redirects("/admin/cycles/" + id + "?done=admin.done.cycle_close#close")
	b.post("/admin/cycles/"+id+"/compute", "confirm", "yes").html(http.StatusConflict).has("没有已接受的申报")
	b.post("/admin/cycles/"+id+"/publish?lang=en", "version", "4", "confirm", "yes").html(http.StatusConflict).
		has("Compute the results from the current accepted submissions before publishing")
	c, err := e.svc.GetCycle(e.ctx, mustInt(t, id))
	if err != nil || c.State != platform.CycleClosed || c.DueAt == nil || c.StarThresholds[2].Min != 90 {
		t.Fatalf("cycle: %+v %v", c, err)
	}
}

func mustInt(t *testing.T, s string) int64 {
	t.Helper()
	var n int64
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAdminCloseComputePublishRetractTheDemoCycle(t *testing.T) {
	e := newEnv(t, true)
	b := adminBrowser(t, e)
	id := fmt.Sprint(e.demo.CycleID)
	version := func() string {
		c, err := e.svc.GetCycle(e.ctx, e.demo.CycleID)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(c.Version)
	}
	b.post("/admin/cycles/"+id+"/close", "version", version(), "confirm", "yes").redirects("/admin/cycles/" + id + "?done=admin.done.cycle_close#close")
	b.post("/admin/cycles/"+id+"/compute", "confirm", "yes").redirects("/admin/cycles/" + id + "?done=admin.done.cycle_compute#compute")
	b.get("/admin/cycles/"+id).html(200).has("已计算", `/publish"`, "仍然发布")
	p := b.post("/admin/cycles/"+id+"/publish", "version", version(), "confirm", "yes").html(http.StatusConflict)
	p.has("仍有申报等待审核决定")
	b.post("/admin/cycles/"+id+"/publish", "version", version(), "confirm", "yes", "override", "yes", "reason", "按期发布").
		redirects("/admin/cycles/" + id + "?done=admin.done.cycle_publish#publish")
	b.post("/admin/cycles/"+id+"/retract", "version", version(), "confirm", "yes").
		html(http.StatusUnprocessableEntity).fieldError("reason", "reason")
	b.post("/admin/cycles/"+id+"/retract", "version", version(), "confirm", "yes", "reason", "更正数据").
		redirects("/admin/cycles/" + id + "?done=admin.done.cycle_retract#retract")
	b.get("/admin/cycles/"+id).html(200).has("决定记录", "更正数据", "按期发布", "强制发布", "撤回发布")
	c, _ := e.svc.GetCycle(e.ctx, e.demo.CycleID)
	if c.State != platform.CycleClosed {
		t.Fatalf("state %s", c.State)
	}
}
