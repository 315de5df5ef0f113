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
	OpensAt          string                 `json:"opens_at,omitempty" example:"2014-03-01" doc:"A date (the start of that day in time_zone) or an RFC 3339 date-time"`
	DueAt            string                 `json:"due_at,omitempty" example:"2014-11-30" doc:"A date (the end of that day in time_zone: 2014-11-30 means until 24:00) or an RFC 3339 date-time. Submitting after it needs an extension"`
	TimeZone         string                 `json:"time_zone,omitempty" example:"Asia/Shanghai" doc:"IANA zone of the cycle's dates; default Asia/Shanghai (on update: unchanged)"`
	MinCompleteness  *float64               `json:"min_completeness,omitempty" minimum:"0" maximum:"1" doc:"Share of leaves that must be answered (value, level, or not applicable with a reason) to submit; default 1, every leaf (on update: unchanged)"`
	// CoverageThreshold is documented on platform.Cycle.
	CoverageThreshold    *float64 `json:"coverage_threshold,omitempty" minimum:"0" maximum:"1" doc:"Share of a pilot's applicable leaves that must carry data for it to be ranked and rated; below it the pilot is flagged and kept out of the ranking. Default 1 (on update: unchanged)"`
	NotApplicableAllowed []string `json:"not_applicable_allowed,omitempty" maxItems:"10000" doc:"Leaves a pilot may mark not applicable with a reason (excluded from its score, not zero), e.g. [\"2.2.6\"]; frozen once the cycle is open"`
}

// cycle converts the fields, reading dates in the cycle's time zone.
func (f CycleFields) cycle() (platform.Cycle, error) {
	c := platform.Cycle{Name: f.Name, Kind: platform.CycleKind(f.Kind), Year: f.Year, FrameworkID: f.FrameworkID,
		FrameworkVersion: f.FrameworkVersion, Scheme: f.Scheme, StarThresholds: f.StarThresholds,
		TimeZone: f.TimeZone, MinCompleteness: f.MinCompleteness, CoverageThreshold: f.CoverageThreshold,
		NotApplicable: f.NotApplicableAllowed}
	for _, d := range []struct {
		field, value string
		end          bool
		dst          **time.Time
	}{{"opens_at", f.OpensAt, false, &c.OpensAt}, {"due_at", f.DueAt, true, &c.DueAt}} {
		if d.value == "" {
			continue
		}
		t, err := platform.ParseCycleDate(d.field, d.value, f.TimeZone, d.end)
		if err != nil {
			return c, err
		}
		*d.dst = &t
	}
	return c, nil
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
	OpensAt          *string                `json:"opens_at" nullable:"true" doc:"A date or RFC 3339 date-time; null for none"`
	DueAt            *string                `json:"due_at" nullable:"true" doc:"A date (end of that day in time_zone) or RFC 3339 date-time; null for none"`
	TimeZone         string                 `json:"time_zone,omitempty" doc:"IANA zone of the cycle's dates; omitted: unchanged"`
	MinCompleteness  *float64               `json:"min_completeness,omitempty" minimum:"0" maximum:"1" doc:"Omitted: unchanged"`
	// CoverageThreshold is documented on platform.Cycle.
	CoverageThreshold    *float64 `json:"coverage_threshold,omitempty" minimum:"0" maximum:"1" doc:"Omitted: unchanged"`
	NotApplicableAllowed []string `json:"not_applicable_allowed,omitempty" maxItems:"10000" doc:"Omitted: unchanged"`
	Version              int      `json:"version" minimum:"1" doc:"The version you read; a stale one gets 409 stale_version"`
}

// fields returns the update as CycleFields (a null date is no date).
func (u CycleUpdate) fields() CycleFields {
	deref := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	return CycleFields{Name: u.Name, Kind: u.Kind, Year: u.Year, FrameworkID: u.FrameworkID, FrameworkVersion: u.FrameworkVersion,
		Scheme: u.Scheme, StarThresholds: u.StarThresholds, OpensAt: deref(u.OpensAt), DueAt: deref(u.DueAt), TimeZone: u.TimeZone,
		MinCompleteness: u.MinCompleteness, CoverageThreshold: u.CoverageThreshold, NotApplicableAllowed: u.NotApplicableAllowed}
}

type patchCycleInput struct {
	IDParam
	RawBody []byte `contentType:"application/merge-patch+json" required:"true" doc:"JSON merge patch (RFC 7396) of the cycle's fields, with the version you read (required)"`
}

// CycleTransition asks for a cycle's next state.
type CycleTransition struct {
	To      string `json:"to" enum:"draft,open,closed,published" doc:"draft→open→closed→published; closed→open reopens; published→closed retracts (reason required)"`
	Version int    `json:"version" minimum:"1" doc:"The version you read"`
	Reason  string `json:"reason,omitempty" maxLength:"2000" doc:"Why a publication is retracted, or why it is published over pending submissions (recorded)"`
	// Override publishes although submissions still await a decision.
	Override bool `json:"override,omitempty" doc:"Publish although submissions await a decision (needs a reason; recorded). Stale results are never published"`
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
		Summary: "Move a cycle to another state",
		Description: "Publishing needs results computed from the current accepted submissions and rules (409 results_stale) and no " +
			"submission awaiting a decision (409 pending_decisions) unless `override` with a `reason`. A published cycle can be " +
			"retracted (to closed) with a reason, corrected, recomputed and published again. A refused move names the allowed next states.",
		Tags: tags, Errors: []int{http.StatusNotFound, http.StatusConflict},
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
	c, err := in.Body.cycle()
	if err == nil {
		c, err = s.svc.CreateCycle(ctx, c)
	}
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
	c, err := in.Body.fields().cycle()
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	c.ID, c.Version = in.ID, in.Body.Version
	out, err := s.svc.UpdateCycle(ctx, c)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newBody(out), nil
}

func (s *Server) transitionCycle(ctx context.Context, in *transitionCycleInput) (*bodyOutput[platform.Cycle], error) {
	c, err := s.svc.TransitionCycleWith(ctx, in.ID, in.Body.Version, platform.CycleState(in.Body.To),
		platform.CycleTransitionOptions{Reason: in.Body.Reason, Override: in.Body.Override})
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
