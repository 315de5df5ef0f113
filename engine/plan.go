package engine

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/sceval/sceval/framework"
)

// plan is a framework, data layout and scheme compiled into flat arrays:
// nodes in pre-order (root first), each leaf's normalisation and each
// parent's aggregation resolved, and the base sibling weights.
type plan struct {
	fw      *framework.Framework
	scheme  *Scheme
	units   []string
	nodes   []Node
	inds    []*framework.Indicator // nil at the root
	leaves  []int                  // node indices of leaves, file order
	spec    []leafSpec             // per node (leaves)
	norm    []Normalisation        // per node (leaves)
	agg     []Aggregation          // per node (parents)
	baseW   []float64              // per node sibling weight; 1 at the root
	parents []int                  // parents in reverse pre-order: children before parents
	dataW   bool                   // weights computed from data at aggregation time
	warn    []string
}

// compile builds the plan and checks that the scheme fits the framework and
// data (override and weight codes exist; every leaf kind can be scored).
func compile(fw *framework.Framework, d *Data, s *Scheme) (*plan, error) {
	if fw == nil || len(fw.Indicators) == 0 {
		return nil, errors.New("framework has no indicators")
	}
	if d == nil || len(d.Values) != len(d.Units)*len(d.Codes) {
		return nil, errors.New("data: len(Values) must equal len(Units)·len(Codes)")
	}
	s = s.Clone()
	if err := s.Validate(); err != nil {
		return nil, err
	}
	p := &plan{fw: fw, scheme: s, units: d.Units}
	p.nodes = append(p.nodes, Node{Code: fw.ID, Level: 0, Parent: -1, Column: -1})
	p.inds = append(p.inds, nil)
	index := map[*framework.Indicator]int{}
	fw.Walk(func(ind, parent *framework.Indicator, level int) bool {
		pi := 0
		if parent != nil {
			pi = index[parent]
		}
		index[ind] = len(p.nodes)
		p.nodes[pi].Children = append(p.nodes[pi].Children, len(p.nodes))
		p.nodes = append(p.nodes, Node{Code: ind.Code, Level: level, Parent: pi, Column: -1})
		p.inds = append(p.inds, ind)
		return true
	})
	n := len(p.nodes)
	p.spec, p.norm, p.agg = make([]leafSpec, n), make([]Normalisation, n), make([]Aggregation, n)
	if err := p.resolveMethods(d); err != nil {
		return nil, err
	}
	if err := p.resolveWeights(); err != nil {
		return nil, err
	}
	if err := p.checkCompatible(); err != nil {
		return nil, err
	}
	for i := n - 1; i >= 0; i-- {
		if len(p.nodes[i].Children) > 0 {
			p.parents = append(p.parents, i)
		}
	}
	return p, nil
}

// resolveMethods sets each leaf's column, spec and normalisation and each
// parent's aggregation, applying overrides in order.
func (p *plan) resolveMethods(d *Data) error {
	cols := make(map[string]int, len(d.Codes))
	for j, c := range d.Codes {
		cols[c] = j
	}
	used := map[string]bool{}
	for i := range p.nodes {
		nd := &p.nodes[i]
		ind := p.inds[i]
		if len(nd.Children) > 0 {
			p.agg[i] = p.scheme.Aggregation
			continue
		}
		p.leaves = append(p.leaves, i)
		if j, ok := cols[nd.Code]; ok {
			nd.Column = j
			used[nd.Code] = true
		} else {
			p.warn = append(p.warn, fmt.Sprintf("indicator %s: no column in the data; missing for every unit", nd.Code))
		}
		sp := leafSpec{kind: ind.Kind, target: ind.Target, goalposts: ind.Goalposts, sign: ind.Sign()}
		for _, l := range ind.Rubric {
			sp.rubric = append(sp.rubric, l.Score)
		}
		p.spec[i] = sp
		switch ind.Kind {
		case framework.Rubric:
			p.norm[i] = Normalisation{Method: NormRubric}
		case framework.Expert:
			p.norm[i] = Normalisation{Method: NormPassthrough}
		default:
			p.norm[i] = p.scheme.Normalisation
		}
	}
	for _, c := range d.Codes {
		if !used[c] {
			p.warn = append(p.warn, fmt.Sprintf("data column %s: not a leaf of framework %s; ignored", c, p.fw.ID))
		}
	}
	if err := p.applyOverrides(); err != nil {
		return err
	}
	p.resolveDefaultNormalisation()
	return nil
}

