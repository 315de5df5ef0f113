package weight

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestParseJudgement(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want float64
		err  string
	}{
		{"3", 3, ""},
		{" 0.5 ", 0.5, ""},
		{"1/3", 1.0 / 3, ""},
		{"1 / 7", 1.0 / 7, ""},
		{"2.5/5", 0.5, ""},
		{"1e1", 10, ""},
		{"", 0, "empty"},
		{"1/0", 0, "divides by zero"},
		{"a/3", 0, "not a number or fraction"},
		{"1/3/4", 0, "not a number or fraction"},
		{"0x1p2", 0, "not a number or fraction"},
		{"Inf", 0, "not a number or fraction"},
		{"1e999", 0, "not a number or fraction"},
		{"三", 0, "not a number or fraction"},
	} {
		got, err := ParseJudgement(tc.in)
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("ParseJudgement(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err) || !errors.Is(err, ErrJudgement)):
			t.Errorf("ParseJudgement(%q) error %v, want %q", tc.in, err, tc.err)
		}
	}
}

// 0.3333 for 1/3 used to be refused as "not reciprocal" (product 0.9999).
// Within the tolerance the lower triangle is replaced by the exact
// reciprocal of the upper triangle, and the replacement is reported.
func TestReciprocalMatrixRepairsRoundedReciprocals(t *testing.T) {
	t.Parallel()
	typed := [][]float64{
		{1, 3, 8},
		{0.3333, 1, 2},
		{0.13, 0.5, 1},
	}
	got, adj, err := ReciprocalMatrix(typed, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{{1, 3, 8}, {1.0 / 3, 1, 2}, {1.0 / 8, 0.5, 1}}
	for i := range want {
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Errorf("entry %d,%d = %v, want %v", i+1, j+1, got[i][j], want[i][j])
			}
		}
	}
	if typed[1][0] != 0.3333 {
		t.Errorf("input modified")
	}
	if len(adj) != 2 || adj[0].String() != "a[2][1] = 0.3333 taken as 1/3" || adj[1].String() != "a[3][1] = 0.13 taken as 1/8" {
		t.Errorf("adjustments %v", adj)
	}
	if err := ValidatePairwise(got, nil); err != nil {
		t.Errorf("repaired matrix not exact: %v", err)
	}
	// Exact reciprocals typed as fractions need no adjustment.
	if _, adj, _ := ReciprocalMatrix([][]float64{{1, 7}, {1.0 / 7, 1}}, nil); len(adj) != 0 {
		t.Errorf("exact reciprocal adjusted: %v", adj)
	}
	// Judgements that disagree are refused: 3 against 1/2.
	_, _, err = ReciprocalMatrix([][]float64{{1, 3}, {0.5, 1}}, []string{"A", "B"})
	var me *MatrixError
	if !errors.As(err, &me) || me.Row != 1 || me.Col != 2 || !strings.Contains(err.Error(), "(A vs B): not reciprocal") || !strings.Contains(err.Error(), "within 5 %") {
		t.Errorf("disagreeing pair: %v", err)
	}
	// The tolerance is relative to the product: 4.9 % in, 5.1 % out.
	if _, _, err := ReciprocalMatrix([][]float64{{1, 2}, {0.5 * 1.049, 1}}, nil); err != nil {
		t.Errorf("4.9 %%: %v", err)
	}
	if _, _, err := ReciprocalMatrix([][]float64{{1, 2}, {0.5 * 1.051, 1}}, nil); err == nil {
		t.Errorf("5.1 %% accepted")
	}
	if _, _, err := ReciprocalMatrix([][]float64{{1, 3, 5}, {1. / 3, 1, 3}}, nil); err == nil || !strings.Contains(err.Error(), "not square (2×3)") {
		t.Errorf("2×3: %v", err)
	}
	if _, _, err := ReciprocalMatrix([][]float64{{1, 2}, {0.5, math.NaN()}}, nil); err == nil {
		t.Errorf("NaN accepted")
	}
}
