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
	"github.com/chromedp/chromedp/kb"

	"github.com/sceval/sceval/platform"
)

// entryValues are the numbers the flow enters for quantitative leaves
// (inside their goalposts and valid ranges).
var entryValues = map[string]string{"1.2.2": "50", "2.2.4": "90", "2.2.5": "75", "4.1.2": "2.5", "4.3.1": "20"}

// A pilot logs in, finds its submission under 我的填报, fills every
// indicator in the browser (rubric levels and numbers, 2.2.6 not
// applicable with a reason), meets the validation message of a value out
// of range, uploads and deletes evidence, and submits. The province returns
// it with a comment on 1.2.1: the pilot sees the reason and the comment
// next to the indicator, corrects it and resubmits.
func TestEntryFlowInTheBrowser(t *testing.T) {
	s := Start(t)
	es := newEntrySetup(t, s)
	ctx := s.Browser(t)
	s.Login(t, ctx, es.user, es.pw)
	s.Open(t, ctx, "/entry")
	if text := Text(t, ctx); !strings.Contains(text, "我的填报") || !strings.Contains(text, es.cycle.Name) {
		t.Fatalf("my submissions lacks the cycle:\n%s", text)
	}
	run(t, ctx, "open the form", chromedp.Click(`a[href="`+es.formPath()+`"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#ind-1_1_1`, chromedp.ByQuery))

	// A value out of range: the server's message next to the field, the
	// input kept; then a valid one clears it.
	run(t, ctx, "1.2.1 out of range",
		chromedp.SendKeys(`#v-1_2_1`, "150"+kb.Tab, chromedp.ByQuery),
		waitFor(ctx, "the range message", `document.querySelector('#err-value-1_2_1').innerText.includes('超出有效范围')`))
	var kept string
	js(t, ctx, `document.querySelector('#v-1_2_1').value`, &kept)
	if kept != "150" {
		t.Errorf("the refused value was not kept in the field: %q", kept)
	}
	run(t, ctx, "1.2.1 valid", clearField(`#v-1_2_1`), chromedp.SendKeys(`#v-1_2_1`, "95"+kb.Tab, chromedp.ByQuery),
		waitFor(ctx, "1.2.1 saved", savedText("1_2_1")+`.includes('已保存')`),
		waitFor(ctx, "message cleared", `document.querySelector('#err-value-1_2_1').innerText === ''`))

	start := time.Now()
	fillEveryIndicator(t, s, es, ctx)
	t.Logf("filled 57 indicators in %v", time.Since(start).Round(time.Millisecond))
	var overall string
	js(t, ctx, `document.querySelector('#meter-all').innerText`, &overall)
	if !strings.Contains(overall, "57/57") {
		t.Errorf("overall meter after filling: %q", overall)
	}
	evidenceUploadAndDelete(t, s, es, ctx)
	Screenshot(t, ctx, "entry-form-zh")

	// Submit through the confirmation.
	run(t, ctx, "confirmation", chromedp.Click(`a[href="`+es.formPath()+`/submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`form.submit-form button`, chromedp.ByQuery))
	if text := Text(t, ctx); !strings.Contains(text, "全部指标均已填报") {
		t.Errorf("confirmation:\n%s", text)
	}
	run(t, ctx, "submit", chromedp.Click(`form.submit-form button`, chromedp.ByQuery),
		waitFor(ctx, "submitted", `document.body.innerText.includes('已提交，等待省级主管部门初审')`))
	if n := len(nodeIDs(t, ctx, "form.entry-fields")); n != 0 {
		t.Errorf("the submitted form still has %d editable indicators", n)
	}

	// The province returns it with a comment on 1.2.1 (its pages are
	// another area's: the service stands in).
	sub, err := s.Svc.GetSubmission(s.Ctx, es.sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Svc.ReviewSubmission(s.Ctx, es.sub.ID, platform.TransitionRequest{Version: sub.Version, To: platform.SubmissionReturned,
		Reason: "部分数据缺少出处", Comments: []platform.IndicatorComment{{Code: "1.2.1", Comment: "覆盖率 95% 请附运营商证明，并核对口径"}}}); err != nil {
		t.Fatal(err)
	}
	// The pilot comes back later (a new browser session).
	ctx = s.Browser(t)
	s.Login(t, ctx, es.user, es.pw)
	s.Open(t, ctx, es.formPath()+"?lang=zh")
	var comment string
	js(t, ctx, `document.querySelector('#ind-1_2_1 .return-comment').innerText`, &comment)
	if !strings.Contains(comment, "覆盖率 95% 请附运营商证明") {
		t.Errorf("1.2.1's comment next to it: %q", comment)
	}
	if text := Text(t, ctx); !strings.Contains(text, "部分数据缺少出处") {
		t.Errorf("the return reason is not at the top")
	}
	Screenshot(t, ctx, "entry-returned")
	s.Open(t, ctx, es.formPath()+"?lang=en")
	if text := Text(t, ctx); !strings.Contains(text, "valid range 0 – 100 %") || !strings.Contains(text, "Reviewer's comment:") {
		t.Errorf("the English form lacks the valid range or the reviewer's comment")
	}
	Screenshot(t, ctx, "entry-form-en")
	s.Open(t, ctx, es.formPath()+"?lang=zh")
	run(t, ctx, "correct 1.2.1", clearField(`#v-1_2_1`), chromedp.SendKeys(`#v-1_2_1`, "92.5"+kb.Tab, chromedp.ByQuery),
		waitFor(ctx, "1.2.1 saved", savedText("1_2_1")+`.includes('已保存')`),
		chromedp.SendKeys(`#n-1_2_1`, "按运营商 2024 年报口径，证明见附件"+kb.Tab, chromedp.ByQuery),
		waitFor(ctx, "narrative saved", savedText("1_2_1")+`.includes('第 3 版')`))
	run(t, ctx, "resubmit", chromedp.Click(`a[href="`+es.formPath()+`/submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`form.submit-form button`, chromedp.ByQuery), chromedp.Click(`form.submit-form button`, chromedp.ByQuery),
		waitFor(ctx, "resubmitted", `document.body.innerText.includes('已提交，等待省级主管部门初审')`))
	sub, _ = s.Svc.GetSubmission(s.Ctx, es.sub.ID)
	if sub.State != platform.SubmissionSubmitted || sub.Completeness != 1 {
		t.Errorf("after the resubmit: %s %.2f", sub.State, sub.Completeness)
	}
	if e := storedEntry(t, s, es.sub.ID, "1.2.1"); e.Value == nil || *e.Value != 92.5 || e.UpdatedBy != es.user {
		t.Errorf("1.2.1 stored %+v", e)
	}
}

// fillEveryIndicator answers every leaf through the form: level 4 for
// rubric leaves, a number for quantitative ones, and 2.2.6 not applicable
// with a reason; each waits for its own "saved".
func fillEveryIndicator(t *testing.T, s *Server, es entrySetup, c context.Context) {
	t.Helper()
	fw, err := s.Svc.CycleFramework(s.Ctx, es.cycle.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, leaf := range fw.Leaves() {
		slug := strings.ReplaceAll(leaf.Code, ".", "_")
		switch {
		case leaf.Code == "1.2.1":
			continue // answered above
		case leaf.Code == "2.2.6":
			run(t, c, "2.2.6 reason", chromedp.SendKeys(`#n-2_2_6`, "地处南方，无集中供暖"+kb.Tab, chromedp.ByQuery),
				waitFor(c, "2.2.6 narrative saved", savedText(slug)+`.includes('已保存')`),
				chromedp.Click(`#na-2_2_6`, chromedp.ByQuery),
				waitFor(c, "2.2.6 saved", savedText(slug)+`.includes('第 2 版')`))
		case leaf.Kind == "rubric":
			// Each indicator saves on its own: the next one is filled
			// while the last one's save is on its way.
			run(t, c, leaf.Code, chromedp.Click(fmt.Sprintf(`#l-%s-4`, slug), chromedp.ByQuery))
		default:
			v := entryValues[leaf.Code]
			if v == "" {
				v = "80"
			}
			run(t, c, leaf.Code, chromedp.SendKeys("#v-"+slug, v+kb.Tab, chromedp.ByQuery))
		}
	}
	run(t, c, "every indicator saved", waitFor(c, "57 saved",
		`Array.from(document.querySelectorAll('.entry-state')).filter(function(e){return e.innerText.includes('已保存')}).length === 57`))
	sub, err := s.Svc.GetSubmission(s.Ctx, es.sub.ID)
	if err != nil || sub.Completeness != 1 || len(sub.Entries) != len(fw.Leaves()) {
		t.Fatalf("after filling the form: %v completeness %.3f, %d entries", err, sub.Completeness, len(sub.Entries))
	}
	if e := storedEntry(t, s, es.sub.ID, "2.2.6"); !e.NotApplicable {
		t.Errorf("2.2.6 stored %+v", e)
	}
}

