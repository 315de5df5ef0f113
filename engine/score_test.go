package engine

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/sceval/sceval/framework"
)

// expertFlat is a one-level framework of expert leaves: scores pass through,
// so aggregation can be checked on chosen numbers.
func expertFlat(codes ...string) *framework.Framework {
	fw := flat(codes...)
	for _, ind := range fw.Indicators {
		ind.Kind = framework.Expert
	}
	return fw
}

// Two units of expert scores, hand-calculated for each aggregation.
func TestAggregations(t *testing.T) {
	fw := expertFlat("a", "b")
	d := dataOf([]string{"a", "b"}, []float64{25, 100}, []float64{60, 95})
	tests := []struct {
		method string
		want   []float64
	}{
		{AggArithmetic, []float64{62.5, 77.5}},
		{AggGeometric, []float64{50, math.Sqrt(60 * 95)}},
		{AggHarmonic, []float64{40, 2 / (1.0/60 + 1.0/95)}},
		// fuzzy, default grades: 25 → 差; 100 → 优: B = (.5, 0, 0, .5) → 62.5;
		// 60 → 差 .5, 中 .5; 95 → 优 1: B = (.25, .25, 0, .5) → 71.875.
		{AggFuzzy, []float64{62.5, 71.875}},
	}
	for _, tc := range tests {
		s := DefaultScheme()
		s.Aggregation.Method = tc.method
		r := mustScore(t, fw, d, s)
		assertNear(t, tc.method, column(r, "flat"), tc.want, 1e-9)
	}
}

// TOPSIS by hand: x = (1,2), (2,1), (3,3), equal weights. Both columns have
// norm √14; v = x/(2√14); A⁺ = (3,3)/(2√14), A⁻ = (1,1)/(2√14). Unit 1:
// d⁺ = √5·k, d⁻ = 1·k, C = 1/(1+√5) = 0.309017; unit 2 alike; unit 3 is the
// ideal: C = 1.
func TestTOPSIS(t *testing.T) {
	fw := expertFlat("a", "b")
	d := dataOf([]string{"a", "b"}, []float64{1, 2}, []float64{2, 1}, []float64{3, 3})
	s := DefaultScheme()
	s.Aggregation.Method = AggTOPSIS
	r := mustScore(t, fw, d, s)
	c := 100 / (1 + math.Sqrt(5))
	assertNear(t, "topsis", column(r, "flat"), []float64{c, c, 100}, 1e-9)
	if got := r.Rank[0*3+0]; got != 2 {
		t.Errorf("rank of unit 1 = %d, want 2 (tied with unit 2)", got)
	}
}

// Geometric and harmonic means count a score of 0 as ZeroFloor = 0.01
// (hand-calculated below) and say so in a warning with counts; negative
// scores are an error naming the unit and the indicator.
func TestGeometricZeroAndNegative(t *testing.T) {
	fw := flat("a", "b")
	// min-max: a → 0, 100, 50; b → 50, 0, 100
	d := dataOf([]string{"a", "b"}, []float64{0, 7}, []float64{10, 5}, []float64{5, 9})
	want := map[string][]float64{
		AggGeometric: {math.Sqrt(0.01 * 50), math.Sqrt(100 * 0.01), math.Sqrt(50 * 100)},
		AggHarmonic:  {2 / (1/0.01 + 1.0/50), 2 / (1.0/100 + 1/0.01), 2 / (1.0/50 + 1.0/100)},
	}
	for _, m := range []string{AggGeometric, AggHarmonic} {
		s := DefaultScheme()
		s.Aggregation.Method = m
		r := mustScore(t, fw, d, s)
		assertNear(t, m, column(r, "flat"), want[m], 1e-12)
		msg := m + ": 2 child score(s) of 0 in 2 unit(s) counted as 0.01"
		if !slices.ContainsFunc(r.Warnings, func(w string) bool { return strings.HasPrefix(w, msg) }) {
			t.Errorf("%s: warnings %q lack %q", m, r.Warnings, msg)
		}
		// Plain z-scores are refused before scoring (IncompatibleError)…
		s.Normalisation = Normalisation{Method: NormZScore}
		_, err := Score(fw, d, s)
		var ie *IncompatibleError
		if !errors.As(err, &ie) || ie.Where != "indicator a" || !strings.Contains(err.Error(), "zscore:50,10") {
			t.Errorf("%s of z-scores: want an IncompatibleError naming indicator a, got %v", m, err)
		}
		// … and any other negative score when it is met.
		s.Normalisation = Normalisation{Method: NormPassthrough}
		_, err = Score(fw, dataOf([]string{"a", "b"}, []float64{3, 5}, []float64{-2, 7}), s)
		if err == nil || !strings.Contains(err.Error(), "unit u2, indicator a") {
			t.Errorf("%s of a negative score: want an error naming unit and indicator, got %v", m, err)
		}
	}
}

