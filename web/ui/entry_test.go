package ui_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
)

// The form lays out every leaf of the built-in framework under its first-
// and second-level indicator with its name, definition and rubric levels
// (verbatim from the framework), a number input with unit and valid range
// for quantitative leaves, and "not applicable" only where the cycle
// allows it.
func TestEntryFormShowsTheFramework(t *testing.T) {
	f := newEntryFixture(t)
	pilot := f.user("suzhou", platform.RolePilot, "", f.pilot.ID)
	fw, ok := framework.Builtin("mohurd-2012")
	if !ok {
		t.Fatal("no built-in mohurd-2012")
	}
	p := pilot.get(fmt.Sprintf("/entry/submissions/%d", f.sub.ID)).html(200)
	leaves := fw.Leaves()
	if n := strings.Count(p.body, `<article class="indicator`); n != len(leaves) {
		t.Errorf("%d indicators on the form, want %d", n, len(leaves))
	}
	p.has(`id="g-1"`, "保障体系与基础设施", "1.1</span> 保障体系", `id="meter-all"`, `max="57" value="0"`, "0/57")
	for _, leaf := range leaves {
		html := p.indicator(slugOf(leaf.Code))
		if !strings.Contains(html, leaf.Name.Zh) || !strings.Contains(html, template(leaf.Definition.Zh)) {
			t.Errorf("%s: name or definition missing", leaf.Code)
		}
		if leaf.Kind == framework.Rubric {
			for i, lv := range leaf.Rubric {
				if !strings.Contains(html, fmt.Sprintf(`name="level" value="%d"`, i+1)) || !strings.Contains(html, template(lv.Description.Zh)) {
					t.Errorf("%s: level %d missing", leaf.Code, i+1)
				}
			}
		} else if !strings.Contains(html, `inputmode="decimal"`) || !strings.Contains(html, leaf.Unit) {
			t.Errorf("%s: no number input with unit %s", leaf.Code, leaf.Unit)
		}
		if has := strings.Contains(html, `name="not_applicable"`); has != (leaf.Code == "2.2.6") {
			t.Errorf("%s: not-applicable checkbox %v", leaf.Code, has)
		}
	}
	p.has("有效范围 0 – 100 %")
	// Navigation: the pilot has "我的填报"; a province user does not.
	p.has(`<a href="/entry" aria-current="page">我的填报</a>`)
	f.user("jiangsu", platform.RoleProvince, "32", 0).get("/").html(200).lacks(`href="/entry"`)
}

// Saving an indicator without JavaScript redirects to it with "saved";
// with htmx the answer is its status with the new version and the meters
// out of band. The entry records who saved it.
func TestEntrySave(t *testing.T) {
	f := newEntryFixture(t)
	pilot := f.user("suzhou", platform.RolePilot, "", f.pilot.ID)
	path := fmt.Sprintf("/entry/submissions/%d/entries/", f.sub.ID)
	pilot.post(path+"1.1.1", url.Values{"level": {"3"}, "narrative": {"已出台规划"}, "version": {"0"}}).
		redirect(fmt.Sprintf("/entry/submissions/%d?saved=1.1.1#ind-1_1_1", f.sub.ID))
	sub, err := f.svc.GetSubmission(f.ctx, f.sub.ID)
	if err != nil || len(sub.Entries) != 1 || *sub.Entries[0].Level != 3 || sub.Entries[0].Narrative != "已出台规划" || sub.Entries[0].UpdatedBy != "suzhou" {
		t.Fatalf("stored: %v %+v", err, sub.Entries)
	}
	page := pilot.get(fmt.Sprintf("/entry/submissions/%d?saved=1.1.1", f.sub.ID)).html(200)
	item := page.indicator("1_1_1")
	for _, want := range []string{`value="3" checked`, "已出台规划", "已保存（第 1 版）", `name="version" value="1"`} {
		if !strings.Contains(item, want) {
			t.Errorf("after the save, 1.1.1 lacks %q", want)
		}
	}
	page.has("1/57")
	// htmx: the status, the cleared messages and the three meters.
	fr := pilot.post(path+"1.2.1", url.Values{"value": {"85.5"}, "version": {"0"}}, htmx...).fragment()
	fr.has(`class="entry-state"`, `name="version" value="1"`, "已保存（第 1 版）",
		`<p class="field-error" id="err-value-1_2_1" hx-swap-oob="true"></p>`,
		`id="meter-all" hx-swap-oob="true"`, "2/57", `id="meter-1" hx-swap-oob="true"`, `id="meter-1_2" hx-swap-oob="true"`, "1/3")
	fr.lacks(`id="meter-2"`)
	if e := entryOf(t, f, "1.2.1"); e.Value == nil || *e.Value != 85.5 {
		t.Errorf("1.2.1 stored %+v", e)
	}
}

