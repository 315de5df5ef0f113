package engine

import (
	"errors"
	"fmt"
	"runtime"
	"slices"

	"github.com/sceval/sceval/framework"
)

// UncertaintyConfig configures a Monte Carlo uncertainty and sensitivity
// analysis (Saisana, Saltelli & Tarantola 2005; COINr get_sensitivity).
type UncertaintyConfig struct {
	// Runs is the budget of model evaluations; with k uncertain inputs the
	// Saltelli design uses N = Runs/(k+2) base samples and N·(k+2) runs.
	Runs int
	// Seed makes the analysis reproducible.
	Seed uint64
	// Workers is the number of goroutines (<= 0: runtime.GOMAXPROCS). The
	// output does not depend on it.
	Workers int
	// WeightNoise multiplies every sibling weight by U(1−WeightNoise,
	// 1+WeightNoise) and renormalises among siblings, at every level
	// (0 = weights not varied; must be < 1).
	WeightNoise float64
	// Normalisations are alternatives drawn uniformly per run; empty means
	// the scheme's own. Likewise Aggregations and Imputations.
	Normalisations []Normalisation
	Aggregations   []Aggregation
	Imputations    []Imputation
	// ExcludeOne also drops one leaf indicator per run (uniformly over the
	// leaves, or none).
	ExcludeOne bool
	// Progress, when set, is called with the number of finished runs (in
	// steps of up to 4, a batch); it may be called from worker goroutines,
	// one call at a time.
	Progress func(done, total int)
}

// UncertaintyReport summarises the distribution of each unit's overall rank
// over the Monte Carlo runs, and the sensitivity indices of the uncertain
// inputs.
type UncertaintyReport struct {
	Units []string
	// Runs is the number of model evaluations performed, N·(k+2).
	Runs int
	// N is the base sample size of the Saltelli design.
	N    int
	Seed uint64
	// Nominal is each unit's overall rank under the scheme as given.
	Nominal []int32
	// Median, P05 and P95 are each unit's rank quantiles over the runs
	// (R's type 7 quantile); NaN when the unit's score was always missing.
	Median, P05, P95 []float64
	// Indices holds one entry per uncertain input.
	Indices []SensitivityIndex
	// Warnings from the nominal run and the analysis.
	Warnings []string
}

// SensitivityIndex is the first-order (Saltelli 2010 estimator) and total
// (Jansen 1999 estimator) Sobol index of one uncertain input, for the
// target "mean absolute shift of the overall rank from the nominal rank".
//
// FirstLow … TotalHigh are the indices' percentile bootstrap intervals at
// level SobolConfidence (see sobolIntervals), seeded by the analysis's
// seed. Both estimators are ratios to the estimated output variance and so
// carry a bias of order 1/N; with sampling error an estimate can fall
// below 0 or above 1, which its interval then shows.
type SensitivityIndex struct {
	Input               string
	First               float64
	Total               float64
	FirstLow, FirstHigh float64
	TotalLow, TotalHigh float64
}

// The uncertain inputs, in the order of UncertaintyReport.Indices.
const (
	InputWeights       = "weights"
	InputNormalisation = "normalisation"
	InputAggregation   = "aggregation"
	InputImputation    = "imputation"
	InputExclusion     = "exclusion"
)

// Uncertainty runs a Monte Carlo uncertainty and sensitivity analysis of
// the overall rank (Saisana, Saltelli & Tarantola 2005, J. R. Stat. Soc. A
// 168(2): 307–323; COINr get_sensitivity). The uncertain inputs are those
// the configuration varies: weights (noise), normalisation, aggregation,
// imputation (each when given two or more alternatives) and exclusion of
// one leaf. With k inputs, N = ⌊Runs/(k+2)⌋ base samples are drawn and the
// model runs N·(k+2) times on the Saltelli (2010) design; every run gives a
// valid random draw, so all runs feed the rank quantiles, and the design's
// blocks give the Sobol indices of the target "mean absolute shift of the
// overall rank from the nominal rank". Results are identical for any
// Workers.
func Uncertainty(fw *framework.Framework, d *Data, s *Scheme, cfg UncertaintyConfig) (*UncertaintyReport, error) {
	u, err := newUncertainty(fw, d, s, cfg)
	if err != nil {
		return nil, fmt.Errorf("uncertainty %s: %w", frameworkName(fw), err)
	}
	// The preparation leaves raw and nominal columns behind; collect them
	// now rather than let the heap double before the runs' buffers come.
	runtime.GC()
	if err := u.runAll(); err != nil {
		return nil, fmt.Errorf("uncertainty %s: %w", fw.ID, err)
	}
	return u.report(), nil
}

