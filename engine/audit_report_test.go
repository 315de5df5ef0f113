package engine

import (
	"errors"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// auditNode is one node of a hand-built Result: its code, its parent's
// code ("" for the root) and its scores across units.
type auditNode struct {
	code, parent string
	scores       []float64
}

// auditResult builds a Result holding only what Audit reads (units, nodes
// in pre-order, scores); nodes[0] is the root.
func auditResult(t *testing.T, nodes ...auditNode) *Result {
	t.Helper()
	n := len(nodes[0].scores)
	r := &Result{FrameworkID: nodes[0].code, Units: make([]string, n)}
	at := map[string]int{}
	for k, nd := range nodes {
		if len(nd.scores) != n {
			t.Fatalf("node %s: %d scores, want %d", nd.code, len(nd.scores), n)
		}
		node := Node{Code: nd.code, Parent: -1, Column: -1}
		if k > 0 {
			p := at[nd.parent]
			node.Parent, node.Level = p, r.Nodes[p].Level+1
			r.Nodes[p].Children = append(r.Nodes[p].Children, k)
		}
		at[nd.code] = k
		r.Nodes = append(r.Nodes, node)
	}
	r.Score = make([]float64, n*len(nodes))
	for k, nd := range nodes {
		for u, v := range nd.scores {
			r.Score[u*len(nodes)+k] = v
		}
	}
	return r
}

// meanOf returns the element-wise mean of the columns.
func meanOf(cols ...[]float64) []float64 {
	out := make([]float64, len(cols[0]))
	for _, c := range cols {
		for i, v := range c {
			out[i] += v / float64(len(cols))
		}
	}
	return out
}

// handFramework is the worked example of docs/methods.md ("Statistical
// audit") with five units, already normalised to 0–100:
//
//	A.1 = (0, 25, 50, 75, 100)   A.2 = (0, 50, 25, 100, 75)   A.3 = 100 − A.1
//	B.1 = B.2 = (0, 20, 40, 60, 100)
//	C.1 = A.1                    C.2 = min-max of (1, 2, 4, 8, 100)
//
// and every parent the mean of its children.
func handFramework(t *testing.T) *Result {
	a1 := []float64{0, 25, 50, 75, 100}
	a2 := []float64{0, 50, 25, 100, 75}
	a3 := []float64{100, 75, 50, 25, 0}
	b := []float64{0, 20, 40, 60, 100}
	c2 := []float64{0, 100.0 / 99, 300.0 / 99, 700.0 / 99, 100}
	A, C := meanOf(a1, a2, a3), meanOf(a1, c2)
	return auditResult(t,
		auditNode{"T", "", meanOf(A, b, C)},
		auditNode{"A", "T", A},
		auditNode{"A.1", "A", a1}, auditNode{"A.2", "A", a2}, auditNode{"A.3", "A", a3},
		auditNode{"B", "T", b},
		auditNode{"B.1", "B", b}, auditNode{"B.2", "B", b},
		auditNode{"C", "T", C},
		auditNode{"C.1", "C", a1}, auditNode{"C.2", "C", c2},
	)
}

func auditNear(a, b, tol float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= tol
}

// Hand calculations for group A. Centred, A.1 = (−50, −25, 0, 25, 50) and
// A.2 = (−50, 0, −25, 50, 25), each with Σd² = 6250; A.1·A.2 = 5000, so
// r(A.1, A.2) = 0.8; A.3 = −A.1 gives r = −1 and −0.8. Item variances
// 1562.5 each; the totals (100, 150, 125, 200, 175) also vary by 1562.5,
// so α = 3/2·(1 − 3) = −3. A = (100 + A.2)/3 since A.1 + A.3 = 100: r(A.2,
// A) = 1, r(A.1, A) = 0.8, r(A.3, A) = −0.8. The correlation matrix has the
// null vector (1, 0, 1) and, on (1, 0, −1)/√2 and (0, 1, 0), the block
// [[2, 0.8√2], [0.8√2, 1]]: λ = (3 ± √6.12)/2, share λ₁/3.
func TestAuditHandGroupA(t *testing.T) {
	t.Parallel()
	rep, err := Audit(handFramework(t), DefaultAuditOptions())
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Groups) != 4 || rep.Groups[0].Parent != "T" || rep.Groups[1].Parent != "A" {
		t.Fatalf("groups: %+v", rep.Groups)
	}
	g := rep.Groups[1]
	l1 := (3 + math.Sqrt(6.12)) / 2
	checks := []struct {
		name      string
		got, want float64
	}{
		{"alpha", g.Alpha, -3},
		{"λ1", g.Eigenvalues[0], l1},
		{"λ2", g.Eigenvalues[1], 3 - l1},
		{"λ3", g.Eigenvalues[2], 0},
		{"first share", g.FirstShare, l1 / 3},
		{"kaiser", float64(g.Kaiser), 1},
		{"complete cases", float64(g.CompleteCases), 5},
		{"r(A.1,A.2)", g.Pearson[0][1], 0.8},
		{"r(A.1,A.3)", g.Pearson[0][2], -1},
		{"r(A.2,A.3)", g.Pearson[1][2], -0.8},
		{"ρ(A.2,A.3)", g.Spearman[2][1], -0.8},
		{"r(A.1,A)", g.ParentPearson[0], 0.8},
		{"r(A.2,A)", g.ParentPearson[1], 1},
		{"r(A.3,A)", g.ParentPearson[2], -0.8},
		{"ρ(A.3,A)", g.ParentSpearman[2], -0.8},
	}
	for _, c := range checks {
		if !auditNear(c.got, c.want, 1e-9) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

// Group B has two identical children: α = 1, eigenvalues 2 and 0, the
// first component explains everything, and the pair is collinear. Group
// C is monotone but not linear: Spearman's ρ = 1 while Pearson's r is,
// from the raw (1, 2, 4, 8, 100) against (0, 1, 2, 3, 4) (r does not
// change under min-max), Σdxdy = 204, Σdx² = 10, Σdy² = 7440:
// r = 204/√74400.
func TestAuditPerfectAndMonotone(t *testing.T) {
	t.Parallel()
	rep, err := Audit(handFramework(t), DefaultAuditOptions())
	if err != nil {
		t.Fatal(err)
	}
	b, c := rep.Groups[2], rep.Groups[3]
	checks := []struct {
		name      string
		got, want float64
	}{
		{"B alpha", b.Alpha, 1},
		{"B λ1", b.Eigenvalues[0], 2},
		{"B λ2", b.Eigenvalues[1], 0},
		{"B first share", b.FirstShare, 1},
		{"B kaiser", float64(b.Kaiser), 1},
		{"C pearson", c.Pearson[0][1], 204 / math.Sqrt(74400)},
		{"C spearman", c.Spearman[0][1], 1},
	}
	for _, ch := range checks {
		if !auditNear(ch.got, ch.want, 1e-9) {
			t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
		}
	}
}

// Perfectly correlated children of unequal variance are not α = 1: α is
// not standardised. For x and 2x + 1, α = 2·(1 − 5v/9v) = 8/9, while the
// PCA (on correlations) still puts all variance in one component.
func TestAuditAlphaNotStandardised(t *testing.T) {
	t.Parallel()
	x := []float64{1, 2, 3, 4}
	y := []float64{3, 5, 7, 9}
	rep, err := Audit(auditResult(t, auditNode{"T", "", meanOf(x, y)}, auditNode{"x", "T", x}, auditNode{"y", "T", y}),
		DefaultAuditOptions())
	if err != nil {
		t.Fatal(err)
	}
	g := rep.Groups[0]
	if !auditNear(g.Alpha, 8.0/9, 1e-12) || !auditNear(g.FirstShare, 1, 1e-12) {
		t.Errorf("alpha %v, first share %v; want 8/9 and 1", g.Alpha, g.FirstShare)
	}
}

// The flags of the hand example: under the root, B and C are collinear
// (both rise steeply towards the last unit: r ≈ 0.977); A.3 is negative
// with its parent; A.1–A.3 (r = −1) and B.1–B.2 (r = 1) are collinear.
// With Weak = 0.85, A.1 (r = 0.8) becomes weak.
func TestAuditFlags(t *testing.T) {
	t.Parallel()
	res := handFramework(t)
	rep, err := Audit(res, DefaultAuditOptions())
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Flags {
		got = append(got, string(f.Kind)+" "+f.Code+" "+f.Other)
	}
	want := "collinear B C|negative_parent A.3 A|collinear A.1 A.3|collinear B.1 B.2"
	if strings.Join(got, "|") != want {
		t.Errorf("flags %q, want %q", strings.Join(got, "|"), want)
	}
	if f := rep.Flags[1]; !auditNear(f.R, -0.8, 1e-12) || f.Group != "A" {
		t.Errorf("negative flag %+v", f)
	}
	opt := DefaultAuditOptions()
	opt.Weak, opt.Level = 0.85, 2
	rep, err = Audit(res, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Groups) != 3 || rep.Flags[0].Kind != FlagWeak || rep.Flags[0].Code != "A.1" {
		t.Errorf("level 2, weak 0.85: %d groups, flags %+v", len(rep.Groups), rep.Flags)
	}
}

// Correlations across levels agree with gonum/stat.Correlation, an
// independent implementation; under the root the parent is the index.
func TestAuditAcrossLevelsMatchesGonum(t *testing.T) {
	t.Parallel()
	res := handFramework(t)
	rep, err := Audit(res, DefaultAuditOptions())
	if err != nil {
		t.Fatal(err)
	}
	index := scoreColumn(res, 0)
	for _, g := range rep.Groups {
		p := scoreColumn(res, res.NodeIndex(g.Parent))
		for j, code := range g.Codes {
			x := scoreColumn(res, res.NodeIndex(code))
			if want := stat.Correlation(x, p, nil); !auditNear(g.ParentPearson[j], want, 1e-12) {
				t.Errorf("r(%s, %s) = %v, gonum %v", code, g.Parent, g.ParentPearson[j], want)
			}
			if want := stat.Correlation(x, index, nil); !auditNear(g.IndexPearson[j], want, 1e-12) {
				t.Errorf("r(%s, index) = %v, gonum %v", code, g.IndexPearson[j], want)
			}
		}
	}
	if g := rep.Groups[0]; g.IndexSpearman[2] != g.ParentSpearman[2] {
		t.Errorf("root group: index %v, parent %v", g.IndexSpearman, g.ParentSpearman)
	}
}

// Undefined figures are NaN with a note: a single child, too few complete
// cases, a constant child. Missing values drop units from α (complete
// cases) but not from correlations (pairwise).
func TestAuditUndefinedAndMissing(t *testing.T) {
	t.Parallel()
	nan := math.NaN()
	res := auditResult(t,
		auditNode{"T", "", []float64{1, 2, 3, 4}},
		auditNode{"S", "T", []float64{1, 2, 3, 4}},
		auditNode{"S.1", "S", []float64{1, 2, 3, 4}},
		auditNode{"M", "T", []float64{1, 2, 3, 4}},
		auditNode{"M.1", "M", []float64{1, 2, 3, 4}},
		auditNode{"M.2", "M", []float64{nan, 2, nan, 4}},
		auditNode{"K", "T", []float64{1, 2, 3, 4}},
		auditNode{"K.1", "K", []float64{1, 2, 3, 4}},
		auditNode{"K.2", "K", []float64{5, 5, 5, 5}},
	)
	rep, err := Audit(res, DefaultAuditOptions())
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]AuditGroup{}
	for _, g := range rep.Groups {
		groups[g.Parent] = g
	}
	tests := []struct {
		group, note string
	}{
		{"S", "one child"},
		{"M", "2 units scored on every child, fewer than 3"},
		{"K", "PCA undefined"},
		{"K", "K.2: no correlation with K"},
	}
	for _, tc := range tests {
		g := groups[tc.group]
		if !strings.Contains(strings.Join(g.Notes, "\n"), tc.note) {
			t.Errorf("%s notes %q, want %q", tc.group, g.Notes, tc.note)
		}
		if g.Eigenvalues != nil || !math.IsNaN(g.FirstShare) {
			t.Errorf("%s: PCA %v %v, want undefined", tc.group, g.Eigenvalues, g.FirstShare)
		}
	}
	if m := groups["M"]; m.CompleteCases != 2 || m.Pearson[0][1] != 1 || !math.IsNaN(m.Alpha) {
		t.Errorf("M: %d complete cases, r %v, α %v", m.CompleteCases, m.Pearson[0][1], m.Alpha)
	}
	// K's α is defined (item variances 5/3 and 0, totals 5/3): 2·(1 − 1) = 0.
	if k := groups["K"]; !auditNear(k.Alpha, 0, 1e-12) {
		t.Errorf("K: α %v, want 0", k.Alpha)
	}
}

func TestAuditOptionsRejected(t *testing.T) {
	t.Parallel()
	res := handFramework(t)
	bad := []func(o *AuditOptions){
		func(o *AuditOptions) { *o = AuditOptions{} },
		func(o *AuditOptions) { o.Weak = -0.1 },
		func(o *AuditOptions) { o.Collinear = 1.5 },
		func(o *AuditOptions) { o.MinUnits = 1 },
		func(o *AuditOptions) { o.Level = 4 },
		func(o *AuditOptions) { o.Weak = math.NaN() },
	}
	for i, f := range bad {
		opt := DefaultAuditOptions()
		f(&opt)
		if _, err := Audit(res, opt); !errors.Is(err, ErrAuditOptions) {
			t.Errorf("case %d (%+v): err %v, want ErrAuditOptions", i, opt, err)
		}
	}
}
