package engine

import (
	"fmt"
	"strings"

	"github.com/sceval/sceval/engine/weight"
)

// ahpWeights returns the AHP weights of the sibling group under parent code
// (the root is addressed by "" or the framework ID) from the experts'
// pairwise comparison matrices: one matrix is used as given, several are
// combined by the element-wise geometric mean (Aczél & Saaty 1983); the
// weights are the principal eigenvector (Saaty 1980). Judgements with a
// consistency ratio CR ≥ 0.1 are used but reported. nil weights (no
// matrices for this parent) keep the framework's weights.
func ahpWeights(m map[string][][][]float64, code string, root bool, k int) ([]float64, []string, error) {
	ms, ok := m[code]
	if !ok && root {
		ms, ok = m[""]
	}
	if !ok || len(ms) == 0 {
		return nil, []string{fmt.Sprintf("weighting ahp: no judgements for the children of %s; framework weights kept", label(code, root))}, nil
	}
	var warn []string
	exact := make([][][]float64, len(ms))
	for e, mat := range ms {
		if len(mat) != k {
			return nil, nil, fmt.Errorf("weighting.ahp.%s: expert %d gives a %d×%d matrix, but %s has %d children", code, e+1, len(mat), len(mat), label(code, root), k)
		}
		m, adj, err := weight.ReciprocalMatrix(mat, nil)
		if err != nil {
			return nil, nil, fmt.Errorf("weighting.ahp.%s: expert %d: %w", code, e+1, err)
		}
		if len(adj) > 0 {
			warn = append(warn, fmt.Sprintf("weighting ahp: children of %s, expert %d: %s (the exact reciprocal of the entry above the diagonal)",
				label(code, root), e+1, adjustmentList(adj)))
		}
		exact[e] = m
	}
	ms = exact
	mat := ms[0]
	if len(ms) > 1 {
		g, err := weight.GroupAHP(ms)
		if err != nil {
			return nil, nil, fmt.Errorf("weighting.ahp.%s: %w", code, err)
		}
		mat = g
	}
	res, err := weight.AHP(mat)
	if err != nil {
		return nil, nil, fmt.Errorf("weighting.ahp.%s: %w", code, err)
	}
	if !res.Consistent {
		warn = append(warn, fmt.Sprintf("weighting ahp: judgements for the children of %s are inconsistent (CR = %.3f ≥ %.1f); weights used anyway", label(code, root), res.CR, weight.ConsistencyThreshold))
	}
	return res.Weights, warn, nil
}

func label(code string, root bool) string {
	if root {
		return "the root (" + code + ")"
	}
	return code
}

// adjustmentList words the reciprocals ReciprocalMatrix replaced.
func adjustmentList(adj []weight.Adjustment) string {
	parts := make([]string, len(adj))
	for i, a := range adj {
		parts[i] = a.String()
	}
	return strings.Join(parts, ", ")
}
