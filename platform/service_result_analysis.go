package platform

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/sceval/sceval/engine"
	"github.com/sceval/sceval/engine/audit"
)

// SchemeVariant is scheme B of a comparison: the cycle's scheme with its
// normalisation and/or aggregation replaced at every node (engine
// ParseNormalisation / ParseAggregation specs: "minmax", "rank", "gmean"…;
// "" keeps the cycle's).
type SchemeVariant struct {
	Normalisation string `json:"normalisation,omitempty"`
	Aggregation   string `json:"aggregation,omitempty"`
}

// ComparisonRow is one pilot's overall score and rank under the cycle's
// scheme (A) and the variant (B).
type ComparisonRow struct {
	PilotID    int64    `json:"pilot_id"`
	PilotName  string   `json:"pilot_name"`
	RegionCode string   `json:"region_code"`
	ScoreA     *float64 `json:"score_a"`
	ScoreB     *float64 `json:"score_b"`
	RankA      int      `json:"rank_a"`
	RankB      int      `json:"rank_b"`
	// Shift is rank A − rank B: positive when the pilot climbs under B
	// (0 when either rank is missing).
	Shift int `json:"shift"`
}

// SchemeComparison is the cycle's ranked pilots scored under two schemes,
// sorted by rank A, with the mean absolute rank shift and Spearman's rank
// correlation of the two overall scores (as `sceval compare`).
type SchemeComparison struct {
	CycleID      int64           `json:"cycle_id"`
	Variant      SchemeVariant   `json:"variant"`
	Rows         []ComparisonRow `json:"rows"`
	MeanAbsShift float64         `json:"mean_abs_shift"`
	Spearman     float64         `json:"spearman"`
	MaxShift     int             `json:"max_shift"`
}

// CompareSchemes scores the cycle's current accepted inputs of its ranked
// pilots (coverage at or above the threshold) under the cycle's scheme and
// under v, for the ministry's method comparison.
func (s *Service) CompareSchemes(ctx context.Context, cycleID int64, v SchemeVariant) (SchemeComparison, error) {
	if err := authorize(ctx, "cycle.results.analyse", fmt.Sprintf("cycle/%d", cycleID)); err != nil {
		return SchemeComparison{}, err
	}
	if v.Normalisation == "" && v.Aggregation == "" {
		return SchemeComparison{}, invalidField("normalisation", CodeRequired, "nothing to compare: choose a normalisation or an aggregation for scheme B")
	}
	in, names, err := s.rankedScoring(ctx, cycleID)
	if err != nil {
		return SchemeComparison{}, err
	}
	b := in.scheme.Clone()
	var norm *engine.Normalisation
	var agg *engine.Aggregation
	if v.Normalisation != "" {
		n, err := engine.ParseNormalisation(v.Normalisation)
		if err != nil {
			return SchemeComparison{}, invalidField("normalisation", CodeBadValue, "%v", err)
		}
		norm = &n
	}
	if v.Aggregation != "" {
		a, err := engine.ParseAggregation(v.Aggregation)
		if err != nil {
			return SchemeComparison{}, invalidField("aggregation", CodeBadValue, "%v", err)
		}
		agg = &a
	}
	b.OverrideAll(norm, agg)
	ra, err := engine.Score(in.plan.fw, in.data, in.scheme)
	if err != nil {
		return SchemeComparison{}, invalidField("scheme", CodeBadValue, "cycle %d: scheme A: %v", cycleID, err)
	}
	rb, err := engine.Score(in.plan.fw, in.data, b)
	if err != nil {
		return SchemeComparison{}, invalidField("normalisation", CodeBadValue, "cycle %d: scheme B: %v", cycleID, err)
	}
	out := compareRoots(ra, rb, names)
	out.CycleID, out.Variant = cycleID, v
	return out, nil
}

