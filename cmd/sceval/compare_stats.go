package main

import (
	"math"

	"github.com/sceval/sceval/dataset"
	"github.com/sceval/sceval/engine"
	"github.com/sceval/sceval/engine/audit"
)

// compareRow is one unit at one node under schemes A and B.
type compareRow struct {
	Unit           string
	ScoreA, ScoreB float64
	RankA, RankB   int32
	// Shift is rank A − rank B: positive when the unit climbs under B;
	// valid only when both ranks are.
	Shift int32
}

// hasShift reports whether the unit is ranked under both schemes.
func (r compareRow) hasShift() bool { return r.RankA > 0 && r.RankB > 0 }

// compareSummary condenses the rank changes at one node.
type compareSummary struct {
	// Units ranked under both schemes.
	Units int `json:"units"`
	// MeanAbsShift is the mean of |rank A − rank B| over those units.
	MeanAbsShift float64 `json:"mean_abs_shift"`
	// Spearman is the rank correlation of the two score vectors.
	Spearman float64 `json:"spearman"`
	// Moved counts units whose rank changed by more than the threshold.
	Moved     int `json:"moved"`
	Threshold int `json:"moved_threshold"`
}

// compareNode builds the rows of node k, sorted by A's rank (missing last,
// ties in input order), and their summary.
func compareNode(a, b *engine.Result, k, threshold int) ([]compareRow, compareSummary) {
	nodes := len(a.Nodes)
	var xa, xb []float64
	sum := compareSummary{Threshold: threshold}
	var total int64
	rows := make([]compareRow, 0, len(a.Units))
	for _, u := range dataset.RankOrder(a, k) {
		i := u*nodes + k
		r := compareRow{Unit: a.Units[u], ScoreA: a.Score[i], RankA: a.Rank[i], ScoreB: b.Score[i], RankB: b.Rank[i]}
		if r.hasShift() {
			r.Shift = r.RankA - r.RankB
			sum.Units++
			total += int64(abs32(r.Shift))
			if int(abs32(r.Shift)) > threshold {
				sum.Moved++
			}
			xa, xb = append(xa, r.ScoreA), append(xb, r.ScoreB)
		}
		rows = append(rows, r)
	}
	sum.MeanAbsShift = math.NaN()
	if sum.Units > 0 {
		sum.MeanAbsShift = float64(total) / float64(sum.Units)
	}
	sum.Spearman = spearman(xa, xb)
	return rows, sum
}

func abs32(x int32) int32 {
	if x < 0 {
		return -x
	}
	return x
}

// spearman returns Spearman's rank correlation coefficient of x and y
// (audit.Spearman: Pearson's r on average ranks); NaN when fewer than two
// pairs or when either variable is constant.
func spearman(x, y []float64) float64 {
	if len(x) < 2 || len(x) != len(y) {
		return math.NaN()
	}
	return audit.Spearman([][]float64{x, y})[0][1]
}
