package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sceval/sceval/dataset"
	"github.com/sceval/sceval/engine/weight"
)

// runWeights executes the root command with args and returns stdout,
// stderr and the error.
func runWeights(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	root := newRootCmd()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(args)
	err := root.Execute()
	return out.String(), errOut.String(), err
}

// wtWriteFile writes content to name in dir and returns the path.
func wtWriteFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Saaty's (2008) drinks matrix, with a BOM, a comment and fractions.
const drinksCSV = "\xef\xbb\xbf# Saaty 2008, drinks consumed in the U.S.\n" +
	"drink,coffee,wine,tea,beer,sodas,milk,water\n" +
	"coffee,1,9,5,2,1,1,1/2\n" +
	"wine,1/9,1,1/3,1/9,1/9,1/9,1/9\n" +
	"tea,1/5,3,1,1/3,1/4,1/3,1/9\n" +
	"beer,1/2,9,3,1,1/2,1,1/3\n" +
	"sodas,1,9,4,2,1,2,1/2\n" +
	"milk,1,9,3,1,1/2,1,1/3\n" +
	"water,2,9,9,3,2,3,1\n"

func TestWeightsAHPJSONMatchesPackage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := wtWriteFile(t, dir, "drinks.csv", drinksCSV)
	out, _, err := runWeights(t, "weights", "ahp", p, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var got ahpJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v in %s", err, out)
	}
	pf, _, err := dataset.ReadPairwiseFile(p)
	if err != nil {
		t.Fatal(err)
	}
	want, err := weight.AHP(pf.Values)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got.Codes, ",") != "coffee,wine,tea,beer,sodas,milk,water" {
		t.Errorf("codes %v", got.Codes)
	}
	for i := range want.Weights {
		if got.Weights[i] != want.Weights[i] {
			t.Errorf("weight %d: CLI %v, package %v", i, got.Weights[i], want.Weights[i])
		}
	}
	if got.LambdaMax != want.LambdaMax || got.CI != want.CI || got.CR != want.CR || !got.Consistent {
		t.Errorf("CLI %+v, package %+v", got, want)
	}
	if math.Abs(got.Weights[6]-0.327) > 0.0006 { // Saaty's published water priority
		t.Errorf("water weight %v, published .327", got.Weights[6])
	}
	// The JSON keys are exactly the documented ones, in order.
	keys := []string{`"codes"`, `"weights"`, `"lambda_max"`, `"ci"`, `"cr"`, `"consistent"`}
	last := -1
	for _, k := range keys {
		i := strings.Index(out, k)
		if i <= last {
			t.Errorf("key %s missing or out of order in %s", k, out)
		}
		last = i
	}
}