// Min-max, renormalised weights for a missing value, coverage, ranks,
// contributions and stars on a hand-calculated two-indicator example.
func TestScoreFlat(t *testing.T) {
	fw := flat("a", "b")
	d := dataOf([]string{"a", "b"},
		[]float64{10, 1}, []float64{20, nan}, []float64{30, 3}, []float64{40, 5})
	r := mustScore(t, fw, d, DefaultScheme())
	// a → 0, 33.3, 66.7, 100; b → 0, –, 50, 100; overall = mean of present
	assertNear(t, "a", column(r, "a"), []float64{0, 100.0 / 3, 200.0 / 3, 100}, 1e-9)
	assertNear(t, "b", column(r, "b"), []float64{0, nan, 50, 100}, 1e-9)
	assertNear(t, "overall", column(r, "flat"), []float64{0, 100.0 / 3, 175.0 / 3, 100}, 1e-9)
	ranks := []int32{r.RankAt(0, 0), r.RankAt(1, 0), r.RankAt(2, 0), r.RankAt(3, 0)}
	if ranks[0] != 4 || ranks[1] != 3 || ranks[2] != 2 || ranks[3] != 1 {
		t.Errorf("ranks = %v", ranks)
	}
	if got := r.RankAt(1, 2); got != 0 {
		t.Errorf("rank of a missing value = %d, want 0", got)
	}
	m := len(r.Nodes)
	if got := r.Coverage[1*m+0]; got != 0.5 {
		t.Errorf("coverage of unit 2 = %g, want 0.5", got)
	}
	// unit 3: a contributes 0.5·66.7/58.3 = 4/7, b 3/7
	if a, b := r.Contribution[2*m+1], r.Contribution[2*m+2]; !near(a, 4.0/7, 1e-12) || !near(b, 3.0/7, 1e-12) {
		t.Errorf("contributions = %g, %g, want 4/7, 3/7", a, b)
	}
	if got := r.Contribution[1*m+1]; got != 1 {
		t.Errorf("contribution of the only present child = %g, want 1", got)
	}
	wantStars := []int{0, 0, 0, 3}
	for u, s := range r.Stars {
		if s != wantStars[u] {
			t.Errorf("stars = %v, want %v", r.Stars, wantStars)
			break
		}
	}
	if r.Weights[1] != 0.5 || r.EffectiveWeights[2] != 0.5 {
		t.Errorf("weights = %v, effective %v", r.Weights, r.EffectiveWeights)
	}
}

func TestStars(t *testing.T) {
	got := stars([]float64{59.99, 60, 74.9, 75, 89.99, 90, 100, nan}, Rating{Thresholds: DefaultStarThresholds()})
	want := []int{0, 1, 1, 2, 2, 3, 3, -1}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("stars = %v, want %v", got, want)
		}
	}
}

// The threshold rule drops a parent whose coverage is below MinCoverage.
func TestThresholdRule(t *testing.T) {
	fw := expertFlat("a", "b", "c", "d")
	d := dataOf([]string{"a", "b", "c", "d"}, []float64{80, nan, nan, 40}, []float64{80, 60, nan, 40})
	s := DefaultScheme()
	s.Aggregation = Aggregation{Method: AggArithmetic, Missing: MissingThreshold, MinCoverage: 0.75}
	r := mustScore(t, fw, d, s)
	assertNear(t, "overall", column(r, "flat"), []float64{nan, 60}, 1e-12)
	if r.Stars[0] != -1 {
		t.Errorf("stars of a missing overall = %d, want -1", r.Stars[0])
	}
}

