package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/sceval/sceval/dataset"
	"github.com/sceval/sceval/termtable"
)

// compareCSVHeader is the header of compare's CSV output.
const compareCSVHeader = "unit,code,score_a,rank_a,score_b,rank_b,shift"

func writeCompareCSV(w io.Writer, comps []comparison) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(compareCSVHeader + "\n")
	var line []byte
	for _, c := range comps {
		for _, r := range c.rows {
			line = dataset.AppendCSVField(line[:0], r.Unit)
			line = dataset.AppendCSVField(append(line, ','), c.code)
			line = dataset.AppendNumber(append(line, ','), r.ScoreA)
			line = appendRank(append(line, ','), r.RankA)
			line = dataset.AppendNumber(append(line, ','), r.ScoreB)
			line = appendRank(append(line, ','), r.RankB)
			line = append(line, ',')
			if r.hasShift() {
				line = strconv.AppendInt(line, int64(r.Shift), 10)
			}
			bw.Write(append(line, '\n'))
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write comparison: %w", err)
	}
	return nil
}

// appendRank appends a rank, or nothing when it is missing (0).
func appendRank(b []byte, r int32) []byte {
	if r <= 0 {
		return b
	}
	return strconv.AppendInt(b, int64(r), 10)
}

func writeCompareTable(w io.Writer, comps []comparison) error {
	for i, c := range comps {
		if i > 0 {
			fmt.Fprintln(w)
		}
		t := &termtable.Table{
			Header: []string{"rank A", "unit", "score A", "score B", "rank B", "shift"},
			Right:  []bool{true, false, true, true, true, true},
		}
		for _, r := range c.rows {
			shift := "-"
			if r.hasShift() {
				shift = strconv.Itoa(int(r.Shift))
				if r.Shift > 0 {
					shift = "+" + shift
				}
			}
			t.Rows = append(t.Rows, []string{dataset.TableRank(r.RankA), r.Unit, dataset.TableNumber(r.ScoreA),
				dataset.TableNumber(r.ScoreB), dataset.TableRank(r.RankB), shift})
		}
		if _, err := t.WriteTo(w); err != nil {
			return err
		}
		if _, err := fmt.Fprintln(w, summaryLine(c)); err != nil {
			return fmt.Errorf("write comparison: %w", err)
		}
	}
	return nil
}

// summaryLine is the one-line summary of a comparison.
func summaryLine(c comparison) string {
	s := c.summary
	return fmt.Sprintf("%s: %d units ranked under both; mean |rank shift| %s; Spearman %s; %d moved more than %d places",
		c.code, s.Units, fixed(s.MeanAbsShift, 2), fixed(s.Spearman, 4), s.Moved, s.Threshold)
}

func fixed(v float64, dec int) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	return strconv.FormatFloat(v, 'f', dec, 64)
}

// jsonNumber is a float written with AppendNumber, null when NaN.
type jsonNumber float64

// MarshalJSON implements json.Marshaler.
func (n jsonNumber) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(n)) || math.IsInf(float64(n), 0) {
		return []byte("null"), nil
	}
	return dataset.AppendNumber(nil, float64(n)), nil
}

// jsonRank is a rank, null when missing (0).
type jsonRank int32

// MarshalJSON implements json.Marshaler.
func (r jsonRank) MarshalJSON() ([]byte, error) {
	if r <= 0 {
		return []byte("null"), nil
	}
	return strconv.AppendInt(nil, int64(r), 10), nil
}

func writeCompareJSON(w io.Writer, frameworkID string, comps []comparison) error {
	type unit struct {
		Unit   string     `json:"unit"`
		ScoreA jsonNumber `json:"score_a"`
		RankA  jsonRank   `json:"rank_a"`
		ScoreB jsonNumber `json:"score_b"`
		RankB  jsonRank   `json:"rank_b"`
		Shift  *int32     `json:"shift"`
	}
	type summary struct {
		Units        int        `json:"units"`
		MeanAbsShift jsonNumber `json:"mean_abs_shift"`
		Spearman     jsonNumber `json:"spearman"`
		Moved        int        `json:"moved"`
		Threshold    int        `json:"moved_threshold"`
	}
	type node struct {
		Code    string  `json:"code"`
		Summary summary `json:"summary"`
		Units   []unit  `json:"units"`
	}
	doc := struct {
		Framework string `json:"framework"`
		Nodes     []node `json:"nodes"`
	}{Framework: frameworkID}
	for _, c := range comps {
		s := c.summary
		n := node{Code: c.code, Summary: summary{s.Units, jsonNumber(s.MeanAbsShift), jsonNumber(s.Spearman), s.Moved, s.Threshold}}
		for _, r := range c.rows {
			u := unit{r.Unit, jsonNumber(r.ScoreA), jsonRank(r.RankA), jsonNumber(r.ScoreB), jsonRank(r.RankB), nil}
			if r.hasShift() {
				shift := r.Shift
				u.Shift = &shift
			}
			n.Units = append(n.Units, u)
		}
		doc.Nodes = append(doc.Nodes, n)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write comparison: %w", err)
	}
	return nil
}
