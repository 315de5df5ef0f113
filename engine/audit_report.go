package engine

import (
	"errors"
	"fmt"
	"math"

	"github.com/sceval/sceval/engine/audit"
)

// AuditOptions configures Audit. Start from DefaultAuditOptions: the zero
// value is not valid.
type AuditOptions struct {
	// Level restricts the audit to the sibling groups whose children are at
	// this level (1 = the first-level indicators under the root); 0 audits
	// every group.
	Level int
	// Weak flags a child whose Pearson correlation with its parent is
	// below it (but not negative): 0.3 by default, COINr's "weak"
	// threshold. Must be in [0, 1].
	Weak float64
	// Collinear flags a pair of siblings with |r| above it: 0.9 by
	// default, as COINr's get_corr_flags. Must be in (0, 1].
	Collinear float64
	// MinUnits is the number of complete cases (units scored on every
	// child) below which α and the PCA are not computed: 3 by default
	// (with two units every correlation is ±1). Must be at least 2.
	MinUnits int
}

// DefaultAuditOptions returns the defaults: every level, weak below 0.3,
// collinear above |r| = 0.9, at least 3 complete cases.
func DefaultAuditOptions() AuditOptions {
	return AuditOptions{Weak: 0.3, Collinear: 0.9, MinUnits: 3}
}

// ErrAuditOptions reports invalid AuditOptions.
var ErrAuditOptions = errors.New("invalid audit options")

// Validate reports whether the options are usable (Audit checks them
// too); the level is checked against the framework by Audit.
func (o AuditOptions) Validate() error {
	switch {
	case o.Level < 0:
		return fmt.Errorf("%w: level %d is negative", ErrAuditOptions, o.Level)
	case !(o.Weak >= 0 && o.Weak <= 1):
		return fmt.Errorf("%w: weak threshold %v is not in [0, 1]", ErrAuditOptions, o.Weak)
	case !(o.Collinear > 0 && o.Collinear <= 1):
		return fmt.Errorf("%w: collinear threshold %v is not in (0, 1]", ErrAuditOptions, o.Collinear)
	case o.MinUnits < 2:
		return fmt.Errorf("%w: minimum complete cases %d is below 2", ErrAuditOptions, o.MinUnits)
	}
	return nil
}

// AuditReport is the statistical audit of a scored framework: one entry
// per sibling group and the flags raised.
type AuditReport struct {
	FrameworkID string
	// Units is the number of units in the result.
	Units int
	// Options are the options used.
	Options AuditOptions
	// Groups holds one entry per parent node with children, in framework
	// order (the root's children first).
	Groups []AuditGroup
	// Flags lists, group by group, the children that correlate negatively
	// or weakly with their parent and the collinear sibling pairs.
	Flags []AuditFlag
}

// AuditGroup is the audit of the children of one parent node: internal
// consistency, variance structure and correlations within and across
// levels. Index j of every per-child slice is Codes[j].
type AuditGroup struct {
	// Parent is the parent's code (the framework ID for the root).
	Parent string
	// Level is the children's level (1 = first-level indicators).
	Level int
	// Codes are the children's codes in framework order.
	Codes []string
	// CompleteCases is the number of units scored on every child; α and
	// the PCA use these units only.
	CompleteCases int
	// Alpha is Cronbach's α of the children taken as items (NaN when
	// undefined; see Notes).
	Alpha float64
	// Eigenvalues of the children's correlation matrix, descending; nil
	// when undefined.
	Eigenvalues []float64
	// FirstShare is λ₁/k, the share of variance of the first principal
	// component (NaN when undefined).
	FirstShare float64
	// Kaiser is the number of eigenvalues greater than 1 (0 when
	// undefined): 1 says the group is unidimensional.
	Kaiser int
	// Pearson and Spearman are the k×k pairwise-complete correlation
	// matrices of the children.
	Pearson, Spearman [][]float64
	// ParentPearson[j] and ParentSpearman[j] correlate child j with the
	// parent's score.
	ParentPearson, ParentSpearman []float64
	// IndexPearson[j] and IndexSpearman[j] correlate child j with the
	// overall index (equal to the Parent ones under the root).
	IndexPearson, IndexSpearman []float64
	// Notes say why a figure is undefined.
	Notes []string
}

// AuditFlagKind names what an AuditFlag reports.
type AuditFlagKind string

