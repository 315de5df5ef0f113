package engine

import "fmt"

// needsPositive reports whether an aggregation is defined for positive
// scores only (OECD–JRC Handbook 2008, §6.1): the geometric and harmonic
// means.
func needsPositive(method string) bool { return method == AggGeometric || method == AggHarmonic }

// IncompatibleError reports a normalisation whose scores an aggregation
// cannot take: plain z-scores (mean 0) are negative for every unit below
// the mean, and the geometric and harmonic means are undefined for
// negative scores. It is found before any scoring, for Score and for the
// alternatives of an Uncertainty analysis alike.
type IncompatibleError struct {
	// Where names the scheme part: an indicator ("indicator 1.2.1") or the
	// alternatives ("alternatives: normalisation 2 of 2 with aggregation 1 of 3").
	Where         string
	Normalisation string
	Aggregation   string
}

// Error says what is wrong and what to write instead.
func (e *IncompatibleError) Error() string {
	return fmt.Sprintf("%s: normalisation %s gives negative scores (every unit below the mean), which %s cannot aggregate: "+
		"shift the z-scores (zscore:50,10) or choose another normalisation or aggregation", e.Where, e.Normalisation, e.Aggregation)
}

// compatible returns an *IncompatibleError when scores normalised by n
// cannot be aggregated by a.
func compatible(where string, n Normalisation, a Aggregation) error {
	if n.Method == NormZScore && n.Mean == 0 && needsPositive(a.Method) {
		return &IncompatibleError{Where: where, Normalisation: n.Method, Aggregation: a.Method}
	}
	return nil
}

// checkCompatible checks every quantitative leaf's normalisation against
// its parent's aggregation.
func (p *plan) checkCompatible() error {
	for _, i := range p.leaves {
		if !isQuantitative(p.spec[i].kind) {
			continue
		}
		if err := compatible("indicator "+p.nodes[i].Code, p.norm[i], p.agg[p.nodes[i].Parent]); err != nil {
			return err
		}
	}
	return nil
}

// checkAlternatives checks every pair of an Uncertainty analysis's
// alternative normalisations and aggregations (the scheme's own standing in
// for a list not given) that a run may draw.
func (u *uncertainty) checkAlternatives(norms []*Normalisation) error {
	for i, n := range norms {
		if n == nil {
			continue
		}
		for j, a := range u.aggs {
			aggs := []Aggregation{}
			if a != nil {
				aggs = append(aggs, *a)
			} else {
				for _, k := range u.p.parents {
					aggs = append(aggs, u.p.agg[k])
				}
			}
			for _, ag := range aggs {
				if err := compatible(fmt.Sprintf("alternatives: normalisation %d of %d with aggregation %d of %d", i+1, len(norms), j+1, len(u.aggs)), *n, ag); err != nil {
					return err
				}
			}
		}
	}
	if len(u.cfg.Normalisations) == 0 {
		for j, a := range u.aggs {
			if a == nil {
				continue
			}
			for _, i := range u.p.leaves {
				if isQuantitative(u.p.spec[i].kind) {
					if err := compatible(fmt.Sprintf("indicator %s with aggregation alternative %d of %d", u.p.nodes[i].Code, j+1, len(u.aggs)), u.p.norm[i], *a); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}
