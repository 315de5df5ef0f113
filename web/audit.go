package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sceval/sceval/dataset"
	"github.com/sceval/sceval/platform"
)

// AuditQuery filters the audit trail (exported so that huma sees its
// fields where it is embedded).
type AuditQuery struct {
	Object string    `query:"object" maxLength:"200" doc:"An object and what lies under it, e.g. submission/12"`
	User   string    `query:"user" maxLength:"200" doc:"The actor"`
	From   time.Time `query:"from" doc:"From this time (RFC 3339), inclusive"`
	To     time.Time `query:"to" doc:"Up to this time (RFC 3339), exclusive"`
	PageParams
}

func (in AuditQuery) filter() platform.AuditFilter {
	return platform.AuditFilter{Object: in.Object, Actor: in.User, From: in.From, To: in.To, Limit: in.Limit, Offset: in.Offset}
}

type auditExportInput struct {
	AuditQuery
	Format string `query:"format" enum:"jsonl,csv" default:"jsonl"`
}

func (s *Server) registerAudit() {
	tags := []string{"audit"}
	huma.Register(s.api, huma.Operation{OperationID: "list-audit", Method: http.MethodGet, Path: apiPrefix + "/audit",
		Summary: "Read the audit trail, filtered by object, user and time", Tags: tags}, s.listAudit)
	huma.Register(s.api, huma.Operation{OperationID: "export-audit", Method: http.MethodGet, Path: apiPrefix + "/audit/export",
		Summary: "Export the (filtered) audit trail as JSON lines or CSV", Tags: tags,
		Responses: map[string]*huma.Response{"200": {Description: "The rows, oldest first",
			Content: map[string]*huma.MediaType{"application/x-ndjson": {Schema: &huma.Schema{Type: "string"}},
				"text/csv": {Schema: &huma.Schema{Type: "string"}}}}}}, s.exportAudit)
	huma.Register(s.api, huma.Operation{OperationID: "verify-audit", Method: http.MethodGet, Path: apiPrefix + "/audit/verify",
		Summary: "Check the audit trail's hash chains and name the first broken row", Tags: tags}, s.verifyAudit)
}

func (s *Server) listAudit(ctx context.Context, in *AuditQuery) (*listOutput[platform.AuditRecord], error) {
	items, total, err := s.svc.ListAudit(ctx, in.filter())
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newList(items, total), nil
}

func (s *Server) verifyAudit(ctx context.Context, _ *struct{}) (*bodyOutput[platform.AuditVerification], error) {
	v, err := s.svc.VerifyAudit(ctx)
	return bodyOr(s, ctx, v, err)
}

func (s *Server) exportAudit(ctx context.Context, in *auditExportInput) (*huma.StreamResponse, error) {
	f := in.filter()
	// Check access and the filter before the status line is sent.
	if _, _, err := s.svc.ListAudit(ctx, platform.AuditFilter{Object: f.Object, Actor: f.Actor, From: f.From, To: f.To, Limit: 1}); err != nil {
		return nil, s.fail(ctx, err)
	}
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		w := hctx.BodyWriter()
		var write func(platform.AuditRecord) error
		if in.Format == "csv" {
			hctx.SetHeader("Content-Type", "text/csv; charset=utf-8")
			hctx.SetHeader("Content-Disposition", ContentDisposition("attachment", "audit.csv"))
			cw := csv.NewWriter(w)
			defer cw.Flush()
			cw.Write(AuditCSVHeader)
			write = func(r platform.AuditRecord) error { return cw.Write(AuditCSVRow(r)) }
		} else {
			hctx.SetHeader("Content-Type", "application/x-ndjson")
			enc := json.NewEncoder(w)
			write = func(r platform.AuditRecord) error { return enc.Encode(r) }
		}
		hctx.SetStatus(http.StatusOK)
		if err := s.svc.ExportAudit(ctx, f, write); err != nil {
			s.logger.WarnContext(ctx, "audit export interrupted", "err", err)
		}
	}}, nil
}

// AuditCSVHeader is the header row of the CSV export.
var AuditCSVHeader = []string{"id", "chain", "chain_seq", "at", "actor", "address", "action", "object", "before", "after", "prev_hash", "hash"}

// AuditCSVRow is one audit row as CSV fields (time in RFC 3339 with
// microseconds, UTC).
func AuditCSVRow(r platform.AuditRecord) []string {
	return []string{strconv.FormatInt(r.ID, 10), strconv.Itoa(r.Chain), strconv.FormatInt(r.ChainSeq, 10), r.At.UTC().Format("2006-01-02T15:04:05.000000Z07:00"),
		dataset.SafeText(r.Actor), dataset.SafeText(r.Address), dataset.SafeText(r.Action), dataset.SafeText(r.Object),
		dataset.SafeText(string(r.Before)), dataset.SafeText(string(r.After)), r.PrevHash, r.Hash}
}

// withClientAddress records the caller's network address in the context
// for the audit trail: the TCP peer (a proxy's forwarding headers are not
// trusted here).
func (s *Server) withClientAddress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr := s.clientAddress(r) // X-Forwarded-For only with --trust-proxy
		next.ServeHTTP(w, r.WithContext(platform.WithClientAddress(r.Context(), addr)))
	})
}
