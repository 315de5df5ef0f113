package weight

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

var nan = math.NaN()

// naiveEntropy is a direct transcription of the textbook formulas, kept
// independent of the one-pass implementation: preprocess into a new
// slice, form p_ij, sum −p ln p.
func naiveEntropy(cols [][]float64, dirs []float64, proportion bool, shift float64) []float64 {
	d := make([]float64, len(cols))
	for j, c := range cols {
		var y []float64
		var obs []float64
		for _, v := range c {
			if !math.IsNaN(v) {
				obs = append(obs, v)
			}
		}
		if proportion {
			y = obs
		} else {
			dir := 1.0
			if dirs != nil {
				dir = dirs[j]
			}
			y = DirectionAwareMinMax(obs, dir)
		}
		var s float64
		for i := range y {
			y[i] += shift
			s += y[i]
		}
		var h float64
		for _, v := range y {
			if p := v / s; p > 0 {
				h -= p * math.Log(p)
			}
		}
		d[j] = 1 - h/math.Log(float64(len(y)))
	}
	normaliseSum(d)
	return d
}

// Hand calculation: x1 = (1,2,3) min-maxes to (0, ½, 1), p = (0, ⅓, ⅔),
// e1 = −(⅓ ln ⅓ + ⅔ ln ⅔)/ln 3 ≈ 0.5794; x2 = (2,2,8) to (0,0,1), p =
// (0,0,1), e2 = 0. Lower-is-better x2 gives (1,1,0), e2 = ln 2/ln 3.
// Proportions of raw x1: p = (1/6, 2/6, 3/6); of raw x2: (1/6, 1/6, 4/6).
func TestEntropyHand(t *testing.T) {
	t.Parallel()
	x1 := []float64{1, 2, 3}
	x2 := []float64{2, 2, 8}
	e1 := -(math.Log(1./3)/3 + 2*math.Log(2./3)/3) / math.Log(3)
	e1p := -(math.Log(1./6)/6 + math.Log(2./6)/3 + math.Log(3./6)/2) / math.Log(3)
	e2p := -(math.Log(1./6)/3 + 2*math.Log(2./3)/3) / math.Log(3)
	e2down := math.Log(2) / math.Log(3)
	tests := []struct {
		name string
		cols [][]float64
		opt  EntropyOptions
		want []float64
	}{
		{"minmax", [][]float64{x1, x2}, EntropyOptions{}, []float64{(1 - e1) / (2 - e1), 1 / (2 - e1)}},
		{"missing skipped", [][]float64{{1, nan, 2, 3}, {2, 5, 2, 8}}, EntropyOptions{},
			naiveEntropy([][]float64{x1, {2, 5, 2, 8}}, nil, false, 0)},
		{"direction", [][]float64{x1, x2}, EntropyOptions{Directions: []float64{1, -1}},
			[]float64{(1 - e1) / (2 - e1 - e2down), (1 - e2down) / (2 - e1 - e2down)}},
		{"proportion", [][]float64{x1, x2}, EntropyOptions{Preprocess: PreprocessProportion},
			[]float64{(1 - e1p) / (2 - e1p - e2p), (1 - e2p) / (2 - e1p - e2p)}},
		{"constant gets 0", [][]float64{x1, {4, 4, 4}, x2}, EntropyOptions{},
			[]float64{(1 - e1) / (2 - e1), 0, 1 / (2 - e1)}},
	}
	for _, tc := range tests {
		got, err := Entropy(tc.cols, tc.opt)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for j := range tc.want {
			if !near(got[j], tc.want[j], 1e-12) {
				t.Errorf("%s: w[%d] = %v, want %v", tc.name, j, got[j], tc.want[j])
			}
		}
	}
}

