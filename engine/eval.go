package engine

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// evaluator aggregates leaf scores up the tree for all units at once,
// column by column (each node's scores are contiguous), reusing its
// buffers between runs. Columns are kept filled (0 at missing units, which
// are listed separately), see aggInput. One evaluator belongs to one
// goroutine.
type evaluator struct {
	p       *plan
	n       int
	lazy    bool        // leave transformed scores unmaterialised until needed
	val     [][]float64 // per node: filled scores (invalid while stale)
	miss    [][]int32   // per node: missing units
	aux     [][]float64 // per node: filled transform of the score, or nil
	auxKind []string    // per node: method whose transform aux holds
	stale   []bool      // per node: val must be computed from aux
	w       []float64   // per node: sibling weight used in the last run
	cover   [][]float64 // per node coverage, when tracked
	// zeros, when not nil, counts the child scores of 0 that gmean and
	// hmean parents counted as ZeroFloor
	zeros *zeroCount
	score [][]float64 // per node NaN-marked scores, after finish

	own, ownAux, nanBuf  [][]float64
	ownMiss              [][]int32
	wsum, scratch, fuzzy []float64
	cnt, touched         []int32
	cw                   []float64
}

func newEvaluator(p *plan, n int, trackCoverage bool) *evaluator {
	m := len(p.nodes)
	e := &evaluator{p: p, n: n,
		val: make([][]float64, m), miss: make([][]int32, m), aux: make([][]float64, m),
		auxKind: make([]string, m), stale: make([]bool, m), w: make([]float64, m),
		score: make([][]float64, m), own: make([][]float64, m), ownAux: make([][]float64, m),
		ownMiss: make([][]int32, m), wsum: make([]float64, n), scratch: make([]float64, n),
		cnt: make([]int32, n)}
	for _, i := range p.parents {
		e.own[i] = make([]float64, n)
	}
	if trackCoverage {
		e.cover = make([][]float64, m)
		for _, i := range p.parents {
			e.cover[i] = make([]float64, n)
		}
	}
	return e
}

// runOptions are the per-run choices of an uncertainty analysis.
type runOptions struct {
	agg     *Aggregation // replaces every parent's aggregation when set
	weights []float64    // per-node base weights (noise, exclusion applied)
}

// run computes every parent's scores from the leaf set. Children's weights
// are renormalised to sum 1 over children with a positive weight.
func (e *evaluator) run(ls *leafSet, opt runOptions) error {
	p := e.p
	e.start(ls, opt.weights)
	for _, i := range p.parents {
		agg := p.agg[i]
		if opt.agg != nil {
			agg = *opt.agg
		}
		if err := e.node(i, agg, ls); err != nil {
			return err
		}
	}
	return nil
}

// start sets the leaves from the leaf set and the base weights (the plan's
// when weights is nil).
func (e *evaluator) start(ls *leafSet, weights []float64) {
	for _, i := range e.p.leaves {
		e.val[i], e.miss[i], e.aux[i], e.auxKind[i], e.stale[i] = ls.filled[i], ls.miss[i], nil, "", false
	}
	if weights == nil {
		weights = e.p.baseW
	}
	copy(e.w, weights)
}

// materialise computes node c's scores from its transform if needed.
func (e *evaluator) materialise(c int) {
	if e.stale[c] {
		fromTransform(e.auxKind[c], e.aux[c], e.miss[c], e.own[c])
		e.val[c], e.stale[c] = e.own[c], false
	}
}

// marked returns node c's scores with NaN at missing units, in buf.
func (e *evaluator) marked(c int, buf []float64) []float64 {
	e.materialise(c)
	buf = grow(buf, e.n)
	copy(buf, e.val[c])
	for _, u := range e.miss[c] {
		buf[u] = math.NaN()
	}
	return buf
}

// finish sets score to every node's NaN-marked scores, in place: the
// evaluator's columns for parents, the leaf set's filled columns for leaves
// (which the leaf set must not be used for afterwards).
func (e *evaluator) finish(ls *leafSet) {
	for _, i := range e.p.leaves {
		col := ls.filled[i]
		for _, u := range ls.miss[i] {
			col[u] = math.NaN()
		}
		e.score[i] = col
	}
	for _, i := range e.p.parents {
		e.rootOrNode(i)
	}
}

// rootOrNode NaN-marks node i's own scores in place and returns them.
func (e *evaluator) rootOrNode(i int) []float64 {
	e.materialise(i)
	for _, u := range e.miss[i] {
		e.own[i][u] = math.NaN()
	}
	e.score[i] = e.own[i]
	return e.own[i]
}

