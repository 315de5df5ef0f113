package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// runCmd runs the sceval command line in-process and returns its output.
func runCmd(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	root := newRootCmd()
	var out, errb bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errb)
	root.SetArgs(args)
	err = root.Execute()
	return out.String(), errb.String(), err
}

const (
	tinyFW   = "testdata/score/tiny.yaml"
	tinyData = "testdata/score/tiny.csv"
)

// TestScoreLongCSVHandCalculated checks the long CSV against
// tiny_long.golden.csv, whose every number was computed by hand, not by
// sceval: min-max per leaf (A.1 10..30, A.2 1..5 reversed as lower is
// better, B.1 0..100), arithmetic means with weights 0.5/0.5 under A and
// 0.6/0.4 under the root, renormalised over present children (u2 = 0.6·50 +
// 0.4·50, u4 = A only = 50); coverage by effective weight (u2: 0.3 + 0.4).
func TestScoreLongCSVHandCalculated(t *testing.T) {
	t.Parallel()
	stdout, stderr, err := runCmd(t, "score", "--framework", tinyFW, "--data", tinyData, "--format", "csv")
	if err != nil {
		t.Fatal(err, stderr)
	}
	want, err := os.ReadFile("testdata/score/tiny_long.golden.csv")
	if err != nil {
		t.Fatal(err)
	}
	if stdout != string(want) {
		t.Errorf("got\n%s\nwant\n%s", stdout, want)
	}
}

func TestScoreFormats(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	stdout, _, err := runCmd(t, "score", "--framework", tinyFW, "--data", tinyData, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Framework string
		Units     []struct {
			Unit  string
			Stars int
			Score map[string]*float64
		}
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Framework != "tiny" || len(doc.Units) != 4 || *doc.Units[2].Score["tiny"] != 60 || doc.Units[2].Stars != 1 {
		t.Errorf("json: %+v", doc)
	}
	// Without --format, the --out extension decides.
	out := filepath.Join(dir, "s.xlsx")
	if _, stderr, err := runCmd(t, "score", "--framework", tinyFW, "--data", tinyData, "--out", out); err != nil {
		t.Fatal(err, stderr)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue("总分 Overall", "B4"); v != "60" {
		t.Errorf("xlsx overall of u3 = %q", v)
	}
	// In a pipe (not a terminal) the default is CSV.
	stdout, _, err = runCmd(t, "score", "--framework", tinyFW, "--data", tinyData)
	if err != nil || !strings.HasPrefix(stdout, "unit,code,level,score,rank") {
		t.Errorf("default format: %v\n%s", err, stdout)
	}
}

func TestScoreOverridesAndVerbose(t *testing.T) {
	t.Parallel()
	stdout, stderr, err := runCmd(t, "score", "--framework", tinyFW, "--data", tinyData, "--format", "table",
		"--aggregate", "gmean", "-v")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, "result hash ") {
		t.Errorf("stderr %q", stderr)
	}
	// Geometric mean: u1 has A = 0, which counts as 0.01, so its overall is
	// 0.01^0.6 · 100^0.4 = 10^−0.4 = 0.398 (not 0), and stderr says so.
	for _, line := range strings.Split(stdout, "\n") {
		if strings.HasPrefix(line, "u1 ") && !strings.Contains(line, " 0.40 ") {
			t.Errorf("u1 under gmean: %q", line)
		}
	}
	if !strings.Contains(stderr, "gmean: 3 child score(s) of 0 in 2 unit(s) counted as 0.01") {
		t.Errorf("no warning about the zero: %q", stderr)
	}
	if _, _, err := runCmd(t, "score", "--framework", tinyFW, "--data", tinyData, "--aggregate", "median"); err == nil ||
		!strings.Contains(err.Error(), "--aggregate") {
		t.Errorf("bad --aggregate: %v", err)
	}
	if _, _, err := runCmd(t, "score", "--framework", tinyFW, "--data", tinyData, "--format", "xml"); err == nil ||
		!strings.Contains(err.Error(), `--format "xml"`) {
		t.Errorf("bad --format: %v", err)
	}
}

// TestScoreBadData checks that every problem of a bad file is reported at
// once, each with its row, column and code.
func TestScoreBadData(t *testing.T) {
	t.Parallel()
	_, _, err := runCmd(t, "score", "--framework", tinyFW, "--data", "testdata/score/bad.csv")
	if err == nil {
		t.Fatal("want an error")
	}
	for _, want := range []string{
		"bad.csv: 6 problems:",
		`row 1, column 5 "A.9" (E): not an indicator of framework tiny`,
		`row 2, column 3 "A.2" (C): "abc" is not a number`,
		`row 3, column 2 "A.1" (B): "NaN" is not allowed`,
		`row 4, column 1 "unit" (A): unit "u1" is also on row 2`,
		`row 5, column 1 "unit" (A): empty unit id`,
		`row 6: 3 cells, but the header has 5 columns`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%s", want, err)
		}
	}
	_, _, err = runCmd(t, "score", "--framework", tinyFW, "--data", "testdata/score/dupcol.csv")
	if err == nil || !strings.Contains(err.Error(), `row 1, column 3 "A.1" (C): duplicated column: column 2 (B)`) {
		t.Errorf("duplicated column: %v", err)
	}
}

