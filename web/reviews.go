package web

import (
	"context"
	"io"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sceval/sceval/platform"
)

// ExpertFields are what a client writes for an expert.
type ExpertFields struct {
	Name              string   `json:"name" minLength:"1" maxLength:"100" example:"王建国"`
	ProvinceCode      string   `json:"province_code" pattern:"^[1-9][0-9]$" example:"32" doc:"2-digit province code (GB/T 2260)"`
	Organisation      string   `json:"organisation,omitempty" maxLength:"200" example:"东南大学"`
	Username          string   `json:"username,omitempty" maxLength:"100" doc:"The account this expert signs in with"`
	ConflictPilots    []int64  `json:"conflict_pilots,omitempty" maxItems:"1000" doc:"Pilot IDs the expert declared a conflict of interest with"`
	ConflictProvinces []string `json:"conflict_provinces,omitempty" maxItems:"40" doc:"Province codes the expert declared a conflict of interest with"`
	Active            *bool    `json:"active,omitempty" doc:"Default true; inactive experts get no new assignments"`
}

func (f ExpertFields) expert() platform.Expert {
	active := f.Active == nil || *f.Active
	return platform.Expert{Name: f.Name, ProvinceCode: f.ProvinceCode, Organisation: f.Organisation, Username: f.Username,
		ConflictPilots: f.ConflictPilots, ConflictProvinces: f.ConflictProvinces, Active: active}
}

// ExpertUpdate is an expert's fields and the version the client read.
type ExpertUpdate struct {
	ExpertFields
	Version int `json:"version" minimum:"1"`
}

// AssignmentOverrideBody gives one assignment to another expert.
type AssignmentOverrideBody struct {
	ExpertID int64  `json:"expert_id" minimum:"1"`
	Version  int    `json:"version" minimum:"1" doc:"The assignment version you read"`
	Reason   string `json:"reason" minLength:"1" maxLength:"2000"`
}

// ReviewSave is a draft review: the whole scoring form.
type ReviewSave struct {
	Version int                    `json:"version" minimum:"1" doc:"The review version you read"`
	Scores  []platform.ReviewScore `json:"scores" maxItems:"10000" doc:"Per leaf: score 0–100 or rubric level, and a comment"`
}

// ReviewAction submits or reopens a review.
type ReviewAction struct {
	Version int    `json:"version" minimum:"1"`
	Reason  string `json:"reason,omitempty" maxLength:"2000" doc:"Required to reopen"`
}

type expertsInput struct {
	Province string `query:"province" maxLength:"2"`
	Username string `query:"username" maxLength:"100"`
	PageParams
}

type assignmentsInput struct {
	IDParam
	SubmissionID int64  `query:"submission_id" minimum:"0"`
	ExpertID     int64  `query:"expert_id" minimum:"0"`
	State        string `query:"state" enum:"draft,submitted"`
	PageParams
}

type myReviewsInput struct {
	CycleID int64  `query:"cycle_id" minimum:"0"`
	State   string `query:"state" enum:"draft,submitted"`
	PageParams
}

type reviewEvidenceInput struct {
	IDParam
	EvidenceID int64 `path:"evidence_id" minimum:"1"`
}