// node aggregates parent i.
func (e *evaluator) node(i int, agg Aggregation, ls *leafSet) error {
	in, err := e.prepare(i, agg, ls)
	if err != nil {
		return err
	}
	if err := aggregate(agg.Method, in); err != nil {
		return e.aggError(i, agg, err)
	}
	if e.zeros != nil && (agg.Method == AggGeometric || agg.Method == AggHarmonic) {
		e.warnZeros(i, agg.Method, in.w)
	}
	e.complete(i, agg, in)
	return nil
}

// prepare gathers parent i's children and weights and chooses the output
// column (the transform's for gmean and hmean).
func (e *evaluator) prepare(i int, agg Aggregation, ls *leafSet) (*aggInput, error) {
	ch := e.p.nodes[i].Children
	in := &aggInput{cols: make([][]float64, len(ch)), aux: make([][]float64, len(ch)), miss: make([][]int32, len(ch)),
		wsum: e.wsum, scratch: e.scratch, cnt: e.cnt, touched: e.touched, grades: agg.Grades, fuzzy: e.fuzzy,
		outMiss: e.ownMiss[i]}
	if err := e.gather(i, agg.Method, ls, in); err != nil {
		return nil, err
	}
	if err := e.weigh(i, in); err != nil {
		return nil, err
	}
	in.out = e.own[i]
	if agg.Method == AggGeometric || agg.Method == AggHarmonic {
		if e.ownAux[i] == nil {
			e.ownAux[i] = make([]float64, e.n)
		}
		in.out = e.ownAux[i]
	}
	return in, nil
}

// aggError names the unit and indicator of an aggregation error.
func (e *evaluator) aggError(i int, agg Aggregation, err error) error {
	p := e.p
	var ne *negativeError
	if errors.As(err, &ne) {
		return fmt.Errorf("unit %s, indicator %s: %s needs non-negative scores, got %g (use minmax or goalposts normalisation)", p.units[ne.unit], p.nodes[p.nodes[i].Children[ne.child]].Code, agg.Method, ne.value)
	}
	return fmt.Errorf("indicator %s: %w", p.nodes[i].Code, err)
}

// complete records parent i's aggregated column: missing units, transform,
// coverage and the threshold rule.
func (e *evaluator) complete(i int, agg Aggregation, in *aggInput) {
	e.fuzzy, e.touched, e.ownMiss[i], e.miss[i] = in.fuzzy, in.touched, in.outMiss, in.outMiss
	e.aux[i], e.auxKind[i], e.stale[i], e.val[i] = nil, "", false, e.own[i]
	if agg.Method == AggGeometric || agg.Method == AggHarmonic {
		e.aux[i], e.auxKind[i] = e.ownAux[i], agg.Method
		e.stale[i] = true
		if !e.lazy {
			e.materialise(i)
		}
	}
	if e.cover != nil {
		e.coverage(i)
		if agg.Missing == MissingThreshold {
			e.threshold(i, agg.MinCoverage)
		}
	}
}

// gather fills in.cols, in.aux and in.miss with parent i's children.
func (e *evaluator) gather(i int, method string, ls *leafSet, in *aggInput) error {
	p := e.p
	geoHar := method == AggGeometric || method == AggHarmonic
	nanCols := method == AggTOPSIS || method == AggFuzzy
	if len(e.nanBuf) < len(in.cols) && (nanCols || p.dataW) {
		e.nanBuf = append(e.nanBuf, make([][]float64, len(in.cols)-len(e.nanBuf))...)
	}
	in.lower = nil
	for k, c := range p.nodes[i].Children {
		if method == AggTOPSIS && ls.lowerBetter[c] {
			if in.lower == nil {
				in.lower = make([]bool, len(in.cols))
			}
			in.lower[k] = true
		}
		in.miss[k] = e.miss[c]
		switch {
		case geoHar && e.auxKind[c] == method:
			in.aux[k] = e.aux[c]
			continue
		case nanCols:
			e.nanBuf[k] = e.marked(c, e.nanBuf[k])
			in.cols[k] = e.nanBuf[k]
			continue
		}
		e.materialise(c)
		in.cols[k] = e.val[c]
		if geoHar && len(p.nodes[c].Children) == 0 {
			if ls.min < 0 {
				u, at := ls.minAt[0], ls.minAt[1]
				return fmt.Errorf("unit %s, indicator %s: %s needs non-negative scores, got %g (use minmax or goalposts normalisation)", p.units[u], p.nodes[at].Code, method, ls.min)
			}
			in.aux[k] = ls.transform(method)[c]
		}
	}
	return nil
}

