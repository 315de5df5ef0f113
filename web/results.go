package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sceval/sceval/platform"
)

type resultsInput struct {
	IDParam
	Code  string `query:"code" maxLength:"64" doc:"Indicator code; default the overall score (root)"`
	Level int    `query:"level" minimum:"0" doc:"All indicators at this level (1 = top) instead of one code"`
	Sort  string `query:"sort" doc:"rank (default), -rank, score, -score, name, -name, region_code, -region_code"`
	// PilotIDs are strings so that both forms parse: repeated
	// (?pilot_id=3&pilot_id=7) and comma-separated (?pilot_id=3,7).
	Province string   `query:"province" maxLength:"40" doc:"Only the pilots of this province, by code (32 or 320000) or name (江苏省 or 江苏); ranks stay within all of the cycle's pilots"`
	PilotIDs []string `query:"pilot_id,explode" maxItems:"1000" doc:"Only these pilots' rows (repeat the parameter or separate IDs with commas; at most 1000 pilots); default every pilot. total counts the matching rows"`
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
		Summary: "Ranking of a cycle's pilots, overall or by indicator",
		Description: "One page of result rows: the overall score (default), one indicator (`code`) or every indicator of a level (`level`), " +
			"for every scored pilot or only those named by `pilot_id` (`?pilot_id=3&pilot_id=7` or `?pilot_id=3,7`; pilots without results give no rows). " +
			"Ranks are always within all of the cycle's pilots.",
		Tags: tags, Errors: []int{http.StatusNotFound, http.StatusUnprocessableEntity},
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
	pilots, err := pilotIDs(in.PilotIDs)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	items, total, err := s.svc.ListResults(ctx, platform.ResultFilter{CycleID: in.ID, Code: in.Code, Level: in.Level,
		PilotIDs: pilots, Province: in.Province, Sort: in.Sort, Limit: in.Limit, Offset: in.Offset})
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

// pilotIDs parses the pilot_id query values, each one ID or several
// separated by commas.
func pilotIDs(values []string) ([]int64, error) {
	var out []int64
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			id, err := strconv.ParseInt(part, 10, 64)
			if err != nil {
				return nil, &platform.Error{Kind: platform.Invalid, Code: platform.CodeBadValue, Field: "pilot_id",
					Message: fmt.Sprintf("pilot_id %q is not a pilot ID (a whole number)", part)}
			}
			out = append(out, id)
		}
	}
	return out, nil
}