// TestScoreCompositeColumn checks that a column for a non-leaf indicator
// (or the framework's id) is refused as such, naming the leaves to give,
// and that a file with no indicator column at all is an error, not a table
// of empty scores.
func TestScoreCompositeColumn(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "composite.csv")
	if err := os.WriteFile(path, []byte("unit,A,B.1,tiny\nx,1,2,3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err := runCmd(t, "score", "--framework", tinyFW, "--data", path)
	for _, want := range []string{
		`row 1, column 2 "A" (B): "A" is not a leaf indicator: its score is computed from A.1, A.2, so give those columns instead`,
		`row 1, column 4 "tiny" (D): "tiny" is not a leaf indicator: its score is computed from A.1, A.2, B.1`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	path = filepath.Join(dir, "unitonly.csv")
	if err := os.WriteFile(path, []byte("unit,province\nx,P1\ny,P2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = runCmd(t, "score", "--framework", tinyFW, "--data", path, "--attr", "province", "--format", "csv")
	if err == nil || !strings.Contains(err.Error(), "no indicator columns") {
		t.Errorf("unit column only: want an error, got %v", err)
	}
}

func TestScoreAbsentLeafWarns(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "partial.csv")
	if err := os.WriteFile(path, []byte("unit,A.1,B.1\nx,1,2\ny,3,4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := runCmd(t, "score", "--framework", tinyFW, "--data", path, "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, "warning: "+path+": 1 indicator has no column, so every unit misses it: A.2") {
		t.Errorf("stderr %q", stderr)
	}
	if !strings.Contains(stdout, "x,A.2,2,,,,,\n") {
		t.Errorf("A.2 should be missing:\n%s", stdout)
	}
}

func TestScoreHelpHasExample(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"score", "compare", "sensitivity"} {
		stdout, _, err := runCmd(t, name, "--help")
		if err != nil || !strings.Contains(stdout, "Examples:") || !strings.Contains(stdout, "sceval "+name) {
			t.Errorf("%s --help: %v\n%s", name, err, stdout)
		}
	}
}

// TestScoreRubricLevelsChecked reads rubric leaves of the built-in
// framework: levels outside 1–5 are reported with row and column.
func TestScoreRubricLevelsChecked(t *testing.T) {
	t.Parallel()
	_, _, err := runCmd(t, "score", "--data", "testdata/score/rubric_bad.csv")
	if err == nil {
		t.Fatal("want an error")
	}
	for _, want := range []string{
		`row 2, column 2 "1.1.1" (B): 7 is not a rubric level of indicator 1.1.1 (levels are whole numbers 1–5)`,
		`row 3, column 3 "1.1.2" (C): 2.5 is not a rubric level of indicator 1.1.2`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%s", want, err)
		}
	}
}

// TestScoreXLSXData scores tiny.csv's data saved as a workbook (numbers as
// numeric cells and as text, an empty row, a percentage format) and expects
// the same hand-calculated result.
func TestScoreXLSXData(t *testing.T) {
	t.Parallel()
	f := excelize.NewFile()
	defer f.Close()
	rows := [][]any{
		{"unit", "A.1", "A.2", "B.1"},
		{"u1", 10, 5, 100},
		{"u2", "20", nil, 50},
		{},
		{"u3", 30.0, 1, 0},
		{"u4", nil, "3", nil},
	}
	for r, vals := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := f.SetSheetRow("Sheet1", cell, &vals); err != nil {
			t.Fatal(err)
		}
	}
	pct, _ := f.NewStyle(&excelize.Style{NumFmt: 10})
	f.SetCellStyle("Sheet1", "B2", "B2", pct)
	path := filepath.Join(t.TempDir(), "tiny.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, err := runCmd(t, "score", "--framework", tinyFW, "--data", path, "--format", "csv")
	if err != nil {
		t.Fatal(err, stderr)
	}
	want, _ := os.ReadFile("testdata/score/tiny_long.golden.csv")
	if stdout != string(want) {
		t.Errorf("got\n%s\nwant\n%s", stdout, want)
	}
}

// TestOutputErrors checks that an output file that cannot be created is
// explained in the user's terms (the directory that does not exist, a
// directory given as the file), not as the system call's error.
func TestOutputErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	missing := filepath.Join(dir, "nodir", "scores.csv")
	cases := map[string][]string{
		"write " + missing + ": directory " + filepath.Join(dir, "nodir") + " does not exist (create it first)": {
			"score", "--framework", tinyFW, "--data", tinyData, "--out", missing},
		"write " + dir + ": is a directory (give a file name)": {
			"score", "--framework", tinyFW, "--data", tinyData, "--out", dir},
		"export framework mohurd-2012: write " + missing + ": directory": {
			"framework", "export", "mohurd-2012", "--out", missing},
	}
	for want, args := range cases {
		_, _, err := runCmd(t, args...)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: want %q, got %v", args, want, err)
		}
		if err != nil && strings.Contains(err.Error(), "open ") {
			t.Errorf("%v: system call wording in %q", args, err)
		}
	}
}
