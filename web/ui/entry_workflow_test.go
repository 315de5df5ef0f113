package ui_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
)

// A save based on an old version shows the other change (value, who) and
// keeps the user's input; "keep mine" saves it over the other, "take
// theirs" shows the stored entry. With htmx the conflict is in the status.
func TestEntryConflictKeepsTheInput(t *testing.T) {
	f := newEntryFixture(t)
	alice := f.user("alice", platform.RolePilot, "", f.pilot.ID)
	bob := f.user("bob", platform.RolePilot, "", f.pilot.ID)
	path := fmt.Sprintf("/entry/submissions/%d/entries/1.2.1", f.sub.ID)
	alice.post(path, url.Values{"value": {"40"}, "version": {"0"}}).redirect(fmt.Sprintf("/entry/submissions/%d?saved=1.2.1#ind-1_2_1", f.sub.ID))
	bob.post(path, url.Values{"value": {"60"}, "narrative": {"按 2024 年统计"}, "version": {"1"}}).redirect(fmt.Sprintf("/entry/submissions/%d?saved=1.2.1#ind-1_2_1", f.sub.ID))
	// Alice still has version 1 in her form.
	p := alice.post(path, url.Values{"value": {"70"}, "narrative": {"我的说明"}, "version": {"1"}}).html(409)
	item := p.indicator("1_2_1")
	for _, want := range []string{"此项已被他人修改", "bob 于 ", "数值 60%", "说明“按 2024 年统计”",
		`name="value" value="70"`, "我的说明", `name="version" value="1"`, `name="base" value="2"`,
		`name="resolve" value="mine"`, `name="resolve" value="theirs"`} {
		if !strings.Contains(item, want) {
			t.Errorf("conflict: 1.2.1 lacks %q", want)
		}
	}
	if e := entryOf(t, f, "1.2.1"); *e.Value != 60 || e.Version != 2 {
		t.Fatalf("the conflict changed the entry: %+v", e)
	}
	// htmx: the same in the status region; the fields are not swapped.
	alice.post(path, url.Values{"value": {"70"}, "version": {"1"}}, htmx...).fragment().
		has(`role="alert"`, "bob 于 ", "数值 60%", `name="base" value="2"`).lacks(`name="value"`)
	// An autosave while the form shows this very conflict swaps nothing
	// (the conflict's buttons stay where the user is about to click).
	if p := alice.post(path, url.Values{"value": {"71"}, "version": {"1"}, "base": {"2"}}, htmx...); p.status != 204 || p.header.Get("HX-Reswap") != "none" {
		t.Errorf("autosave during the conflict: %d %q", p.status, p.header.Get("HX-Reswap"))
	}
	// Take theirs: nothing saved, the stored entry in the form.
	alice.post(path, url.Values{"value": {"70"}, "version": {"1"}, "base": {"2"}, "resolve": {"theirs"}}, htmx...).fragment().
		has(`<form class="entry-fields"`, `name="value" value="60"`, `name="version" value="2"`).lacks("此项已被他人修改")
	// Keep mine: saved over version 2.
	alice.post(path, url.Values{"value": {"70"}, "narrative": {"我的说明"}, "version": {"1"}, "base": {"2"}, "resolve": {"mine"}}).
		redirect(fmt.Sprintf("/entry/submissions/%d?saved=1.2.1#ind-1_2_1", f.sub.ID))
	if e := entryOf(t, f, "1.2.1"); *e.Value != 70 || e.Version != 3 || e.Narrative != "我的说明" || e.UpdatedBy != "alice" {
		t.Errorf("keep mine: %+v", e)
	}
}

