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
	RegionCode string `json:"region_code" pattern:"^[0-9]{6}([0-9]{3}([0-9]{3})?)?$" doc:"GB/T 2260 code: 6 digits (city, district), 9 or 12 (town)" example:"130100"`
	Name       string `json:"name" minLength:"1" maxLength:"200" example:"石家庄市"`
	Batch      string `json:"batch" minLength:"1" maxLength:"50" doc:"Batch the pilot was announced in" example:"2013-1"`
	Type       string `json:"type" enum:"city,district,town"`
	Status     string `json:"status,omitempty" enum:"active,completed,suspended,withdrawn" doc:"Default active"`
}

func (f PilotFields) pilot() platform.Pilot {
	return platform.Pilot{RegionCode: f.RegionCode, Name: f.Name, Batch: f.Batch,
		Type: platform.PilotType(f.Type), Status: platform.PilotStatus(f.Status)}
}

// PilotUpdate is the body of a pilot update: every field, and the version
// the client read.
type PilotUpdate struct {
	PilotFields
	Version int `json:"version" minimum:"1" doc:"The version you read; a stale one gets 409 stale_version"`
}

type pilotsInput struct {
	Province string `query:"province" doc:"Two-digit province code, e.g. 32"`
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
	ContentType string `header:"Content-Type" doc:"text/csv, or multipart/form-data with the CSV in the field \"file\" (as a browser form or curl -F sends it)"`
	RawBody     []byte `contentType:"text/csv" doc:"CSV with header region_code,name,batch,type[,status]"`
}

// ImportResult says how many pilots an import created.
type ImportResult struct {
	Created int `json:"created"`
}

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
		Summary:     "Import pilots from CSV",
		Description: "All or nothing: one bad line rejects the file, and the error names the line.",
		Tags:        tags, Errors: []int{http.StatusBadRequest, http.StatusConflict}, MaxBodyBytes: 16 << 20,
	}, s.importPilots)
	huma.Register(s.api, huma.Operation{
		OperationID: "get-pilot", Method: http.MethodGet, Path: base + "/{id}",
		Summary: "Get a pilot", Tags: tags, Errors: []int{http.StatusNotFound},
	}, s.getPilot)
	huma.Register(s.api, huma.Operation{
		OperationID: "update-pilot", Method: http.MethodPut, Path: base + "/{id}",
		Summary: "Update a pilot (version-checked)", Tags: tags, Errors: []int{http.StatusNotFound, http.StatusConflict},
	}, s.updatePilot)
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
	p := in.Body.pilot()
	p.ID, p.Version = in.ID, in.Body.Version
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
	n, err := s.svc.ImportPilots(ctx, name, csv)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newBody(ImportResult{Created: n}), nil
}

// importedCSV returns the name and content of an imported CSV: the body
// itself, or the file in the field "file" of a multipart form (whose
// envelope would otherwise be read as the CSV's header line).
func importedCSV(in *importPilotsInput) (string, io.Reader, error) {
	mt, params, err := mime.ParseMediaType(in.ContentType)
	if err != nil || mt != "multipart/form-data" {
		return "upload.csv", bytes.NewReader(in.RawBody), nil
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
