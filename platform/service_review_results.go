package platform

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/sceval/sceval/engine"
	"github.com/sceval/sceval/framework"
)

// ExpertResult is one submission's combined expert scores: per leaf the
// combination of its submitted reviews' scores and, in a cycle whose expert
// mode is "total", the expert total beside the self-assessment.
type ExpertResult struct {
	SubmissionID int64 `json:"submission_id"`
	PilotID      int64 `json:"pilot_id"`
	// Reviews is the number of submitted reviews combined.
	Reviews int              `json:"reviews"`
	Scores  []CombinedScore  `json:"scores"`
	Total   *float64         `json:"total,omitempty"`
	Method  CombineMethod    `json:"method"`
	Mode    ExpertMode       `json:"mode"`
	Summary *ExpertTotalNote `json:"note,omitempty"`
}

// CombinedScore is one leaf's combined expert score.
type CombinedScore struct {
	Code  string  `json:"code"`
	Score float64 `json:"score"`
	// Experts is the number of scores combined.
	Experts int `json:"experts"`
}

// ExpertTotalNote explains how the expert total was computed.
type ExpertTotalNote struct {
	Text string `json:"text"`
}

// expertTotalText documents the expert total.
const expertTotalText = "expert total: the cycle's framework weights and aggregation applied to the combined expert score of every leaf, each taken as given on 0–100"

// SubmissionAgreement returns the agreement of one submission's panel.
func (s *Service) SubmissionAgreement(ctx context.Context, submissionID int64) (PanelAgreement, error) {
	if err := authorize(ctx, "agreement.read", fmt.Sprintf("submission/%d", submissionID)); err != nil {
		return PanelAgreement{}, err
	}
	sub, _, err := s.store.SubmissionScope(ctx, submissionID)
	if err != nil {
		return PanelAgreement{}, err
	}
	rs, err := s.reviewSettings(ctx, sub.CycleID)
	if err != nil {
		return PanelAgreement{}, err
	}
	rows, err := s.store.SubmittedScores(ctx, sub.CycleID, submissionID)
	if err != nil {
		return PanelAgreement{}, err
	}
	return panelAgreement(submissionID, rows, rs.OutlierPoints), nil
}

// CycleAgreement returns every panel's agreement in the cycle, their means
// and each expert's outlier flag across the cycle.
func (s *Service) CycleAgreement(ctx context.Context, cycleID int64) (CycleAgreement, error) {
	if err := authorize(ctx, "agreement.read", fmt.Sprintf("cycle/%d", cycleID)); err != nil {
		return CycleAgreement{}, err
	}
	rs, err := s.reviewSettings(ctx, cycleID)
	if err != nil {
		return CycleAgreement{}, err
	}
	rows, err := s.store.SubmittedScores(ctx, cycleID, 0)
	if err != nil {
		return CycleAgreement{}, err
	}
	return cycleAgreement(cycleID, rows, rs.OutlierPoints), nil
}

// ExpertResults returns the combined expert scores of every submission of
// the cycle with a submitted review, and the expert totals when the cycle's
// expert mode is "total".
func (s *Service) ExpertResults(ctx context.Context, cycleID int64) ([]ExpertResult, error) {
	if err := authorize(ctx, "review.results.read", fmt.Sprintf("cycle/%d", cycleID)); err != nil {
		return nil, err
	}
	c, err := s.store.GetCycle(ctx, cycleID)
	if err != nil {
		return nil, err
	}
	rs, err := s.reviewSettings(ctx, cycleID)
	if err != nil {
		return nil, err
	}
	p, err := s.plan(c.FrameworkID, c.FrameworkVersion)
	if err != nil {
		return nil, err
	}
	out, err := s.combinedScores(ctx, c, rs, p)
	if err != nil || rs.ExpertMode != ExpertTotal || len(out) == 0 {
		return out, err
	}
	if err := s.expertTotals(c, p, out); err != nil {
		return nil, err
	}
	return out, nil
}

