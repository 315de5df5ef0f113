package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/sceval/sceval/exchange"
	"github.com/sceval/sceval/platform"
)

// maxImportUpload bounds an entries file: a bulk CSV of every town of
// China (41,352 pilots × 57 rows) is about 150 MB.
const maxImportUpload = 1 << 30

type templateInput struct {
	IDParam
	Pilot int64 `query:"pilot" minimum:"0" doc:"One pilot's template; absent: every pilot of the cycle the caller may fill in (bulk)"`
}

type importInput struct {
	IDParam
	DryRun  bool `query:"dry_run" doc:"Check and report only; write nothing"`
	Partial bool `query:"partial" doc:"Write the valid rows even when others are invalid"`
	req     *http.Request
	w       http.ResponseWriter
}

// Resolve implements huma.Resolver to reach the underlying request.
func (in *importInput) Resolve(ctx huma.Context) []error {
	in.req, in.w = humago.Unwrap(ctx)
	return nil
}

type frameworkExportInput struct {
	ID      string `path:"id" doc:"Framework id"`
	Version string `query:"version" doc:"A published version (default: built-in, else the latest)"`
}

// download is a file response.
func download(contentType, name string, write func(io.Writer) error) *huma.StreamResponse {
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			hctx.SetStatus(http.StatusInternalServerError)
			return
		}
		hctx.SetHeader("Content-Type", contentType)
		hctx.SetHeader("Content-Disposition", ContentDisposition("attachment", name))
		hctx.SetStatus(http.StatusOK)
		hctx.BodyWriter().Write(buf.Bytes())
	}}
}

func fileResponse(desc string, types ...string) map[string]*huma.Response {
	content := map[string]*huma.MediaType{}
	for _, t := range types {
		content[t] = &huma.MediaType{Schema: &huma.Schema{Type: "string", Format: "binary"}}
	}
	return map[string]*huma.Response{"200": {Description: desc, Content: content}}
}

func (s *Server) registerExchange() {
	tags := []string{"exchange"}
	get := func(id, path, summary string, types []string, h any) {
		op := huma.Operation{OperationID: id, Method: http.MethodGet, Path: apiPrefix + path, Summary: summary, Tags: tags,
			Errors: []int{http.StatusNotFound}, Responses: fileResponse(summary, types...)}
		switch h := h.(type) {
		case func(context.Context, *templateInput) (*huma.StreamResponse, error):
			huma.Register(s.api, op, h)
		case func(context.Context, *IDParam) (*huma.StreamResponse, error):
			huma.Register(s.api, op, h)
		case func(context.Context, *frameworkExportInput) (*huma.StreamResponse, error):
			huma.Register(s.api, op, h)
		}
	}
	get("download-template", "/cycles/{id}/template.xlsx", "The entries template of a cycle (XLSX), one pilot's or bulk", []string{xlsxType}, s.downloadTemplate)
	get("export-results-xlsx", "/cycles/{id}/results.xlsx", "The latest results as XLSX", []string{xlsxType}, s.resultsExport("xlsx"))
	get("export-results-csv", "/cycles/{id}/results.csv", "The latest results as CSV (UTF-8 with BOM)", []string{"text/csv"}, s.resultsExport("csv"))
	get("export-results-json", "/cycles/{id}/results.json", "The latest results as JSON", []string{"application/json"}, s.resultsExport("json"))
	get("export-framework-xlsx", "/frameworks/{id}/export.xlsx", "A framework's indicators as XLSX", []string{xlsxType}, s.frameworkExport("xlsx"))
	get("export-framework-md", "/frameworks/{id}/export.md", "A framework's indicators as Markdown", []string{"text/markdown"}, s.frameworkExport("md"))
	get("export-submission-xlsx", "/submissions/{id}/export.xlsx", "A submission with its entries as XLSX", []string{xlsxType}, s.submissionExport)
	huma.Register(s.api, huma.Operation{OperationID: "import-entries", Method: http.MethodPost, Path: apiPrefix + "/cycles/{id}/entries/import",
		Summary: "Import a filled entries template or bulk file (XLSX or CSV)",
		Description: "multipart/form-data with the file in the field \"file\". Every row is checked first; the report lists every " +
			"problem with its cell (数据!D7) and reason in Chinese. Nothing is written when any row is invalid unless partial=true; " +
			"dry_run=true writes nothing. An unchanged file writes nothing. The answer is 200 with the report either way (ok: false " +
			"when there are errors).",
		Tags: tags, Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusRequestEntityTooLarge}}, s.importEntries)
	s.api.OpenAPI().Paths[apiPrefix+"/cycles/{id}/entries/import"].Post.RequestBody = uploadRequestBody()
}

