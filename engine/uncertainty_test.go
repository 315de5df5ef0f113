package engine

import (
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// R: quantile(1:10, c(.05, .5, .95)) = 1.45, 5.5, 9.55.
func TestQuantile7(t *testing.T) {
	x := []int32{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	for _, c := range []struct{ p, want float64 }{{0.05, 1.45}, {0.5, 5.5}, {0.95, 9.55}, {0, 1}, {1, 10}} {
		if got := quantile7(x, c.p); !near(got, c.want, 1e-12) {
			t.Errorf("quantile(%g) = %g, want %g", c.p, got, c.want)
		}
	}
	v := []int32{9, 3, 3, 7, 1000, 5}
	sortRanks(v, nil) // wide range: comparison sort
	if !reflect.DeepEqual(v, []int32{3, 3, 5, 7, 9, 1000}) {
		t.Errorf("sortRanks = %v", v)
	}
	w := []int32{9, 3, 3, 7, 5, 4, 8}
	sortRanks(w, nil) // narrow range: counting sort
	if !reflect.DeepEqual(w, []int32{3, 3, 4, 5, 7, 8, 9}) {
		t.Errorf("sortRanks = %v", w)
	}
}

func uncertaintyConfig(runs, workers int) UncertaintyConfig {
	return UncertaintyConfig{
		Runs: runs, Seed: 42, Workers: workers, WeightNoise: 0.25,
		Normalisations: []Normalisation{{Method: NormMinMax}, {Method: NormRank}, {Method: NormGoalposts}},
		Aggregations:   []Aggregation{{Method: AggArithmetic}, {Method: AggGeometric}},
		ExcludeOne:     true,
	}
}

// The same seed gives identical output for 1 and 2 workers.
func TestUncertaintyDeterministic(t *testing.T) {
	fw := seedShape()
	for _, l := range fw.Leaves() {
		if l.Kind == "quantitative" {
			l.Goalposts = goalposts(0, 300)
		}
	}
	d := Synthetic(fw, 500, 11)
	a, err := Uncertainty(fw, d, DefaultScheme(), uncertaintyConfig(120, 1))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Uncertainty(fw, d, DefaultScheme(), uncertaintyConfig(120, 2))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatal("Workers=1 and Workers=2 differ")
	}
	if a.Runs != 120 || a.N != 20 || len(a.Indices) != 4 {
		t.Fatalf("runs %d, N %d, indices %v", a.Runs, a.N, a.Indices)
	}
	r := mustScore(t, fw, d, DefaultScheme())
	for u := range a.Nominal {
		if a.Nominal[u] != r.RankAt(u, 0) {
			t.Fatalf("nominal rank of unit %d = %d, Score says %d", u, a.Nominal[u], r.RankAt(u, 0))
		}
		if !(a.P05[u] <= a.Median[u] && a.Median[u] <= a.P95[u]) {
			t.Fatalf("unit %d: quantiles out of order %g %g %g", u, a.P05[u], a.Median[u], a.P95[u])
		}
	}
	for _, ix := range a.Indices {
		if math.IsNaN(ix.First) || math.IsNaN(ix.Total) || ix.Total < 0 {
			t.Errorf("index %+v", ix)
		}
	}
}

// Only the weights vary, with no noise left in the other inputs: the
// normalisation alternative that is never drawn must get zero indices, and
// units' quantiles collapse to the nominal rank when noise is tiny.
func TestUncertaintySingleInput(t *testing.T) {
	fw := seedShape()
	d := Synthetic(fw, 200, 5)
	cfg := UncertaintyConfig{Runs: 30, Seed: 1, WeightNoise: 1e-12}
	rep, err := Uncertainty(fw, d, DefaultScheme(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for u := range rep.Nominal {
		if rep.Median[u] != float64(rep.Nominal[u]) || rep.P05[u] != rep.P95[u] {
			t.Fatalf("unit %d: nominal %d, quantiles %g %g %g", u, rep.Nominal[u], rep.P05[u], rep.Median[u], rep.P95[u])
		}
	}
	if _, err := Uncertainty(fw, d, DefaultScheme(), UncertaintyConfig{Runs: 100}); err == nil {
		t.Fatal("nothing uncertain: want an error")
	}
	if _, err := Uncertainty(fw, d, DefaultScheme(), UncertaintyConfig{Runs: 5, WeightNoise: 0.1}); err == nil {
		t.Fatal("too few runs: want an error")
	}
}

// Batching runs that share a leaf set does not change a single bit.
func TestUncertaintyBatching(t *testing.T) {
	fw := seedShape()
	d := Synthetic(fw, 300, 4)
	cfg := uncertaintyConfig(90, 2)
	cfg.Normalisations = []Normalisation{{Method: NormMinMax}, {Method: NormRank}}
	cfg.Aggregations = []Aggregation{{Method: AggArithmetic}, {Method: AggGeometric}, {Method: AggHarmonic}, {Method: AggTOPSIS}}
	reports := make([]*UncertaintyReport, 2)
	for k, size := range []int{1, batchSize} {
		u, err := newUncertainty(fw, d, DefaultScheme(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		u.batch = size
		if err := u.runAll(); err != nil {
			t.Fatal(err)
		}
		reports[k] = u.report()
	}
	if !reflect.DeepEqual(reports[0], reports[1]) {
		t.Fatal("batched and unbatched runs differ")
	}
}

// Both rank stores (uint16 below 65,536 units, int32 above) give the same
// quantiles.
func TestRankStore(t *testing.T) {
	const runs, n = 5, 3
	ranks := [][]int32{{1, 2, 3}, {2, 1, 3}, {3, 1, 0}, {1, 3, 2}, {1, 2, 3}}
	small := newRankStore(runs, n)
	big := rankStore{r32: make([]int32, runs*n)}
	for r, rk := range ranks {
		small.put(r, rk)
		big.put(r, rk)
	}
	if small.r16 == nil || newRankStore(1, 70000).r32 == nil {
		t.Fatal("wrong store chosen")
	}
	a := &UncertaintyReport{Median: make([]float64, n), P05: make([]float64, n), P95: make([]float64, n)}
	b := &UncertaintyReport{Median: make([]float64, n), P05: make([]float64, n), P95: make([]float64, n)}
	rankQuantiles(small, runs, n, 0, n, a)
	rankQuantiles(big, runs, n, 0, n, b)
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("stores differ: %+v %+v", a, b)
	}
	// unit 3: ranks 3, 3, 2, 3 (one run missing): median 3, P05 = 2 + 0.15·1 = 2.15
	if a.Median[2] != 3 || !near(a.P05[2], 2.15, 1e-12) || a.P95[2] != 3 {
		t.Errorf("unit 3: %g %g %g", a.P05[2], a.Median[2], a.P95[2])
	}
}

// Data-driven weights with noise, the threshold rule, imputation
// alternatives and TOPSIS/fuzzy draws run and stay deterministic.
func TestUncertaintyVariants(t *testing.T) {
	fw := seedShape()
	d := Synthetic(fw, 250, 9)
	s := DefaultScheme()
	s.Weighting.Method = WeightEntropy
	s.Aggregation = Aggregation{Method: AggArithmetic, Missing: MissingThreshold, MinCoverage: 0.9}
	cfg := UncertaintyConfig{Runs: 70, Seed: 3, WeightNoise: 0.2, ExcludeOne: true,
		Imputations:  []Imputation{{Method: ImputeNone}, {Method: ImputeMean}, {Method: ImputeGroupMean, Group: "province"}},
		Aggregations: []Aggregation{{Method: AggTOPSIS}, {Method: AggFuzzy}, {Method: AggArithmetic, Missing: MissingThreshold, MinCoverage: 0.8}},
	}
	var reps []*UncertaintyReport
	for _, w := range []int{1, 2} {
		cfg.Workers = w
		rep, err := Uncertainty(fw, d, s, cfg)
		if err != nil {
			t.Fatal(err)
		}
		reps = append(reps, rep)
	}
	if !reflect.DeepEqual(reps[0], reps[1]) {
		t.Fatal("Workers=1 and Workers=2 differ")
	}
	if len(reps[0].Indices) != 4 {
		t.Fatalf("indices %+v", reps[0].Indices)
	}
	cfg.Imputations = []Imputation{{Method: "mode"}}
	if _, err := Uncertainty(fw, d, s, cfg); err == nil {
		t.Fatal("unknown imputation: want an error")
	}
}

// The gmean/z-score rule applies to an analysis's alternatives (API callers
// included), before any run; leaf scores of 0 are reported with counts.
func TestUncertaintyPositiveMeans(t *testing.T) {
	fw := flat("a", "b")
	d := dataOf([]string{"a", "b"}, []float64{1, 2}, []float64{3, 1}, []float64{2, 5}, []float64{4, 4})
	_, err := Uncertainty(fw, d, DefaultScheme(), UncertaintyConfig{Runs: 40, Seed: 1,
		Normalisations: []Normalisation{{Method: NormMinMax}, {Method: NormZScore}},
		Aggregations:   []Aggregation{{Method: AggArithmetic}, {Method: AggGeometric}}})
	var ie *IncompatibleError
	if !errors.As(err, &ie) || ie.Where != "alternatives: normalisation 2 of 2 with aggregation 2 of 2" {
		t.Fatalf("want an IncompatibleError for zscore with gmean, got %v", err)
	}
	rep, err := Uncertainty(fw, d, DefaultScheme(), UncertaintyConfig{Runs: 40, Seed: 1,
		Aggregations: []Aggregation{{Method: AggArithmetic}, {Method: AggGeometric}}})
	if err != nil {
		t.Fatal(err)
	}
	// min-max: a → 0, 66.7, 33.3, 100; b → 25, 0, 100, 75
	want := "2 leaf score(s) of 0 in 2 unit(s): runs that aggregate by gmean or hmean count them as 0.01"
	if !slices.ContainsFunc(rep.Warnings, func(w string) bool { return strings.HasPrefix(w, want) }) {
		t.Errorf("warnings %q lack %q", rep.Warnings, want)
	}
}
