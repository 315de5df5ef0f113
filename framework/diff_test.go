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
	tests := []struct {
		name string
		edit func(f *Framework)
		want []string
	}{
		{"identical", func(*Framework) {}, nil},
		{"renamed zh and en", func(f *Framework) { f.Lookup("1.1").Name = Text{Zh: "甲甲", En: "AA"} },
			[]string{"~ 1.1 renamed: 甲 → 甲甲", "~ 1.1 renamed (en): A → AA"}},
		{"redefined", func(f *Framework) { f.Lookup("2.1").Definition.Zh = "新说明" },
			[]string{"~ 2.1 redefined: 旧说明 → 新说明"}},
		{"added: siblings re-weighted 1/3 → 1/4", func(f *Framework) {
			p := f.Lookup("1")
			p.Children = append(p.Children, &Indicator{Code: "1.4", Name: Text{Zh: "戊"}, Kind: Expert})
		}, []string{
			"w 1.1 weight 0.3333 → 0.2500, effective 0.1667 → 0.1250",
			"w 1.2 weight 0.3333 → 0.2500, effective 0.1667 → 0.1250",
			"w 1.3 weight 0.3333 → 0.2500, effective 0.1667 → 0.1250",
			"+ 1.4 戊"}},
		{"removed", func(f *Framework) { p := f.Lookup("1"); p.Children = p.Children[:2] }, []string{
			"w 1.1 weight 0.3333 → 0.5000, effective 0.1667 → 0.2500",
			"w 1.2 weight 0.3333 → 0.5000, effective 0.1667 → 0.2500",
			"- 1.3 丙"}},
		{"moved to another parent", func(f *Framework) {
			one, two := f.Lookup("1"), f.Lookup("2")
			two.Children = append(two.Children, one.Children[2])
			one.Children = one.Children[:2]
		}, []string{
			"w 1.1 weight 0.3333 → 0.5000, effective 0.1667 → 0.2500",
			"w 1.2 weight 0.3333 → 0.5000, effective 0.1667 → 0.2500",
			"> 1.3 moved from 1 to 2",
			"w 1.3 weight 0.3333 → 0.5000, effective 0.1667 → 0.2500",
			"w 2.1 weight 1.0000 → 0.5000, effective 0.5000 → 0.2500"}},
		{"reordered", func(f *Framework) { c := f.Lookup("1").Children; c[0], c[1] = c[1], c[0] }, []string{
			"> 1.1 moved from position 1 to 2 under 1",
			"> 1.2 moved from position 2 to 1 under 1"}},
		{"re-weighted explicitly", func(f *Framework) {
			w1, w2 := 3.0, 1.0
			f.Indicators[0].Weight, f.Indicators[1].Weight = &w1, &w2
		}, []string{
			"w 1 weight 0.5000 → 0.7500, effective 0.5000 → 0.7500",
			"w 1.1 weight 0.3333 → 0.3333, effective 0.1667 → 0.2500",
			"w 1.2 weight 0.3333 → 0.3333, effective 0.1667 → 0.2500",
			"w 1.3 weight 0.3333 → 0.3333, effective 0.1667 → 0.2500",
			"w 2 weight 0.5000 → 0.2500, effective 0.5000 → 0.2500",
			"w 2.1 weight 1.0000 → 1.0000, effective 0.5000 → 0.2500"}},
		{"kind, direction, rubric", func(f *Framework) {
			ind := f.Lookup("1.1")
			ind.Kind, ind.Direction = Rubric, -1
			ind.Rubric = []RubricLevel{{Label: Text{Zh: "无"}, Score: 0}, {Label: Text{Zh: "有"}, Score: 100}}
		}, []string{"~ 1.1 kind: expert → rubric", "~ 1.1 direction: 1 → -1", "~ 1.1 rubric:  → 无=0, 有=100"}},
		{"framework header", func(f *Framework) { f.Version = "2" }, []string{"~ framework version: 1 → 2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, b := diffBase(), diffBase()
			tt.edit(b)
			var got []string
			for _, c := range Diff(a, b) {
				got = append(got, c.String())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
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
