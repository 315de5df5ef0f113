package ui

import (
	"io"
	"net/http"
	"os"
	"strconv"

	"github.com/sceval/sceval/platform"
)

// exchangeRoutes registers the data exchange pages (数据交换): template
// downloads and the upload of a filled template or bulk file, checked
// first (every error with its cell), then applied.
func (h *Handler) exchangeRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /exchange", h.exchangePage)
	mux.HandleFunc("POST /exchange/import", h.exchangeImport)
}

// exchangeNav shows the exchange page to whoever may import entries.
func (h *Handler) exchangeNav(r *http.Request, l catalogue) []navItem {
	if !platform.MayDo(r.Context(), "submission.entry.import") {
		return nil
	}
	return []navItem{{Label: l.T("exchange.nav"), Href: "/exchange"}}
}

// exchangePages are the templates of the data exchange pages.
var exchangePages = []string{"exchange"}

// maxExchangeUpload bounds a file uploaded on the exchange page.
const maxExchangeUpload = 1 << 30

// exchangeData is the exchange page: the open cycles with their template
// links, the upload form and, after an upload, its report.
type exchangeData struct {
	page
	Cycles  []platform.Cycle
	PilotID int64
	Cycle   int64
	Partial bool
	Report  *platform.EntryImportReport
	Error   string
}

func (h *Handler) exchangeData(w http.ResponseWriter, r *http.Request) (exchangeData, bool) {
	pg := h.base(w, r)
	pg.Title = pg.L.T("exchange.title")
	if !platform.MayDo(r.Context(), "submission.entry.import") {
		h.renderError(w, r, pg, http.StatusNotFound, pg.L.T("error.no_page"))
		return exchangeData{}, false
	}
	cycles, _, err := h.svc.ListCycles(r.Context(), platform.CycleFilter{State: string(platform.CycleOpen), Limit: 100})
	if err != nil {
		h.fail(w, r, pg, err, "")
		return exchangeData{}, false
	}
	return exchangeData{page: pg, Cycles: cycles, PilotID: platform.IdentityFrom(r.Context()).PilotID}, true
}

func (h *Handler) exchangePage(w http.ResponseWriter, r *http.Request) {
	d, ok := h.exchangeData(w, r)
	if !ok {
		return
	}
	h.render(w, r, http.StatusOK, "exchange", d)
}

// exchangeImport runs an import from the form: a dry run ("check") or the
// real one ("apply"), the report shown on the page.
func (h *Handler) exchangeImport(w http.ResponseWriter, r *http.Request) {
	d, ok := h.exchangeData(w, r)
	if !ok {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxExchangeUpload)
	d.Cycle, _ = strconv.ParseInt(r.FormValue("cycle"), 10, 64)
	d.Partial = r.FormValue("partial") == "on"
	file, header, err := r.FormFile("file")
	if err != nil {
		d.Error = d.L.T("exchange.no_file")
		h.render(w, r, http.StatusUnprocessableEntity, "exchange", d)
		return
	}
	defer file.Close()
	// The import reads the file twice: spool it to a seekable file.
	tmp, err := os.CreateTemp("", "sceval-ui-import-*")
	if err != nil {
		h.fail(w, r, d.page, err, "")
		return
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if _, err := io.Copy(tmp, file); err != nil {
		h.fail(w, r, d.page, err, "")
		return
	}
	opt := platform.EntryImportOptions{DryRun: r.FormValue("mode") != "apply", Partial: d.Partial}
	rep, err := h.svc.ImportEntries(r.Context(), d.Cycle, header.Filename, tmp, opt)
	status := http.StatusOK
	switch {
	case err != nil:
		d.Error, status = err.Error(), http.StatusUnprocessableEntity
		if pe, ok := err.(*platform.Error); ok {
			d.Error = pe.Message
		}
	case !rep.OK():
		status = http.StatusUnprocessableEntity
	}
	d.Report = rep
	h.render(w, r, status, "exchange", d)
}