func TestWeightsAHPGroupAndTable(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e1 := wtWriteFile(t, dir, "e1.csv", "1,3,5\n1/3,1,2\n1/5,1/2,1\n")
	e2 := wtWriteFile(t, dir, "e2.csv", "1,5,7\n1/5,1,3\n1/7,1/3,1\n")
	out, _, err := runWeights(t, "weights", "ahp", e1, e2, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var got ahpJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	g, err := weight.GroupAHP([][][]float64{
		{{1, 3, 5}, {1. / 3, 1, 2}, {1. / 5, 1. / 2, 1}},
		{{1, 5, 7}, {1. / 5, 1, 3}, {1. / 7, 1. / 3, 1}},
	})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := weight.AHP(g)
	for i := range want.Weights {
		if math.Abs(got.Weights[i]-want.Weights[i]) > 1e-15 {
			t.Errorf("group weight %d: CLI %v, package %v", i, got.Weights[i], want.Weights[i])
		}
	}
	if strings.Join(got.Codes, ",") != "1,2,3" {
		t.Errorf("default codes %v", got.Codes)
	}
	table, _, err := runWeights(t, "weights", "ahp", e1, e2)
	if err != nil || !strings.Contains(table, "combined 2 experts") || !strings.Contains(table, "consistent: CR") {
		t.Errorf("table (err %v):\n%s", err, table)
	}
	// Inconsistent judgements: exit 0, a clear verdict.
	bad := wtWriteFile(t, dir, "cycle.csv", "1,9,1/9\n1/9,1,9\n9,1/9,1\n")
	table, _, err = runWeights(t, "weights", "ahp", bad)
	if err != nil || !strings.Contains(table, "NOT consistent") {
		t.Errorf("inconsistent (err %v):\n%s", err, table)
	}
	out, _, err = runWeights(t, "weights", "ahp", bad, "--format", "json")
	if err != nil || !strings.Contains(out, `"consistent": false`) {
		t.Errorf("inconsistent JSON (err %v): %s", err, out)
	}
}

func TestWeightsAHPErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name, content string
		want          string
	}{
		{"recip.csv", ",a,b,c\na,1,2,3\nb,1/2,1,3\nc,1/3,1/2,1\n", "recip.csv: row 2, column 3 (b vs c): not reciprocal"},
		{"text.csv", "1,2\nx,1\n", `text.csv: line 2, column 1: "x" is not a number or fraction`},
		{"zero.csv", "1,1/0\n0,1\n", `zero.csv: line 1, column 2: "1/0" divides by zero`},
		{"empty.csv", "1,\n1,1\n", "empty.csv: line 1, column 2"},
		{"ragged.csv", "1,2,3\n1/2,1\n", "ragged.csv: line 1: 3 cells, but the last row has 2"},
		{"diag.csv", "2,2\n1/2,1\n", "diag.csv: row 1, column 1: diagonal entry 2"},
		{"labels.csv", ",a,b\na,1,2\nc,1/2,1\n", `header code 2 is "b" but row 2 is labelled "c"`},
		{"dup.csv", "a,a\n1,2\n1/2,1\n", `code "a" appears twice`},
		// A 2×3 matrix used to be read as a code column and a bad diagonal.
		{"wide.csv", "1,3,5\n1/3,1,3\n", "wide.csv: not square (2×3)"},
		{"tall.csv", "1,3\n1/3,1\n5,1\n", "tall.csv: not square (3×2)"},
		{"disagree.csv", "1,3\n0.5,1\n", "disagree.csv: row 1, column 2: not reciprocal"},
	}
	for _, tc := range tests {
		p := wtWriteFile(t, dir, tc.name, tc.content)
		_, _, err := runWeights(t, "weights", "ahp", p)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
	a := wtWriteFile(t, dir, "a.csv", "x,y\n1,2\n1/2,1\n")
	b := wtWriteFile(t, dir, "b.csv", "x,z\n1,2\n1/2,1\n")
	if _, _, err := runWeights(t, "weights", "ahp", a, b); err == nil || !strings.Contains(err.Error(), "differ from") {
		t.Errorf("code mismatch: %v", err)
	}
	if _, _, err := runWeights(t, "weights", "ahp", filepath.Join(dir, "none.csv")); err == nil || !strings.Contains(err.Error(), "none.csv") {
		t.Errorf("missing file: %v", err)
	}
	if _, _, err := runWeights(t, "weights", "ahp", a, "--format", "xml"); err == nil || !strings.Contains(err.Error(), `--format "xml"`) {
		t.Errorf("bad format: %v", err)
	}
}

// A framework with a lower-is-better indicator: the CLI passes its
// directions, and its JSON equals the package's result.
const weightsFramework = `id: wt-test
version: "1"
name: {zh: 权重测试, en: Weights test}
levels: [一级, 二级]
indicators:
  - code: A
    name: 甲
    children:
      - {code: A.1, name: 甲一, kind: quantitative}
      - {code: A.2, name: 甲二, kind: quantitative, direction: -1}
  - code: B
    name: 乙
    children:
      - {code: B.1, name: 乙一, kind: quantitative}
`

const weightsCSV = "unit,A.1,A.2,B.1\nu1,1,10,3\nu2,2,12,2\nu3,3,9,4\nu4,4,15,1\nu5,5,11,\nu6,2,14,3\n"

var weightsCols = [][]float64{
	{1, 2, 3, 4, 5, 2},
	{10, 12, 9, 15, 11, 14},
	{3, 2, 4, 1, math.NaN(), 3},
}