// The one-pass implementation agrees with the textbook transcription on
// random data with missing values, directions and a shift.
func TestEntropyMatchesNaive(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	cols := make([][]float64, 8)
	dirs := make([]float64, 8)
	for j := range cols {
		cols[j] = make([]float64, 300)
		for i := range cols[j] {
			cols[j][i] = rng.ExpFloat64() * float64(j+1)
			if rng.IntN(20) == 0 {
				cols[j][i] = nan
			}
		}
		dirs[j] = 1 - 2*float64(j%2)
	}
	for _, shift := range []float64{0, 0.0001} {
		got, err := Entropy(cols, EntropyOptions{Directions: dirs, Shift: shift})
		if err != nil {
			t.Fatal(err)
		}
		want := naiveEntropy(cols, dirs, false, shift)
		for j := range want {
			if !near(got[j], want[j], 1e-12) {
				t.Errorf("shift %v: w[%d] = %v, naive %v", shift, j, got[j], want[j])
			}
		}
		got, err = Entropy(cols, EntropyOptions{Preprocess: PreprocessProportion, Shift: shift})
		if err != nil {
			t.Fatal(err)
		}
		want = naiveEntropy(cols, nil, true, shift)
		for j := range want {
			if !near(got[j], want[j], 1e-12) {
				t.Errorf("proportion shift %v: w[%d] = %v, naive %v", shift, j, got[j], want[j])
			}
		}
	}
}

func TestEntropyDetailWarningsAndErrors(t *testing.T) {
	t.Parallel()
	r, err := EntropyDetail([][]float64{{1, 2}, {3, 3}}, EntropyOptions{Codes: []string{"1.1.1", "1.1.2"}})
	if err != nil || len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "indicator 1.1.2 is constant") {
		t.Errorf("warnings %v, err %v", r.Warnings, err)
	}
	if r.Entropy[1] != 1 || r.Divergence[1] != 0 || r.Weights[0] != 1 {
		t.Errorf("detail %+v", r)
	}
	tests := []struct {
		name string
		cols [][]float64
		opt  EntropyOptions
		want string
	}{
		{"all constant", [][]float64{{1, 1}, {2, 2}}, EntropyOptions{}, "all 2 indicators are constant"},
		{"no columns", nil, EntropyOptions{}, "no indicator columns"},
		{"one observation", [][]float64{{1, nan}}, EntropyOptions{}, "column 1 has 1 observed values"},
		{"ragged", [][]float64{{1, 2}, {1}}, EntropyOptions{}, "column 2 has 1 values, want 2"},
		{"infinite", [][]float64{{1, math.Inf(1)}}, EntropyOptions{}, "column 1, unit 2: infinite"},
		{"negative proportion", [][]float64{{1, -2}}, EntropyOptions{Preprocess: PreprocessProportion}, "negative value -2"},
		{"cost proportion", [][]float64{{1, 2}}, EntropyOptions{Preprocess: PreprocessProportion, Directions: []float64{-1}}, "lower-is-better"},
		{"bad preprocess", [][]float64{{1, 2}}, EntropyOptions{Preprocess: "zscore"}, `unknown preprocessing "zscore"`},
		{"bad shift", [][]float64{{1, 2}}, EntropyOptions{Shift: -1}, "shift -1"},
		{"directions", [][]float64{{1, 2}}, EntropyOptions{Directions: []float64{1, 1}}, "2 directions for 1 columns"},
	}
	for _, tc := range tests {
		_, err := Entropy(tc.cols, tc.opt)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
}

func TestDirectionAwareMinMax(t *testing.T) {
	t.Parallel()
	tests := []struct {
		col  []float64
		dir  float64
		want []float64
	}{
		{[]float64{2, 4, nan, 6}, 1, []float64{0, 0.5, nan, 1}},
		{[]float64{2, 4, nan, 6}, -1, []float64{1, 0.5, nan, 0}},
		{[]float64{3, 3}, 1, []float64{0, 0}},
	}
	for _, tc := range tests {
		got := DirectionAwareMinMax(tc.col, tc.dir)
		for i := range tc.want {
			if !(near(got[i], tc.want[i], 1e-15) || math.IsNaN(got[i]) && math.IsNaN(tc.want[i])) {
				t.Errorf("%v dir %v: got %v, want %v", tc.col, tc.dir, got, tc.want)
				break
			}
		}
	}
}
