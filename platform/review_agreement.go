package platform

import (
	"cmp"
	"math"
	"slices"

	"github.com/sceval/sceval/engine/agreement"
)

// OutlierRule documents how an expert is flagged as deviating from the
// panel; the API returns it beside the flags.
const OutlierRule = "an expert is flagged when the mean absolute deviation of their scores from the median of the other experts " +
	"of the panel on the same indicators (leave-one-out; engine/agreement.RaterDeviations) exceeds the cycle's outlier_points; " +
	"across the cycle, when the mean of that deviation over the expert's submitted reviews exceeds it"

// PanelAgreement is the agreement of one submission's panel over the leaf
// indicators every one of its experts scored.
type PanelAgreement struct {
	SubmissionID int64   `json:"submission_id"`
	Experts      []int64 `json:"experts"`
	// Items is the number of indicators scored by every expert: the
	// complete design the statistics use.
	Items int `json:"items"`
	// KendallW is Kendall's coefficient of concordance of the experts'
	// rankings of the indicators, with its chi-square p-value.
	KendallW *float64 `json:"kendall_w,omitempty"`
	KendallP *float64 `json:"kendall_p,omitempty"`
	// ICC21 and ICC2K are Shrout & Fleiss's ICC(2,1) (one expert) and
	// ICC(2,k) (the panel's mean), absolute agreement.
	ICC21 *float64 `json:"icc_2_1,omitempty"`
	ICC2K *float64 `json:"icc_2_k,omitempty"`
	// Note says why a statistic is missing.
	Note       string            `json:"note,omitempty"`
	Deviations []ExpertDeviation `json:"deviations"`
}

// ExpertDeviation is one expert's leave-one-out deviation from a panel (or,
// per cycle, its mean over the expert's panels) and the outlier flag.
type ExpertDeviation struct {
	ExpertID int64 `json:"expert_id"`
	// Reviews is the number of panels the mean is over (per cycle).
	Reviews   int      `json:"reviews,omitempty"`
	Deviation *float64 `json:"deviation,omitempty"`
	Outlier   bool     `json:"outlier"`
}

// CycleAgreement summarises a cycle's panels: every panel's statistics,
// their means over the panels that have them, and each expert's mean
// deviation with the outlier flag.
type CycleAgreement struct {
	CycleID       int64             `json:"cycle_id"`
	Panels        []PanelAgreement  `json:"panels"`
	MeanKendallW  *float64          `json:"mean_kendall_w,omitempty"`
	MeanICC21     *float64          `json:"mean_icc_2_1,omitempty"`
	MeanICC2K     *float64          `json:"mean_icc_2_k,omitempty"`
	Experts       []ExpertDeviation `json:"experts"`
	OutlierPoints float64           `json:"outlier_points"`
	Rule          string            `json:"rule"`
}

