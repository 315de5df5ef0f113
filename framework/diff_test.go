package framework

import (
	"strings"
	"testing"
)

// diffBase is a small framework the diff cases below edit.
func diffBase() *Framework {
	return &Framework{ID: "d", Version: "1", Name: Text{Zh: "差异"}, Indicators: []*Indicator{
		{Code: "1", Name: Text{Zh: "一"}, Children: []*Indicator{
			{Code: "1.1", Name: Text{Zh: "甲", En: "A"}, Kind: Expert},
			{Code: "1.2", Name: Text{Zh: "乙"}, Kind: Expert},
			{Code: "1.3", Name: Text{Zh: "丙"}, Kind: Expert},
		}},
		{Code: "2", Name: Text{Zh: "二"}, Children: []*Indicator{
			{Code: "2.1", Name: Text{Zh: "丁"}, Definition: Text{Zh: "旧说明"}, Kind: Quantitative},
		}},
	}}
}

func TestDiff(t *testing.T) {
	t.Parallel()
	explicit := func(f *Framework, weights map[string]float64) {
		for code, w := range weights {
			f.Lookup(code).Weight = &w
		}
	}
	tests := []struct {
		name string
		edit func(f *Framework)
		// want is Diff's output (declared changes), shifts WeightShifts'.
		want, shifts []string
	}{
		{"identical", func(*Framework) {}, nil, nil},
		{"renamed zh and en", func(f *Framework) { f.Lookup("1.1").Name = Text{Zh: "甲甲", En: "AA"} },
			[]string{"~ 1.1 renamed: 甲 → 甲甲", "~ 1.1 renamed (en): A → AA"}, nil},
		{"redefined", func(f *Framework) { f.Lookup("2.1").Definition.Zh = "新说明" },
			[]string{"~ 2.1 redefined: 旧说明 → 新说明"}, nil},
		{"added: implied shares 1/3 → 1/4 are derived", func(f *Framework) {
			p := f.Lookup("1")
			p.Children = append(p.Children, &Indicator{Code: "1.4", Name: Text{Zh: "戊"}, Kind: Expert})
		}, []string{"+ 1.4 戊"}, []string{
			"e 1.1 share 0.3333 → 0.2500, effective 0.1667 → 0.1250",
			"e 1.2 share 0.3333 → 0.2500, effective 0.1667 → 0.1250",
			"e 1.3 share 0.3333 → 0.2500, effective 0.1667 → 0.1250"}},
		{"removed", func(f *Framework) { p := f.Lookup("1"); p.Children = p.Children[:2] },
			[]string{"- 1.3 丙"}, []string{
				"e 1.1 share 0.3333 → 0.5000, effective 0.1667 → 0.2500",
				"e 1.2 share 0.3333 → 0.5000, effective 0.1667 → 0.2500"}},
		{"moved to another parent", func(f *Framework) {
			one, two := f.Lookup("1"), f.Lookup("2")
			two.Children = append(two.Children, one.Children[2])
			one.Children = one.Children[:2]
		}, []string{"> 1.3 moved from 1 to 2"}, []string{
			"e 1.1 share 0.3333 → 0.5000, effective 0.1667 → 0.2500",
			"e 1.2 share 0.3333 → 0.5000, effective 0.1667 → 0.2500",
			"e 1.3 share 0.3333 → 0.5000, effective 0.1667 → 0.2500",
			"e 2.1 share 1.0000 → 0.5000, effective 0.5000 → 0.2500"}},
		{"reordered", func(f *Framework) { c := f.Lookup("1").Children; c[0], c[1] = c[1], c[0] }, []string{
			"> 1.1 moved from position 1 to 2 under 1",
			"> 1.2 moved from position 2 to 1 under 1"}, nil},
		// The case: one declared change must not bury itself under
		// lines for every descendant, nor show "0.3333 → 0.3333".
		{"re-weighted explicitly", func(f *Framework) { explicit(f, map[string]float64{"1": 3, "2": 1}) },
			[]string{"w 1 weight 0.5 (equal) → 3, share 0.5000 → 0.7500", "w 2 weight 0.5 (equal) → 1, share 0.5000 → 0.2500"},
			[]string{"e 1.1 effective 0.1667 → 0.2500", "e 1.2 effective 0.1667 → 0.2500",
				"e 1.3 effective 0.1667 → 0.2500", "e 2.1 effective 0.5000 → 0.2500"}},
		// 1/3 written out (as export does) is the implied equal weight.
		{"implied equal weights written out", func(f *Framework) {
			explicit(f, map[string]float64{"1.1": 1.0 / 3, "1.2": 1.0 / 3, "1.3": 1.0 / 3, "1": 0.5, "2": 0.5, "2.1": 1})
		}, nil, nil},
		// Scaling every sibling alike changes what is written but no share.
		{"explicit weights scaled alike", func(f *Framework) {
			explicit(f, map[string]float64{"1": 2, "2": 2})
		}, nil, nil},
		{"kind, direction, rubric", func(f *Framework) {
			ind := f.Lookup("1.1")
			ind.Kind, ind.Direction = Rubric, -1
			ind.Rubric = []RubricLevel{{Label: Text{Zh: "无"}, Score: 0}, {Label: Text{Zh: "有"}, Score: 100}}
		}, []string{"~ 1.1 kind: expert → rubric", "~ 1.1 direction: 1 → -1", "~ 1.1 rubric:  → 无=0, 有=100"}, nil},
		{"framework header", func(f *Framework) { f.Version = "2" }, []string{"~ framework version: 1 → 2"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, b := diffBase(), diffBase()
			tt.edit(b)
			if got, want := lines(Diff(a, b)), strings.Join(tt.want, "\n"); got != want {
				t.Errorf("Diff got:\n%s\nwant:\n%s", got, want)
			}
			if got, want := lines(WeightShifts(a, b)), strings.Join(tt.shifts, "\n"); got != want {
				t.Errorf("WeightShifts got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestDiffOneExplicitSiblingReweighted: in a file with explicit weights
// (as export writes them), changing one weight is one declared change; the
// siblings' shares move only as a consequence.
func TestDiffOneExplicitSiblingReweighted(t *testing.T) {
	t.Parallel()
	a, b := diffBase(), diffBase()
	for _, f := range []*Framework{a, b} {
		for code, w := range map[string]float64{"1.1": 0.25, "1.2": 0.25, "1.3": 0.5} {
			f.Lookup(code).Weight = &w
		}
	}
	w := 0.5
	b.Lookup("1.1").Weight = &w
	if got, want := lines(Diff(a, b)), "w 1.1 weight 0.25 → 0.5, share 0.2500 → 0.4000"; got != want {
		t.Errorf("Diff got:\n%s\nwant:\n%s", got, want)
	}
	want := "e 1.2 share 0.2500 → 0.2000, effective 0.1250 → 0.1000\n" +
		"e 1.3 share 0.5000 → 0.4000, effective 0.2500 → 0.2000"
	if got := lines(WeightShifts(a, b)); got != want {
		t.Errorf("WeightShifts got:\n%s\nwant:\n%s", got, want)
	}
}

// lines renders changes one per line.
func lines(changes []Change) string {
	var out []string
	for _, c := range changes {
		out = append(out, c.String())
	}
	return strings.Join(out, "\n")
}

func TestDiffFourLevelJSONTwin(t *testing.T) {
	t.Parallel()
	y := parseTestFile(t, "testdata/four-level.yaml")
	j := parseTestFile(t, "testdata/four-level.json")
	if changes := Diff(y, j); len(changes) != 0 {
		t.Errorf("four-level.json differs from four-level.yaml: %v", changes)
	}
}

// TestDocExamples keeps the examples of docs/framework-format.md honest:
// the YAML and JSON versions parse without any diagnostic and are equal.
func TestDocExamples(t *testing.T) {
	t.Parallel()
	y := parseTestFile(t, "testdata/doc-example.yaml")
	j := parseTestFile(t, "testdata/doc-example.json")
	if changes := Diff(y, j); len(changes) != 0 {
		t.Errorf("doc-example.json differs from doc-example.yaml: %v", changes)
	}
	for _, f := range []*Framework{y, j} {
		if diags := Validate(f); len(diags) != 0 {
			t.Errorf("doc example: %v", diags)
		}
	}
}
