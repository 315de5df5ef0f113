package engine

import (
	"fmt"
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
	n, m := len(d.Units), len(p.nodes)
	// The inputs' hash needs no scores: it is computed on its own goroutine
	// while the leaves are scored and ranked (on GOMAXPROCS goroutines).
	hashed := make(chan string, 1)
	go func() { hashed <- inputHash(fw, d, p.scheme) }()
	ranks := newRanks(n, m)
	ls, err := p.buildLeaves(d, p.scheme.Imputation, nil, 0, leafOptions{reported: true, ranks: ranks})
	if err != nil {
		<-hashed
		return nil, fmt.Errorf("score %s: %w", fw.ID, err)
	}
	// Likewise the result's n·m arrays, which make clears (84 MB for 41,352
	// units × 73 nodes), are made on their own goroutine while the tree is
	// aggregated, which takes one core.
	arrays := make(chan *Result, 1)
	go func() {
		arrays <- &Result{Score: make([]float64, n*m), Coverage: make([]float64, n*m),
			Contribution: make([]float64, n*m), Rank: make([]int32, n*m)}
	}()
	e := newEvaluator(p, n, true)
	var zeros zeroCount
	e.zeros = &zeros
	for _, i := range p.leaves {
		e.cover[i] = ls.reported[i]
	}
	if err := e.run(ls, runOptions{}); err != nil {
		<-hashed
		<-arrays
		return nil, fmt.Errorf("score %s: %w", fw.ID, err)
	}
	e.finish(ls)
	e.rankNodes(p.parents, ranks, 0)
	r := <-arrays
	r.FrameworkID, r.Units, r.Nodes, r.Weights = fw.ID, slices.Clone(d.Units), p.nodes, slices.Clone(e.w)
	r.EffectiveWeights = p.effective(r.Weights)
	r.Warnings = append(slices.Clone(p.warn), ls.warn...)
	if w := zeros.warning(); w != "" {
		r.Warnings = append(r.Warnings, w)
	}
	rw := newRowWriter(e, r, ranks)
	const chunk = 1024
	parallelFor((n+chunk-1)/chunk, 0, func(_, c int) {
		rw.write(c*chunk, min((c+1)*chunk, n))
	})
	r.Stars = stars(e.score[0], p.scheme.Rating)
	r.Hash = <-hashed
	return r, nil
}

func frameworkName(fw *framework.Framework) string {
	if fw == nil {
		return "(nil framework)"
	}
	return fw.ID
}

// stars rates each overall score (Rating.Stars).
func stars(overall []float64, rating Rating) []int {
	out := make([]int, len(overall))
	for u, v := range overall {
		out[u] = rating.Stars(v)
	}
	return out
}
