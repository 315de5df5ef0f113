package engine

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/sceval/sceval/framework"
)

// leafSet holds the score column of every leaf under one choice of
// imputation and normalisation, plus lazily computed transforms (ln x for
// the geometric mean, 1/x for the harmonic mean) shared by all runs.
type leafSet struct {
	cols   [][]float64 // per node, NaN at missing units; nil at parents
	filled [][]float64 // per node, 0 at missing units
	miss   [][]int32   // per node: missing units
	// reported is 1 where the raw value was given, else 0 (per node)
	reported [][]float64
	fixups   []*fixup // per node, for uncertainty runs (see fixup)
	min      float64  // smallest leaf score
	minAt    [2]int   // unit, node of the smallest score
	warn     []string

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
					out[u] = math.Log(v)
				} else {
					out[u] = 1 / v
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
	ls := &leafSet{filled: make([][]float64, m), miss: make([][]int32, m), reported: make([][]float64, m)}
	var reported []float64
	if opt.reported {
		reported = make([]float64, n*len(p.leaves))
	}
	warns := make([][]string, len(p.leaves))
	errs := make([]error, len(p.leaves))
	var groups []string
	if imp.Method == ImputeGroupMean {
		groups = d.Attrs[imp.Group]
		if len(groups) != n {
			return nil, fmt.Errorf("imputation: data has no attribute %q for every unit (group_mean)", imp.Group)
		}
	}
	raw := p.rawColumns(d, workers)
	parallelFor(len(p.leaves), workers, func(_, k int) {
		i := p.leaves[k]
		nm := p.norm[i]
		if norm != nil && isQuantitative(p.spec[i].kind) {
			nm = *norm
		}
		var rep []float64
		if opt.reported {
			rep = reported[k*n : (k+1)*n : (k+1)*n]
			ls.reported[i] = rep
		}
		warns[k], errs[k] = p.leafColumn(raw[k], raw[k], d.Units, i, imp, nm, groups, rep)
	})
	ls.min = math.Inf(1)
	for k, i := range p.leaves {
		if errs[k] != nil {
			return nil, errs[k]
		}
		ls.warn = append(ls.warn, warns[k]...)
		for u, v := range raw[k] {
			if v < ls.min {
				ls.min, ls.minAt = v, [2]int{u, i}
			}
		}
		ls.filled[i] = raw[k]
		ls.miss[i] = fillNaN(raw[k], nil)
	}
	return ls, nil
}

// leafColumn fills col with leaf i's scores and returns warnings.
// reported receives 1 where the raw value was given.
func (p *plan) leafColumn(col, raw []float64, units []string, i int, imp Imputation, nm Normalisation, groups []string, reported []float64) ([]string, error) {
	nd, sp := p.nodes[i], p.spec[i]
	if nd.Column < 0 {
		return nil, nil // rawColumns left it all NaN
	}
	for u, v := range raw {
		col[u] = v
		if v == v && reported != nil {
			reported[u] = 1
		}
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
	const chunk = 1024
	parallelFor((n+chunk-1)/chunk, workers, func(_, c int) {
		u0, u1 := c*chunk, min((c+1)*chunk, n)
		for k, i := range p.leaves {
			j, col := p.nodes[i].Column, out[k]
			if j < 0 {
				continue
			}
			for u := u0; u < u1; u++ {
				col[u] = d.Values[u*stride+j]
			}
		}
	})
	return out
}

// parallelFor calls fn(worker, i) for i in 0..n-1 on up to workers
// goroutines (<= 0: GOMAXPROCS), handing out indices in order; worker is
// the goroutine's number, for per-goroutine buffers.
func parallelFor(n, workers int, fn func(worker, i int)) {
	workers = min(resolveWorkers(workers), n)
	if workers <= 1 {
		for i := range n {
			fn(0, i)
		}
		return
	}
	var mu sync.Mutex
	next := 0
	var wg sync.WaitGroup
	for wk := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				fn(wk, i)
			}
		}()
	}
	wg.Wait()
}

// resolveWorkers maps workers <= 0 to GOMAXPROCS.
func resolveWorkers(workers int) int {
	if workers <= 0 {
		return runtime.GOMAXPROCS(0)
	}
	return workers
}