func TestWeightsDataMethodsMatchPackage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fw := wtWriteFile(t, dir, "fw.yaml", weightsFramework)
	data := wtWriteFile(t, dir, "d.csv", weightsCSV)
	dirs := []float64{1, -1, 1}
	entropy, err := weight.Entropy(weightsCols, weight.EntropyOptions{Directions: dirs})
	if err != nil {
		t.Fatal(err)
	}
	entropyNoFw, _ := weight.Entropy(weightsCols, weight.EntropyOptions{})
	proportion, _ := weight.Entropy(weightsCols, weight.EntropyOptions{Preprocess: "proportion", Shift: 0.0001})
	critic, _ := weight.CRITIC(weightsCols, weight.CRITICOptions{Directions: dirs, SD: "population"})
	pca, _ := weight.PCA(weightsCols, weight.PCAOptions{Components: 2})
	tests := []struct {
		args []string
		want []float64
	}{
		{[]string{"entropy", "--framework", fw}, entropy},
		{[]string{"entropy"}, entropyNoFw},
		{[]string{"entropy", "--preprocess", "proportion", "--shift", "0.0001"}, proportion},
		{[]string{"critic", "--framework", fw, "--sd", "population"}, critic},
		{[]string{"pca", "--framework", fw, "--components", "2"}, pca},
	}
	for _, tc := range tests {
		args := append([]string{"weights"}, tc.args...)
		args = append(args, "--data", data, "--format", "json")
		out, _, err := runWeights(t, args...)
		if err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		var got struct {
			Weights map[string]float64 `json:"weights"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v: %v in %s", tc.args, err, out)
		}
		for j, code := range []string{"A.1", "A.2", "B.1"} {
			if got.Weights[code] != tc.want[j] {
				t.Errorf("%v: %s = %v, package %v", tc.args, code, got.Weights[code], tc.want[j])
			}
		}
		if i, k := strings.Index(out, `"A.1"`), strings.Index(out, `"B.1"`); i < 0 || k < i {
			t.Errorf("%v: codes not in column order: %s", tc.args, out)
		}
	}
}

func TestWeightsDataErrorsAndTable(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fw := wtWriteFile(t, dir, "fw.yaml", weightsFramework)
	data := wtWriteFile(t, dir, "d.csv", weightsCSV)
	unknown := wtWriteFile(t, dir, "u.csv", strings.Replace(weightsCSV, "B.1", "Z.9", 1))
	constant := wtWriteFile(t, dir, "c.csv", "unit,x,y,z\na,1,5,2\nb,2,5,1\nc,3,5,5\n")
	composite := wtWriteFile(t, dir, "p.csv", strings.Replace(weightsCSV, "B.1", "B", 1))
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"entropy", "--data", unknown, "--framework", fw}, "Z.9"},
		{[]string{"entropy", "--data", composite, "--framework", fw}, `column 4 "B" (D): "B" is not a leaf indicator: its score is computed from B.1`},
		{[]string{"entropy", "--data", data, "--preprocess", "log"}, `unknown preprocessing "log"`},
		{[]string{"critic", "--data", data, "--sd", "mad"}, `unknown standard deviation "mad"`},
		{[]string{"pca", "--data", data, "--format", "csv"}, `--format "csv"`},
		{[]string{"critic"}, `"data" not set`},
	}
	for _, tc := range tests {
		_, _, err := runWeights(t, append([]string{"weights"}, tc.args...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want %q", tc.args, err, tc.want)
		}
	}
	out, errOut, err := runWeights(t, "weights", "critic", "--data", constant)
	if err != nil || !strings.Contains(errOut, "warning: indicator y is constant") || !strings.Contains(out, "CRITIC weights") {
		t.Errorf("constant column: err %v\nstdout %s\nstderr %s", err, out, errOut)
	}
	out, _, err = runWeights(t, "weights", "pca", "--data", data, "--framework", fw)
	if err != nil || !strings.Contains(out, "factor") || !strings.Contains(out, "eigenvalues") {
		t.Errorf("pca table: err %v\n%s", err, out)
	}
}

// 0.3333 for 1/3 used to be refused as "not reciprocal"; it is accepted
// with a warning and weighted as the exact 1/3.
func TestWeightsAHPRoundedReciprocal(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := wtWriteFile(t, dir, "rounded.csv", ",a,b\na,1,3\nb,0.3333,1\n")
	out, errOut, err := runWeights(t, "weights", "ahp", p, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var got ahpJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Weights[0] != 0.75 || got.Weights[1] != 0.25 {
		t.Errorf("weights %v, want exactly 0.75, 0.25", got.Weights)
	}
	if !strings.Contains(errOut, "rounded.csv: a[2][1] = 0.3333 taken as 1/3") {
		t.Errorf("stderr %q", errOut)
	}
}