// A value out of range, a word where a number belongs and a level of a
// quantitative leaf are refused with the message next to the field, and
// the user's input stays in it.
func TestEntryValidationNextToTheField(t *testing.T) {
	f := newEntryFixture(t)
	pilot := f.user("suzhou", platform.RolePilot, "", f.pilot.ID)
	path := fmt.Sprintf("/entry/submissions/%d/entries/1.2.1", f.sub.ID)
	p := pilot.post(path, url.Values{"value": {"150"}, "narrative": {"全市覆盖"}, "version": {"0"}}).html(422)
	item := p.indicator("1_2_1")
	for _, want := range []string{
		`<p class="field-error" id="err-value-1_2_1">数值 150 超出有效范围（有效范围 0 – 100 %）。</p>`,
		`name="value" value="150"`, "全市覆盖", `aria-invalid="true"`, "未保存",
	} {
		if !strings.Contains(item, want) {
			t.Errorf("out of range: 1.2.1 lacks %q", want)
		}
	}
	if e := entryOf(t, f, "1.2.1"); e.Version != 0 {
		t.Errorf("an invalid value was stored: %+v", e)
	}
	pilot.post(path, url.Values{"value": {"八十"}, "version": {"0"}}).html(422).has("“八十”不是数字")
	// htmx: the message fills the field's slot out of band.
	pilot.post(path+"?lang=en", url.Values{"value": {"-3"}, "version": {"0"}}, htmx...).fragment().
		has(`<p class="field-error" id="err-value-1_2_1" hx-swap-oob="true">The value -3 is outside the valid range (valid range 0 – 100 %).</p>`,
			"Not saved")
}

// A leaf the cycle allows may be marked not applicable with a reason; the
// reason is required; other leaves are refused.
func TestEntryNotApplicable(t *testing.T) {
	f := newEntryFixture(t)
	pilot := f.user("suzhou", platform.RolePilot, "", f.pilot.ID)
	path := fmt.Sprintf("/entry/submissions/%d/entries/", f.sub.ID)
	pilot.post(path+"2.2.6", url.Values{"not_applicable": {"1"}, "version": {"0"}}).html(422).
		has(`id="err-narrative-2_2_6">标记为不适用时，请在说明中写明原因。</p>`)
	pilot.post(path+"2.2.6", url.Values{"not_applicable": {"1"}, "narrative": {"地处南方，无集中供暖"}, "version": {"0"}}).
		redirect(fmt.Sprintf("/entry/submissions/%d?saved=2.2.6#ind-2_2_6", f.sub.ID))
	if e := entryOf(t, f, "2.2.6"); !e.NotApplicable || !e.Complete {
		t.Errorf("2.2.6 stored %+v", e)
	}
	pilot.get(fmt.Sprintf("/entry/submissions/%d", f.sub.ID)).html(200).has(`id="na-2_2_6" name="not_applicable" value="1" checked`, "1/57")
	p := pilot.post(path+"1.1.1", url.Values{"not_applicable": {"1"}, "narrative": {"没有"}, "version": {"0"}}).html(422)
	if item := p.indicator("1_1_1"); !strings.Contains(item, `id="err-not_applicable-1_1_1">本周期不允许将此项标记为不适用。</p>`) {
		t.Errorf("1.1.1 not applicable: no refusal next to the checkbox:\n%s", item)
	}
}

// entryOf returns the stored entry of code (zero when none).
func entryOf(t *testing.T, f *entryFixture, code string) platform.Entry {
	t.Helper()
	sub, err := f.svc.GetSubmission(f.ctx, f.sub.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range sub.Entries {
		if e.Code == code {
			return e
		}
	}
	return platform.Entry{}
}

// slugOf is the element id form of a code.
func slugOf(code string) string { return strings.ReplaceAll(code, ".", "_") }

// template is s as html/template writes it in text.
func template(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}
