package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sceval/sceval/platform"
)

// SubmissionCreate names the pilot a new submission is for.
type SubmissionCreate struct {
	PilotID int64 `json:"pilot_id" minimum:"1"`
}

// EntryFields are what a client writes into one indicator of a submission.
type EntryFields struct {
	Value     *float64 `json:"value,omitempty" doc:"Measured value (quantitative leaves) or expert score 0–100"`
	Unit      string   `json:"unit,omitempty" maxLength:"50"`
	Level     *int     `json:"level,omitempty" minimum:"1" doc:"Rubric level 1..n (rubric leaves)"`
	Narrative string   `json:"narrative,omitempty" maxLength:"20000"`
	// NotApplicable marks the leaf not applicable.
	NotApplicable bool `json:"not_applicable,omitempty" doc:"The pilot does not have this leaf (only leaves the cycle allows; the narrative gives the reason): excluded from its score, not zero"`
	Version       int  `json:"version" minimum:"0" doc:"The entry version you read; 0 when creating. A stale one gets 409 stale_version with the current entry"`
}

// SubmissionTransition asks for a submission's next state.
type SubmissionTransition struct {
	To      string `json:"to" enum:"draft,submitted,returned,forwarded,accepted" doc:"draft→submitted (pilot); submitted→returned|forwarded (province); forwarded→returned|accepted (ministry); returned→submitted"`
	Version int    `json:"version" minimum:"1" doc:"The submission version you read"`
	Reason  string `json:"reason,omitempty" maxLength:"2000" doc:"Why it is returned"`

	Comments []platform.IndicatorComment `json:"comments,omitempty" maxItems:"1000" doc:"A return's per-indicator comments, shown to the pilot next to each indicator"`
}

type createSubmissionInput struct {
	IDParam
	Body SubmissionCreate
}

type submissionsInput struct {
	CycleID  int64  `query:"cycle_id" minimum:"0"`
	PilotID  int64  `query:"pilot_id" minimum:"0"`
	State    string `query:"state" enum:"draft,submitted,returned,forwarded,accepted"`
	Province string `query:"province" pattern:"^[0-9]{2}$" doc:"The pilots of one province (2-digit code, e.g. 32)"`
	Type     string `query:"type" enum:"city,district,town" doc:"The pilots of one type"`
	Batch    string `query:"batch" maxLength:"64" doc:"The pilots of one batch"`
	Overdue  bool   `query:"overdue" doc:"Only submissions still in draft or returned after their due date (the cycle's or the pilot's extension)"`
	PageParams
}

type cycleSubmissionsInput struct {
	IDParam
	PilotID int64  `query:"pilot_id" minimum:"0"`
	State   string `query:"state" enum:"draft,submitted,returned,forwarded,accepted"`
	PageParams
}

// EntryParam addresses one indicator entry of a submission.
type EntryParam struct {
	IDParam
	Code string `path:"code" maxLength:"64" doc:"Leaf indicator code, e.g. 1.1.1" example:"1.1.1"`
}

type saveEntryInput struct {
	EntryParam
	Body EntryFields
}

type transitionSubmissionInput struct {
	IDParam
	Body SubmissionTransition
}

type createdSubmission struct {
	Location string `header:"Location"`
	Body     platform.Submission
}

