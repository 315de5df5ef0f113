package engine

import (
	"errors"
	"strings"
	"testing"
)

func TestParseSchemeYAML(t *testing.T) {
	src := `name: provincial
imputation: {method: group_mean, group: province}
outliers: {method: winsorise}
normalisation: {method: minmax, low: 1, high: 100}
weighting:
  method: manual
  weights: {"1": 2, "2": 1}
aggregation: {method: gmean}
rating:
  thresholds: [{stars: 1, min: 50}, {stars: 2, min: 70}]
overrides:
  - codes: ["3.1.1"]
    normalisation: {method: goalposts}
  - level: 0
    aggregation: {method: topsis}
`
	s, err := ParseScheme("p.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if s.Outliers.MaxPoints != 5 || s.Outliers.SkewLimit != 2 || s.Outliers.KurtLimit != 3.5 {
		t.Errorf("outlier defaults not filled: %+v", s.Outliers)
	}
	if s.Aggregation.Missing != MissingRenormalise || s.Normalisation.Low != 1 || s.Overrides[1].Aggregation.Method != AggTOPSIS {
		t.Errorf("parsed %+v", s)
	}
	// JSON is read too, and a spelled-out default hashes like an omitted one.
	j, err := ParseScheme("d.json", []byte(`{"normalisation": {"method": "minmax"}, "aggregation": {"method": "amean", "missing": "renormalise"}}`))
	if err != nil {
		t.Fatal(err)
	}
	def, _ := ParseScheme("e.yaml", []byte(""))
	j.Name, def.Name = "", ""
	if string(j.Canonical()) != string(def.Canonical()) {
		t.Errorf("canonical forms differ:\n%s\n%s", j.Canonical(), def.Canonical())
	}
}

// Every problem is reported, each with its file and line.
func TestParseSchemeErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"unknown field", "name: x\nnormalise: {method: minmax}\n", []string{"s.yaml:2:", "normalise"}},
		// yaml.v3's Go wording ("field … not found in type engine.Scheme",
		// "cannot unmarshal !!str … into float64") is reworded in the file's terms.
		{"typo'd field", "normalisaton: {method: minmax}\nweighting: {ahpp: {}}\nzzz: 1\n", []string{
			`s.yaml:1: unknown field "normalisaton" (did you mean "normalisation"?)`,
			`s.yaml:2: unknown field "ahpp" (did you mean "ahp"?)`,
			`s.yaml:3: unknown field "zzz" (known fields: name, imputation,`}},
		{"wrong type", "normalisation: {method: minmax, low: abc}\nrating: {thresholds: [{stars: x, min: 1}]}\n", []string{
			`s.yaml:1: "abc" is not a number`, `s.yaml:2: "x" is not a whole number`}},
		{"bad values", `imputation: {method: mode}
normalisation:
  method: minmax
  low: 100
  high: 0
aggregation:
  method: median
  min_coverage: 2
rating:
  thresholds: [{stars: 1, min: 80}, {stars: 2, min: 70}]
`, []string{"s.yaml:1: imputation.method", `"mode"`, "s.yaml:4: normalisation.low", "s.yaml:7: aggregation.method", "s.yaml:8: aggregation.min_coverage", "s.yaml:10: rating.thresholds"}},
		{"override without effect", "overrides:\n  - codes: [a]\n", []string{"s.yaml:2: overrides[0]"}},
		{"syntax", "name: [unclosed\n", []string{"s.yaml"}},
		{"tab indentation", "name: x\naggregation:\n\tmethod: gmean\n", []string{
			"s.yaml:3: found character that cannot start any token (line 3 is indented with a tab: YAML indents with spaces only)"}},
		{"json type", "{\n  \"aggregation\": {\"method\": 3, \"min_coverage\": \"x\"}\n}", []string{"s.yaml:2:"}},
	}
	for _, tc := range tests {
		_, err := ParseScheme("s.yaml", []byte(tc.src))
		if err == nil {
			t.Errorf("%s: no error", tc.name)
			continue
		}
		if !errors.Is(err, ErrInvalidScheme) {
			t.Errorf("%s: error does not wrap ErrInvalidScheme", tc.name)
		}
		for _, w := range tc.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q lacks %q", tc.name, err, w)
			}
		}
		for _, goWords := range []string{"not found in type", "cannot unmarshal", "engine."} {
			if strings.Contains(err.Error(), goWords) {
				t.Errorf("%s: error %q has Go wording %q", tc.name, err, goWords)
			}
		}
	}
}

func TestParseCLISpecs(t *testing.T) {
	n, err := ParseNormalisation("minmax:1,100")
	if err != nil || n.Low != 1 || n.High != 100 {
		t.Errorf("minmax:1,100 → %+v, %v", n, err)
	}
	n, err = ParseNormalisation("zscore:10,2")
	if err != nil || n.Mean != 10 || n.SD != 2 {
		t.Errorf("zscore:10,2 → %+v, %v", n, err)
	}
	n, err = ParseNormalisation("minmax")
	if err != nil || n.High != 100 {
		t.Errorf("minmax → %+v, %v", n, err)
	}
	for _, bad := range []string{"minmax:5,1", "rank:1,2", "zscore:a,b", "softmax", "minmax:1"} {
		if _, err := ParseNormalisation(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
	if a, err := ParseAggregation("topsis"); err != nil || a.Method != AggTOPSIS || a.Missing != MissingRenormalise {
		t.Errorf("topsis → %+v, %v", a, err)
	}
	if _, err := ParseAggregation("median"); err == nil {
		t.Error("median: want an error")
	}
}

func TestOverrideAll(t *testing.T) {
	s := DefaultScheme()
	s.Overrides = []Override{
		{Codes: []string{"a"}, Normalisation: &Normalisation{Method: NormGoalposts}},
		{Level: 1, Normalisation: &Normalisation{Method: NormRank}, Aggregation: &Aggregation{Method: AggGeometric}},
	}
	s.OverrideAll(&Normalisation{Method: NormZScore}, nil)
	if s.Normalisation.Method != NormZScore || len(s.Overrides) != 1 || s.Overrides[0].Normalisation != nil || s.Overrides[0].Aggregation == nil {
		t.Errorf("after OverrideAll: %+v %+v", s.Normalisation, s.Overrides)
	}
}