func (s *Server) registerReviews() {
	s.registerExperts()
	huma.Register(s.api, reviewOp(huma.Operation{OperationID: "get-review-settings", Method: http.MethodGet, Path: apiPrefix + "/cycles/{id}/review-settings",
		Summary: "A cycle's expert-review settings (defaults until set)"}), s.getReviewSettings)
	huma.Register(s.api, reviewOp(huma.Operation{OperationID: "put-review-settings", Method: http.MethodPut, Path: apiPrefix + "/cycles/{id}/review-settings",
		Summary: "Set a cycle's expert-review settings (k, combination, expert mode, blind, outlier rule, seed)"}), s.putReviewSettings)
	huma.Register(s.api, reviewOp(huma.Operation{OperationID: "assign-experts", Method: http.MethodPost, Path: apiPrefix + "/cycles/{id}/assignments",
		Summary:     "Assign k experts to every forwarded or accepted submission",
		Description: "Conflict-free (own province, declared conflicts), load-balanced within ±1, reproducible for the cycle's seed; each choice explained."}), s.assignExperts)
	huma.Register(s.api, reviewOp(huma.Operation{OperationID: "list-assignments", Method: http.MethodGet, Path: apiPrefix + "/cycles/{id}/assignments",
		Summary: "List a cycle's assignments with their explanations"}), s.listAssignments)
	huma.Register(s.api, reviewOp(huma.Operation{OperationID: "override-assignment", Method: http.MethodPost, Path: apiPrefix + "/assignments/{id}/override",
		Summary: "Give one assignment to another expert, for a reason"}), s.overrideAssignment)
	huma.Register(s.api, reviewOp(huma.Operation{OperationID: "list-my-reviews", Method: http.MethodGet, Path: apiPrefix + "/reviews",
		Summary: "The calling expert's reviews (masked in blind cycles)"}), s.listMyReviews)
	huma.Register(s.api, reviewOp(huma.Operation{OperationID: "get-review", Method: http.MethodGet, Path: apiPrefix + "/reviews/{id}",
		Summary: "A review with the submission's entries (pilot hidden from experts in blind cycles)"}), s.getReview)
	huma.Register(s.api, reviewOp(huma.Operation{OperationID: "save-review", Method: http.MethodPut, Path: apiPrefix + "/reviews/{id}",
		Summary: "Save a draft review's scores and comments"}), s.saveReview)
	huma.Register(s.api, reviewOp(huma.Operation{OperationID: "submit-review", Method: http.MethodPost, Path: apiPrefix + "/reviews/{id}/submit",
		Summary: "Submit (lock) a review whose every leaf is scored"}), s.submitReview)
	huma.Register(s.api, reviewOp(huma.Operation{OperationID: "reopen-review", Method: http.MethodPost, Path: apiPrefix + "/reviews/{id}/reopen",
		Summary: "Reopen a submitted review, for a reason"}), s.reopenReview)
	huma.Register(s.api, reviewOp(huma.Operation{OperationID: "download-review-evidence", Method: http.MethodGet, Path: apiPrefix + "/reviews/{id}/evidence/{evidence_id}",
		Summary:   "Download an evidence file of the reviewed submission (masked name in blind cycles)",
		Responses: downloadResponses()}), s.downloadReviewEvidence)
	huma.Register(s.api, reviewOp(huma.Operation{OperationID: "get-submission-agreement", Method: http.MethodGet, Path: apiPrefix + "/submissions/{id}/agreement",
		Summary: "Agreement of a submission's expert panel: Kendall's W, ICC(2,1), ICC(2,k), outlier experts"}), s.submissionAgreement)
	huma.Register(s.api, reviewOp(huma.Operation{OperationID: "get-cycle-agreement", Method: http.MethodGet, Path: apiPrefix + "/cycles/{id}/agreement",
		Summary: "Agreement of every panel of a cycle and each expert's outlier flag"}), s.cycleAgreement)
	huma.Register(s.api, reviewOp(huma.Operation{OperationID: "get-expert-results", Method: http.MethodGet, Path: apiPrefix + "/cycles/{id}/expert-results",
		Summary: "Combined expert scores per submission and indicator, and the expert totals"}), s.expertResults)
}

// reviewOp tags a review operation and documents its usual errors.
func reviewOp(op huma.Operation) huma.Operation {
	op.Tags = []string{"reviews"}
	op.Errors = []int{http.StatusNotFound, http.StatusConflict}
	return op
}

type putReviewSettingsInput struct {
	IDParam
	Body platform.ReviewSettings
}

type overrideInput struct {
	IDParam
	Body AssignmentOverrideBody
}

type saveReviewInput struct {
	IDParam
	Body ReviewSave
}

type reviewActionInput struct {
	IDParam
	Body ReviewAction
}

func (s *Server) getReviewSettings(ctx context.Context, in *IDParam) (*bodyOutput[platform.ReviewSettings], error) {
	rs, err := s.svc.GetReviewSettings(ctx, in.ID)
	return bodyOr(s, ctx, rs, err)
}

func (s *Server) putReviewSettings(ctx context.Context, in *putReviewSettingsInput) (*bodyOutput[platform.ReviewSettings], error) {
	in.Body.CycleID = in.ID
	rs, err := s.svc.PutReviewSettings(ctx, in.Body)
	return bodyOr(s, ctx, rs, err)
}

func (s *Server) assignExperts(ctx context.Context, in *IDParam) (*bodyOutput[platform.AssignResult], error) {
	res, err := s.svc.AssignExperts(ctx, in.ID)
	return bodyOr(s, ctx, res, err)
}

