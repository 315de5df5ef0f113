package platform

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"

	"github.com/sceval/sceval/engine"
	"github.com/sceval/sceval/framework"
)

// Scorecard returns pilot pilotID's scorecard in cycle cycleID: see the
// Scorecard type for what it holds and how each figure is computed.
//
// Who may read it: whoever may read the cycle's results (the ministry;
// everybody, anonymous callers included, once the cycle is published) —
// with the comparison to the other pilots; and, before publication, whoever
// may read the pilot's results as a whole (the pilot itself, its province)
// — without the comparison (no peer median, no rank among the type), as
// the pilot page shows its own result. Either way the caller must be
// allowed to read the pilot (pilot.read: not experts, a pilot only itself,
// a province only its own). Anyone else gets NotFound.
func (s *Service) Scorecard(ctx context.Context, cycleID, pilotID int64) (*Scorecard, error) {
	// Only who may see the pilot at all (experts may not: blind review; a
	// pilot only itself; a province its own) reads its scorecard.
	if err := authorize(ctx, "pilot.read", fmt.Sprintf("pilot/%d", pilotID)); err != nil {
		return nil, err
	}
	cmp := authorize(ctx, "pilot.scorecard.read", fmt.Sprintf("cycle/%d/pilot/%d", cycleID, pilotID))
	if cmp != nil {
		if ErrorKindOf(cmp) == "" {
			return nil, cmp
		}
		if err := authorize(ctx, "pilot.results.read", fmt.Sprintf("pilot/%d", pilotID)); err != nil {
			return nil, cmp
		}
	}
	c, err := s.store.GetCycle(ctx, cycleID)
	if err != nil {
		return nil, err
	}
	c = describeCycle(c)
	pilot, err := s.store.GetPilot(ctx, pilotID)
	if err != nil {
		return nil, err
	}
	run, err := s.store.LatestRun(ctx, cycleID)
	if err != nil {
		return nil, err
	}
	p, err := s.cyclePlan(c)
	if err != nil {
		return nil, err
	}
	basis, err := s.resultBasis(ctx, c)
	if err != nil {
		return nil, err
	}
	run.Stale = basis != run.Basis
	sc := &Scorecard{Pilot: pilot, Cycle: c, Run: run, FrameworkName: p.fw.Name, Comparison: cmp == nil,
		Demo: c.Demo, Ranked: run.Pilots - run.Flagged, Method: methodNote(c, run, p.fw)}
	for _, t := range c.StarThresholds {
		sc.MostStars = max(sc.MostStars, t.Stars)
	}
	own, err := s.pilotRows(ctx, cycleID, p.fw.Depth(), []int64{pilotID})
	if err != nil {
		return nil, err
	}
	root, ok := own[rowKey{pilotID, c.FrameworkID}]
	if !ok {
		return nil, NotFoundf("pilot %d has no result in cycle %d", pilotID, cycleID)
	}
	if err := s.scorecardRoot(ctx, sc, root); err != nil {
		return nil, err
	}
	sc.Nodes = scorecardTree(p.fw, own, pilotID, sc.Total)
	if err := s.scorecardEntries(ctx, sc, p); err != nil {
		return nil, err
	}
	if sc.Comparison {
		if err := s.scorecardPeers(ctx, sc); err != nil {
			return nil, err
		}
	}
	sc.Gaps, sc.Strengths = scorecardGaps(sc.Nodes)
	if sc.Trend, err = s.scorecardTrend(ctx, sc, p.fw); err != nil {
		return nil, err
	}
	if err := s.scorecardExperts(ctx, sc, p); err != nil {
		return nil, err
	}
	return sc, nil
}

// scorecardRoot sets the total, rank, stars and coverage from the root row.
func (s *Service) scorecardRoot(ctx context.Context, sc *Scorecard, root ResultRow) error {
	sc.Total, sc.Rank, sc.Coverage = root.Score, root.Rank, root.Coverage
	gaps, err := s.store.ResultGaps(ctx, sc.Cycle.ID, []int64{sc.Pilot.ID})
	if err != nil {
		return err
	}
	if g, ok := gaps[sc.Pilot.ID]; ok {
		sc.Missing, sc.Flagged = g.Missing, !g.Ranked
	}
	if root.Stars != nil && *root.Stars >= 0 && !sc.Flagged {
		sc.Stars = root.Stars
	}
	if sc.Flagged {
		sc.Rank = nil
	}
	return nil
}

// rowKey addresses a result row by pilot and node code.
type rowKey struct {
	pilot int64
	code  string
}

// resultChunk bounds the pilots of one result query.
const resultChunk = 500