// compareRoots lists every unit's overall score and rank under a and b,
// sorted by rank A (missing last), with the summary statistics.
func compareRoots(a, b *engine.Result, names map[string]ResultRow) SchemeComparison {
	na, nb := len(a.Nodes), len(b.Nodes)
	var out SchemeComparison
	var xa, xb []float64
	total := 0
	for u, unit := range a.Units {
		id, _ := strconv.ParseInt(unit, 10, 64)
		row := ComparisonRow{PilotID: id, PilotName: names[unit].PilotName, RegionCode: names[unit].RegionCode,
			ScoreA: finite(a.Score[u*na]), ScoreB: finite(b.Score[u*nb]), RankA: int(a.Rank[u*na]), RankB: int(b.Rank[u*nb])}
		if row.RankA > 0 && row.RankB > 0 {
			row.Shift = row.RankA - row.RankB
			d := max(row.Shift, -row.Shift)
			total += d
			out.MaxShift = max(out.MaxShift, d)
			xa, xb = append(xa, a.Score[u*na]), append(xb, b.Score[u*nb])
		}
		out.Rows = append(out.Rows, row)
	}
	slices.SortStableFunc(out.Rows, func(x, y ComparisonRow) int { return rankKey(x.RankA) - rankKey(y.RankA) })
	out.MeanAbsShift, out.Spearman = math.NaN(), math.NaN()
	if len(xa) > 0 {
		out.MeanAbsShift = float64(total) / float64(len(xa))
	}
	if len(xa) >= 2 {
		out.Spearman = audit.Spearman([][]float64{xa, xb})[0][1]
	}
	return out
}

// rankKey orders ranks with missing (0) last.
func rankKey(r int) int {
	if r <= 0 {
		return math.MaxInt32
	}
	return r
}

// finite returns &x, or nil for NaN.
func finite(x float64) *float64 {
	if math.IsNaN(x) {
		return nil
	}
	return &x
}

