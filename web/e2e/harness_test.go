package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/sceval/sceval/demo"
	"github.com/sceval/sceval/demo/demotest"
	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/platform/blob"
	"github.com/sceval/sceval/platform/sqlstore"
	"github.com/sceval/sceval/region"
	"github.com/sceval/sceval/report"
	"github.com/sceval/sceval/web"
)

// testPassword is the password of every account NewUser creates.
const testPassword = "e2e correct horse battery"

// stepTimeout bounds one browser test's actions.
const stepTimeout = 180 * time.Second

var regions = sync.OnceValues(region.Default)

// Server is the whole application on a temporary database, with the demo.
type Server struct {
	URL  string
	Svc  *platform.Service
	Ctx  context.Context // an administrator's identity, for set-up through the service
	Demo demo.Summary
	Dir  string

	host     string
	chromium string
	mu       sync.Mutex
	allowed  map[context.Context][]string
}

// chromiumPath returns the browser, or skips (fails under CI) without one.
func chromiumPath(t *testing.T) string {
	t.Helper()
	p, err := report.FindChromium()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("browser tests: %v (CI must install chromium)", err)
		}
		t.Skipf("browser tests skipped: %v", err)
	}
	return p
}

// Start runs the server with the demo data and a Chromium ready to attach
// browser contexts to.
func Start(t *testing.T) *Server {
	t.Helper()
	path := chromiumPath(t)
	ctx := platform.WithIdentity(context.Background(), platform.Identity{User: "e2e-setup", Roles: []string{"admin"}})
	// The demo, seeded once per test process: this server's own copy.
	db, data, sum := demotest.Demo.Copy(t)
	dir := filepath.Dir(db)
	store, err := sqlstore.Open(ctx, db, nil)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	blobs, err := blob.NewFS(data)
	if err != nil {
		t.Fatalf("blobs: %v", err)
	}
	reg, err := regions()
	if err != nil {
		t.Fatalf("regions: %v", err)
	}
	svc := platform.NewService(store, blobs, platform.BuiltinFrameworks{}, platform.ServiceOptions{})
	srv := web.NewServer(svc, reg, web.BuiltinFrameworks{}, store, slog.New(slog.DiscardHandler), web.Options{Version: "e2e"})
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	u, _ := url.Parse(hs.URL)
	s := &Server{URL: hs.URL, Svc: svc, Ctx: ctx, Demo: sum, Dir: dir, host: u.Host, chromium: path,
		allowed: map[context.Context][]string{}}
	return s
}

// NewUser creates an account with the shared test password (no change
// required) and returns its name and password.
func (s *Server) NewUser(t *testing.T, nu platform.NewUser) (string, string) {
	t.Helper()
	nu.Password = testPassword
	if _, err := s.Svc.CreateUser(s.Ctx, nu); err != nil {
		t.Fatalf("create user %s: %v", nu.Username, err)
	}
	return nu.Username, testPassword
}

// BrowserOption configures a browser context.
type BrowserOption func(*browserConfig)

type browserConfig struct{ width, height int64 }

// Size sets the viewport (CSS pixels).
func Size(width, height int64) BrowserOption {
	return func(c *browserConfig) { c.width, c.height = width, height }
}

// Browser opens a fresh browser context (its own cookies and storage) with
// one tab, recording requests and console messages; the test fails at its
// end on a request to another host, a console error or an exception.
func (s *Server) Browser(t *testing.T, opts ...BrowserOption) context.Context {
	t.Helper()
	cfg := browserConfig{width: 1280, height: 900}
	for _, o := range opts {
		o(&cfg)
	}
	// Each context is its own Chromium with a fresh profile: separate
	// cookies and storage, as two people on two machines. (New browser
	// contexts inside one headless Chromium refuse to open tabs.)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), report.AllocatorOptions(s.chromium)...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	cancel := func() { cancelCtx(); cancelAlloc() }
	ctx, cancelTimeout := context.WithTimeout(ctx, stepTimeout)
	rec := &recorder{serverHost: s.host}
	chromedp.ListenTarget(ctx, rec.listen)
	if err := chromedp.Run(ctx, network.Enable(), log.Enable(), runtime.Enable(),
		chromedp.EmulateViewport(cfg.width, cfg.height)); err != nil {
		cancelTimeout()
		cancel()
		t.Fatalf("start browser context: %v", err)
	}
	t.Cleanup(func() {
		for _, p := range rec.problems(s.allowedFor(ctx)) {
			t.Error(p)
		}
		cancelTimeout()
		cancel()
	})
	return ctx
}

// AllowConsole excuses console messages containing substr in ctx.
func (s *Server) AllowConsole(ctx context.Context, substr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.allowed[ctx] = append(s.allowed[ctx], substr)
}

func (s *Server) allowedFor(ctx context.Context) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.allowed[ctx]
}

// recorder collects the requests to other hosts and the console errors of
// one browser context.
type recorder struct {
	serverHost string
	mu         sync.Mutex
	foreign    []string
	console    []string
}

