package dataset

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/sceval/sceval/engine"
	"github.com/xuri/excelize/v2"
)

// ReadXLSX reads the first worksheet of an Excel workbook (or opt.Sheet)
// laid out like a CSV file: header on row 1, one unit per row. Numeric cells
// are read as stored (not as displayed), so number formats such as
// percentages or thousands separators do not change the values; numbers
// stored as text are accepted too. Empty rows are skipped.
//
// Large sheets are scanned by a fast reader of the sheet XML; workbooks it
// does not handle (strict OOXML, CDATA sections) are read with excelize.
func ReadXLSX(name string, r io.Reader, opt ReadOptions) (*engine.Data, []string, error) {
	buf, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, fmt.Errorf("read data %s: %w", name, err)
	}
	var limit *LimitError
	wb, err := openFastWorkbook(name, buf, opt.maxInflated())
	if errors.As(err, &limit) {
		return nil, nil, limit
	}
	if err == nil {
		sheet, err := pickSheet(name, wb.sheets, opt.Sheet)
		if err != nil {
			return nil, nil, err
		}
		d, warns, err := readRows(name, sheet, wb.sheets, otherSheets(wb.sheets, sheet, opt.Sheet), opt, func(fn func(int, [][]byte, []int) bool) error {
			return wb.sheetRows(sheet, fn)
		})
		var fail *sheetError
		if !errors.As(err, &fail) || errors.As(err, &limit) {
			return d, warns, unwrapLimit(err)
		}
	}
	return readXLSXExcelize(name, buf, opt)
}

// readXLSXExcelize reads the workbook with excelize's row iterator.
func readXLSXExcelize(name string, buf []byte, opt ReadOptions) (*engine.Data, []string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(buf), excelize.Options{UnzipSizeLimit: opt.maxInflated(), UnzipXMLSizeLimit: min(opt.maxInflated(), 16<<20)})
	if err != nil {
		return nil, nil, fmt.Errorf("read data %s: not a readable XLSX workbook: %w", name, err)
	}
	defer f.Close()
	sheet, err := pickSheet(name, f.GetSheetList(), opt.Sheet)
	if err != nil {
		return nil, nil, err
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, nil, fmt.Errorf("read data %s: sheet %q: %w", name, sheet, err)
	}
	defer rows.Close()
	return readRows(name, sheet, f.GetSheetList(), otherSheets(f.GetSheetList(), sheet, opt.Sheet), opt, func(fn func(int, [][]byte, []int) bool) error {
		var cells [][]byte
		var uncached []int
		for rowNum := 1; rows.Next(); rowNum++ {
			row, err := rows.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				return fmt.Errorf("row %d: %w", rowNum, err)
			}
			if len(row) == 0 {
				continue
			}
			cells, uncached = cells[:0], uncached[:0]
			for j, c := range row {
				cells = append(cells, []byte(c))
				if c == "" { // a formula without a saved value reads as ""
					ref, _ := excelize.CoordinatesToCellName(j+1, rowNum)
					if formula, _ := f.GetCellFormula(sheet, ref); formula != "" {
						uncached = append(uncached, j)
					}
				}
			}
			if !fn(rowNum, cells, uncached) {
				break
			}
		}
		return rows.Error()
	})
}

// unwrapLimit returns a *LimitError within err as is (its message names
// the file already), and err otherwise.
func unwrapLimit(err error) error {
	var limit *LimitError
	if errors.As(err, &limit) {
		return limit
	}
	return err
}

// sheetError is a failure to read the sheet itself (as opposed to problems
// in its content), after which ReadXLSX may try its other reader.
type sheetError struct {
	name, sheet string
	err         error
}

// Error names the file and sheet.
func (e *sheetError) Error() string {
	return fmt.Sprintf("read data %s: sheet %q: %v", e.name, e.sheet, e.err)
}

// Unwrap returns the underlying failure.
func (e *sheetError) Unwrap() error { return e.err }

// readRows builds the data from a sheet's non-empty rows, given by iterate
// in order (with the columns of formula cells that have no saved value).
// A failure of iterate itself is returned as a *sheetError. sheets lists
// the workbook's sheets and others those not read, when the sheet was not
// chosen, to offer them if this one is not data.
func readRows(name, sheet string, sheets, others []string, opt ReadOptions, iterate func(func(int, [][]byte, []int) bool) error) (*engine.Data, []string, error) {
	probs := &problems{file: name + " [" + sheet + "]"}
	if len(others) == 0 {
		sheets = nil
	}
	b := &builder{probs: probs, opt: opt, hint: 1024, sheets: sheets, others: others}
	if iterErr := iterate(b.feed); iterErr != nil {
		return nil, nil, &sheetError{name, sheet, iterErr}
	}
	return b.end("empty sheet (expected a header row: unit id, then indicator codes)")
}

// otherSheets lists the sheets other than the one read, when the caller did
// not name one (want is empty); nil otherwise.
func otherSheets(sheets []string, read, want string) []string {
	if want != "" {
		return nil
	}
	var out []string
	for _, s := range sheets {
		if s != read {
			out = append(out, s)
		}
	}
	return out
}

// pickSheet returns the wanted sheet, or the first one when want is empty.
func pickSheet(name string, sheets []string, want string) (string, error) {
	if want == "" {
		if len(sheets) == 0 {
			return "", fmt.Errorf("read data %s: the workbook has no worksheet", name)
		}
		return sheets[0], nil
	}
	if slices.Contains(sheets, want) {
		return want, nil
	}
	return "", fmt.Errorf("read data %s: no sheet %q (the workbook has %s)", name, want, strings.Join(quoteAll(sheets), ", "))
}

func quoteAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}