// uncertainty is one analysis in progress.
type uncertainty struct {
	cfg     UncertaintyConfig
	p       *plan
	n       int
	inputs  []string
	k, base int            // number of inputs, base sample size N
	batch   int            // runs per batch (batchSize)
	total   int            // runs
	sets    [][]*leafSet   // [imputation][normalisation] leaf sets
	aggs    []*Aggregation // alternatives (nil = the scheme's)
	nominal []int32        // overall ranks under the scheme
	ranks   rankStore      // total × n, run-major
	y       []float64      // per run: mean |rank − nominal|
	warn    []string
}

func newUncertainty(fw *framework.Framework, d *Data, s *Scheme, cfg UncertaintyConfig) (*uncertainty, error) {
	if cfg.WeightNoise < 0 || cfg.WeightNoise >= 1 {
		return nil, fmt.Errorf("weight noise must be in [0, 1), got %g", cfg.WeightNoise)
	}
	p, err := compile(fw, d, s)
	if err != nil {
		return nil, err
	}
	if p.rawLeaves() && len(cfg.Aggregations) > 0 && len(cfg.Normalisations) == 0 {
		return nil, errors.New("the scheme aggregates raw values by TOPSIS (it sets no normalisation), which other " +
			"aggregations cannot take: set a normalisation (e.g. minmax) to vary the aggregation")
	}
	u := &uncertainty{cfg: cfg, p: p, n: len(d.Units), batch: batchSize}
	if cfg.WeightNoise > 0 {
		u.inputs = append(u.inputs, InputWeights)
	}
	if len(cfg.Normalisations) > 1 {
		u.inputs = append(u.inputs, InputNormalisation)
	}
	if len(cfg.Aggregations) > 1 {
		u.inputs = append(u.inputs, InputAggregation)
	}
	if len(cfg.Imputations) > 1 {
		u.inputs = append(u.inputs, InputImputation)
	}
	if cfg.ExcludeOne {
		u.inputs = append(u.inputs, InputExclusion)
	}
	u.k = len(u.inputs)
	if u.k == 0 {
		return nil, errors.New("nothing is uncertain: set weight noise, two or more alternatives, or exclusion")
	}
	u.base = cfg.Runs / (u.k + 2)
	if u.base < 2 {
		return nil, fmt.Errorf("runs must be at least %d for %d uncertain inputs (2·(k+2)), got %d", 2*(u.k+2), u.k, cfg.Runs)
	}
	u.total = u.base * (u.k + 2)
	if err := u.prepare(d, s); err != nil {
		return nil, err
	}
	return u, nil
}

// prepare validates the alternatives, builds every (imputation,
// normalisation) leaf set once, and computes the nominal ranks.
func (u *uncertainty) prepare(d *Data, s *Scheme) error {
	imps := []Imputation{u.p.scheme.Imputation}
	if len(u.cfg.Imputations) > 0 {
		imps = u.cfg.Imputations
	}
	norms := []*Normalisation{nil}
	if len(u.cfg.Normalisations) > 0 {
		norms = norms[:0]
		for i := range u.cfg.Normalisations {
			nm := u.cfg.Normalisations[i]
			nm.fillDefaults()
			norms = append(norms, &nm)
		}
	}
	u.aggs = []*Aggregation{nil}
	if len(u.cfg.Aggregations) > 0 {
		u.aggs = u.aggs[:0]
		for i := range u.cfg.Aggregations {
			a := u.cfg.Aggregations[i]
			a.fillDefaults()
			u.aggs = append(u.aggs, &a)
		}
	}
	if err := u.validateAlternatives(imps, norms); err != nil {
		return err
	}
	if err := u.checkAlternatives(norms); err != nil {
		return err
	}
	u.sets = make([][]*leafSet, len(imps))
	for i, imp := range imps {
		imp := imp
		if imp.Method == "" {
			imp.Method = ImputeNone
		}
		for _, nm := range norms {
			ls, err := u.p.buildLeaves(d, imp, nm, u.cfg.Workers, leafOptions{reported: u.needsCoverage()})
			if err != nil {
				return err
			}
			ls.fixups = u.p.buildFixups(ls, u.n)
			u.sets[i] = append(u.sets[i], ls)
		}
	}
	nom, err := u.p.buildLeaves(d, u.p.scheme.Imputation, nil, u.cfg.Workers, leafOptions{reported: u.needsCoverage()})
	if err != nil {
		return err
	}
	u.warn = append(append(u.warn, u.p.warn...), nom.warn...)
	if u.drawsPositiveMeans() {
		u.warn = append(u.warn, zeroLeafWarning(u.p, nom)...)
	}
	e := newEvaluator(u.p, u.n, u.needsCoverage())
	u.setCoverage(e, nom)
	if err := e.run(nom, runOptions{}); err != nil {
		return fmt.Errorf("nominal run: %w", err)
	}
	u.nominal = make([]int32, u.n)
	var r ranker
	r.rank(e.rootOrNode(0), u.nominal, 1)
	return nil
}

