package ui

import (
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/sceval/sceval/platform"
)

// reviewExtend handles POST /review/submissions/{id}/extension: the
// ministry grants the submission's pilot a later due date in its cycle
// (Service.GrantExtension), then the page shows the new date.
func (h *Handler) reviewExtend(w http.ResponseWriter, r *http.Request) {
	pg := h.base(w, r)
	if !h.reviewerOnly(w, r, pg, "cycle.extend") {
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.renderError(w, r, pg, http.StatusNotFound, pg.L.T("error.no_page"))
		return
	}
	ctx := r.Context()
	form := extensionForm{Due: r.PostFormValue("due"), Reason: r.PostFormValue("reason")}
	v, err := h.submissionView(ctx, pg, id)
	if err != nil {
		h.reviewFail(w, r, pg, err)
		return
	}
	if _, err := h.svc.GrantExtension(ctx, v.Sub.CycleID, v.Sub.PilotID, form.Due, form.Reason); err != nil {
		var status int
		form.Error, status = reviewError(pg.L, err)
		if form.Error.Field == "reason" {
			form.Error.Message = pg.L.T("review.err.ext_reason")
		}
		v.Form.Version, v.Extension = v.Sub.Version, form
		h.render(w, r, status, "review_submission", v)
		return
	}
	http.Redirect(w, r, "/review/submissions/"+strconv.FormatInt(id, 10)+"?done=extension", http.StatusSeeOther)
}

// inlineTypes are the evidence types a page shows inline; everything else
// is only downloaded.
var inlineTypes = map[string]bool{platform.TypePDF: true, platform.TypePNG: true, platform.TypeJPEG: true,
	platform.TypeGIF: true, platform.TypeWebP: true}

// evidenceCSP is the policy of an evidence file shown in a page: it runs
// nothing and may be embedded only by sceval's own pages.
const evidenceCSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"

// serveEvidence streams an evidence file: inline (for the page's <img> or
// <object>) when it is an image or a PDF and download is not asked for, as
// an attachment otherwise. The content type is the one sniffed at upload,
// and nosniff keeps the browser to it.
func serveEvidence(w http.ResponseWriter, r *http.Request, ev platform.Evidence, body func(http.ResponseWriter)) {
	disposition := "attachment"
	if inlineTypes[ev.ContentType] && r.URL.Query().Get("download") == "" {
		disposition = "inline"
	}
	hd := w.Header()
	hd.Set("Content-Type", ev.ContentType)
	hd.Set("Content-Length", strconv.FormatInt(ev.Size, 10))
	if cd := mime.FormatMediaType(disposition, map[string]string{"filename": ev.Filename}); cd != "" {
		hd.Set("Content-Disposition", cd)
	} else {
		hd.Set("Content-Disposition", disposition)
	}
	hd.Set("Content-Security-Policy", evidenceCSP)
	hd.Set("X-Frame-Options", "SAMEORIGIN")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Cache-Control", "private, max-age=0")
	w.WriteHeader(http.StatusOK)
	body(w)
}

// reviewEvidence serves GET /review/evidence/{id} (Service.OpenEvidence:
// the reviewer's scope decides).
func (h *Handler) reviewEvidence(w http.ResponseWriter, r *http.Request) {
	pg := h.base(w, r)
	if !h.reviewerOnly(w, r, pg, "submission.return") {
		return
	}
	id, ok := pathID(r)
	if !ok {
		h.renderError(w, r, pg, http.StatusNotFound, pg.L.T("error.no_page"))
		return
	}
	ev, rc, err := h.svc.OpenEvidence(r.Context(), id)
	if err != nil {
		h.reviewFail(w, r, pg, err)
		return
	}
	defer rc.Close()
	serveEvidence(w, r, ev, func(w http.ResponseWriter) { h.copyEvidence(r, w, ev, rc) })
}

// copyEvidence writes an evidence file's content; an interrupted download
// is only logged (the status is already sent).
func (h *Handler) copyEvidence(r *http.Request, w io.Writer, ev platform.Evidence, rc io.Reader) {
	if _, err := io.Copy(w, rc); err != nil {
		h.logger.WarnContext(r.Context(), "ui: evidence download interrupted", "evidence", ev.ID, "err", err)
	}
}
