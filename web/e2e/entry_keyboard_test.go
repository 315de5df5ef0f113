package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The form on a 375 px phone: nothing outside a table sticks out to the
// right. Filled with the keyboard only: Tab to a rubric indicator, arrow
// keys choose its level (saved at once, focus stays), Tab to the narrative
// and type, Tab to the next indicator and Space chooses, Tab to a number
// and type it; every focused control shows a visible focus ring.
func TestEntryKeyboardAndPhone(t *testing.T) {
	s := Start(t)
	es := newEntrySetup(t, s)
	ctx := s.Browser(t, Size(375, 812))
	s.Login(t, ctx, es.user, es.pw)
	s.Open(t, ctx, es.formPath())
	if over := HorizontalOverflow(t, ctx); len(over) > 0 {
		t.Errorf("the form at 375 px sticks out: %v", over)
	}
	tabTo(t, ctx, "l-1_1_1-1")
	focusVisible(t, ctx, "the first level of 1.1.1")
	run(t, ctx, "arrow keys", chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown),
		waitFor(ctx, "1.1.1 saved", savedText("1_1_1")+`.includes('已保存')`))
	if id := activeID(t, ctx); id != "l-1_1_1-3" {
		t.Errorf("after the save the focus is on %q, want l-1_1_1-3", id)
	}
	tabTo(t, ctx, "n-1_1_1")
	run(t, ctx, "type the narrative", chromedp.KeyEvent("键盘填写的说明"))
	tabTo(t, ctx, "l-1_1_2-1")
	run(t, ctx, "space", chromedp.KeyEvent(" "), waitFor(ctx, "1.1.2 saved", savedText("1_1_2")+`.includes('已保存')`))
	tabTo(t, ctx, "v-1_2_1")
	focusVisible(t, ctx, "the value of 1.2.1")
	run(t, ctx, "type a number", chromedp.KeyEvent("88"), chromedp.KeyEvent(kb.Tab),
		waitFor(ctx, "1.2.1 saved", savedText("1_2_1")+`.includes('已保存')`))
	e1, e2, e3 := storedEntry(t, s, es.sub.ID, "1.1.1"), storedEntry(t, s, es.sub.ID, "1.1.2"), storedEntry(t, s, es.sub.ID, "1.2.1")
	if e1.Level == nil || *e1.Level != 3 || e1.Narrative != "键盘填写的说明" || e2.Level == nil || *e2.Level != 1 || e3.Value == nil || *e3.Value != 88 {
		t.Errorf("stored 1.1.1 %+v, 1.1.2 %+v, 1.2.1 %+v", e1, e2, e3)
	}
	run(t, ctx, "scroll", chromedp.ScrollIntoView(`#ind-1_2_1`, chromedp.ByQuery))
	Screenshot(t, ctx, "entry-form-375")
	for _, path := range []string{"/entry", es.formPath() + "/submit"} {
		s.Open(t, ctx, path)
		if over := HorizontalOverflow(t, ctx); len(over) > 0 {
			t.Errorf("%s at 375 px sticks out: %v", path, over)
		}
	}
	Screenshot(t, ctx, "entry-submit-375")
}

// activeID is the id of the focused element.
func activeID(t *testing.T, ctx context.Context) string {
	t.Helper()
	var id string
	js(t, ctx, `document.activeElement ? document.activeElement.id : ''`, &id)
	return id
}

// tabTo presses Tab until the element with id has the focus.
func tabTo(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	for range 80 {
		if activeID(t, ctx) == id {
			return
		}
		run(t, ctx, "Tab", chromedp.KeyEvent(kb.Tab))
	}
	t.Fatalf("80 presses of Tab never reached #%s (now on #%s)", id, activeID(t, ctx))
}

// focusVisible fails unless the focused control (or its level's label)
// draws an outline.
func focusVisible(t *testing.T, ctx context.Context, what string) {
	t.Helper()
	var ok bool
	js(t, ctx, `(function(){var el=document.activeElement; if(!el) return false;
  function ring(e){var s=getComputedStyle(e); return s.outlineStyle!=='none' && parseFloat(s.outlineWidth)>0;}
  return el.matches(':focus-visible') && (ring(el) || (el.closest('label') && ring(el.closest('label'))));})()`, &ok)
	if !ok {
		t.Errorf("%s: focus not visible", what)
	}
}
