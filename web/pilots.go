package web

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sceval/sceval/platform"
)

// PilotFields are the fields a client writes when creating or updating a
// pilot.
type PilotFields struct {
	RegionCode string `json:"region_code" pattern:"^[0-9]{2}([0-9]{2}([0-9]{2}([0-9]{3}([0-9]{3})?)?)?)?$" doc:"Administrative-division code in any form: GB/T 2260 (6 digits: 130100, 110105), a town's 9 or 12 digits, or the registry's 2/4 digits (1301). Returned in one form: 6 digits, 9 for a town" example:"130100"`
	Name       string `json:"name" minLength:"1" maxLength:"200" example:"石家庄市"`
	Batch      string `json:"batch" minLength:"1" maxLength:"50" doc:"Batch the pilot was announced in" example:"2013-1"`
	Type       string `json:"type" enum:"city,district,town"`
	Status     string `json:"status,omitempty" enum:"active,completed,suspended,withdrawn" doc:"Default active"`
}

func (f PilotFields) pilot() platform.Pilot {
	return platform.Pilot{RegionCode: f.RegionCode, Name: f.Name, Batch: f.Batch,
		Type: platform.PilotType(f.Type), Status: platform.PilotStatus(f.Status)}
}

// PilotUpdate is the body of a pilot update (PUT): every field, status
// included — an update never resets a field it omits (PATCH changes only
// the fields it names) — and the version the client read.
type PilotUpdate struct {
	RegionCode string `json:"region_code" pattern:"^[0-9]{2}([0-9]{2}([0-9]{2}([0-9]{3}([0-9]{3})?)?)?)?$" doc:"Administrative-division code in any form (see create)" example:"130100"`
	Name       string `json:"name" minLength:"1" maxLength:"200"`
	Batch      string `json:"batch" minLength:"1" maxLength:"50"`
	Type       string `json:"type" enum:"city,district,town"`
	Status     string `json:"status" enum:"active,completed,suspended,withdrawn" doc:"Required: PUT replaces every field"`
	Version    int    `json:"version" minimum:"1" doc:"The version you read; a stale one gets 409 stale_version"`
}

type patchPilotInput struct {
	IDParam
	RawBody []byte `contentType:"application/merge-patch+json" required:"true" doc:"JSON merge patch (RFC 7396) of region_code, name, batch, type, status, with the version you read (required)"`
}

type pilotsInput struct {
	Province string `query:"province" doc:"Province by code (32 or 320000) or name (江苏省 or 江苏)"`
	Type     string `query:"type" enum:"city,district,town"`
	Batch    string `query:"batch"`
	Status   string `query:"status" enum:"active,completed,suspended,withdrawn"`
	Q        string `query:"q" maxLength:"100" doc:"Text in the name or a region code prefix"`
	Sort     string `query:"sort" doc:"One of region_code, name, batch, id, updated_at; prefix - for descending"`
	PageParams
}

type createPilotInput struct {
	Body PilotFields
}

type updatePilotInput struct {
	IDParam
	Body PilotUpdate
}

type importPilotsInput struct {
	ContentType string `header:"Content-Type" doc:"text/csv, an XLSX workbook, or multipart/form-data with the file in the field \"file\" (as a browser form or curl -F sends it)"`
	DryRun      bool   `query:"dry_run" doc:"Check the file (also against the stored pilots) and report what would be created, storing nothing"`
	RawBody     []byte `contentType:"text/csv" doc:"CSV (UTF-8, UTF-16 or GB18030) or XLSX; header region_code,name,batch,type[,status] or 行政区划代码,名称,批次,类型[,状态], in any order"`
}

// ImportResult says how many pilots an import created (in a dry run: would
// create) and how the file was read.
type ImportResult = platform.PilotImport

type createdPilot struct {
	Location string `header:"Location"`
	Body     platform.Pilot
}