// The submit confirmation lists every missing indicator and refuses below
// the cycle's minimum; complete, the pilot submits and the form turns
// read-only. The province returns it with a comment on one indicator: the
// reason and comment show at the top and next to the indicator, the form is
// editable again, and the pilot resubmits.
func TestEntrySubmitAndReturn(t *testing.T) {
	f := newEntryFixture(t)
	pilot := f.user("suzhou", platform.RolePilot, "", f.pilot.ID)
	base := fmt.Sprintf("/entry/submissions/%d", f.sub.ID)
	pilot.post(base+"/entries/1.1.1", url.Values{"level": {"2"}, "version": {"0"}})
	p := pilot.get(base + "/submit").html(200)
	p.has("尚有 56 项未填", `href="/entry/submissions/`+fmt.Sprint(f.sub.ID)+`#ind-1_1_2"><span class="code">1.1.2</span> 组织机构`, "完成度未达到本周期要求的 100%").
		has(`2.2.6</span> 供热系统</a> <span class="note">（本周期允许标记为不适用）</span>`).
		lacks(`action="`+base+`/submit"`, `<span class="code">1.1.1</span> 智慧城市`)
	// A submit anyway (an old page) is refused with the reason.
	pilot.post(base+"/submit", url.Values{"version": {"1"}}).html(409).has("完成度未达到本周期的要求")
	fillAll(t, f, "suzhou")
	pilot.get(base+"/submit").html(200).has("全部指标均已填报", `action="`+base+`/submit"`, "确认提交")
	sub, _ := f.svc.GetSubmission(f.ctx, f.sub.ID)
	pilot.post(base+"/submit", url.Values{"version": {fmt.Sprint(sub.Version)}}).redirect(base + "?submitted=1")
	pilot.get(base+"?submitted=1").html(200).has("已提交，等待省级主管部门初审", "state-submitted", "此填报当前不可修改").
		lacks(`<form class="entry-fields"`, `class="upload"`)
	// A save now is refused.
	pilot.post(base+"/entries/1.1.1", url.Values{"level": {"3"}, "version": {"1"}}).html(409).has("此填报已提交或已通过审核，不能修改")

	province := f.user("jiangsu", platform.RoleProvince, "32", 0)
	sub, _ = f.svc.GetSubmission(f.ctx, f.sub.ID)
	pctx := platform.WithIdentity(f.ctx, platform.Identity{User: "jiangsu", Roles: []string{"province"}, Province: "32"})
	if _, err := f.svc.ReviewSubmission(f.svc.Bind(pctx, platform.IdentityFrom(pctx)), f.sub.ID, platform.TransitionRequest{Version: sub.Version,
		To: platform.SubmissionReturned, Reason: "部分数据缺少出处",
		Comments: []platform.IndicatorComment{{Code: "1.2.1", Comment: "无线网络覆盖率请附运营商证明"}}}); err != nil {
		t.Fatal(err)
	}
	// The province sees the submission read-only.
	province.get(base).html(200).has("无线网络覆盖率请附运营商证明").lacks(`<form class="entry-fields"`)
	p = pilot.get(base).html(200)
	p.has("填报已被退回", "退回原因：</strong> 部分数据缺少出处", `<a href="#ind-1_2_1"><span class="code">1.2.1</span> 无线网络</a>：无线网络覆盖率请附运营商证明`,
		"检查并重新提交")
	if item := p.indicator("1_2_1"); !strings.Contains(item, `class="return-comment" role="note"><strong>审核意见：</strong> 无线网络覆盖率请附运营商证明`) ||
		!strings.Contains(item, `<form class="entry-fields"`) {
		t.Errorf("1.2.1 after the return:\n%s", item)
	}
	if strings.Contains(p.indicator("1_1_1"), "return-comment") {
		t.Error("1.1.1 shows a comment it was not given")
	}
	e := entryOf(t, f, "1.2.1")
	pilot.post(base+"/entries/1.2.1", url.Values{"value": {"97"}, "narrative": {"见运营商证明"}, "version": {fmt.Sprint(e.Version)}})
	sub, _ = f.svc.GetSubmission(f.ctx, f.sub.ID)
	pilot.get(base + "/submit").html(200).has("确认重新提交")
	pilot.post(base+"/submit", url.Values{"version": {fmt.Sprint(sub.Version)}}).redirect(base + "?submitted=1")
	pilot.get(base).html(200).has("state-submitted").lacks("填报已被退回", "无线网络覆盖率请附运营商证明")
}

