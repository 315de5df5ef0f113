package agreement

import (
	"fmt"
	"math"
)

// ICCModel selects one of Shrout & Fleiss's (1979) six intraclass
// correlations, ICC(model, unit): model 1 one-way random, 2 two-way random
// (raters a random sample; absolute agreement), 3 two-way mixed (these
// raters only; consistency); unit 1 is the reliability of a single
// rater's score, k that of the mean of the k raters.
type ICCModel int

// The six Shrout–Fleiss forms.
const (
	ICC11 ICCModel = iota + 1 // ICC(1,1)
	ICC1K                     // ICC(1,k)
	ICC21                     // ICC(2,1)
	ICC2K                     // ICC(2,k)
	ICC31                     // ICC(3,1)
	ICC3K                     // ICC(3,k)
)

// String returns the Shrout–Fleiss name, e.g. "ICC(2,1)".
func (m ICCModel) String() string {
	switch m {
	case ICC11:
		return "ICC(1,1)"
	case ICC1K:
		return "ICC(1,k)"
	case ICC21:
		return "ICC(2,1)"
	case ICC2K:
		return "ICC(2,k)"
	case ICC31:
		return "ICC(3,1)"
	case ICC3K:
		return "ICC(3,k)"
	}
	return fmt.Sprintf("ICCModel(%d)", int(m))
}

// ANOVA holds the mean squares of the two-way layout of n targets (items)
// by k judges (raters), in Shrout & Fleiss's notation.
type ANOVA struct {
	// Targets n and Judges k.
	Targets, Judges int
	// BMS is the between-targets mean square, SS_B/(n − 1).
	BMS float64
	// WMS is the within-target mean square, (SS_T − SS_B)/(n(k − 1)).
	WMS float64
	// JMS is the between-judges mean square, SS_J/(k − 1).
	JMS float64
	// EMS is the residual mean square, (SS_T − SS_B − SS_J)/((n−1)(k−1)).
	EMS float64
}

// MeanSquares computes the ANOVA table of a complete m raters × n items
// score matrix (at least 2 of each).
func MeanSquares(scores [][]float64) (ANOVA, error) {
	k, n, err := checkComplete(scores, 2, 2)
	if err != nil {
		return ANOVA{}, fmt.Errorf("ICC: %w", err)
	}
	var grand float64
	itemMean := make([]float64, n)
	raterMean := make([]float64, k)
	for i, row := range scores {
		for j, v := range row {
			grand += v
			itemMean[j] += v
			raterMean[i] += v
		}
	}
	fk, fn := float64(k), float64(n)
	grand /= fk * fn
	var ssB, ssJ, ssT float64
	for j := range itemMean {
		itemMean[j] /= fk
		ssB += fk * (itemMean[j] - grand) * (itemMean[j] - grand)
	}
	for i := range raterMean {
		raterMean[i] /= fn
		ssJ += fn * (raterMean[i] - grand) * (raterMean[i] - grand)
	}
	for _, row := range scores {
		for _, v := range row {
			ssT += (v - grand) * (v - grand)
		}
	}
	return ANOVA{
		Targets: n, Judges: k,
		BMS: ssB / (fn - 1),
		WMS: (ssT - ssB) / (fn * (fk - 1)),
		JMS: ssJ / (fk - 1),
		EMS: (ssT - ssB - ssJ) / ((fn - 1) * (fk - 1)),
	}, nil
}

// ICC returns the intraclass correlation of the given model (Shrout, P. E.
// & Fleiss, J. L. (1979), "Intraclass correlations: uses in assessing
// rater reliability", Psychological Bulletin 86(2):420–428, Table 1), for
// scores[i][j] = rater i's score of item j:
//
//	ICC(1,1) = (BMS − WMS) / (BMS + (k−1)WMS)
//	ICC(2,1) = (BMS − EMS) / (BMS + (k−1)EMS + k(JMS − EMS)/n)
//	ICC(3,1) = (BMS − EMS) / (BMS + (k−1)EMS)
//	ICC(1,k) = (BMS − WMS) / BMS
//	ICC(2,k) = (BMS − EMS) / (BMS + (JMS − EMS)/n)
//	ICC(3,k) = (BMS − EMS) / BMS
//
// For expert panels ICC(2,1) and ICC(2,k) (two-way random, absolute
// agreement) are the usual choice. The design must be complete; an error
// is returned for a zero denominator (e.g. all scores equal).
func ICC(scores [][]float64, model ICCModel) (float64, error) {
	a, err := MeanSquares(scores)
	if err != nil {
		return 0, err
	}
	k, n := float64(a.Judges), float64(a.Targets)
	var num, den float64
	switch model {
	case ICC11:
		num, den = a.BMS-a.WMS, a.BMS+(k-1)*a.WMS
	case ICC21:
		num, den = a.BMS-a.EMS, a.BMS+(k-1)*a.EMS+k*(a.JMS-a.EMS)/n
	case ICC31:
		num, den = a.BMS-a.EMS, a.BMS+(k-1)*a.EMS
	case ICC1K:
		num, den = a.BMS-a.WMS, a.BMS
	case ICC2K:
		num, den = a.BMS-a.EMS, a.BMS+(a.JMS-a.EMS)/n
	case ICC3K:
		num, den = a.BMS-a.EMS, a.BMS
	default:
		return 0, fmt.Errorf("ICC: unknown model %d", int(model))
	}
	if den == 0 || math.IsNaN(den) {
		return 0, fmt.Errorf("%v: undefined (zero denominator: the scores do not vary)", model)
	}
	return num / den, nil
}