// The flags of an audit (COINr get_corr_flags and plot_corr; OECD/JRC
// Handbook 2008, §4).
const (
	// FlagNegative: a child correlates negatively with its parent; it
	// pulls the aggregate the other way.
	FlagNegative AuditFlagKind = "negative_parent"
	// FlagWeak: a child correlates with its parent below Weak; it adds
	// little to the aggregate, or measures something else.
	FlagWeak AuditFlagKind = "weak_parent"
	// FlagCollinear: two siblings correlate with |r| above Collinear; they
	// may count the same thing twice.
	FlagCollinear AuditFlagKind = "collinear"
)

// AuditFlag is one finding of the audit.
type AuditFlag struct {
	Kind AuditFlagKind
	// Group is the parent code of the sibling group.
	Group string
	// Code is the child flagged (the first of a collinear pair).
	Code string
	// Other is the parent (negative, weak) or the second sibling
	// (collinear).
	Other string
	// R is Pearson's r that raised the flag.
	R float64
}

// kaiserTol keeps an eigenvalue equal to 1 up to rounding (an orthogonal
// pair) out of the Kaiser count.
const kaiserTol = 1e-9

// Audit is the statistical audit of a scored framework, in the manner of
// the OECD/JRC Handbook on Constructing Composite Indicators (Nardo et al.
// 2008: Step 4 "Multivariate analysis", and Part 2 on principal components
// and Cronbach's coefficient alpha) and of COINr's get_corr,
// get_corr_flags, get_cronbach and get_PCA. It works on
// r's scores (normalised leaves and aggregated parents, all higher is
// better) and audits each parent's children as a group:
//
//   - internal consistency: Cronbach's (1951) α over the complete cases,
//     α = k/(k−1)·(1 − Σσ²_j/σ²_T);
//   - variance structure: the eigenvalues λ of the children's correlation
//     matrix (complete cases), the first component's share λ₁/k and the
//     number of λ > 1 (Kaiser's criterion; one says "unidimensional");
//   - correlations within the level: Pearson and Spearman matrices of the
//     siblings (pairwise-complete);
//   - correlations across levels: each child with its parent and with the
//     overall index (Pearson and Spearman, pairwise-complete).
//
// Flags follow COINr: a child whose Pearson r with its parent is negative
// (FlagNegative) or below opt.Weak (FlagWeak), and sibling pairs with
// |r| > opt.Collinear (FlagCollinear). A child's score is part of its
// parent's, so r with the parent is biased upwards (part–whole
// correlation): a weak one is the more telling. The correlation with the
// index is the linear version of the check of Becker et al. (2017), who
// show that a child's effective importance, its association with the
// index, can differ widely from its nominal weight. The result is
// deterministic.
//
// Sources: Cronbach, L. J. (1951), Coefficient alpha and the internal
// structure of tests, Psychometrika 16(3): 297–334; Kaiser, H. F. (1960),
// Educational and Psychological Measurement 20: 141–151; Nardo, M. et al.
// (2008), Handbook on Constructing Composite Indicators, OECD/JRC; Becker,
// W., Saisana, M., Paruolo, P. & Vandecasteele, I. (2017), Weights and
// importance in composite indicators: closing the gap, Ecological
// Indicators 80: 12–22.
func Audit(r *Result, opt AuditOptions) (*AuditReport, error) {
	if err := opt.Validate(); err != nil {
		return nil, err
	}
	if r == nil || len(r.Nodes) == 0 || len(r.Score) != len(r.Units)*len(r.Nodes) {
		return nil, errors.New("audit: empty or inconsistent result")
	}
	deepest := 0
	for _, n := range r.Nodes {
		deepest = max(deepest, n.Level)
	}
	if opt.Level > deepest {
		return nil, fmt.Errorf("%w: level %d: framework %s has indicator levels 1 to %d", ErrAuditOptions, opt.Level, r.FrameworkID, deepest)
	}
	rep := &AuditReport{FrameworkID: r.FrameworkID, Units: len(r.Units), Options: opt}
	index := scoreColumn(r, 0)
	for p, n := range r.Nodes {
		if len(n.Children) == 0 || (opt.Level > 0 && n.Level+1 != opt.Level) {
			continue
		}
		g := auditGroup(r, p, index, opt)
		rep.Flags = append(rep.Flags, g.flags(opt)...)
		rep.Groups = append(rep.Groups, g)
	}
	return rep, nil
}