// normRaw is the normalisation of a quantitative leaf that enters TOPSIS
// with its raw values (the scheme sets no normalisation and the leaf's
// parent aggregates by TOPSIS): the values are kept, and TOPSIS takes the
// leaf's direction into account. It is internal: schemes cannot name it.
const normRaw = "raw"

// resolveDefaultNormalisation gives the leaves left with the unset
// normalisation their default (Scheme.Normalisation): raw values under a
// TOPSIS parent, min-max to [0,100] elsewhere.
func (p *plan) resolveDefaultNormalisation() {
	for _, i := range p.leaves {
		if p.norm[i].Method != "" {
			continue
		}
		if p.agg[p.nodes[i].Parent].Method == AggTOPSIS {
			p.norm[i] = Normalisation{Method: normRaw}
			continue
		}
		p.norm[i] = Normalisation{Method: NormMinMax, High: 100}
	}
}

// rawLeaves reports whether some leaf enters TOPSIS with its raw values.
func (p *plan) rawLeaves() bool {
	for _, i := range p.leaves {
		if p.norm[i].Method == normRaw {
			return true
		}
	}
	return false
}

func (p *plan) applyOverrides() error {
	var errs []error
	for k, o := range p.scheme.Overrides {
		var targets []int
		if len(o.Codes) > 0 {
			for _, c := range o.Codes {
				i := p.nodeIndex(c)
				if i < 0 {
					errs = append(errs, fmt.Errorf("overrides[%d]: unknown indicator code %q", k, c))
					continue
				}
				targets = append(targets, i)
			}
		} else {
			for i, nd := range p.nodes {
				if nd.Level == o.Level {
					targets = append(targets, i)
				}
			}
			if len(targets) == 0 {
				errs = append(errs, fmt.Errorf("overrides[%d].level: framework %s has no level %d (levels 0 = the root to %d)",
					k, p.fw.ID, o.Level, p.depth()))
				continue
			}
		}
		normalised, aggregated := false, false
		for _, i := range targets {
			leaf := len(p.nodes[i].Children) == 0
			if leaf && o.Normalisation != nil && (len(o.Codes) > 0 || isQuantitative(p.spec[i].kind)) {
				p.norm[i], normalised = *o.Normalisation, true
			}
			if !leaf && o.Aggregation != nil {
				p.agg[i], aggregated = *o.Aggregation, true
			}
		}
		// An override that applies to none of its targets is a mistake in
		// the scheme (a level of leaves given an aggregation, a parent given
		// a normalisation), not something to ignore silently.
		if len(targets) > 0 && o.Normalisation != nil && !normalised {
			errs = append(errs, fmt.Errorf("overrides[%d].normalisation: changes nothing: normalisation applies to leaves "+
				"(by level, to quantitative leaves only), and %s has none", k, overrideTargets(o)))
		}
		if len(targets) > 0 && o.Aggregation != nil && !aggregated {
			errs = append(errs, fmt.Errorf("overrides[%d].aggregation: changes nothing: aggregation applies to indicators "+
				"with children, and %s has none (leaves are normalised, not aggregated)", k, overrideTargets(o)))
		}
	}
	return errors.Join(errs...)
}

// overrideTargets names what an override applies to, for messages.
func overrideTargets(o Override) string {
	if len(o.Codes) > 0 {
		return "codes " + strings.Join(o.Codes, ", ")
	}
	return fmt.Sprintf("level %d", o.Level)
}