// fillAll answers every leaf through the service as user: level 3, or the
// value 80 (2.2.4 and 4.x within their goalposts), 2.2.6 not applicable.
func fillAll(t *testing.T, f *entryFixture, user string) {
	t.Helper()
	ctx := platform.WithIdentity(f.ctx, platform.Identity{User: user, Roles: []string{"admin"}})
	fw, _ := f.svc.CycleFramework(ctx, f.cycle.ID)
	sub, _ := f.svc.GetSubmission(ctx, f.sub.ID)
	versions := map[string]int{}
	for _, e := range sub.Entries {
		versions[e.Code] = e.Version
	}
	for _, leaf := range fw.Leaves() {
		in := platform.EntryInput{Version: versions[leaf.Code]}
		switch {
		case leaf.Code == "2.2.6":
			in.NotApplicable, in.Narrative = true, "南方城市，无集中供暖"
		case leaf.Kind == "rubric":
			in.Level = ptrTo(3)
		default:
			in.Value = ptrTo(4.0)
		}
		if _, err := f.svc.SaveEntry(ctx, f.sub.ID, leaf.Code, in); err != nil {
			t.Fatalf("%s: %v", leaf.Code, err)
		}
	}
}

func ptrTo[T any](v T) *T { return &v }

// A pilot cannot open, save into or upload to another pilot's submission
// (404, as for one that does not exist); a province sees only its own
// pilots' submissions; an anonymous visitor is sent to the login form.
func TestEntryScope(t *testing.T) {
	f := newEntryFixture(t)
	other := f.user("hangzhou", platform.RolePilot, "", f.other.ID)
	base := fmt.Sprintf("/entry/submissions/%d", f.sub.ID)
	other.get(base).html(404).lacks("苏州市")
	other.post(base+"/entries/1.1.1", url.Values{"level": {"3"}, "version": {"0"}}).html(404)
	other.upload(base+"/entries/1.1.1/evidence", "a.pdf", []byte("%PDF-1.4\n%%EOF\n")).html(404)
	other.get(base + "/submit").html(404)
	other.post(base+"/submit", url.Values{"version": {"1"}}).html(404)
	if e := entryOf(t, f, "1.1.1"); e.Version != 0 {
		t.Errorf("another pilot saved an entry: %+v", e)
	}
	other.get("/entry").html(200).lacks("苏州市").has("开始填报", "2025 年度监测")
	f.user("zhejiang", platform.RoleProvince, "33", 0).get(base).html(404)
	f.user("jiangsu", platform.RoleProvince, "32", 0).get(base).html(200).has("苏州市", "此填报当前不可修改")
	anon := f.anonymous()
	for _, path := range []string{"/entry", base, base + "/submit"} {
		p := anon.get(path)
		if p.status != 200 || !strings.Contains(p.body, `action="/login"`) {
			t.Errorf("anonymous GET %s: %d, want the login form", path, p.status)
		}
	}
	anon.post(base+"/entries/1.1.1", url.Values{"level": {"3"}}).redirect("/login?next=" + url.QueryEscape(base+"/entries/1.1.1"))
}

// The pilot starts its submission in an open cycle from "my submissions",
// which then lists it with state, due date and completeness.
func TestEntryListAndStart(t *testing.T) {
	f := newEntryFixture(t)
	other := f.user("hangzhou", platform.RolePilot, "", f.other.ID)
	p := other.post(fmt.Sprintf("/entry/cycles/%d/start", f.cycle.ID), nil)
	if p.status != 303 || !strings.HasPrefix(p.header.Get("Location"), "/entry/submissions/") {
		t.Fatalf("start: %d %s", p.status, p.header.Get("Location"))
	}
	due := f.cycle.DueAt.In(shanghai(t)).Format("2006-01-02 15:04")
	other.get("/entry").html(200).has(`href="`+p.header.Get("Location")+`">2025 年度监测</a>`, "杭州市", "草稿", due, "0%").lacks("开始填报")
	other.post(fmt.Sprintf("/entry/cycles/%d/start", f.cycle.ID), nil).html(409).has("本周期已有此试点的填报")
}

