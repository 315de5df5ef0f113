package platform

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/sceval/sceval/framework"
)

// scorecardSubmission returns the pilot's submission in the scorecard's
// cycle with its entries (ok false when there is none).
func (s *Service) scorecardSubmission(ctx context.Context, sc *Scorecard) (Submission, bool, error) {
	subs, _, err := s.store.ListSubmissions(ctx, SubmissionFilter{CycleID: sc.Cycle.ID, PilotID: sc.Pilot.ID, Limit: 1})
	if err != nil || len(subs) == 0 {
		return Submission{}, false, err
	}
	sub, err := s.store.GetSubmission(ctx, subs[0].ID)
	if err != nil {
		return Submission{}, false, fmt.Errorf("submission %d: %w", subs[0].ID, err)
	}
	return sub, true, nil
}

// scorecardEntries sets the leaves' reported values and rubric levels from
// the pilot's submission.
func (s *Service) scorecardEntries(ctx context.Context, sc *Scorecard, p *leafPlan) error {
	sub, ok, err := s.scorecardSubmission(ctx, sc)
	if err != nil || !ok {
		return err
	}
	entries := map[string]Entry{}
	for _, e := range sub.Entries {
		entries[e.Code] = e
	}
	for i := range sc.Nodes {
		n := &sc.Nodes[i]
		e, ok := entries[n.Code]
		if !n.Leaf || !ok {
			continue
		}
		n.Value, n.RubricLevel, n.NotApplicable = e.Value, e.Level, e.NotApplicable
		if e.NotApplicable {
			sc.NotApplicable = append(sc.NotApplicable, n.Code)
		}
		if j, ok := p.index[n.Code]; ok && e.Level != nil && *e.Level >= 1 && *e.Level <= len(p.leaves[j].Rubric) {
			n.RubricLabel = p.leaves[j].Rubric[*e.Level-1].Label
		}
	}
	return nil
}

// scorecardTrend returns the pilot's results in the cycles of the
// scorecard's framework (any version) that the caller may read, oldest
// first: the total, rank, stars and first-level scores of each.
func (s *Service) scorecardTrend(ctx context.Context, sc *Scorecard, fw *framework.Framework) ([]TrendPoint, error) {
	roots, err := s.store.PilotResults(ctx, sc.Pilot.ID)
	if err != nil {
		return nil, err
	}
	whole := authorize(ctx, "pilot.results.read", fmt.Sprintf("pilot/%d", sc.Pilot.ID)) == nil
	var out []TrendPoint
	for _, root := range roots {
		c, err := s.store.GetCycle(ctx, root.CycleID)
		if err != nil {
			return nil, err
		}
		if c.FrameworkID != sc.Cycle.FrameworkID {
			continue
		}
		if c.ID != sc.Cycle.ID && !whole && authorize(ctx, "cycle.results.read", fmt.Sprintf("cycle/%d", c.ID)) != nil {
			continue
		}
		tp := TrendPoint{CycleID: c.ID, CycleName: c.Name, Year: c.Year, Total: root.Score, Rank: root.Rank,
			Stars: root.Stars, First: map[string]*float64{}}
		rows, _, err := s.store.ListResults(ctx, ResultFilter{CycleID: c.ID, Level: 1, PilotIDs: []int64{sc.Pilot.ID}, Limit: 1000})
		if err != nil {
			return nil, fmt.Errorf("first-level results of cycle %d: %w", c.ID, err)
		}
		for _, r := range rows {
			tp.First[r.Code] = r.Score
		}
		if gaps, err := s.store.ResultGaps(ctx, c.ID, []int64{sc.Pilot.ID}); err == nil && !gaps[sc.Pilot.ID].Ranked {
			tp.Rank, tp.Stars = nil, nil
		}
		if tp.Stars != nil && *tp.Stars < 0 {
			tp.Stars = nil
		}
		out = append(out, tp)
	}
	slices.SortFunc(out, func(a, b TrendPoint) int {
		return cmp.Or(cmp.Compare(a.Year, b.Year), cmp.Compare(a.CycleID, b.CycleID))
	})
	return out, nil
}

// scorecardExperts summarises the submitted expert reviews of the pilot's
// submission: per leaf the combined score (the cycle's method) and the
// comments. In a blind cycle only the ministry (who may read the review
// results) sees the experts' names; everybody else sees 专家 1, 2… in
// assignment order, so that a pilot cannot tell who judged it.
func (s *Service) scorecardExperts(ctx context.Context, sc *Scorecard, p *leafPlan) error {
	sub, ok, err := s.scorecardSubmission(ctx, sc)
	if err != nil || !ok {
		return err
	}
	rows, err := s.store.SubmittedScores(ctx, sc.Cycle.ID, sub.ID)
	if err != nil || len(rows) == 0 {
		return err
	}
	rs, err := s.reviewSettings(ctx, sc.Cycle.ID)
	if err != nil {
		return err
	}
	as, _, err := s.store.ListAssignments(ctx, AssignmentFilter{SubmissionID: sub.ID, State: string(ReviewSubmitted), Limit: 1000})
	if err != nil {
		return err
	}
	slices.SortFunc(as, func(a, b Assignment) int { return cmp.Compare(a.ID, b.ID) })
	masked := rs.Blind && !MayDo(ctx, "review.results.read")
	sum := &ExpertSummary{Reviews: len(as), Method: rs.Combine, Mode: rs.ExpertMode, Blind: rs.Blind, Masked: masked}
	comments := map[string][]ExpertComment{}
	for k, a := range as {
		full, err := s.store.GetAssignment(ctx, a.ID)
		if err != nil {
			return err
		}
		name := ""
		if !masked {
			if e, err := s.store.GetExpert(ctx, a.ExpertID); err == nil {
				name = e.Name
			}
		}
		for _, score := range full.Scores {
			if score.Comment != "" {
				comments[score.Code] = append(comments[score.Code], ExpertComment{Expert: name, Number: k + 1, Comment: score.Comment})
				sum.Comments++
			}
		}
	}
	vals := map[string][]float64{}
	for _, r := range rows {
		vals[r.Code] = append(vals[r.Code], r.Score)
	}
	er := ExpertResult{SubmissionID: sub.ID, PilotID: sc.Pilot.ID, Reviews: len(as), Method: rs.Combine, Mode: rs.ExpertMode}
	for i := range sc.Nodes {
		n := &sc.Nodes[i]
		if v := vals[n.Code]; n.Leaf && len(v) > 0 {
			n.Expert = &ExpertLeaf{Score: CombineScores(v, rs.Combine, rs.TrimShare), Experts: len(v), Comments: comments[n.Code]}
			er.Scores = append(er.Scores, CombinedScore{Code: n.Code, Score: n.Expert.Score, Experts: len(v)})
		}
	}
	if rs.ExpertMode == ExpertTotal && len(er.Scores) > 0 {
		out := []ExpertResult{er}
		if err := s.expertTotals(sc.Cycle, p, out); err != nil {
			return err
		}
		sum.Total = out[0].Total
	}
	sc.Experts = sum
	return nil
}
