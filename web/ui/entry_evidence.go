package ui

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/sceval/sceval/platform"
)

// evidenceView is the evidence block of one indicator: its files, the
// upload form and the outcome of the last upload or delete.
type evidenceView struct {
	L        catalogue
	SubID    int64
	Code     string
	Slug     string
	Editable bool
	Files    []evidenceFile
	MaxMiB   int64
	Error    string
	Notice   string
}

// evidenceFile is an evidence file with its size for people.
type evidenceFile struct {
	platform.Evidence
	SizeText string
}

// sizeText shows a file size: bytes, KiB or MiB with one decimal.
func sizeText(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

// UploadAction is the URL the upload form posts to.
func (v evidenceView) UploadAction() string {
	return fmt.Sprintf("/entry/submissions/%d/entries/%s/evidence", v.SubID, v.Code)
}

// uploadOverhead is what a multipart envelope may add around the file.
const uploadOverhead = 64 << 10

// entryUpload handles POST /entry/submissions/{id}/entries/{code}/evidence:
// the file is streamed from the multipart body into the service (as the
// JSON API does), then the indicator's evidence block is shown again (an
// htmx swap) or the form is (without JavaScript: a redirect on success).
func (h *Handler) entryUpload(w http.ResponseWriter, r *http.Request) {
	if requireLogin(w, r) {
		return
	}
	pg := h.base(w, r)
	id, ok := pathID(r)
	if !ok {
		h.renderError(w, r, pg, http.StatusNotFound, pg.L.T("error.no_page"))
		return
	}
	code := r.PathValue("code")
	r.Body = http.MaxBytesReader(w, r.Body, h.maxUpload()+uploadOverhead)
	ev, err := h.streamUpload(r, id, code)
	if err != nil && platform.ErrorKindOf(err) == platform.NotFound {
		h.entryFail(w, r, pg, err, pg.L.F("entry.no_submission", id))
		return
	}
	notice := ""
	if err == nil && ev.Existing {
		notice = pg.L.F("entry.file_existing", ev.OriginalName)
	} else if err == nil {
		notice = pg.L.F("entry.file_added", ev.OriginalName)
	}
	h.evidenceOutcome(w, r, pg, id, code, notice, err)
}

// streamUpload hands the form's file part to AddEvidence.
func (h *Handler) streamUpload(r *http.Request, id int64, code string) (platform.Evidence, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return platform.Evidence{}, errNoFile
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return platform.Evidence{}, errNoFile
		}
		if err != nil {
			return platform.Evidence{}, uploadBroken(err)
		}
		if part.FormName() != "file" || part.FileName() == "" {
			_ = part.Close()
			continue
		}
		defer part.Close()
		ev, err := h.svc.AddEvidence(r.Context(), id, code, part.FileName(), part)
		if err != nil && platform.ErrorKindOf(err) == "" {
			return ev, uploadBroken(err)
		}
		return ev, err
	}
}

// errNoFile: the form had no file.
var errNoFile = errors.New("no file chosen")

// errUploadBroken: the body ended early or passed the size limit.
type errUploadBroken struct{ err error }

func (e errUploadBroken) Error() string { return "upload broken: " + e.err.Error() }

// uploadBroken classifies a read failure of the upload: past the size
// limit is the service's too_large; anything else a broken upload.
func uploadBroken(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return &platform.Error{Kind: platform.TooLarge, Code: platform.CodeTooLarge, Field: "file", Message: err.Error()}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "multipart") {
		return errUploadBroken{err}
	}
	return err
}

// entryDeleteEvidence handles POST /entry/evidence/{id}/delete.
func (h *Handler) entryDeleteEvidence(w http.ResponseWriter, r *http.Request) {
	if requireLogin(w, r) {
		return
	}
	pg := h.base(w, r)
	id, ok := pathID(r)
	if !ok {
		h.renderError(w, r, pg, http.StatusNotFound, pg.L.T("error.no_page"))
		return
	}
	ev, err := h.svc.DeleteEvidence(r.Context(), id)
	var pe *platform.Error
	switch {
	case platform.ErrorKindOf(err) == platform.NotFound || (err != nil && !errors.As(err, &pe)):
		h.entryFail(w, r, pg, err, pg.L.F("entry.no_evidence", id))
		return
	case err != nil:
		// Refused (not the uploader, or no longer editable): the refusal
		// names the file; the form shows the current state.
		h.entryRefused(w, r, pg, err)
		return
	}
	h.evidenceOutcome(w, r, pg, ev.SubmissionID, ev.Code, pg.L.F("entry.file_deleted", ev.OriginalName), nil)
}

// entryRefused renders a refused action as an error page with the refusal.
func (h *Handler) entryRefused(w http.ResponseWriter, r *http.Request, pg page, err error) {
	pg.Title = pg.L.T("entry.refused")
	status := statusOf(err)
	h.render(w, r, status, "error", errorData{page: pg, Status: status, Message: h.entryErrorText(pg.L, nil, err)})
}

// evidenceOutcome shows the indicator's evidence block after an upload or
// a delete: a fragment for htmx, else the form (a redirect on success).
func (h *Handler) evidenceOutcome(w http.ResponseWriter, r *http.Request, pg page, subID int64, code, notice string, opErr error) {
	var pe *platform.Error
	if opErr != nil && !errors.As(opErr, &pe) && !errors.Is(opErr, errNoFile) && !errors.As(opErr, new(errUploadBroken)) {
		h.entryFail(w, r, pg, opErr, "")
		return
	}
	data, err := h.buildEntryForm(r.Context(), pg, subID)
	if err != nil {
		h.entryFail(w, r, pg, err, pg.L.F("entry.no_submission", subID))
		return
	}
	it := data.item(code)
	if it == nil {
		h.renderError(w, r, pg, http.StatusNotFound, pg.L.F("entry.no_indicator", code))
		return
	}
	status := http.StatusOK
	switch {
	case errors.Is(opErr, errNoFile):
		it.Evidence.Error, status = pg.L.T("entry.err.file_none"), http.StatusUnprocessableEntity
	case errors.As(opErr, new(errUploadBroken)):
		it.Evidence.Error, status = pg.L.T("entry.err.file_broken"), http.StatusBadRequest
	case opErr != nil:
		it.Evidence.Error, status = h.entryErrorText(pg.L, it, opErr), statusOf(opErr)
	default:
		it.Evidence.Notice = notice
	}
	switch {
	case isHTMX(r):
		h.fragment(w, r, http.StatusOK, "entry_form", "entry_evidence", it.Evidence)
	case status == http.StatusOK:
		http.Redirect(w, r, fmt.Sprintf("/entry/submissions/%d#%s", subID, it.ID("ev")), http.StatusSeeOther)
	default:
		h.render(w, r, status, "entry_form", data)
	}
}
