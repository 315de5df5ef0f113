package engine

import (
	"fmt"
	"math"
	"testing"

	"github.com/sceval/sceval/framework"
)

// seedShape builds a framework with the seed's shape: 4 first-level, 11
// second-level and 57 third-level indicators (DESIGN §1), all quantitative
// with equal weights; a few leaves are rubric, expert or lower-is-better.
func seedShape() *framework.Framework {
	groups := [][]int{{5, 3, 3}, {8, 8}, {4, 8, 11}, {2, 2, 3}}
	fw := &framework.Framework{ID: "mohurd-2012-shape", Version: "test"}
	for a, subs := range groups {
		top := &framework.Indicator{Code: fmt.Sprint(a + 1)}
		for b, leaves := range subs {
			mid := &framework.Indicator{Code: fmt.Sprintf("%d.%d", a+1, b+1)}
			for c := range leaves {
				leaf := &framework.Indicator{Code: fmt.Sprintf("%d.%d.%d", a+1, b+1, c+1), Kind: framework.Quantitative}
				switch {
				case c == 0 && b == 0:
					leaf.Kind = framework.Rubric
					leaf.Rubric = []framework.RubricLevel{{Score: 0}, {Score: 40}, {Score: 70}, {Score: 100}}
				case c == 1 && a == 2:
					leaf.Kind = framework.Expert
				case c == 2:
					leaf.Direction = -1
				}
				mid.Children = append(mid.Children, leaf)
			}
			top.Children = append(top.Children, mid)
		}
		fw.Indicators = append(fw.Indicators, top)
	}
	return fw
}

// flat builds a one-level framework of quantitative leaves with the codes.
func flat(codes ...string) *framework.Framework {
	fw := &framework.Framework{ID: "flat"}
	for _, c := range codes {
		fw.Indicators = append(fw.Indicators, &framework.Indicator{Code: c, Kind: framework.Quantitative})
	}
	return fw
}

// dataOf builds Data from rows.
func dataOf(codes []string, rows ...[]float64) *Data {
	units := make([]string, len(rows))
	for i := range rows {
		units[i] = fmt.Sprintf("u%d", i+1)
	}
	d := NewData(units, codes)
	for i, r := range rows {
		for j, v := range r {
			d.Set(i, j, v)
		}
	}
	return d
}

var nan = math.NaN()

func near(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol
}

func assertNear(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: len %d, want %d", what, len(got), len(want))
	}
	for i := range got {
		if !near(got[i], want[i], tol) {
			t.Errorf("%s[%d] = %.10g, want %.10g", what, i, got[i], want[i])
		}
	}
}

// column returns node code's scores across units.
func column(r *Result, code string) []float64 {
	k := r.NodeIndex(code)
	out := make([]float64, len(r.Units))
	for u := range out {
		out[u] = r.At(u, k)
	}
	return out
}

func mustScore(t *testing.T, fw *framework.Framework, d *Data, s *Scheme) *Result {
	t.Helper()
	r, err := Score(fw, d, s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func goalposts(lo, hi float64) *framework.Goalposts { return &framework.Goalposts{Low: lo, High: hi} }
