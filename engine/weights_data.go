package engine

import (
	"fmt"

	"github.com/sceval/sceval/engine/weight"
)

// dataWeights computes a sibling group's weights from its children's score
// columns (NaN missing; already higher-is-better, so no directions) with the
// scheme's data-driven method: entropy weight, CRITIC (Diakoulaki, Mavrotas
// & Papayannakis 1995) or PCA-based (OECD–JRC Handbook 2008, §6.1). The
// formulas are documented in package engine/weight.
func dataWeights(w Weighting, cols [][]float64, codes []string) ([]float64, error) {
	switch w.Method {
	case WeightEntropy:
		return weight.Entropy(cols, weight.EntropyOptions{Preprocess: w.Entropy.Preprocess, Shift: w.Entropy.Shift, Codes: codes})
	case WeightCRITIC:
		return weight.CRITIC(cols, weight.CRITICOptions{SD: w.CRITIC.SD, Codes: codes})
	case WeightPCA:
		return weight.PCA(cols, weight.PCAOptions{Components: w.PCA.Components, NoRotation: w.PCA.NoRotation, Codes: codes})
	}
	return nil, fmt.Errorf("%q is not a data-driven weighting method", w.Method)
}