// pilotRows reads the stored result rows of pilots ids at every level from
// the root (0) to depth, keyed by pilot and code.
func (s *Service) pilotRows(ctx context.Context, cycleID int64, depth int, ids []int64) (map[rowKey]ResultRow, error) {
	out := map[rowKey]ResultRow{}
	for start := 0; start < len(ids); start += resultChunk {
		chunk := ids[start:min(start+resultChunk, len(ids))]
		for level := 0; level <= depth; level++ {
			for offset := 0; ; offset += 1000 {
				rows, total, err := s.store.ListResults(ctx, ResultFilter{CycleID: cycleID, Level: level, PilotIDs: chunk,
					Sort: "rank", Limit: 1000, Offset: offset})
				if err != nil {
					return nil, fmt.Errorf("level %d results of cycle %d: %w", level, cycleID, err)
				}
				for _, r := range rows {
					out[rowKey{r.PilotID, r.Code}] = r
				}
				if len(rows) == 0 || offset+len(rows) >= total {
					break
				}
			}
		}
	}
	return out, nil
}

// scorecardTree builds the scorecard's nodes in pre-order from the pilot's
// rows: weights renormalised over the children the pilot has a score for,
// and each node's contribution to the total, total × the product of the
// engine's shares (Contribution) along the path. A share is undefined
// where the parent's score is 0: the child then contributes 0 points.
func scorecardTree(fw *framework.Framework, rows map[rowKey]ResultRow, pilotID int64, total *float64) []ScorecardNode {
	var nodes []ScorecardNode
	eff := map[string]float64{"": 1}
	points := map[string]*float64{"": total}
	var visit func(list []*framework.Indicator, parent string, level int)
	visit = func(list []*framework.Indicator, parent string, level int) {
		w := framework.SiblingWeights(list)
		present := 0.0
		for i, ind := range list {
			if r, ok := rows[rowKey{pilotID, ind.Code}]; ok && r.Score != nil {
				present += w[i]
			}
		}
		for i, ind := range list {
			r := rows[rowKey{pilotID, ind.Code}]
			n := ScorecardNode{Code: ind.Code, Name: ind.Name, Level: level, Parent: parent, Leaf: ind.IsLeaf(),
				Kind: string(ind.Kind), Unit: ind.Unit, Weight: w[i], Score: r.Score, Rank: r.Rank, Coverage: r.Coverage,
				Share: r.Contribution}
			if r.Score != nil && present > 0 {
				n.EffectiveWeight = eff[parent] * w[i] / present
			}
			n.Contribution = contributionPoints(n, points[parent], rows[rowKey{pilotID, parent}].Score)
			eff[ind.Code], points[ind.Code] = n.EffectiveWeight, n.Contribution
			nodes = append(nodes, n)
			visit(ind.Children, ind.Code, level+1)
		}
	}
	visit(fw.Indicators, "", 1)
	return nodes
}

// contributionPoints is share × the parent's points; 0 when the node has a
// score but the share is undefined because the parent's score is 0.
func contributionPoints(n ScorecardNode, parentPoints, parentScore *float64) *float64 {
	if n.Score == nil || parentPoints == nil {
		return nil
	}
	if n.Share == nil {
		if n.Parent == "" || (parentScore != nil && *parentScore == 0) || *parentPoints == 0 {
			zero := 0.0
			return &zero
		}
		return nil
	}
	v := *n.Share * *parentPoints
	return &v
}

// scorecardPeers sets the rank among the pilots of the same type and the
// peer medians: the median score, at every node, of the ranked pilots of
// the pilot's type (flagged pilots are out of the ranking, so out of the
// comparison too); and the gaps to the median.
func (s *Service) scorecardPeers(ctx context.Context, sc *Scorecard) error {
	ps, err := s.store.PeerScores(ctx, sc.Cycle.ID, sc.Pilot.Type)
	if err != nil {
		return err
	}
	// Peers are the ranked pilots of the type (flagged ones have rank 0).
	root := sc.Cycle.FrameworkID
	var peers []int
	for k := range ps.PilotIDs {
		if ps.Ranks[root][k] > 0 && !math.IsNaN(ps.Scores[root][k]) {
			peers = append(peers, k)
		}
	}
	sc.Peers, sc.TypeRanked = len(peers), len(peers)
	if sc.Rank != nil && sc.Total != nil {
		sc.TypeRank = ptrTo(typeRank(*sc.Total, peers, ps.Scores[root]))
	}
	for i := range sc.Nodes {
		n := &sc.Nodes[i]
		var xs []float64
		for _, k := range peers {
			if v := ps.Scores[n.Code]; v != nil && !math.IsNaN(v[k]) {
				xs = append(xs, v[k])
			}
		}
		if len(xs) > 0 {
			n.PeerMedian = ptrTo(CombineScores(xs, CombineMedian, 0))
		}
		if n.PeerMedian != nil && n.Score != nil {
			n.GapMedian = ptrTo(n.EffectiveWeight * (*n.PeerMedian - *n.Score))
		}
	}
	return nil
}

