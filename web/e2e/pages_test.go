package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/sceval/sceval/platform"
)

// TestReadOnlyPagesInTheBrowser opens the overview, a cycle, a pilot and
// the framework as an administrator, in both languages, at desktop and
// phone width: every page loads only from the server, logs no console
// error, and at 375 px nothing but a table sticks out to the right.
func TestReadOnlyPagesInTheBrowser(t *testing.T) {
	s := Start(t)
	user, pw := s.NewUser(t, platform.NewUser{Username: "e2e-admin", Role: platform.RoleAdmin})
	rows, _, err := s.Svc.ListResults(s.Ctx, platform.ResultFilter{CycleID: s.Demo.CycleID, Limit: 1})
	if err != nil || len(rows) == 0 {
		t.Fatalf("demo ranking: %v", err)
	}
	paths := []string{"/", fmt.Sprintf("/cycles/%d", s.Demo.CycleID), fmt.Sprintf("/pilots/%d", rows[0].PilotID),
		"/frameworks/mohurd-2012"}
	for _, width := range []int64{1280, 375} {
		ctx := s.Browser(t, Size(width, 900))
		s.Login(t, ctx, user, pw)
		for _, lang := range []string{"zh", "en"} {
			for i, p := range paths {
				s.Open(t, ctx, p+"?lang="+lang)
				text := Text(t, ctx)
				if strings.Contains(text, "⟦") {
					t.Errorf("%s (%s): a message key is missing from the catalogue: %q", p, lang, text[strings.Index(text, "⟦"):][:40])
				}
				if width == 375 {
					if over := HorizontalOverflow(t, ctx); len(over) > 0 {
						t.Errorf("%s (%s) at 375 px: sticks out: %v", p, lang, over)
					}
				}
				Screenshot(t, ctx, fmt.Sprintf("core-%d-%s-%d", i, lang, width))
			}
		}
	}
	// The layout says who is logged in, and the language switch persists.
	ctx := s.Browser(t)
	s.Login(t, ctx, user, pw)
	s.Open(t, ctx, "/?lang=en")
	s.Open(t, ctx, "/")
	var lang string
	if err := chromedp.Run(ctx, chromedp.AttributeValue("html", "lang", &lang, nil)); err != nil {
		t.Fatal(err)
	}
	if lang != "en" {
		t.Errorf("after ?lang=en the next page is in %q, want en (the choice persists)", lang)
	}
	if text := Text(t, ctx); !strings.Contains(text, user) {
		t.Errorf("the navigation does not name the logged-in user %s", user)
	}
}
