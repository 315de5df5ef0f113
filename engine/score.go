package engine

import (
	"fmt"
	"math"
	"slices"

	"github.com/sceval/sceval/framework"
)

// Score computes, for every unit, the score of every node of the framework
// under the scheme: leaves are imputed, treated for outliers and normalised
// (or mapped from rubric levels / passed through for expert scores), then
// aggregated upwards with the scheme's weights and aggregation; every node
// is ranked, and the overall score is rated in stars. Inputs are not
// modified.
func Score(fw *framework.Framework, d *Data, s *Scheme) (*Result, error) {
	p, err := compile(fw, d, s)
	if err != nil {
		return nil, fmt.Errorf("score %s: %w", frameworkName(fw), err)
	}
	ls, err := p.buildLeaves(d, p.scheme.Imputation, nil, 0, leafOptions{reported: true})
	if err != nil {
		return nil, fmt.Errorf("score %s: %w", fw.ID, err)
	}
	n := len(d.Units)
	hashed := make(chan string, 1)
	go func() { hashed <- inputHash(fw, d, p.scheme) }()
	e := newEvaluator(p, n, true)
	for _, i := range p.leaves {
		e.cover[i] = ls.reported[i]
	}
	if err := e.run(ls, runOptions{}); err != nil {
		<-hashed
		return nil, fmt.Errorf("score %s: %w", fw.ID, err)
	}
	e.finish(ls)
	r := &Result{FrameworkID: fw.ID, Units: slices.Clone(d.Units), Nodes: p.nodes,
		Weights: slices.Clone(e.w)}
	r.EffectiveWeights = p.effective(r.Weights)
	r.Warnings = append(slices.Clone(p.warn), ls.warn...)
	m := len(p.nodes)
	r.Score, r.Coverage, r.Contribution = make([]float64, n*m), make([]float64, n*m), make([]float64, n*m)
	r.Rank = make([]int32, n*m)
	rankers := make([]ranker, resolveWorkers(0))
	ranks := make([][]int32, m)
	rankBacking := make([]int32, n*m)
	parallelFor(m, 0, func(wk, i int) {
		ranks[i] = rankBacking[i*n : (i+1)*n]
		rankers[wk].rank(e.score[i], ranks[i], 1)
	})
	const chunk = 4096
	parallelFor((n+chunk-1)/chunk, 0, func(_, c int) {
		e.fillRows(r, ranks, c*chunk, min((c+1)*chunk, n))
	})
	r.Stars = stars(e.score[0], p.scheme.Rating.Thresholds)
	r.Hash = <-hashed
	return r, nil
}

func frameworkName(fw *framework.Framework) string {
	if fw == nil {
		return "(nil framework)"
	}
	return fw.ID
}

// fillRows writes units u0..u1 of the row-major Score, Rank, Coverage and
// Contribution, in blocks of units to stay in cache. The contribution of
// child c to parent i is w'·x_c/x_i with w' = w_c/Σ_present w, NaN for
// missing children, at the root and when the parent's score is 0 or
// missing.
func (e *evaluator) fillRows(r *Result, ranks [][]int32, u0, u1 int) {
	m := len(e.p.nodes)
	const block = 64
	var wsum [block]float64
	for b0 := u0; b0 < u1; b0 += block {
		b1 := min(b0+block, u1)
		for i := range m {
			sc, cv, rk := e.score[i], e.cover[i], ranks[i]
			for u := b0; u < b1; u++ {
				r.Score[u*m+i] = sc[u]
				r.Coverage[u*m+i] = cv[u]
				r.Rank[u*m+i] = rk[u]
			}
		}
		for u := b0; u < b1; u++ {
			r.Contribution[u*m] = math.NaN()
		}
		for _, i := range e.p.parents {
			ch := e.p.nodes[i].Children
			clear(wsum[:])
			for _, c := range ch {
				w, sc := e.w[c], e.score[c]
				for u := b0; u < b1; u++ {
					if v := sc[u]; v == v {
						wsum[u-b0] += w
					}
				}
			}
			parent := e.score[i]
			for _, c := range ch {
				w, sc := e.w[c], e.score[c]
				for u := b0; u < b1; u++ {
					v, pv := sc[u], parent[u]
					if v != v || pv == 0 || pv != pv {
						r.Contribution[u*m+c] = math.NaN()
					} else {
						r.Contribution[u*m+c] = w / wsum[u-b0] * v / pv
					}
				}
			}
		}
	}
}

func nanColumn(n int) []float64 {
	c := make([]float64, n)
	for i := range c {
		c[i] = math.NaN()
	}
	return c
}

// stars rates each overall score: the most stars whose Min the score
// reaches, 0 below every threshold, -1 when missing.
func stars(overall []float64, th []StarThreshold) []int {
	out := make([]int, len(overall))
	for u, v := range overall {
		if v != v {
			out[u] = -1
			continue
		}
		for _, t := range th {
			if v >= t.Min && t.Stars > out[u] {
				out[u] = t.Stars
			}
		}
	}
	return out
}
