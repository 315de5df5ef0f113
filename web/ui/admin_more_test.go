package ui_test

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
)

func TestAdminPilotImportDryRunThenApply(t *testing.T) {
	e := newEnv(t, false)
	b := adminBrowser(t, e)
	b.get("/admin/pilots/import").html(200).has(`enctype="multipart/form-data"`, "检查文件（试运行）")
	bad := "region_code,name,batch,type\n" +
		"110105,朝阳区,2013,district\n" + // 2: fine
		"110105,朝阳区,2013,city\n" + // 3: repeats line 2
		"110106,丰台区,2013,district\n" + // 4: fine
		"110107,石景山区,2013,county\n" // 5: unknown type
	p := b.upload("/admin/pilots/import", "file", "试点.csv", []byte(bad)).html(http.StatusUnprocessableEntity)
	p.has("文件有 2 处问题，未保存任何数据", `<span class="line">3</span> <code>region_code</code>`,
		`<span class="line">5</span> <code>type</code> pilot type &#34;county&#34; is not one of`).lacks(`name="staged"`)
	if _, n, _ := e.svc.ListPilots(e.ctx, platform.PilotFilter{Limit: 1}); n != 0 {
		t.Fatalf("a refused dry run stored %d pilots", n)
	}
	good := "region_code,name,batch,type\n110105,朝阳区,2013,district\n3205,苏州,2013,city\n"
	dry := b.upload("/admin/pilots/import", "file", "试点.csv", []byte(good)).html(200)
	dry.has("检查通过", "将创建 2 个试点", "导入这 2 个试点")
	if _, n, _ := e.svc.ListPilots(e.ctx, platform.PilotFilter{Limit: 1}); n != 0 {
		t.Fatalf("the dry run stored %d pilots", n)
	}
	key := regexp.MustCompile(`name="staged" value="([0-9a-f]+)"`).FindStringSubmatch(dry.body)
	if key == nil {
		t.Fatal("no staged file")
	}
	b.post("/admin/pilots/import", "staged", key[1]).html(http.StatusCreated).has("已从 试点.csv 导入 2 个试点")
	if _, n, _ := e.svc.ListPilots(e.ctx, platform.PilotFilter{Limit: 10}); n != 2 {
		t.Fatalf("imported %d pilots, want 2", n)
	}
	// A staged file is applied once.
	b.post("/admin/pilots/import", "staged", key[1]).html(http.StatusConflict).fieldError("file", "已过期")
}

func TestAdminExpertsForm(t *testing.T) {
	e := newEnv(t, false)
	b := adminBrowser(t, e)
	b.get("/admin/experts").html(200).has("添加专家")
	b.post("/admin/experts", "name", "王专家", "province_code", "320", "conflict_provinces", "33").
		html(http.StatusUnprocessableEntity).fieldError("province_code", "320").has(`value="王专家"`)
	b.post("/admin/experts", "name", "王专家", "province_code", "32", "organisation", "东南大学", "conflict_pilots", "x").
		html(http.StatusUnprocessableEntity).fieldError("conflict_pilots", "“x”不是有效编号")
	b.post("/admin/experts", "name", "王专家", "province_code", "32", "organisation", "东南大学", "conflict_provinces", "33，34").
		redirects("/admin/experts?done=admin.done.expert_created")
	list, _, err := e.svc.ListExperts(e.ctx, platform.ExpertFilter{})
	if err != nil || len(list) != 1 || strings.Join(list[0].ConflictProvinces, ",") != "33,34" || !list[0].Active {
		t.Fatalf("experts: %+v %v", list, err)
	}
	id := list[0].ID
	b.get("/admin/experts").html(200).has("王专家", `value="33, 34"`)
	path := "/admin/experts/" + itoa(id)
	b.post(path, "version", "1", "name", "王专家", "province_code", "32", "conflict_provinces", "3").
		html(http.StatusUnprocessableEntity).has("conflict province &#34;3&#34; is not a 2-digit province code")
	b.post(path, "version", "1", "name", "王专家", "province_code", "32", "conflict_provinces", "33").
		redirects("/admin/experts?done=admin.done.expert_saved#expert-" + itoa(id))
	if x, _ := e.svc.GetExpert(e.ctx, id); x.Active || len(x.ConflictProvinces) != 1 {
		t.Fatalf("updated: %+v", x)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestAdminAuditViewer(t *testing.T) {
	e := newEnv(t, true)
	b := adminBrowser(t, e)
	all := b.get("/admin/audit").html(200)
	all.has("审计日志", "Asia/Shanghai", "校验全部哈希链", "下一页")
	// Times are shown in the deployment's zone (CST, UTC+8), never UTC.
	if !regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d CST`).MatchString(all.body) {
		t.Error("no time in CST")
	}
	f := b.get("/admin/audit?action=account.create").html(200)
	rows := strings.Count(f.body, "<code>account.create</code>")
	if _, n, _ := e.svc.ListAudit(e.ctx, platform.AuditFilter{Action: "account.create", Limit: 100}); rows != n || n == 0 {
		t.Fatalf("action filter: %d rows on the page, %d in the trail", rows, n)
	}
	f.lacks("<code>cycle.create</code>")
	b.get("/admin/audit?actor=nobody-at-all").html(200).has("没有符合条件的记录")
	b.get("/admin/audit?from=2030-01-02&to=2030-01-01").html(http.StatusUnprocessableEntity).fieldError("to", "is not before")
	b.get("/admin/audit?from=yesterday").html(http.StatusUnprocessableEntity).fieldError("from", "“yesterday”不是日期")
	b.get("/admin/audit?to=2000-01-01").html(200).has("没有符合条件的记录")
	b.get("/admin/audit?verify=1&action=account.create").html(200).has("校验通过", "哈希链完整", "链头摘要", "<code>account.create</code>")
}

func TestAPIReferencePage(t *testing.T) {
	e := newEnv(t, false)
	p := e.anonymous().get("/api/docs").html(200)
	p.has("API 参考", "accounts", `<span class="method method-POST">POST</span> <code>/api/v1/auth/login</code>`,
		"Log in (opens a session)", `id="model-LoginRequest"`, `<a href="#model-LoginRequest"><code>LoginRequest (application/json)</code></a>`, "/api/v1/openapi.json").lacks("<script>", "style=")
	e.anonymous().get("/api/docs?lang=en").html(200).has("API reference", "Parameters", "Responses")
	e.anonymous().get("/").html(200).has(`href="/api/docs"`).lacks(`href="/api/v1/openapi.json"`)
}