// A 4-level framework with manual weights: effective weights are the
// products along the path and the overall score is Σ eff_w·leaf.
func TestFourLevels(t *testing.T) {
	leaf := func(c string) *framework.Indicator {
		return &framework.Indicator{Code: c, Kind: framework.Expert}
	}
	fw := &framework.Framework{ID: "deep", Indicators: []*framework.Indicator{
		{Code: "1", Children: []*framework.Indicator{
			{Code: "1.1", Children: []*framework.Indicator{
				{Code: "1.1.1", Children: []*framework.Indicator{leaf("1.1.1.1"), leaf("1.1.1.2")}},
				leaf("1.1.2"),
			}},
			leaf("1.2"),
		}},
		leaf("2"),
	}}
	d := dataOf([]string{"1.1.1.1", "1.1.1.2", "1.1.2", "1.2", "2"}, []float64{100, 0, 50, 20, 80})
	s := DefaultScheme()
	s.Weighting = Weighting{Method: WeightManual, Weights: map[string]float64{"1": 3, "2": 1, "1.1.1.1": 1, "1.1.1.2": 3}}
	r := mustScore(t, fw, d, s)
	// eff: 1.1.1.1 = .75·.5·.5·.25, 1.1.1.2 = .75·.5·.5·.75, 1.1.2 = .75·.5·.5, 1.2 = .75·.5, 2 = .25
	want := 100*0.75*0.5*0.5*0.25 + 50*0.75*0.5*0.5 + 20*0.75*0.5 + 80*0.25
	if got := r.At(0, 0); !near(got, want, 1e-9) {
		t.Errorf("overall = %g, want %g", got, want)
	}
	if got := r.EffectiveWeights[r.NodeIndex("1.1.1.2")]; !near(got, 0.75*0.5*0.5*0.75, 1e-12) {
		t.Errorf("effective weight = %g", got)
	}
	if r.Nodes[r.NodeIndex("1.1.1.1")].Level != 4 || r.Nodes[0].Parent != -1 {
		t.Errorf("nodes = %+v", r.Nodes)
	}
}

// Properties on the seed-shaped framework: weights sum to 1 among siblings,
// and a unit that is best on every indicator ranks first at every level.
func TestSeedShapeProperties(t *testing.T) {
	fw := seedShape()
	d := Synthetic(fw, 300, 7)
	best := 0
	for j := range d.Codes {
		ind := fw.Lookup(d.Codes[j])
		var v float64
		switch {
		case ind.Kind == framework.Rubric:
			v = 4
		case ind.Kind == framework.Expert:
			v = 100
		case ind.Direction < 0:
			v = -1e9
		default:
			v = 1e9
		}
		d.Set(best, j, v)
	}
	for _, m := range aggregationMethods {
		s := DefaultScheme()
		s.Aggregation.Method = m
		r := mustScore(t, fw, d, s)
		for k := range r.Nodes {
			if got := r.RankAt(best, k); got != 1 {
				t.Errorf("%s: dominating unit ranks %d at %s", m, got, r.Nodes[k].Code)
			}
			if ch := r.Nodes[k].Children; len(ch) > 0 {
				sum := 0.0
				for _, c := range ch {
					sum += r.Weights[c]
				}
				if !near(sum, 1, 1e-12) {
					t.Errorf("%s: weights under %s sum to %g", m, r.Nodes[k].Code, sum)
				}
			}
		}
	}
}

func TestScoreDeterministicHash(t *testing.T) {
	fw := seedShape()
	d := Synthetic(fw, 200, 3)
	a := mustScore(t, fw, d, DefaultScheme())
	b := mustScore(t, fw, d, DefaultScheme())
	if a.Hash != b.Hash || len(a.Hash) != 64 {
		t.Fatalf("hash not stable: %s %s", a.Hash, b.Hash)
	}
	s := DefaultScheme()
	s.Aggregation.Method = AggGeometric
	c := mustScore(t, fw, d, s)
	if c.Hash == a.Hash {
		t.Fatal("hash ignores the scheme")
	}
}

func TestOverrides(t *testing.T) {
	fw := flat("a", "b")
	fw.Indicators[1].Goalposts = &framework.Goalposts{Low: 0, High: 10}
	d := dataOf([]string{"a", "b"}, []float64{1, 5}, []float64{3, 20})
	s := DefaultScheme()
	s.Overrides = []Override{{Codes: []string{"b"}, Normalisation: &Normalisation{Method: NormGoalposts}}}
	r := mustScore(t, fw, d, s)
	assertNear(t, "b", column(r, "b"), []float64{50, 100}, 1e-12)
	s.Overrides = []Override{{Codes: []string{"nope"}, Normalisation: &Normalisation{Method: NormRank}}}
	if _, err := Score(fw, d, s); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Fatalf("unknown override code: %v", err)
	}
}

