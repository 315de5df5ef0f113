package ui_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
)

// The province returns with a reason (required) and a comment on one
// indicator, which the pilot then reads through the service; after the
// pilot resubmits, the province forwards and the ministry accepts. A
// decision on a version someone else already moved shows the current
// state and changes nothing.
func TestReviewDecisions(t *testing.T) {
	f := newReviewFixture(t)
	view := fmt.Sprintf("/review/submissions/%d", f.hz.ID)
	p := f.zhejiang.get(view).html(200)
	p.has("杭州市", "杭州市已成立智慧城市建设领导小组。", "3 · ", `name="comment.1.1.1" form="decision"`,
		`<button type="submit" name="to" value="returned"`, `<button type="submit" name="to" value="forwarded"`,
		"杭州市-领导小组.png", "杭州市-规划.pdf", `class="rv-preview-link" href="`+view+`?preview=`, `<img class="rv-preview" src="/review/evidence/`).
		lacks(`<object`).
		lacks(`value="accepted"`, `action="/review/submissions/`+fmt.Sprint(f.hz.ID)+`/extension"`)

	// A return without a reason: the message next to the field, nothing
	// changed, the comments typed are kept.
	confirm, _ := f.zhejiang.reviewDecide(f.hz, f.hz.Version, "returned", "  ", map[string]string{"1.1.1": "请补充领导小组成立文件"})
	if confirm.status != http.StatusUnprocessableEntity {
		t.Fatalf("return without a reason: %d", confirm.status)
	}
	confirm.has(`<p class="rv-error" id="reason-error">退回必须填写理由。</p>`, "请补充领导小组成立文件")
	// A comment on something that is not an indicator of the framework.
	confirm, _ = f.zhejiang.reviewDecide(f.hz, f.hz.Version, "returned", "材料不全", map[string]string{"9.9.9": "?"})
	confirm.has("逐项意见有误：", `9.9.9`)

	// "Back to the form" from the confirmation keeps what was typed.
	back := f.zhejiang.reviewPost(view+"/decision", url.Values{"version": {fmt.Sprint(f.hz.Version)}, "to": {"returned"},
		"reason": {"草稿理由"}, "comment.1.1.2": {"草稿意见"}, "edit": {"1"}})
	back.html(200).has(">草稿理由</textarea>", ">草稿意见</textarea>")
	// The return, confirmed.
	confirm, done := f.zhejiang.reviewDecide(f.hz, f.hz.Version, "returned", "材料不全，请补充。",
		map[string]string{"1.1.1": "请补充领导小组成立文件", "1.1.2": " "})
	confirm.html(200).has("确认退回", "将 杭州市 的申报退回试点修改。", "材料不全，请补充。", "请补充领导小组成立文件",
		`name="confirm" value="1"`).lacks(`name="comment.1.1.2"`)
	done.reviewRedirect(view + "?done=returned")
	f.zhejiang.get(view+"?done=returned").html(200).has("已退回。试点修改后可重新提交。", "材料不全，请补充。",
		`<a href="#leaf-1.1.1" class="code">1.1.1</a> 请补充领导小组成立文件`, "已提交 → 已退回")

	// The pilot sees the reason and the comment on its indicator.
	pctx := platform.WithIdentity(f.e.ctx, platform.Identity{User: "hz-pilot", Roles: []string{"pilot"}, PilotID: f.hzPilot.ID})
	pctx = f.e.svc.Bind(pctx, platform.IdentityFrom(pctx))
	sub, err := f.e.svc.GetSubmission(pctx, f.hz.ID)
	if err != nil {
		t.Fatal(err)
	}
	comments := map[string]string{}
	for _, e := range sub.Entries {
		comments[e.Code] = e.ReturnComment
	}
	if sub.State != platform.SubmissionReturned || sub.Reason != "材料不全，请补充。" || comments["1.1.1"] != "请补充领导小组成立文件" || comments["1.1.2"] != "" {
		t.Fatalf("the pilot's view: %s %q %v", sub.State, sub.Reason, comments)
	}

	// The pilot resubmits (through the service); the province forwards.
	if sub, err = f.e.svc.TransitionSubmission(pctx, sub.ID, sub.Version, platform.SubmissionSubmitted, ""); err != nil {
		t.Fatal(err)
	}
	stale := sub.Version
	confirm, done = f.zhejiang.reviewDecide(sub, sub.Version, "forwarded", "", map[string]string{"1.1.1": "已补充"})
	confirm.html(200).has("确认报部").lacks("已补充")
	done.reviewRedirect(view + "?done=forwarded")

	// A second reviewer who read the submitted version returns it: refused,
	// showing what happened.
	confirm, _ = f.zhejiang.reviewDecide(sub, stale, "returned", "再改", nil)
	if confirm.status != http.StatusConflict {
		t.Fatalf("stale decision: %d", confirm.status)
	}
	confirm.has("已有人先作出决定，当前状态为“已报部”").lacks(`value="forwarded"`)

	// The ministry sees it under 待复核 and accepts it.
	f.ministry.get("/review").html(200).has(fmt.Sprintf(`href="%s"`, view))
	m := f.ministry.get(view).html(200).has(`value="accepted"`, `value="returned"`).lacks(`value="forwarded"`)
	version := versionIn(t, m.body)
	confirm, done = f.ministry.reviewDecide(sub, version, "accepted", "", nil)
	confirm.html(200).has("确认通过")
	done.reviewRedirect(view + "?done=accepted")
	// The same confirmation posted again (a double click) meets the new state.
	again, _ := f.ministry.reviewDecide(sub, version, "accepted", "", nil)
	if again.status != http.StatusConflict || !strings.Contains(again.body, "当前状态为“已通过”") {
		t.Errorf("a repeated acceptance: %d", again.status)
	}
	final, _ := f.e.svc.GetSubmission(f.e.ctx, f.hz.ID)
	if final.State != platform.SubmissionAccepted || len(final.History) != 5 || final.History[4].Actor != "mohurd" || final.History[3].Actor != "zj-review" {
		t.Fatalf("history: %s %+v", final.State, final.History)
	}
	f.ministry.get(view+"?done=accepted&lang=en").html(200).has("Accepted.", "History of decisions", "Forwarded → Accepted")
}

// versionIn reads the decision form's version.
func versionIn(t *testing.T, body string) int {
	t.Helper()
	i := strings.Index(body, `name="version" value="`)
	if i < 0 {
		t.Fatal("no version field")
	}
	var v int
	fmt.Sscanf(body[i+len(`name="version" value="`):], "%d", &v)
	return v
}
