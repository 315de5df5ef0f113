package main

import (
	"cmp"
	"math"
	"slices"

	"github.com/sceval/sceval/dataset"
	"github.com/sceval/sceval/engine"
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

// spearman returns Spearman's rank correlation coefficient of x and y: the
// Pearson correlation of their ranks, tied values sharing the mean of the
// ranks they span (the standard treatment of ties). NaN when fewer than
// two pairs or when either variable is constant.
func spearman(x, y []float64) float64 {
	if len(x) < 2 || len(x) != len(y) {
		return math.NaN()
	}
	return pearson(averageRanks(x), averageRanks(y))
}

// averageRanks ranks x in increasing order from 1, ties getting the mean
// of their positions ("1, 2.5, 2.5, 4").
func averageRanks(x []float64) []float64 {
	idx := make([]int, len(x))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(x[a], x[b]) })
	r := make([]float64, len(x))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && x[idx[j+1]] == x[idx[i]] {
			j++
		}
		mean := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			r[idx[k]] = mean
		}
		i = j + 1
	}
	return r
}

// pearson returns the Pearson correlation of x and y (NaN if either is
// constant).
func pearson(x, y []float64) float64 {
	n := float64(len(x))
	var mx, my float64
	for i := range x {
		mx += x[i]
		my += y[i]
	}
	mx, my = mx/n, my/n
	var sxy, sxx, syy float64
	for i := range x {
		dx, dy := x[i]-mx, y[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return math.NaN()
	}
	return sxy / math.Sqrt(sxx*syy)
}
