package web

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sceval/sceval/engine"
	"github.com/sceval/sceval/platform"
)

// CycleFields are the fields a client writes when creating or updating a
// cycle.
type CycleFields struct {
	Name             string                 `json:"name" minLength:"1" maxLength:"200" example:"2014 年度监测"`
	Kind             string                 `json:"kind" enum:"application_review,annual_monitoring,final_acceptance"`
	Year             int                    `json:"year" minimum:"2000" maximum:"2100" example:"2014"`
	FrameworkID      string                 `json:"framework_id" minLength:"1" example:"mohurd-2012"`
	FrameworkVersion string                 `json:"framework_version,omitempty" doc:"Default: the framework's current version"`
	Scheme           json.RawMessage        `json:"scheme,omitempty" doc:"Engine scoring scheme (as sceval score --scheme); default: equal weights, arithmetic mean"`
	StarThresholds   []engine.StarThreshold `json:"star_thresholds,omitempty" doc:"Minimum overall score per star rating; default: the scheme's"`
	OpensAt          *time.Time             `json:"opens_at,omitempty"`
	DueAt            *time.Time             `json:"due_at,omitempty"`
}

func (f CycleFields) cycle() platform.Cycle {
	return platform.Cycle{Name: f.Name, Kind: platform.CycleKind(f.Kind), Year: f.Year, FrameworkID: f.FrameworkID,
		FrameworkVersion: f.FrameworkVersion, Scheme: f.Scheme, StarThresholds: f.StarThresholds,
		OpensAt: f.OpensAt, DueAt: f.DueAt}
}

// CycleUpdate is the body of a cycle update (PUT): every field is required
// — null for no opening or due date, and null scheme or star_thresholds for
// the defaults, said explicitly — so that an update never silently resets
// a field it omits (PATCH changes only the fields it names); and the
// version the client read.
type CycleUpdate struct {
	Name             string                 `json:"name" minLength:"1" maxLength:"200"`
	Kind             string                 `json:"kind" enum:"application_review,annual_monitoring,final_acceptance"`
	Year             int                    `json:"year" minimum:"2000" maximum:"2100"`
	FrameworkID      string                 `json:"framework_id" minLength:"1"`
	FrameworkVersion string                 `json:"framework_version" doc:"\"\" for the framework's current version"`
	Scheme           json.RawMessage        `json:"scheme" doc:"Engine scoring scheme; null for the default"`
	StarThresholds   []engine.StarThreshold `json:"star_thresholds" doc:"null for the scheme's"`
	OpensAt          *time.Time             `json:"opens_at" nullable:"true"`
	DueAt            *time.Time             `json:"due_at" nullable:"true"`
	Version          int                    `json:"version" minimum:"1" doc:"The version you read; a stale one gets 409 stale_version"`
}

type patchCycleInput struct {
	IDParam
	RawBody []byte `contentType:"application/merge-patch+json" required:"true" doc:"JSON merge patch (RFC 7396) of the cycle's fields, with the version you read (required)"`
}

// CycleTransition asks for a cycle's next state.
type CycleTransition struct {
	To      string `json:"to" enum:"draft,open,closed,published" doc:"draft→open→closed→published; closed→open reopens"`
	Version int    `json:"version" minimum:"1" doc:"The version you read"`
}

type cyclesInput struct {
	Kind  string `query:"kind" enum:"application_review,annual_monitoring,final_acceptance"`
	State string `query:"state" enum:"draft,open,closed,published"`
	Year  int    `query:"year" minimum:"0" maximum:"2100"`
	PageParams
}

type createCycleInput struct {
	Body CycleFields
}

type updateCycleInput struct {
	IDParam
	Body CycleUpdate
}

type transitionCycleInput struct {
	IDParam
	Body CycleTransition
}

type createdCycle struct {
	Location string `header:"Location"`
	Body     platform.Cycle
}

