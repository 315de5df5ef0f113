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
func (s *Service) ComputeResults(ctx context.Context, cycleID int64) (ResultRun, error) {
	if err := authorize(ctx, "cycle.results.compute", fmt.Sprintf("cycle/%d", cycleID)); err != nil {
		return ResultRun{}, err
	}
	c, err := s.store.GetCycle(ctx, cycleID)
	if err != nil {
		return ResultRun{}, err
	}
	if c.State != CycleOpen && c.State != CycleClosed {
		return ResultRun{}, &Error{Kind: Conflict, Code: CodeNotEditable, Current: c,
			Message: fmt.Sprintf("cycle %d is %s: results are computed only while it is open or closed", c.ID, c.State)}
	}
	p, err := s.plan(c.FrameworkID, c.FrameworkVersion)
	if err != nil {
		return ResultRun{}, err
	}
	scheme, err := engine.ParseScheme(fmt.Sprintf("cycle %d scheme", c.ID), c.Scheme)
	if err != nil {
		return ResultRun{}, fmt.Errorf("cycle %d: stored scheme: %w", c.ID, err)
	}
	scheme.Rating.Thresholds = append([]engine.StarThreshold(nil), c.StarThresholds...)
	inputs, err := s.store.AcceptedInputs(ctx, cycleID)
	if err != nil {
		return ResultRun{}, fmt.Errorf("load accepted submissions of cycle %d: %w", cycleID, err)
	}
	if len(inputs) == 0 {
		return ResultRun{}, Errorf(Conflict, CodeNoAccepted, "cycle %d has no accepted submissions to score", cycleID)
	}
	data, err := p.engineData(inputs)
	if err != nil {
		return ResultRun{}, fmt.Errorf("cycle %d: %w", cycleID, err)
	}
	res, err := engine.Score(p.fw, data, scheme)
	if err != nil {
		return ResultRun{}, invalidField("scheme", CodeBadValue, "cycle %d: scoring failed: %v", cycleID, err)
	}
	rs := resultSet(res, inputs)
	rs.CycleVersion = c.Version
	rs.Run = ResultRun{CycleID: cycleID, ComputedAt: s.now(), InputHash: res.Hash,
		FrameworkID: c.FrameworkID, FrameworkVersion: c.FrameworkVersion,
		Scheme: json.RawMessage(scheme.Canonical()), Pilots: len(inputs), Warnings: res.Warnings}
	if err := s.store.ReplaceResults(ctx, rs); err != nil {
		return ResultRun{}, fmt.Errorf("store results of cycle %d: %w", cycleID, err)
	}
	return rs.Run, nil
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
	return s.store.ListResults(ctx, f)
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
	if err != nil || whole == nil {
		return rows, err
	}
	return visibleResults(ctx, rows)
}

// LatestRun returns the metadata of the cycle's stored run (NotFound when
// results were never computed).
func (s *Service) LatestRun(ctx context.Context, cycleID int64) (ResultRun, error) {
	if err := authorize(ctx, "cycle.results.read", fmt.Sprintf("cycle/%d", cycleID)); err != nil {
		return ResultRun{}, err
	}
	return s.store.LatestRun(ctx, cycleID)
}