// An override that applies to nothing is an error naming it, not a no-op:
// a level the framework does not have, an aggregation for a level of
// leaves, a normalisation for a parent.
func TestOverridesThatChangeNothing(t *testing.T) {
	fw := seedShape()
	ones := func() []float64 { // level 1 of the rubric leaves, 1 elsewhere
		v := make([]float64, len(fw.Leaves()))
		for i := range v {
			v[i] = 1
		}
		return v
	}
	d := dataOf(leafCodes(fw), ones(), ones())
	gmean := &Aggregation{Method: AggGeometric, Missing: MissingRenormalise}
	rank := &Normalisation{Method: NormRank}
	parent := fw.Indicators[0].Code
	depth := fw.Depth()
	tests := []struct {
		o    Override
		want string
	}{
		{Override{Level: depth + 3, Aggregation: gmean}, fmt.Sprintf("overrides[0].level: framework %s has no level %d", fw.ID, depth+3)},
		{Override{Level: depth, Aggregation: gmean}, "overrides[0].aggregation: changes nothing"},
		{Override{Codes: []string{parent}, Normalisation: rank}, "overrides[0].normalisation: changes nothing"},
	}
	for _, tc := range tests {
		s := DefaultScheme()
		s.Overrides = []Override{tc.o}
		if _, err := Score(fw, d, s); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: want %q, got %v", tc.o, tc.want, err)
		}
	}
	// A parent and a leaf together: each part applies to one of them.
	s := DefaultScheme()
	s.Overrides = []Override{{Codes: []string{parent, fw.Leaves()[0].Code}, Normalisation: rank, Aggregation: gmean}}
	mustScore(t, fw, d, s)
}

func leafCodes(fw *framework.Framework) []string {
	var codes []string
	for _, l := range fw.Leaves() {
		codes = append(codes, l.Code)
	}
	return codes
}

// Edge cases: no units; a leaf without a data column; an extra column.
func TestScoreEdges(t *testing.T) {
	fw := flat("a", "b")
	r := mustScore(t, fw, NewData(nil, []string{"a", "b"}), DefaultScheme())
	if len(r.Score) != 0 || len(r.Nodes) != 3 {
		t.Fatalf("empty data: %d scores, %d nodes", len(r.Score), len(r.Nodes))
	}
	d := dataOf([]string{"a", "zz"}, []float64{1, 5}, []float64{3, 6})
	r = mustScore(t, fw, d, DefaultScheme())
	joined := strings.Join(r.Warnings, "\n")
	if !strings.Contains(joined, "indicator b: no column") || !strings.Contains(joined, "data column zz") {
		t.Errorf("warnings = %q", r.Warnings)
	}
	assertNear(t, "overall", column(r, "flat"), []float64{0, 100}, 1e-12)
	if r.Nodes[r.NodeIndex("b")].Column != -1 || r.Coverage[0*3+0] != 0.5 {
		t.Errorf("column %d, coverage %g", r.Nodes[r.NodeIndex("b")].Column, r.Coverage[0])
	}
}

// A 2-level framework by hand: A = (a1, a2) with weights 3:1, B = (b1);
// top weights equal. Unit 1: A = .75·80 + .25·40 = 70, B = 50, overall 60.
// Unit 2 lacks a1: A = a2 = 100 (renormalised), overall (100 + 0)/2 = 50.
func TestTwoLevels(t *testing.T) {
	w3, w1 := 3.0, 1.0
	fw := &framework.Framework{ID: "two", Indicators: []*framework.Indicator{
		{Code: "A", Children: []*framework.Indicator{
			{Code: "a1", Kind: framework.Expert, Weight: &w3},
			{Code: "a2", Kind: framework.Expert, Weight: &w1},
		}},
		{Code: "B", Children: []*framework.Indicator{{Code: "b1", Kind: framework.Expert}}},
	}}
	d := dataOf([]string{"a1", "a2", "b1"}, []float64{80, 40, 50}, []float64{nan, 100, 0})
	r := mustScore(t, fw, d, DefaultScheme())
	assertNear(t, "A", column(r, "A"), []float64{70, 100}, 1e-12)
	assertNear(t, "overall", column(r, "two"), []float64{60, 50}, 1e-12)
	m := len(r.Nodes)
	// coverage of unit 2: A = .25 (a2 only), overall = .5·.25 + .5·1 = .625
	if a, all := r.Coverage[1*m+r.NodeIndex("A")], r.Coverage[1*m]; a != 0.25 || all != 0.625 {
		t.Errorf("coverage A %g, overall %g", a, all)
	}
	if got := r.Rank[0*m+r.NodeIndex("B")]; got != 1 {
		t.Errorf("rank on B = %d", got)
	}
	// stars: 60 → 1★, 50 → 0
	if r.Stars[0] != 1 || r.Stars[1] != 0 {
		t.Errorf("stars %v", r.Stars)
	}
}
