package engine

import (
	"testing"

	"github.com/sceval/sceval/framework"
)

// benchUnits is the number of towns and subdistricts in the registry
// (DESIGN §2).
const benchUnits = 41352

// benchFramework is the built-in MOHURD 2012 framework (4/11/57), or the
// same shape built in code.
func benchFramework() *framework.Framework {
	if fw, ok := framework.Builtin("mohurd-2012"); ok {
		return fw
	}
	return seedShape()
}

// BenchmarkScore scores 41,352 units × 57 indicators at every level with
// the default scheme (ranks, coverage, contributions, hash included).
func BenchmarkScore(b *testing.B) {
	fw := benchFramework()
	d := Synthetic(fw, benchUnits, 1)
	s := DefaultScheme()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Score(fw, d, s); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUncertainty: 1,000 runs (k = 3 inputs: weight noise ±25%,
// normalisation minmax/rank/percentile, aggregation amean/gmean/hmean) on
// 41,352 units × 57 indicators.
func BenchmarkUncertainty(b *testing.B) {
	fw := benchFramework()
	d := Synthetic(fw, benchUnits, 1)
	cfg := UncertaintyConfig{Runs: 1000, Seed: 1, WeightNoise: 0.25,
		Normalisations: []Normalisation{{Method: NormMinMax}, {Method: NormRank}, {Method: NormPercentile}},
		Aggregations:   []Aggregation{{Method: AggArithmetic}, {Method: AggGeometric}, {Method: AggHarmonic}},
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Uncertainty(fw, d, DefaultScheme(), cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// scoredColumns runs Score's steps up to the ranks on the benchmark data
// and returns the evaluator, the ranks and an empty result.
func scoredColumns(b *testing.B) (*evaluator, [][]int32, *Result) {
	fw := benchFramework()
	d := Synthetic(fw, benchUnits, 1)
	p, err := compile(fw, d, DefaultScheme())
	if err != nil {
		b.Fatal(err)
	}
	ranks := newRanks(benchUnits, len(p.nodes))
	ls, err := p.buildLeaves(d, p.scheme.Imputation, nil, 0, leafOptions{reported: true, ranks: ranks})
	if err != nil {
		b.Fatal(err)
	}
	e := newEvaluator(p, benchUnits, true)
	for _, i := range p.leaves {
		e.cover[i] = ls.reported[i]
	}
	if err := e.run(ls, runOptions{}); err != nil {
		b.Fatal(err)
	}
	e.finish(ls)
	nm := benchUnits * len(p.nodes)
	r := &Result{Score: make([]float64, nm), Coverage: make([]float64, nm),
		Contribution: make([]float64, nm), Rank: make([]int32, nm)}
	e.rankNodes(p.parents, ranks, 0)
	return e, ranks, r
}

// BenchmarkScoreRows writes the row-major Score, Rank, Coverage and
// Contribution of the benchmark result (41,352 units × 73 nodes) from the
// node columns, on one goroutine.
func BenchmarkScoreRows(b *testing.B) {
	e, ranks, r := scoredColumns(b)
	rw := newRowWriter(e, r, ranks)
	for b.Loop() {
		rw.write(0, benchUnits)
	}
}

// BenchmarkScoreRanks ranks the 73 node columns of the benchmark result on
// GOMAXPROCS goroutines.
func BenchmarkScoreRanks(b *testing.B) {
	e, ranks, _ := scoredColumns(b)
	nodes := make([]int, len(e.p.nodes))
	for i := range nodes {
		nodes[i] = i
	}
	for b.Loop() {
		e.rankNodes(nodes, ranks, 0)
	}
}

// BenchmarkScoreRowsTranspose and BenchmarkScoreRowsContributions time the
// two halves of BenchmarkScoreRows: copying scores, coverage and ranks into
// the rows (the transpose), and computing each row's contributions.
func BenchmarkScoreRowsTranspose(b *testing.B) {
	e, ranks, r := scoredColumns(b)
	rw := newRowWriter(e, r, ranks)
	b.SetBytes(int64(benchUnits * len(e.p.nodes) * (8 + 8 + 4)))
	for b.Loop() {
		for u := range benchUnits {
			rw.transpose(u)
		}
	}
}

func BenchmarkScoreRowsContributions(b *testing.B) {
	e, ranks, r := scoredColumns(b)
	rw := newRowWriter(e, r, ranks)
	rw.write(0, benchUnits)
	m := len(e.p.nodes)
	b.SetBytes(int64(benchUnits * m * 8))
	for b.Loop() {
		for u := range benchUnits {
			rw.contributions(r.Score[u*m:(u+1)*m], r.Contribution[u*m:(u+1)*m])
		}
	}
}

// BenchmarkCopyRowBytes is the memory-bandwidth baseline of the transpose:
// copying as many bytes (scores, coverage and ranks of 41,352 × 73 nodes,
// 60 MB) with the runtime's memmove.
func BenchmarkCopyRowBytes(b *testing.B) {
	n := benchUnits * 73 * (8 + 8 + 4)
	src, dst := make([]byte, n), make([]byte, n)
	b.SetBytes(int64(n))
	for b.Loop() {
		copy(dst, src)
	}
}