// panelAgreement computes one panel's statistics from its submitted scores.
func panelAgreement(submissionID int64, rows []SubmittedScores, outlierPoints float64) PanelAgreement {
	pa := PanelAgreement{SubmissionID: submissionID, Deviations: []ExpertDeviation{}}
	experts, codes := map[int64]int{}, map[string]int{}
	for _, r := range rows {
		if _, ok := experts[r.ExpertID]; !ok {
			experts[r.ExpertID] = 0
			pa.Experts = append(pa.Experts, r.ExpertID)
		}
		if _, ok := codes[r.Code]; !ok {
			codes[r.Code] = len(codes)
		}
	}
	slices.Sort(pa.Experts)
	for i, e := range pa.Experts {
		experts[e] = i
	}
	full := make([][]float64, len(pa.Experts))
	for i := range full {
		full[i] = make([]float64, len(codes))
		for j := range full[i] {
			full[i][j] = math.NaN()
		}
	}
	for _, r := range rows {
		full[experts[r.ExpertID]][codes[r.Code]] = r.Score
	}
	complete := completeColumns(full)
	if len(complete) > 0 {
		pa.Items = len(complete[0])
	}
	switch {
	case len(pa.Experts) < 2:
		pa.Note = "fewer than 2 submitted reviews"
	case pa.Items < 2:
		pa.Note = "fewer than 2 indicators scored by every expert"
	default:
		if w, _, _, p, err := agreement.KendallW(complete); err == nil {
			pa.KendallW, pa.KendallP = &w, &p
		} else {
			pa.Note = "Kendall's W: " + err.Error()
		}
		if v, err := agreement.ICC(complete, agreement.ICC21); err == nil && !math.IsNaN(v) {
			pa.ICC21 = &v
		}
		if v, err := agreement.ICC(complete, agreement.ICC2K); err == nil && !math.IsNaN(v) {
			pa.ICC2K = &v
		}
	}
	for i, d := range agreement.RaterDeviations(full) {
		ed := ExpertDeviation{ExpertID: pa.Experts[i]}
		if !math.IsNaN(d) {
			ed.Deviation = &d
			ed.Outlier = d > outlierPoints
		}
		pa.Deviations = append(pa.Deviations, ed)
	}
	return pa
}

// completeColumns returns the matrix restricted to the columns with no
// missing value (one row per rater).
func completeColumns(full [][]float64) [][]float64 {
	out := make([][]float64, len(full))
	if len(full) == 0 {
		return out
	}
	for j := range full[0] {
		ok := true
		for i := range full {
			ok = ok && !math.IsNaN(full[i][j])
		}
		if ok {
			for i := range full {
				out[i] = append(out[i], full[i][j])
			}
		}
	}
	return out
}

// cycleAgreement computes every panel of a cycle and the summary.
func cycleAgreement(cycleID int64, rows []SubmittedScores, outlierPoints float64) CycleAgreement {
	ca := CycleAgreement{CycleID: cycleID, Panels: []PanelAgreement{}, Experts: []ExpertDeviation{},
		OutlierPoints: outlierPoints, Rule: OutlierRule}
	bySub := map[int64][]SubmittedScores{}
	var subs []int64
	for _, r := range rows {
		if _, ok := bySub[r.SubmissionID]; !ok {
			subs = append(subs, r.SubmissionID)
		}
		bySub[r.SubmissionID] = append(bySub[r.SubmissionID], r)
	}
	slices.Sort(subs)
	var w, i1, ik []float64
	sums := map[int64]*ExpertDeviation{}
	devSum := map[int64]float64{}
	for _, id := range subs {
		pa := panelAgreement(id, bySub[id], outlierPoints)
		ca.Panels = append(ca.Panels, pa)
		w, i1, ik = appendSet(w, pa.KendallW), appendSet(i1, pa.ICC21), appendSet(ik, pa.ICC2K)
		for _, d := range pa.Deviations {
			if d.Deviation == nil {
				continue
			}
			if sums[d.ExpertID] == nil {
				sums[d.ExpertID] = &ExpertDeviation{ExpertID: d.ExpertID}
			}
			sums[d.ExpertID].Reviews++
			devSum[d.ExpertID] += *d.Deviation
		}
	}
	ca.MeanKendallW, ca.MeanICC21, ca.MeanICC2K = meanOf(w), meanOf(i1), meanOf(ik)
	for id, ed := range sums {
		m := devSum[id] / float64(ed.Reviews)
		ed.Deviation, ed.Outlier = &m, m > outlierPoints
		ca.Experts = append(ca.Experts, *ed)
	}
	slices.SortFunc(ca.Experts, func(a, b ExpertDeviation) int { return cmp.Compare(a.ExpertID, b.ExpertID) })
	return ca
}

func appendSet(xs []float64, v *float64) []float64 {
	if v != nil {
		xs = append(xs, *v)
	}
	return xs
}

func meanOf(xs []float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	var s float64
	for _, x := range xs {
		s += x
	}
	m := s / float64(len(xs))
	return &m
}
