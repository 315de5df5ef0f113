package ui

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/report"
)

// cycleReport serves GET /cycles/{id}/report?format=html|pdf&province=CODE:
// the cycle summary report as a download, with what the reader may see
// (the agreement and uncertainty sections are the ministry's).
func (h *Handler) cycleReport(w http.ResponseWriter, r *http.Request) {
	h.serveCycleReport(w, r, false)
}

// publicReport serves GET /public/cycles/{id}/report: the report of a
// published cycle as the public sees it, whoever asks.
func (h *Handler) publicReport(w http.ResponseWriter, r *http.Request) {
	h.serveCycleReport(w, r, true)
}

// serveCycleReport builds, renders and sends a cycle summary report.
func (h *Handler) serveCycleReport(w http.ResponseWriter, r *http.Request, public bool) {
	ctx := r.Context()
	pg := h.base(w, r)
	id, ok := pathID(r)
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "html"
	}
	if !ok || (format != "html" && format != "pdf") {
		h.renderError(w, r, pg, http.StatusNotFound, pg.L.T("error.no_page"))
		return
	}
	if public {
		// The public's report: what an anonymous reader sees, of a
		// published cycle only.
		ctx = platform.WithIdentity(ctx, platform.Identity{})
		c, err := h.svc.GetCycle(ctx, id)
		if err == nil && c.State != platform.CyclePublished {
			err = &platform.Error{Kind: platform.NotFound, Message: "not published"}
		}
		if err != nil {
			h.fail(w, r, pg, err, pg.L.F("error.no_cycle", id))
			return
		}
	}
	rep, err := report.BuildCycleReport(ctx, report.CycleSource{Service: h.svc, Regions: h.regions}, id,
		r.URL.Query().Get("province"), pg.Lang, time.Now().In(h.opts.Location))
	if k := platform.ErrorKindOf(err); k == platform.Forbidden || k == platform.Unauthenticated || k == platform.Invalid {
		err = &platform.Error{Kind: platform.NotFound, Message: err.Error()}
	}
	if err != nil {
		h.fail(w, r, pg, err, pg.L.F("error.no_cycle", id))
		return
	}
	assets := ReportAssets()
	m, err := h.chinaMap()
	if err != nil { // a configured map that cannot be read: no report on another map
		h.fail(w, r, pg, fmt.Errorf("china map %s: %w", h.opts.MapGeoJSON, err), "")
		return
	}
	assets.Map = m.GeoJSON
	doc, err := rep.HTML(assets)
	if err == nil && format == "pdf" {
		doc, err = report.PDF(ctx, doc)
		if errors.Is(err, report.ErrNoChromium) {
			h.renderError(w, r, pg, http.StatusServiceUnavailable, pg.L.T("result.no_chromium"))
			return
		}
	}
	if err != nil {
		h.fail(w, r, pg, err, "")
		return
	}
	name := fmt.Sprintf("cycle-%d-report", id)
	if rep.Province != "" {
		name += "-" + rep.Province
	}
	hd := w.Header()
	if format == "pdf" {
		hd.Set("Content-Type", "application/pdf")
	} else {
		hd.Set("Content-Type", "text/html; charset=utf-8")
		// Opened from the server rather than saved, the document may run
		// its own inline chart code and nothing else.
		hd.Set("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; frame-ancestors 'none'")
	}
	hd.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.%s"`, name, format))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Cache-Control", "no-cache")
	_, _ = w.Write(doc)
}