// weigh sets in.w to parent i's children's weights: the run's base
// weights, or data-driven weights times the run's noise, renormalised.
func (e *evaluator) weigh(i int, in *aggInput) error {
	p := e.p
	ch := p.nodes[i].Children
	e.cw = p.childWeights(i, e.w, e.cw)
	if p.dataW {
		cols := make([][]float64, len(ch))
		codes := make([]string, len(ch))
		for k, c := range ch {
			e.nanBuf[k] = e.marked(c, e.nanBuf[k])
			cols[k], codes[k] = e.nanBuf[k], p.nodes[c].Code
		}
		dw, err := dataWeights(p.scheme.Weighting, cols, codes)
		if err != nil {
			return fmt.Errorf("indicator %s: %s weights: %w", p.nodes[i].Code, p.scheme.Weighting.Method, err)
		}
		// Base weights are equal (1/k) under data-driven methods, so k·cw is
		// the run's noise multiplier (1 outside uncertainty runs, 0 for an
		// excluded child).
		k := float64(len(e.cw))
		for j := range e.cw {
			e.cw[j] = dw[j] * e.cw[j] * k
		}
	}
	normaliseSum(e.cw)
	for k, c := range ch {
		e.w[c] = e.cw[k]
	}
	in.w = e.cw
	return nil
}

// coverage sets cover[i] = Σ_k w_k·cover[child k], leaves counting 1 when
// the raw value was reported. A leaf without a cover column (see
// leafSet.reported) counts 1 where it has a score: w is added at every
// unit, and the units where it is missing get their sum back (adding w·0
// would have left it unchanged), so the sums are the same bits.
func (e *evaluator) coverage(i int) {
	cv := e.cover[i]
	clear(cv)
	for k, c := range e.p.nodes[i].Children {
		w := e.cw[k]
		switch {
		case w <= 0:
		case e.cover[c] != nil:
			addScaled(cv, e.cover[c], w)
		default:
			miss, keep := e.miss[c], e.scratch
			for j, u := range miss {
				keep[j] = cv[u]
			}
			for u := range cv {
				cv[u] += w
			}
			for j, u := range miss {
				cv[u] = keep[j]
			}
		}
	}
}

// threshold marks parent i missing where its coverage is below minCov.
func (e *evaluator) threshold(i int, minCov float64) {
	for _, u := range e.miss[i] {
		e.cnt[u] = 1
	}
	for u, c := range e.cover[i] {
		if c < minCov && e.cnt[u] == 0 {
			e.miss[i] = append(e.miss[i], int32(u))
			e.own[i][u] = 0
			if e.aux[i] != nil {
				e.aux[i][u] = 0
			}
		}
	}
	for _, u := range e.miss[i] {
		e.cnt[u] = 0
	}
	e.ownMiss[i] = e.miss[i]
}

// zeroCount tallies the child scores of 0 that gmean and hmean parents
// counted as ZeroFloor, for one warning per Score.
type zeroCount struct {
	scores int
	unit   []bool          // units with such a score
	byNode []string        // "1.1: 1901", in aggregation order
	method map[string]bool // aggregations concerned
}

// warning returns the summary warning, "" when nothing was floored.
func (z *zeroCount) warning() string {
	if z.scores == 0 {
		return ""
	}
	units := 0
	for _, b := range z.unit {
		if b {
			units++
		}
	}
	methods := AggGeometric
	if z.method[AggHarmonic] {
		methods = AggHarmonic
		if z.method[AggGeometric] {
			methods = AggGeometric + "/" + AggHarmonic
		}
	}
	slices.Reverse(z.byNode) // parents were aggregated children first: list them in file order
	return fmt.Sprintf("%s: %d child score(s) of 0 in %d unit(s) counted as %g, the means being undefined at 0 "+
		"(docs/methods.md §7); by indicator: %s", methods, z.scores, units, ZeroFloor, strings.Join(z.byNode, ", "))
}

// warnZeros counts the present child scores of 0 (of children with a
// positive weight) of parent i.
func (e *evaluator) warnZeros(i int, method string, w []float64) {
	z := e.zeros
	if z.unit == nil {
		z.unit, z.method = make([]bool, e.n), map[string]bool{}
	}
	scores := 0
	for k, c := range e.p.nodes[i].Children {
		if w[k] <= 0 {
			continue
		}
		e.materialise(c)
		isMissing := make(map[int32]bool, len(e.miss[c]))
		for _, u := range e.miss[c] {
			isMissing[u] = true
		}
		for u, v := range e.val[c] {
			if v == 0 && !isMissing[int32(u)] {
				scores++
				z.unit[u] = true
			}
		}
	}
	if scores > 0 {
		z.scores += scores
		z.method[method] = true
		z.byNode = append(z.byNode, fmt.Sprintf("%s: %d", e.p.nodes[i].Code, scores))
	}
}

// negativeError reports a negative score fed to gmean or hmean.
type negativeError struct {
	child, unit int
	value       float64
}

// Error describes the negative score by position (callers name the unit
// and indicator).
func (e *negativeError) Error() string {
	return fmt.Sprintf("negative score %g (child %d, unit %d)", e.value, e.child, e.unit)
}