func (u *uncertainty) validateAlternatives(imps []Imputation, norms []*Normalisation) error {
	var errs []error
	for i, imp := range imps {
		s := Scheme{Imputation: imp}
		s.fillDefaults()
		for _, pr := range s.validate() {
			if pr.Field == "imputation.method" || pr.Field == "imputation.group" {
				errs = append(errs, fmt.Errorf("imputations[%d]: %s", i, pr.Message))
			}
		}
	}
	for i, nm := range norms {
		if nm == nil {
			continue
		}
		nm.validate(func(f, format string, args ...any) {
			errs = append(errs, fmt.Errorf("normalisations[%d]%s: %s", i, f, fmt.Sprintf(format, args...)))
		}, "")
	}
	for i, a := range u.aggs {
		if a == nil {
			continue
		}
		a.validate(func(f, format string, args ...any) {
			errs = append(errs, fmt.Errorf("aggregations[%d]%s: %s", i, f, fmt.Sprintf(format, args...)))
		}, "")
	}
	return errors.Join(errs...)
}

// needsCoverage reports whether any aggregation uses the threshold rule.
func (u *uncertainty) needsCoverage() bool {
	if u.p.scheme.Aggregation.Missing == MissingThreshold {
		return true
	}
	for _, a := range u.aggs {
		if a != nil && a.Missing == MissingThreshold {
			return true
		}
	}
	for _, i := range u.p.parents {
		if u.p.agg[i].Missing == MissingThreshold {
			return true
		}
	}
	return false
}

func (u *uncertainty) setCoverage(e *evaluator, ls *leafSet) {
	if e.cover == nil {
		return
	}
	for _, i := range u.p.leaves {
		e.cover[i] = ls.reported[i]
	}
}

// report computes the per-unit rank quantiles and the sensitivity indices.
func (u *uncertainty) report() *UncertaintyReport {
	rep := &UncertaintyReport{Units: u.p.units, Runs: u.total, N: u.base, Seed: u.cfg.Seed,
		Nominal: u.nominal, Warnings: u.warn}
	rep.Median, rep.P05, rep.P95 = make([]float64, u.n), make([]float64, u.n), make([]float64, u.n)
	const block = 16
	parallelFor((u.n+block-1)/block, u.cfg.Workers, func(_, b int) {
		rankQuantiles(u.ranks, u.total, u.n, b*block, min((b+1)*block, u.n), rep)
	})
	first, total, _ := sobolIndices(u.y, u.base, u.k)
	flo, fhi, tlo, thi := sobolIntervals(u.y, u.base, u.k, u.cfg.Seed)
	for i, in := range u.inputs {
		rep.Indices = append(rep.Indices, SensitivityIndex{Input: in, First: first[i], Total: total[i],
			FirstLow: flo[i], FirstHigh: fhi[i], TotalLow: tlo[i], TotalHigh: thi[i]})
	}
	if msg := intervalNotice(rep.Indices, u.base, u.total); msg != "" {
		rep.Warnings = append(slices.Clone(rep.Warnings), msg)
	}
	return rep
}

// drawsPositiveMeans reports whether some run may aggregate by the
// geometric or harmonic mean.
func (u *uncertainty) drawsPositiveMeans() bool {
	for _, a := range u.aggs {
		if a != nil && needsPositive(a.Method) {
			return true
		}
		if a == nil {
			for _, i := range u.p.parents {
				if needsPositive(u.p.agg[i].Method) {
					return true
				}
			}
		}
	}
	return false
}

// zeroLeafWarning counts the leaf scores of 0 (nominal normalisation) that
// runs aggregating by gmean or hmean count as ZeroFloor.
func zeroLeafWarning(p *plan, ls *leafSet) []string {
	scores := 0
	unit := make([]bool, len(p.units))
	for _, i := range p.leaves {
		missing := make(map[int32]bool, len(ls.miss[i]))
		for _, u := range ls.miss[i] {
			missing[u] = true
		}
		for u, v := range ls.filled[i] {
			if v == 0 && !missing[int32(u)] {
				scores++
				unit[u] = true
			}
		}
	}
	if scores == 0 {
		return nil
	}
	units := 0
	for _, b := range unit {
		if b {
			units++
		}
	}
	return []string{fmt.Sprintf("%d leaf score(s) of 0 in %d unit(s): runs that aggregate by gmean or hmean count them as %g, "+
		"the means being undefined at 0 (docs/methods.md §7)", scores, units, ZeroFloor)}
}
