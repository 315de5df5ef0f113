package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/sceval/sceval/platform"
)

// auditPageSize is the number of audit rows per page.
const auditPageSize = 50

// auditData is the audit trail viewer: the filters, one page of rows
// (newest last, as the trail is kept), paging links and, when asked, the
// result of verifying every hash chain.
type auditData struct {
	adminData
	Form     formState
	Rows     []platform.AuditRecord
	Total    int
	From, To int
	Prev     string
	Next     string
	Verify   *platform.AuditVerification
	VerifyOn string
	Zone     string
}

// audit shows the audit trail filtered by actor, action, object and a
// range of days in the deployment's time zone.
func (h *Handler) audit(w http.ResponseWriter, r *http.Request) {
	d, ok := h.adminGate(w, r, "audit.read", "admin.audit.title")
	if !ok {
		return
	}
	q := r.URL.Query()
	data := auditData{adminData: d, Form: formState{Values: q}, Zone: h.opts.Location.String()}
	f, err := h.auditFilter(q, d.L)
	if err == nil {
		data.Rows, data.Total, err = h.svc.ListAudit(r.Context(), f)
	}
	if err != nil {
		form, ok := h.refused(w, r, d.page, err, q)
		if !ok {
			return
		}
		data.Form = form
		h.render(w, r, statusOf(err), "admin_audit", data)
		return
	}
	data.From, data.To = f.Offset+1, f.Offset+len(data.Rows)
	if f.Offset > 0 {
		data.Prev = auditPage(r.URL, max(f.Offset-auditPageSize, 0))
	}
	if f.Offset+len(data.Rows) < data.Total {
		data.Next = auditPage(r.URL, f.Offset+auditPageSize)
	}
	if q.Get("verify") == "1" && platform.MayDo(r.Context(), "audit.verify") {
		v, err := h.svc.VerifyAudit(r.Context())
		if err != nil {
			h.adminFail(w, r, d.page, err)
			return
		}
		data.Verify, data.VerifyOn = &v, time.Now().In(h.opts.Location).Format("2006-01-02 15:04:05 MST")
	}
	h.render(w, r, http.StatusOK, "admin_audit", data)
}

// auditFilter reads the filters: days (YYYY-MM-DD) in the deployment's
// zone, "to" inclusive (the filter ends at the next midnight).
func (h *Handler) auditFilter(q url.Values, l catalogue) (platform.AuditFilter, error) {
	f := platform.AuditFilter{Actor: strings.TrimSpace(q.Get("actor")), Action: strings.TrimSpace(q.Get("action")),
		Object: strings.TrimSpace(q.Get("object")), Limit: auditPageSize}
	if s := q.Get("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return f, invalid("", "%s", l.F("admin.err.not_integer", s))
		}
		f.Offset = n
	}
	var err error
	if f.From, err = h.localDay(q.Get("from"), "from", l); err != nil {
		return f, err
	}
	if f.To, err = h.localDay(q.Get("to"), "to", l); err != nil {
		return f, err
	}
	if !f.To.IsZero() {
		f.To = f.To.AddDate(0, 0, 1)
	}
	return f, nil
}

// localDay reads an optional day as its midnight in the deployment's zone.
func (h *Handler) localDay(s, field string, l catalogue) (time.Time, error) {
	if s = strings.TrimSpace(s); s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, h.opts.Location)
	if err != nil {
		return time.Time{}, invalid(field, "%s", l.F("admin.err.date", s))
	}
	return t, nil
}

// auditPage is the current URL at another offset.
func auditPage(u *url.URL, offset int) string {
	q := u.Query()
	q.Del("verify")
	q.Set("offset", strconv.Itoa(offset))
	return u.Path + "?" + q.Encode()
}