func (s *Server) registerSubmissions() {
	tags := []string{"submissions"}
	huma.Register(s.api, huma.Operation{
		OperationID: "create-submission", Method: http.MethodPost, Path: apiPrefix + "/cycles/{id}/submissions",
		DefaultStatus: http.StatusCreated, Summary: "Start a pilot's submission in an open cycle",
		Description: "One submission per pilot per cycle (409 duplicate).",
		Tags:        tags, Errors: []int{http.StatusNotFound, http.StatusConflict},
	}, s.createSubmission)
	huma.Register(s.api, huma.Operation{
		OperationID: "list-cycle-submissions", Method: http.MethodGet, Path: apiPrefix + "/cycles/{id}/submissions",
		Summary: "List a cycle's submissions", Tags: tags,
	}, s.listCycleSubmissions)
	huma.Register(s.api, huma.Operation{
		OperationID: "list-submissions", Method: http.MethodGet, Path: apiPrefix + "/submissions",
		Summary: "List submissions by cycle, pilot and state", Tags: tags,
	}, s.listSubmissions)
	huma.Register(s.api, huma.Operation{
		OperationID: "get-submission", Method: http.MethodGet, Path: apiPrefix + "/submissions/{id}",
		Summary: "Get a submission with its entries, completeness and history",
		Tags:    tags, Errors: []int{http.StatusNotFound},
	}, s.getSubmission)
	huma.Register(s.api, huma.Operation{
		OperationID: "save-entry", Method: http.MethodPut, Path: apiPrefix + "/submissions/{id}/entries/{code}",
		Summary:     "Save one indicator entry (version-checked)",
		Description: "Only while the submission is draft or returned and its cycle open.",
		Tags:        tags, Errors: []int{http.StatusNotFound, http.StatusConflict},
	}, s.saveEntry)
	huma.Register(s.api, huma.Operation{
		OperationID: "transition-submission", Method: http.MethodPost, Path: apiPrefix + "/submissions/{id}/transition",
		Summary: "Submit, return (with per-indicator comments), forward, resubmit or accept a submission",
		Tags:    tags, Errors: []int{http.StatusNotFound, http.StatusConflict},
	}, s.transitionSubmission)
}

func (s *Server) createSubmission(ctx context.Context, in *createSubmissionInput) (*createdSubmission, error) {
	sub, err := s.svc.CreateSubmission(ctx, in.ID, in.Body.PilotID)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return &createdSubmission{Location: apiPrefix + "/submissions/" + itoa(sub.ID), Body: sub}, nil
}

func (s *Server) listCycleSubmissions(ctx context.Context, in *cycleSubmissionsInput) (*listOutput[platform.Submission], error) {
	return s.submissions(ctx, platform.SubmissionFilter{CycleID: in.ID, PilotID: in.PilotID, State: in.State,
		Limit: in.Limit, Offset: in.Offset})
}

func (s *Server) listSubmissions(ctx context.Context, in *submissionsInput) (*listOutput[platform.Submission], error) {
	return s.submissions(ctx, platform.SubmissionFilter{CycleID: in.CycleID, PilotID: in.PilotID, State: in.State,
		Province: in.Province, PilotType: in.Type, Batch: in.Batch, Overdue: in.Overdue,
		Limit: in.Limit, Offset: in.Offset})
}

func (s *Server) submissions(ctx context.Context, f platform.SubmissionFilter) (*listOutput[platform.Submission], error) {
	items, total, err := s.svc.ListSubmissions(ctx, f)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newList(items, total), nil
}

func (s *Server) getSubmission(ctx context.Context, in *IDParam) (*bodyOutput[platform.Submission], error) {
	sub, err := s.svc.GetSubmission(ctx, in.ID)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newBody(sub), nil
}

func (s *Server) saveEntry(ctx context.Context, in *saveEntryInput) (*bodyOutput[platform.Entry], error) {
	e, err := s.svc.SaveEntry(ctx, in.ID, in.Code, platform.EntryInput{Value: in.Body.Value, Unit: in.Body.Unit,
		Level: in.Body.Level, Narrative: in.Body.Narrative, NotApplicable: in.Body.NotApplicable, Version: in.Body.Version})
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newBody(e), nil
}

func (s *Server) transitionSubmission(ctx context.Context, in *transitionSubmissionInput) (*bodyOutput[platform.Submission], error) {
	sub, err := s.svc.ReviewSubmission(ctx, in.ID, platform.TransitionRequest{Version: in.Body.Version,
		To: platform.SubmissionState(in.Body.To), Reason: in.Body.Reason, Comments: in.Body.Comments})
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newBody(sub), nil
}
