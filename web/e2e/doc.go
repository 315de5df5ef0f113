// Package e2e holds sceval's browser tests: chromedp driving a real
// headless Chromium (Debian's chromium) against the whole server — API and
// pages — on a temporary SQLite database with the demo data.
//
// The tests skip with a message when no Chromium is found, except under
// CI=true, where a missing browser fails them (.ci/run installs chromium and
// fonts-noto-cjk). Screenshots go to $SCEVAL_SCREENSHOTS, else to
// $TMPDIR/sceval-screenshots; each test logs where.
//
// The harness (harness_test.go), for every test file of the package:
//
//	s := Start(t)                        // server + demo data; s.URL, s.Svc, s.Ctx (admin), s.Demo
//	user, pw := s.NewUser(t, platform.NewUser{Username: "p1", Role: platform.RolePilot, PilotID: id})
//	ctx := s.Browser(t)                  // a fresh browser context (own cookies), 1280×900
//	ctx := s.Browser(t, Size(375, 812))  // a phone-sized one
//	s.Login(t, ctx, user, pw)            // session cookie from the API, set in the browser
//	s.Open(t, ctx, "/path")              // navigate and wait for the page (and its charts)
//	Screenshot(t, ctx, "name")           // full-page PNG
//	Text(t, ctx)                         // the page's whole visible text (document.body.innerText)
//
// Every browser context records its network requests and console: at the
// end of the test, a request to any host other than the server, a console
// error or an uncaught exception fails the test (s.AllowConsole(ctx,
// substring) excuses an expected message, e.g. a 409 the page handles).
// Use chromedp's own actions (Click, SendKeys, SetValue, WaitVisible,
// SetUploadFiles, Evaluate, …) for everything else.
package e2e
