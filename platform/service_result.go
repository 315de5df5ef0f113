package platform

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/sceval/sceval/engine"
)

// ComputeResults scores the cycle's accepted submissions with the cycle's
// framework, scheme and star thresholds (engine.Score), and stores every
// pilot's score, rank, coverage and contribution at every node with the run's
// metadata, replacing the previous run in one transaction. Identical inputs
// give identical rows and an identical InputHash. Results of a draft or
// published cycle cannot be (re)computed.
//
// The cycle's coverage rule applies: a pilot whose share of applicable
// leaves with data (leaves marked not applicable are not applicable) is
// below the coverage threshold keeps its score but is flagged, gets no rank
// and no stars, and takes no part in the ranking of the others — nor in
// their scores when the scheme is cohort-relative: the ranked pilots are
// scored among themselves. The root row's coverage is that share.
//
// One computation per cycle runs at a time: a request arriving while the
// cycle's results are being computed waits for that computation and gets
// its outcome; and at most maxConcurrentComputations run at once
// (computeFlights). A computation, once started, finishes even if its
// caller leaves.
func (s *Service) ComputeResults(ctx context.Context, cycleID int64) (ResultRun, error) {
	if err := authorize(ctx, "cycle.results.compute", fmt.Sprintf("cycle/%d", cycleID)); err != nil {
		return ResultRun{}, err
	}
	return s.computes.do(ctx, cycleID, func(ctx context.Context) (ResultRun, error) { return s.computeResults(ctx, cycleID) })
}

// computeResults is one computation of ComputeResults.
func (s *Service) computeResults(ctx context.Context, cycleID int64) (ResultRun, error) {
	c, err := s.store.GetCycle(ctx, cycleID)
	if err != nil {
		return ResultRun{}, err
	}
	if c.State != CycleOpen && c.State != CycleClosed {
		return ResultRun{}, &Error{Kind: Conflict, Code: CodeNotEditable, Current: describeCycle(c),
			Message: fmt.Sprintf("cycle %d is %s: results are computed only while it is open or closed", c.ID, c.State)}
	}
	// The basis is read before the inputs: an acceptance in between makes
	// the run look stale (recompute), never falsely current.
	basis, err := s.resultBasis(ctx, c)
	if err != nil {
		return ResultRun{}, err
	}
	in, err := s.cycleScoring(ctx, c)
	if err != nil {
		return ResultRun{}, err
	}
	p, data, scheme, inputs := in.plan, in.data, in.scheme, in.inputs
	rs, res, err := s.scoreWithCoverage(p, data, scheme, inputs, coverageThreshold(c))
	if err != nil {
		return ResultRun{}, invalidField("scheme", CodeBadValue, "cycle %d: scoring failed: %v", cycleID, err)
	}
	rs.CycleVersion = c.Version
	rs.Run = ResultRun{CycleID: cycleID, ComputedAt: s.now(), InputHash: res.Hash,
		FrameworkID: c.FrameworkID, FrameworkVersion: c.FrameworkVersion,
		Scheme: json.RawMessage(scheme.Canonical()), Pilots: len(inputs), Warnings: res.Warnings, Basis: basis}
	for _, r := range rs.Ranked {
		if !r {
			rs.Run.Flagged++
		}
	}
	if rs.Run.Flagged > 0 {
		rs.Run.Warnings = append(rs.Run.Warnings, fmt.Sprintf("%d pilots are below the coverage threshold %.0f %%: "+
			"flagged, not ranked and not rated", rs.Run.Flagged, 100*coverageThreshold(c)))
	}
	if err := s.store.ReplaceResults(ctx, rs); err != nil {
		return ResultRun{}, fmt.Errorf("store results of cycle %d: %w", cycleID, err)
	}
	return rs.Run, nil
}

// cycleScoring is what a cycle's results are computed from: its leaf plan,
// its scheme with the cycle's star thresholds, the accepted submissions'
// inputs (expert indicators overlaid) and the engine's matrix of them.
type cycleScoring struct {
	plan   *leafPlan
	scheme *engine.Scheme
	inputs []AcceptedInput
	data   *engine.Data
}

