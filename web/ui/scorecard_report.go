package ui

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"

	"github.com/sceval/sceval/platform"
	"github.com/sceval/sceval/report"
)

// pilotReport renders the scorecard's self-contained HTML report in the
// page's language, with the region's names and the deployment's zone.
func (h *Handler) pilotReport(sc *platform.Scorecard, pg page) ([]byte, error) {
	return report.PilotHTML(sc, report.PilotOptions{Lang: pg.Lang, Assets: ReportAssets(),
		Region: report.PilotRegion(h.regions, sc.Pilot.RegionCode), Location: h.opts.Location})
}

// scorecardHTML serves GET /pilots/{id}/scorecard.html: the report as a
// download (its inline scripts would not run under the pages' CSP, and
// need not: the file is read offline).
func (h *Handler) scorecardHTML(w http.ResponseWriter, r *http.Request) {
	pg := h.base(w, r)
	sc, _ := h.scorecardFor(w, r, pg)
	if sc == nil {
		return
	}
	body, err := h.pilotReport(sc, pg)
	if err != nil {
		h.fail(w, r, pg, err, "")
		return
	}
	scorecardDownload(w, "text/html; charset=utf-8", scorecardFilename(sc, pg.Lang, "html"), body)
}

// scorecardFilename names a report file: sceval-scorecard-<pilot>-<cycle>.
func scorecardFilename(sc *platform.Scorecard, lang, ext string) string {
	return fmt.Sprintf("sceval-scorecard-%d-%d-%s.%s", sc.Pilot.ID, sc.Cycle.ID, lang, ext)
}

// scorecardDownload writes body as an attachment named name.
func scorecardDownload(w http.ResponseWriter, contentType, name string, body []byte) {
	hd := w.Header()
	hd.Set("Content-Type", contentType)
	hd.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Cache-Control", "no-cache")
	hd.Set("Content-Security-Policy", "sandbox")
	_, _ = w.Write(body)
}

// scorecardPDFSlots bounds the Chromium processes the PDF route starts at
// once, whoever asks (anonymous visitors included): a browser costs
// hundreds of MB, and a burst of requests must queue, not exhaust memory.
// Process-wide by nature, like the browsers it counts.
var scorecardPDFSlots = make(chan struct{}, 2)

// scorecardPDF serves GET /pilots/{id}/scorecard.pdf: the report printed
// by headless Chromium. Without Chromium it answers 503 with a page that
// says so and links the HTML report, which still works.
func (h *Handler) scorecardPDF(w http.ResponseWriter, r *http.Request) {
	pg := h.base(w, r)
	sc, _ := h.scorecardFor(w, r, pg)
	if sc == nil {
		return
	}
	// A missing browser (none on PATH, or SCEVAL_CHROMIUM naming none) is
	// the deployment's state, not a failure: say so, point to the HTML.
	_, err := report.FindChromium()
	var body []byte
	if err == nil {
		body, err = h.pilotReport(sc, pg)
	} else {
		err = fmt.Errorf("%w (%v)", report.ErrNoChromium, err)
	}
	if err == nil {
		body, err = scorecardPrint(r.Context(), body)
	}
	switch {
	case errors.Is(err, report.ErrNoChromium):
		pg.Title = pg.L.T("scorecard.pdf_unavailable")
		msg := pg.L.F("scorecard.no_chromium", fmt.Sprintf("/pilots/%d/scorecard.html?cycle=%d", sc.Pilot.ID, sc.Cycle.ID))
		h.render(w, r, http.StatusServiceUnavailable, "error", errorData{page: pg, Status: http.StatusServiceUnavailable, Message: msg})
	case err != nil:
		h.fail(w, r, pg, err, "")
	default:
		scorecardDownload(w, "application/pdf", scorecardFilename(sc, pg.Lang, "pdf"), body)
	}
}

// scorecardPrint prints html to PDF, waiting for a free slot.
func scorecardPrint(ctx context.Context, html []byte) ([]byte, error) {
	select {
	case scorecardPDFSlots <- struct{}{}:
		defer func() { <-scorecardPDFSlots }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return report.PDF(ctx, html)
}
