package main

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// TestCompareWeightsHandCalculated compares tiny.yaml's weights (A 0.6,
// B 0.4) with weights_b.yaml (A 0.25, B 0.75). By hand: A's node scores are
// u1 0, u2 50, u3 100, u4 50 and B's u1 100, u2 50, u3 0, u4 missing, so
// overall A = 40, 50, 60, 50 and B = 75, 50, 25, 50 (u4 has A only).
func TestCompareWeightsHandCalculated(t *testing.T) {
	t.Parallel()
	stdout, stderr, err := runCmd(t, "compare", "--framework", tinyFW, "--data", tinyData,
		"--scheme-b", "testdata/score/weights_b.yaml", "--format", "csv", "--moved", "2")
	if err != nil {
		t.Fatal(err, stderr)
	}
	want := "unit,code,score_a,rank_a,score_b,rank_b,shift\n" +
		"u3,tiny,60,1,25,4,-3\n" +
		"u2,tiny,50,2,50,2,0\n" +
		"u4,tiny,50,2,50,2,0\n" +
		"u1,tiny,40,4,75,1,3\n"
	if stdout != want {
		t.Errorf("got\n%s\nwant\n%s", stdout, want)
	}
	// Mean |shift| = (3+0+0+3)/4; the average ranks of A (1, 2.5, 4, 2.5)
	// and B (4, 2.5, 1, 2.5) are exactly reversed, so Spearman = −1.
	wantSummary := "tiny: 4 units ranked under both; mean |rank shift| 1.50; Spearman -1.0000; 2 moved more than 2 places"
	if strings.TrimSpace(stderr) != wantSummary {
		t.Errorf("summary %q, want %q", stderr, wantSummary)
	}
}

func TestCompareLevelAndJSON(t *testing.T) {
	t.Parallel()
	stdout, _, err := runCmd(t, "compare", "--framework", tinyFW, "--data", tinyData,
		"--scheme-b", "testdata/score/weights_b.yaml", "--level", "1", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Nodes []struct {
			Code    string
			Summary struct {
				Units        int
				MeanAbsShift float64 `json:"mean_abs_shift"`
				Spearman     float64
			}
			Units []struct {
				Unit  string
				RankA *int `json:"rank_a"`
				Shift *int
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err, stdout)
	}
	// Sibling weights under the root do not change the level-1 scores.
	if len(doc.Nodes) != 2 || doc.Nodes[0].Code != "A" || doc.Nodes[1].Code != "B" {
		t.Fatalf("nodes %+v", doc.Nodes)
	}
	b := doc.Nodes[1]
	if b.Summary.Units != 3 || b.Summary.MeanAbsShift != 0 || b.Summary.Spearman != 1 {
		t.Errorf("B summary %+v", b.Summary)
	}
	if last := b.Units[3]; last.Unit != "u4" || last.RankA != nil || last.Shift != nil {
		t.Errorf("u4 at B should be missing and last: %+v", last)
	}
}

func TestCompareErrors(t *testing.T) {
	t.Parallel()
	cases := map[string][]string{
		"nothing to compare": {},
		`--level 3: framework tiny has levels 0 (overall) to 2`: {"--aggregate-b", "gmean", "--level", "3"},
		`--code "C": not an indicator of framework tiny`:        {"--aggregate-b", "gmean", "--code", "C"},
		"scheme B: --aggregate":                                 {"--aggregate-b", "max"},
		"--moved -1: want a number of places >= 0":              {"--aggregate-b", "gmean", "--moved", "-1"},
	}
	for want, extra := range cases {
		args := append([]string{"compare", "--framework", tinyFW, "--data", tinyData}, extra...)
		if _, _, err := runCmd(t, args...); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: got %v, want %q", extra, err, want)
		}
	}
}

// TestSpearman uses the worked example of Spearman's ρ on Wikipedia
// (IQ against hours of television per week): ρ = −29/165.
func TestSpearman(t *testing.T) {
	t.Parallel()
	iq := []float64{106, 100, 86, 101, 99, 103, 97, 113, 112, 110}
	tv := []float64{7, 27, 2, 50, 28, 29, 20, 12, 6, 17}
	if got, want := spearman(iq, tv), -29.0/165; math.Abs(got-want) > 1e-12 {
		t.Errorf("spearman = %v, want %v", got, want)
	}
	if !math.IsNaN(spearman([]float64{1, 1}, []float64{1, 2})) || !math.IsNaN(spearman([]float64{1}, []float64{1})) {
		t.Errorf("degenerate inputs should give NaN")
	}
}