// cycleScoring reads the inputs of a computation of c's results; the
// comparison and uncertainty analyses use exactly the same ones.
func (s *Service) cycleScoring(ctx context.Context, c Cycle) (*cycleScoring, error) {
	p, err := s.cyclePlan(c)
	if err != nil {
		return nil, err
	}
	scheme, err := engine.ParseScheme(fmt.Sprintf("cycle %d scheme", c.ID), c.Scheme)
	if err != nil {
		return nil, fmt.Errorf("cycle %d: stored scheme: %w", c.ID, err)
	}
	scheme.Rating.Thresholds = append([]engine.StarThreshold(nil), c.StarThresholds...)
	inputs, err := s.store.AcceptedInputs(ctx, c.ID)
	if err != nil {
		return nil, fmt.Errorf("load accepted submissions of cycle %d: %w", c.ID, err)
	}
	if len(inputs) == 0 {
		return nil, Errorf(Conflict, CodeNoAccepted, "cycle %d has no accepted submissions to score", c.ID)
	}
	if inputs, err = s.overlayExpertIndicators(ctx, c, p, inputs); err != nil {
		return nil, fmt.Errorf("cycle %d: expert scores: %w", c.ID, err)
	}
	data, err := p.engineData(inputs)
	if err != nil {
		return nil, fmt.Errorf("cycle %d: %w", c.ID, err)
	}
	return &cycleScoring{plan: p, scheme: scheme, inputs: inputs, data: data}, nil
}

// engineData builds the engine's input matrix from accepted submissions:
// one row per pilot (unit = pilot ID), one column per leaf, with the pilots'
// province and type as attributes for group imputation.
func (p *leafPlan) engineData(inputs []AcceptedInput) (*engine.Data, error) {
	units := make([]string, len(inputs))
	codes := make([]string, len(p.leaves))
	for j, l := range p.leaves {
		codes[j] = l.Code
	}
	province := make([]string, len(inputs))
	typ := make([]string, len(inputs))
	values := make([]float64, len(inputs)*len(codes))
	for i, in := range inputs {
		units[i] = strconv.FormatInt(in.PilotID, 10)
		province[i], typ[i] = in.Province, string(in.Type)
		if !decodeInputs(values[i*len(codes):(i+1)*len(codes)], in.Inputs) {
			return nil, fmt.Errorf("pilot %d: stored inputs have %d bytes, want %d (one float64 per leaf)",
				in.PilotID, len(in.Inputs), 8*len(codes))
		}
	}
	return &engine.Data{Units: units, Codes: codes, Values: values,
		Attrs: map[string][]string{"province": province, "type": typ}}, nil
}

// resultSet converts an engine result into the Store's columnar form.
func resultSet(res *engine.Result, inputs []AcceptedInput) *ResultSet {
	rs := &ResultSet{PilotIDs: make([]int64, len(inputs)), Nodes: make([]ResultNode, len(res.Nodes)),
		Score: res.Score, Rank: res.Rank, Coverage: res.Coverage, Contribution: res.Contribution, Stars: res.Stars}
	for i, in := range inputs {
		rs.PilotIDs[i] = in.PilotID
	}
	for j, n := range res.Nodes {
		rs.Nodes[j] = ResultNode{Code: n.Code, Level: n.Level, Parent: n.Parent}
	}
	return rs
}

// maxResultPilots bounds ResultFilter.PilotIDs: a page of a ranking (100)
// with room to spare; more pilots are better read whole.
const maxResultPilots = 1000

