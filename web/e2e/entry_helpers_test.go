package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sceval/sceval/platform"
)

// entrySetup is an open cycle of the built-in framework (2.2.6 may be not
// applicable) with a pilot, its draft submission and a pilot account.
type entrySetup struct {
	cycle platform.Cycle
	pilot platform.Pilot
	sub   platform.Submission
	user  string
	pw    string
}

// newEntrySetup creates what the data-entry tests need through the
// service (the demo's own open cycle may change; these tests own theirs).
func newEntrySetup(t *testing.T, s *Server, users ...string) entrySetup {
	t.Helper()
	due := time.Now().AddDate(0, 1, 0).Truncate(time.Second)
	c, err := s.Svc.CreateCycle(s.Ctx, platform.Cycle{Name: "2025 年度监测（浏览器测试）", Kind: platform.CycleAnnualMonitoring,
		Year: 2025, FrameworkID: "mohurd-2012", NotApplicable: []string{"2.2.6"}, DueAt: &due})
	if err != nil {
		t.Fatal(err)
	}
	if c, err = s.Svc.TransitionCycle(s.Ctx, c.ID, c.Version, platform.CycleOpen); err != nil {
		t.Fatal(err)
	}
	p, err := s.Svc.CreatePilot(s.Ctx, platform.Pilot{RegionCode: "320500", Name: "苏州市（测试）", Batch: "e2e", Type: platform.PilotCity})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := s.Svc.CreateSubmission(s.Ctx, c.ID, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	es := entrySetup{cycle: c, pilot: p, sub: sub}
	if len(users) == 0 {
		users = []string{"e2e-pilot"}
	}
	for i, u := range users {
		name, pw := s.NewUser(t, platform.NewUser{Username: u, Role: platform.RolePilot, PilotID: p.ID})
		if i == 0 {
			es.user, es.pw = name, pw
		}
	}
	return es
}

// formPath is the submission form.
func (es entrySetup) formPath() string { return fmt.Sprintf("/entry/submissions/%d", es.sub.ID) }

// waitFor polls a JavaScript condition until it is true.
func waitFor(ctx context.Context, what, cond string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		for {
			var ok bool
			// A navigation in progress has no body yet: false, not an error.
			probe := "(function(){try{return !!(" + cond + ")}catch(e){return false}})()"
			if err := chromedp.Evaluate(probe, &ok).Do(ctx); err != nil {
				return fmt.Errorf("%s: %w", what, err)
			}
			if ok {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("waiting for %s: %w", what, ctx.Err())
			case <-time.After(40 * time.Millisecond):
			}
		}
	})
}

// js evaluates an expression into out.
func js(t *testing.T, ctx context.Context, expr string, out any) {
	t.Helper()
	if err := chromedp.Run(ctx, chromedp.Evaluate(expr, out)); err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
}

// savedText is the status text of an indicator (slug form of its code).
func savedText(slug string) string {
	return `((document.querySelector('#ind-` + slug + ` .entry-state') || {}).innerText || '')`
}

// storedEntry reads an entry back through the service.
func storedEntry(t *testing.T, s *Server, subID int64, code string) platform.Entry {
	t.Helper()
	sub, err := s.Svc.GetSubmission(s.Ctx, subID)
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

// clearField empties an input by script (no change event: the typing
// that follows makes one).
func clearField(sel string) chromedp.Action {
	var ignored any
	return chromedp.Evaluate(`document.querySelector('`+sel+`').value = ''`, &ignored)
}
