package engine

import "math"

// This file turns the evaluator's per-node columns (each node's scores
// contiguous across units, as aggregation and ranking want them) into the
// Result's row-major arrays (each unit's nodes contiguous).
//
// Parallelism: ranking runs over the node columns (leaves as they are
// scored, in buildLeaves; parents after aggregation) and the row writing
// over blocks of units, each on up to GOMAXPROCS goroutines (parallelFor). A
// column's ranks, like a block's rows, are computed by one goroutine from
// inputs no goroutine writes, into memory no other goroutine touches, by
// the same arithmetic whichever goroutine runs it, so the output does not
// depend on the number of workers.

// newRanks returns n·m ranks as one column of n per node.
func newRanks(n, m int) [][]int32 {
	ranks := make([][]int32, m)
	backing := make([]int32, n*m)
	for i := range ranks {
		ranks[i] = backing[i*n : (i+1)*n : (i+1)*n]
	}
	return ranks
}

// rankNodes writes the competition ranks (see ranker.rank) of the scores
// of each of the nodes into ranks[node], ranking the columns in parallel
// with one ranker (and its buffers) per goroutine.
func (e *evaluator) rankNodes(nodes []int, ranks [][]int32, workers int) {
	rankers := make([]ranker, resolveWorkers(workers))
	parallelFor(len(nodes), workers, func(wk, k int) {
		i := nodes[k]
		rankers[wk].rank(e.score[i], ranks[i], 1)
	})
}

// rowWriter writes the row-major Score, Rank, Coverage and Contribution of
// a Result from the evaluator's columns.
type rowWriter struct {
	e     *evaluator
	r     *Result
	ranks [][]int32
	// full[i] is Σ w_c over parent i's children, summed in child order as
	// the per-unit sums are; ratio[c] = w_c / full[parent of c]. A unit with
	// every child present has exactly that sum, so its w_c/Σ_present w is
	// ratio[c] (the same operands give the same quotient) and needs no
	// division.
	full, ratio []float64
	// covered lists the nodes with a cover column, present the leaves
	// whose coverage is the presence of their score.
	covered, present []int
}

func newRowWriter(e *evaluator, r *Result, ranks [][]int32) *rowWriter {
	m := len(e.p.nodes)
	rw := &rowWriter{e: e, r: r, ranks: ranks, full: make([]float64, m), ratio: make([]float64, m)}
	for i, cv := range e.cover {
		if cv != nil {
			rw.covered = append(rw.covered, i)
		} else {
			rw.present = append(rw.present, i)
		}
	}
	for _, i := range e.p.parents {
		s := 0.0
		for _, c := range e.p.nodes[i].Children {
			s += e.w[c]
		}
		rw.full[i] = s
		for _, c := range e.p.nodes[i].Children {
			rw.ratio[c] = e.w[c] / s
		}
	}
	return rw
}

// write fills units u0..u1 of the row-major arrays, one row at a time.
func (rw *rowWriter) write(u0, u1 int) {
	m := len(rw.e.p.nodes)
	for u := u0; u < u1; u++ {
		rw.transpose(u)
		rw.contributions(rw.r.Score[u*m:(u+1)*m], rw.r.Contribution[u*m:(u+1)*m])
	}
}

// transpose copies the scores, coverage and ranks of unit u into its rows:
// the writes are contiguous, and the reads advance along the columns, one
// cache line of each serving eight units. A leaf without a cover column
// (see leafSet.reported) has coverage 1 where it has a score, read back
// from the row just written.
func (rw *rowWriter) transpose(u int) {
	e, r := rw.e, rw.r
	m := len(e.p.nodes)
	score, cover, rank := r.Score[u*m:(u+1)*m], r.Coverage[u*m:(u+1)*m], r.Rank[u*m:(u+1)*m]
	for i := range score {
		score[i] = e.score[i][u]
		rank[i] = rw.ranks[i][u]
	}
	for _, i := range rw.covered {
		cover[i] = e.cover[i][u]
	}
	for _, i := range rw.present {
		cover[i] = 0
		if v := score[i]; v == v {
			cover[i] = 1
		}
	}
}

// contributions writes a unit's contribution row from its score row: the
// contribution of child c to its parent i is w'·x_c/x_i with w' =
// w_c/Σ_present w (the sum over children in order), NaN for missing
// children, at the root and when the parent's score is 0 or missing.
func (rw *rowWriter) contributions(score, out []float64) {
	e := rw.e
	w := e.w
	out[0] = math.NaN()
	for _, i := range e.p.parents {
		ch := e.p.nodes[i].Children
		ws := 0.0
		for _, c := range ch {
			if v := score[c]; v == v {
				ws += w[c]
			}
		}
		pv := score[i]
		switch {
		case pv == 0 || pv != pv:
			for _, c := range ch {
				out[c] = math.NaN()
			}
		case ws == rw.full[i]:
			for _, c := range ch {
				if v := score[c]; v != v {
					out[c] = math.NaN()
				} else {
					out[c] = rw.ratio[c] * v / pv
				}
			}
		default:
			for _, c := range ch {
				if v := score[c]; v != v {
					out[c] = math.NaN()
				} else {
					out[c] = w[c] / ws * v / pv
				}
			}
		}
	}
}
