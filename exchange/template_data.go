package exchange

import (
	"strconv"

	"github.com/sceval/sceval/dataset"
	"github.com/sceval/sceval/platform"
	"github.com/xuri/excelize/v2"
)

// dataSheet is a data sheet being streamed, with the rows it holds.
type dataSheet struct {
	name string
	sw   *excelize.StreamWriter
	row  int
	// runs[g] are the row ranges of level group g, for the drop-downs.
	runs [][][2]int
}

// maxValidationRuns bounds the ranges of one drop-down: a bulk template
// of a framework whose leaves have different level lists would need one
// range per pilot and leaf; beyond it the level column has no drop-down
// (the import still checks every level against the rubric).
const maxValidationRuns = 2000

func (t *template) columnIndex(key string) int {
	for i, c := range platform.EntryColumns {
		if c.Key == key {
			return i
		}
	}
	return -1
}

// newDataSheet prepares sheet name: drop-downs and protection must be set
// before its stream starts (the stream writer copies them at Flush), so the
// rows' ranges are computed first.
func (t *template) newDataSheet(name string, first, count int) (*dataSheet, error) {
	if _, err := t.f.NewSheet(name); err != nil {
		return nil, err
	}
	ds := &dataSheet{name: name, row: 1, runs: make([][][2]int, len(t.groups))}
	n := len(t.sh.Leaves)
	for k := 0; k < count; k++ {
		g, row := t.group[(first+k)%n], k+2
		if g < 0 {
			continue
		}
		r := ds.runs[g]
		if len(r) > 0 && r[len(r)-1][1] == row-1 {
			r[len(r)-1][1] = row
		} else {
			r = append(r, [2]int{row, row})
		}
		ds.runs[g] = r
	}
	level := dataset.ColumnLetter(t.columnIndex(platform.ColLevel) + 1)
	for g, runs := range ds.runs {
		if len(runs) == 0 || len(runs) > maxValidationRuns {
			continue
		}
		dv := excelize.NewDataValidation(true)
		ref := make([]byte, 0, 16*len(runs))
		for i, r := range runs {
			if i > 0 {
				ref = append(ref, ' ')
			}
			ref = append(ref, level+strconv.Itoa(r[0])+":"+level+strconv.Itoa(r[1])...)
		}
		dv.Sqref = string(ref)
		dv.SetSqrefDropList(t.levelList(g))
		dv.SetError(excelize.DataValidationErrorStyleStop, "等级", "请从下拉列表中选择评分标准的等级")
		if err := t.f.AddDataValidation(name, dv); err != nil {
			return nil, err
		}
	}
	err := t.f.ProtectSheet(name, &excelize.SheetProtectionOptions{SelectLockedCells: true, SelectUnlockedCells: true,
		FormatColumns: true, FormatRows: true, AutoFilter: true, Sort: true})
	if err != nil {
		return nil, err
	}
	if ds.sw, err = t.f.NewStreamWriter(name); err != nil {
		return nil, err
	}
	for i, c := range platform.EntryColumns {
		if err := ds.sw.SetColWidth(i+1, i+1, templateWidths[c.Key]); err != nil {
			return nil, err
		}
	}
	if err := ds.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	header := make([]any, len(platform.EntryColumns))
	for i, c := range platform.EntryColumns {
		header[i] = excelize.Cell{StyleID: t.header, Value: c.Header}
	}
	return ds, ds.sw.SetRow("A1", header)
}

// data streams the data rows: every pilot × leaf, on as many sheets as
// Excel's row limit needs.
func (t *template) data() error {
	n := len(t.sh.Leaves)
	total := len(t.sh.Pilots) * n
	per := maxSheetRows - 1
	sheetNo, written := 1, 0
	ds, err := t.newDataSheet(SheetData, 0, min(total, per))
	if err != nil {
		return err
	}
	row := make([]any, len(platform.EntryColumns))
	err = t.sh.Each(func(p platform.CycleSubmission, entries map[string]platform.Entry) error {
		for _, leaf := range t.sh.Leaves {
			if ds.row > per {
				if err := ds.sw.Flush(); err != nil {
					return err
				}
				sheetNo++
				if ds, err = t.newDataSheet(SheetData+strconv.Itoa(sheetNo), written, min(total-written, per)); err != nil {
					return err
				}
			}
			t.fillRow(row, p, leaf, entries)
			ds.row++
			written++
			if err := ds.sw.SetRow("A"+strconv.Itoa(ds.row), row); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return ds.sw.Flush()
}
