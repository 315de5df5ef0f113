package dataset

import (
	"fmt"
	"io"
	"math"

	"github.com/sceval/sceval/engine"
	"github.com/xuri/excelize/v2"
)

// Sheet names of the workbook written by WriteXLSX.
const (
	SheetOverall = "总分 Overall"
	SheetScores  = "各级得分 Scores"
	SheetLong    = "Long"
)

// WriteXLSX writes res as an Excel workbook with three sheets: SheetOverall
// (unit, overall score, rank, stars, coverage, in input order),
// SheetScores (unit, then one column per node code in the result's order)
// and SheetLong (the long CSV layout). Numbers keep full float64 precision;
// missing values are empty cells. When the long layout exceeds Excel's
// 1,048,576 rows, SheetLong holds a note instead (use the long CSV).
func WriteXLSX(w io.Writer, res *engine.Result) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetOverall); err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	for _, s := range []string{SheetScores, SheetLong} {
		if _, err := f.NewSheet(s); err != nil {
			return fmt.Errorf("write XLSX: %w", err)
		}
	}
	steps := []struct {
		sheet string
		fill  func(*excelize.StreamWriter, *engine.Result) error
	}{{SheetOverall, xlsxOverall}, {SheetScores, xlsxScores}, {SheetLong, xlsxLong}}
	for _, st := range steps {
		sw, err := f.NewStreamWriter(st.sheet)
		if err != nil {
			return fmt.Errorf("write XLSX sheet %s: %w", st.sheet, err)
		}
		if err := st.fill(sw, res); err != nil {
			return fmt.Errorf("write XLSX sheet %s: %w", st.sheet, err)
		}
		if err := sw.Flush(); err != nil {
			return fmt.Errorf("write XLSX sheet %s: %w", st.sheet, err)
		}
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	return nil
}

// setRow writes values on a 1-based sheet row.
func setRow(sw *excelize.StreamWriter, row int, values []any) error {
	cell, err := excelize.CoordinatesToCellName(1, row)
	if err != nil {
		return err
	}
	return sw.SetRow(cell, values)
}

// cellNumber is a number cell, or an empty cell for NaN.
func cellNumber(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}

func cellRank(r int32) any {
	if r <= 0 {
		return nil
	}
	return int(r)
}

func xlsxOverall(sw *excelize.StreamWriter, res *engine.Result) error {
	if err := setRow(sw, 1, []any{"unit", "overall", "rank", "stars", "coverage"}); err != nil {
		return err
	}
	nodes := len(res.Nodes)
	for u, name := range res.Units {
		i := u * nodes
		var stars any
		if u < len(res.Stars) && res.Stars[u] >= 0 {
			stars = res.Stars[u]
		}
		row := []any{name, cellNumber(res.Score[i]), cellRank(res.Rank[i]), stars, cellNumber(at(res.Coverage, i))}
		if err := setRow(sw, u+2, row); err != nil {
			return err
		}
	}
	return nil
}

func xlsxScores(sw *excelize.StreamWriter, res *engine.Result) error {
	nodes := len(res.Nodes)
	header := make([]any, 0, nodes+1)
	header = append(header, "unit")
	for _, n := range res.Nodes {
		header = append(header, n.Code)
	}
	if err := setRow(sw, 1, header); err != nil {
		return err
	}
	row := make([]any, nodes+1)
	for u, name := range res.Units {
		row[0] = name
		for k := range nodes {
			row[k+1] = cellNumber(res.Score[u*nodes+k])
		}
		if err := setRow(sw, u+2, row); err != nil {
			return err
		}
	}
	return nil
}

// xlsxMaxRows is Excel's row limit per sheet.
const xlsxMaxRows = 1 << 20

func xlsxLong(sw *excelize.StreamWriter, res *engine.Result) error {
	nodes := len(res.Nodes)
	if len(res.Units)*nodes+1 > xlsxMaxRows {
		return setRow(sw, 1, []any{fmt.Sprintf("%d rows do not fit one Excel sheet (%d at most): write the long form as CSV (--format csv)",
			len(res.Units)*nodes, xlsxMaxRows-1)})
	}
	if err := setRow(sw, 1, []any{"unit", "code", "level", "score", "rank", "coverage", "contribution", "stars"}); err != nil {
		return err
	}
	row := make([]any, 8)
	for u, name := range res.Units {
		for k, n := range res.Nodes {
			i := u*nodes + k
			row[0], row[1], row[2] = name, n.Code, n.Level
			row[3], row[4] = cellNumber(res.Score[i]), cellRank(res.Rank[i])
			row[5], row[6], row[7] = nil, nil, nil
			if !math.IsNaN(res.Score[i]) {
				row[5] = cellNumber(at(res.Coverage, i))
				if k > 0 {
					row[6] = cellNumber(at(res.Contribution, i))
				}
			}
			if k == 0 && u < len(res.Stars) && res.Stars[u] >= 0 {
				row[7] = res.Stars[u]
			}
			if err := setRow(sw, i+2, row); err != nil {
				return err
			}
		}
	}
	return nil
}