// typeRank is 1 + the number of peers whose displayed total is above the
// displayed total: the engine's ranking rule (ties share the smallest
// rank, decided on engine.DisplayScore) within the type.
func typeRank(total float64, peers []int, totals []float64) int {
	shown, rank := engine.DisplayScore(total), 1
	for _, k := range peers {
		if engine.DisplayScore(totals[k]) > shown {
			rank++
		}
	}
	return rank
}

// scorecardGaps sets each leaf's weighted gap to the maximum and returns
// the leaves below the peer median, the largest weighted gap first (then
// by the gap to the maximum, then by code), and those above it, the
// largest lead first; scorecardGapCount of each. Without medians (no
// comparison) the gaps are the largest weighted gaps to the maximum.
func scorecardGaps(nodes []ScorecardNode) (gaps, strengths []ScorecardNode) {
	var leaves []ScorecardNode
	for i := range nodes {
		n := &nodes[i]
		if n.Score != nil {
			n.GapMax = ptrTo(n.EffectiveWeight * (100 - *n.Score))
		}
		if n.Leaf && n.Score != nil {
			leaves = append(leaves, *n)
		}
	}
	gm := func(n ScorecardNode) float64 {
		if n.GapMedian == nil {
			return math.Inf(-1)
		}
		return *n.GapMedian
	}
	byGap := func(a, b ScorecardNode) int {
		if c := -cmpFloat(gm(a), gm(b)); c != 0 {
			return c
		}
		if c := -cmpFloat(*a.GapMax, *b.GapMax); c != 0 {
			return c
		}
		return compareCodes(a.Code, b.Code)
	}
	slices.SortStableFunc(leaves, byGap)
	for _, n := range leaves {
		switch {
		case n.GapMedian == nil && *n.GapMax > 0:
			gaps = append(gaps, n)
		case n.GapMedian != nil && *n.GapMedian > 0:
			gaps = append(gaps, n)
		}
	}
	for i := len(leaves) - 1; i >= 0; i-- {
		if n := leaves[i]; n.GapMedian != nil && *n.GapMedian < 0 {
			strengths = append(strengths, n)
		}
	}
	return gaps[:min(len(gaps), scorecardGapCount)], strengths[:min(len(strengths), scorecardGapCount)]
}

// cmpFloat compares two floats.
func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compareCodes orders codes as strings (the framework's codes sort in
// their pre-order within a level).
func compareCodes(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func ptrTo[T any](v T) *T { return &v }

// methodNote describes the cycle's scheme for the scorecard.
func methodNote(c Cycle, run ResultRun, fw *framework.Framework) MethodNote {
	m := MethodNote{Normalisation: "default", Weighting: "framework", Aggregation: "amean", Scoring: c.Scoring,
		ComputedAt: run.ComputedAt, InputHash: run.InputHash}
	var sch engine.Scheme
	raw := run.Scheme
	if len(raw) == 0 {
		raw = c.Scheme
	}
	if json.Unmarshal(raw, &sch) == nil {
		if sch.Normalisation.Method != "" {
			m.Normalisation = sch.Normalisation.Method
		}
		if sch.Weighting.Method != "" {
			m.Weighting = sch.Weighting.Method
		}
		if sch.Aggregation.Method != "" {
			m.Aggregation = sch.Aggregation.Method
		}
	}
	for _, t := range c.StarThresholds {
		m.Thresholds = append(m.Thresholds, StarLine{Stars: t.Stars, Min: t.Min})
	}
	slices.SortFunc(m.Thresholds, func(a, b StarLine) int { return a.Stars - b.Stars })
	fw.Walk(func(ind, _ *framework.Indicator, _ int) bool {
		if slices.Contains(ind.Defaults, "weight") {
			m.DefaultWeights = true
			return false
		}
		return true
	})
	return m
}

// ScorecardCycles returns the cycles in which the pilot has a result the
// caller may read, newest first (by year, then ID), and the index of the
// default one for its scorecard: the newest published cycle, else the
// newest computed one; -1 when there is none.
func (s *Service) ScorecardCycles(ctx context.Context, pilotID int64) ([]Cycle, int, error) {
	rows, err := s.PilotResults(ctx, pilotID)
	if err != nil {
		return nil, -1, err
	}
	out := make([]Cycle, 0, len(rows))
	for _, r := range rows {
		c, err := s.store.GetCycle(ctx, r.CycleID)
		if err != nil {
			return nil, -1, err
		}
		out = append(out, describeCycle(c))
	}
	slices.SortFunc(out, func(a, b Cycle) int {
		if a.Year != b.Year {
			return b.Year - a.Year
		}
		return cmpFloat(float64(b.ID), float64(a.ID))
	})
	def := -1
	for i, c := range out {
		if c.State == CyclePublished {
			return out, i, nil
		}
		if def < 0 {
			def = i
		}
	}
	return out, def, nil
}