// rankedScoring reads the cycle's scoring inputs restricted to the pilots
// its coverage rule ranks, and the pilots' names and regions by unit.
func (s *Service) rankedScoring(ctx context.Context, cycleID int64) (*cycleScoring, map[string]ResultRow, error) {
	c, err := s.store.GetCycle(ctx, cycleID)
	if err != nil {
		return nil, nil, err
	}
	in, err := s.cycleScoring(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	var keep []int
	var kept []AcceptedInput
	for i, x := range in.inputs {
		if in.plan.coverageOf(x.Inputs).share >= coverageThreshold(c)-1e-9 {
			keep = append(keep, i)
			kept = append(kept, x)
		}
	}
	if len(keep) == 0 {
		return nil, nil, Errorf(Conflict, CodeNoAccepted, "cycle %d has no pilot at or above its coverage threshold", cycleID)
	}
	if len(keep) < len(in.inputs) {
		in.data, in.inputs = subsetData(in.data, keep), kept
	}
	names := map[string]ResultRow{}
	pilots, err := s.pilotsByID(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, x := range in.inputs {
		p := pilots[x.PilotID]
		names[strconv.FormatInt(x.PilotID, 10)] = ResultRow{PilotID: p.ID, PilotName: p.Name, RegionCode: p.RegionCode}
	}
	return in, names, nil
}

// UncertaintySettings configures ResultUncertainty: the Monte Carlo budget,
// the seed, the weight noise and the alternative normalisations and
// aggregations drawn per run (engine specs; empty: not varied).
type UncertaintySettings struct {
	Runs           int      `json:"runs"`
	Seed           uint64   `json:"seed"`
	WeightNoise    float64  `json:"weight_noise"`
	Normalisations []string `json:"normalisations,omitempty"`
	Aggregations   []string `json:"aggregations,omitempty"`
}

// DefaultUncertainty is what the pages and the summary report run: 512
// runs, seed 1, weights ±20 %, arithmetic or geometric mean.
func DefaultUncertainty() UncertaintySettings {
	return UncertaintySettings{Runs: 512, Seed: 1, WeightNoise: 0.2, Aggregations: []string{"amean", "gmean"}}
}

// maxUncertaintyRuns bounds the budget a request may ask for.
const maxUncertaintyRuns = 10000

// RankInterval is one pilot's overall rank under the cycle's scheme and
// its median and 5–95 % interval over the Monte Carlo runs.
type RankInterval struct {
	PilotID    int64    `json:"pilot_id"`
	PilotName  string   `json:"pilot_name"`
	RegionCode string   `json:"region_code"`
	Nominal    int      `json:"nominal"`
	Median     *float64 `json:"median"`
	P05        *float64 `json:"p05"`
	P95        *float64 `json:"p95"`
}

// ResultUncertainty is the rank intervals of a cycle's ranked pilots
// (engine.Uncertainty), sorted by nominal rank, and the sensitivity
// indices of the varied inputs.
type ResultUncertainty struct {
	CycleID   int64                     `json:"cycle_id"`
	Settings  UncertaintySettings       `json:"settings"`
	Runs      int                       `json:"runs"`
	Intervals []RankInterval            `json:"intervals"`
	Indices   []engine.SensitivityIndex `json:"indices"`
}

// ResultUncertainty runs the Monte Carlo uncertainty analysis of the
// cycle's ranking on its current accepted inputs (ranked pilots only), for
// the ministry.
func (s *Service) ResultUncertainty(ctx context.Context, cycleID int64, set UncertaintySettings) (ResultUncertainty, error) {
	if err := authorize(ctx, "cycle.results.analyse", fmt.Sprintf("cycle/%d", cycleID)); err != nil {
		return ResultUncertainty{}, err
	}
	cfg, err := set.engineConfig()
	if err != nil {
		return ResultUncertainty{}, err
	}
	in, names, err := s.rankedScoring(ctx, cycleID)
	if err != nil {
		return ResultUncertainty{}, err
	}
	rep, err := engine.Uncertainty(in.plan.fw, in.data, in.scheme, cfg)
	if err != nil {
		return ResultUncertainty{}, invalidField("runs", CodeBadValue, "cycle %d: %v", cycleID, err)
	}
	out := ResultUncertainty{CycleID: cycleID, Settings: set, Runs: rep.Runs, Indices: rep.Indices}
	for i, unit := range rep.Units {
		n := names[unit]
		out.Intervals = append(out.Intervals, RankInterval{PilotID: n.PilotID, PilotName: n.PilotName, RegionCode: n.RegionCode,
			Nominal: int(rep.Nominal[i]), Median: finite(rep.Median[i]), P05: finite(rep.P05[i]), P95: finite(rep.P95[i])})
	}
	slices.SortStableFunc(out.Intervals, func(x, y RankInterval) int { return rankKey(x.Nominal) - rankKey(y.Nominal) })
	return out, nil
}

// engineConfig checks the settings and turns them into the engine's.
func (set UncertaintySettings) engineConfig() (engine.UncertaintyConfig, error) {
	if set.Runs < 10 || set.Runs > maxUncertaintyRuns {
		return engine.UncertaintyConfig{}, invalidField("runs", CodeOutOfRange, "runs %d: want 10 to %d", set.Runs, maxUncertaintyRuns)
	}
	if set.WeightNoise < 0 || set.WeightNoise >= 1 {
		return engine.UncertaintyConfig{}, invalidField("weight_noise", CodeOutOfRange, "weight noise %g: want 0 ≤ noise < 1", set.WeightNoise)
	}
	cfg := engine.UncertaintyConfig{Runs: set.Runs, Seed: set.Seed, WeightNoise: set.WeightNoise}
	for _, spec := range set.Normalisations {
		n, err := engine.ParseNormalisation(spec)
		if err != nil {
			return cfg, invalidField("normalisations", CodeBadValue, "%v", err)
		}
		cfg.Normalisations = append(cfg.Normalisations, n)
	}
	for _, spec := range set.Aggregations {
		a, err := engine.ParseAggregation(spec)
		if err != nil {
			return cfg, invalidField("aggregations", CodeBadValue, "%v", err)
		}
		cfg.Aggregations = append(cfg.Aggregations, a)
	}
	return cfg, nil
}