// evidenceUploadAndDelete uploads a PDF to 1.2.1, deletes it, and uploads
// it again (the submission keeps one file).
func evidenceUploadAndDelete(t *testing.T, s *Server, es entrySetup, c context.Context) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "运营商覆盖证明.pdf")
	if err := os.WriteFile(path, []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	upload := func(what string) {
		run(t, c, what, chromedp.SetUploadFiles(`#file-1_2_1`, []string{path}, chromedp.ByQuery),
			chromedp.Click(`#ev-1_2_1 form.upload button`, chromedp.ByQuery),
			waitFor(c, "the file listed", `(document.querySelector('#ev-1_2_1 .files')||{innerText:''}).innerText.includes('运营商覆盖证明.pdf')`))
	}
	// Record what the progress bar shows while htmx reports the upload's
	// progress (entry.js listens first, so it has updated the bar).
	var ignored any
	run(t, c, "watch the progress", chromedp.Evaluate(`window.entryProgress = [];
document.addEventListener('htmx:xhr:progress', function (e) {
  var f = e.target.closest ? e.target.closest('form.upload') : null;
  if (!f) { return; }
  var p = f.querySelector('progress');
  window.entryProgress.push({hidden: p.hidden, value: p.value});
});`, &ignored))
	upload("upload")
	var progress []struct {
		Hidden bool    `json:"hidden"`
		Value  float64 `json:"value"`
	}
	js(t, c, `window.entryProgress`, &progress)
	if len(progress) == 0 || progress[len(progress)-1].Hidden || progress[len(progress)-1].Value != 100 {
		t.Errorf("the upload's progress bar: %+v, want shown at 100 when the upload ends", progress)
	}
	run(t, c, "delete", chromedp.Click(`#ev-1_2_1 form.delete button`, chromedp.ByQuery),
		waitFor(c, "the file gone", `document.querySelector('#ev-1_2_1').innerText.includes('暂无佐证材料')`))
	upload("upload again")
	evs, err := s.Svc.ListEvidence(s.Ctx, es.sub.ID, true)
	if err != nil || len(evs) != 2 || evs[0].DeletedAt == nil || evs[1].DeletedAt != nil {
		t.Errorf("evidence history: %v %+v", err, evs)
	}
}