// combinedScores combines the submitted reviews' scores per submission and
// leaf with the cycle's method.
func (s *Service) combinedScores(ctx context.Context, c Cycle, rs ReviewSettings, p *leafPlan) ([]ExpertResult, error) {
	rows, err := s.store.SubmittedScores(ctx, c.ID, 0)
	if err != nil {
		return nil, err
	}
	type key struct {
		sub  int64
		code string
	}
	vals := map[key][]float64{}
	experts := map[int64]map[int64]bool{}
	var subs []int64
	for _, r := range rows {
		if experts[r.SubmissionID] == nil {
			experts[r.SubmissionID] = map[int64]bool{}
			subs = append(subs, r.SubmissionID)
		}
		experts[r.SubmissionID][r.ExpertID] = true
		vals[key{r.SubmissionID, r.Code}] = append(vals[key{r.SubmissionID, r.Code}], r.Score)
	}
	slices.Sort(subs)
	out := make([]ExpertResult, 0, len(subs))
	for _, id := range subs {
		sub, _, err := s.store.SubmissionScope(ctx, id)
		if err != nil {
			return nil, err
		}
		er := ExpertResult{SubmissionID: id, PilotID: sub.PilotID, Reviews: len(experts[id]), Scores: []CombinedScore{},
			Method: rs.Combine, Mode: rs.ExpertMode}
		for _, l := range p.leaves {
			if v := vals[key{id, l.Code}]; len(v) > 0 {
				er.Scores = append(er.Scores, CombinedScore{Code: l.Code, Score: CombineScores(v, rs.Combine, rs.TrimShare), Experts: len(v)})
			}
		}
		out = append(out, er)
	}
	return out, nil
}

// expertTotals scores the combined expert scores with the engine: the
// cycle's framework with every leaf an expert leaf (taken as given) under
// the cycle's scheme without per-indicator overrides.
func (s *Service) expertTotals(c Cycle, p *leafPlan, out []ExpertResult) error {
	fw := p.fw.Clone()
	for _, ind := range fw.Leaves() {
		ind.Kind, ind.Rubric, ind.Target, ind.Goalposts = framework.Expert, nil, nil, nil
	}
	scheme, err := engine.ParseScheme(fmt.Sprintf("cycle %d scheme", c.ID), c.Scheme)
	if err != nil {
		return fmt.Errorf("cycle %d: stored scheme: %w", c.ID, err)
	}
	scheme.Overrides = nil
	codes := make([]string, len(p.leaves))
	for j, l := range p.leaves {
		codes[j] = l.Code
	}
	d := &engine.Data{Codes: codes, Values: make([]float64, len(out)*len(codes))}
	for i, er := range out {
		d.Units = append(d.Units, strconv.FormatInt(er.SubmissionID, 10))
		row := d.Values[i*len(codes) : (i+1)*len(codes)]
		for j := range row {
			row[j] = math.NaN()
		}
		for _, cs := range er.Scores {
			row[p.index[cs.Code]] = cs.Score
		}
	}
	res, err := engine.Score(fw, d, scheme)
	if err != nil {
		return fmt.Errorf("cycle %d: expert totals: %w", c.ID, err)
	}
	m := len(res.Nodes)
	for i := range out {
		if v := res.Score[i*m]; !math.IsNaN(v) {
			out[i].Total = &v
		}
		out[i].Summary = &ExpertTotalNote{Text: expertTotalText}
	}
	return nil
}

// overlayExpertIndicators replaces, for a cycle whose expert mode is
// "indicators", the inputs of the framework's expert leaves by the combined
// expert scores of each accepted submission (leaves no expert scored keep
// the submission's own value). Other cycles' inputs are returned as they
// are.
func (s *Service) overlayExpertIndicators(ctx context.Context, c Cycle, p *leafPlan, inputs []AcceptedInput) ([]AcceptedInput, error) {
	rs, err := s.reviewSettings(ctx, c.ID)
	if err != nil || rs.ExpertMode != ExpertIndicators {
		return inputs, err
	}
	var expertLeaves []int
	for j, l := range p.leaves {
		if l.Kind == framework.Expert {
			expertLeaves = append(expertLeaves, j)
		}
	}
	if len(expertLeaves) == 0 {
		return inputs, nil
	}
	combined, err := s.combinedScores(ctx, c, rs, p)
	if err != nil {
		return nil, err
	}
	byPilot := map[int64]ExpertResult{}
	for _, er := range combined {
		byPilot[er.PilotID] = er
	}
	out := slices.Clone(inputs)
	for i, in := range out {
		er, ok := byPilot[in.PilotID]
		if !ok {
			continue
		}
		vals := make([]float64, len(p.leaves))
		if !decodeInputs(vals, in.Inputs) {
			continue
		}
		for _, cs := range er.Scores {
			if j := p.index[cs.Code]; p.leaves[j].Kind == framework.Expert {
				vals[j] = cs.Score
			}
		}
		out[i].Inputs = encodeFloats(vals)
	}
	return out, nil
}
