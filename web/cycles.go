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

// CycleUpdate is the body of a cycle update: every field, and the version
// the client read.
type CycleUpdate struct {
	CycleFields
	Version int `json:"version" minimum:"1" doc:"The version you read; a stale one gets 409 stale_version"`
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
		Summary:     "Update a cycle (version-checked)",
		Description: "The framework is frozen once the cycle is open (409 framework_frozen).",
		Tags:        tags, Errors: []int{http.StatusNotFound, http.StatusConflict},
	}, s.updateCycle)
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
	c := in.Body.cycle()
	c.ID, c.Version = in.ID, in.Body.Version
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
