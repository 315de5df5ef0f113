package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/sceval/sceval/demo"
	"github.com/sceval/sceval/platform"
)

// TestDemoStoryInTheBrowser follows the demo as a newcomer would: an
// anonymous visitor sees the published cycles — the final acceptance with
// stars, a scorecard with its earlier cycles — but not the open one; then
// each role's demo account signs in through the login form with the
// password serve --demo prints.
func TestDemoStoryInTheBrowser(t *testing.T) {
	s := Start(t)
	f := s.Demo.Facts
	ctx := s.Browser(t)

	s.Open(t, ctx, "/")
	text := Text(t, ctx)
	for _, want := range []string{demo.Cycle2014, demo.Cycle2015, demo.CycleFinal, "演示数据为虚构"} {
		if !strings.Contains(text, want) {
			t.Errorf("anonymous overview lacks %q", want)
		}
	}
	if strings.Contains(text, demo.CycleOpen) {
		t.Errorf("anonymous overview shows the unpublished %s", demo.CycleOpen)
	}
	s.Open(t, ctx, fmt.Sprintf("/cycles/%d", f.FinalCycleID))
	if text := Text(t, ctx); !strings.Contains(text, "★★★") || !strings.Contains(text, demo.CycleFinal) {
		t.Errorf("the final acceptance shows no three-star pilot:\n%.300s", text)
	}
	Screenshot(t, ctx, "demo-final-acceptance")
	s.Open(t, ctx, fmt.Sprintf("/pilots/%d", f.StarPilotID))
	text = Text(t, ctx)
	for _, want := range []string{demo.Cycle2014, demo.Cycle2015, demo.CycleFinal} {
		if !strings.Contains(text, want) {
			t.Errorf("the scorecard of pilot %d lacks its result in %s", f.StarPilotID, want)
		}
	}
	Screenshot(t, ctx, "demo-scorecard")
	res, err := http.Get(fmt.Sprintf("%s/cycles/%d", s.URL, f.OpenCycleID))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("anonymous on the open cycle: HTTP %d, want 404", res.StatusCode)
	}

	for _, role := range []platform.Role{platform.RoleAdmin, platform.RoleMinistry, platform.RoleProvince, platform.RolePilot, platform.RoleExpert} {
		a, ok := demo.AccountFor(role)
		if !ok {
			t.Fatalf("no demo account for %s", role)
		}
		err := chromedp.Run(ctx, network.ClearBrowserCookies(),
			chromedp.Navigate(s.URL+"/login"), chromedp.WaitVisible(`input[name="username"]`, chromedp.ByQuery),
			chromedp.SendKeys(`input[name="username"]`, a.Username, chromedp.ByQuery),
			chromedp.SendKeys(`input[name="password"]`, a.Password, chromedp.ByQuery),
			chromedp.Submit(`input[name="password"]`, chromedp.ByQuery),
			// The form redirects to a start page that names the user.
			chromedp.WaitVisible(`header .user`, chromedp.ByQuery))
		if err != nil {
			t.Fatalf("%s logs in: %v", a.Username, err)
		}
		if text := Text(t, ctx); !strings.Contains(text, a.Username) {
			t.Errorf("%s (%s) with the printed password is not signed in:\n%.300s", a.Username, role, text)
		}
	}
}
