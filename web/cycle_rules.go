package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sceval/sceval/platform"
)

// ExtensionGrant gives one pilot a later due date in a cycle.
type ExtensionGrant struct {
	PilotID int64  `json:"pilot_id" minimum:"1"`
	DueAt   string `json:"due_at" minLength:"1" example:"2014-12-15" doc:"A date (until 24:00 that day in the cycle's time zone) or an RFC 3339 date-time, after the cycle's due date"`
	Reason  string `json:"reason" minLength:"1" maxLength:"2000" doc:"Why the pilot may submit late (recorded)"`
}

type grantExtensionInput struct {
	IDParam
	Body ExtensionGrant
}

type overdueInput struct {
	IDParam
	PageParams
}

// registerCycleRules registers the endpoints of a cycle's rules:
// extensions, overdue pilots and the record of decisions.
func (s *Server) registerCycleRules() {
	tags := []string{"cycles"}
	base := apiPrefix + "/cycles/{id}"
	huma.Register(s.api, huma.Operation{
		OperationID: "grant-extension", Method: http.MethodPost, Path: base + "/extensions", DefaultStatus: http.StatusCreated,
		Summary:     "Grant a pilot an extension of the cycle's due date",
		Description: "The ministry's decision (action cycle.extend), recorded in the cycle's events; a later grant replaces the date.",
		Tags:        tags, Errors: []int{http.StatusNotFound, http.StatusConflict, http.StatusUnprocessableEntity},
	}, s.grantExtension)
	huma.Register(s.api, huma.Operation{
		OperationID: "list-overdue-pilots", Method: http.MethodGet, Path: base + "/overdue",
		Summary:     "Pilots whose submission is not in by their due date",
		Description: "Submissions still in draft or returned after the cycle's due date, or after the pilot's extension.",
		Tags:        tags, Errors: []int{http.StatusNotFound},
	}, s.listOverdue)
	huma.Register(s.api, huma.Operation{
		OperationID: "list-cycle-events", Method: http.MethodGet, Path: base + "/events",
		Summary:     "Recorded decisions on a cycle",
		Description: "Publications over pending submissions (publish_override), retractions (retract) and extensions, oldest first.",
		Tags:        tags, Errors: []int{http.StatusNotFound},
	}, s.listCycleEvents)
}

func (s *Server) grantExtension(ctx context.Context, in *grantExtensionInput) (*bodyOutput[platform.Extension], error) {
	ext, err := s.svc.GrantExtension(ctx, in.ID, in.Body.PilotID, in.Body.DueAt, in.Body.Reason)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newBody(ext), nil
}

func (s *Server) listOverdue(ctx context.Context, in *overdueInput) (*listOutput[platform.OverduePilot], error) {
	items, total, err := s.svc.OverduePilots(ctx, in.ID, in.Limit, in.Offset)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newList(items, total), nil
}

func (s *Server) listCycleEvents(ctx context.Context, in *IDParam) (*listOutput[platform.CycleEvent], error) {
	items, err := s.svc.CycleEvents(ctx, in.ID)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newList(items, len(items)), nil
}
