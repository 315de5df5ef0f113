package ui

import (
	"io"
	"net/http"

	"github.com/sceval/sceval/platform"
)

// frameworksAdminData is the frameworks page: the published versions and
// the upload form with the problems of a refused file.
type frameworksAdminData struct {
	adminData
	Published []platform.PublishedFramework
	Builtin   []string
	Form      formState
	// Result is the version just published, with the validator's warnings.
	Result *platform.PublishedFramework
}

// frameworksAdmin lists the published framework versions.
func (h *Handler) frameworksAdmin(w http.ResponseWriter, r *http.Request) {
	d, ok := h.adminGate(w, r, "framework.publish", "admin.frameworks.title")
	if !ok {
		return
	}
	h.renderFrameworks(w, r, http.StatusOK, frameworksAdminData{adminData: d})
}

// renderFrameworks renders the frameworks page around d.
func (h *Handler) renderFrameworks(w http.ResponseWriter, r *http.Request, status int, d frameworksAdminData) {
	list, err := h.svc.ListFrameworks(r.Context())
	if err != nil {
		h.adminFail(w, r, d.page, err)
		return
	}
	d.Published = list
	if h.frameworks != nil {
		d.Builtin = h.frameworks.FrameworkIDs()
	}
	h.render(w, r, status, "admin_frameworks", d)
}

// maxFrameworkUpload bounds the upload form's body (the platform refuses a
// framework file above 8 MiB with its own message).
const maxFrameworkUpload = 9 << 20

// publishFramework validates the uploaded file and publishes it as a new
// version; a refused file lists every problem with its line and column.
func (h *Handler) publishFramework(w http.ResponseWriter, r *http.Request) {
	d, ok := h.adminGate(w, r, "framework.publish", "admin.frameworks.title")
	if !ok {
		return
	}
	name, data, err := uploadedFile(w, r, "file", maxFrameworkUpload, d.L)
	var pf platform.PublishedFramework
	if err == nil {
		pf, err = h.svc.PublishFramework(r.Context(), name, data)
	}
	if err != nil {
		form, ok := h.refused(w, r, d.page, err, nil)
		if !ok {
			return
		}
		h.renderFrameworks(w, r, statusOf(err), frameworksAdminData{adminData: d, Form: form})
		return
	}
	h.renderFrameworks(w, r, http.StatusCreated, frameworksAdminData{adminData: d, Result: &pf,
		Form: formState{Done: d.L.F("admin.frameworks.published", pf.ID, pf.Version)}})
}

// uploadedFile reads the file of a multipart form field, at most limit
// bytes of body; a missing or unreadable file is refused next to field.
func uploadedFile(w http.ResponseWriter, r *http.Request, field string, limit int64, l catalogue) (string, []byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseMultipartForm(limit); err != nil {
		return "", nil, &platform.Error{Kind: platform.TooLarge, Code: "admin_input", Field: field, Message: l.T("admin.err.upload")}
	}
	f, hdr, err := r.FormFile(field)
	if err != nil {
		return "", nil, invalid(field, "%s", l.T("admin.err.no_file"))
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return "", nil, invalid(field, "%s", l.T("admin.err.upload"))
	}
	return hdr.Filename, data, nil
}