func (r *recorder) listen(ev any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch e := ev.(type) {
	case *network.EventRequestWillBeSent:
		u, err := url.Parse(e.Request.URL)
		// chrome-extension: Chromium's built-in PDF viewer, inside the browser.
		if err == nil && (u.Scheme == "data" || u.Scheme == "blob" || u.Scheme == "about" || u.Scheme == "chrome-extension") {
			return
		}
		if err != nil || u.Host != r.serverHost {
			r.foreign = append(r.foreign, e.Request.URL)
		}
	case *runtime.EventConsoleAPICalled:
		if e.Type == runtime.APITypeError || e.Type == runtime.APITypeAssert {
			r.console = append(r.console, "console."+string(e.Type)+": "+consoleArgs(e.Args))
		}
	case *runtime.EventExceptionThrown:
		msg := e.ExceptionDetails.Text
		if e.ExceptionDetails.Exception != nil {
			msg += " " + e.ExceptionDetails.Exception.Description
		}
		r.console = append(r.console, "exception: "+msg)
	case *log.EventEntryAdded:
		if e.Entry.Level == log.LevelError {
			r.console = append(r.console, fmt.Sprintf("log %s: %s (%s)", e.Entry.Source, e.Entry.Text, e.Entry.URL))
		}
	}
}

func consoleArgs(args []*runtime.RemoteObject) string {
	var parts []string
	for _, a := range args {
		if len(a.Value) > 0 {
			parts = append(parts, string(a.Value))
		} else {
			parts = append(parts, a.Description)
		}
	}
	return strings.Join(parts, " ")
}

// problems are the recorded failures not excused by allowed.
func (r *recorder) problems(allowed []string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, u := range r.foreign {
		out = append(out, "request to another host: "+u)
	}
next:
	for _, c := range r.console {
		for _, a := range allowed {
			if strings.Contains(c, a) {
				continue next
			}
		}
		out = append(out, c)
	}
	return out
}

// Login logs user in through the JSON API and gives the browser context the
// session cookie (the login page itself has its own tests).
func (s *Server) Login(t *testing.T, ctx context.Context, user, password string) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"username": user, "password": password})
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/api/v1/auth/login", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("login %s: %v", user, err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("login %s: HTTP %d", user, res.StatusCode)
	}
	var actions []chromedp.Action
	for _, c := range res.Cookies() {
		actions = append(actions, network.SetCookie(c.Name, c.Value).WithURL(s.URL).WithHTTPOnly(c.HttpOnly).WithPath("/"))
	}
	if len(actions) == 0 {
		t.Fatalf("login %s: no session cookie", user)
	}
	if err := chromedp.Run(ctx, actions...); err != nil {
		t.Fatalf("set session cookie: %v", err)
	}
}

// Open navigates to path and waits for the document and its charts.
func (s *Server) Open(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	if err := chromedp.Run(ctx, chromedp.Navigate(s.URL+path), chromedp.WaitReady("body", chromedp.ByQuery), WaitCharts()); err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
}

// WaitCharts waits until app.js has drawn every chart of the page (or there
// is none, or one failed and shows its error).
func WaitCharts() chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		const probe = `(function(){var n=document.querySelectorAll('.chart[data-option]').length;` +
			`return n===0 || document.documentElement.getAttribute('data-charts')==='drawn' || ` +
			`document.querySelectorAll('.chart-error').length>0;})()`
		for {
			var done bool
			if err := chromedp.Evaluate(probe, &done).Do(ctx); err != nil {
				return err
			}
			if done {
				return nil
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("charts not drawn: %w", ctx.Err())
			case <-time.After(50 * time.Millisecond):
			}
		}
	})
}

// Text returns the page's visible text.
func Text(t *testing.T, ctx context.Context) string {
	t.Helper()
	var text string
	if err := chromedp.Run(ctx, chromedp.Evaluate(`document.title + "\n" + document.body.innerText`, &text)); err != nil {
		t.Fatalf("page text: %v", err)
	}
	return text
}

// HorizontalOverflow returns the elements outside tables that stick out of
// the viewport to the right (none on a page that fits its width).
func HorizontalOverflow(t *testing.T, ctx context.Context) []string {
	t.Helper()
	const probe = `(function(){var w=document.documentElement.clientWidth, out=[];
document.querySelectorAll('body *').forEach(function(el){
  if (el.closest('table, .table-wrap, .chart, pre')) return;
  var r=el.getBoundingClientRect(); if (r.width>0 && r.right>w+1) out.push(el.tagName.toLowerCase()+(el.id?'#'+el.id:'')+(el.className&&el.className.baseVal===undefined?'.'+String(el.className).split(' ').join('.'):'')+' right='+Math.round(r.right));
}); return out.slice(0,20);})()`
	var out []string
	if err := chromedp.Run(ctx, chromedp.Evaluate(probe, &out)); err != nil {
		t.Fatalf("overflow probe: %v", err)
	}
	return out
}

// Screenshot saves a full-page PNG named name.png and logs its path.
func Screenshot(t *testing.T, ctx context.Context, name string) string {
	t.Helper()
	dir := os.Getenv("SCEVAL_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "sceval-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("screenshots: %v", err)
	}
	var png []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	t.Logf("screenshot: %s", path)
	return path
}

// nodeIDs is a helper for tests that need the nodes of a selector.
func nodeIDs(t *testing.T, ctx context.Context, sel string) []*cdp.Node {
	t.Helper()
	var nodes []*cdp.Node
	if err := chromedp.Run(ctx, chromedp.Nodes(sel, &nodes, chromedp.ByQueryAll, chromedp.AtLeast(0))); err != nil {
		t.Fatalf("nodes %s: %v", sel, err)
	}
	return nodes
}

// run runs chromedp actions with a deadline, failing the test with what.
func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Run(c, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}