// depth is the deepest node level (0 for a root alone).
func (p *plan) depth() int {
	d := 0
	for _, nd := range p.nodes {
		d = max(d, nd.Level)
	}
	return d
}

func isQuantitative(k framework.Kind) bool { return k == framework.Quantitative || k == "" }

func (p *plan) nodeIndex(code string) int {
	for i, nd := range p.nodes {
		if nd.Code == code {
			return i
		}
	}
	return -1
}

// resolveWeights sets the base sibling weights per the weighting method:
// framework (framework.SiblingWeights), equal (1/k), manual (given weights,
// the framework's for siblings without one, renormalised to sum 1).
// Data-driven methods start from equal weights and are recomputed at
// aggregation time; AHP derives each group's weights from the matrices.
func (p *plan) resolveWeights() error {
	p.baseW = make([]float64, len(p.nodes))
	p.baseW[0] = 1
	wm := p.scheme.Weighting
	// Every unknown code is reported, in sorted order, so that the message
	// does not depend on map iteration order.
	var errs []error
	for _, code := range slices.Sorted(maps.Keys(wm.Weights)) {
		if i := p.nodeIndex(code); i <= 0 {
			errs = append(errs, fmt.Errorf("weighting.weights: unknown indicator code %q", code))
		}
	}
	for _, code := range slices.Sorted(maps.Keys(wm.AHP)) {
		if i := p.nodeIndex(code); code != "" && (i < 0 || len(p.nodes[i].Children) == 0) {
			errs = append(errs, fmt.Errorf("weighting.ahp: %q is not a parent indicator of framework %s", code, p.fw.ID))
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	for i, nd := range p.nodes {
		if len(nd.Children) == 0 {
			continue
		}
		sib := make([]*framework.Indicator, len(nd.Children))
		for k, c := range nd.Children {
			sib[k] = p.inds[c]
		}
		w := framework.SiblingWeights(sib)
		switch wm.Method {
		case WeightEqual, WeightEntropy, WeightCRITIC, WeightPCA:
			for k := range w {
				w[k] = 1 / float64(len(w))
			}
			p.dataW = wm.Method != WeightEqual
		case WeightManual:
			for k, ind := range sib {
				if v, ok := wm.Weights[ind.Code]; ok {
					w[k] = v
				}
			}
			normaliseSum(w)
		case WeightAHP:
			aw, warn, err := ahpWeights(wm.AHP, p.nodes[i].Code, i == 0, len(w))
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if aw != nil {
				w = aw
			}
			p.warn = append(p.warn, warn...)
		}
		for k, c := range nd.Children {
			p.baseW[c] = w[k]
		}
	}
	return errors.Join(errs...)
}

// normaliseSum scales w to sum 1.
func normaliseSum(w []float64) {
	s := 0.0
	for _, v := range w {
		s += v
	}
	if s > 0 {
		for i := range w {
			w[i] /= s
		}
	}
}

// childWeights returns the children's weights of parent i from per-node
// weights.
func (p *plan) childWeights(i int, w []float64, dst []float64) []float64 {
	dst = dst[:0]
	for _, c := range p.nodes[i].Children {
		dst = append(dst, w[c])
	}
	return dst
}

// effective returns per-node effective weights (products from the root).
func (p *plan) effective(w []float64) []float64 {
	e := make([]float64, len(w))
	e[0] = 1
	for i := 1; i < len(p.nodes); i++ {
		e[i] = e[p.nodes[i].Parent] * w[i]
	}
	return e
}

// leafParent reports whether every child of node i is a leaf.
func (p *plan) leafParent(i int) bool {
	for _, c := range p.nodes[i].Children {
		if len(p.nodes[c].Children) > 0 {
			return false
		}
	}
	return len(p.nodes[i].Children) > 0
}
