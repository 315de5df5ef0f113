package engine

import (
	"strings"
	"testing"
)

// Fractions used to work in a matrix CSV but not in a scheme file; a
// parent judged by one expert may give the matrix itself; 0.3333 for 1/3
// is taken as the exact reciprocal, with a warning.
func TestSchemeAHPFractions(t *testing.T) {
	src := `weighting:
  method: ahp
  ahp:
    flat:
      - [1, 3]
      - [0.3333, 1]
`
	s, err := ParseScheme("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Weighting.AHP["flat"]; len(got) != 1 || got[0][0][1] != 3 || got[0][1][0] != 0.3333 {
		t.Fatalf("parsed %v", s.Weighting.AHP)
	}
	fw := expertFlat("a", "b")
	d := dataOf([]string{"a", "b"}, []float64{80, 40}, []float64{20, 60})
	r := mustScore(t, fw, d, s)
	// [[1,3],[1/3,1]] has the eigenvector (3/4, 1/4) exactly.
	assertNear(t, "weights", r.Weights, []float64{1, 0.75, 0.25}, 1e-12)
	if w := strings.Join(r.Warnings, "\n"); !strings.Contains(w, "expert 1: a[2][1] = 0.3333 taken as 1/3") {
		t.Errorf("warnings %q", w)
	}

	group := `weighting:
  method: ahp
  ahp:
    "":
      - [[1, 1/3], [3, 1]]
      - [[1, "1/3"], ["3", 1]]
`
	s, err = ParseScheme("g.yaml", []byte(group))
	if err != nil {
		t.Fatal(err)
	}
	r = mustScore(t, fw, d, s)
	assertNear(t, "weights", r.Weights, []float64{1, 0.25, 0.75}, 1e-12)
	for _, w := range r.Warnings {
		if strings.Contains(w, "taken as") {
			t.Errorf("exact fractions adjusted: %s", w)
		}
	}
}

func TestSchemeAHPErrors(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"bad entry", "weighting:\n  method: ahp\n  ahp:\n    x:\n      - [1, 3]\n      - [1/0, 1]\n",
			`s.yaml:6: weighting.ahp.x: expert 1: row 2, column 1: "1/0" divides by zero`},
		{"text", "weighting:\n  method: ahp\n  ahp:\n    x: [[1, three], [1/3, 1]]\n",
			`s.yaml:4: weighting.ahp.x: expert 1: row 1, column 2: "three" is not a number or fraction such as 1/3`},
		{"not square", "weighting:\n  method: ahp\n  ahp:\n    x:\n      - [1, 3, 5]\n      - [1/3, 1, 3]\n",
			`s.yaml:4: weighting.ahp.x: expert 1: not square (2×3)`},
		{"not a mapping", "weighting:\n  method: ahp\n  ahp: [1, 2]\n", `s.yaml:3: weighting.ahp: want matrices by parent code`},
	} {
		_, err := ParseScheme("s.yaml", []byte(tc.src))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}