// ListResults returns a page of one cycle's result rows: one node's (Code,
// default the root) or every node of a level, of every pilot or only those
// of PilotIDs, sorted by Sort (default rank), and the total count.
func (s *Service) ListResults(ctx context.Context, f ResultFilter) ([]ResultRow, int, error) {
	if err := authorize(ctx, "cycle.results.read", fmt.Sprintf("cycle/%d", f.CycleID)); err != nil {
		// Rows of pilots whose results the caller may read as a whole (its
		// own pilot, its province's) are readable before publication.
		if ErrorKindOf(err) == "" || !ownPilotRows(ctx, f.PilotIDs) {
			return nil, 0, err
		}
	}
	if f.Sort != "" && !slices.Contains(ResultSorts, f.Sort) {
		return nil, 0, invalidField("sort", CodeBadValue, "sort %q is not one of %s", f.Sort, strings.Join(ResultSorts, ", "))
	}
	if f.Level < 0 {
		return nil, 0, invalidField("level", CodeOutOfRange, "level %d is negative", f.Level)
	}
	if len(f.PilotIDs) > maxResultPilots {
		return nil, 0, invalidField("pilot_id", CodeOutOfRange, "%d pilots asked for, at most %d", len(f.PilotIDs), maxResultPilots)
	}
	for _, id := range f.PilotIDs {
		if id <= 0 {
			return nil, 0, invalidField("pilot_id", CodeBadValue, "pilot ID %d is not positive", id)
		}
	}
	f.Limit, f.Offset = page(f.Limit, f.Offset)
	if f.Province != "" {
		ids, err := s.provincePilots(ctx, f.Province, f.PilotIDs)
		if err != nil || len(ids) == 0 {
			return []ResultRow{}, 0, err
		}
		f.PilotIDs, f.Province = ids, ""
	}
	rows, total, err := s.store.ListResults(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	return rows, total, s.attachGaps(ctx, f.CycleID, rows)
}

// attachGaps sets Ranked and Missing on the root rows among rows.
func (s *Service) attachGaps(ctx context.Context, cycleID int64, rows []ResultRow) error {
	var ids []int64
	for _, r := range rows {
		if r.Level == 0 {
			ids = append(ids, r.PilotID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	gaps, err := s.store.ResultGaps(ctx, cycleID, ids)
	if err != nil {
		return err
	}
	for i := range rows {
		if g, ok := gaps[rows[i].PilotID]; ok && rows[i].Level == 0 {
			ranked := g.Ranked
			rows[i].Ranked, rows[i].Missing = &ranked, g.Missing
		}
	}
	return nil
}

// provincePilots returns the IDs of the pilots of a province (by code or
// name), only those of within when it is not empty.
func (s *Service) provincePilots(ctx context.Context, province string, within []int64) ([]int64, error) {
	code, err := s.provinceCode("province", province)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for offset := 0; ; offset += 1000 {
		page, total, err := s.store.ListPilots(ctx, PilotFilter{Province: code, Sort: "id", Limit: 1000, Offset: offset})
		if err != nil {
			return nil, fmt.Errorf("pilots of province %s: %w", code, err)
		}
		for _, p := range page {
			if len(within) == 0 || slices.Contains(within, p.ID) {
				ids = append(ids, p.ID)
			}
		}
		if len(page) == 0 || offset+len(page) >= total {
			return ids, nil
		}
	}
}

// NodeBest returns the highest score of any pilot at each of the nodes
// codes in the cycle's stored run (a node without any score, or a code
// without results, is left out): the reference for a pilot's gap to the
// best without reading every pilot's rows.
func (s *Service) NodeBest(ctx context.Context, cycleID int64, codes []string) (map[string]float64, error) {
	if err := authorize(ctx, "cycle.results.read", fmt.Sprintf("cycle/%d", cycleID)); err != nil {
		return nil, err
	}
	return s.store.NodeBest(ctx, cycleID, codes)
}

// PilotResults returns the pilot's overall (root) results in every cycle
// with a stored run.
func (s *Service) PilotResults(ctx context.Context, pilotID int64) ([]ResultRow, error) {
	// Callers without a grant on the pilot's results as a whole (anonymous
	// ones) see the pilot's rows of cycles whose rankings they may read.
	whole := authorize(ctx, "pilot.results.read", fmt.Sprintf("pilot/%d", pilotID))
	if whole != nil && ErrorKindOf(whole) == "" {
		return nil, whole
	}
	if whole != nil {
		if err := authorize(ctx, "pilot.read", fmt.Sprintf("pilot/%d", pilotID)); err != nil {
			return nil, err
		}
	}
	if _, err := s.store.GetPilot(ctx, pilotID); err != nil {
		return nil, err
	}
	rows, err := s.store.PilotResults(ctx, pilotID)
	if err != nil {
		return nil, err
	}
	for i := range rows { // one row per cycle: a pilot is in few cycles
		if err := s.attachGaps(ctx, rows[i].CycleID, rows[i:i+1]); err != nil {
			return nil, err
		}
	}
	if whole == nil {
		return rows, nil
	}
	return visibleResults(ctx, rows)
}

// LatestRun returns the metadata of the cycle's stored run (NotFound when
// results were never computed).
func (s *Service) LatestRun(ctx context.Context, cycleID int64) (ResultRun, error) {
	if err := authorize(ctx, "cycle.results.read", fmt.Sprintf("cycle/%d", cycleID)); err != nil {
		return ResultRun{}, err
	}
	run, err := s.store.LatestRun(ctx, cycleID)
	if err != nil {
		return run, err
	}
	c, err := s.store.GetCycle(ctx, cycleID)
	if err != nil {
		return run, err
	}
	basis, err := s.resultBasis(ctx, c)
	if err != nil {
		return run, err
	}
	run.Stale = basis != run.Basis
	return run, nil
}
