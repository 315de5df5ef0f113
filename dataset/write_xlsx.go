package dataset

import (
	"fmt"
	"io"
	"math"

	"github.com/sceval/sceval/engine"
	"github.com/sceval/sceval/framework"
	"github.com/xuri/excelize/v2"
)

// Sheet names of the workbook written by WriteXLSX.
const (
	SheetOverall    = "总分 Overall"
	SheetScores     = "各级得分 Scores"
	SheetLong       = "Long"
	SheetIndicators = "指标 Indicators"
	SheetNotes      = "说明 Notes"
)

// XLSXContext is what a workbook says about a result beyond its numbers,
// so that a reader of the file alone knows what was scored and how.
type XLSXContext struct {
	// Framework gives the indicators' names (Chinese and English) and the
	// framework's identity; nil writes codes only.
	Framework *framework.Framework
	// Attrs are the unit attribute columns (--attr) to repeat beside the
	// unit, in this order, with their values in Data.Attrs.
	Attrs []string
	Data  *engine.Data
	// Scheme says where the scheme came from (a file name, or "default")
	// and SchemeJSON is its canonical form (engine.Scheme.Canonical).
	Scheme     string
	SchemeJSON []byte
	// Generator names the program and version that wrote the file.
	Generator string
}

// attrColumns returns the attribute names and their per-unit values.
func (c *XLSXContext) attrColumns(units int) ([]string, [][]string) {
	if c == nil || c.Data == nil {
		return nil, nil
	}
	var names []string
	var vals [][]string
	for _, a := range c.Attrs {
		if v, ok := c.Data.Attrs[a]; ok && len(v) == units {
			names, vals = append(names, a), append(vals, v)
		}
	}
	return names, vals
}

// WriteXLSX writes res as an Excel workbook with five sheets: SheetOverall
// (unit, the attribute columns, overall score, rank, stars, coverage, in
// input order), SheetScores (unit, the attribute columns, then one column
// per node: its code on row 1, its Chinese and English names on rows 2 and
// 3), SheetLong (the long CSV layout, then the node's names and the
// attributes), SheetIndicators (each node's code, level, parent, names and
// weights) and SheetNotes (framework, scheme, result hash, warnings).
// Numbers keep full float64 precision; missing values are empty cells. When
// the long layout exceeds Excel's 1,048,576 rows, SheetLong holds a note
// instead (use the long CSV). ctx may be nil: codes only, no attributes.
func WriteXLSX(w io.Writer, res *engine.Result, ctx *XLSXContext) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetOverall); err != nil {
		return fmt.Errorf("write XLSX: %w", err)
	}
	for _, s := range []string{SheetScores, SheetLong, SheetIndicators, SheetNotes} {
		if _, err := f.NewSheet(s); err != nil {
			return fmt.Errorf("write XLSX: %w", err)
		}
	}
	x := &xlsxResult{res: res, ctx: ctx, names: nodeNames(res, ctx)}
	x.attrNames, x.attrVals = ctx.attrColumns(len(res.Units))
	steps := []struct {
		sheet string
		fill  func(*excelize.StreamWriter) error
	}{{SheetOverall, x.overall}, {SheetScores, x.scores}, {SheetLong, x.long}, {SheetIndicators, x.indicators}, {SheetNotes, x.notes}}
	for _, st := range steps {
		sw, err := f.NewStreamWriter(st.sheet)
		if err != nil {
			return fmt.Errorf("write XLSX sheet %s: %w", st.sheet, err)
		}
		if err := st.fill(sw); err != nil {
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

// xlsxResult is a result being written as a workbook.
type xlsxResult struct {
	res       *engine.Result
	ctx       *XLSXContext
	names     []framework.Text // per node
	attrNames []string
	attrVals  [][]string // per attribute, per unit
}

// unitCells appends the unit and its attribute values to row.
func (x *xlsxResult) unitCells(row []any, u int) []any {
	row = append(row, SafeText(x.res.Units[u]))
	for _, v := range x.attrVals {
		row = append(row, SafeText(v[u]))
	}
	return row
}

// headerCells appends "unit" and the attribute names to row.
func (x *xlsxResult) headerCells(row []any) []any {
	row = append(row, "unit")
	for _, a := range x.attrNames {
		row = append(row, a)
	}
	return row
}

func (x *xlsxResult) overall(sw *excelize.StreamWriter) error {
	res := x.res
	if err := setRow(sw, 1, append(x.headerCells(nil), "overall", "rank", "stars", "coverage")); err != nil {
		return err
	}
	nodes := len(res.Nodes)
	var row []any
	for u := range res.Units {
		i := u * nodes
		var stars any
		if u < len(res.Stars) && res.Stars[u] >= 0 {
			stars = res.Stars[u]
		}
		row = append(x.unitCells(row[:0], u), cellNumber(res.Score[i]), cellRank(res.Rank[i]), stars, cellNumber(at(res.Coverage, i)))
		if err := setRow(sw, u+2, row); err != nil {
			return err
		}
	}
	return nil
}

// scoreHeaderRows is the number of header rows of SheetScores: codes,
// Chinese names, English names.
const scoreHeaderRows = 3

func (x *xlsxResult) scores(sw *excelize.StreamWriter) error {
	res := x.res
	nodes := len(res.Nodes)
	lead := len(x.headerCells(nil))
	codes := x.headerCells(make([]any, 0, lead+nodes))
	zh, en := make([]any, lead, lead+nodes), make([]any, lead, lead+nodes)
	zh[0], en[0] = "名称", "name"
	for k, n := range res.Nodes {
		codes = append(codes, n.Code)
		zh, en = append(zh, x.names[k].Zh), append(en, x.names[k].En)
	}
	for r, row := range [][]any{codes, zh, en} {
		if err := setRow(sw, r+1, row); err != nil {
			return err
		}
	}
	var row []any
	for u := range res.Units {
		row = x.unitCells(row[:0], u)
		for k := range nodes {
			row = append(row, cellNumber(res.Score[u*nodes+k]))
		}
		if err := setRow(sw, u+scoreHeaderRows+1, row); err != nil {
			return err
		}
	}
	return nil
}

// xlsxMaxRows is Excel's row limit per sheet.
const xlsxMaxRows = 1 << 20

func (x *xlsxResult) long(sw *excelize.StreamWriter) error {
	res := x.res
	nodes := len(res.Nodes)
	if len(res.Units)*nodes+1 > xlsxMaxRows {
		return setRow(sw, 1, []any{fmt.Sprintf("%d rows do not fit one Excel sheet (%d at most): write the long form as CSV (--format csv)",
			len(res.Units)*nodes, xlsxMaxRows-1)})
	}
	header := []any{"unit", "code", "level", "score", "rank", "coverage", "contribution", "stars", "name_zh", "name_en"}
	for _, a := range x.attrNames {
		header = append(header, a)
	}
	if err := setRow(sw, 1, header); err != nil {
		return err
	}
	row := make([]any, len(header))
	for u, name := range res.Units {
		for a, v := range x.attrVals {
			row[10+a] = SafeText(v[u])
		}
		for k, n := range res.Nodes {
			i := u*nodes + k
			row[0], row[1], row[2] = SafeText(name), n.Code, n.Level
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
			row[8], row[9] = x.names[k].Zh, x.names[k].En
			if err := setRow(sw, i+2, row); err != nil {
				return err
			}
		}
	}
	return nil
}