func (s *Server) downloadTemplate(ctx context.Context, in *templateInput) (*huma.StreamResponse, error) {
	sh, err := s.svc.EntrySheet(ctx, in.ID, in.Pilot)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	name := fmt.Sprintf("cycle-%d-template.xlsx", in.ID)
	if in.Pilot > 0 {
		name = fmt.Sprintf("cycle-%d-pilot-%d.xlsx", in.ID, in.Pilot)
	}
	return download(xlsxType, name, func(w io.Writer) error { return exchange.WriteTemplate(w, sh) }), nil
}

func (s *Server) resultsExport(format string) func(context.Context, *IDParam) (*huma.StreamResponse, error) {
	write := map[string]func(io.Writer, *exchange.ResultsTable) error{
		"xlsx": exchange.WriteResultsXLSX, "csv": exchange.WriteResultsCSV, "json": exchange.WriteResultsJSON}[format]
	ctype := map[string]string{"xlsx": xlsxType, "csv": "text/csv; charset=utf-8", "json": "application/json"}[format]
	return func(ctx context.Context, in *IDParam) (*huma.StreamResponse, error) {
		t, err := exchange.CollectResults(ctx, s.svc, in.ID)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return download(ctype, fmt.Sprintf("cycle-%d-results.%s", in.ID, format), func(w io.Writer) error { return write(w, t) }), nil
	}
}

func (s *Server) frameworkExport(format string) func(context.Context, *frameworkExportInput) (*huma.StreamResponse, error) {
	return func(ctx context.Context, in *frameworkExportInput) (*huma.StreamResponse, error) {
		fw, err := s.svc.GetFramework(ctx, in.ID, in.Version)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		name := fw.ID + "-" + fw.Version + "." + format
		if format == "md" {
			return download("text/markdown; charset=utf-8", name, func(w io.Writer) error { return exchange.WriteFrameworkMarkdown(w, fw) }), nil
		}
		return download(xlsxType, name, func(w io.Writer) error { return exchange.WriteFrameworkXLSX(w, fw) }), nil
	}
}

func (s *Server) submissionExport(ctx context.Context, in *IDParam) (*huma.StreamResponse, error) {
	sub, fw, err := exchange.Submission(ctx, s.svc, in.ID)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return download(xlsxType, fmt.Sprintf("submission-%d.xlsx", in.ID), func(w io.Writer) error { return exchange.WriteSubmissionXLSX(w, sub, fw) }), nil
}

type importReportOutput struct {
	Body struct {
		OK bool `json:"ok"`
		*platform.EntryImportReport
	}
}

func (s *Server) importEntries(ctx context.Context, in *importInput) (*importReportOutput, error) {
	in.req.Body = http.MaxBytesReader(in.w, in.req.Body, maxImportUpload)
	mr, err := in.req.MultipartReader()
	if err != nil {
		return nil, newError(http.StatusUnsupportedMediaType, "unsupported", "", "send the file as multipart/form-data in the field \"file\"")
	}
	part, err := filePart(mr)
	if err != nil {
		return nil, s.uploadFailure(ctx, err)
	}
	defer part.Close()
	// The import reads the file twice (check, then write): spool it.
	tmp, err := os.CreateTemp("", "sceval-import-*")
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if _, err := io.Copy(tmp, part); err != nil {
		return nil, s.uploadFailure(ctx, err)
	}
	rep, err := s.svc.ImportEntries(ctx, in.ID, part.FileName(), tmp, platform.EntryImportOptions{DryRun: in.DryRun, Partial: in.Partial})
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	out := &importReportOutput{}
	out.Body.OK, out.Body.EntryImportReport = rep.OK(), rep
	return out, nil
}
