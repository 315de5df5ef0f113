package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// nominalRanks returns unit → overall rank from score's long CSV.
func nominalRanks(t *testing.T, longCSV string) map[string]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(longCSV)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rows[1:] {
		if r[2] == "0" {
			out[r[0]] = r[4]
		}
	}
	return out
}

func TestSensitivityCSVMatchesScoreAndIsReproducible(t *testing.T) {
	t.Parallel()
	args := []string{"sensitivity", "--framework", tinyFW, "--data", tinyData, "--runs", "200", "--seed", "42"}
	one, stderr, err := runCmd(t, append(args, "--workers", "1")...)
	if err != nil {
		t.Fatal(err, stderr)
	}
	two, _, err := runCmd(t, append(args, "--workers", "2")...)
	if err != nil {
		t.Fatal(err)
	}
	if one != two {
		t.Errorf("--workers 1 and 2 differ:\n%s\n%s", one, two)
	}
	lines := strings.Split(strings.TrimSpace(one), "\n")
	if lines[0] != "unit,nominal_rank,median_rank,p05_rank,p95_rank" || len(lines) != 5 {
		t.Fatalf("output:\n%s", one)
	}
	long, _, err := runCmd(t, "score", "--framework", tinyFW, "--data", tinyData, "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	want := nominalRanks(t, long)
	for _, line := range lines[1:] {
		f := strings.Split(line, ",")
		if want[f[0]] != f[1] {
			t.Errorf("unit %s: nominal rank %s, score says %s", f[0], f[1], want[f[0]])
		}
	}
}

func TestSensitivityJSONAndIndices(t *testing.T) {
	t.Parallel()
	indices := filepath.Join(t.TempDir(), "si.csv")
	stdout, stderr, err := runCmd(t, "sensitivity", "--framework", tinyFW, "--data", tinyData, "--runs", "120",
		"--vary", "weights,normalisation,aggregation", "--normalisations", "minmax:1,100,rank", "--format", "json", "--indices", indices)
	if err != nil {
		t.Fatal(err, stderr)
	}
	var doc struct {
		Vary       []string
		Seed       uint64
		Units      []struct{ Unit string }
		Confidence float64
		Indices    []struct {
			Input     string
			First     *float64 `json:"first_order"`
			FirstLow  *float64 `json:"first_order_low"`
			FirstHigh *float64 `json:"first_order_high"`
			Total     *float64 `json:"total_order"`
			TotalLow  *float64 `json:"total_order_low"`
			TotalHigh *float64 `json:"total_order_high"`
		}
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err, stdout)
	}
	if !slices.Equal(doc.Vary, []string{"weights", "normalisation", "aggregation"}) || doc.Seed != 1 || len(doc.Units) != 4 {
		t.Errorf("doc %+v", doc)
	}
	if len(doc.Indices) == 0 || doc.Confidence != 0.95 {
		t.Errorf("indices %+v at confidence %v", doc.Indices, doc.Confidence)
	}
	for _, si := range doc.Indices {
		if si.FirstLow == nil || si.FirstHigh == nil || si.TotalLow == nil || si.TotalHigh == nil ||
			*si.FirstLow > *si.FirstHigh || *si.TotalLow > *si.TotalHigh {
			t.Errorf("%s: intervals missing or reversed: %+v", si.Input, si)
		}
	}
	b, err := os.ReadFile(indices)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if lines[0] != "input,first_order,first_order_low,first_order_high,total_order,total_order_low,total_order_high" ||
		len(lines) != len(doc.Indices)+1 {
		t.Errorf("indices file:\n%s", b)
	}
}

func TestSensitivityFlagErrors(t *testing.T) {
	t.Parallel()
	cases := map[string][]string{
		`--vary "colour"`: {"--vary", "colour"},
		"--normalisations given, but normalisation is not in --vary": {"--vary", "weights", "--normalisations", "rank"},
		"--noise 1.5: want 0 < noise < 1":                            {"--noise", "1.5"},
		"--runs 0":                                                   {"--runs", "0"},
		"--workers -3: want 0 (the number of CPUs) or more":          {"--workers", "-3"},
		`--imputations "group_mean"`:                                 {"--imputations", "group_mean"},
		`--format "table"`:                                           {"--format", "table"},
		"alternatives: normalisation 2 of 2 with aggregation 2 of 2: normalisation zscore gives negative scores": {"--vary", "normalisation,aggregation", "--normalisations", "minmax,zscore"},
	}
	for want, extra := range cases {
		args := append([]string{"sensitivity", "--framework", tinyFW, "--data", tinyData}, extra...)
		if _, _, err := runCmd(t, args...); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v: got %v, want %q", extra, err, want)
		}
	}
}

func TestSplitSpecs(t *testing.T) {
	t.Parallel()
	cases := map[string][]string{
		"minmax,zscore,rank":            {"minmax", "zscore", "rank"},
		"minmax:1,100,zscore:10,2,rank": {"minmax:1,100", "zscore:10,2", "rank"},
		" amean , gmean ,":              {"amean", "gmean"},
		"group_mean:province,mean":      {"group_mean:province", "mean"},
	}
	for in, want := range cases {
		if got := splitSpecs(in); !slices.Equal(got, want) {
			t.Errorf("splitSpecs(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestProgressBar(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	p := newProgressBar(&b)
	p.update(0, 200)
	p.update(1, 200) // same percentage: not redrawn
	p.update(100, 200)
	p.update(200, 200)
	p.finish()
	want := "\r[------------------------------]   0% 0/200 runs" +
		"\r[###############---------------]  50% 100/200 runs" +
		"\r[##############################] 100% 200/200 runs\n"
	if b.String() != want {
		t.Errorf("got %q\nwant %q", b.String(), want)
	}
}

func TestPickFormat(t *testing.T) {
	t.Parallel()
	cases := []struct {
		format, out string
		allowed     []string
		want, err   string
	}{
		{"", "", []string{"table", "csv"}, "csv", ""}, // not a terminal
		{"", "x.JSON", []string{"csv", "json"}, "json", ""},
		{"", "x.txt", []string{"csv", "json"}, "csv", ""}, // table not offered
		{"", "x.xlsx", []string{"table", "csv", "xlsx"}, "xlsx", ""},
		{"xlsx", "", []string{"csv", "xlsx"}, "", "give --out FILE.xlsx"},
		{"table", "", []string{"csv", "json"}, "", `--format "table": want one of csv, json`},
	}
	for _, c := range cases {
		got, err := pickFormat(c.format, c.out, &strings.Builder{}, c.allowed...)
		if got != c.want || (err == nil) != (c.err == "") || err != nil && !strings.Contains(err.Error(), c.err) {
			t.Errorf("pickFormat(%q, %q) = %q, %v", c.format, c.out, got, err)
		}
	}
}
