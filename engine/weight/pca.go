package weight

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"

	"github.com/sceval/sceval/engine/audit"
)

// PCAOptions selects how many components PCA weighting keeps. Zero values
// mean the OECD/JRC Handbook (2008, §6.1) defaults.
type PCAOptions struct {
	// Components forces the number of retained components (0 = choose by
	// the rule below).
	Components int
	// MinEigenvalue is the Kaiser criterion: keep components with
	// eigenvalue > MinEigenvalue (default 1).
	MinEigenvalue float64
	// MinShare: each kept component explains more than this share of the
	// variance (default 0.10).
	MinShare float64
	// MinCumulative: if the kept components explain less than this share
	// together, the next ones are added until they do (default 0.60).
	MinCumulative float64
	// NoRotation skips the varimax rotation.
	NoRotation bool
	// Codes optionally names the columns in errors and warnings.
	Codes []string
}

// PCAResult details a PCA-based weighting.
type PCAResult struct {
	// Weights sum to 1; constant columns get 0.
	Weights []float64
	// Eigenvalues of the correlation matrix, descending.
	Eigenvalues []float64
	// Retained is the number of factors kept.
	Retained int
	// Loadings is the (rotated) loading matrix, one row per column of the
	// input (zero rows for constant columns), one column per factor.
	Loadings [][]float64
	// ExplainedVariance is Σ_j l²_jf of each retained factor.
	ExplainedVariance []float64
	// Factor is the 0-based factor each column is assigned to (−1 for
	// constant columns).
	Factor []int
	// Units is the number of complete cases used.
	Units int
	// Warnings lists constant columns and components kept by the
	// cumulative-variance rule despite a small eigenvalue.
	Warnings []string
}

// PCA returns PCA-based weights; see PCADetail for the method.
func PCA(cols [][]float64, opt PCAOptions) ([]float64, error) {
	r, err := PCADetail(cols, opt)
	return r.Weights, err
}

// PCADetail computes weights from principal components as in the OECD/JRC
// Handbook on Constructing Composite Indicators (2008, §6.1, after
// Nicoletti, Scarpetta & Boylaud 2000):
//
//  1. the correlation matrix R of the indicators (complete cases: units
//     with a missing value are dropped);
//  2. retain the leading components with eigenvalue > 1 that each explain
//     more than 10 % of the variance, adding the next ones while the
//     cumulative share is below 60 % (or exactly Components);
//  3. loadings l_jf = v_jf·√λ_f, rotated by varimax (Kaiser 1958);
//  4. each indicator joins the factor on which its rotated loading is
//     largest in absolute value; its weight within that factor is the
//     squared loading scaled to unity sum, l²_jf / EV_f with
//     EV_f = Σ_j l²_jf, and the factor's weight is EV_f / Σ_g EV_g;
//  5. w_j = (l²_jf/EV_f)·(EV_f/Σ_g EV_g), normalised to sum 1 (which
//     reduces to w_j ∝ l²_j,f(j)).
//
// A constant column has no correlation: it gets weight 0 and a warning.
// At least two non-constant columns and more complete cases than
// columns are needed. Directions do not matter: loadings enter squared.
func PCADetail(cols [][]float64, opt PCAOptions) (PCAResult, error) {
	if err := checkColumns(cols, nil, opt.Codes, 2); err != nil {
		return PCAResult{}, fmt.Errorf("PCA weights: %w", err)
	}
	k := len(cols)
	cc := audit.CompleteCases(cols)
	res := PCAResult{Weights: make([]float64, k), Factor: make([]int, k), Units: len(cc[0])}
	var live []int
	var sub [][]float64
	for j, c := range cc {
		lo, hi, _ := observedRange(c)
		res.Factor[j] = -1
		if hi == lo {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s is constant over the complete cases: it gets weight 0", label(opt.Codes, j)))
			continue
		}
		live = append(live, j)
		sub = append(sub, c)
	}
	if len(live) < 2 {
		return PCAResult{}, fmt.Errorf("PCA weights: %d of %d indicators vary over the %d complete cases; need at least 2", len(live), k, res.Units)
	}
	if res.Units <= len(live) {
		return PCAResult{}, fmt.Errorf("PCA weights: %d complete cases for %d indicators; need more units than indicators", res.Units, len(live))
	}
	r, ok := audit.SymCorrelation(audit.Pearson(sub)) // sub has no NaN
	if !ok {
		return PCAResult{}, fmt.Errorf("PCA weights: correlation matrix undefined")
	}
	loadings, ev, err := principalLoadings(r)
	if err != nil {
		return PCAResult{}, fmt.Errorf("PCA weights: %w", err)
	}
	res.Eigenvalues = ev
	m, warn, err := retain(ev, opt)
	if err != nil {
		return PCAResult{}, fmt.Errorf("PCA weights: %w", err)
	}
	res.Retained = m
	res.Warnings = append(res.Warnings, warn...)
	l := loadings.Slice(0, len(live), 0, m).(*mat.Dense)
	if !opt.NoRotation {
		if l, _, err = Varimax(l); err != nil {
			return PCAResult{}, fmt.Errorf("PCA weights: %w", err)
		}
	}
	res.assign(l, live, k)
	return res, nil
}

