package ui

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/sceval/sceval/platform"
)

// assets are the page templates and the static files: the stylesheets
// (style.css, then one per area), the scripts (app.js, one per area) and the
// vendored libraries under static/vendor (see scripts/vendor-web.sh).
//
//go:embed templates/*.html static
var assets embed.FS

// corePages are the templates under templates/ of the read-only overview;
// each area adds its own (entryPages, reviewPages, …). Every page is
// rendered inside layout.html, with the shared partials (templates/_*.html).
var corePages = []string{"overview", "cycle", "pilot", "framework", "error"}

// pageNames are all the pages' templates.
func pageNames() []string {
	var out []string
	for _, part := range [][]string{corePages, entryPages, reviewPages, resultPages, scorecardPages, adminPages} {
		out = append(out, part...)
	}
	return out
}

// parsePages parses every page with the layout and the partials. It panics
// on a template error: the templates are embedded, so that is a programming
// error.
func (h *Handler) parsePages() map[string]*template.Template {
	partials, _ := fs.Glob(assets, "templates/_*.html")
	names := pageNames()
	out := make(map[string]*template.Template, len(names))
	for _, name := range names {
		if _, dup := out[name]; dup {
			panic("ui: page " + name + " is declared twice")
		}
		t := template.New(name).Funcs(h.funcs())
		files := append([]string{"templates/layout.html", "templates/" + name + ".html"}, partials...)
		out[name] = template.Must(t.ParseFS(assets, files...))
	}
	return out
}

// funcs are the formatting helpers the templates use.
func (h *Handler) funcs() template.FuncMap {
	return template.FuncMap{
		// local shows an instant in the deployment's time zone.
		"local":  func(t time.Time) string { return t.In(h.opts.Location).Format("2006-01-02 15:04") },
		"score":  formatScore,
		"stars":  formatStars,
		"starsN": func(n, most int) string { return formatStars(&n, most) },
		"deref": func(n *int) int {
			if n == nil {
				return 0
			}
			return *n
		},
		"unranked": func(b *bool) bool { return b != nil && !*b },
		"isZero":   func(x *float64) bool { return x != nil && math.Abs(*x) < 1e-9 },
		"pct":      func(x float64) string { return fmt.Sprintf("%.0f%%", 100*x) },
		"weight":   func(x float64) string { return fmt.Sprintf("%.4f", x) },
		"share":    func(x float64) string { return fmt.Sprintf("%.2f%%", 100*x) },
		"date":     formatDate,
		"when":     func(t time.Time) string { return t.In(h.opts.Location).Format("2006-01-02 15:04 MST") },
		"rank":     formatRank,
		"indent":   func(level int) int { return max(level-1, 0) },
		// json writes v into a <script type="application/json"> data
		// block (html/template escapes it for that context).
		"json": func(v any) (template.JS, error) {
			b, err := json.Marshal(v)
			return template.JS(b), err
		},
	}
}

// formatScore shows a score to two decimals, or a dash when missing.
func formatScore(x *float64) string {
	if x == nil {
		return "–"
	}
	return fmt.Sprintf("%.2f", *x)
}

// formatStars draws n of most stars as ★★☆; a dash when n is missing.
func formatStars(n *int, most int) string {
	if n == nil {
		return "–"
	}
	filled := min(max(*n, 0), most)
	return strings.Repeat("★", filled) + strings.Repeat("☆", most-filled)
}

// formatRank shows a rank, or a dash when missing.
func formatRank(r *int) string {
	if r == nil {
		return "–"
	}
	return fmt.Sprint(*r)
}

// formatDate shows a date, or a dash when unset.
func formatDate(t *time.Time) string {
	if t == nil {
		return "–"
	}
	return t.Format("2006-01-02") // in the cycle's own zone (Service.GetCycle)
}

// render executes page name with data into a buffer, then writes it with
// status: a template failure becomes a clean 500, never half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := h.pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		h.logger.ErrorContext(r.Context(), "ui: render page", "page", name, "err", err)
		http.Error(w, "internal server error", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Content-Security-Policy", pageSecurityPolicy)
	hd.Set("Referrer-Policy", "same-origin")
	hd.Set("Cache-Control", "no-cache")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// pageSecurityPolicy lets a page use sceval's own scripts, styles, images
// and requests only (htmx's XHRs and the map's fetch are connect-src), with
// no inline script or style anywhere: charts draw on canvas, and their
// tooltips render as rich text, not HTML with style attributes (app.js).
// Evidence previews (PDF, images) are same-origin objects and images.
const pageSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"connect-src 'self'; object-src 'self'; frame-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// errorData is the content of the error page.
type errorData struct {
	page
	Status  int
	Message string
}

// renderError renders the error page with status and message.
func (h *Handler) renderError(w http.ResponseWriter, r *http.Request, pg page, status int, message string) {
	if status == http.StatusNotFound {
		pg.Title = pg.L.T("error.not_found")
	} else {
		pg.Title = pg.L.T("error.internal")
	}
	h.render(w, r, status, "error", errorData{page: pg, Status: status, Message: message})
}

// fail renders err: a platform not_found error as the 404 page saying
// notFound (err's own message when notFound is empty), anything else as a
// 500 whose details go only to the log.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, pg page, err error, notFound string) {
	if platform.ErrorKindOf(err) == platform.NotFound {
		if notFound == "" {
			notFound = err.Error()
		}
		h.renderError(w, r, pg, http.StatusNotFound, notFound)
		return
	}
	if errors.Is(err, context.Canceled) {
		return
	}
	h.logger.ErrorContext(r.Context(), "ui: page failed", "path", r.URL.Path, "err", err)
	h.renderError(w, r, pg, http.StatusInternalServerError, pg.L.T("error.internal_text"))
}

// staticFiles serves the embedded static files under /static/. They change
// only with the binary, so browsers may keep them for an hour (ETag-free;
// the version query of the layout's links busts the cache on upgrade).
func staticFiles() http.Handler {
	sub, err := fs.Sub(assets, "static")
	if err != nil { // embedded: cannot happen
		panic(err)
	}
	files := http.StripPrefix("/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") { // no directory listings
			http.NotFound(w, r)
			return
		}
		if strings.HasSuffix(r.URL.Path, ".json") {
			w.Header().Set("Content-Type", "application/json")
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		files.ServeHTTP(w, r)
	})
}

// staticAssets lists the stylesheets and scripts every page links: style.css
// and app.js first, then each area's own file in name order.
func staticAssets(ext string) []string {
	first := map[string]string{".css": "style.css", ".js": "app.js"}[ext]
	out := []string{"/static/" + first}
	names, _ := fs.Glob(assets, "static/*"+ext)
	for _, n := range names {
		if base := strings.TrimPrefix(n, "static/"); base != first {
			out = append(out, "/static/"+base)
		}
	}
	return out
}
