package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sceval/sceval/region"
)

// RegionDetail is one region with its ancestors.
type RegionDetail struct {
	region.Region
	Chain    []region.Region `json:"chain" doc:"The region and its ancestors, province first"`
	Children int             `json:"children" doc:"Number of regions one level below"`
}

type regionsInput struct {
	Q      string `query:"q" maxLength:"100" doc:"Code prefix (digits) or name text; \"北京 朝阳\" matches 朝阳区 of Beijing"`
	Level  int    `query:"level" minimum:"0" maximum:"4" doc:"1 province, 2 prefecture, 3 county, 4 town; 0 for all"`
	Parent string `query:"parent" maxLength:"12" doc:"Only the direct children of this code"`
	Within string `query:"within" maxLength:"12" doc:"Only the descendants of this code, at any depth"`
	PageParams
}

type regionPath struct {
	Code string `path:"code" maxLength:"12" doc:"Division code in any form: GB/T 2260 (110000, 440300, 110105), a town's 9 or 12 digits, or the registry's 2/4 digits (11, 4403)" example:"110105"`
}

func (s *Server) registerRegions() {
	tags := []string{"regions"}
	huma.Register(s.api, huma.Operation{
		OperationID: "search-regions", Method: http.MethodGet, Path: apiPrefix + "/regions",
		Summary: "Search administrative divisions", Tags: tags,
	}, s.searchRegions)
	huma.Register(s.api, huma.Operation{
		OperationID: "get-region", Method: http.MethodGet, Path: apiPrefix + "/regions/{code}",
		Summary: "Get a region with its chain of ancestors", Tags: tags, Errors: []int{http.StatusNotFound},
	}, s.getRegion)
}

func (s *Server) searchRegions(ctx context.Context, in *regionsInput) (*listOutput[region.Region], error) {
	if err := s.allow(ctx, "region.read", "region"); err != nil {
		return nil, err
	}
	// parent and within name a region: accept every form GET /regions/{code}
	// does (440300 for 4403 深圳市), and say so when it does not exist
	// instead of answering an empty list.
	for _, f := range []struct {
		name string
		code *string
	}{{"parent", &in.Parent}, {"within", &in.Within}} {
		if *f.code == "" {
			continue
		}
		reg, ok := s.regions.Resolve(*f.code)
		if !ok {
			return nil, newError(http.StatusUnprocessableEntity, "bad_value", f.name,
				fmt.Sprintf("%s: region %q is not known", f.name, *f.code))
		}
		*f.code = reg.Code
	}
	q := strings.TrimSpace(in.Q)
	if reg, ok := s.regions.Resolve(q); ok && len(q) > len(reg.Code) {
		// A padded code (130100) searches as the registry's prefix (1301).
		q = reg.Code
	}
	items, total := s.regions.Search(region.Query{Q: q, Level: in.Level, Parent: in.Parent, Within: in.Within,
		Limit: in.Limit, Offset: in.Offset})
	for i := range items {
		items[i] = region.WithGBCodes(items[i])
	}
	return newList(items, total), nil
}

func (s *Server) getRegion(ctx context.Context, in *regionPath) (*bodyOutput[RegionDetail], error) {
	if err := s.allow(ctx, "region.read", "region"); err != nil {
		return nil, err
	}
	reg, ok := s.regions.Resolve(in.Code)
	if !ok {
		return nil, newError(http.StatusNotFound, "not_found", "code", fmt.Sprintf("region %q is not known", in.Code))
	}
	chain := s.regions.Chain(reg.Code)
	for i := range chain {
		chain[i] = region.WithGBCodes(chain[i])
	}
	return newBody(RegionDetail{Region: region.WithGBCodes(reg), Chain: chain, Children: len(s.regions.Children(reg.Code))}), nil
}
