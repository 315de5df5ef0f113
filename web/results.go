package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sceval/sceval/platform"
)

type resultsInput struct {
	IDParam
	Code  string `query:"code" maxLength:"64" doc:"Indicator code; default the overall score (root)"`
	Level int    `query:"level" minimum:"0" doc:"All indicators at this level (1 = top) instead of one code"`
	Sort  string `query:"sort" doc:"rank (default), -rank, score, -score, name, -name, region_code, -region_code"`
	PageParams
}

func (s *Server) registerResults() {
	tags := []string{"results"}
	huma.Register(s.api, huma.Operation{
		OperationID: "compute-results", Method: http.MethodPost, Path: apiPrefix + "/cycles/{id}/results",
		Summary:     "Compute a cycle's results from its accepted submissions",
		Description: "Runs the engine with the cycle's scheme and stores scores, ranks and stars with the run's input hash. Identical inputs give identical rows and hash.",
		Tags:        tags, Errors: []int{http.StatusNotFound, http.StatusConflict},
	}, s.computeResults)
	huma.Register(s.api, huma.Operation{
		OperationID: "list-results", Method: http.MethodGet, Path: apiPrefix + "/cycles/{id}/results",
		Summary: "Ranking of a cycle's pilots, overall or by indicator", Tags: tags, Errors: []int{http.StatusNotFound},
	}, s.listResults)
	huma.Register(s.api, huma.Operation{
		OperationID: "get-result-run", Method: http.MethodGet, Path: apiPrefix + "/cycles/{id}/results/run",
		Summary: "The latest computation of a cycle: when, with which scheme and inputs",
		Tags:    tags, Errors: []int{http.StatusNotFound},
	}, s.getResultRun)
	huma.Register(s.api, huma.Operation{
		OperationID: "list-pilot-results", Method: http.MethodGet, Path: apiPrefix + "/pilots/{id}/results",
		Summary: "A pilot's overall results across cycles", Tags: tags, Errors: []int{http.StatusNotFound},
	}, s.pilotResults)
}

func (s *Server) computeResults(ctx context.Context, in *IDParam) (*bodyOutput[platform.ResultRun], error) {
	done := s.metrics.computation()
	run, err := s.svc.ComputeResults(ctx, in.ID)
	done(err)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newBody(run), nil
}

func (s *Server) listResults(ctx context.Context, in *resultsInput) (*listOutput[platform.ResultRow], error) {
	items, total, err := s.svc.ListResults(ctx, platform.ResultFilter{CycleID: in.ID, Code: in.Code, Level: in.Level,
		Sort: in.Sort, Limit: in.Limit, Offset: in.Offset})
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newList(items, total), nil
}

func (s *Server) getResultRun(ctx context.Context, in *IDParam) (*bodyOutput[platform.ResultRun], error) {
	run, err := s.svc.LatestRun(ctx, in.ID)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newBody(run), nil
}

func (s *Server) pilotResults(ctx context.Context, in *IDParam) (*listOutput[platform.ResultRow], error) {
	items, err := s.svc.PilotResults(ctx, in.ID)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newList(items, len(items)), nil
}