// auditGroup audits the children of node p; index is the root's column.
func auditGroup(r *Result, p int, index []float64, opt AuditOptions) AuditGroup {
	node := r.Nodes[p]
	k := len(node.Children)
	g := AuditGroup{Parent: node.Code, Level: node.Level + 1, Codes: make([]string, k),
		Alpha: math.NaN(), FirstShare: math.NaN()}
	cols := make([][]float64, k, k+2)
	for j, c := range node.Children {
		g.Codes[j] = r.Nodes[c].Code
		cols[j] = scoreColumn(r, c)
	}
	// One matrix over the children, the parent and (below the root) the
	// index: with pairwise-complete observations each entry is its own
	// pair's correlation, so the children's block is their matrix (equal
	// up to rounding to computing it alone).
	all := append(cols, scoreColumn(r, p))
	ix := k
	if p != 0 {
		all, ix = append(all, index), k+1
	}
	pear, spear := audit.Pearson(all), audit.Spearman(all)
	g.Pearson, g.Spearman = topLeft(pear, k), topLeft(spear, k)
	g.ParentPearson, g.ParentSpearman = columnHead(pear, k, k), columnHead(spear, k, k)
	g.IndexPearson, g.IndexSpearman = columnHead(pear, ix, k), columnHead(spear, ix, k)
	for j, v := range g.ParentPearson {
		if math.IsNaN(v) {
			g.Notes = append(g.Notes, fmt.Sprintf("%s: no correlation with %s (constant, or fewer than two units scored on both)", g.Codes[j], g.Parent))
		}
	}
	g.consistency(cols, opt)
	return g
}

// consistency fills Alpha, CompleteCases and the PCA figures from the
// complete cases of the children's columns.
func (g *AuditGroup) consistency(cols [][]float64, opt AuditOptions) {
	cc := audit.CompleteCases(cols)
	g.CompleteCases = len(cc[0])
	switch {
	case len(cols) < 2:
		g.Notes = append(g.Notes, "one child: α and PCA need two or more")
		return
	case g.CompleteCases < opt.MinUnits:
		g.Notes = append(g.Notes, fmt.Sprintf("%d units scored on every child, fewer than %d: α and PCA not computed", g.CompleteCases, opt.MinUnits))
		return
	}
	g.Alpha = audit.CronbachAlpha(cc)
	if math.IsNaN(g.Alpha) {
		g.Notes = append(g.Notes, "α undefined: the children's totals are constant over the complete cases")
	}
	ev, share := audit.PCAVariance(cc)
	if ev == nil {
		g.Notes = append(g.Notes, "PCA undefined: a child is constant over the complete cases")
		return
	}
	g.Eigenvalues, g.FirstShare = ev, share[0]
	for _, v := range ev {
		if v > 1+kaiserTol {
			g.Kaiser++
		}
	}
}

// flags returns the group's flags: children correlating negatively or
// weakly with the parent, in child order, then collinear pairs (j < l).
// An undefined correlation raises no flag.
func (g *AuditGroup) flags(opt AuditOptions) []AuditFlag {
	var out []AuditFlag
	for j, code := range g.Codes {
		switch r := g.ParentPearson[j]; {
		case r < 0:
			out = append(out, AuditFlag{Kind: FlagNegative, Group: g.Parent, Code: code, Other: g.Parent, R: r})
		case r < opt.Weak:
			out = append(out, AuditFlag{Kind: FlagWeak, Group: g.Parent, Code: code, Other: g.Parent, R: r})
		}
	}
	for j := range g.Codes {
		for l := j + 1; l < len(g.Codes); l++ {
			if r := g.Pearson[j][l]; math.Abs(r) > opt.Collinear {
				out = append(out, AuditFlag{Kind: FlagCollinear, Group: g.Parent, Code: g.Codes[j], Other: g.Codes[l], R: r})
			}
		}
	}
	return out
}

// scoreColumn returns the scores of node k across units (a copy).
func scoreColumn(r *Result, k int) []float64 {
	m := len(r.Nodes)
	c := make([]float64, len(r.Units))
	for u := range c {
		c[u] = r.Score[u*m+k]
	}
	return c
}

// topLeft returns the k×k upper-left block of m (sharing its storage).
func topLeft(m [][]float64, k int) [][]float64 {
	out := make([][]float64, k)
	for j := range out {
		out[j] = m[j][:k:k]
	}
	return out
}

// columnHead returns m[0..k−1][c], a copy.
func columnHead(m [][]float64, c, k int) []float64 {
	out := make([]float64, k)
	for j := range out {
		out[j] = m[j][c]
	}
	return out
}
