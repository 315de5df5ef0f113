package platform

import (
	"encoding/binary"
	"math"

	"github.com/sceval/sceval/engine"
)

// pilotCoverage is what a pilot's accepted inputs cover.
type pilotCoverage struct {
	// share is reported applicable leaves / applicable leaves (0 when
	// nothing is applicable).
	share   float64
	missing []string
}

// coverageOf reads encoded inputs: a leaf marked not applicable
// (notApplicableBits) is out of the count, any other NaN is missing.
func (p *leafPlan) coverageOf(inputs []byte) pilotCoverage {
	var pc pilotCoverage
	applicable := 0
	for j, l := range p.leaves {
		if 8*j+8 > len(inputs) {
			break
		}
		bits := binary.LittleEndian.Uint64(inputs[8*j:])
		if bits == notApplicableBits {
			continue
		}
		applicable++
		if math.IsNaN(math.Float64frombits(bits)) {
			pc.missing = append(pc.missing, l.Code)
		}
	}
	if applicable > 0 {
		pc.share = float64(applicable-len(pc.missing)) / float64(applicable)
	}
	return pc
}

// scoreWithCoverage scores data and applies the coverage threshold: pilots
// below it keep the scores of the run over every pilot but lose rank and
// stars; when some pilots are below and some above, the pilots above are
// scored, ranked and rated again among themselves, so that the flagged
// pilots touch neither their ranks nor (under a relative scheme) their
// scores. Root coverage is replaced by the share of applicable leaves.
func (s *Service) scoreWithCoverage(p *leafPlan, data *engine.Data, scheme *engine.Scheme, inputs []AcceptedInput, threshold float64) (*ResultSet, *engine.Result, error) {
	covs := make([]pilotCoverage, len(inputs))
	var ranked []int
	for i, in := range inputs {
		covs[i] = p.coverageOf(in.Inputs)
		if covs[i].share >= threshold-1e-9 {
			ranked = append(ranked, i)
		}
	}
	res, err := engine.Score(p.fw, data, scheme)
	if err != nil {
		return nil, nil, err
	}
	rs := resultSet(res, inputs)
	nodes := len(rs.Nodes)
	rs.Missing, rs.Ranked = make([][]string, len(inputs)), make([]bool, len(inputs))
	for i := range inputs {
		rs.Missing[i] = covs[i].missing
	}
	for _, i := range ranked {
		rs.Ranked[i] = true
	}
	if len(ranked) < len(inputs) {
		for i := range inputs {
			if !rs.Ranked[i] {
				clear(rs.Rank[i*nodes : (i+1)*nodes])
				rs.Stars[i] = -1
			}
		}
		if len(ranked) > 0 {
			sub, err := engine.Score(p.fw, subsetData(data, ranked), scheme)
			if err != nil {
				return nil, nil, err
			}
			for k, i := range ranked {
				copy(rs.Score[i*nodes:(i+1)*nodes], sub.Score[k*nodes:(k+1)*nodes])
				copy(rs.Rank[i*nodes:(i+1)*nodes], sub.Rank[k*nodes:(k+1)*nodes])
				copy(rs.Coverage[i*nodes:(i+1)*nodes], sub.Coverage[k*nodes:(k+1)*nodes])
				copy(rs.Contribution[i*nodes:(i+1)*nodes], sub.Contribution[k*nodes:(k+1)*nodes])
				rs.Stars[i] = sub.Stars[k]
			}
		}
	}
	for i := range inputs {
		rs.Coverage[i*nodes] = covs[i].share
	}
	return rs, res, nil
}

// subsetData returns the rows rows of d, in that order.
func subsetData(d *engine.Data, rows []int) *engine.Data {
	n := len(d.Codes)
	out := &engine.Data{Units: make([]string, len(rows)), Codes: d.Codes, Values: make([]float64, 0, len(rows)*n),
		Attrs: map[string][]string{}}
	for k, i := range rows {
		out.Units[k] = d.Units[i]
		out.Values = append(out.Values, d.Values[i*n:(i+1)*n]...)
	}
	for name, vals := range d.Attrs {
		sub := make([]string, len(rows))
		for k, i := range rows {
			sub[k] = vals[i]
		}
		out.Attrs[name] = sub
	}
	return out
}