func (s *Server) listAssignments(ctx context.Context, in *assignmentsInput) (*listOutput[platform.Assignment], error) {
	items, total, err := s.svc.ListAssignments(ctx, platform.AssignmentFilter{CycleID: in.ID, SubmissionID: in.SubmissionID,
		ExpertID: in.ExpertID, State: in.State, Limit: in.Limit, Offset: in.Offset})
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newList(items, total), nil
}

func (s *Server) overrideAssignment(ctx context.Context, in *overrideInput) (*bodyOutput[platform.Assignment], error) {
	a, err := s.svc.OverrideAssignment(ctx, in.ID, in.Body.Version, in.Body.ExpertID, in.Body.Reason)
	return bodyOr(s, ctx, a, err)
}

func (s *Server) listMyReviews(ctx context.Context, in *myReviewsInput) (*listOutput[platform.Assignment], error) {
	items, total, err := s.svc.ListMyReviews(ctx, platform.AssignmentFilter{CycleID: in.CycleID, State: in.State, Limit: in.Limit, Offset: in.Offset})
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newList(items, total), nil
}

func (s *Server) getReview(ctx context.Context, in *IDParam) (*bodyOutput[platform.ReviewView], error) {
	v, err := s.svc.GetReview(ctx, in.ID)
	return bodyOr(s, ctx, v, err)
}

func (s *Server) saveReview(ctx context.Context, in *saveReviewInput) (*bodyOutput[platform.Assignment], error) {
	a, err := s.svc.SaveReview(ctx, in.ID, in.Body.Version, in.Body.Scores)
	return bodyOr(s, ctx, a, err)
}

func (s *Server) submitReview(ctx context.Context, in *reviewActionInput) (*bodyOutput[platform.Assignment], error) {
	a, err := s.svc.SubmitReview(ctx, in.ID, in.Body.Version)
	return bodyOr(s, ctx, a, err)
}

func (s *Server) reopenReview(ctx context.Context, in *reviewActionInput) (*bodyOutput[platform.Assignment], error) {
	a, err := s.svc.ReopenReview(ctx, in.ID, in.Body.Version, in.Body.Reason)
	return bodyOr(s, ctx, a, err)
}

func (s *Server) downloadReviewEvidence(ctx context.Context, in *reviewEvidenceInput) (*huma.StreamResponse, error) {
	ev, rc, err := s.svc.OpenReviewEvidence(ctx, in.ID, in.EvidenceID)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		defer rc.Close()
		hctx.SetHeader("Content-Type", ev.ContentType)
		hctx.SetHeader("Content-Length", strconv.FormatInt(ev.Size, 10))
		hctx.SetHeader("Content-Disposition", ContentDisposition("attachment", ev.Filename))
		hctx.SetHeader("X-Content-Type-Options", "nosniff")
		hctx.SetHeader("Cache-Control", "private, max-age=0")
		hctx.SetStatus(http.StatusOK)
		if _, err := io.Copy(hctx.BodyWriter(), rc); err != nil {
			s.logger.WarnContext(ctx, "review evidence download interrupted", "evidence", ev.ID, "err", err)
		}
	}}, nil
}

func (s *Server) submissionAgreement(ctx context.Context, in *IDParam) (*bodyOutput[platform.PanelAgreement], error) {
	a, err := s.svc.SubmissionAgreement(ctx, in.ID)
	return bodyOr(s, ctx, a, err)
}

func (s *Server) cycleAgreement(ctx context.Context, in *IDParam) (*bodyOutput[platform.CycleAgreement], error) {
	a, err := s.svc.CycleAgreement(ctx, in.ID)
	return bodyOr(s, ctx, a, err)
}

func (s *Server) expertResults(ctx context.Context, in *IDParam) (*listOutput[platform.ExpertResult], error) {
	items, err := s.svc.ExpertResults(ctx, in.ID)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newList(items, len(items)), nil
}

// bodyOr renders v, or the error.
func bodyOr[T any](s *Server, ctx context.Context, v T, err error) (*bodyOutput[T], error) {
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newBody(v), nil
}

// downloadResponses documents a file download (as download-evidence).
func downloadResponses() map[string]*huma.Response {
	return map[string]*huma.Response{"200": {
		Description: "The file",
		Headers:     map[string]*huma.Param{"Content-Disposition": {Schema: &huma.Schema{Type: "string"}}},
		Content: map[string]*huma.MediaType{"application/octet-stream": {
			Schema: &huma.Schema{Type: "string", Format: "binary"},
		}},
	}}
}
