package engine

import (
	work "github.com/sceval/sceval/engine/internal/workers"

	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/sceval/sceval/framework"
)

// leafSet holds the score column of every leaf under one choice of
// imputation and normalisation, plus lazily computed transforms (ln x for
// the geometric mean, 1/x for the harmonic mean) shared by all runs.
type leafSet struct {
	filled [][]float64 // per node, 0 at missing units
	miss   [][]int32   // per node: missing units
	// reported is 1 where the raw value was given, else 0 (per node); nil
	// for a leaf whose raw value was given exactly where it has a score
	// (no imputation, say): its coverage is the presence of its score
	reported [][]float64
	fixups   []*fixup // per node, for uncertainty runs (see fixup)
	// lowerBetter marks the leaves that keep raw values (normRaw) of a
	// lower-is-better indicator: TOPSIS takes their minimum as ideal.
	lowerBetter []bool
	min         float64 // smallest leaf score
	minAt       [2]int  // unit, node of the smallest score
	warn        []string

	once  [2]sync.Once
	trans [2][][]float64 // [0] ln x, [1] 1/x; per node
}

// transform returns the per-node transformed leaf columns for gmean (ln x)
// or hmean (1/x), 0 at missing units, computing them once.
func (ls *leafSet) transform(method string) [][]float64 {
	k := 0
	if method == AggHarmonic {
		k = 1
	}
	ls.once[k].Do(func() {
		t := make([][]float64, len(ls.filled))
		for i, c := range ls.filled {
			if c == nil {
				continue
			}
			out := make([]float64, len(c))
			for u, v := range ls.filled[i] {
				if k == 0 {
					out[u] = math.Log(meanInput(v))
				} else {
					out[u] = 1 / meanInput(v)
				}
			}
			for _, u := range ls.miss[i] {
				out[u] = 0
			}
			t[i] = out
		}
		ls.trans[k] = t
	})
	return ls.trans[k]
}

// leafOptions say which by-products of buildLeaves to keep.
type leafOptions struct {
	reported bool // keep the reported indicators (coverage)
	// ranks, when not nil, receives each leaf's competition ranks in
	// ranks[node] (len(Units) each), computed by the goroutine that scored
	// the leaf while its column is in cache.
	ranks [][]int32
}

// buildLeaves computes every leaf's scores: raw column → (rubric: level →
// score, then imputation) or (imputation → outlier treatment →
// normalisation). norm, when not nil, replaces the normalisation of every
// quantitative leaf (uncertainty alternatives). Leaves are processed in
// parallel, in place in one block of columns; warnings keep the framework's
// order.
func (p *plan) buildLeaves(d *Data, imp Imputation, norm *Normalisation, workers int, opt leafOptions) (*leafSet, error) {
	n := len(d.Units)
	m := len(p.nodes)
	ls := &leafSet{filled: make([][]float64, m), miss: make([][]int32, m), reported: make([][]float64, m),
		lowerBetter: make([]bool, m)}
	var groups []string
	if imp.Method == ImputeGroupMean {
		groups = d.Attrs[imp.Group]
		if len(groups) != n {
			return nil, fmt.Errorf("imputation: data has no attribute %q for every unit (group_mean)", imp.Group)
		}
	}
	raw := p.rawColumns(d, workers)
	lt := &leafTasks{p: p, d: d, ls: ls, imp: imp, norm: norm, groups: groups, opt: opt, raw: raw,
		warns: make([][]string, len(p.leaves)), errs: make([]error, len(p.leaves)),
		mins: make([]float64, len(p.leaves)), minAt: make([]int, len(p.leaves))}
	lt.unreported = make([][]int32, resolveWorkers(workers))
	if opt.ranks != nil {
		lt.rankers = make([]ranker, resolveWorkers(workers))
	}
	parallelFor(len(p.leaves), workers, lt.score)
	// The first smallest score in leaf order, then unit order, whatever the
	// number of workers.
	ls.min = math.Inf(1)
	for k, i := range p.leaves {
		if lt.errs[k] != nil {
			return nil, lt.errs[k]
		}
		ls.warn = append(ls.warn, lt.warns[k]...)
		if lt.mins[k] < ls.min {
			ls.min, ls.minAt = lt.mins[k], [2]int{lt.minAt[k], i}
		}
	}
	return ls, nil
}

// leafTasks scores the leaves, one task per leaf; task k writes only the
// k-th entries of the slices and leaf k's entries of the leaf set.
type leafTasks struct {
	p          *plan
	d          *Data
	ls         *leafSet
	imp        Imputation
	norm       *Normalisation
	groups     []string
	opt        leafOptions
	raw        [][]float64 // per leaf: raw values in, scores out
	warns      [][]string
	errs       []error
	mins       []float64 // per leaf: smallest score …
	minAt      []int     // … and its first unit
	rankers    []ranker  // per worker
	unreported [][]int32 // per worker: units whose raw value is missing
}

