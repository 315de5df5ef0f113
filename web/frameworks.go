package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sceval/sceval/framework"
	"github.com/sceval/sceval/platform"
)

// BuiltinFrameworks is the Frameworks of the frameworks compiled into
// sceval (framework.Builtin); cmd/sceval wires it.
type BuiltinFrameworks struct{ platform.BuiltinFrameworks }

// FrameworkIDs returns the ids of the built-in frameworks, sorted.
func (BuiltinFrameworks) FrameworkIDs() []string { return framework.BuiltinIDs() }

// FrameworkSummary describes a framework in the list.
type FrameworkSummary struct {
	ID      string           `json:"id"`
	Version string           `json:"version"`
	Name    framework.Text   `json:"name"`
	Source  framework.Text   `json:"source"`
	Levels  []framework.Text `json:"levels,omitempty" doc:"Names of the levels, top first"`
	Counts  []int            `json:"counts" doc:"Number of indicators at each level, top first"`
	Leaves  int              `json:"leaves" doc:"Number of leaf indicators (the ones a submission fills in)"`
	Builtin bool             `json:"builtin" doc:"Compiled into sceval; otherwise published (see /frameworks/published)"`
}

// IndicatorRow is one indicator of a framework in the flat list.
type IndicatorRow struct {
	Code            string                  `json:"code"`
	Parent          string                  `json:"parent,omitempty"`
	Level           int                     `json:"level" doc:"1 for the top level"`
	Leaf            bool                    `json:"leaf"`
	Name            framework.Text          `json:"name"`
	Definition      framework.Text          `json:"definition"`
	Kind            framework.Kind          `json:"kind,omitempty" doc:"quantitative, rubric or expert (leaves only)"`
	Unit            string                  `json:"unit,omitempty"`
	Direction       int                     `json:"direction,omitempty" doc:"1 higher is better, -1 lower is better (leaves only)"`
	Weight          float64                 `json:"weight" doc:"Weight among siblings (sums to 1)"`
	EffectiveWeight float64                 `json:"effective_weight" doc:"Product of the weights on the path from the top"`
	Rubric          []framework.RubricLevel `json:"rubric,omitempty" doc:"Rubric levels 1..n for rubric leaves"`
}

// FrameworkParam addresses a framework by id.
type FrameworkParam struct {
	ID string `path:"id" doc:"Framework id, e.g. mohurd-2012" example:"mohurd-2012"`
}

type getFrameworkInput struct {
	FrameworkParam
	Version string `query:"version" maxLength:"100" doc:"Version; default the built-in one, else the latest published"`
}

type indicatorsInput struct {
	FrameworkParam
	Version string `query:"version" maxLength:"100" doc:"Version; default the built-in one, else the latest published"`
	Level   int    `query:"level" minimum:"0" doc:"Only indicators at this level (1 = top); 0 for all"`
	Leaf    bool   `query:"leaf" doc:"Only leaf indicators"`
}

func (s *Server) registerFrameworks() {
	tags := []string{"frameworks"}
	huma.Register(s.api, huma.Operation{
		OperationID: "list-frameworks", Method: http.MethodGet, Path: apiPrefix + "/frameworks",
		Summary: "List indicator frameworks", Tags: tags,
	}, s.listFrameworks)
	huma.Register(s.api, huma.Operation{
		OperationID: "get-framework", Method: http.MethodGet, Path: apiPrefix + "/frameworks/{id}",
		Summary:     "Get a framework",
		Description: "The framework in its file format (as `sceval framework export`), with every weight and direction resolved.",
		Tags:        tags, Errors: []int{http.StatusNotFound},
	}, s.getFramework)
	huma.Register(s.api, huma.Operation{
		OperationID: "list-indicators", Method: http.MethodGet, Path: apiPrefix + "/frameworks/{id}/indicators",
		Summary: "List a framework's indicators, flat, in order", Tags: tags, Errors: []int{http.StatusNotFound},
	}, s.listIndicators)
}

func (s *Server) listFrameworks(ctx context.Context, _ *struct{}) (*listOutput[FrameworkSummary], error) {
	if err := s.allow(ctx, "framework.read", "framework"); err != nil {
		return nil, err
	}
	var out []FrameworkSummary
	for _, id := range s.frameworks.FrameworkIDs() {
		f, err := s.frameworks.Framework(id)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		out = append(out, FrameworkSummary{ID: f.ID, Version: f.Version, Name: f.Name, Source: f.Source,
			Levels: f.Levels, Counts: f.CountByLevel(), Leaves: len(f.Leaves()), Builtin: true})
	}
	published, err := s.svc.ListFrameworks(ctx)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	for _, p := range published {
		f, err := s.svc.GetFramework(ctx, p.ID, p.Version)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		out = append(out, FrameworkSummary{ID: f.ID, Version: f.Version, Name: f.Name, Source: f.Source,
			Levels: f.Levels, Counts: f.CountByLevel(), Leaves: len(f.Leaves())})
	}
	return newList(out, len(out)), nil
}

// framework returns framework id at version: built in or published.
func (s *Server) framework(ctx context.Context, id, version string) (*framework.Framework, error) {
	if version == "" {
		if f, err := s.frameworks.Framework(id); err == nil {
			return f, nil
		}
	}
	return s.svc.GetFramework(ctx, id, version)
}

func (s *Server) getFramework(ctx context.Context, in *getFrameworkInput) (*bodyOutput[*framework.Framework], error) {
	if err := s.allow(ctx, "framework.read", "framework"); err != nil {
		return nil, err
	}
	f, err := s.framework(ctx, in.ID, in.Version)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	return newBody(f.Resolved()), nil
}

func (s *Server) listIndicators(ctx context.Context, in *indicatorsInput) (*listOutput[IndicatorRow], error) {
	if err := s.allow(ctx, "framework.read", "framework"); err != nil {
		return nil, err
	}
	f, err := s.framework(ctx, in.ID, in.Version)
	if err != nil {
		return nil, s.fail(ctx, err)
	}
	f = f.Resolved()
	effective := f.EffectiveWeights()
	var out []IndicatorRow
	f.Walk(func(ind, parent *framework.Indicator, level int) bool {
		if (in.Level != 0 && level != in.Level) || (in.Leaf && !ind.IsLeaf()) {
			return true
		}
		row := IndicatorRow{Code: ind.Code, Level: level, Leaf: ind.IsLeaf(), Name: ind.Name,
			Definition: ind.Definition, Kind: ind.Kind, Unit: ind.Unit, Direction: ind.Direction,
			EffectiveWeight: effective[ind.Code], Rubric: ind.Rubric}
		if ind.Weight != nil {
			row.Weight = *ind.Weight
		}
		if parent != nil {
			row.Parent = parent.Code
		}
		out = append(out, row)
		return true
	})
	return newList(out, len(out)), nil
}
