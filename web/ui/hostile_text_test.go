package ui_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/sceval/sceval/platform"
)

// hostile is markup that would run if a page printed it unescaped.
const hostile = `<script>alert("xss")</script><img src=x onerror=alert(1)>`

// hrefs finds the same-site links of a page.
var hrefs = regexp.MustCompile(`href="(/[^"]*)"`)

// TestHostileTextNeverReachesAPageAsMarkup writes markup into every kind
// of text users type — a pilot's name, an entry's narrative, a return
// reason, an evidence file's name — then visits every page reachable from
// the overview as an administrator (and the same as an anonymous visitor):
// no page carries the markup, each shows it as text somewhere. Pages added
// by later areas are found by the crawl, not listed.
func TestHostileTextNeverReachesAPageAsMarkup(t *testing.T) {
	e := newEnv(t, true)
	subs, _, err := e.svc.ListSubmissions(e.ctx, platform.SubmissionFilter{CycleID: e.demo.CycleID, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var draft, submitted platform.Submission
	for _, s := range subs {
		switch {
		case s.State == platform.SubmissionDraft && draft.ID == 0:
			draft = s
		case s.State == platform.SubmissionSubmitted && submitted.ID == 0:
			submitted = s
		}
	}
	if draft.ID == 0 || submitted.ID == 0 {
		t.Fatal("the demo has no draft or no submitted submission")
	}
	p, err := e.svc.GetPilot(e.ctx, draft.PilotID)
	if err != nil {
		t.Fatal(err)
	}
	p.Name = hostile + "试点"
	if _, err := e.svc.UpdatePilot(e.ctx, p); err != nil {
		t.Fatal(err)
	}
	full, err := e.svc.GetSubmission(e.ctx, draft.ID)
	if err != nil || len(full.Entries) == 0 {
		t.Fatalf("draft entries: %v", err)
	}
	entry := full.Entries[0]
	if _, err := e.svc.SaveEntry(e.ctx, draft.ID, entry.Code, platform.EntryInput{Value: entry.Value, Unit: entry.Unit, Level: entry.Level,
		Narrative: hostile, Version: entry.Version}); err != nil {
		t.Fatalf("narrative: %v", err)
	}
	if _, err := e.svc.AddEvidence(e.ctx, draft.ID, "1.1.2", hostile+".pdf", strings.NewReader("%PDF-1.4\n% hostile\n%%EOF\n")); err != nil {
		t.Fatalf("evidence: %v", err)
	}
	if _, err := e.svc.TransitionSubmission(e.ctx, submitted.ID, submitted.Version, platform.SubmissionReturned, hostile); err != nil {
		t.Fatalf("return: %v", err)
	}
	for _, who := range []*env{e, e.anonymous()} {
		visited := crawl(t, who, "/", 400)
		if len(visited) < 5 {
			t.Fatalf("the crawl found %d pages", len(visited))
		}
		t.Logf("%d pages visited (authenticated: %v)", len(visited), who.auth != "")
	}
}

// crawl visits the pages reachable from start (at most limit), failing on
// any that carries the hostile markup or answers 5xx; it returns the paths.
func crawl(t *testing.T, e *env, start string, limit int) []string {
	t.Helper()
	seen := map[string]bool{start: true}
	queue := []string{start}
	escapedSeen := false
	for len(queue) > 0 && len(seen) <= limit {
		path := queue[0]
		queue = queue[1:]
		pg := e.get(path)
		if pg.status >= 500 {
			t.Errorf("GET %s: status %d", path, pg.status)
		}
		if !strings.HasPrefix(pg.header.Get("Content-Type"), "text/html") {
			continue
		}
		if strings.Contains(pg.body, "<script>alert") || strings.Contains(pg.body, "<img src=x") {
			i := max(0, strings.Index(pg.body, "alert")-80)
			t.Errorf("GET %s carries the markup: …%s…", path, pg.body[i:min(len(pg.body), i+160)])
		}
		escapedSeen = escapedSeen || strings.Contains(pg.body, "&lt;script&gt;alert")
		for _, m := range hrefs.FindAllStringSubmatch(pg.body, -1) {
			link := strings.ReplaceAll(m[1], "&amp;", "&")
			if i := strings.IndexByte(link, '#'); i >= 0 {
				link = link[:i]
			}
			if skipLink(link) || seen[link] {
				continue
			}
			seen[link] = true
			queue = append(queue, link)
		}
	}
	if e.auth != "" && !escapedSeen {
		t.Error("no page showed the hostile text (escaped): the crawl missed the pages that show it")
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	return out
}

// skipLink leaves out assets, the API, downloads and links that change
// state or end the session.
func skipLink(link string) bool {
	for _, prefix := range []string{"/static/", "/api/", "/logout", "/metrics", "/healthz", "/readyz"} {
		if strings.HasPrefix(link, prefix) {
			return true
		}
	}
	return link == "" || strings.HasPrefix(link, "//")
}
