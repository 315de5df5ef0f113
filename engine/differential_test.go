package engine_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/sceval/sceval/engine"
	"github.com/sceval/sceval/framework"
)

// TestDifferential scores random frameworks (depth 1–5, 1–12 children per
// parent) and random data (missing values, ties, zeros) under every
// normalisation × aggregation × missing-value rule with engine.Score and
// with the plain reference implementation of differential_ref_test.go,
// which shares no code with the engine. Scores and coverage must agree to
// 1e-9, ranks and stars exactly. Combinations the engine refuses
// (passthrough of a lower-is-better indicator, plain z-scores under
// gmean/hmean) must be refused with their typed errors.
func TestDifferential(t *testing.T) {
	norms := []engine.Normalisation{
		{}, // unset: min-max, or raw values under TOPSIS
		{Method: engine.NormMinMax, High: 100},
		{Method: engine.NormMinMax, Low: 1, High: 100},
		{Method: engine.NormZScore},
		{Method: engine.NormZScore, Mean: 50, SD: 10},
		{Method: engine.NormRank},
		{Method: engine.NormPercentile},
		{Method: engine.NormTarget},
		{Method: engine.NormGoalposts},
		{Method: engine.NormPassthrough},
	}
	aggs := []string{engine.AggArithmetic, engine.AggGeometric, engine.AggHarmonic, engine.AggTOPSIS, engine.AggFuzzy}
	missing := []engine.Aggregation{{Missing: engine.MissingRenormalise}, {Missing: engine.MissingThreshold, MinCoverage: 0.6}}
	cases := 25
	if testing.Short() {
		cases = 8
	}
	rng := rand.New(rand.NewPCG(20261206, 9))
	checked := 0
	for c := range cases {
		fw := randomFramework(rng, c)
		d := randomData(rng, fw)
		for _, nm := range norms {
			for _, a := range aggs {
				for _, mr := range missing {
					agg := mr
					agg.Method = a
					name := fmt.Sprintf("case %d (%d leaves, %d units) %s/%s/%s", c, len(fw.Leaves()), len(d.Units), nm.Method, a, agg.Missing)
					if diffOne(t, name, fw, d, nm, agg) {
						checked++
					}
				}
			}
		}
	}
	if checked < cases*len(norms)*len(aggs) {
		t.Errorf("only %d of %d combinations were compared", checked, cases*len(norms)*len(aggs)*len(missing))
	}
}

// diffOne compares one combination; it reports whether scores were
// compared (false when the engine rightly refused it).
func diffOne(t *testing.T, name string, fw *framework.Framework, d *engine.Data, nm engine.Normalisation, agg engine.Aggregation) bool {
	t.Helper()
	s := engine.DefaultScheme()
	s.Normalisation = nm
	s.Aggregation = agg
	r, err := engine.Score(fw, d, s)
	lowerBetter := false
	for _, l := range fw.Leaves() {
		lowerBetter = lowerBetter || l.Direction < 0
	}
	var de *engine.DirectionError
	var ie *engine.IncompatibleError
	switch {
	case nm.Method == engine.NormPassthrough && lowerBetter:
		if !errors.As(err, &de) {
			t.Errorf("%s: want a DirectionError, got %v", name, err)
		}
		return false
	case nm.Method == engine.NormZScore && nm.Mean == 0 && (agg.Method == engine.AggGeometric || agg.Method == engine.AggHarmonic):
		if !errors.As(err, &ie) {
			t.Errorf("%s: want an IncompatibleError, got %v", name, err)
		}
		return false
	case err != nil:
		t.Errorf("%s: %v", name, err)
		return false
	}
	ref := refScore(fw, d, nm, agg, engine.DefaultStarThresholds())
	bad := 0
	for k, node := range r.Nodes {
		want, ok := ref.score[node.Code]
		if !ok {
			t.Fatalf("%s: node %s not in the reference", name, node.Code)
		}
		for u := range d.Units {
			got := r.At(u, k)
			tol := 1e-9 * math.Max(1, math.Abs(want[u]))
			if math.IsNaN(got) != math.IsNaN(want[u]) || math.Abs(got-want[u]) > tol {
				t.Errorf("%s: unit %d, node %s: score %.17g, reference %.17g", name, u, node.Code, got, want[u])
				bad++
			}
			if got, want := r.RankAt(u, k), ref.rank[node.Code][u]; got != want {
				t.Errorf("%s: unit %d, node %s: rank %d, reference %d (scores %v)", name, u, node.Code, got, want, sortedCopy(ref.score[node.Code]))
				bad++
			}
			if got, want := r.Coverage[u*len(r.Nodes)+k], ref.cover[node.Code][u]; math.Abs(got-want) > 1e-9 {
				t.Errorf("%s: unit %d, node %s: coverage %g, reference %g", name, u, node.Code, got, want)
				bad++
			}
			if bad > 5 {
				t.FailNow()
			}
		}
	}
	for u, st := range ref.stars {
		if r.Stars[u] != st {
			t.Errorf("%s: unit %d: stars %d, reference %d (score %.17g)", name, u, r.Stars[u], st, r.At(u, 0))
		}
	}
	return true
}

