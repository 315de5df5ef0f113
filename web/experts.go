package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sceval/sceval/platform"
)

type createExpertInput struct {
	Body ExpertFields
}

type updateExpertInput struct {
	IDParam
	Body ExpertUpdate
}

type createdExpert struct {
	Location string `header:"Location"`
	Body     platform.Expert
}

func (s *Server) registerExperts() {
	op := func(o huma.Operation) huma.Operation {
		o.Tags = []string{"reviews"}
		return o
	}
	huma.Register(s.api, op(huma.Operation{OperationID: "list-experts", Method: http.MethodGet, Path: apiPrefix + "/experts",
		Summary: "List the experts of the review panels"}), s.listExperts)
	huma.Register(s.api, op(huma.Operation{OperationID: "create-expert", Method: http.MethodPost, Path: apiPrefix + "/experts",
		DefaultStatus: http.StatusCreated, Summary: "Add an expert with province, organisation and declared conflicts",
		Errors: []int{http.StatusConflict}}), s.createExpert)
	huma.Register(s.api, op(huma.Operation{OperationID: "get-expert", Method: http.MethodGet, Path: apiPrefix + "/experts/{id}",
		Summary: "Get an expert", Errors: []int{http.StatusNotFound}}), s.getExpert)
	huma.Register(s.api, op(huma.Operation{OperationID: "update-expert", Method: http.MethodPut, Path: apiPrefix + "/experts/{id}",
		Summary: "Update an expert (version-checked)", Errors: []int{http.StatusNotFound, http.StatusConflict}}), s.updateExpert)
}

func (s *Server) listExperts(ctx context.Context, in *expertsInput) (*listOutput[platform.Expert], error) {
	items, total, err := s.svc.ListExperts(ctx, platform.ExpertFilter{Province: in.Province, Username: in.Username, Limit: in.Limit, Offset: in.Offset})
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newList(items, total), nil
}

func (s *Server) createExpert(ctx context.Context, in *createExpertInput) (*createdExpert, error) {
	e, err := s.svc.CreateExpert(ctx, in.Body.expert())
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return &createdExpert{Location: apiPrefix + "/experts/" + itoa(e.ID), Body: e}, nil
}

func (s *Server) getExpert(ctx context.Context, in *IDParam) (*bodyOutput[platform.Expert], error) {
	e, err := s.svc.GetExpert(ctx, in.ID)
	return bodyOr(s, ctx, e, err)
}

func (s *Server) updateExpert(ctx context.Context, in *updateExpertInput) (*bodyOutput[platform.Expert], error) {
	e := in.Body.expert()
	e.ID, e.Version = in.ID, in.Body.Version
	out, err := s.svc.UpdateExpert(ctx, e)
	return bodyOr(s, ctx, out, err)
}
