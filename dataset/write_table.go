package dataset

import (
	"cmp"
	"io"
	"math"
	"slices"
	"strconv"

	"github.com/sceval/sceval/engine"
	"github.com/sceval/sceval/termtable"
)

// WriteTable writes res as a wide text table for people: one row per unit,
// best overall rank first (missing scores last, ties in input order), with
// the columns unit, overall, stars, rank and then one column per
// first-level indicator. Scores show two decimals; "-" marks a missing
// value. Use WriteLongCSV or WriteJSON for exact values and every level.
func WriteTable(w io.Writer, res *engine.Result) error {
	nodes := len(res.Nodes)
	var cols []int // node indices of the level-1 columns
	header := []string{"unit", "overall", "stars", "rank"}
	for k, n := range res.Nodes {
		if n.Level == 1 {
			cols = append(cols, k)
			header = append(header, n.Code)
		}
	}
	right := make([]bool, len(header))
	for j := 1; j < len(right); j++ {
		right[j] = true
	}
	order := RankOrder(res, 0)
	t := &termtable.Table{Header: header, Right: right, Rows: make([][]string, 0, len(order))}
	for _, u := range order {
		row := make([]string, 0, len(header))
		stars := "-"
		if u < len(res.Stars) && res.Stars[u] >= 0 {
			stars = strconv.Itoa(res.Stars[u])
		}
		row = append(row, res.Units[u], TableNumber(res.Score[u*nodes]), stars, TableRank(res.Rank[u*nodes]))
		for _, k := range cols {
			row = append(row, TableNumber(res.Score[u*nodes+k]))
		}
		t.Rows = append(t.Rows, row)
	}
	_, err := t.WriteTo(w)
	return err
}

// RankOrder returns the unit indices sorted by their rank at node k: best
// first, missing last, ties in input order.
func RankOrder(res *engine.Result, k int) []int {
	nodes := len(res.Nodes)
	order := make([]int, len(res.Units))
	for u := range order {
		order[u] = u
	}
	key := func(u int) int64 {
		r := res.Rank[u*nodes+k]
		if r <= 0 {
			return math.MaxInt64
		}
		return int64(r)
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(key(a), key(b)) })
	return order
}

// TableNumber formats a score for a text table: two decimals, "-" when
// missing.
func TableNumber(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// TableRank formats a rank for a text table: "-" when missing (0).
func TableRank(r int32) string {
	if r <= 0 {
		return "-"
	}
	return strconv.Itoa(int(r))
}
