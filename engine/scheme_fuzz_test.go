package engine

import (
	"errors"
	"testing"
)

// FuzzParseScheme feeds arbitrary bytes to the scheme parser (seed corpus:
// testdata/fuzz/FuzzParseScheme, plus the examples below). Properties: it
// never panics; it either returns a scheme or a *SchemeError (never
// another error type, so callers can always show file lines); an accepted
// scheme validates, and its canonical form parses back to the same
// canonical form (the form stored with results and hashed).
func FuzzParseScheme(f *testing.F) {
	for _, src := range []string{
		"",
		"name: x\n",
		"normalisation: {method: minmax, low: 1, high: 100}\naggregation: {method: gmean}\n",
		"aggregation: {method: topsis}\n",
		"imputation: {method: group_mean, group: province}\noutliers: {method: winsorise, max_points: 3, log: true}\n",
		"weighting: {method: manual, weights: {\"1\": 2, \"2\": 1}}\nrating: {thresholds: [{stars: 1, min: 60}]}\n",
		"weighting:\n  method: ahp\n  ahp:\n    \"\": [[[1, 3], [0.3333333, 1]]]\n",
		"overrides:\n  - codes: [\"3.1.1\"]\n    normalisation: {method: goalposts}\n  - level: 0\n    aggregation: {method: fuzzy, grades: [{name: a, a: 0, b: 0, c: 50, d: 60, value: 25}, {name: b, a: 50, b: 60, c: 100, d: 100, value: 80}]}\n",
		`{"normalisation": {"method": "zscore", "mean": 50, "sd": 10}, "aggregation": {"method": "amean", "missing": "threshold", "min_coverage": 0.5}}`,
		"a: &a [1, 2]\nb: *a\n",
		"normalisation:\n\tmethod: minmax\n",
	} {
		f.Add([]byte(src))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseScheme("fuzz.yaml", data)
		if err != nil {
			var se *SchemeError
			if !errors.As(err, &se) {
				t.Fatalf("error of type %T, want *SchemeError: %v", err, err)
			}
			return
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("accepted scheme does not validate: %v", err)
		}
		c := s.Canonical()
		back, err := ParseScheme("canonical.json", c)
		if err != nil {
			t.Fatalf("canonical form %s does not parse: %v", c, err)
		}
		if c2 := back.Canonical(); string(c2) != string(c) {
			t.Fatalf("canonical form changes on a round trip:\n%s\n%s", c, c2)
		}
	})
}
