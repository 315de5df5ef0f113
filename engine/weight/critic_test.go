package weight

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// naiveCRITIC follows the paper step by step on an explicit normalised
// copy, with gonum/stat for σ and r: an independent path from the
// implementation, which correlates the raw columns and flips signs.
func naiveCRITIC(cols [][]float64, dirs []float64, population bool) []float64 {
	k := len(cols)
	norm := make([][]float64, k)
	sd := make([]float64, k)
	for j, c := range cols {
		norm[j] = DirectionAwareMinMax(c, dirs[j])
		var obs []float64
		for _, v := range norm[j] {
			if !math.IsNaN(v) {
				obs = append(obs, v)
			}
		}
		sd[j] = stat.StdDev(obs, nil)
		if population {
			n := float64(len(obs))
			sd[j] *= math.Sqrt((n - 1) / n)
		}
	}
	c := make([]float64, k)
	for j := range cols {
		for l := range cols {
			var x, y []float64
			for i := range norm[j] {
				if !math.IsNaN(norm[j][i]) && !math.IsNaN(norm[l][i]) {
					x, y = append(x, norm[j][i]), append(y, norm[l][i])
				}
			}
			c[j] += 1 - stat.Correlation(x, y, nil)
		}
		c[j] *= sd[j]
	}
	normaliseSum(c)
	return c
}

// Hand calculation: x1 = (0,1,2), x2 = (0,2,1), x3 = (3,2,1). Normalised
// x1' = (0,½,1), x2' = (0,1,½); σ = ½ for each (sample); r12 = ½.
// With x3 lower-is-better x3' = x1': r13 = 1, r23 = ½, so C = (¼, ½, ¼).
// With x3 higher-is-better r13 = −1, r23 = −½: C = (1.25, 1, 1.75)/4.
func TestCRITICHand(t *testing.T) {
	t.Parallel()
	cols := [][]float64{{0, 1, 2}, {0, 2, 1}, {3, 2, 1}}
	tests := []struct {
		name string
		cols [][]float64
		opt  CRITICOptions
		want []float64
	}{
		{"cost x3", cols, CRITICOptions{Directions: []float64{1, 1, -1}}, []float64{0.25, 0.5, 0.25}},
		{"all benefit", cols, CRITICOptions{}, []float64{0.3125, 0.25, 0.4375}},
		{"population sd, no missing: same weights", cols, CRITICOptions{SD: SDPopulation}, []float64{0.3125, 0.25, 0.4375}},
		{"constant column dropped", [][]float64{cols[0], {5, 5, 5}, cols[1], cols[2]}, CRITICOptions{},
			[]float64{0.3125, 0, 0.25, 0.4375}},
	}
	for _, tc := range tests {
		got, err := CRITIC(tc.cols, tc.opt)
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

func TestCRITICMatchesNaive(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(8, 9))
	const n, k = 250, 7
	cols := make([][]float64, k)
	dirs := make([]float64, k)
	for j := range cols {
		cols[j] = make([]float64, n)
		for i := range cols[j] {
			cols[j][i] = rng.NormFloat64()*float64(j+1) + 0.5*float64(j)*math.Sin(float64(i))
			if j > 3 && rng.IntN(10) == 0 {
				cols[j][i] = nan
			}
		}
		dirs[j] = []float64{1, -1}[j%2]
	}
	for _, pop := range []bool{false, true} {
		opt := CRITICOptions{Directions: dirs}
		if pop {
			opt.SD = SDPopulation
		}
		got, err := CRITIC(cols, opt)
		if err != nil {
			t.Fatal(err)
		}
		want := naiveCRITIC(cols, dirs, pop)
		for j := range want {
			if !near(got[j], want[j], 1e-12) {
				t.Errorf("population %v: w[%d] = %v, naive %v", pop, j, got[j], want[j])
			}
		}
	}
}

func TestCRITICErrors(t *testing.T) {
	t.Parallel()
	r, err := CRITICDetail([][]float64{{1, 2, 3}, {0, 0, 0}, {3, 1, 2}}, CRITICOptions{Codes: []string{"a", "b", "c"}})
	if err != nil || len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "indicator b is constant") {
		t.Errorf("warnings %v err %v", r.Warnings, err)
	}
	if !math.IsNaN(r.Correlation[1][0]) || r.Correlation[0][0] != 1 {
		t.Errorf("correlation %v", r.Correlation)
	}
	tests := []struct {
		name string
		cols [][]float64
		opt  CRITICOptions
		want string
	}{
		{"one varies", [][]float64{{1, 2}, {3, 3}}, CRITICOptions{}, "1 of 2 indicators vary"},
		{"no overlap", [][]float64{{1, 2, nan, nan}, {nan, nan, 3, 4}}, CRITICOptions{Codes: []string{"x", "y"}},
			"correlation of indicator x and indicator y is undefined"},
		{"perfectly correlated", [][]float64{{1, 2, 3}, {2, 4, 6}}, CRITICOptions{}, "perfectly correlated"},
		{"bad sd", [][]float64{{1, 2}}, CRITICOptions{SD: "mad"}, `unknown standard deviation "mad"`},
	}
	for _, tc := range tests {
		_, err := CRITIC(tc.cols, tc.opt)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want it to contain %q", tc.name, err, tc.want)
		}
	}
}
