package framework

import (
	"math"
	"strings"
	"testing"
)

// TestValidateInCode checks frameworks built in code: diagnostics carry no
// positions but the same codes, fields and messages as for files.
func TestValidateInCode(t *testing.T) {
	t.Parallel()
	nan, neg, half := math.NaN(), -1.0, 0.5
	tests := []struct {
		name string
		f    *Framework
		want []string
	}{
		{"valid", &Framework{ID: "a", Version: "1", Name: Text{Zh: "甲"}, Indicators: []*Indicator{
			{Code: "A", Name: Text{Zh: "甲"}, Kind: Expert}}}, nil},
		{"everything wrong", &Framework{Indicators: []*Indicator{
			{Code: "A", Name: Text{Zh: "甲"}, Weight: &nan, Kind: "survey"},
			{Code: "A", Name: Text{Zh: "乙"}, Weight: &neg, Kind: Quantitative, Direction: 3,
				Goalposts: &Goalposts{Low: 1, High: 1}},
		}}, []string{
			"id: missing (letters, digits, '.', '_' and '-')",
			"version: missing",
			"name: missing",
			"indicator A: weight: must be a positive finite number, got NaN",
			`indicator A: kind: "survey" is not a kind (want quantitative, rubric or expert)`,
			"indicator A: code: duplicate code: used more than once",
			"indicator A: weight: must be a positive finite number, got -1",
			"indicator A: direction: must be 1 or -1, got 3",
			"indicator A: goalposts: low must be below high (both finite), got low 1, high 1",
		}},
		{"mixed weights", &Framework{ID: "a", Version: "1", Name: Text{Zh: "甲"}, Indicators: []*Indicator{
			{Code: "A", Name: Text{Zh: "甲"}, Kind: Expert, Weight: &half},
			{Code: "B", Name: Text{Zh: "乙"}, Kind: Expert},
		}}, []string{"warning: weight: 1 of the 2 top-level indicators have a weight and B has none: indicators without one get the mean of the given weights"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, d := range Validate(tt.f) {
				got = append(got, d.String())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestSiblingWeights checks the documented resolution rules by hand:
// absent → equal; given → normalised; mixed → the absent ones get the mean
// of the given ones (0.2 and 0.6 given → 0.4 filled in, total 1.2).
func TestSiblingWeights(t *testing.T) {
	t.Parallel()
	w := func(x float64) *float64 { return &x }
	tests := []struct {
		name    string
		weights []*float64
		want    []float64
	}{
		{"absent", []*float64{nil, nil, nil, nil}, []float64{0.25, 0.25, 0.25, 0.25}},
		{"given", []*float64{w(2), w(6)}, []float64{0.25, 0.75}},
		{"mixed", []*float64{w(0.2), nil, w(0.6)}, []float64{0.2 / 1.2, 0.4 / 1.2, 0.6 / 1.2}},
		{"thirds kept as written", []*float64{w(1.0 / 3), w(1.0 / 3), w(1.0 / 3)}, []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}},
	}
	for _, tt := range tests {
		list := make([]*Indicator, len(tt.weights))
		for i, x := range tt.weights {
			list[i] = &Indicator{Code: string(rune('A' + i)), Weight: x}
		}
		got := SiblingWeights(list)
		for i := range got {
			if !nearlyEqual(got[i], tt.want[i]) {
				t.Errorf("%s: weight %d = %v, want %v", tt.name, i, got[i], tt.want[i])
			}
		}
	}
}
