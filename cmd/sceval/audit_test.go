package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const (
	auditFW   = "testdata/audit/audit.yaml"
	auditData = "testdata/audit/audit.csv"
)

// The audit example is scored with the default scheme: min-max leaves
// (A.*, C.1 and B.1 unchanged; B.2 = (0, 20, 40, 60, 100) like B.1; C.2 =
// (0, 1, 3, 7, 99)·100/99) and equal-weight means. Hand values, as in
// engine's TestAuditHandGroupA: group A α = −3, first component share
// (3 + √6.12)/6 = 0.9123, A.3 has r = −0.8 with A; group B α = 1, share 1;
// group C r = 204/√74400 = 0.7479 but ρ = 1, share (1 + r)/2 = 0.8740,
// α = 2·(1 − (1562.5 + 1897.77)/6036.03) = 0.8535 (variances of C.1, C.2
// and their total: 25²·2.5, (100/99)²·1860 and those plus twice the
// covariance 25·(100/99)·51).
func TestAuditTable(t *testing.T) {
	t.Parallel()
	stdout, stderr, err := runCmd(t, "audit", "--framework", auditFW, "--data", auditData)
	if err != nil {
		t.Fatal(err, stderr)
	}
	for _, want := range []string{
		`(?m)^A\s+2\s+3\s+5\s+-3\.0000\s+0\.9123\s+1$`,
		`(?m)^B\s+2\s+2\s+5\s+1\.0000\s+1\.0000\s+1$`,
		`(?m)^C\s+2\s+2\s+5\s+0\.8535\s+0\.8740\s+1$`,
		`(?m)^negative_parent\s+A\s+A\.3\s+A\s+-0\.8000$`,
		`(?m)^collinear\s+A\s+A\.1\s+A\.3\s+-1\.0000$`,
		`(?m)^collinear\s+B\s+B\.1\s+B\.2\s+1\.0000$`,
		`(?m)^C\.2\s+C\s+0\.\d+\s+1\.0000\s`,
		`: 4\n`,
	} {
		if !regexp.MustCompile(want).MatchString(stdout) {
			t.Errorf("table lacks %s:\n%s", want, stdout)
		}
	}
}

// auditDoc is the part of audit's JSON the tests read.
type auditDoc struct {
	Framework string
	Units     int
	Groups    []struct {
		Parent            string
		Codes             []string
		Alpha             *float64
		Eigenvalues       []float64
		FirstShare        *float64 `json:"first_share"`
		Kaiser            *int
		Pearson, Spearman [][]float64
		WithParent        struct{ Pearson, Spearman []float64 } `json:"with_parent"`
		Notes             []string
	}
	Flags []struct{ Kind, Group, Code, With string }
}

func TestAuditJSON(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "audit.json") // the extension picks JSON
	if _, stderr, err := runCmd(t, "audit", "--framework", auditFW, "--data", auditData, "--level", "2", "--out", out); err != nil {
		t.Fatal(err, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var doc auditDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err, string(b))
	}
	if doc.Framework != "audit-demo" || doc.Units != 5 || len(doc.Groups) != 3 || len(doc.Flags) != 3 {
		t.Fatalf("doc: %s", b)
	}
	a, c := doc.Groups[0], doc.Groups[2]
	l1 := (3 + math.Sqrt(6.12)) / 2
	r := 204 / math.Sqrt(74400)
	checks := []struct {
		name      string
		got, want float64
	}{
		{"A alpha", *a.Alpha, -3},
		{"A λ1", a.Eigenvalues[0], l1},
		{"A λ3", a.Eigenvalues[2], 0},
		{"A r(A.1,A.2)", a.Pearson[0][1], 0.8},
		{"A r(A.3,A)", a.WithParent.Pearson[2], -0.8},
		{"C pearson", c.Pearson[1][0], r},
		{"C spearman", c.Spearman[1][0], 1},
		{"C share", *c.FirstShare, (1 + r) / 2},
	}
	for _, ch := range checks {
		if math.Abs(ch.got-ch.want) > 1e-6 { // JSON keeps 6 decimals
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
	if f := doc.Flags[0]; f.Kind != "negative_parent" || f.Group != "A" || f.Code != "A.3" || f.With != "A" {
		t.Errorf("flag %+v", f)
	}
}

// With more complete cases required than there are units, α and the PCA
// are null with a note, in JSON and in the table.
func TestAuditTooFewUnits(t *testing.T) {
	t.Parallel()
	stdout, _, err := runCmd(t, "audit", "--framework", auditFW, "--data", auditData, "--min-units", "6", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var doc auditDoc
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	g := doc.Groups[1]
	if g.Alpha != nil || g.Eigenvalues != nil || g.FirstShare != nil || g.Kaiser != nil ||
		len(g.Notes) != 1 || !strings.Contains(g.Notes[0], "fewer than 6") {
		t.Errorf("group %s: %+v", g.Parent, g)
	}
	stdout, _, err = runCmd(t, "audit", "--framework", auditFW, "--data", auditData, "--min-units", "6", "--format", "table")
	if err != nil || !strings.Contains(stdout, "A: 5 units scored on every child, fewer than 6") ||
		!regexp.MustCompile(`(?m)^A\s+2\s+3\s+5\s+—\s+—\s+—$`).MatchString(stdout) {
		t.Errorf("table: %v\n%s", err, stdout)
	}
}

func TestAuditBadFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--format", "csv"}, `--format "csv"`},
		{[]string{"--weak", "2"}, "weak threshold 2"},
		{[]string{"--collinear", "0"}, "collinear threshold 0"},
		{[]string{"--min-units", "1"}, "complete cases 1"},
		{[]string{"--level", "3"}, "level 3: framework audit-demo has indicator levels 1 to 2"},
	}
	for _, tc := range tests {
		args := append([]string{"audit", "--framework", auditFW, "--data", auditData}, tc.args...)
		if _, _, err := runCmd(t, args...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err %v, want %q", tc.args, err, tc.want)
		}
	}
}