func (s *Server) registerCycles() {
	tags := []string{"cycles"}
	base := apiPrefix + "/cycles"
	huma.Register(s.api, huma.Operation{
		OperationID: "list-cycles", Method: http.MethodGet, Path: base, Summary: "List cycles", Tags: tags,
	}, s.listCycles)
	huma.Register(s.api, huma.Operation{
		OperationID: "create-cycle", Method: http.MethodPost, Path: base, DefaultStatus: http.StatusCreated,
		Summary: "Create a cycle (in state draft)", Tags: tags,
	}, s.createCycle)
	huma.Register(s.api, huma.Operation{
		OperationID: "get-cycle", Method: http.MethodGet, Path: base + "/{id}",
		Summary: "Get a cycle", Tags: tags, Errors: []int{http.StatusNotFound},
	}, s.getCycle)
	huma.Register(s.api, huma.Operation{
		OperationID: "update-cycle", Method: http.MethodPut, Path: base + "/{id}",
		Summary:     "Replace a cycle's fields (version-checked; every field required)",
		Description: "The framework is frozen once the cycle is open (409 framework_frozen).",
		Tags:        tags, Errors: []int{http.StatusNotFound, http.StatusConflict},
	}, s.updateCycle)
	huma.Register(s.api, huma.Operation{
		OperationID: "patch-cycle", Method: http.MethodPatch, Path: base + "/{id}",
		Summary:     "Change some of a cycle's fields (JSON merge patch, version-checked)",
		Description: "Fields the patch omits keep their values; null clears opens_at or due_at and resets scheme or star_thresholds to the defaults.",
		Tags:        tags, Errors: []int{http.StatusNotFound, http.StatusConflict},
	}, s.patchCycle)
	huma.Register(s.api, huma.Operation{
		OperationID: "transition-cycle", Method: http.MethodPost, Path: base + "/{id}/transition",
		Summary: "Move a cycle to another state", Tags: tags, Errors: []int{http.StatusNotFound, http.StatusConflict},
	}, s.transitionCycle)
}

func (s *Server) listCycles(ctx context.Context, in *cyclesInput) (*listOutput[platform.Cycle], error) {
	items, total, err := s.svc.ListCycles(ctx, platform.CycleFilter{Kind: in.Kind, State: in.State, Year: in.Year,
		Limit: in.Limit, Offset: in.Offset})
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newList(items, total), nil
}

func (s *Server) createCycle(ctx context.Context, in *createCycleInput) (*createdCycle, error) {
	c, err := s.svc.CreateCycle(ctx, in.Body.cycle())
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return &createdCycle{Location: apiPrefix + "/cycles/" + itoa(c.ID), Body: c}, nil
}

func (s *Server) getCycle(ctx context.Context, in *IDParam) (*bodyOutput[platform.Cycle], error) {
	c, err := s.svc.GetCycle(ctx, in.ID)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newBody(c), nil
}

func (s *Server) updateCycle(ctx context.Context, in *updateCycleInput) (*bodyOutput[platform.Cycle], error) {
	b := in.Body
	c := platform.Cycle{ID: in.ID, Version: b.Version, Name: b.Name, Kind: platform.CycleKind(b.Kind), Year: b.Year,
		FrameworkID: b.FrameworkID, FrameworkVersion: b.FrameworkVersion, Scheme: b.Scheme, StarThresholds: b.StarThresholds,
		OpensAt: b.OpensAt, DueAt: b.DueAt}
	out, err := s.svc.UpdateCycle(ctx, c)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newBody(out), nil
}

func (s *Server) transitionCycle(ctx context.Context, in *transitionCycleInput) (*bodyOutput[platform.Cycle], error) {
	c, err := s.svc.TransitionCycle(ctx, in.ID, in.Body.Version, platform.CycleState(in.Body.To))
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newBody(c), nil
}

func (s *Server) patchCycle(ctx context.Context, in *patchCycleInput) (*bodyOutput[platform.Cycle], error) {
	c, err := s.svc.PatchCycle(ctx, in.ID, in.RawBody)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newBody(c), nil
}