// score scores leaf k on worker wk: its column, then (while the column is
// in cache) its reported values, ranks, smallest score and missing units.
func (lt *leafTasks) score(wk, k int) {
	p, ls, col := lt.p, lt.ls, lt.raw[k]
	i := p.leaves[k]
	nm := p.norm[i]
	if lt.norm != nil && isQuantitative(p.spec[i].kind) {
		nm = *lt.norm
	}
	var unreported []int32 // the worker's buffer, reused from leaf to leaf
	if lt.opt.reported {
		unreported = lt.unreported[wk][:0]
		for u, v := range col {
			if v != v {
				unreported = append(unreported, int32(u))
			}
		}
		lt.unreported[wk] = unreported
	}
	lt.warns[k], lt.errs[k] = p.leafColumn(col, lt.d.Units, i, lt.imp, nm, lt.groups)
	if lt.errs[k] != nil {
		return
	}
	if nm.Method == normRaw && p.spec[i].sign < 0 {
		ls.lowerBetter[i] = true
	}
	if lt.opt.ranks != nil {
		lt.rankLeaf(wk, col, lt.opt.ranks[i], ls.lowerBetter[i])
	}
	ls.filled[i] = col
	ls.miss[i], lt.mins[k], lt.minAt[k] = fillNaNMin(col)
	if lt.opt.reported && !slices.Equal(unreported, ls.miss[i]) {
		rep := make([]float64, len(col))
		for u := range rep {
			rep[u] = 1
		}
		for _, u := range unreported {
			rep[u] = 0
		}
		ls.reported[i] = rep
	}
}

// rankLeaf ranks a leaf's scores; raw values of a lower-is-better
// indicator rank the lowest first.
func (lt *leafTasks) rankLeaf(wk int, col []float64, out []int32, lowerBetter bool) {
	if !lowerBetter {
		lt.rankers[wk].rank(col, out, 1)
		return
	}
	neg := make([]float64, len(col))
	for u, v := range col {
		neg[u] = -v
	}
	lt.rankers[wk].rank(neg, out, 1)
}

// fillNaNMin replaces NaN by 0 in x and returns their indices (as
// fillNaN), with the smallest non-NaN value of x and the first index
// holding it (+Inf and 0 when there is none).
func fillNaNMin(x []float64) (miss []int32, lo float64, at int) {
	lo = math.Inf(1)
	for u, v := range x {
		if v < lo {
			lo, at = v, u
		}
		if v != v {
			x[u] = 0
			miss = append(miss, int32(u))
		}
	}
	return miss, lo, at
}

// leafColumn turns leaf i's raw values in col into its scores, in place,
// and returns warnings.
func (p *plan) leafColumn(col []float64, units []string, i int, imp Imputation, nm Normalisation, groups []string) ([]string, error) {
	nd, sp := p.nodes[i], p.spec[i]
	if nd.Column < 0 {
		return nil, nil // rawColumns left it all NaN
	}
	if sp.kind == framework.Expert {
		if err := checkExpert(col, nd.Code, units); err != nil {
			return nil, err
		}
	}
	var ws []string
	addWarn := func(w string) {
		if w != "" {
			ws = append(ws, w)
		}
	}
	if nm.Method == NormRubric {
		if err := mapRubric(col, col, sp.rubric, nd.Code, units); err != nil {
			return nil, err
		}
		addWarn(impute(col, imp, groups, nd.Code))
		return ws, nil
	}
	addWarn(impute(col, imp, groups, nd.Code))
	if isQuantitative(sp.kind) {
		ws = append(ws, treatOutliers(col, p.scheme.Outliers, nd.Code, units)...)
	}
	nw, err := normalise(col, col, nm, leafContext{code: nd.Code, sign: sp.sign, ind: sp})
	if err != nil {
		return nil, err
	}
	return append(ws, nw...), nil
}

// rawColumns copies the data's leaf columns into contiguous per-leaf
// slices of one block (all NaN for leaves without a column), reading the
// row-major values in unit blocks so that each row is read once.
func (p *plan) rawColumns(d *Data, workers int) [][]float64 {
	n, stride := len(d.Units), len(d.Codes)
	out := make([][]float64, len(p.leaves))
	backing := make([]float64, n*len(p.leaves))
	for k, i := range p.leaves {
		out[k] = backing[k*n : (k+1)*n : (k+1)*n]
		if p.nodes[i].Column < 0 {
			for u := range out[k] {
				out[k][u] = math.NaN()
			}
		}
	}
	// Chunks of units go to the workers; within a chunk, blocks of 16 rows
	// (16·57·8 B ≈ 7 KB) stay in the L1 cache while every leaf's column is
	// read from them.
	const chunk, block = 1024, 16
	parallelFor((n+chunk-1)/chunk, workers, func(_, c int) {
		for b0 := c * chunk; b0 < min((c+1)*chunk, n); b0 += block {
			b1 := min(b0+block, n)
			rows := d.Values[b0*stride : b1*stride]
			for k, i := range p.leaves {
				j, col := p.nodes[i].Column, out[k][b0:b1]
				if j < 0 {
					continue
				}
				for u := range col {
					col[u] = rows[u*stride+j]
				}
			}
		}
	})
	return out
}

// parallelFor calls fn(worker, i) for i in 0..n-1 on up to workers
// goroutines (<= 0: GOMAXPROCS); see work.Each.
func parallelFor(n, workers int, fn func(worker, i int)) { work.Each(n, workers, fn) }

// resolveWorkers maps workers <= 0 to GOMAXPROCS.
func resolveWorkers(workers int) int {
	if workers <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return workers
}