func (s *Server) registerPilots() {
	tags := []string{"pilots"}
	base := apiPrefix + "/pilots"
	huma.Register(s.api, huma.Operation{
		OperationID: "list-pilots", Method: http.MethodGet, Path: base,
		Summary: "List pilots", Tags: tags,
	}, s.listPilots)
	huma.Register(s.api, huma.Operation{
		OperationID: "create-pilot", Method: http.MethodPost, Path: base, DefaultStatus: http.StatusCreated,
		Summary: "Create a pilot", Tags: tags, Errors: []int{http.StatusConflict},
	}, s.createPilot)
	huma.Register(s.api, huma.Operation{
		OperationID: "import-pilots", Method: http.MethodPost, Path: base + "/import",
		Summary: "Import pilots from CSV or XLSX",
		Description: "All or nothing: any bad line rejects the file; the error lists every problem with its line in `details`. " +
			"`?dry_run=true` checks without storing.",
		Tags: tags, Errors: []int{http.StatusBadRequest, http.StatusConflict}, MaxBodyBytes: 16 << 20,
	}, s.importPilots)
	huma.Register(s.api, huma.Operation{
		OperationID: "get-pilot", Method: http.MethodGet, Path: base + "/{id}",
		Summary: "Get a pilot", Tags: tags, Errors: []int{http.StatusNotFound},
	}, s.getPilot)
	huma.Register(s.api, huma.Operation{
		OperationID: "update-pilot", Method: http.MethodPut, Path: base + "/{id}",
		Summary: "Replace a pilot's fields (version-checked; every field required)", Tags: tags, Errors: []int{http.StatusNotFound, http.StatusConflict},
	}, s.updatePilot)
	huma.Register(s.api, huma.Operation{
		OperationID: "patch-pilot", Method: http.MethodPatch, Path: base + "/{id}",
		Summary:     "Correct some of a pilot's fields (JSON merge patch, version-checked)",
		Description: "Fields the patch omits keep their values. Each change is recorded in the pilot's history.",
		Tags:        tags, Errors: []int{http.StatusNotFound, http.StatusConflict},
	}, s.patchPilot)
	huma.Register(s.api, huma.Operation{
		OperationID: "get-pilot-history", Method: http.MethodGet, Path: base + "/{id}/history",
		Summary: "A pilot's corrections, oldest first", Tags: tags, Errors: []int{http.StatusNotFound},
	}, s.pilotHistory)
}

func (s *Server) listPilots(ctx context.Context, in *pilotsInput) (*listOutput[platform.Pilot], error) {
	items, total, err := s.svc.ListPilots(ctx, platform.PilotFilter{Province: in.Province, Type: in.Type,
		Batch: in.Batch, Status: in.Status, Q: in.Q, Sort: in.Sort, Limit: in.Limit, Offset: in.Offset})
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newList(items, total), nil
}

func (s *Server) createPilot(ctx context.Context, in *createPilotInput) (*createdPilot, error) {
	p, err := s.svc.CreatePilot(ctx, in.Body.pilot())
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return &createdPilot{Location: apiPrefix + "/pilots/" + itoa(p.ID), Body: p}, nil
}

func (s *Server) getPilot(ctx context.Context, in *IDParam) (*bodyOutput[platform.Pilot], error) {
	p, err := s.svc.GetPilot(ctx, in.ID)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newBody(p), nil
}

func (s *Server) updatePilot(ctx context.Context, in *updatePilotInput) (*bodyOutput[platform.Pilot], error) {
	b := in.Body
	p := platform.Pilot{ID: in.ID, Version: b.Version, RegionCode: b.RegionCode, Name: b.Name, Batch: b.Batch,
		Type: platform.PilotType(b.Type), Status: platform.PilotStatus(b.Status)}
	out, err := s.svc.UpdatePilot(ctx, p)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newBody(out), nil
}

func (s *Server) importPilots(ctx context.Context, in *importPilotsInput) (*bodyOutput[ImportResult], error) {
	name, csv, err := importedCSV(in)
	if err != nil {
		return nil, err
	}
	res, err := s.svc.ImportPilotsWith(ctx, name, csv, platform.PilotImportOptions{DryRun: in.DryRun})
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newBody(res), nil
}

func (s *Server) patchPilot(ctx context.Context, in *patchPilotInput) (*bodyOutput[platform.Pilot], error) {
	p, err := s.svc.PatchPilot(ctx, in.ID, in.RawBody)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newBody(p), nil
}

func (s *Server) pilotHistory(ctx context.Context, in *IDParam) (*listOutput[platform.PilotChange], error) {
	items, err := s.svc.PilotHistory(ctx, in.ID)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newList(items, len(items)), nil
}

// xlsxType is the media type of an XLSX workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// importedCSV returns the name and content of an imported CSV: the body
// itself, or the file in the field "file" of a multipart form (whose
// envelope would otherwise be read as the CSV's header line).
func importedCSV(in *importPilotsInput) (string, io.Reader, error) {
	mt, params, err := mime.ParseMediaType(in.ContentType)
	if err != nil || mt != "multipart/form-data" {
		name := "upload.csv"
		if mt == xlsxType || bytes.HasPrefix(in.RawBody, []byte("PK\x03\x04")) {
			name = "upload.xlsx"
		}
		return name, bytes.NewReader(in.RawBody), nil
	}
	mr := multipart.NewReader(bytes.NewReader(in.RawBody), params["boundary"])
	part, err := filePart(mr)
	switch {
	case errors.Is(err, errNoFile):
		return "", nil, newError(http.StatusUnprocessableEntity, "required", uploadField, "the form has no file in the field \"file\"")
	case err != nil:
		return "", nil, newError(http.StatusBadRequest, "bad_request", uploadField, "the multipart body is malformed")
	}
	return platform.SanitizeFilename(part.FileName()), part, nil
}