// Evidence: upload (a plain POST redirects to the indicator; htmx gets the
// block with the file), the same content again is not stored twice, a
// file that is not a document is refused with the reason, delete.
func TestEntryEvidence(t *testing.T) {
	f := newEntryFixture(t)
	pilot := f.user("suzhou", platform.RolePilot, "", f.pilot.ID)
	base := fmt.Sprintf("/entry/submissions/%d", f.sub.ID)
	pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n")
	pilot.upload(base+"/entries/1.2.1/evidence", "覆盖率证明.pdf", pdf).redirect(base + "#ev-1_2_1")
	item := pilot.get(base).html(200).indicator("1_2_1")
	if !strings.Contains(item, "覆盖率证明.pdf") || !strings.Contains(item, `action="/entry/evidence/`) {
		t.Fatalf("1.2.1 lacks the file:\n%s", item)
	}
	pilot.upload(base+"/entries/1.2.1/evidence", "again.pdf", pdf, htmx...).fragment().has("覆盖率证明.pdf", "已上传过").lacks("again.pdf</a>")
	pilot.upload(base+"/entries/1.2.1/evidence", "run.exe", []byte("MZ\x90\x00binary"), htmx...).fragment().
		has(`class="field-error" role="alert">只接受 PDF`)
	pilot.upload(base+"/entries/1.2.1/evidence", "run.exe", []byte("MZ\x90\x00binary")).html(415).has("只接受 PDF")
	evs, err := f.svc.ListEvidence(f.ctx, f.sub.ID, false)
	if err != nil || len(evs) != 1 {
		t.Fatalf("evidence %v %+v", err, evs)
	}
	pilot.post(fmt.Sprintf("/entry/evidence/%d/delete", evs[0].ID), nil, htmx...).fragment().has("已删除 覆盖率证明.pdf", "暂无佐证材料").lacks("覆盖率证明.pdf</a>")
	if evs, _ := f.svc.ListEvidence(f.ctx, f.sub.ID, false); len(evs) != 0 {
		t.Errorf("still there: %+v", evs)
	}
}

// Every submission of the demo (every state, levels, values, evidence,
// returns with comments) renders as a form, editable exactly while it is
// draft or returned, and its pilot's account sees it under 我的填报.
func TestEntryFormsOfTheDemo(t *testing.T) {
	e := newEnv(t, true)
	subs, _, err := e.svc.ListSubmissions(e.ctx, platform.SubmissionFilter{CycleID: e.demo.CycleID, Limit: 1000})
	if err != nil || len(subs) == 0 {
		t.Fatalf("demo submissions: %v %d", err, len(subs))
	}
	c, err := e.svc.GetCycle(e.ctx, e.demo.CycleID)
	if err != nil {
		t.Fatal(err)
	}
	for _, sub := range subs {
		p := e.get(fmt.Sprintf("/entry/submissions/%d", sub.ID)).html(200)
		editable := sub.State.Editable() && c.State == platform.CycleOpen
		if has := strings.Contains(p.body, `<form class="entry-fields"`); has != editable {
			t.Errorf("submission %d (%s): editable form %v, want %v", sub.ID, sub.State, has, editable)
		}
		if sub.State == platform.SubmissionReturned && !strings.Contains(p.body, "填报已被退回") {
			t.Errorf("submission %d: returned without its reason", sub.ID)
		}
	}
	pilot := e.user("demo-pilot-ui", platform.RolePilot, "", subs[0].PilotID)
	pilot.get("/entry").html(200).has(fmt.Sprintf(`href="/entry/submissions/%d"`, subs[0].ID))
}

// An account that must change its password first is sent to the
// change-password page (the pages' gate), not shown the form or an error.
func TestEntryRefusesAnAccountThatMustChangeItsPassword(t *testing.T) {
	f := newEntryFixture(t)
	if _, err := f.svc.CreateUser(f.ctx, platform.NewUser{Username: "fresh", Role: platform.RolePilot, PilotID: f.pilot.ID,
		Password: "correct horse battery fresh", MustChangePassword: true}); err != nil {
		t.Fatal(err)
	}
	_, secret, err := f.svc.CreateToken(f.ctx, "fresh", "ui", 0)
	if err != nil {
		t.Skipf("no token for an account that must change its password: %v", err)
	}
	fresh := f.anonymous()
	fresh.auth = "Bearer " + secret
	for _, path := range []string{"/entry", fmt.Sprintf("/entry/submissions/%d", f.sub.ID)} {
		fresh.get(path).html(200).has(`action="/account/password"`).lacks(`class="entry-page`)
	}
}
