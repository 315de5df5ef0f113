package engine

import (
	"fmt"
	"math"
	"slices"
	"sync"
)

// batchSize is the number of runs sharing a leaf set that a worker
// evaluates together: the leaf-level sums read each block of leaf columns
// once for the whole batch, so the leaf data crosses the memory bus once
// per batch instead of once per run.
const batchSize = 4

// sumBlock is the number of units per block of the batched sums (8 KiB per
// column: a parent's leaf children stay in L1/L2 across the batch).
const sumBlock = 1024

// runInput is one run's draw of the uncertain inputs.
type runInput struct {
	imp, norm, agg int
	w              []float64 // per-node base weights
}

// draw returns run r's inputs, each from its own random stream (sobol.go).
func (u *uncertainty) draw(r int) runInput {
	row, matrix := designRun(r, u.k)
	in := runInput{w: slices.Clone(u.p.baseW)}
	for i, name := range u.inputs {
		rng := inputRNG(u.cfg.Seed, row, fromB(matrix, i), i)
		switch name {
		case InputWeights:
			for j := 1; j < len(in.w); j++ {
				in.w[j] *= 1 + u.cfg.WeightNoise*(2*rng.Float64()-1)
			}
		case InputNormalisation:
			in.norm = rng.IntN(len(u.sets[0]))
		case InputAggregation:
			in.agg = rng.IntN(len(u.aggs))
		case InputImputation:
			in.imp = rng.IntN(len(u.sets))
		case InputExclusion:
			if x := rng.IntN(len(u.p.leaves) + 1); x < len(u.p.leaves) {
				in.w[u.p.leaves[x]] = 0
			}
		}
	}
	return in
}

// batches groups runs with the same (imputation, normalisation,
// aggregation) into batches of up to u.batch runs, in run order; the grouping
// depends only on the draws, never on the workers.
func (u *uncertainty) batches(inputs []runInput) [][]int {
	groups := map[[3]int][]int{}
	var keys [][3]int
	for r, in := range inputs {
		k := [3]int{in.imp, in.norm, in.agg}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], r)
	}
	var out [][]int
	for _, k := range keys {
		for g := groups[k]; len(g) > 0; g = g[min(u.batch, len(g)):] {
			out = append(out, g[:min(u.batch, len(g))])
		}
	}
	slices.SortFunc(out, func(a, b []int) int { return a[0] - b[0] })
	return out
}

// worker holds one goroutine's buffers.
type worker struct {
	evals  []*evaluator
	r      ranker
	ranks  []int32
	factor []float64
}

// runAll evaluates every run of the design, in parallel batches; each
// run's ranks and target are stored at its index, so the order of
// completion does not matter.
func (u *uncertainty) runAll() error {
	inputs := make([]runInput, u.total)
	for r := range inputs {
		inputs[r] = u.draw(r)
	}
	batches := u.batches(inputs)
	workers := min(resolveWorkers(u.cfg.Workers), len(batches))
	ws := make([]*worker, workers)
	for i := range ws {
		ws[i] = &worker{}
	}
	u.ranks = newRankStore(u.total, u.n)
	u.y = make([]float64, u.total)
	errs := make([]error, len(batches))
	var mu sync.Mutex
	done := 0
	parallelFor(len(batches), workers, func(wk, t int) {
		errs[t] = u.runBatch(ws[wk], batches[t], inputs)
		if u.cfg.Progress != nil {
			mu.Lock()
			done += len(batches[t])
			u.cfg.Progress(done, u.total)
			mu.Unlock()
		}
	})
	for t, err := range errs {
		if err != nil {
			return fmt.Errorf("run %d: %w", batches[t][0], err)
		}
	}
	return nil
}

// runBatch evaluates runs sharing one leaf set and aggregation choice. The
// parents whose children are all leaves are summed for the whole batch
// block by block (same arithmetic per element as a single run, so results
// do not depend on batching); the rest of the tree is evaluated run by run.
func (u *uncertainty) runBatch(wk *worker, runs []int, inputs []runInput) error {
	for len(wk.evals) < len(runs) {
		e := newEvaluator(u.p, u.n, u.needsCoverage())
		e.lazy = true
		if len(wk.evals) > 0 {
			// Scratch is used within one aggregation at a time: share it.
			f := wk.evals[0]
			e.wsum, e.scratch, e.cnt = f.wsum, f.scratch, f.cnt
		}
		wk.evals = append(wk.evals, e)
	}
	first := inputs[runs[0]]
	ls := u.sets[first.imp][first.norm]
	evals := wk.evals[:len(runs)]
	for b, r := range runs {
		u.setCoverage(evals[b], ls)
		evals[b].start(ls, inputs[r].w)
	}
	for _, i := range u.p.parents {
		agg := u.p.agg[i]
		if a := u.aggs[first.agg]; a != nil {
			agg = *a
		}
		if err := u.parentBatch(wk, evals, i, agg, ls); err != nil {
			return err
		}
	}
	for b, r := range runs {
		u.finishRun(wk, evals[b], r)
	}
	return nil
}

// parentBatch aggregates parent i in every run of the batch.
func (u *uncertainty) parentBatch(wk *worker, evals []*evaluator, i int, agg Aggregation, ls *leafSet) error {
	linear := agg.Method == AggArithmetic || agg.Method == AggGeometric || agg.Method == AggHarmonic
	if !linear || !u.p.leafParent(i) {
		for _, e := range evals {
			if err := e.node(i, agg, ls); err != nil {
				return err
			}
		}
		return nil
	}
	ins := make([]*aggInput, len(evals))
	cols := make([][][]float64, len(evals))
	ok := make([]bool, len(evals))
	for b, e := range evals {
		in, err := e.prepare(i, agg, ls)
		if err != nil {
			return err
		}
		ins[b], cols[b] = in, in.cols
		if agg.Method != AggArithmetic {
			if cols[b], err = transformCols(agg.Method, in); err != nil {
				return e.aggError(i, agg, err)
			}
		}
		ok[b] = in.linearStart()
	}
	for lo := 0; lo < u.n; lo += sumBlock {
		hi := min(lo+sumBlock, u.n)
		for b, in := range ins {
			if ok[b] {
				weightedSum(in.out, cols[b], in.w, 1/in.total, lo, hi)
			}
		}
	}
	for b, e := range evals {
		if ok[b] {
			if f := ls.fixups[i]; f != nil {
				wk.factor = ins[b].maskFix(f, wk.factor)
			} else {
				ins[b].linearFix()
			}
		}
		e.complete(i, agg, ins[b])
	}
	return nil
}

// finishRun ranks run r's overall scores and stores the ranks and the
// target, the mean absolute rank shift from the nominal ranks.
func (u *uncertainty) finishRun(wk *worker, e *evaluator, r int) {
	wk.ranks = grow(wk.ranks, u.n)
	ranks := wk.ranks
	wk.r.rank(e.rootOrNode(0), ranks, 1)
	u.ranks.put(r, ranks)
	sum, cnt := 0.0, 0
	for i, rk := range ranks {
		if nom := u.nominal[i]; rk > 0 && nom > 0 {
			sum += math.Abs(float64(rk - nom))
			cnt++
		}
	}
	if cnt > 0 {
		u.y[r] = sum / float64(cnt)
	}
}
