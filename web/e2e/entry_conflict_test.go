package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Two people edit the same indicator in two browsers: the second save
// gets the conflict message naming the first person's change, and loses
// nothing (its input stays in the field); "keep mine" then saves it.
func TestEntryConflictInTwoBrowsers(t *testing.T) {
	s := Start(t)
	es := newEntrySetup(t, s, "e2e-alice", "e2e-bob")
	alice, bob := s.Browser(t), s.Browser(t)
	s.Login(t, alice, "e2e-alice", es.pw)
	s.Login(t, bob, "e2e-bob", es.pw)
	s.Open(t, alice, es.formPath())
	s.Open(t, bob, es.formPath())
	run(t, alice, "alice saves 1.2.1", chromedp.SendKeys(`#v-1_2_1`, "40"+kb.Tab, chromedp.ByQuery),
		waitFor(alice, "saved", savedText("1_2_1")+`.includes('已保存')`))
	run(t, bob, "bob saves over it", chromedp.SendKeys(`#v-1_2_1`, "60"+kb.Tab, chromedp.ByQuery),
		chromedp.SendKeys(`#n-1_2_1`, "按 2024 年统计公报", chromedp.ByQuery),
		waitFor(bob, "the conflict", `document.querySelector('#ind-1_2_1 .conflict') !== null`))
	var conflict, value, narrative string
	js(t, bob, `document.querySelector('#ind-1_2_1 .conflict').innerText`, &conflict)
	js(t, bob, `document.querySelector('#v-1_2_1').value`, &value)
	js(t, bob, `document.querySelector('#n-1_2_1').value`, &narrative)
	if !strings.Contains(conflict, "此项已被他人修改") || !strings.Contains(conflict, "e2e-alice") || !strings.Contains(conflict, "数值 40%") {
		t.Errorf("the conflict message: %q", conflict)
	}
	if value != "60" || narrative != "按 2024 年统计公报" {
		t.Errorf("bob's input was lost: value %q narrative %q", value, narrative)
	}
	if e := storedEntry(t, s, es.sub.ID, "1.2.1"); *e.Value != 40 || e.UpdatedBy != "e2e-alice" {
		t.Errorf("the conflict changed the entry: %+v", e)
	}
	run(t, bob, "scroll", chromedp.ScrollIntoView(`#ind-1_2_1`, chromedp.ByQuery))
	Screenshot(t, bob, "entry-conflict")
	// The click leaves the narrative: its autosave (still the old
	// version) goes first and changes nothing on the page.
	run(t, bob, "keep mine", chromedp.Click(`#ind-1_2_1 button[value="mine"]`, chromedp.ByQuery),
		waitFor(bob, "saved", savedText("1_2_1")+`.includes('已保存')`))
	if e := storedEntry(t, s, es.sub.ID, "1.2.1"); *e.Value != 60 || e.Narrative != "按 2024 年统计公报" || e.UpdatedBy != "e2e-bob" || e.Version != 2 {
		t.Errorf("keep mine stored %+v", e)
	}
	// Alice's next change now conflicts with Bob's; she takes his.
	run(t, alice, "alice changes again", chromedp.SendKeys(`#n-1_2_1`, "旧说明"+kb.Tab, chromedp.ByQuery),
		waitFor(alice, "the conflict", `document.querySelector('#ind-1_2_1 .conflict') !== null`),
		chromedp.Click(`#ind-1_2_1 button[value="theirs"]`, chromedp.ByQuery),
		waitFor(alice, "theirs shown", `document.querySelector('#v-1_2_1').value === '60' && document.querySelector('#ind-1_2_1 .conflict') === null`))
	var version string
	js(t, alice, `document.querySelector('#ind-1_2_1 input[name=version]').value`, &version)
	if version != "2" {
		t.Errorf("after taking theirs the form has version %q, want 2", version)
	}
}