// randomFramework builds a framework of depth 1–5 with 1–12 children per
// parent (at most about 90 nodes, so that deep trees stay small), every
// weight given, directions ±1, goalposts and a target on every leaf.
func randomFramework(rng *rand.Rand, c int) *framework.Framework {
	depth := 1 + c%5
	nodes := 0
	var build func(prefix string, level int) []*framework.Indicator
	build = func(prefix string, level int) []*framework.Indicator {
		k := 1 + rng.IntN(12)
		if nodes+k > 90 {
			k = max(1, 90-nodes)
		}
		nodes += k
		out := make([]*framework.Indicator, k)
		for i := range out {
			code := fmt.Sprint(i + 1)
			if prefix != "" {
				code = prefix + "." + code
			}
			w := 0.1 + 2.9*rng.Float64()
			ind := &framework.Indicator{Code: code, Weight: &w}
			// a branch may stop early (about one in five), except on the
			// first child, which reaches the framework's depth
			if level < depth && (i == 0 || rng.IntN(5) > 0) && nodes < 90 {
				ind.Children = build(code, level+1)
			} else {
				lo := 100 * rng.Float64()
				target := lo + 50*rng.Float64()
				ind.Kind = framework.Quantitative
				ind.Direction = 1
				if rng.IntN(3) == 0 {
					ind.Direction = -1
				}
				ind.Goalposts = &framework.Goalposts{Low: lo, High: lo + 10 + 90*rng.Float64()}
				ind.Target = &target
			}
			out[i] = ind
		}
		return out
	}
	return &framework.Framework{ID: "diff", Version: "1", Indicators: build("", 1)}
}

// randomData draws 3–20 units: per leaf, either continuous values or a few
// repeated ones (ties, often including 0), with about 15 % missing; a leaf
// is sometimes entirely missing or constant.
func randomData(rng *rand.Rand, fw *framework.Framework) *engine.Data {
	leaves := fw.Leaves()
	n := 3 + rng.IntN(18)
	units := make([]string, n)
	for u := range units {
		units[u] = fmt.Sprint("u", u)
	}
	codes := make([]string, len(leaves))
	for j, l := range leaves {
		codes[j] = l.Code
	}
	d := engine.NewData(units, codes)
	for j := range leaves {
		mode := rng.IntN(10)
		pool := []float64{0, 25, 50, 50, 80, 100}
		for u := range units {
			var v float64
			switch {
			case mode == 0: // constant
				v = 42
			case mode < 4: // ties
				v = pool[rng.IntN(len(pool))]
			default:
				v = 100 * rng.Float64()
			}
			if rng.IntN(100) < 15 || (mode == 9 && rng.IntN(2) == 0) {
				v = math.NaN()
			}
			d.Set(u, j, v)
		}
	}
	return d
}