// assign fills Loadings, ExplainedVariance, Factor and Weights from the
// (rotated) loadings l of the live columns.
func (res *PCAResult) assign(l *mat.Dense, live []int, k int) {
	_, m := l.Dims()
	res.Loadings = make([][]float64, k)
	for j := range res.Loadings {
		res.Loadings[j] = make([]float64, m)
	}
	res.ExplainedVariance = make([]float64, m)
	for a, j := range live {
		for f := 0; f < m; f++ {
			v := l.At(a, f)
			res.Loadings[j][f] = v
			res.ExplainedVariance[f] += v * v
		}
	}
	var totalEV float64
	for _, v := range res.ExplainedVariance {
		totalEV += v
	}
	for _, j := range live {
		best := 0
		for f := 1; f < m; f++ {
			if math.Abs(res.Loadings[j][f]) > math.Abs(res.Loadings[j][best]) {
				best = f
			}
		}
		res.Factor[j] = best
		ev := res.ExplainedVariance[best]
		l2 := res.Loadings[j][best] * res.Loadings[j][best]
		res.Weights[j] = (l2 / ev) * (ev / totalEV)
	}
	normaliseSum(res.Weights)
}

// principalLoadings returns the p×p loading matrix v_jf·√λ_f of the
// correlation matrix r, components ordered by descending eigenvalue, and
// the eigenvalues. Each component's sign is fixed so its loadings sum to
// a non-negative number (eigenvectors are defined only up to sign).
func principalLoadings(r *mat.SymDense) (*mat.Dense, []float64, error) {
	var eig mat.EigenSym
	if !eig.Factorize(r, true) {
		return nil, nil, fmt.Errorf("eigen decomposition did not converge")
	}
	vals := eig.Values(nil)
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	p := len(vals)
	order := make([]int, p)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return vals[order[a]] > vals[order[b]] })
	out := mat.NewDense(p, p, nil)
	ev := make([]float64, p)
	for f, src := range order {
		ev[f] = vals[src]
		scale := math.Sqrt(math.Max(vals[src], 0))
		var s float64
		for j := 0; j < p; j++ {
			s += vecs.At(j, src)
		}
		if s < 0 {
			scale = -scale
		}
		for j := 0; j < p; j++ {
			out.Set(j, f, vecs.At(j, src)*scale)
		}
	}
	return out, ev, nil
}

// retain applies the Handbook's retention rule to the descending
// eigenvalues ev of a p×p correlation matrix (Σ ev = p) and returns the
// number of components to keep.
func retain(ev []float64, opt PCAOptions) (int, []string, error) {
	p := len(ev)
	if opt.Components != 0 {
		if opt.Components < 1 || opt.Components > p {
			return 0, nil, fmt.Errorf("%d components requested, want 1..%d", opt.Components, p)
		}
		return opt.Components, nil, nil
	}
	minEig := defaultIfZero(opt.MinEigenvalue, 1)
	minShare := defaultIfZero(opt.MinShare, 0.10)
	minCum := defaultIfZero(opt.MinCumulative, 0.60)
	var total float64
	for _, v := range ev {
		total += v
	}
	m, cum := 0, 0.0
	for m < p && ev[m] > minEig && ev[m]/total > minShare {
		cum += ev[m] / total
		m++
	}
	first := m
	for m < p && (m == 0 || cum < minCum) {
		cum += ev[m] / total
		m++
	}
	var warn []string
	if m > first && first > 0 {
		warn = append(warn, fmt.Sprintf("components %d–%d (eigenvalues %.3g–%.3g) kept to reach %.0f%% cumulative variance; set the number of components to override",
			first+1, m, ev[first], ev[m-1], 100*minCum))
	}
	return m, warn, nil
}

// defaultIfZero returns v, or def when v is 0.
func defaultIfZero(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}
