package ui

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/sceval/sceval/platform"
)

// langCookie remembers the language chosen with the language switch.
const langCookie = "lang"

// page is what the layout needs: the language, its messages, the title, the
// demo banner and the link that switches the language.
type page struct {
	Lang  string
	L     catalogue
	Title string
	Demo  bool
	// SwitchURL is the current page in the other language.
	SwitchURL string
	// User is the logged-in account's name, "" for an anonymous visitor
	// (who is shown the way to the login form).
	User string
	// Nav are the links of the areas the identity may use.
	Nav []navItem
	// Path is the request's path (the navigation marks its own link).
	Path string
	// Styles and Scripts are the static files every page links.
	Styles, Scripts []string
}

// navItem is one link of the main navigation.
type navItem struct {
	Label string
	Href  string
}

// Current reports whether the item leads to path or to a page under it.
func (n navItem) Current(path string) bool {
	if n.Href == "/" {
		return path == "/"
	}
	return path == n.Href || strings.HasPrefix(path, strings.TrimSuffix(n.Href, "/")+"/")
}

// HTMLLang is the value of <html lang>.
func (p page) HTMLLang() string {
	if p.Lang == "en" {
		return "en"
	}
	return "zh-CN"
}

// OtherLang is the language SwitchURL leads to.
func (p page) OtherLang() string {
	if p.Lang == "en" {
		return "zh"
	}
	return "en"
}

// base builds the page frame of a request: the language (remembered in a
// cookie when ?lang chose it) and whether demo data is present.
func (h *Handler) base(w http.ResponseWriter, r *http.Request) page {
	lang := languageOf(w, r)
	p := page{Lang: lang, L: catalogue{lang: lang}}
	p.SwitchURL = withQuery(r.URL, "lang", p.OtherLang())
	p.Demo = h.demoPresent(r.Context())
	p.User = platform.IdentityFrom(r.Context()).User
	p.Path = r.URL.Path
	p.Nav = h.nav(r, p.L)
	p.Styles, p.Scripts = staticAssets(".css"), staticAssets(".js")
	return p
}

// nav is the main navigation for the request's identity: the overview, then
// each area's links that the identity may use.
func (h *Handler) nav(r *http.Request, l catalogue) []navItem {
	out := []navItem{{Label: l.T("nav.overview"), Href: "/"}}
	for _, area := range []func(*http.Request, catalogue) []navItem{
		h.entryNav, h.reviewNav, h.resultNav, h.scorecardNav, h.adminNav,
	} {
		out = append(out, area(r, l)...)
	}
	return out
}

// languageOf returns "zh" or "en": from ?lang (then stored in the cookie),
// else from the cookie, else "zh".
func languageOf(w http.ResponseWriter, r *http.Request) string {
	if q := r.URL.Query().Get("lang"); q == "zh" || q == "en" {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: q, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode})
		return q
	}
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == "zh" || c.Value == "en") {
		return c.Value
	}
	return "zh"
}

// withQuery returns u's path and query with key set to value.
func withQuery(u *url.URL, key, value string) string {
	q := u.Query()
	q.Set(key, value)
	return u.Path + "?" + q.Encode()
}

// demoPresent reports whether any cycle is stored as demo data. A failure
// to list cycles is logged and shows no banner: the page itself reports the
// failure if the database is really down.
func (h *Handler) demoPresent(ctx context.Context) bool {
	demo := true
	_, n, err := h.svc.ListCycles(ctx, platform.CycleFilter{Demo: &demo, Limit: 1})
	if err != nil {
		h.logger.WarnContext(ctx, "ui: list cycles for the demo banner", "err", err)
		return false
	}
	return n > 0
}
